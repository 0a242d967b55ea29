"""Structured output: schema mode negotiation, JSON extraction, validation, one repair."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

import aiohttp
import pytest

from bot.llm import structured
from bot.llm.client import OpenAICompatibleClient, RetryPolicy
from bot.llm.provider import AnswerTruncated, ChatRequest, ContextFull, InvalidAnswer, Message
from bot.llm.structured import (
    FORMAT_GRACE,
    UNENFORCED_LIMIT,
    StructuredChat,
    extract_json,
    prompt_tokens,
)
from bot.llm.tokens import answer_room
from tests.llm.fake_server import LLAMA_CPP_PYTHON_REFUSAL, FakeLLMServer, Reply

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["n"],
    "properties": {"n": {"type": "integer"}},
}
ASK = [Message("system", "Count."), Message("user", "How many? Reply in JSON.")]


def chat(session: aiohttp.ClientSession, url: str) -> StructuredChat:
    return StructuredChat(
        OpenAICompatibleClient(session, base_url=url, model="m", retry=RetryPolicy(max_retries=0))
    )


@pytest.mark.asyncio
async def test_json_schema_mode_sends_the_schema() -> None:
    async with FakeLLMServer(script=[Reply('{"n": 3}')]) as srv, aiohttp.ClientSession() as s:
        value = await chat(s, srv.base_url).ask(ASK, name="count", schema=SCHEMA, max_tokens=20)
    assert value == {"n": 3}
    fmt = srv.requests[0]["response_format"]
    assert fmt == {
        "type": "json_schema",
        "json_schema": {"name": "count", "schema": SCHEMA, "strict": True},
    }
    assert srv.requests[0]["max_tokens"] == 20


@pytest.fixture
def refusals_in_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counts of refused requests hold when a refusal comes back within FORMAT_GRACE; on a
    loaded machine the local round trip alone can take longer than 0.1 s, so these tests give
    it all the time it needs (a late refusal has its own test below)."""
    monkeypatch.setattr(structured, "FORMAT_GRACE", 10.0)


def kind(body: dict[str, Any]) -> str:
    fmt = body.get("response_format") or {"type": "text"}
    return fmt["type"] + ("+schema" if "schema" in fmt else "")


@pytest.mark.asyncio
async def test_falls_back_to_json_object_with_its_schema_and_remembers() -> None:
    # llama-cpp-python's dialect: {"type": "json_object", "schema": ...}, enforced by grammar.
    async with FakeLLMServer(json_schema=False) as srv, aiohttp.ClientSession() as s:
        srv.responder = lambda body: '{"n": 1}'
        c = chat(s, srv.base_url)
        assert await c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) == {"n": 1}
        assert await c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) == {"n": 1}
    assert [kind(r) for r in srv.requests] == ["json_schema", *["json_object+schema"] * 2]
    assert srv.requests[1]["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert srv.requests[1]["messages"] == srv.requests[0]["messages"]  # no schema in the prompt
    assert c.mode == "json_object+schema"


@pytest.mark.asyncio
@pytest.mark.usefixtures("refusals_in_time")
async def test_llama_cpp_pythons_500_costs_one_request_and_is_not_retried() -> None:
    # The answer the real server gave (recorded): HTTP 500, not 400, naming response_format.
    def llama_cpp_python(body: dict[str, Any]) -> Reply | str:
        if kind(body) == "json_schema":
            return Reply(status=500, body=LLAMA_CPP_PYTHON_REFUSAL)
        return '{"n": 4}'

    async def no_wait(_seconds: float) -> None:
        return None

    server = FakeLLMServer(responder=llama_cpp_python)
    async with server as srv, aiohttp.ClientSession() as s:
        retries = RetryPolicy(max_retries=3, sleep=no_wait)  # a 500 is otherwise retried
        client = OpenAICompatibleClient(s, base_url=srv.base_url, model="m", retry=retries)
        c = StructuredChat(client)
        answers = await asyncio.gather(
            *(c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) for _ in range(8))
        )
    assert answers == [{"n": 4}] * 8
    assert formats(srv) == {"json_schema": 1, "json_object+schema": 8}


