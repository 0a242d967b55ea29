"""JSON answers that match a schema, from servers with or without structured output.

Modes, best first: `json_schema` (the server enforces the schema: OpenAI, vLLM, llama.cpp's
llama-server, Ollama 0.5 and later), `json_object+schema` (`{"type": "json_object", "schema":
…}`: llama-cpp-python's server enforces the schema given so), `json_object` (the server
guarantees JSON; the schema travels in the prompt), `text` (the schema travels in the prompt and
the JSON is cut out of the answer). In the first two the schema is not in the prompt: a server
that accepts the format but ignores the schema (an older Ollama) shows it by invalid answers,
and after UNENFORCED_LIMIT of them the mode steps down too; their repairs carry the schema in
the prompt. A refusal of the response format moves this object, and so
every later call in the session, one mode down: once per refused mode, however many calls were
refused with it (calls started together are all refused together), and a call refused with a
mode already left is sent again in the current one. While a mode is untried, the first call
tries it and the others wait for its answer up to FORMAT_GRACE seconds (servers refuse a format
on reading the request, before generating): N calls started together against a server that
refuses json_schema cost one refused request, not N. Every answer is validated with `jsonschema`; an
invalid one gets one repair round (the error is sent back), then InvalidAnswer is raised so the
engine can fall back. Given the context window, every request's `max_tokens` is cut to what the
window leaves after its prompt (tokens.answer_room), repairs included; ContextFull is raised
when fewer than MIN_ANSWER tokens would be left.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import jsonschema

from bot.llm.provider import (
    AnswerTruncated,
    ChatModel,
    ChatRequest,
    ChatResponse,
    ContextFull,
    InvalidAnswer,
    Message,
    ResponseFormatUnsupported,
)
from bot.llm.tokens import answer_room, count_tokens

log = logging.getLogger(__name__)

MODES = ("json_schema", "json_object+schema", "json_object", "text")
ENFORCED = MODES[:2]
"""Modes in which the server is asked to enforce the schema (it is not in the prompt)."""
UNENFORCED_LIMIT = 2
"""Invalid answers (not cut) in an enforced mode after which the server is taken to ignore
the schema: a server that enforces it by grammar gives none."""
MIN_ANSWER = 64
FORMAT_GRACE = 0.1
"""Seconds other calls wait for the first answer in an untried mode before sending their own
(a refusal comes back at once; an answer may take minutes, so not waiting for it)."""
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


@dataclass(slots=True)
class Usage:
    """What was sent, counted locally with tiktoken (servers do not all report usage)."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0


def extract_json(text: str) -> Any:
    """The JSON object in an answer: the whole text, a fenced block, or the outermost {...}."""
    text = text.strip()
    candidates = [text, *(m.group(1) for m in _FENCE.finditer(text))]
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    raise ValueError("the answer holds no JSON object")


def _schema_note(schema: dict[str, Any]) -> str:
    return (
        "\n\nReply with one JSON object only, no prose, matching this JSON Schema:\n"
        + json.dumps(schema, separators=(",", ":"))
    )


