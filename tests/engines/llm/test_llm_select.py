"""Choosing the engine; the CLI's --engine llm without settings."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest

from bot.cli import main
from bot.config import Settings, load_settings
from bot.core.errors import ConfigError
from bot.engines.llm import LLMEngine
from bot.engines.offline import OfflineEngine
from bot.engines.select import EngineChoice, Engines, make_engine, resolve_engine
from tests.llm.fake_server import FakeLLMServer

CONFIGURED = Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="llama3.2")


@pytest.mark.asyncio
async def test_auto_is_llm_only_when_configured() -> None:
    async with aiohttp.ClientSession() as s:
        assert isinstance(make_engine("auto", Settings(), s), OfflineEngine)
        engine = make_engine("auto", CONFIGURED, s)
        assert isinstance(engine, LLMEngine) and engine.name == "llm:llama3.2"
        assert isinstance(make_engine("offline", CONFIGURED, s), OfflineEngine)


def test_one_choice_however_the_settings_spell_it() -> None:
    llm = EngineChoice("llm", "http://127.0.0.1:9/v1", "llama3.2")
    assert resolve_engine("auto", CONFIGURED) == llm
    assert resolve_engine("llm", CONFIGURED, "llama3.2") == llm
    slash = replace(CONFIGURED, llm_base_url="http://127.0.0.1:9/v1/")
    assert resolve_engine("llm", slash) == llm
    assert resolve_engine("llm", CONFIGURED, "other").model == "other"
    # a server's model with LLM_MODEL unset: "auto" uses it, as "llm" does
    url_only = Settings(llm_base_url="http://127.0.0.1:9/v1")
    assert resolve_engine("auto", url_only, "llama3.2") == llm
    assert resolve_engine("auto", url_only) == resolve_engine("offline", CONFIGURED, "x")
    with pytest.raises(ConfigError, match="Unknown engine 'gpt'"):
        resolve_engine("gpt", CONFIGURED)


@pytest.mark.asyncio
async def test_the_bots_engines_one_per_choice() -> None:
    async with aiohttp.ClientSession() as s:
        engines = Engines(CONFIGURED, s)
        llm = engines.get("auto")
        assert engines.get("llm", "llama3.2") is llm and isinstance(llm, LLMEngine)
        other = engines.get("llm", "other")
        assert other is not llm and other.name == "llm:other"
        assert engines.get("offline") is engines.get("offline", "other")
        with pytest.raises(ConfigError, match="LLM_BASE_URL"):
            Engines(Settings(), s).get("llm")


@pytest.mark.asyncio
async def test_the_engine_takes_the_deadline_from_the_settings() -> None:
    async with aiohttp.ClientSession() as s:
        engine = make_engine("llm", CONFIGURED, s)
        assert isinstance(engine, LLMEngine) and engine.deadline == 600.0
        settings = load_settings({"LLM_DEADLINE_SECONDS": "90"}, dotenv=False)
        engine = make_engine("llm", replace(CONFIGURED, llm_deadline_seconds=90.0), s)
        assert settings.llm_deadline_seconds == 90.0
        assert isinstance(engine, LLMEngine) and engine.deadline == 90.0


def test_llm_without_settings_names_the_variables() -> None:
    with pytest.raises(ConfigError, match="LLM_BASE_URL and LLM_MODEL"):
        make_engine("llm", Settings())
    with pytest.raises(ConfigError, match="needs LLM_MODEL"):
        make_engine("llm", Settings(llm_base_url="http://x/v1"))


def test_small_context_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="LLM_CONTEXT_TOKENS"):
        make_engine(
            "llm",
            Settings(llm_base_url="http://x/v1", llm_model="m", llm_context_tokens=1000),
            object(),
        )  # type: ignore[arg-type]


def test_cli_engine_llm_without_settings(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    paste = tmp_path / "t.txt"
    paste.write_text("Title\n\nann: agents are overpaid\nbob: no they are not\n")
    assert main(["analyze", str(paste), "--engine", "llm"]) == 2
    err = capsys.readouterr().err
    assert "LLM_BASE_URL" in err and "LLM_MODEL" in err and "Traceback" not in err


@pytest.fixture
def fake_server_in_thread() -> Iterator[FakeLLMServer]:
    """A fake server on its own loop, so the CLI's own asyncio.run can talk to it."""
    loop = asyncio.new_event_loop()
    server = FakeLLMServer()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.__aenter__())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(server.__aexit__(None, None, None))
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)
    yield server
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_cli_uses_the_llm_engine_when_configured(
    fake_server_in_thread: FakeLLMServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LLM_BASE_URL", fake_server_in_thread.base_url)
    monkeypatch.setenv("LLM_MODEL", "fake-cli")
    monkeypatch.setenv("LLM_API_KEY", "sk-cli")
    paste = tmp_path / "t.txt"
    paste.write_text(
        "Are agents worth it?\n\nAgents charge 2%.\n\n"
        "ann: Agents are overpaid for a few photos.\nbob: A good agent gets a better price.\n"
    )
    assert main(["analyze", str(paste), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["engine"] == "llm:fake-cli"
    assert out["sides"] and out["warnings"] == []
    assert {b["model"] for b in fake_server_in_thread.requests} == {"fake-cli"}
    assert fake_server_in_thread.headers[0]["Authorization"] == "Bearer sk-cli"
