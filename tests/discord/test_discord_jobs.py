"""The job queue and rate limits, without Discord."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.discord.jobs import JobQueue, RateLimiter, Refused, humanize_seconds


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_sliding_window_and_retry_after() -> None:
    clock = Clock()
    limits = RateLimiter(window=3600, clock=clock)
    for _ in range(3):
        assert limits.retry_after("u", 3) is None
        limits.hit("u")
        clock.now += 60
    assert limits.retry_after("u", 3) == pytest.approx(3600 - 180)
    assert limits.retry_after("other", 3) is None
    clock.now = 1000 + 3600 + 1  # the first hit left the window
    assert limits.retry_after("u", 3) is None
    limits.forget("u")
    assert limits.retry_after("u", 2) is None


def test_rate_limiter_forgets_keys_whose_window_has_passed() -> None:
    clock = Clock()
    limits = RateLimiter(window=3600, clock=clock)
    for user in range(1000):
        limits.hit(user)
        clock.now += 1
    assert len(limits) == 1000
    assert limits.retry_after("never-seen", 3) is None and len(limits) == 1000  # no new key
    clock.now += 3600  # every hit has left the window
    assert limits.retry_after(0, 1) is None and len(limits) == 999  # a look-up forgets it
    limits.hit("new")  # the sweep (at most once per window) forgets the rest
    assert len(limits) == 1
    assert limits.retry_after("new", 1) == pytest.approx(3600)
    limits.forget("new")
    assert len(limits) == 0


def test_humanize_seconds() -> None:
    assert humanize_seconds(1) == "1 second"
    assert humanize_seconds(45) == "45 seconds"
    assert humanize_seconds(600) == "10 minutes"
    assert humanize_seconds(3 * 3600) == "3 hours"


@pytest.mark.asyncio
async def test_queue_is_bounded_and_a_failing_job_does_not_stop_the_workers() -> None:
    queue = JobQueue(capacity=1, workers=1)
    queue.start()
    gate = asyncio.Event()

    async def slow() -> str:
        await gate.wait()
        return "slow"

    async def boom() -> None:
        raise RuntimeError("boom")

    first = queue.submit(slow)
    await asyncio.sleep(0)  # the worker takes it
    second = queue.submit(boom)
    with pytest.raises(Refused) as refused:
        queue.submit(slow)
    assert refused.value.retry_after and "busy" in refused.value.message
    assert queue.status().waiting == 1 and queue.status().running == 1
    gate.set()
    assert await first == "slow"
    with pytest.raises(RuntimeError):
        await second

    async def fine() -> int:
        return 7

    assert await queue.submit(fine) == 7
    status = queue.status()
    assert (status.done, status.failed, status.waiting, status.running) == (2, 1, 0, 0)
    await queue.close()


@pytest.mark.asyncio
async def test_close_cancels_waiting_jobs() -> None:
    queue = JobQueue(capacity=2, workers=1)
    queue.start()
    gate = asyncio.Event()

    async def wait() -> None:
        await gate.wait()

    running = queue.submit(wait)
    await asyncio.sleep(0)
    waiting = queue.submit(wait)
    await queue.close()
    assert running.cancelled() and waiting.cancelled()


@pytest.mark.asyncio
async def test_progress_shows_the_latest_status_throttled_and_nothing_after_stop() -> None:
    import discord

    from bot.discord.fulfil import Progress

    shown: list[str] = []
    fail_next = [True]

    async def edit(status: str) -> None:
        if fail_next[0]:
            fail_next[0] = False
            raise discord.HTTPException(_Response(503), "unavailable")
        shown.append(status)

    progress = Progress(edit, delay=0.05, interval=0.05)
    progress.start()
    await progress("Reading 3 comments…")  # before the delay: not shown yet
    assert shown == []
    await until(lambda: shown == ["Reading 3 comments…"])  # the first try failed, logged
    await progress("Finding sides…")
    await progress("Writing summaries…")  # within one interval: only the latest is shown
    await until(lambda: len(shown) == 2)
    await progress.stop()
    await progress("Too late…")
    await asyncio.sleep(0.1)
    assert shown == ["Reading 3 comments…", "Writing summaries…"]


@pytest.mark.asyncio
async def test_progress_survives_a_connection_error_and_stop_does_not_raise() -> None:
    import aiohttp

    from bot.discord.fulfil import Progress

    tries: list[str] = []

    async def edit(status: str) -> None:
        tries.append(status)
        if len(tries) == 1:
            raise aiohttp.ClientConnectionError("connection reset")

    progress = Progress(edit, delay=0.01, interval=0.01)
    progress.start()
    await progress("Reading 3 comments…")
    await until(lambda: len(tries) == 2)  # the failed edit was logged and tried again
    await progress.stop()  # the analysis finishing must not inherit the edit's failure
    assert tries == ["Reading 3 comments…", "Reading 3 comments…"]


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition never met"
        await asyncio.sleep(0.005)


class _Response:
    """Just enough of an aiohttp response for discord.HTTPException."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "error"