@pytest.mark.asyncio
async def test_falls_back_to_json_object_with_the_schema_in_the_prompt() -> None:
    def no_schema_field(body: dict[str, Any]) -> Reply | str:
        if "schema" in (body.get("response_format") or {}):
            return Reply(status=400, body='{"error": "response_format: unknown field schema"}')
        return '{"n": 1}'

    server = FakeLLMServer(json_schema=False, responder=no_schema_field)
    async with server as srv, aiohttp.ClientSession() as s:
        c = chat(s, srv.base_url)
        assert await c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) == {"n": 1}
    assert [kind(r) for r in srv.requests] == ["json_schema", "json_object+schema", "json_object"]
    # Without server-side schemas, the schema travels in the prompt.
    assert json.dumps(SCHEMA, separators=(",", ":")) in srv.requests[2]["messages"][-1]["content"]
    assert c.mode == "json_object"


@pytest.mark.asyncio
async def test_a_server_that_ignores_the_schema_is_found_out() -> None:
    # It accepts json_schema and json_object's schema but enforces neither (an older Ollama):
    # the repairs carry the schema in the prompt, and after UNENFORCED_LIMIT invalid answers in
    # a mode the mode steps down, until the schema is in every prompt.
    def ignores(body: dict[str, Any]) -> str:
        if "That answer is invalid" in body["messages"][-1]["content"]:
            return '{"n": 2}'
        return '{"n": 2}' if "JSON Schema" in body["messages"][-1]["content"] else '{"count": 2}'

    async with FakeLLMServer(responder=ignores) as srv, aiohttp.ClientSession() as s:
        c = chat(s, srv.base_url)
        for _ in range(2 * UNENFORCED_LIMIT + 1):
            assert await c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) == {"n": 2}
    repair = srv.requests[1]["messages"][-1]["content"]
    assert json.dumps(SCHEMA, separators=(",", ":")) in repair
    assert c.mode == "json_object"
    assert [kind(r) for r in srv.requests[::2]] == [
        *["json_schema"] * UNENFORCED_LIMIT,
        *["json_object+schema"] * UNENFORCED_LIMIT,
        "json_object",
    ]
    assert len(srv.requests) == 4 * UNENFORCED_LIMIT + 1  # the last call needed no repair


def formats(srv: FakeLLMServer) -> Counter[str]:
    return Counter(kind(r) for r in srv.requests)


@pytest.mark.asyncio
@pytest.mark.parametrize("n", [8, 32])
@pytest.mark.usefixtures("refusals_in_time")
async def test_concurrent_calls_step_down_once_per_refused_format(n: int) -> None:
    # Issue 16: every refused call used to step the mode down once more (8 calls: 2 answered,
    # 6 failed, the mode ended at text).
    async with FakeLLMServer(json_schema=False) as srv, aiohttp.ClientSession() as s:
        srv.responder = lambda body: '{"n": 1}'
        c = chat(s, srv.base_url)
        answers = await asyncio.gather(
            *(c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) for _ in range(n))
        )
    assert answers == [{"n": 1}] * n
    assert formats(srv) == {"json_schema": 1, "json_object+schema": n}
    assert c.mode == "json_object+schema"


@pytest.mark.asyncio
@pytest.mark.usefixtures("refusals_in_time")
async def test_concurrent_calls_step_down_to_text_once_per_format() -> None:
    def no_json_object(body: dict[str, Any]) -> Reply | str:
        if (body.get("response_format") or {}).get("type") == "json_object":
            return Reply(status=400, body='{"error": "response_format json_object unsupported"}')
        return 'Here: {"n": 2}'

    server = FakeLLMServer(json_schema=False, responder=no_json_object)
    async with server as srv, aiohttp.ClientSession() as s:
        c = chat(s, srv.base_url)
        answers = await asyncio.gather(
            *(c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) for _ in range(16))
        )
    assert answers == [{"n": 2}] * 16
    assert formats(srv) == {"json_schema": 1, "json_object+schema": 1, "json_object": 1, "text": 16}
    assert c.mode == "text"


