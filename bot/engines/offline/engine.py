"""Offline analysis (interim: headline and unanswered only; sides come with issue 3)."""

from __future__ import annotations

import asyncio
import re

from bot.core import structure
from bot.core.model import Report, Thread
from bot.engines.base import Engine, Progress, no_progress

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def headline(text: str, limit: int = 3) -> str:
    sentences = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
    return " ".join(sentences[:limit])


def _analyze(thread: Thread) -> Report:
    d = thread.discussion
    parents = {c.id: thread.parent(c.id) for c in d.comments}
    return Report(
        engine="offline",
        thread=thread,
        headline=headline(d.article.text),
        unanswered=structure.unreplied(d, parents),
    )


class OfflineEngine(Engine):
    name = "offline"

    async def analyze(
        self, thread: Thread, *, progress: Progress = no_progress, language: str | None = None
    ) -> Report:
        await progress("Finding sides…")
        return await asyncio.to_thread(_analyze, thread)
