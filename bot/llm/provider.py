"""The LLM provider contract: one abstract method and a few plain values.

`ChatModel.chat` sends one request and returns one answer. The OpenAI-compatible HTTP client is
one implementation; anything else that can answer a chat request (a test fake holding canned
replies, another transport) is another, not a patch.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from bot.core.errors import EngineError


@dataclass(frozen=True, slots=True)
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True, slots=True)
class ChatRequest:
    messages: tuple[Message, ...]
    max_tokens: int = 1024
    temperature: float = 0.0
    response_format: dict[str, Any] | None = None
    """Sent as is: {"type": "json_schema", ...} or {"type": "json_object"}; None = plain text."""


@dataclass(frozen=True, slots=True)
class ChatResponse:
    text: str
    prompt_tokens: int | None = None
    """As reported by the server, when it reports usage."""
    completion_tokens: int | None = None
    finish_reason: str | None = None
    """"length" when the answer was cut at max_tokens."""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


class LLMError(EngineError):
    """The model could not give a usable answer (HTTP failure after retries, invalid output)."""


class ResponseFormatUnsupported(LLMError):
    """The server refused the requested `response_format` (HTTP 400 naming it)."""


class InvalidAnswer(LLMError):
    """The answer did not parse or did not match the schema, even after one repair attempt."""


class AnswerTruncated(InvalidAnswer):
    """The answer was cut at max_tokens before its JSON was complete: ask for less."""

    def __init__(self, message: str, *, text: str = "", max_tokens: int | None = None) -> None:
        super().__init__(message)
        self.text = text
        """What the model wrote before it was cut (empty when nothing was sent)."""
        self.max_tokens = max_tokens
        """The max_tokens the request carried (after it was cut to the context window)."""


class ContextFull(AnswerTruncated):
    """The prompt leaves too little of the context window for an answer: send less."""


class ChatModel(ABC):
    """Something that answers chat requests. `model_id` names it in reports ("llm:<id>")."""

    model_id: str = "model"
    concurrency: int = 4
    """Requests it answers at once (LLM_CONCURRENCY for the HTTP client)."""

    @abstractmethod
    async def chat(self, request: ChatRequest) -> ChatResponse:
        """Answer one request. Raise ResponseFormatUnsupported when the server rejects
        `request.response_format`, LLMError for any other failure. Never retry on
        CancelledError: cancelling the caller cancels the call."""
