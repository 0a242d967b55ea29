"""Choosing an engine from a name and the settings. The caller owns the aiohttp session."""

from __future__ import annotations

from typing import Literal

import aiohttp

from bot.config import Settings
from bot.core.errors import ConfigError
from bot.engines.base import Engine
from bot.llm.client import OpenAICompatibleClient

EngineName = Literal["auto", "offline", "llm"]


def make_engine(
    name: str, settings: Settings, session: aiohttp.ClientSession | None = None
) -> Engine:
    """`auto` is the LLM engine when LLM_BASE_URL and LLM_MODEL are set, else offline."""
    from bot.engines.offline import OfflineEngine

    if name not in ("auto", "offline", "llm"):
        raise ConfigError(f"Unknown engine {name!r}: choose auto, offline or llm.")
    if name == "offline" or (name == "auto" and not settings.llm_configured):
        return OfflineEngine()
    if not settings.llm_configured:
        missing = [
            var
            for var, value in (
                ("LLM_BASE_URL", settings.llm_base_url),
                ("LLM_MODEL", settings.llm_model),
            )
            if not value
        ]
        raise ConfigError(
            f"The LLM engine needs {' and '.join(missing)}: set LLM_BASE_URL to an "
            "OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama) and LLM_MODEL "
            "to a model it serves, or choose the offline engine."
        )
    if session is None:
        raise ValueError("make_engine('llm') needs the caller's aiohttp session")
    from bot.engines.llm import LLMEngine

    model = make_chat_model(settings, session)
    assert model is not None  # llm_configured was checked above
    return LLMEngine(model, context_tokens=settings.llm_context_tokens, language=settings.language)


def make_chat_model(
    settings: Settings, session: aiohttp.ClientSession
) -> OpenAICompatibleClient | None:
    """The configured model client, or None when LLM_BASE_URL / LLM_MODEL are unset. Also what
    `bot.engines.answer.answer_question(..., chat=...)` takes."""
    if not settings.llm_configured:
        return None
    return OpenAICompatibleClient(
        session,
        base_url=settings.llm_base_url or "",
        model=settings.llm_model or "",
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout_seconds,
        concurrency=settings.llm_concurrency,
    )
