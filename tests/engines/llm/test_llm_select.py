"""Choosing the engine; the CLI's --engine llm without settings."""

from __future__ import annotations

import aiohttp
import pytest

from bot.cli import main
from bot.config import Settings
from bot.core.errors import ConfigError
from bot.engines.llm import LLMEngine
from bot.engines.offline import OfflineEngine
from bot.engines.select import make_engine

CONFIGURED = Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="llama3.2")


@pytest.mark.asyncio
async def test_auto_is_llm_only_when_configured() -> None:
    async with aiohttp.ClientSession() as s:
        assert isinstance(make_engine("auto", Settings(), s), OfflineEngine)
        engine = make_engine("auto", CONFIGURED, s)
        assert isinstance(engine, LLMEngine) and engine.name == "llm:llama3.2"
        assert isinstance(make_engine("offline", CONFIGURED, s), OfflineEngine)


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
