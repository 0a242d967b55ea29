"""Choosing an engine: the one place where "auto", "llm" and "offline" and a model are resolved,
and where engines are built. The caller owns the aiohttp session."""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass
from typing import Literal

import aiohttp

from bot.config import Settings
from bot.core.errors import ConfigError
from bot.engines.base import Engine
from bot.llm.client import OpenAICompatibleClient

EngineName = Literal["auto", "offline", "llm"]
ENGINE_NAMES: tuple[EngineName, ...] = ("auto", "offline", "llm")


@dataclass(frozen=True, slots=True)
class EngineChoice:
    """What an engine setting resolves to. Settings spelt differently ("auto" and "llm", the
    model named or left to LLM_MODEL) that mean the same engine give equal choices."""

    kind: Literal["offline", "llm"]
    base_url: str | None = None
    model: str | None = None


OFFLINE = EngineChoice("offline")


def resolve_engine(name: str, settings: Settings, model: str | None = None) -> EngineChoice:
    """`auto` is the LLM engine when LLM_BASE_URL and a model (`model`, else LLM_MODEL) are
    set, else offline; `llm` without them is a ConfigError naming what is missing."""
    if name not in ENGINE_NAMES:
        raise ConfigError(f"Unknown engine {name!r}: choose auto, offline or llm.")
    model = model or settings.llm_model
    if name == "offline" or (name == "auto" and not (settings.llm_base_url and model)):
        return OFFLINE
    named = (("LLM_BASE_URL", settings.llm_base_url), ("LLM_MODEL", model))
    missing = [var for var, value in named if not value]
    if missing:
        raise ConfigError(
            f"The LLM engine needs {' and '.join(missing)}: set LLM_BASE_URL to an "
            "OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama) and LLM_MODEL "
            "to a model it serves, or choose the offline engine."
        )
    return EngineChoice("llm", (settings.llm_base_url or "").rstrip("/"), model)


def build_engine(
    choice: EngineChoice,
    settings: Settings,
    session: aiohttp.ClientSession | None = None,
    *,
    slots: asyncio.Semaphore | None = None,
) -> Engine:
    """A new engine for `choice`. `slots` bounds the LLM requests in flight (default: a new
    semaphore of LLM_CONCURRENCY slots); ConfigError if LLM_CONTEXT_TOKENS is too small."""
    if choice.kind == "offline":
        from bot.engines.offline import OfflineEngine

        return OfflineEngine()
    if session is None:
        raise ValueError("an LLM engine needs the caller's aiohttp session")
    from bot.engines.llm import LLMEngine

    client = OpenAICompatibleClient(
        session,
        base_url=choice.base_url or "",
        model=choice.model or "",
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout_seconds,
        concurrency=settings.llm_concurrency,
        slots=slots,
    )
    return LLMEngine(
        client,
        context_tokens=settings.llm_context_tokens,
        language=settings.language,
        deadline=settings.llm_deadline_seconds,
    )


def make_engine(
    name: str, settings: Settings, session: aiohttp.ClientSession | None = None
) -> Engine:
    """The engine `name` resolves to, built anew (one run: the CLI)."""
    return build_engine(resolve_engine(name, settings), settings, session)


class Engines:
    """The engines of a long-lived process (the bot), built once per resolved choice: engines
    keep no per-run state, and what one learnt about its server is kept. One semaphore per
    model server, however the settings name it, keeps LLM_CONCURRENCY a bound on the requests
    in flight to that server from the whole process."""

    def __init__(self, settings: Settings, session: aiohttp.ClientSession) -> None:
        self.settings = settings
        self.session = session
        self._engines: dict[EngineChoice, Engine] = {}
        self._slots: dict[str, asyncio.Semaphore] = {}

    def get(self, name: str, model: str | None = None) -> Engine:
        """The engine for an engine setting and a model (None = LLM_MODEL)."""
        choice = resolve_engine(name, self.settings, model)
        engine = self._engines.get(choice)
        if engine is None:
            slots = None
            if choice.base_url is not None:
                slots = self._slots.setdefault(
                    choice.base_url, asyncio.Semaphore(self.settings.llm_concurrency)
                )
            engine = build_engine(choice, self.settings, self.session, slots=slots)
            self._engines[choice] = engine
        return engine


def preload() -> None:
    """Import both engines (scikit-learn and the rest), for a process that must not pay for
    it inside its first request."""
    for name in ("bot.engines.offline", "bot.engines.llm", "bot.engines.answer"):
        importlib.import_module(name)
