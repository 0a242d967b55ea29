"""Shared fixtures. The environment is scrubbed so no developer setting leaks into a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.work.pool import AnalysisPool
from tests.servers import PostgresServer, RedisServer

FIXTURES = Path(__file__).parent / "fixtures"

_SCRUB = (
    "DISCORD_TOKEN",
    "LLM_BASE_URL",
    "LLM_MODEL",
    "LLM_API_KEY",
    "LLM_CONTEXT_TOKENS",
    "LLM_CONCURRENCY",
    "LLM_TIMEOUT_SECONDS",
    "LLM_DEADLINE_SECONDS",
    "CROSSTALK_DB",
    "DISCORD_API_BASE",
    "DISCORD_GATEWAY_URL",
    "CROSSTALK_FETCH_ALLOW",
    "CROSSTALK_MAX_INPUT_BYTES",
    "CROSSTALK_MAX_COMMENTS",
    "CROSSTALK_LANGUAGE",
    "CROSSTALK_MESSAGE_CONTENT",
    "CROSSTALK_QUEUE_SIZE",
    "CROSSTALK_WORKERS",
    "CROSSTALK_QUEUE_URL",
    "CROSSTALK_JOB_TIMEOUT",
    "CROSSTALK_JOB_HEARTBEAT",
    "CROSSTALK_SHARDS",
    "OPENAI_API_KEY",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _SCRUB:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # so no developer .env is read


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def analysis_pool() -> Iterator[AnalysisPool]:
    """The analysis processes, started once for the whole session (each process imports the
    analysis modules, which takes seconds); bots given a pool leave it open."""
    pool = AnalysisPool(2)
    pool.start()
    try:
        yield pool
    finally:
        pool.shutdown()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of the session's own; `new_database()` gives each test a fresh one."""
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.remove()
