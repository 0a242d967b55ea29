"""Source -> Report: the one path every front end (CLI, Discord) takes."""

from __future__ import annotations

import asyncio

from bot.config import Settings
from bot.core.errors import InputError
from bot.core.model import Discussion, Report
from bot.core.thread import build_thread
from bot.engines.base import Engine, Progress, no_progress
from bot.ingest.fetch import FetchPolicy


def fetch_policy(settings: Settings) -> FetchPolicy:
    """What the link fetcher takes from the settings."""
    return FetchPolicy(
        allow=settings.fetch_allow,
        max_bytes=settings.max_input_bytes,
        max_comments=settings.max_comments,
    )


async def analyze_discussion(
    discussion: Discussion,
    engine: Engine,
    *,
    progress: Progress = no_progress,
    language: str | None = None,
    max_comments: int | None = None,
) -> Report:
    """Build the reply structure off the event loop, then let the engine analyse it.
    A discussion over `max_comments` is refused with a message naming the limit."""
    if max_comments is not None and len(discussion.comments) > max_comments:
        raise InputError(
            f"That discussion has {len(discussion.comments):,} comments; the limit is "
            f"{max_comments:,} (CROSSTALK_MAX_COMMENTS)."
        )
    await progress(f"Reading {len(discussion.comments)} comments…")
    thread = await asyncio.to_thread(build_thread, discussion)
    return await engine.analyze(thread, progress=progress, language=language)
