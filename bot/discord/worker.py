"""`crosstalk worker`: makes the summaries that bots queued in Redis (CROSSTALK_QUEUE_URL), on
any machine, as many as you run. A worker holds no gateway connection: it reads the input,
analyses in its own analysis processes, and answers through Discord's REST API with the
interaction's token (or in the channel once the token has expired), exactly as the bot does
in a single process. It stores reports in the shared database (CROSSTALK_DB, PostgreSQL when
workers run on other machines) so follow-up questions find them.

While it holds a job it says so (SAQ's heartbeat, a third of CROSSTALK_JOB_HEARTBEAT apart); a
job whose worker fell silent (killed, machine lost) is swept by another worker and retried,
and the job's ledger in Redis keeps a retry from posting a map that was already posted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp
import discord
from saq import Worker as SaqWorker
from saq.types import Context, PartialTimersDict

from bot.config import Settings
from bot.core.errors import ConfigError
from bot.database import redact
from bot.discord.bot import configure_endpoints
from bot.discord.fulfil import fulfil
from bot.discord.options import BotOptions
from bot.discord.queue import (
    FUNCTION,
    RedisLedger,
    SummaryJob,
    SweptQueue,
    connect,
    finished,
)
from bot.discord.reply import NO_MENTIONS, Reply
from bot.engines.base import Engine
from bot.engines.select import Engines
from bot.pipeline import fetch_policy
from bot.store import GuildSettings, Store
from bot.work.pool import AnalysisPool

log = logging.getLogger(__name__)


class WorkerPlace:
    """What `fulfil` needs, in a worker: the same settings, store, analysis processes and
    engines as the bot has."""

    def __init__(
        self,
        settings: Settings,
        options: BotOptions,
        store: Store,
        pool: AnalysisPool,
        session: aiohttp.ClientSession,
    ) -> None:
        self.settings = settings
        self.options = options
        self.store = store
        self.pool = pool
        self.fetch_policy = fetch_policy(settings)
        self.engines = Engines(settings, session)

    def engine_for(self, guild: GuildSettings) -> Engine:
        return self.engines.get(guild.engine, guild.model)

    def language_for(self, guild: GuildSettings) -> str | None:
        return guild.language or self.settings.language

    def remember_thread(self, thread_id: int) -> None:
        """The bot's own memory of threads without a report forgets by itself (NO_REPORT_TTL)."""

    def history_channel(self, reply: Reply) -> discord.abc.Messageable:
        return reply.channel()


async def _beat(job: Any, every: float) -> None:
    """Tell the queue this worker still holds `job` (SAQ's `touched`)."""
    while True:
        await asyncio.sleep(every)
        try:
            await job.update()
        except Exception as exc:  # Redis lost for a moment: the next beat may get through
            log.warning("heartbeat failed (%s: %s)", type(exc).__name__, exc)


async def run_worker(settings: Settings, options: BotOptions, *, concurrency: int) -> None:
    """Take jobs until SIGINT/SIGTERM. A job in progress then goes back to the queue (SAQ
    retries a cancelled job): another worker makes it, and its ledger keeps whatever this one
    had already posted from being posted again."""
    if not options.queue_url:
        raise ConfigError(
            "crosstalk worker needs CROSSTALK_QUEUE_URL: the Redis the bots queue summaries in "
            "(redis://host:6379/0). See docs/scale.md."
        )
    if not settings.discord_token:
        raise ConfigError("crosstalk worker needs DISCORD_TOKEN (the bot's token) to reply.")
    configure_endpoints(settings.discord_api_base, settings.discord_gateway_url)
    client = discord.Client(intents=discord.Intents.none(), allowed_mentions=NO_MENTIONS)
    async with contextlib.AsyncExitStack() as stack:
        await client.login(settings.discord_token)  # REST only: no gateway connection
        stack.push_async_callback(client.close)
        session = aiohttp.ClientSession()
        stack.push_async_callback(session.close)
        store = await Store.open(settings.db_path)
        stack.push_async_callback(store.close)
        pool = AnalysisPool(concurrency)
        pool.start()
        stack.push_async_callback(pool.close)
        redis = connect(options.queue_url)
        queue = SweptQueue(redis, sweep_every=options.sweep_every)
        stack.push_async_callback(queue.disconnect)
        place = WorkerPlace(settings, options, store, pool, session)

        async def summarize(ctx: Context, *, payload: dict[str, Any]) -> None:
            job = SummaryJob.from_dict(payload)
            beat = asyncio.create_task(_beat(ctx["job"], max(0.5, options.heartbeat / 3)))
            log.info(
                "summary %s: attempt %d (%s)", job.id, ctx["job"].attempts, job.target.context()
            )
            try:
                await fulfil(
                    place,
                    client,
                    Reply(client, job.target),
                    job.source,
                    job.guild,
                    give_back=job.give_back,
                    ledger=RedisLedger(redis, job.id),
                )
            finally:
                beat.cancel()
            # (a job cancelled by a shutdown goes back to the queue: it is not finished)
            await finished(redis, job.id)
            log.info("summary %s: done", job.id)

        worker = SaqWorker(
            queue,
            functions=[(FUNCTION, summarize)],
            concurrency=concurrency,
            # SAQ's own defaults, but the sweep for silent workers' jobs
            timers=PartialTimersDict(
                schedule=1, worker_info=10, abort=1, sweep=max(1, int(options.sweep_every))
            ),
        )
        await pool.ready()
        log.info("worker ready: %d at once, queue %s", concurrency, redact(options.queue_url))
        await worker.start()
