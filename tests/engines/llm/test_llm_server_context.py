"""The LLM engine plans with the model server's context window when its model listing gives a
smaller one than LLM_CONTEXT_TOKENS (learnt once, on the first analysis), against the local
fake server. The server here refuses, as vLLM does, any request whose prompt (as the engine
counts it) and max_tokens exceed the window it lists."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from bot.core.model import Report
from bot.core.thread import build_thread
from bot.engines.llm import LLMEngine
from bot.llm.client import OpenAICompatibleClient, RetryPolicy
from bot.llm.tokens import FRAMING, MARGIN
from tests.engines.llm.test_llm_budgets import discussion, request_prompt
from tests.llm.fake_server import FakeLLMServer, Reply, plain_responder

SERVED = 4096
WARNING = (
    "The model server allows m only 4,096 tokens of context: LLM_CONTEXT_TOKENS (8,192) is "
    "lowered to that."
)


class Window:
    """A responder that refuses requests larger than `window`, as vLLM does (HTTP 400)."""

    def __init__(self, window: int) -> None:
        self.window = window
        self.refused = 0

    def __call__(self, body: dict[str, Any]) -> str | Reply:
        if request_prompt(body) + body["max_tokens"] > self.window:
            self.refused += 1
            text = f"This model's maximum context length is {self.window} tokens."
            return Reply(status=400, body=json.dumps({"error": {"message": text}}))
        return plain_responder(body)


async def analyses(
    srv: FakeLLMServer, count: int = 1, *, context: int = 8192, comments: int = 200
) -> tuple[LLMEngine, list[Report]]:
    """`count` analyses started at once by one engine."""
    async with aiohttp.ClientSession() as s:
        client = OpenAICompatibleClient(
            s, base_url=srv.base_url, model="m", concurrency=8, retry=RetryPolicy(max_retries=0)
        )
        eng = LLMEngine(client, context_tokens=context)
        thread = build_thread(discussion(comments))
        reports = await asyncio.gather(*(eng.analyze(thread) for _ in range(count)))
    return eng, list(reports)


@pytest.mark.asyncio
async def test_a_smaller_window_on_the_server_is_learnt_once_and_every_request_fits() -> None:
    window = Window(SERVED)
    models = [{"id": "m", "max_model_len": SERVED}, {"id": "other", "max_model_len": 99}]
    async with FakeLLMServer(responder=window, models=models) as srv:
        eng, reports = await analyses(srv, 2)
    assert srv.model_lists == 1, "one GET /v1/models for two analyses started at once"
    assert (eng.context, eng.configured) == (SERVED, 8192)
    assert [r.engine for r in reports] == ["llm:m", "llm:m"]
    assert sorted(WARNING in r.warnings for r in reports) == [False, True]
    assert not any("failed" in w for r in reports for w in r.warnings)
    assert len(srv.requests) >= 6  # each analysis: at least two map calls and the reduce
    assert window.refused == 0
    for body in srv.requests:
        prompt = request_prompt(body)
        assert prompt + body["max_tokens"] <= SERVED
        assert MARGIN * (prompt + FRAMING) + body["max_tokens"] <= SERVED


@pytest.mark.asyncio
async def test_without_the_listing_the_same_server_refuses_requests() -> None:
    """The check above can fail: planned with 8,192, requests exceed the 4,096 window."""
    window = Window(SERVED)
    async with FakeLLMServer(responder=window, models=[{"id": "m"}]) as srv:
        eng, _ = await analyses(srv)
    assert eng.context == 8192
    assert window.refused > 0


def sent(srv: FakeLLMServer) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in srv.requests)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("models", "status"),
    [
        ([{"id": "m"}], 200),  # lists the model, no window (OpenAI, Ollama)
        ([{"id": "other", "max_model_len": SERVED}], 200),  # a window for another model
        ([{"id": "m", "context_length": 32768}], 200),  # a larger window: min() keeps 8,192
        ([{"id": "m", "max_model_len": SERVED}], 500),  # listing fails
        ([{"id": "m", "max_model_len": SERVED}], 401),  # listing refused
    ],
)
async def test_no_smaller_window_listed_changes_nothing(
    models: list[dict[str, Any]], status: int
) -> None:
    async with FakeLLMServer() as base:  # no /v1/models route at all (404)
        _, [expected] = await analyses(base, comments=80)
    async with FakeLLMServer(models=models, models_status=status) as srv:
        eng, [report] = await analyses(srv, comments=80)
    assert srv.model_lists == 1
    assert eng.context == 8192
    assert report.warnings == expected.warnings
    assert not any("context" in w for w in report.warnings)
    assert sent(srv) == sent(base)


@pytest.mark.asyncio
async def test_an_unreachable_listing_changes_nothing_and_is_not_retried() -> None:
    async with FakeLLMServer() as srv, aiohttp.ClientSession() as s:
        client = OpenAICompatibleClient(s, base_url=srv.base_url, model="m")
        listed: list[int] = []

        async def unreachable(*, timeout: float = 5.0) -> Any:
            listed.append(1)
            return await OpenAICompatibleClient(
                s, base_url="http://127.0.0.1:9/v1", model="m"
            ).list_models(timeout=timeout)

        client.list_models = unreachable  # type: ignore[method-assign]
        eng = LLMEngine(client, context_tokens=8192)
        thread = build_thread(discussion(40))
        first = await eng.analyze(thread)
        second = await eng.analyze(thread)
    assert listed == [1]
    assert eng.context == 8192
    assert first.engine == second.engine == "llm:m"
    assert not any("context" in w for w in first.warnings + second.warnings)


@pytest.mark.asyncio
async def test_a_window_too_small_for_the_engine_is_named_and_kept() -> None:
    models = [{"id": "m", "max_model_len": 1024}]
    async with FakeLLMServer(models=models) as srv:
        eng, [report] = await analyses(srv, comments=40)
    assert eng.context == 8192
    assert any(
        w.startswith("The model server allows m only 1,024 tokens of context, too few")
        for w in report.warnings
    )
