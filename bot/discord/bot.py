"""The bot: owns the shared resources (HTTP session, store, job queue, analysis processes),
loads one cog per
feature, and turns any failing interaction into a brief message for the user and a log line
with context. Application commands only; no prefix commands."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.core.errors import CrosstalkError, Unavailable
from bot.core.model import Report
from bot.discord.fulfil import APOLOGY
from bot.discord.inputs import Source
from bot.discord.jobs import JobQueue, LocalLimits
from bot.discord.options import BotOptions
from bot.discord.queue import JobQueueClient, RedisLimits, SummaryJob
from bot.discord.reply import NO_MENTIONS, Reply, Target
from bot.engines.base import Engine
from bot.engines.select import Engines, preload
from bot.pipeline import fetch_policy
from bot.store import GuildSettings, Store
from bot.work.pool import AnalysisPool

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.discord.cogs.summarize", "bot.discord.cogs.ask", "bot.discord.cogs.admin")
__all__ = ["APOLOGY", "NO_MENTIONS", "CrosstalkBot"]


def configure_endpoints(api_base: str | None, gateway_url: str | None) -> None:
    """Route REST and the gateway elsewhere (a REST proxy, or a local fake Discord in tests).

    discord.py keeps both as class attributes, so this applies to the whole process.
    """
    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def interaction_context(interaction: discord.Interaction) -> str:
    """Where an interaction happened, for logs. Never includes its token."""
    command = interaction.command.qualified_name if interaction.command else interaction.type.name
    return (
        f"guild={interaction.guild_id} channel={interaction.channel_id} "
        f"user={interaction.user.id if interaction.user else None} command={command!r}"
    )


WARM_MODULES = ("bot.render.embeds",)
"""What the bot's own process uses (the picture is drawn in the analysis processes)."""


def warm_up() -> None:
    preload()
    for name in WARM_MODULES:
        importlib.import_module(name)


COMMANDS_KEY = "commands"
"""The fingerprint of the registered application commands, in the store's `meta`."""

NO_REPORT_IDS = 4096
NO_REPORT_TTL = 60.0
"""How many ids of threads/channels without a report are remembered (a few bytes each)."""