class StructuredChat:
    """Asks a ChatModel for JSON matching a schema. One per session: it remembers the mode."""

    def __init__(
        self, model: ChatModel, *, mode: str = "json_schema", context_tokens: int | None = None
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.model = model
        self.mode = mode
        self.context_tokens = context_tokens
        self.usage = Usage()
        self._settled = mode == MODES[-1]
        """True once the server answered a request in `mode` without refusing it (or the
        grace ran out): calls then go straight out."""
        self._trial: asyncio.Event | None = None
        """Set when the call trying an unsettled mode has its answer."""
        self._invalid_enforced = 0

    def _fit(self, request: ChatRequest, tokens: int) -> ChatRequest:
        """`request` (its prompt `tokens` long) with max_tokens cut to what the context window
        leaves after the prompt."""
        if self.context_tokens is None:
            return request
        room = answer_room(self.context_tokens, tokens)
        if room < MIN_ANSWER:
            raise ContextFull(
                f"The prompt leaves {max(room, 0)} tokens of the {self.context_tokens}-token "
                "context for the answer."
            )
        return replace(request, max_tokens=min(request.max_tokens, room))

    def _request(
        self,
        messages: list[Message],
        name: str,
        schema: dict[str, Any],
        max_tokens: int,
        mode: str,
    ) -> ChatRequest:
        fmt: dict[str, Any] | None
        if mode == "json_schema":
            fmt = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": True},
            }
        elif mode == "json_object+schema":
            fmt = {"type": "json_object", "schema": schema}
        else:
            fmt = {"type": "json_object"} if mode == "json_object" else None
            last = messages[-1]
            messages = [*messages[:-1], Message(last.role, last.content + _schema_note(schema))]
        return ChatRequest(messages=tuple(messages), max_tokens=max_tokens, response_format=fmt)

    async def _send(self, request: ChatRequest) -> tuple[ChatRequest, ChatResponse]:
        """Send one request; the request as sent (max_tokens cut to the window) and its answer.
        Prompt tokens are counted once here, off the event loop: it is most of the CPU a call
        costs locally, and many map calls start at once."""
        tokens = await asyncio.to_thread(prompt_tokens, request)
        request = self._fit(request, tokens)
        self.usage.calls += 1
        self.usage.input_tokens += tokens
        answer = await self.model.chat(request)
        self.usage.output_tokens += await asyncio.to_thread(count_tokens, answer.text)
        return request, answer

    async def _first(
        self, messages: list[Message], name: str, schema: dict[str, Any], max_tokens: int
    ) -> tuple[str, ChatRequest, ChatResponse]:
        """The mode, the request as sent (max_tokens cut to the window) and its answer, in the
        best mode the server accepts."""
        while True:
            await self._wait_for_trial()
            mode = self.mode
            trial = None
            if not self._settled:
                trial = self._trial = asyncio.Event()
            try:
                sent = await self._send(self._request(messages, name, schema, max_tokens, mode))
            except ResponseFormatUnsupported:
                if mode == MODES[-1]:
                    raise
                self._refused(mode)
                continue
            else:
                if mode == self.mode:
                    self._settled = True
            finally:
                if trial is not None:
                    if self._trial is trial:
                        self._trial = None
                    trial.set()
            return (mode, *sent)

    async def _wait_for_trial(self) -> None:
        """Wait while another call tries an unsettled mode, up to FORMAT_GRACE for each try."""
        while not self._settled and (trial := self._trial) is not None:
            try:
                await asyncio.wait_for(trial.wait(), FORMAT_GRACE)
            except TimeoutError:
                if self._trial is trial:  # no refusal in time: the mode is taken as accepted
                    self._settled = True

    def _refused(self, mode: str) -> None:
        """The server refused `mode`: step down once, unless another call already did."""
        if mode != self.mode:
            return
        self.mode = MODES[MODES.index(mode) + 1]
        self._settled = self.mode == MODES[-1]
        self._invalid_enforced = 0
        log.info("server lacks response_format %s; using %s from now on", mode, self.mode)

    async def ask(
        self,
        messages: list[Message],
        *,
        name: str,
        schema: dict[str, Any],
        max_tokens: int,
    ) -> Any:
        """The validated JSON answer. Raises InvalidAnswer, or LLMError from the model."""
        mode, request, first = await self._first(messages, name, schema, max_tokens)
        text = first.text
        error = _check(text, schema)
        if error is None:
            return extract_json(text)
        if first.finish_reason == "length":  # a repair would be cut as well
            raise AnswerTruncated(
                f"The model's answer for {name} did not fit in {request.max_tokens} tokens "
                f"({error}).",
                text=text,
                max_tokens=request.max_tokens,
            )
        log.info("invalid answer for %s (%s); asking once for a repair", name, error)
        again = (
            f"That answer is invalid: {error}. Reply again with the corrected JSON object "
            "only, following the same instructions and schema."
        )
        if mode in ENFORCED:  # the server may have ignored the schema: the repair shows it
            again += _schema_note(schema)
            self._invalid_enforced += 1
            if self._invalid_enforced >= UNENFORCED_LIMIT and mode == self.mode:
                log.info("the server does not seem to enforce the schema in %s", mode)
                self._refused(mode)
        repair = [*request.messages, Message("assistant", text), Message("user", again)]
        _, second = await self._send(
            ChatRequest(
                messages=tuple(repair),
                max_tokens=max_tokens,
                response_format=request.response_format,
            )
        )
        text = second.text
        error = _check(text, schema)
        if error is not None:
            raise InvalidAnswer(f"The model's answer for {name} was invalid twice ({error}).")
        return extract_json(text)


def prompt_tokens(request: ChatRequest) -> int:
    """The request's prompt in cl100k tokens: its messages, and the JSON Schema when it travels
    in `response_format` (counted although local servers turn it into a grammar)."""
    n = sum(count_tokens(m.content) for m in request.messages)
    fmt = request.response_format
    if fmt and (fmt["type"] == "json_schema" or "schema" in fmt):
        n += count_tokens(json.dumps(fmt))
    return n


def _check(text: str, schema: dict[str, Any]) -> str | None:
    """None if `text` holds JSON valid against `schema`, else a short reason."""
    try:
        value = extract_json(text)
    except ValueError as exc:
        return str(exc)
    error = jsonschema.exceptions.best_match(_validator(json.dumps(schema)).iter_errors(value))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        return f"at {where}: {error.message[:300]}"
    return None


@lru_cache(maxsize=32)
def _validator(schema_json: str) -> Any:
    """A checked validator per schema: `jsonschema.validate` re-checks the schema on every
    call, which cost more than validating a map answer itself (8 answers: 120 ms -> 18 ms)."""
    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)
