"""The HTTP client against a local fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
import random

import aiohttp
import pytest

from bot.llm.client import OpenAICompatibleClient, RetryPolicy, parse_retry_after
from bot.llm.provider import ChatRequest, LLMError, Message, ResponseFormatUnsupported
from tests.llm.fake_server import FakeLLMServer, Reply

REQUEST = ChatRequest(messages=(Message("user", "hi"),), max_tokens=50)


class Sleeps:
    """Records the backoff the client asks for instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def client(
    session: aiohttp.ClientSession, url: str, sleeps: Sleeps | None = None, **kw: object
) -> OpenAICompatibleClient:
    policy = RetryPolicy(
        max_retries=kw.pop("max_retries", 3),  # type: ignore[arg-type]
        base_delay=0.5,
        sleep=sleeps or Sleeps(),
        rng=random.Random(1),
    )
    return OpenAICompatibleClient(session, base_url=url, model="m-1", retry=policy, **kw)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_sends_model_messages_format_and_key() -> None:
    async with FakeLLMServer(script=[Reply("hello")]) as srv, aiohttp.ClientSession() as s:
        c = client(s, srv.base_url, api_key="sk-test")
        fmt = {"type": "json_object"}
        answer = await c.chat(ChatRequest(messages=(Message("user", "hi"),), response_format=fmt))
    assert answer.text == "hello"
    body = srv.requests[0]
    assert body["model"] == "m-1"
    assert body["messages"] == [{"role": "user", "content": "hi"}]
    assert body["response_format"] == fmt
    assert body["temperature"] == 0.0
    assert srv.headers[0]["Authorization"] == "Bearer sk-test"


@pytest.mark.asyncio
async def test_no_authorization_header_without_key() -> None:
    async with FakeLLMServer(script=[Reply("ok")]) as srv, aiohttp.ClientSession() as s:
        await client(s, srv.base_url).chat(REQUEST)
    assert "Authorization" not in srv.headers[0]
    assert "response_format" not in srv.requests[0]


@pytest.mark.asyncio
async def test_429_honours_retry_after() -> None:
    sleeps = Sleeps()
    script = [Reply(status=429, headers={"Retry-After": "7"}), Reply("done")]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        answer = await client(s, srv.base_url, sleeps).chat(REQUEST)
    assert answer.text == "done"
    assert len(srv.requests) == 2
    assert sleeps.delays == [7.0]


@pytest.mark.asyncio
async def test_503_without_retry_after_and_500s_back_off_exponentially() -> None:
    sleeps = Sleeps()
    script = [Reply(status=503), Reply(status=500), Reply(status=502), Reply("ok")]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        answer = await client(s, srv.base_url, sleeps).chat(REQUEST)
    assert answer.text == "ok"
    assert len(sleeps.delays) == 3
    for attempt, delay in enumerate(sleeps.delays):  # jitter within [d/2, d], d = 0.5 * 2**n
        d = 0.5 * 2**attempt
        assert d / 2 <= delay <= d


@pytest.mark.asyncio
async def test_gives_up_after_bounded_retries() -> None:
    sleeps = Sleeps()
    script = [Reply(status=500)] * 10
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        with pytest.raises(LLMError, match="after 3 attempts"):
            await client(s, srv.base_url, sleeps, max_retries=2).chat(REQUEST)
    assert len(srv.requests) == 3


@pytest.mark.asyncio
async def test_timeout_is_retried() -> None:
    script = [Reply("late", delay=1.0), Reply("fast")]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        answer = await client(s, srv.base_url, timeout=0.2).chat(REQUEST)
    assert answer.text == "fast"
    assert len(srv.requests) == 2


@pytest.mark.asyncio
async def test_concurrency_limit_is_observed_by_the_server() -> None:
    async with FakeLLMServer(latency=0.05) as srv, aiohttp.ClientSession() as s:
        srv.responder = lambda body: "x"
        c = client(s, srv.base_url, concurrency=3)
        await asyncio.gather(*(c.chat(REQUEST) for _ in range(10)))
    assert len(srv.requests) == 10
    assert srv.max_in_flight == 3


@pytest.mark.asyncio
async def test_cancellation_releases_the_slot() -> None:
    script = [Reply("slow", delay=5.0), Reply("next")]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        c = client(s, srv.base_url, concurrency=1)
        task = asyncio.create_task(c.chat(REQUEST))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        answer = await asyncio.wait_for(c.chat(REQUEST), timeout=2)
    assert answer.text == "next"


@pytest.mark.asyncio
async def test_400_naming_response_format_is_reported_as_unsupported() -> None:
    async with FakeLLMServer(json_schema=False) as srv, aiohttp.ClientSession() as s:
        fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}}
        with pytest.raises(ResponseFormatUnsupported):
            await client(s, srv.base_url).chat(
                ChatRequest(messages=(Message("user", "hi"),), response_format=fmt)
            )


@pytest.mark.asyncio
async def test_auth_and_not_found_errors_name_the_setting() -> None:
    script = [Reply(status=401), Reply(status=404), Reply(body="<html>", status=200)]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        c = client(s, srv.base_url)
        with pytest.raises(LLMError, match="LLM_API_KEY"):
            await c.chat(REQUEST)
        with pytest.raises(LLMError, match="LLM_BASE_URL"):
            await c.chat(REQUEST)
        with pytest.raises(LLMError, match="not a chat completion"):
            await c.chat(REQUEST)


@pytest.mark.asyncio
async def test_connection_refused_is_an_llm_error() -> None:
    async with FakeLLMServer() as srv:
        url = srv.base_url
    async with aiohttp.ClientSession() as s:
        with pytest.raises(LLMError, match="connection error"):
            await client(s, url, max_retries=1).chat(REQUEST)


def test_parse_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_completion_body_shape() -> None:
    from tests.llm.fake_server import completion

    assert json.loads(json.dumps(completion("m", "x")))["choices"][0]["message"]["content"] == "x"
