"""The CPU-heavy steps of a summary as module-level functions of picklable values, so that they
run in another process (`bot.work.pool`): reading a link or an input, the offline analysis, and
rendering the map. Each returns plain data (embeds as their Discord JSON), never a live object.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from bot.core.model import Discussion, Report
from bot.engines.select import make_engine
from bot.ingest.fetch import FetchPolicy, open_session
from bot.ingest.sources import load_source
from bot.pipeline import analyze_discussion

GRAPH_FILE = "reply-graph.png"


@dataclass(frozen=True, slots=True)
class Rendered:
    """The map as Discord will receive it: one list of embed payloads per message, and the
    reply-graph picture (None when the discussion has too few replies to draw)."""

    pages: list[list[Mapping[str, Any]]]
    png: bytes | None


def read_link(url: str, policy: FetchPolicy) -> Discussion:
    """Fetch and read a link through the fetcher's address rules, on a session of its own."""

    async def fetch() -> Discussion:
        session = open_session(policy)
        try:
            return await load_source(url, policy, session)
        finally:
            await session.close()

    return asyncio.run(fetch())


def render_map(report: Report) -> Rendered:
    from bot.render.embeds import render_report
    from bot.render.graph import FILENAME, render_reply_graph

    assert FILENAME == GRAPH_FILE
    png = render_reply_graph(report)
    pages = render_report(report, graph_filename=GRAPH_FILE if png else None)
    return Rendered([[e.to_dict() for e in page] for page in pages], png)


def offline_map(
    discussion: Discussion, *, language: str | None, max_comments: int | None
) -> tuple[Report, Rendered]:
    """The whole map with the offline engine (it needs no model and keeps no state, so it runs
    wherever the CPU is): reply structure, analysis, rendering."""
    engine = make_engine("offline", Settings())
    report = asyncio.run(
        analyze_discussion(discussion, engine, language=language, max_comments=max_comments)
    )
    return report, render_map(report)
