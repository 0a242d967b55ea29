"""What a member hands the bot -> a Discussion: a paste, an attachment, a link, a message, or the
channel's own recent conversation (with Discord's reply references as exact parent links).

Reading (parsing, and fetching a link with its parsing) is CPU work: it runs in the bot's
analysis processes (`bot.work.pool`), not in its event loop.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncGenerator, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import PurePosixPath
from typing import Any, Literal, cast

import discord

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion
from bot.ingest.decode import human_size, too_large
from bot.ingest.fetch import FetchPolicy
from bot.ingest.reader import read_discussion
from bot.work.pool import AnalysisPool
from bot.work.steps import read_link

FILE_TYPES = (".txt", ".md", ".html", ".htm", ".json")
MAX_HISTORY = 500
_URL = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)
_CHAT_TYPES = (discord.MessageType.default, discord.MessageType.reply)


async def from_text(text: str, *, max_bytes: int, pool: AnalysisPool) -> Discussion:
    data = text.encode("utf-8")
    return await pool.run(read_discussion, data, max_bytes=max_bytes)


async def from_file(
    url: str, name: str, size: int, *, max_bytes: int, pool: AnalysisPool, client: discord.Client
) -> Discussion:
    """An attachment, downloaded from Discord's CDN (by whichever process holds the work)."""
    if PurePosixPath(name.lower()).suffix not in FILE_TYPES:
        raise InputError(
            f"Crosstalk reads .txt, .md, .html and .json files; {name!r} is none of those."
        )
    if size > max_bytes:
        raise too_large(max_bytes, size, what=repr(name))
    try:
        data = await client.http.get_from_cdn(url)
    except discord.HTTPException as exc:
        raise InputError(f"Discord did not let me download {name!r} ({exc.status}).") from None
    return await pool.run(read_discussion, data, name=name, max_bytes=max_bytes)


async def from_url(
    url: str, policy: FetchPolicy, *, max_bytes: int, pool: AnalysisPool
) -> Discussion:
    """Fetched and read in an analysis process, through the fetcher's address rules; nothing
    larger than `max_bytes` is read."""
    if not _URL.fullmatch(url.strip()):
        raise InputError("That does not look like a link: give a full http:// or https:// URL.")
    return await pool.run(read_link, url.strip(), replace(policy, max_bytes=max_bytes))


@dataclass(frozen=True, slots=True)
class Source:
    """What the member handed over, as plain data (a queued job carries it as JSON); read by
    whichever process does the work, once it has started."""

    kind: Literal["text", "file", "url", "history", "refused"]
    text: str | None = None
    """The paste (text); why nothing can be read (refused)."""
    url: str | None = None
    """The link (url), or the attachment's CDN address (file)."""
    filename: str | None = None
    size: int = 0
    limit: int = 0
    """history: how many messages."""
    before: int = 0
    """history: the command's own snowflake (the bot's reply is after it)."""
    name: str | None = None
    """history: the channel's name."""

    @classmethod
    def file(cls, attachment: discord.Attachment) -> Source:
        return cls("file", url=attachment.url, filename=attachment.filename, size=attachment.size)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(**data)


async def read_source(
    source: Source,
    *,
    max_bytes: int,
    pool: AnalysisPool,
    policy: FetchPolicy,
    client: discord.Client,
    channel: discord.abc.Messageable,
    content_intent: bool,
) -> Discussion:
    """`channel`: where the command was used (for history:), as the caller can reach it."""
    if source.kind == "text":
        return await from_text(source.text or "", max_bytes=max_bytes, pool=pool)
    if source.kind == "file":
        return await from_file(
            source.url or "",
            source.filename or "",
            source.size,
            max_bytes=max_bytes,
            pool=pool,
            client=client,
        )
    if source.kind == "url":
        return await from_url(source.url or "", policy, max_bytes=max_bytes, pool=pool)
    if source.kind == "history":
        return await from_history(
            channel,
            source.limit,
            before=source.before,
            content_intent=content_intent,
            name=source.name,
            max_bytes=max_bytes,
        )
    raise InputError(source.text or "There is nothing to read.")


