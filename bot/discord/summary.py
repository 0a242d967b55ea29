"""One summary from request to debate map: checks, acknowledgement, the queued work with progress
edits, delivery as embeds + the reply-graph picture, the thread for follow-ups, the stored report.

Every entry point (the slash command, its modal, the context menu) ends here.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import discord

from bot.core.errors import CrosstalkError, InputError
from bot.core.model import Discussion, Report
from bot.core.text import short
from bot.discord.bot import APOLOGY, NO_MENTIONS, interaction_context
from bot.discord.jobs import Refused, humanize_seconds
from bot.pipeline import analyze_discussion
from bot.store import ChannelPolicy, GuildSettings
from bot.work.steps import GRAPH_FILE, Rendered, offline_map, render_map

if TYPE_CHECKING:
    from bot.discord.bot import CrosstalkBot

log = logging.getLogger(__name__)

Loader = Callable[[GuildSettings], Awaitable[Discussion]]
"""Reads the member's input once the work has started (downloads, fetches, parsing); its
`max_input_bytes` is the limit in force (see `input_limit`)."""

TOKEN_MARGIN = dt.timedelta(seconds=60)
"""Interaction tokens live 15 minutes; closer than this to the end, post to the channel."""
CHECK_TIMEOUT = 1.5
"""Seconds the pre-acknowledgement checks may take, so the 3-second deadline always holds."""


class Progress:
    """Shows short status lines by editing the reply: nothing for the first `delay` seconds,
    then the latest status at most once per `interval`. Reporting a status never waits for
    Discord; a failed edit is logged, never fatal; after `stop` no edit is sent."""

    def __init__(
        self,
        edit: Callable[[str], Awaitable[object]],
        *,
        delay: float,
        interval: float = 1.0,
    ) -> None:
        self._edit = edit
        self._delay = delay
        self._interval = interval
        self._latest: str | None = None
        self._shown: str | None = None
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopped = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def __call__(self, status: str) -> None:
        self._latest = status

    async def _run(self) -> None:
        await asyncio.sleep(self._delay)
        while True:
            async with self._lock:
                status = self._latest
                if self._stopped:
                    return
                if status is not None and status != self._shown:
                    try:
                        await self._edit(status)
                        self._shown = status
                    except Exception as exc:  # a status line is never worth the analysis
                        log.warning("progress edit failed (%s: %s)", type(exc).__name__, exc)
            await asyncio.sleep(self._interval)

    async def stop(self) -> None:
        async with self._lock:  # an edit in flight lands before whatever follows
            self._stopped = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def _ping(user: discord.abc.Snowflake) -> discord.AllowedMentions:
    """Mentions for a message that must reach the member who asked (the map or the failure,
    once the interaction has expired): that member alone; no everyone, roles or replies."""
    return discord.AllowedMentions(everyone=False, users=[user], roles=False, replied_user=False)


def permitted(policy: ChannelPolicy, channel: object, channel_id: int | None) -> bool:
    """A thread follows its parent channel: blocked if either is blocked, allowed if either is."""
    ids = [i for i in (channel_id, getattr(channel, "parent_id", None)) if i is not None]
    if any(i in policy.blocked for i in ids):
        return False
    return not policy.allowed or any(i in policy.allowed for i in ids)


def _limit_message(wait: float, what: str) -> str:
    until = int(time.time() + wait)
    return f"{what} Try again in {humanize_seconds(wait)} (<t:{until}:R>)."


def _rate_refusal(bot: CrosstalkBot, user_id: int, guild_id: int, gs: GuildSettings) -> str | None:
    wait = bot.user_limits.retry_after(user_id, gs.user_rate_per_hour)
    if wait is not None:
        n = gs.user_rate_per_hour
        return _limit_message(wait, f"You have asked for {n} summaries in the last hour.")
    wait = bot.guild_limits.retry_after(guild_id, gs.guild_rate_per_hour)
    if wait is not None:
        n = gs.guild_rate_per_hour
        return _limit_message(wait, f"This server has had {n} summaries in the last hour.")
    return None


def input_limit(bot: CrosstalkBot, gs: GuildSettings) -> int:
    """The largest input read, whatever its kind (paste, file, link): the server's setting,
    never above the operator's CROSSTALK_MAX_INPUT_BYTES."""
    return min(gs.max_input_bytes, bot.settings.max_input_bytes)


def _token_alive(interaction: discord.Interaction) -> bool:
    return interaction.expires_at - discord.utils.utcnow() > TOKEN_MARGIN


