"""Fixtures for the link tests: a local site and a guarded session allowed to reach it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.abc import AbstractResolver, ResolveResult
from fakesite import Site, start_site

from bot.config import Settings
from bot.ingest.fetch import FetchLimits, open_session


class FakeDNS(AbstractResolver):
    """Answers from a table, the way a hostile DNS server would; records the questions."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError(f"no such host {host}")
        return [
            ResolveResult(
                hostname=host,
                host=ip,
                port=port,
                family=socket.AF_INET6 if ":" in ip else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for ip in self.table[host]
        ]

    async def close(self) -> None:
        return None


@pytest_asyncio.fixture
async def site() -> AsyncIterator[Site]:
    s = await start_site()
    try:
        yield s
    finally:
        await s.server.close()


@pytest.fixture
def allowed() -> Settings:
    """Settings that let the fetcher reach the local test site (and nothing else local)."""
    return Settings(fetch_allow=("127.0.0.1",))


@pytest_asyncio.fixture
async def session(allowed: Settings) -> AsyncIterator[aiohttp.ClientSession]:
    s = open_session(allowed, limits=FetchLimits())
    try:
        yield s
    finally:
        await s.close()
