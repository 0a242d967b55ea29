"""The analysis engine contract: a Thread in, a Report out.

The offline engine and the LLM engine are the two implementations; tests use the real offline
engine or an LLM engine pointed at a local fake server, never a patched one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable

from bot.core.model import Report, Thread

Progress = Callable[[str], Awaitable[None]]
"""Receives short user-facing status lines ("Finding sides…") while work goes on."""


async def no_progress(_message: str) -> None:
    return None


class Engine(ABC):
    name: str = "engine"

    @abstractmethod
    async def analyze(
        self, thread: Thread, *, progress: Progress = no_progress, language: str | None = None
    ) -> Report:
        """Fill headline, sides, key arguments, summaries and unanswered arguments.

        `language` asks for summaries in that language (None = the discussion's own).
        CPU-heavy work must run off the event loop.
        """