async def summarize(
    bot: CrosstalkBot,
    interaction: discord.Interaction,
    load: Loader,
    *,
    private: bool | None,
    give_back: str | None = None,
) -> None:
    """Check, acknowledge within 3 s, queue the work, and report back. `give_back` is text the
    member typed or pasted: if no map comes of it, it is returned to them privately as a file,
    so a refused or unreadable paste is never lost."""
    delivered = False
    try:
        delivered = await _summarize(bot, interaction, load, private=private)
    finally:
        if give_back and not delivered:
            await give_back_paste(bot, interaction, give_back)


async def give_back_paste(bot: CrosstalkBot, interaction: discord.Interaction, text: str) -> None:
    """Return what the member typed to them privately as a file (it is never lost)."""
    if bot.is_closed() or not _token_alive(interaction):
        return
    paste = discord.File(io.BytesIO(text.encode()), filename="your-paste.txt")
    try:
        await bot.tell(
            interaction,
            "Here is your paste back, to fix and send again with `/summarize file:`.",
            file=paste,
        )
    except discord.HTTPException:
        log.warning("could not give a paste back (%s)", interaction_context(interaction))


async def _summarize(
    bot: CrosstalkBot, interaction: discord.Interaction, load: Loader, *, private: bool | None
) -> bool:
    """The steps of `summarize`; True when the map was delivered."""
    if interaction.guild_id is None:
        raise InputError("Crosstalk works in servers, not in direct messages.")
    guild_id, user_id = interaction.guild_id, interaction.user.id
    try:
        gs, policy = await asyncio.wait_for(
            asyncio.gather(bot.store.guild_settings(guild_id), bot.store.channel_policy(guild_id)),
            CHECK_TIMEOUT,
        )
    except TimeoutError:
        raise Refused("Crosstalk is under heavy load; try again in a moment.") from None
    if not permitted(policy, interaction.channel, interaction.channel_id):
        await bot.tell(
            interaction,
            "Crosstalk is not enabled in this channel. A server admin can allow it with "
            "`/crosstalk channels`.",
        )
        return False
    refusal = _rate_refusal(bot, user_id, guild_id, gs)
    if refusal:
        await bot.tell(interaction, refusal)
        return False
    private = gs.visibility == "private" if private is None else private
    await interaction.response.defer(thinking=True, ephemeral=private)

    noted = asyncio.Event()  # the "Queued" note goes out before the job's own edits

    async def work() -> None:
        await noted.wait()
        await _work(bot, interaction, load, gs, private=private)

    try:
        future = bot.jobs.submit(work)
    except Refused as exc:
        await _fail(bot, interaction, exc.message, private=private)
        return False
    bot.user_limits.hit(user_id)
    bot.guild_limits.hit(guild_id)
    ahead = bot.jobs.ahead - 1
    try:
        if ahead > 0:
            await interaction.edit_original_response(
                content=f"Queued: {ahead} summar{'ies' if ahead != 1 else 'y'} ahead of yours…",
                allowed_mentions=NO_MENTIONS,
            )
    finally:
        noted.set()
    try:
        await future
    except CrosstalkError as exc:
        await _fail(bot, interaction, exc.message, private=private)
    except Exception as exc:
        log.error(
            "summary failed (%s)",
            interaction_context(interaction),
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        await _fail(bot, interaction, APOLOGY, private=private)
    else:
        return True
    return False


async def _fail(
    bot: CrosstalkBot, interaction: discord.Interaction, message: str, *, private: bool
) -> None:
    """Replace the reply with the failure; once its token is dead, tell the member in the
    channel (or privately, for a private summary)."""
    try:
        if _token_alive(interaction):
            await interaction.edit_original_response(
                content=f"⚠️ {message}", embeds=[], attachments=[], allowed_mentions=NO_MENTIONS
            )
            return
        target = interaction.user if private else _channel(bot, interaction)
        await target.send(
            f"⚠️ {interaction.user.mention}, your summary could not be made: {message}",
            allowed_mentions=_ping(interaction.user),
        )
    except discord.HTTPException:
        log.warning("could not report a failure (%s)", interaction_context(interaction))


def _channel(bot: CrosstalkBot, interaction: discord.Interaction) -> discord.abc.Messageable:
    channel = interaction.channel
    if isinstance(channel, discord.abc.Messageable):
        return channel
    return bot.get_partial_messageable(interaction.channel_id or 0, guild_id=interaction.guild_id)


async def _work(
    bot: CrosstalkBot,
    interaction: discord.Interaction,
    load: Loader,
    gs: GuildSettings,
    *,
    private: bool,
) -> None:
    async def edit(status: str) -> None:
        if _token_alive(interaction):
            await interaction.edit_original_response(content=status, allowed_mentions=NO_MENTIONS)

    progress = Progress(edit, delay=bot.options.progress_delay)
    progress.start()
    try:
        await progress("Reading the input…")
        # loaders read `gs.max_input_bytes`: the one limit in force for every kind of input
        discussion = await load(replace(gs, max_input_bytes=input_limit(bot, gs)))
        report, rendered = await make_map(bot, discussion, gs, progress)
    finally:
        await progress.stop()
    pages = [[discord.Embed.from_dict(e) for e in page] for page in rendered.pages]
    await deliver(bot, interaction, report, pages, rendered.png, private=private)


async def make_map(
    bot: CrosstalkBot, discussion: Discussion, gs: GuildSettings, progress: Progress
) -> tuple[Report, Rendered]:
    """Analyse and render in the analysis processes. A model-backed engine stays here: its
    work is waiting on the model server, and its client (LLM_CONCURRENCY, what it learnt about
    the server) is the one follow-up answers share."""
    engine = bot.engine_for(gs)
    language = bot.language_for(gs)
    limit = bot.settings.max_comments
    if engine.name == "offline":
        await progress(f"Reading {len(discussion.comments)} comments…")
        await progress("Finding sides…")
        return await bot.pool.run(offline_map, discussion, language=language, max_comments=limit)
    report = await analyze_discussion(
        discussion, engine, progress=progress, language=language, max_comments=limit
    )
    await progress("Drawing the reply graph…")
    return report, await bot.pool.run(render_map, report)


def _thread_name(report: Report) -> str:
    title = report.discussion.article.title or "this discussion"
    return short(f"Questions: {title}", 100, trim="")


async def deliver(
    bot: CrosstalkBot,
    interaction: discord.Interaction,
    report: Report,
    pages: list[list[discord.Embed]],
    png: bytes | None,
    *,
    private: bool,
) -> None:
    """Post the map (as the interaction reply while its token lives, else as channel
    messages), open the follow-up thread and store the report for it."""
    pages = pages or [[discord.Embed(description="Nothing to show.")]]
    # the picture goes with the message whose embed shows it (attachment:// only works there)
    from bot.render.embeds import message_with_graph

    shown = message_with_graph(pages, GRAPH_FILE)
    at = 0 if shown is None else shown

    def files_for(i: int) -> list[discord.File]:
        return [discord.File(io.BytesIO(png), filename=GRAPH_FILE)] if png and i == at else []

    first: discord.Message
    if _token_alive(interaction):
        first = await interaction.edit_original_response(
            content=None, embeds=pages[0], attachments=files_for(0), allowed_mentions=NO_MENTIONS
        )
        for i, page in enumerate(pages[1:], start=1):
            await interaction.followup.send(
                embeds=page,
                files=files_for(i),
                ephemeral=private,
                allowed_mentions=NO_MENTIONS,
                wait=True,
            )
    else:
        target = interaction.user if private else _channel(bot, interaction)
        intro = f"The debate map {interaction.user.mention} asked for:"
        first = await target.send(
            content=intro,
            embeds=pages[0],
            files=files_for(0),
            allowed_mentions=_ping(interaction.user),
        )
        for i, page in enumerate(pages[1:], start=1):
            await target.send(embeds=page, files=files_for(i), allowed_mentions=NO_MENTIONS)
    if private:
        return
    try:
        await _open_thread(bot, interaction, report, first)
    except Exception as exc:  # the map is out: a thread or storage failure must not undo it
        log.error(
            "could not store the report or open its thread (%s)",
            interaction_context(interaction),
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        note = "The map is above, but I could not open a thread for questions about it."
        with contextlib.suppress(discord.HTTPException):
            await interaction.followup.send(note, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def _open_thread(
    bot: CrosstalkBot, interaction: discord.Interaction, report: Report, first: discord.Message
) -> None:
    channel = interaction.channel
    in_thread = isinstance(channel, discord.Thread)
    report_id = await bot.store.save_report(
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id or 0,
        message_id=first.id,
        thread_id=channel.id if in_thread and channel else None,
        report=report,
    )
    if in_thread and channel is not None:
        bot.remember_thread(channel.id)
        return
    thread = await first.create_thread(name=_thread_name(report), auto_archive_duration=1440)
    await bot.store.attach_thread(report_id, thread.id)
    bot.remember_thread(thread.id)
    how = "mention me" + (" or just write" if bot.options.message_content else "")
    await thread.send(
        f"Questions about this discussion? Ask here: {how}, or use `/ask`. "
        "I answer from the comments and cite them (#n, author).",
        allowed_mentions=NO_MENTIONS,
    )
