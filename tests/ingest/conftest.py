"""Fixtures for the link tests: a local site and a guarded session allowed to reach it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from fakesite import Site, start_site

from bot.ingest.fetch import FetchPolicy, open_session


@pytest_asyncio.fixture
async def site() -> AsyncIterator[Site]:
    s = await start_site()
    try:
        yield s
    finally:
        await s.server.close()


@pytest.fixture
def allowed() -> FetchPolicy:
    """Lets the fetcher reach the local test site (and nothing else local)."""
    return FetchPolicy(allow=("127.0.0.1",))


@pytest_asyncio.fixture
async def session(allowed: FetchPolicy) -> AsyncIterator[aiohttp.ClientSession]:
    s = open_session(allowed)
    try:
        yield s
    finally:
        await s.close()