class CrosstalkBot(commands.Bot):
    session: aiohttp.ClientSession
    """For the language model and health checks."""
    store: Store
    jobs: JobQueue
    engines: Engines
    pool: AnalysisPool
    """The processes that read inputs (links included), analyse and render: the CPU work."""

    def __init__(
        self,
        settings: Settings,
        options: BotOptions | None = None,
        *,
        pool: AnalysisPool | None = None,
        **client_options: Any,
    ) -> None:
        """`pool`: analysis processes the caller owns (and closes); by default the bot starts
        its own, one per job worker (CROSSTALK_WORKERS)."""
        self.settings = settings
        self.fetch_policy = fetch_policy(settings)
        """What members' links may reach and how much of them is read."""
        self.options = options or BotOptions()
        self._given_pool = pool
        configure_endpoints(settings.discord_api_base, settings.discord_gateway_url)
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.message_content = self.options.message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            chunk_guilds_at_startup=False,
            guild_ready_timeout=self.options.guild_ready_timeout,
            **client_options,
        )
        self.limits: LocalLimits | RedisLimits = LocalLimits()
        """Summaries and questions per member and server per hour; in Redis when distributed."""
        self.queue: JobQueueClient | None = None
        """Distributed mode (CROSSTALK_QUEUE_URL): summaries go to `crosstalk worker`s."""
        self._no_report: OrderedDict[int, float] = OrderedDict()
        """Threads and channels known to have no report, and since when: messages there skip
        the database. Only ids (cheap); the reports themselves are cached by the store,
        bounded. Forgotten after NO_REPORT_TTL: a worker may store a report for one."""
        self._owned: list[str] = []
        self._pool_ready: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        # Import the heavy modules now (scikit-learn, matplotlib's helpers, the engines): a
        # first import inside a command would hold the event loop for seconds and delay every
        # other member's acknowledgement past Discord's 3 s.
        await asyncio.to_thread(warm_up)
        # every call on it sets its own time limit (the LLM client: LLM_TIMEOUT_SECONDS)
        self.session = aiohttp.ClientSession()
        self._owned.append("session")
        self.engines = Engines(self.settings, self.session)
        if self._given_pool is None:
            self.pool = AnalysisPool(self.options.workers)
            self._owned.append("pool")
        else:
            self.pool = self._given_pool
        # its processes import the analysis modules now, not during the first summaries (they
        # run at a lower priority: the gateway does not wait for them)
        self.pool.start()
        self._pool_ready = asyncio.create_task(self._announce_pool())
        self.store = await Store.open(self.settings.db_path)
        self._owned.append("store")
        self.jobs = JobQueue(capacity=self.options.queue_size, workers=self.options.workers)
        self.jobs.start()
        self._owned.append("jobs")
        if self.options.queue_url:
            self.queue = JobQueueClient(
                self.options.queue_url,
                capacity=self.options.queue_size,
                job_timeout=self.options.job_timeout,
                heartbeat=self.options.heartbeat,
            )
            self._owned.append("queue")
            self.limits = self.queue.limits
        self.tree.error(self.on_app_command_error)
        for name in EXTENSIONS:
            await self.load_extension(name)
        await self.sync_commands()

    async def _announce_pool(self) -> None:
        await self.pool.ready()
        log.info("analysis processes ready (%d)", self.pool.processes)

    async def sync_commands(self) -> bool:
        """Register the application commands with Discord when they changed since the last
        start (Discord rate-limits global syncs, so their fingerprint is kept in the database,
        which every process of a deployment shares). Returns whether a sync was sent. A failure
        is logged, not fatal."""
        payload = sorted(
            (c.to_dict(self.tree) for c in self.tree.get_commands()), key=lambda c: c["name"]
        )
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        if await self.store.meta(COMMANDS_KEY) == digest:
            return False
        try:
            await self.tree.sync()
        except discord.HTTPException as exc:
            log.warning("could not register the slash commands (HTTP %s): %s", exc.status, exc.text)
            return False
        await self.store.set_meta(COMMANDS_KEY, digest)
        log.info("registered %d application commands", len(payload))
        return True

    async def close(self) -> None:
        if "jobs" in self._owned:
            await self.jobs.close()
        await super().close()
        if "store" in self._owned:
            await self.store.close()
        if "session" in self._owned:
            await self.session.close()
        if "queue" in self._owned and self.queue is not None:
            await self.queue.close()
        if self._pool_ready is not None:
            self._pool_ready.cancel()
        if "pool" in self._owned:
            await self.pool.close()
        self._owned.clear()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: messages are handled by the cogs' listeners only."""

    # -- helpers the cogs share -------------------------------------------------------------

    def engine_for(self, guild: GuildSettings) -> Engine:
        """The engine a server's settings resolve to, one per engine and model server and
        model for the bot's life (see `Engines`)."""
        return self.engines.get(guild.engine, guild.model)

    def answerer_for(self, guild: GuildSettings) -> Engine:
        """The engine that answers follow-up questions: the server's own, or the offline one
        (quoted comments) when its settings name an engine that cannot be built."""
        try:
            return self.engine_for(guild)
        except CrosstalkError:
            return self.engines.get("offline")

    def language_for(self, guild: GuildSettings) -> str | None:
        return guild.language or self.settings.language

    async def report_for_thread(self, thread_id: int) -> Report | None:
        """The stored report a thread was opened for (the store caches a few decoded reports;
        here only the ids of the many channels that have none are remembered)."""
        since = self._no_report.get(thread_id)
        if since is not None and time.monotonic() - since < NO_REPORT_TTL:
            self._no_report.move_to_end(thread_id)
            return None
        report = await self.store.report_for_thread(thread_id)
        if report is None:
            self._no_report[thread_id] = time.monotonic()
            self._no_report.move_to_end(thread_id)
            while len(self._no_report) > NO_REPORT_IDS:
                self._no_report.popitem(last=False)
        else:
            self._no_report.pop(thread_id, None)
        return report

    def remember_thread(self, thread_id: int) -> None:
        """A report was just stored for `thread_id`: stop taking it for one without."""
        self._no_report.pop(thread_id, None)

    def history_channel(self, reply: Reply) -> discord.abc.Messageable:
        channel = self.get_channel(reply.target.channel_id)
        if isinstance(channel, discord.abc.Messageable):
            return channel
        return reply.channel()

    async def hand_over(
        self,
        work: Callable[[], Awaitable[None]],
        target: Target,
        source: Source,
        guild: GuildSettings,
        give_back: str | None,
    ) -> tuple[asyncio.Future[Any] | None, int]:
        """Give a summary to whoever makes it: the bot's own queue (`work`, whose future is
        returned) or, distributed, Redis for the workers (the job is described, not run here).
        Returns the future (None when queued in Redis) and how many summaries are ahead.
        `Refused` when full; `QueueUnavailable` when Redis does not answer."""
        if self.queue is None:
            future = self.jobs.submit(work)
            return future, self.jobs.ahead - 1
        job = SummaryJob.new(target, source, guild, give_back)
        ahead = await self.queue.submit(job)
        log.info("summary %s queued for the workers (%s)", job.id, target.context())
        return None, ahead

    async def tell(self, interaction: discord.Interaction, message: str, **kwargs: Any) -> None:
        """A short private message to whoever invoked `interaction`, whatever its state."""
        if interaction.response.is_done():
            await interaction.followup.send(
                message, ephemeral=True, allowed_mentions=NO_MENTIONS, **kwargs
            )
        else:
            await interaction.response.send_message(
                message, ephemeral=True, allowed_mentions=NO_MENTIONS, **kwargs
            )

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await self.report_error(interaction, error)

    async def report_error(self, interaction: discord.Interaction, error: Exception) -> None:
        """A brief message to the user; a log line with context for anything unexpected."""
        original = getattr(error, "original", error)
        if self.is_closed():  # shutting down: the work was cut short, nobody can be told
            log.info("interaction cut short by shutdown (%s)", interaction_context(interaction))
            return
        if isinstance(original, Unavailable):
            log.error(
                "%s (%s): %s",
                original.message,
                interaction_context(interaction),
                original.__cause__ or original,
            )
            message = original.message
        elif isinstance(original, CrosstalkError):
            message = original.message
        elif isinstance(error, app_commands.CheckFailure):
            message = str(error) or "You can't use this command here."
        else:
            log.error(
                "interaction failed (%s)",
                interaction_context(interaction),
                exc_info=(type(original), original, original.__traceback__),
            )
            message = APOLOGY
        try:
            await self.tell(interaction, message)
        except (discord.HTTPException, aiohttp.ClientError):
            log.warning(
                "could not report an error to the user (%s)", interaction_context(interaction)
            )


class ShardedCrosstalkBot(CrosstalkBot, commands.AutoShardedBot):
    """The same bot over several gateway connections (CROSSTALK_SHARDS): Discord requires
    sharding from 2,500 servers on, each shard carrying at most 2,500. One process may run
    every shard, or each process a share of them (with CROSSTALK_QUEUE_URL and a PostgreSQL
    CROSSTALK_DB, so that they share the queue, the limits and the reports)."""


def make_bot(settings: Settings, options: BotOptions, **kwargs: Any) -> CrosstalkBot:
    """The bot `options` ask for: sharded when CROSSTALK_SHARDS is set."""
    if options.shards is None:
        return CrosstalkBot(settings, options, **kwargs)
    count, ids = options.shards
    return ShardedCrosstalkBot(
        settings, options, shard_count=count, shard_ids=list(ids) if ids else None, **kwargs
    )
