"""Making one debate map once the member has been answered "thinking…", wherever the work runs
(the bot's own job queue, or a `crosstalk worker` that took it from Redis): read the input,
analyse and render in the analysis processes, post the map through the interaction's webhook
with progress edits on the way, open the thread for questions and store the report.

A failure is a message for the member (and their paste back), never silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

import discord

from bot.config import Settings
from bot.core.errors import CrosstalkError, Unavailable
from bot.core.model import Discussion, Report
from bot.core.text import short
from bot.discord.inputs import Source, read_source
from bot.discord.options import BotOptions
from bot.discord.reply import Reply
from bot.engines.base import Engine
from bot.ingest.fetch import FetchPolicy
from bot.pipeline import analyze_discussion
from bot.store import GuildSettings, Store
from bot.work.pool import AnalysisPool
from bot.work.steps import GRAPH_FILE, Rendered, offline_map, render_map

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on Crosstalk's side. The error has been logged."


class Workplace(Protocol):
    """What making a map needs from the process that holds the work (the bot, a worker)."""

    settings: Settings
    options: BotOptions
    pool: AnalysisPool
    store: Store
    fetch_policy: FetchPolicy

    def engine_for(self, guild: GuildSettings) -> Engine: ...

    def language_for(self, guild: GuildSettings) -> str | None: ...

    def remember_thread(self, thread_id: int) -> None: ...

    def history_channel(self, reply: Reply) -> discord.abc.Messageable: ...


class Ledger(Protocol):
    """What a delivery already did, kept where a second worker retrying the same job finds it
    (at-least-once work, one map): the first message, the stored report, the thread."""

    async def get(self, step: str) -> int | None: ...

    async def set(self, step: str, value: int) -> None: ...


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


def input_limit(place: Workplace, gs: GuildSettings) -> int:
    """The largest input read, whatever its kind (paste, file, link): the server's setting,
    never above the operator's CROSSTALK_MAX_INPUT_BYTES."""
    return min(gs.max_input_bytes, place.settings.max_input_bytes)


async def fulfil(
    place: Workplace,
    client: discord.Client,
    reply: Reply,
    source: Source,
    gs: GuildSettings,
    *,
    give_back: str | None = None,
    ledger: Ledger | None = None,
) -> bool:
    """Make and deliver the map; True when it was delivered. A member's problem (bad input)
    is shown as its message, anything else as an apology with the traceback logged."""
    try:
        progress = Progress(reply.edit, delay=place.options.progress_delay)
        progress.start()
        try:
            await progress("Reading the input…")
            discussion = await read_source(
                source,
                max_bytes=input_limit(place, gs),
                pool=place.pool,
                policy=place.fetch_policy,
                client=client,
                channel=place.history_channel(reply),
                content_intent=place.options.message_content,
            )
            report, rendered = await make_map(place, discussion, gs, progress)
        finally:
            await progress.stop()
        pages = [[discord.Embed.from_dict(e) for e in page] for page in rendered.pages]
        await deliver(place, reply, report, pages, rendered.png, ledger=ledger)
        return True
    except CrosstalkError as exc:
        if isinstance(exc, Unavailable):
            log.error("%s (%s): %s", exc.message, reply.target.context(), exc.__cause__ or exc)
        await reply.fail(exc.message)
    except Exception as exc:
        log.error(
            "summary failed (%s)",
            reply.target.context(),
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        await reply.fail(APOLOGY)
    if give_back:
        await reply.give_back(give_back)
    return False


async def make_map(
    place: Workplace, discussion: Discussion, gs: GuildSettings, progress: Progress
) -> tuple[Report, Rendered]:
    """Analyse and render in the analysis processes. A model-backed engine stays here: its
    work is waiting on the model server, and its client (LLM_CONCURRENCY, what it learnt about
    the server) is the one follow-up answers share."""
    engine = place.engine_for(gs)
    language = place.language_for(gs)
    limit = place.settings.max_comments
    if engine.name == "offline":
        await progress(f"Reading {len(discussion.comments)} comments…")
        await progress("Finding sides…")
        return await place.pool.run(offline_map, discussion, language=language, max_comments=limit)
    report = await analyze_discussion(
        discussion, engine, progress=progress, language=language, max_comments=limit
    )
    await progress("Drawing the reply graph…")
    return report, await place.pool.run(render_map, report)


def _thread_name(report: Report) -> str:
    title = report.discussion.article.title or "this discussion"
    return short(f"Questions: {title}", 100, trim="")


async def deliver(
    place: Workplace,
    reply: Reply,
    report: Report,
    pages: list[list[discord.Embed]],
    png: bytes | None,
    *,
    ledger: Ledger | None = None,
) -> None:
    """Post the map (as the interaction reply while its token lives, else as channel
    messages), open the follow-up thread and store the report for it. With a `ledger`, a step
    a previous attempt at the same job finished is not done again."""
    pages = pages or [[discord.Embed(description="Nothing to show.")]]
    # the picture goes with the message whose embed shows it (attachment:// only works there)
    from bot.render.embeds import message_with_graph

    shown = message_with_graph(pages, GRAPH_FILE)
    first = await ledger.get("first") if ledger else None
    if first is None:
        first = await reply.post_map(pages, png, GRAPH_FILE, 0 if shown is None else shown)
        if ledger:
            await ledger.set("first", first)
    if reply.target.private:
        return
    try:
        await _open_thread(place, reply, report, first, ledger)
    except Exception as exc:  # the map is out: a thread or storage failure must not undo it
        log.error(
            "could not store the report or open its thread (%s)",
            reply.target.context(),
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        note = "The map is above, but I could not open a thread for questions about it."
        with contextlib.suppress(discord.HTTPException):
            await reply.tell(note)


async def _open_thread(
    place: Workplace, reply: Reply, report: Report, first: int, ledger: Ledger | None
) -> None:
    target = reply.target
    report_id = await ledger.get("report") if ledger else None
    if report_id is None:
        report_id = await place.store.save_report(
            guild_id=target.guild_id,
            channel_id=target.channel_id,
            message_id=first,
            thread_id=target.channel_id if target.in_thread else None,
            report=report,
        )
        if ledger:
            await ledger.set("report", report_id)
    if target.in_thread:
        place.remember_thread(target.channel_id)
        return
    if ledger and await ledger.get("thread") is not None:
        return
    thread = await reply.open_thread(first, _thread_name(report))
    await place.store.attach_thread(report_id, thread)
    if ledger:
        await ledger.set("thread", thread)
    place.remember_thread(thread)
    how = "mention me" + (" or just write" if place.options.message_content else "")
    await reply.post(
        thread,
        f"Questions about this discussion? Ask here: {how}, or use `/ask`. "
        "I answer from the comments and cite them (#n, author).",
    )
