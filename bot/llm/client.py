"""An async chat client for any OpenAI-compatible server (`POST {base}/chat/completions`).

The aiohttp session is owned by the caller (the CLI for a run, the bot for its lifetime) and
injected. Each attempt holds one slot of a semaphore, so at most `concurrency` requests are in
flight; backoff sleeps hold no slot. Retries: 429 and 503 wait what `Retry-After` says (capped),
500/502/504, connection errors and timeouts back off exponentially with jitter, all a bounded
number of times. Cancellation propagates: `async with` releases the slot and the connection.
A 400 saying the request exceeds the server's context window raises ContextFull, so the engine
can send less (the server's tokenizer may count more than ours). A 400, 422 or 500 naming the
response format raises ResponseFormatUnsupported at once (never retried), so StructuredChat
steps down: llama-cpp-python's server answers `json_schema` with a 500.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.config import LLM_CONCURRENCY, LLM_TIMEOUT_SECONDS
from bot.llm.provider import (
    ChatModel,
    ChatRequest,
    ChatResponse,
    ContextFull,
    LLMError,
    ResponseFormatUnsupported,
)

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "response format")
_CONTEXT_WORDS = (
    "context length",  # vLLM, OpenAI: "This model's maximum context length is ..."
    "context_length_exceeded",
    "context size",  # llama.cpp: "request (N tokens) exceeds the available context size"
    "exceed_context_size",
    "context window",
    "too many tokens",
    "input is too long",
    "prompt is too long",
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 3
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 60.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential backoff: uniform in [d/2, d], d = base * 2**attempt."""
        d = min(self.max_delay, self.base_delay * (2**attempt))
        return d / 2 + self.rng.uniform(0, d / 2)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class _Retryable(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


@dataclass(frozen=True, slots=True)
class ServerCheck:
    """What `list_models` found: an HTTP status, the models listed, or a connection error."""

    status: int | None = None
    models: frozenset[str] = frozenset()
    error: str | None = None
    contexts: Mapping[str, int] = field(default_factory=dict)
    """The context window of each model whose listing gives one (see `CONTEXT_FIELDS`)."""


CONTEXT_FIELDS = ("max_model_len", "context_length", "context_window")
"""Where a `/models` entry states its context window: vLLM (the window it serves),
OpenRouter, Groq. OpenAI, Ollama and llama.cpp's OpenAI-compatible listing give none."""


def _context(entry: dict[str, Any]) -> int | None:
    for name in CONTEXT_FIELDS:
        value = entry.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


class OpenAICompatibleClient(ChatModel):
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = LLM_TIMEOUT_SECONDS,
        concurrency: int = LLM_CONCURRENCY,
        retry: RetryPolicy | None = None,
        slots: asyncio.Semaphore | None = None,
    ) -> None:
        """`slots`: a semaphore shared with other clients of the same server (then
        `concurrency` is not used), so their requests in flight share one bound."""
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.url = self.base_url + "/chat/completions"
        self.model_id = model
        self.api_key = api_key
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.retry = retry or RetryPolicy()
        self.concurrency = concurrency
        self._slots = slots if slots is not None else asyncio.Semaphore(concurrency)

    def _body(self, request: ChatRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model_id,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
        }
        if request.response_format is not None:
            body["response_format"] = request.response_format
        return body

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    async def list_models(self, *, timeout: float = 5.0) -> ServerCheck:
        """One GET of `/models`: is the server there, does it take the key, what does it
        serve. Never raises for the server's faults: they are in the answer."""
        try:
            async with self.session.get(
                self.base_url + "/models",
                headers=self._headers(),
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as resp:
                if resp.status >= 400:
                    return ServerCheck(status=resp.status)
                payload = await resp.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            return ServerCheck(error=type(exc).__name__)
        data = payload.get("data") if isinstance(payload, dict) else None
        entries = [m for m in data or [] if isinstance(m, dict) and isinstance(m.get("id"), str)]
        contexts = {m["id"]: n for m in entries if (n := _context(m)) is not None}
        return ServerCheck(
            status=resp.status, models=frozenset(m["id"] for m in entries), contexts=contexts
        )

    async def chat(self, request: ChatRequest) -> ChatResponse:
        body = self._body(request)
        headers = self._headers()
        attempt = 0
        while True:
            try:
                return await self._attempt(body, headers, request)
            except _Retryable as exc:
                if attempt >= self.retry.max_retries:
                    raise LLMError(
                        f"The model server at {self.url} failed ({exc.reason}) after "
                        f"{attempt + 1} attempts."
                    ) from None
                wait = exc.wait if exc.wait is not None else self.retry.backoff(attempt)
                log.info("LLM call failed (%s); retrying in %.2fs", exc.reason, wait)
                attempt += 1
                await self.retry.sleep(wait)

    async def _attempt(
        self, body: dict[str, Any], headers: dict[str, str], request: ChatRequest
    ) -> ChatResponse:
        async with self._slots:
            try:
                async with self.session.post(
                    self.url, json=body, headers=headers, timeout=self.timeout
                ) as resp:
                    status = resp.status
                    retry_after = resp.headers.get("Retry-After")
                    text = await resp.text()
            except TimeoutError:
                raise _Retryable("timed out") from None
            except aiohttp.ClientConnectionError as exc:
                raise _Retryable(f"connection error: {exc}") from None
        lowered = text.lower()
        if status in (400, 413) and any(w in lowered for w in _CONTEXT_WORDS):
            raise ContextFull(
                f"The model server says the request does not fit its context window "
                f"({text[:200]}); LLM_CONTEXT_TOKENS may be larger than the server's window."
            )
        if (
            status in (400, 422, 500)
            and request.response_format is not None
            and any(w in lowered for w in _FORMAT_WORDS)
        ):  # llama-cpp-python answers json_schema with a 500 naming it: a refusal, not a fault
            raise ResponseFormatUnsupported(
                f"The model server does not accept response_format "
                f"{request.response_format.get('type')!r} (HTTP {status})."
            )
        if status in RETRY_STATUSES:
            wait = None
            if status in (429, 503):
                after = parse_retry_after(retry_after)
                if after is not None:
                    wait = min(after, self.retry.max_retry_after)
            raise _Retryable(f"HTTP {status}", wait)
        if status in (401, 403):
            raise LLMError(
                f"The model server refused the request (HTTP {status}); check LLM_API_KEY."
            )
        if status == 404:
            raise LLMError(
                f"The model server answered 404 for {self.url}; check LLM_BASE_URL (it usually "
                f"ends in /v1) and LLM_MODEL ({self.model_id!r})."
            )
        if status >= 400:
            raise LLMError(f"The model server answered HTTP {status}: {text[:200]}")
        return _parse(text, self.url)


def _parse(text: str, url: str) -> ChatResponse:
    try:
        payload = json.loads(text)
        content = payload["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMError(
            f"The model server at {url} sent an answer that is not a chat completion."
        ) from None
    if not isinstance(content, str):
        raise LLMError("The model server sent an empty answer.")
    finish = payload["choices"][0].get("finish_reason")
    usage = payload.get("usage") if isinstance(payload, dict) else None
    usage = usage if isinstance(usage, dict) else {}
    return ChatResponse(
        text=content,
        prompt_tokens=usage.get("prompt_tokens"),
        completion_tokens=usage.get("completion_tokens"),
        finish_reason=finish if isinstance(finish, str) else None,
        raw=payload,
    )
