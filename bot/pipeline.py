"""Source -> Report: the one path every front end (CLI, Discord) takes."""

from __future__ import annotations

import asyncio

from bot.core.model import Discussion, Report
from bot.core.thread import build_thread
from bot.engines.base import Engine, Progress, no_progress


async def analyze_discussion(
    discussion: Discussion,
    engine: Engine,
    *,
    progress: Progress = no_progress,
    language: str | None = None,
) -> Report:
    await progress(f"Reading {len(discussion.comments)} comments…")
    thread = await asyncio.to_thread(build_thread, discussion)
    return await engine.analyze(thread, progress=progress, language=language)
