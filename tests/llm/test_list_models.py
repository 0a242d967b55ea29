"""`list_models`: the server check behind `/crosstalk status`, against a local server."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web

from bot.llm.client import OpenAICompatibleClient


async def _serve(handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_get("/v1/models", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/v1"


@pytest.mark.asyncio
async def test_list_models_reports_models_refusals_and_absence() -> None:
    seen: list[str | None] = []

    async def models(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization"))
        if request.headers.get("Authorization") != "Bearer right":
            return web.json_response({"error": "bad key"}, status=401)
        return web.json_response({"data": [{"id": "m1"}, {"id": "m2"}, {"x": 1}]})

    runner, base = await _serve(models)
    try:
        async with aiohttp.ClientSession() as session:
            good = OpenAICompatibleClient(session, base_url=base, model="m1", api_key="right")
            bad = OpenAICompatibleClient(session, base_url=base, model="m1", api_key="wrong")
            ok, refused = await good.list_models(), await bad.list_models()
            await runner.cleanup()
            gone = await good.list_models(timeout=2)
    finally:
        await runner.cleanup()
    assert (ok.status, ok.models, ok.error) == (200, frozenset({"m1", "m2"}), None)
    assert (refused.status, refused.models) == (401, frozenset())
    assert gone.status is None and gone.error is not None
    assert seen == ["Bearer right", "Bearer wrong"]


@pytest.mark.asyncio
async def test_list_models_reads_the_context_window_a_server_gives() -> None:
    listed = [
        {"id": "vllm-model", "max_model_len": 4096},  # vLLM
        {"id": "router-model", "context_length": 131072},  # OpenRouter
        {"id": "groq-model", "context_window": 32768},  # Groq
        {"id": "plain-model"},  # OpenAI, Ollama: no window given
        {"id": "odd-model", "max_model_len": "big", "context_length": True},
        {"id": "zero-model", "context_window": 0},
    ]

    async def models(request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": listed})

    runner, base = await _serve(models)
    try:
        async with aiohttp.ClientSession() as session:
            check = await OpenAICompatibleClient(session, base_url=base, model="x").list_models()
    finally:
        await runner.cleanup()
    assert check.models == frozenset(m["id"] for m in listed)
    assert check.contexts == {"vllm-model": 4096, "router-model": 131072, "groq-model": 32768}
