"""Distributed mode (`CROSSTALK_QUEUE_URL=redis://…`): summaries go to Redis, and any number of
`crosstalk worker` processes, on any machine, make them.

The queue itself is SAQ's (asyncio-native; a job whose worker stops sending heartbeats is swept
and retried by another worker). Around it, in the same Redis, what must hold across processes:
the bound on open summaries, the rate limits, and each job's delivery ledger (what a first
attempt already posted, so a retry never posts the map twice).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable
from dataclasses import asdict, dataclass
from typing import Any, cast

from redis import asyncio as aioredis
from redis.exceptions import RedisError
from saq.queue.redis import RedisQueue

from bot.core.errors import Unavailable
from bot.discord.inputs import Source
from bot.discord.jobs import HOUR, Refused
from bot.discord.reply import Target
from bot.store import GuildSettings

log = logging.getLogger(__name__)

QUEUE = "crosstalk"
FUNCTION = "summarize"
PREFIX = "crosstalk:"
OPEN_MAX_AGE = HOUR
"""A summary counts against the bound until it is done, or for an hour at most (one whose
every attempt died never says it is done)."""
LEDGER_TTL = 24 * 3600
REDIS_TIMEOUT = 2.0


class QueueUnavailable(Unavailable):
    """Redis did not answer. Safe to show to a member."""

    def __init__(self) -> None:
        super().__init__(
            "Crosstalk cannot reach its job queue right now; please try again in a minute."
        )


def connect(url: str) -> aioredis.Redis:
    return aioredis.from_url(
        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


@dataclass(frozen=True, slots=True)
class SummaryJob:
    """One summary as it travels through Redis (JSON): who asked and how to answer them, what
    to read, the server's settings at the time, and the paste to give back on failure."""

    id: str
    target: Target
    source: Source
    guild: GuildSettings
    give_back: str | None = None

    @classmethod
    def new(
        cls, target: Target, source: Source, guild: GuildSettings, give_back: str | None
    ) -> SummaryJob:
        return cls(uuid.uuid4().hex, target, source, guild, give_back)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "target": self.target.to_dict(),
            "source": self.source.to_dict(),
            "guild": asdict(self.guild),
            "give_back": self.give_back,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SummaryJob:
        return cls(
            data["id"],
            Target.from_dict(data["target"]),
            Source.from_dict(data["source"]),
            GuildSettings(**data["guild"]),
            data.get("give_back"),
        )


class SweptQueue(RedisQueue):
    """SAQ's Redis queue, sweeping stuck jobs every `sweep_every` seconds (SAQ's own default
    lets one sweep run per minute across all workers) and waiting `abort_wait` seconds for a
    dead worker to acknowledge the abort it will never see."""

    def __init__(
        self, redis: aioredis.Redis, *, sweep_every: float = 10.0, abort_wait: float = 1.0
    ) -> None:
        super().__init__(redis, name=QUEUE)
        self.sweep_every = sweep_every
        self.abort_wait = abort_wait

    async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
        return await super().sweep(lock=max(1, int(self.sweep_every)), abort=self.abort_wait)


_ADMIT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[3]) then return -1 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
return n
"""


class RedisLimits:
    """Sliding-window rate limits shared by every bot process: a sorted set of hit times per
    (kind, key), trimmed to the window."""

    def __init__(self, redis: aioredis.Redis, *, window: float = HOUR) -> None:
        self.redis = redis
        self.window = window

    def _key(self, kind: str, key: int) -> str:
        return f"{PREFIX}limit:{kind}:{key}"

    async def retry_after(self, kind: str, key: int, limit: int) -> float | None:
        now = time.time()
        name = self._key(kind, key)
        try:
            await self.redis.zremrangebyscore(name, "-inf", now - self.window)
            hits = await self.redis.zrange(name, 0, -1, withscores=True)
        except (RedisError, OSError) as exc:
            raise QueueUnavailable() from exc
        if len(hits) < limit:
            return None
        return max(0.0, hits[len(hits) - limit][1] + self.window - now)

    async def hit(self, kind: str, key: int) -> None:
        now = time.time()
        name = self._key(kind, key)
        try:
            await self.redis.zadd(name, {uuid.uuid4().hex: now})
            await self.redis.expire(name, int(self.window) + 60)
        except (RedisError, OSError) as exc:
            raise QueueUnavailable() from exc


class RedisLedger:
    """A job's delivery steps, kept a day: `first` message, stored `report`, `thread`."""

    def __init__(self, redis: aioredis.Redis, job_id: str) -> None:
        self.redis = redis
        self.name = f"{PREFIX}delivery:{job_id}"

    async def get(self, step: str) -> int | None:
        # redis-py types its commands for both of its clients; this one is the asyncio one
        value = await cast("Awaitable[bytes | None]", self.redis.hget(self.name, step))
        return None if value is None else int(value)

    async def set(self, step: str, value: int) -> None:
        await cast("Awaitable[int]", self.redis.hset(self.name, step, str(value)))
        await self.redis.expire(self.name, LEDGER_TTL)


class JobQueueClient:
    """The bot's side: admit a summary within the bound (`CROSSTALK_QUEUE_SIZE` open summaries
    across every bot process) and enqueue it for the workers."""

    def __init__(self, url: str, *, capacity: int, job_timeout: float, heartbeat: float) -> None:
        self.redis = connect(url)
        self.queue = SweptQueue(self.redis)
        self.capacity = capacity
        self.job_timeout = job_timeout
        self.heartbeat = heartbeat
        self.limits = RedisLimits(self.redis)
        self._admit = self.redis.register_script(_ADMIT)

    async def submit(self, job: SummaryJob) -> int:
        """Enqueue `job`; returns how many open summaries are ahead of it. `Refused` when the
        bound is reached, `QueueUnavailable` when Redis does not answer."""
        try:
            ahead = await self._admit(
                keys=[f"{PREFIX}open"],
                args=[time.time(), OPEN_MAX_AGE, self.capacity, job.id],
            )
            if ahead < 0:
                raise Refused(
                    "Crosstalk is busy with other summaries right now; try again in a minute.",
                    retry_after=60.0,
                )
            await self.queue.enqueue(
                FUNCTION,
                key=job.id,
                timeout=int(self.job_timeout),
                heartbeat=int(self.heartbeat),
                retries=3,
                payload=job.to_dict(),
            )
        except (RedisError, OSError) as exc:
            raise QueueUnavailable() from exc
        return int(ahead)

    async def describe(self) -> str:
        """The queue across every bot and worker, for `/crosstalk status`."""
        try:
            await self.redis.zremrangebyscore(f"{PREFIX}open", "-inf", time.time() - OPEN_MAX_AGE)
            open_now = int(await self.redis.zcard(f"{PREFIX}open"))
            info = await self.queue.info()
        except (RedisError, OSError) as exc:
            raise QueueUnavailable() from exc
        workers = len(info["workers"])
        return (
            f"Redis: {open_now} open summaries (room for {self.capacity}), "
            f"{info['queued']} waiting, {info['active']} being made; "
            f"{workers} worker{'s' if workers != 1 else ''} connected"
        )

    async def close(self) -> None:
        try:
            await self.queue.disconnect()
        except (RedisError, OSError) as exc:  # Redis already gone: nothing left to close
            log.info("closing the queue connection: %s", exc)


async def finished(redis: aioredis.Redis, job_id: str) -> None:
    """The summary is done (delivered or failed): it no longer counts against the bound."""
    await redis.zrem(f"{PREFIX}open", job_id)