@pytest.mark.asyncio
async def test_a_late_refusal_steps_down_once_and_every_call_is_answered() -> None:
    # A refusal slower than FORMAT_GRACE: the waiting calls went out in json_schema too and are
    # refused as well; the mode still steps down once and each refused call is sent again.
    def slow_refusal(body: dict[str, Any]) -> Reply | str:
        if (body.get("response_format") or {}).get("type") == "json_schema":
            return Reply(
                status=400, body='{"error": "unknown response_format"}', delay=FORMAT_GRACE * 2
            )
        return '{"n": 3}'

    async with FakeLLMServer(responder=slow_refusal) as srv, aiohttp.ClientSession() as s:
        c = chat(s, srv.base_url)
        answers = await asyncio.gather(
            *(c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) for _ in range(8))
        )
    assert answers == [{"n": 3}] * 8
    assert formats(srv)["json_object+schema"] == 8
    assert 1 < formats(srv)["json_schema"] <= 8
    assert c.mode == "json_object+schema"


@pytest.mark.asyncio
async def test_falls_back_to_text_and_extracts_fenced_json() -> None:
    script = [
        Reply(status=400, body='{"error": "unknown field response_format"}'),
        Reply(status=422, body='{"detail": "response_format: schema not permitted"}'),
        Reply(status=400, body='{"error": "response_format json_object unsupported"}'),
        Reply('Sure! Here it is:\n```json\n{"n": 5}\n```'),
    ]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        c = chat(s, srv.base_url)
        assert await c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) == {"n": 5}
    assert "response_format" not in srv.requests[3]
    assert c.mode == "text"


@pytest.mark.asyncio
async def test_one_repair_with_the_error_sent_back() -> None:
    script = [Reply('{"n": "three"}'), Reply('{"n": 3}')]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        c = chat(s, srv.base_url)
        assert await c.ask(ASK, name="count", schema=SCHEMA, max_tokens=20) == {"n": 3}
    repair = srv.requests[1]["messages"]
    assert repair[-2] == {"role": "assistant", "content": '{"n": "three"}'}
    assert (
        "invalid" in repair[-1]["content"] and "is not of type 'integer'" in repair[-1]["content"]
    )
    assert c.usage.calls == 2


@pytest.mark.asyncio
async def test_invalid_twice_raises() -> None:
    script = [Reply("not json at all"), Reply('{"n": 1, "extra": true}')]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        with pytest.raises(InvalidAnswer, match="invalid twice"):
            await chat(s, srv.base_url).ask(ASK, name="count", schema=SCHEMA, max_tokens=20)
    assert len(srv.requests) == 2


def test_extract_json_variants() -> None:
    assert extract_json('{"a": 1}') == {"a": 1}
    assert extract_json('text before {"a": {"b": 2}} and after') == {"a": {"b": 2}}
    assert extract_json('```\n{"a": 1}\n```') == {"a": 1}
    with pytest.raises(ValueError):
        extract_json("no json here")


@pytest.mark.asyncio
async def test_an_answer_cut_at_max_tokens_is_not_repaired() -> None:
    script = [Reply('{"n": ', finish_reason="length")]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        with pytest.raises(AnswerTruncated, match="did not fit in 20 tokens"):
            await chat(s, srv.base_url).ask(ASK, name="count", schema=SCHEMA, max_tokens=20)
    assert len(srv.requests) == 1


@pytest.mark.asyncio
async def test_max_tokens_is_cut_to_what_the_context_leaves() -> None:
    script = [Reply('{"n": 1}')]
    async with FakeLLMServer(script=script) as srv, aiohttp.ClientSession() as s:
        client = OpenAICompatibleClient(s, base_url=srv.base_url, model="m")
        c = StructuredChat(client, context_tokens=600)
        assert await c.ask(ASK, name="count", schema=SCHEMA, max_tokens=5000) == {"n": 1}
        sent = srv.requests[0]
        request = ChatRequest(
            messages=tuple(Message(m["role"], m["content"]) for m in sent["messages"]),
            response_format=sent["response_format"],
        )
        assert sent["max_tokens"] == answer_room(600, prompt_tokens(request)) < 600
        with pytest.raises(ContextFull, match="600-token context"):
            await c.ask(
                [Message("user", "word " * 520)], name="count", schema=SCHEMA, max_tokens=100
            )
    assert len(srv.requests) == 1  # the prompt that leaves no room was never sent
