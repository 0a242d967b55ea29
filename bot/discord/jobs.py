"""Work the bot does for people, kept within bounds: a bounded job queue with a fixed number of
workers, and sliding-window rate limits per user and per guild with a friendly retry-after.

Nothing here knows about Discord; the cogs turn a refusal into a message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from bot.core.errors import CrosstalkError

log = logging.getLogger(__name__)

HOUR = 3600.0


class Refused(CrosstalkError):
    """Work not taken on right now (queue full, rate limited); `retry_after` in seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def humanize_seconds(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"


class RateLimiter:
    """At most `limit` hits per `window` seconds per key (a sliding window of timestamps).

    Keys whose hits have all left the window are forgotten (on their next look-up, and for
    every key at most once per window), so memory follows the recently active keys only."""

    def __init__(self, *, window: float = HOUR, clock: Callable[[], float] = time.monotonic):
        self.window = window
        self._clock = clock
        self._hits: dict[Hashable, deque[float]] = {}
        self._swept = clock()

    def __len__(self) -> int:
        """How many keys are remembered."""
        return len(self._hits)

    def _recent(self, key: Hashable) -> deque[float]:
        """The key's hits inside the window (empty: the key is forgotten)."""
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        cutoff = self._clock() - self.window
        while hits and hits[0] <= cutoff:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits

    def _sweep(self) -> None:
        now = self._clock()
        if now - self._swept < self.window:
            return
        self._swept = now
        cutoff = now - self.window
        for key in [k for k, hits in self._hits.items() if hits[-1] <= cutoff]:
            del self._hits[key]

    def retry_after(self, key: Hashable, limit: int) -> float | None:
        """Seconds until `key` may act again, or None when it may act now."""
        hits = self._recent(key)
        if len(hits) < limit:
            return None
        return max(0.0, hits[len(hits) - limit] + self.window - self._clock())

    def hit(self, key: Hashable) -> None:
        self._sweep()
        self._recent(key)
        self._hits.setdefault(key, deque()).append(self._clock())

    def forget(self, key: Hashable) -> None:
        """Undo the newest hit (the work was refused further on and should not count)."""
        hits = self._hits.get(key)
        if hits:
            hits.pop()
            if not hits:
                del self._hits[key]


class LocalLimits:
    """The rate limits of one bot process: a sliding window per kind ("user", "guild",
    "question") and key. Distributed mode keeps them in Redis instead, behind the same
    interface (`bot.discord.queue.RedisLimits`)."""

    def __init__(self, *, window: float = HOUR) -> None:
        self.window = window
        self._kinds: dict[str, RateLimiter] = {}

    def _limiter(self, kind: str) -> RateLimiter:
        return self._kinds.setdefault(kind, RateLimiter(window=self.window))

    async def retry_after(self, kind: str, key: int, limit: int) -> float | None:
        return self._limiter(kind).retry_after(key, limit)

    async def hit(self, kind: str, key: int) -> None:
        self._limiter(kind).hit(key)


@dataclass(frozen=True, slots=True)
class QueueStatus:
    waiting: int
    running: int
    capacity: int
    workers: int
    done: int
    failed: int


class JobQueue:
    """A bounded queue of coroutine jobs run by `workers` tasks.

    `submit` never waits: when the queue is full it raises `Refused`. A failing job is logged
    and its exception handed to whoever awaits its future; it never stops a worker.
    """

    def __init__(self, *, capacity: int = 20, workers: int = 2) -> None:
        if capacity < 1 or workers < 1:
            raise ValueError("capacity and workers must be positive")
        self.capacity = capacity
        self.workers = workers
        self._queue: asyncio.Queue[tuple[Callable[[], Awaitable[Any]], asyncio.Future[Any]]] = (
            asyncio.Queue(maxsize=capacity)
        )
        self._tasks: list[asyncio.Task[None]] = []
        self._running = 0
        self._done = 0
        self._failed = 0

    def start(self) -> None:
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._worker(), name=f"crosstalk-job-worker-{i}")
                for i in range(self.workers)
            ]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        while not self._queue.empty():
            _job, future = self._queue.get_nowait()
            if not future.done():
                future.cancel()

    def status(self) -> QueueStatus:
        return QueueStatus(
            waiting=self._queue.qsize(),
            running=self._running,
            capacity=self.capacity,
            workers=self.workers,
            done=self._done,
            failed=self._failed,
        )

    def submit(self, job: Callable[[], Awaitable[Any]]) -> asyncio.Future[Any]:
        """Queue `job`; returns a future of its result. Raises `Refused` when full."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait((job, future))
        except asyncio.QueueFull:
            raise Refused(
                "Crosstalk is busy with other summaries right now; try again in a minute.",
                retry_after=60.0,
            ) from None
        return future

    @property
    def ahead(self) -> int:
        """Jobs that would run before one submitted now."""
        return self._queue.qsize() + max(0, self._running - self.workers + 1)

    async def _worker(self) -> None:
        while True:
            job, future = await self._queue.get()
            if future.cancelled():
                self._queue.task_done()
                continue
            self._running += 1
            try:
                result = await job()
            except asyncio.CancelledError:
                if not future.done():
                    future.cancel()
                raise
            except Exception as exc:
                self._failed += 1
                if not future.done():
                    future.set_exception(exc)
            else:
                self._done += 1
                if not future.done():
                    future.set_result(result)
            finally:
                self._running -= 1
                self._queue.task_done()
