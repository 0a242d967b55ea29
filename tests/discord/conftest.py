"""Fixtures for the Discord tests: a fake Discord on an ephemeral port, and bots started
against it (several in turn share one database, to play a restart)."""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    # discord.py imports the stdlib `audioop` (voice support), deprecated since Python 3.11;
    # not our code and not something we use, so it must not fail the suite.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord
import pytest
import pytest_asyncio
from aiohttp import web
from fake_discord import FakeDiscord

from bot.config import Settings
from bot.discord.bot import CrosstalkBot, make_bot
from bot.discord.options import BotOptions
from bot.work.pool import AnalysisPool

HERE = Path(__file__).parent

StartBot = Callable[..., Awaitable[CrosstalkBot]]
StopBot = Callable[[CrosstalkBot], Awaitable[None]]


@pytest.fixture
def debate_text() -> str:
    return (HERE / "debate.txt").read_text(encoding="utf-8")


@dataclass
class Site:
    """A local website serving a Reddit thread as JSON; `seen` lists the paths requested."""

    url: str
    seen: list[str]


@pytest_asyncio.fixture
async def reddit_site() -> AsyncIterator[Site]:
    payload = (HERE.parent / "fixtures" / "links" / "reddit_python_2xmo63.json").read_bytes()
    seen: list[str] = []

    async def thread_json(request: web.Request) -> web.Response:
        seen.append(request.path)
        return web.Response(body=payload, content_type="application/json")

    app = web.Application()
    app.router.add_get("/thread.json", thread_json)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        yield Site(f"http://{host}:{port}/thread.json", seen)
    finally:
        await runner.cleanup()


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def bot_settings(fake: FakeDiscord, tmp_path: Path) -> Settings:
    return Settings(
        discord_token="fake-token.for-tests",
        discord_api_base=fake.api_base,
        discord_gateway_url=fake.ws_url,
        db_path=str(tmp_path / "db" / "crosstalk.db"),
        fetch_allow=("127.0.0.1",),
    )


@pytest.fixture
def restore_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bot points discord.py's class-level endpoints at the fake; put them back afterwards."""
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket,
        "DEFAULT_GATEWAY",
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
    )


@pytest_asyncio.fixture
async def bots(
    fake: FakeDiscord, bot_settings: Settings, restore_endpoints: None, analysis_pool: AnalysisPool
) -> AsyncIterator[tuple[StartBot, StopBot]]:
    running: dict[int, tuple[CrosstalkBot, asyncio.Task[None]]] = {}

    async def start(settings: Settings | None = None, **options: Any) -> CrosstalkBot:
        opts = {"guild_ready_timeout": 0.05, "progress_delay": 5.0, **options}
        bot = make_bot(settings or bot_settings, BotOptions(**opts), pool=analysis_pool)
        task = asyncio.create_task(bot.start("fake-token.for-tests"))
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({task, ready}, timeout=15, return_when="FIRST_COMPLETED")
        if ready not in done:
            ready.cancel()
            if task.done():
                task.result()  # raises what stopped the bot
            raise AssertionError("the bot did not become ready")
        running[id(bot)] = (bot, task)
        return bot

    async def stop(bot: CrosstalkBot) -> None:
        _, task = running.pop(id(bot))
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)

    try:
        yield start, stop
    finally:
        for bot, task in list(running.values()):
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 10)
