"""Report -> Discord embeds: the debate map, follow-up answers, status cards.

Every Discord limit (DESIGN.md) is respected by construction: lists that do not fit go on into
a continuation embed, embeds are packed into as many messages as needed, and only single texts
that cannot fit anywhere (a 4,000-character quote in a 1,024-character field) are shortened, at a
sentence or word boundary with an ellipsis. User text is markdown-escaped and mention-proof;
callers still send with no mentions allowed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import discord

from bot.core.model import Comment, KeyArgument, Report, Side
from bot.core.structure import conversations, repost_note, reposts
from bot.core.text import plural, quoted, without_marker
from bot.render.palette import NEUTRAL_COLOUR, OTHERS_COLOUR, author_sides, colour_of
from bot.render.text import fit, neutralise, size
from bot.render.wording import unanswered_rule

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
AUTHOR_MAX = 256
EMBEDS_PER_MESSAGE = 10
CHARS_PER_MESSAGE = 6000
EMBED_SOFT_MAX = 5000
"""An embed is closed before it passes this, so two or more still share a message."""

ARGUMENTS_PER_SIDE = 8
ARGUMENTS_IN_MAP = 16
"""Key arguments shown across all sides, shared out by side size (DESIGN.md: space in
proportion to weight, never less than one); the rest are left to follow-up questions."""
LIST_ITEMS = 10
QUOTE_MAX = 300
FOOTER_NOTE_MAX = 300
"""Footers here are short notes; keeping them short keeps every embed under the soft size."""
EMPTY = "\u200b"  # Discord refuses empty field names and values


def embed_size(embed: discord.Embed) -> int:
    """The characters Discord counts for an embed (title, description, field names and values,
    footer, author), measured in UTF-16 code units so it is never an undercount."""
    total = size(embed.title or "") + size(embed.description or "")
    total += sum(size(f.name or "") + size(f.value or "") for f in embed.fields)
    total += size(embed.footer.text or "") + size(embed.author.name or "")
    return total


def _names(names: Sequence[str], limit: int) -> str:
    """Escaped names joined with commas, as many as fit in `limit`, then "+n more"."""
    out: list[str] = []
    for n, name in enumerate(names):
        item = fit(name, 80, one_line=True) or "?"
        rest = len(names) - n - 1
        if size(", ".join([*out, item]) + (f" +{rest} more" if rest else "")) > limit:
            break
        out.append(item)
    if len(out) == len(names):
        return ", ".join(out)
    if not out:
        return plural(len(names), "person", "people")
    return ", ".join(out) + f" +{len(names) - len(out)} more"


def _same_words(a: str, b: str) -> bool:
    def words(text: str) -> str:
        return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())

    return words(a) == words(b)


def _cite(comment: Comment | None) -> str:
    return f"(#{comment.index}, {fit(comment.author, 80, one_line=True)})" if comment else ""


@dataclass
class _Card:
    """Builds one logical card that may span several embeds: lines flow into descriptions,
    fields into further embeds once 25 fields or the soft size limit are reached."""

    title: str
    colour: int

    def __post_init__(self) -> None:
        self.embeds: list[discord.Embed] = []
        self._new()

    def _new(self) -> discord.Embed:
        title = self.title
        if self.embeds and title:
            title = fit(f"{title} (continued)", TITLE_MAX, escape=False)
        embed = discord.Embed(title=title or None, colour=self.colour)
        self.embeds.append(embed)
        return embed

    @property
    def current(self) -> discord.Embed:
        return self.embeds[-1]

    def line(self, text: str) -> None:
        """Append a line to the description. A full embed, or one that already has fields
        (a description shows above them), goes on in a new embed."""
        embed = self.current
        desc = embed.description or ""
        joined = f"{desc}\n{text}" if desc else text
        if (desc or embed.fields) and (
            embed.fields
            or size(joined) > DESCRIPTION_MAX
            or embed_size(embed) + size(text) + 1 > EMBED_SOFT_MAX
        ):
            embed = self._new()
            joined = text
        if size(joined) > DESCRIPTION_MAX:
            joined = fit(joined, DESCRIPTION_MAX, escape=False)
        embed.description = joined

    def field(self, name: str, value: str, *, inline: bool = False) -> None:
        # Callers fit their texts to these limits already; this only guards them.
        name = (
            name if size(name) <= FIELD_NAME_MAX else fit(name, FIELD_NAME_MAX, escape=False)
        ) or EMPTY
        value = (
            value if size(value) <= FIELD_VALUE_MAX else fit(value, FIELD_VALUE_MAX, escape=False)
        ) or EMPTY
        embed = self.current
        if len(embed.fields) >= FIELDS_MAX or (
            embed_size(embed) + size(name) + size(value) > EMBED_SOFT_MAX
        ):
            embed = self._new()
        embed.add_field(name=name, value=value, inline=inline)

    def footer(self, text: str, *, last: bool = False) -> None:
        """A short note under the first embed of the card (or the last, for a closing note)."""
        embed = self.embeds[-1 if last else 0]
        embed.set_footer(text=fit(text, FOOTER_NOTE_MAX, escape=False, one_line=True))


def argument_shares(sides: Sequence[Side], total: int = ARGUMENTS_IN_MAP) -> list[int]:
    """How many key arguments each side shows: `total` shared in proportion to the number of
    commenters (largest remainders), at least one and at most `ARGUMENTS_PER_SIDE` each, never
    more than the side has."""
    weights = [max(len(s.authors), 1) for s in sides]
    whole = sum(weights) or 1
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    for i in sorted(range(len(sides)), key=lambda i: exact[i] - shares[i], reverse=True):
        if sum(shares) >= total:
            break
        shares[i] += 1
    return [
        min(len(s.key_arguments), max(1, min(ARGUMENTS_PER_SIDE, n)))
        for s, n in zip(sides, shares, strict=True)
    ]


def _argument_fields(
    card: _Card, points: Sequence[KeyArgument], share: int, by_id: Mapping[str, Comment]
) -> None:
    """The first `share` key arguments (or positions) as fields: the point, who makes it and
    the verbatim quote; a closing note counts the rest."""
    shown = points[:share]
    for k in shown:
        suffix = f" — {plural(k.count, 'commenter')}"
        name = (fit(k.point, FIELD_NAME_MAX - size(suffix), one_line=True) or "Argument") + suffix
        parts = []
        if k.authors:
            parts.append("By " + _names(k.authors, 200))
        cite = _cite(by_id.get(k.quote_comment_id or ""))
        if k.quote and len(k.point) <= 200 and _same_words(k.quote, k.point):
            # The point is itself the quote, whole in the field name: say whose words they are.
            parts.append(f"Verbatim: {cite}" if cite else "Verbatim.")
        elif k.quote:
            room = min(QUOTE_MAX, FIELD_VALUE_MAX - 300 - size(cite))
            parts.append(f"> {quoted(fit(k.quote, room, one_line=True))} {cite}".rstrip())
        if k.against:
            parts.append("Disputed by " + _names(k.against, 200))
        card.field(name, fit("\n".join(parts), FIELD_VALUE_MAX, escape=False))
    if len(points) > len(shown):
        more = len(points) - len(shown)
        card.footer(f"…and {plural(more, 'more key argument')}; ask in the thread.", last=True)


def _positions_card(report: Report, by_id: Mapping[str, Comment]) -> list[discord.Embed]:
    """No sides (the headline card says why): the positions people take, each with who
    takes it."""
    card = _Card("Positions taken", NEUTRAL_COLOUR)
    card.line("No camps: the points people make, each with who makes it.")
    _argument_fields(card, report.positions, ARGUMENTS_IN_MAP // 2, by_id)
    return card.embeds


def _side_card(
    report: Report, index: int, side: Side, by_id: Mapping[str, Comment], share: int
) -> list[discord.Embed]:
    suffix = f" · {plural(len(side.authors), 'commenter')}"
    label = fit(side.label, TITLE_MAX - size(suffix), one_line=True) or f"Side {index + 1}"
    card = _Card(label + suffix, colour_of(report, index))
    if side.stance:
        card.line("**Stance:** " + fit(side.stance, 1000))
    if side.summary:
        card.line("")
        card.line(fit(side.summary, 2000))
    if side.authors:
        card.line("")
        card.line("**Members:** " + _names(side.authors, 900))
    _argument_fields(card, side.key_arguments, share, by_id)
    if not side.key_arguments and not side.summary:
        card.line("*Too few comments to summarise this side.*")
    return card.embeds


def _headline_card(report: Report) -> list[discord.Embed]:
    d = report.discussion
    t = report.thread
    card = _Card(fit(d.article.title or "Discussion", TITLE_MAX, one_line=True), NEUTRAL_COLOUR)
    embed = card.current
    url = d.article.url
    if url and url.startswith(("http://", "https://")) and len(url) <= 2000:
        embed.url = url
    if d.article.author:
        embed.set_author(name=fit(d.article.author, AUTHOR_MAX, escape=False, one_line=True))
    card.line(fit(report.headline, DESCRIPTION_MAX) if report.headline else "*No headline.*")
    if report.sides_note:
        card.line("")
        card.line("*" + fit(report.sides_note, 1000) + "*")
    for i, side in enumerate(report.sides):
        name = fit(side.label, FIELD_NAME_MAX - 20, one_line=True) or f"Side {i + 1}"
        card.field(name, f"{plural(len(side.authors), 'commenter')}", inline=True)
    counts = [
        plural(len(d.comments), "comment"),
        plural(len(d.authors), "commenter"),
        plural(len(t.chains), "reply chain"),
        plural(len(report.sides), "side") if report.sides else "no sides",
        f"engine: {report.engine}",
    ]
    card.footer(" · ".join(counts))
    return card.embeds


def _responses_card(report: Report, graph_filename: str | None) -> list[discord.Embed]:
    t = report.thread
    by_id = report.discussion.by_id()
    card = _Card("Who responded to whom", NEUTRAL_COLOUR)
    if graph_filename:
        card.current.set_image(url=f"attachment://{graph_filename}")
    sides = author_sides(report)
    labels = [fit(s.label, 28, one_line=True) for s in report.sides]
    rebuttals = [
        i
        for i in t.interactions
        if i.source in sides and i.target in sides and sides[i.source] != sides[i.target]
    ]
    if not t.interactions:
        card.line("Nobody replied to anybody: every comment stands alone.")
    else:
        total = sum(i.count for i in t.interactions)
        people = {i.source for i in t.interactions} | {i.target for i in t.interactions}
        across = sum(i.count for i in rebuttals)
        summary = f"{plural(total, 'reply', 'replies')} between {plural(len(people), 'commenter')}"
        card.line(summary + (f", {across:,} of them across sides." if report.sides else "."))
    if t.exchanges:
        rows = [
            f"{fit(e.a, 80, one_line=True)} ↔ {fit(e.b, 80, one_line=True)} — "
            f"{plural(e.count, 'reply', 'replies')}"
            for e in t.exchanges[:LIST_ITEMS]
        ]
        _list_field(card, "Main exchanges", rows, len(t.exchanges))
    if rebuttals:
        rows = [
            f"{fit(i.source, 60, one_line=True)} ({labels[sides[i.source]]}) → "
            f"{fit(i.target, 60, one_line=True)} ({labels[sides[i.target]]}): "
            f"{plural(i.count, 'reply', 'replies')}"
            for i in rebuttals[:LIST_ITEMS]
        ]
        _list_field(card, "Cross-side rebuttals", rows, len(rebuttals))
    elif report.sides and t.interactions:
        card.field("Cross-side rebuttals", "None: nobody replied to someone on another side.")
    unanswered = [by_id[c] for c in report.unanswered if c in by_id]
    if unanswered:
        rows = [
            f"#{c.index} {fit(c.author, 60, one_line=True)}: "
            f"{fit(without_marker(c.text), 110, one_line=True)}"
            for c in unanswered[:LIST_ITEMS]
        ]
        _list_field(
            card, f"Unanswered arguments ({unanswered_rule(report)})", rows, len(unanswered)
        )
    return card.embeds


def _list_field(card: _Card, name: str, rows: list[str], total: int) -> None:
    """One field of bullet rows; rows that do not fit in 1,024 characters go on into a
    second field of the same name rather than being cut."""
    chunks: list[list[str]] = [[]]
    for row in rows:
        row = "• " + row
        if chunks[-1] and size("\n".join([*chunks[-1], row])) > FIELD_VALUE_MAX - 40:
            chunks.append([])
        chunks[-1].append(fit(row, FIELD_VALUE_MAX - 40, escape=False))
    if total > len(rows):
        chunks[-1].append(f"*…and {total - len(rows):,} more*")
    for n, chunk in enumerate(chunks):
        card.field(name if n == 0 else f"{name} (continued)", "\n".join(chunk))


def _chains_card(report: Report) -> list[discord.Embed]:
    t = report.thread
    by_id = report.discussion.by_id()
    talks = conversations(t.chains)
    card = _Card("Reply chains", NEUTRAL_COLOUR)
    if not talks:
        card.line("No conversations: nobody replied to anybody.")
    for ch in talks[:LIST_ITEMS]:
        root = by_id.get(ch.comment_ids[0])
        opening = (
            f"{quoted(fit(without_marker(root.text), 140, one_line=True))} {_cite(root)}"
            if root
            else ""
        )
        card.line(
            f"• **{plural(len(ch.comment_ids), 'comment')}** — "
            f"{_names(ch.participants, 200)}\n  {opening}".rstrip()
        )
    single = len(t.chains) - len(talks)
    more = len(talks) - min(len(talks), LIST_ITEMS)
    tail = []
    if more:
        tail.append(f"…and {plural(more, 'more conversation')}")
    if single:
        tail.append(f"{plural(single, 'comment')} nobody replied to")
    if tail:
        card.line("*" + "; ".join(tail) + ".*")
    return card.embeds


def _notes_card(report: Report) -> list[discord.Embed]:
    d = report.discussion
    t = report.thread
    warnings = list(d.warnings) + list(report.warnings)
    deleted = sum(1 for c in d.comments if c.deleted)
    if not (report.side_threads or warnings or t.duplicates or deleted):
        return []
    card = _Card("Side threads and noise", OTHERS_COLOUR)
    noise = []
    if t.duplicates:
        noise.append(plural(len(t.duplicates), "duplicate re-post"))
    if deleted:
        noise.append(plural(deleted, "deleted comment"))
    if noise:
        card.line("Left out of the sides: " + ", ".join(noise) + ".")
    copies = reposts(d, t.duplicates)
    if copies:
        by_id = d.by_id()
        rows = [
            repost_note(fit(by_id[k].author, 60, one_line=True), by_id[c], by_id[k], edited)
            for c, k, edited in copies[:LIST_ITEMS]
        ]
        _list_field(card, "Posted twice", rows, len(copies))
    for w in warnings[:LIST_ITEMS]:
        card.line("⚠️ " + fit(w, 500, one_line=True))
    if len(warnings) > LIST_ITEMS:
        card.line(f"*…and {plural(len(warnings) - LIST_ITEMS, 'more warning')}.*")
    for st in report.side_threads[:LIST_ITEMS]:
        card.field(
            fit(st.label, FIELD_NAME_MAX, one_line=True) or "Side thread",
            f"{plural(len(st.comment_ids), 'comment')} — {_names(st.participants, 900)}",
        )
    if len(report.side_threads) > LIST_ITEMS:
        more = len(report.side_threads) - LIST_ITEMS
        card.footer(f"…and {plural(more, 'more side thread')}.", last=True)
    return card.embeds


def pack(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds in order, as few messages as the per-message limits (10 embeds, 6,000 chars)
    allow."""
    messages: list[list[discord.Embed]] = []
    used = 0
    for embed in embeds:
        n = embed_size(embed)
        if not messages or len(messages[-1]) >= EMBEDS_PER_MESSAGE or used + n > CHARS_PER_MESSAGE:
            messages.append([])
            used = 0
        messages[-1].append(embed)
        used += n
    return messages


