"""Settings, typed and loaded once. Explicit arguments beat the environment; the environment
(and a `.env` file, read at start-up) beats the defaults. `config/defaults.toml` documents the
same defaults; a test keeps the two in step."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.errors import ConfigError

# The defaults of the settings other modules also fall back on (the rest are written once, in
# `Settings` below). config/defaults.toml documents them; a test keeps it in step.
LLM_CONTEXT_TOKENS = 8192
LLM_CONCURRENCY = 4
LLM_TIMEOUT_SECONDS = 120.0
LLM_DEADLINE_SECONDS = 600.0
MAX_INPUT_BYTES = 5_000_000
MAX_COMMENTS = 20_000


def default_db_path() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "crosstalk" / "crosstalk.db")


@dataclass(frozen=True, slots=True)
class Settings:
    discord_token: str | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_context_tokens: int = LLM_CONTEXT_TOKENS
    llm_concurrency: int = LLM_CONCURRENCY
    llm_timeout_seconds: float = LLM_TIMEOUT_SECONDS
    llm_deadline_seconds: float = LLM_DEADLINE_SECONDS
    db_path: str = field(default_factory=default_db_path)
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    fetch_allow: tuple[str, ...] = ()
    max_input_bytes: int = MAX_INPUT_BYTES
    max_comments: int = MAX_COMMENTS
    language: str | None = None

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}.")
    return value


def env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}.")
    return value


def _str(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def environment(*, dotenv: bool = True) -> dict[str, str]:
    """The process environment over a `.env` file found from the working directory up. The
    process environment itself is not modified (so nothing leaks into child processes)."""
    merged: dict[str, str] = {}
    if dotenv:
        from dotenv import dotenv_values, find_dotenv

        path = find_dotenv(usecwd=True)
        if path:
            merged.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    merged.update(os.environ)
    return merged


def load_settings(env: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read settings from `env` (default: `environment()`)."""
    if env is None:
        env = environment(dotenv=dotenv)
    allow = tuple(
        h.strip().lower() for h in env.get("CROSSTALK_FETCH_ALLOW", "").split(",") if h.strip()
    )
    return Settings(
        discord_token=_str(env, "DISCORD_TOKEN"),
        llm_base_url=_str(env, "LLM_BASE_URL"),
        llm_model=_str(env, "LLM_MODEL"),
        llm_api_key=_str(env, "LLM_API_KEY"),
        llm_context_tokens=env_int(env, "LLM_CONTEXT_TOKENS", LLM_CONTEXT_TOKENS),
        llm_concurrency=env_int(env, "LLM_CONCURRENCY", LLM_CONCURRENCY),
        llm_timeout_seconds=env_float(env, "LLM_TIMEOUT_SECONDS", LLM_TIMEOUT_SECONDS),
        llm_deadline_seconds=env_float(env, "LLM_DEADLINE_SECONDS", LLM_DEADLINE_SECONDS),
        db_path=_str(env, "CROSSTALK_DB") or default_db_path(),
        discord_api_base=_str(env, "DISCORD_API_BASE"),
        discord_gateway_url=_str(env, "DISCORD_GATEWAY_URL"),
        fetch_allow=allow,
        max_input_bytes=env_int(env, "CROSSTALK_MAX_INPUT_BYTES", MAX_INPUT_BYTES),
        max_comments=env_int(env, "CROSSTALK_MAX_COMMENTS", MAX_COMMENTS),
        language=_str(env, "CROSSTALK_LANGUAGE"),
    )