def first_link(text: str) -> str | None:
    m = _URL.search(text or "")
    return m.group(0).rstrip(".,)>]") if m else None


def _readable(m: discord.Message, *, skip_bots: bool = True) -> bool:
    """A member's chat message with text: what becomes a comment."""
    if skip_bots and m.author.bot:
        return False
    return m.type in _CHAT_TYPES and bool(m.content.strip())


def message_bytes(m: discord.Message) -> int:
    """What a message weighs against the input limit: its line in a chat log, `name: text`."""
    return len(f"{m.author.display_name}: {m.content.strip()}\n".encode())


def discussion_from_messages(
    messages: Iterable[discord.Message], *, title: str | None, skip_bots: bool = True
) -> Discussion:
    """Messages oldest first -> a Discussion; a reply reference becomes an exact parent link
    when the message replied to is part of the window."""
    comments: list[Comment] = []
    seen: set[str] = set()
    for m in messages:
        if not _readable(m, skip_bots=skip_bots):
            continue
        text = m.content.strip()
        ref = m.reference.message_id if m.reference else None
        parent = str(ref) if ref is not None and str(ref) in seen else None
        cid = str(m.id)
        seen.add(cid)
        comments.append(
            Comment(
                id=cid,
                index=len(comments) + 1,
                author=m.author.display_name,
                text=text,
                parent_id=parent,
                timestamp=m.created_at.isoformat(),
            )
        )
    return Discussion(article=Article(title=title), comments=tuple(comments), source="discord")


async def from_history(
    channel: discord.abc.Messageable,
    limit: int,
    *,
    before: int,
    content_intent: bool,
    name: str | None,
    max_bytes: int,
) -> Discussion:
    """The `limit` messages before the snowflake `before` (the command itself, so the bot's
    own "thinking…" reply is not part of the window), newest first while they fit in
    `max_bytes` (see `message_bytes`): older ones are left out, with a warning in the
    Discussion, and no more history is fetched."""
    if not 2 <= limit <= MAX_HISTORY:
        raise InputError(f"history: takes between 2 and {MAX_HISTORY} messages.")
    newest_first: list[discord.Message] = []
    used, kept, full = 0, 0, False
    try:
        # history() is an async generator (typed as an iterator): closing it stops the fetching
        messages = channel.history(limit=limit, before=discord.Object(id=before))
        async with contextlib.aclosing(
            cast("AsyncGenerator[discord.Message, None]", messages)
        ) as history:
            async for m in history:
                if _readable(m):
                    size = message_bytes(m)
                    if used + size > max_bytes:
                        full = True
                        break
                    used, kept = used + size, kept + 1
                newest_first.append(m)
    except discord.Forbidden:
        raise InputError(
            "I can't read this channel's history: give me the Read Message History permission."
        ) from None
    if full and kept < 2:
        raise InputError(
            "The newest messages here are longer than the input limit allows "
            f"({human_size(max_bytes)}): only {kept} of them "
            f"{'fits' if kept == 1 else 'fit'}, and a map needs at least 2."
        )
    title = f"#{name}: the last {len(newest_first)} messages" if name else None
    discussion = discussion_from_messages(reversed(newest_first), title=title)
    if len(discussion.comments) < 2:
        hint = (
            ""
            if content_intent
            else " Without the Message Content intent I only see messages that mention me; an "
            "admin can enable it (see the setup guide)."
        )
        raise InputError(f"There is no conversation to map in those messages.{hint}")
    if full:
        note = (
            f"Only the newest {kept} messages were read ({human_size(used)}): the {limit} "
            f"asked for are more than the input limit here ({human_size(max_bytes)})."
        )
        discussion = replace(discussion, warnings=(note, *discussion.warnings))
    return discussion
