"""The status line of one analysis, kept moving while a slow model works.

Each stage sets the line ("Reading 118 comments: 3 of 25 parts read…"); a ticker sends it
again every TICK seconds with the time spent so far, so a user watching a model that takes
minutes per call still sees the analysis alive. The receiver (the Discord reply) shows at most
one line a second whatever it is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

from bot.engines.base import Progress

TICK = 5.0
SHOW_AFTER = 10.0
"""Seconds of work before the time spent is shown."""


def spent(seconds: float) -> str:
    """`45 s`, `2 min 05 s`."""
    s = int(seconds)
    return f"{s} s" if s < 60 else f"{s // 60} min {s % 60:02d} s"


class Status:
    def __init__(self, progress: Progress, *, clock: Callable[[], float] = time.monotonic):
        self.progress = progress
        self.clock = clock
        self.started = clock()
        self.line = ""

    def render(self) -> str:
        elapsed = self.clock() - self.started
        if elapsed < SHOW_AFTER or not self.line:
            return self.line
        return f"{self.line.removesuffix('…')} ({spent(elapsed)})…"

    async def __call__(self, line: str) -> None:
        self.line = line
        await self.progress(self.render())

    @contextlib.asynccontextmanager
    async def ticking(self) -> AsyncIterator[None]:
        """Re-send the line every TICK seconds while the block runs."""

        async def tick() -> None:
            while True:
                await asyncio.sleep(TICK)
                if self.line:
                    await self.progress(self.render())

        task = asyncio.create_task(tick())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