def render_report(
    report: Report, *, graph_filename: str | None = None
) -> list[list[discord.Embed]]:
    """The debate map as embeds, one inner list per message. `graph_filename` names an
    attachment (the reply-graph PNG) to show in the "Who responded to whom" embed."""
    by_id = report.discussion.by_id()
    embeds = _headline_card(report)
    shares = argument_shares(report.sides)
    for i, side in enumerate(report.sides):
        embeds += _side_card(report, i, side, by_id, shares[i])
    if not report.sides and report.positions:
        embeds += _positions_card(report, by_id)
    embeds += _responses_card(report, graph_filename)
    embeds += _chains_card(report)
    embeds += _notes_card(report)
    return pack(embeds)


def message_with_graph(messages: Sequence[Sequence[discord.Embed]], filename: str) -> int | None:
    """Index of the message whose embeds show `attachment://filename`: the picture must be
    attached to that message (Discord resolves attachment URLs within one message)."""
    url = f"attachment://{filename}"
    for n, embeds in enumerate(messages):
        if any(e.image.url == url for e in embeds):
            return n
    return None


def render_answer(answer_text: str, citations: Sequence[Comment]) -> list[discord.Embed]:
    """A follow-up answer and the comments it cites (up to 8), as the embeds of one message.
    The answer is the bot's own text: its markdown is kept, mentions are broken; the cited
    comments are user text and are escaped."""
    card = _Card("", NEUTRAL_COLOUR)
    fields = [
        (f"#{c.index} " + fit(c.author, 70, one_line=True), "> " + fit(c.text, 240, one_line=True))
        for c in citations[:8]
    ]
    room = min(DESCRIPTION_MAX, CHARS_PER_MESSAGE - 100 - sum(size(n + v) for n, v in fields))
    answer = neutralise(answer_text.strip())
    card.line(fit(answer, room, escape=False) if size(answer) > room else answer or "*No answer.*")
    for name, value in fields:
        card.field(name, value)
    return [e for message in pack(card.embeds) for e in message]


def render_status(
    title: str, rows: Mapping[str, str], *, ok: bool = True, note: str | None = None
) -> discord.Embed:
    """A small card of name/value rows (settings, engine health, queue, refusals)."""
    card = _Card(fit(title, TITLE_MAX, escape=False, one_line=True), 0x57F287 if ok else 0xED4245)
    if note:
        card.line(fit(note, DESCRIPTION_MAX, escape=False))
    for name, value in list(rows.items())[:FIELDS_MAX]:
        card.field(
            fit(name, FIELD_NAME_MAX, one_line=True),
            fit(value, FIELD_VALUE_MAX, escape=False) or "—",
            inline=True,
        )
    return card.embeds[0]
