"""Gold reply trees rendered as the pastes people make, and what a perfect parse would find.

How each shape encodes who replies to whom, honestly:
- `wp-nested`: a numbered WordPress list whose copy kept the nesting as indentation.
- `wp-numbered`, `wp-unnumbered`, `plain`, `chat-discord`: flat copies. Nesting is lost, so the
  only signal is what people type: a reply starts with `@Parent` (in rotating forms `@Name:`,
  `@Name,`, `@Name -`, `@Name text`) unless its text already starts with an `@`.
- `chat-irc`: `[hh:mm] <nick> parent_nick: text`, the IRC habit.
- `wp-as-written`: a flat unnumbered copy with no marker added: only what the commenters really
  wrote (their own @Names, quotes, addressing). It shows what text alone recovers.
- `outline`: nested bullets, one level per reply depth.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.eval.gold import GoldComment, GoldThread

_FORMS = ("@{}: ", "@{}, ", "@{} - ", "@{} ")


@dataclass(frozen=True, slots=True)
class Expected:
    author: str
    text: str
    parent: int | None
    """Position (0-based, in paste order) of the comment replied to; None = top level."""


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    expected: tuple[Expected, ...]


def _order_tree(thread: GoldThread) -> list[tuple[GoldComment, int]]:
    """Depth-first (threaded) order with depths."""
    ids = {c.id for c in thread.comments}
    kids: dict[str | None, list[GoldComment]] = {}
    for c in thread.comments:
        kids.setdefault(c.parent if c.parent in ids else None, []).append(c)
    out: list[tuple[GoldComment, int]] = []
    todo = [(c, 0) for c in reversed(kids.get(None, []))]
    while todo:
        c, d = todo.pop()
        out.append((c, d))
        todo.extend((k, d + 1) for k in reversed(kids.get(c.id, [])))
    return out


def _when(c: GoldComment, n: int) -> datetime:
    return c.timestamp or datetime(2017, 5, 15, 14, 0, tzinfo=UTC) + timedelta(minutes=7 * n)


def _wp_date(t: datetime) -> str:
    hour = t.hour % 12 or 12
    return f"{t:%B} {t.day}, {t.year} at {hour}:{t:%M} {'am' if t.hour < 12 else 'pm'}"


def _with_marker(text: str, parent_name: str | None, n: int, form: str | None) -> str:
    if parent_name is None or form is None or text.lstrip().startswith("@"):
        return text
    return (form if form != "rotate" else _FORMS[n % len(_FORMS)]).format(parent_name) + text


def _header(thread: GoldThread, count: int, numbered: bool) -> list[str]:
    out = [thread.title]
    if thread.author:
        out.append(f"By {thread.author} | Leave a comment")
    out += ["", thread.article, "", "Share this:", "Twitter", "Facebook", ""]
    heading = f"{count} thoughts on “{thread.title}”" if numbered else f"{count} Responses"
    return [*out, heading, ""]


def _expected(rows: list[tuple[GoldComment, str]], name: Callable[[str], str]) -> tuple:
    pos = {c.id: i for i, (c, _) in enumerate(rows)}
    return tuple(
        Expected(name(c.author), " ".join(text.split()), pos.get(c.parent or ""))
        for c, text in rows
    )


def _flat_rows(
    thread: GoldThread, form: str | None, name: Callable[[str], str] = str
) -> list[tuple[GoldComment, str]]:
    by_id = {c.id: c for c in thread.comments}
    rows = []
    for n, c in enumerate(thread.comments):
        parent = by_id.get(c.parent or "")
        rows.append((c, _with_marker(c.text, name(parent.author) if parent else None, n, form)))
    return rows


def wordpress(thread: GoldThread, *, numbered: bool, nested: bool, form: str | None) -> Rendered:
    if nested:
        ordered = _order_tree(thread)
        rows = [(c, c.text) for c, _ in ordered]
        depth = [d for _, d in ordered]
    else:
        rows = _flat_rows(thread, form)
        depth = [0] * len(rows)
    lines = _header(thread, len(rows), numbered)
    counters: list[int] = []
    for n, ((c, text), d) in enumerate(zip(rows, depth, strict=True)):
        del counters[d + 1 :]
        while len(counters) <= d:
            counters.append(0)
        counters[d] += 1
        pad = " " * (4 * d + 2) if numbered else " " * (4 * d)
        body_pad = pad + "    " if numbered else pad
        if numbered:
            lines.append(f"{pad}{counters[d]}. {c.author} says:")
        else:
            lines.append(f"{pad}{c.author}")
        lines.append(f"{body_pad}{_wp_date(_when(c, n))}")
        if numbered:
            lines.append("")
        lines += [f"{body_pad}{line}" if line else "" for line in text.split("\n")]
        lines += [f"{body_pad}Reply", ""]
    lines += ["Leave a Reply", "Your email address will not be published."]
    return Rendered("\n".join(lines), _expected(rows, str))


def outline(thread: GoldThread) -> Rendered:
    ordered = _order_tree(thread)
    lines = [thread.title, ""]
    rows = []
    for c, d in ordered:
        paragraphs = [line for line in c.text.split("\n") if line.strip()]
        pad = "  " * d
        lines.append(f"{pad}- {c.author}: {paragraphs[0]}")
        lines += [f"{pad}  {p}" for p in paragraphs[1:]]
        rows.append((c, c.text))
    return Rendered("\n".join(lines), _expected(rows, str))


def plain(thread: GoldThread) -> Rendered:
    rows = _flat_rows(thread, "rotate")
    lines = [thread.title, "", thread.article, ""]
    for c, text in rows:
        lines += [f"{c.author}: {text}", ""]
    return Rendered("\n".join(lines), _expected(rows, str))


def chat_discord(thread: GoldThread) -> Rendered:
    rows = _flat_rows(thread, "@{} ")
    lines = []
    for n, (c, text) in enumerate(rows):
        t = _when(c, n)
        lines.append(
            f"{c.author} — Today at {t.hour % 12 or 12}:{t:%M} {'AM' if t.hour < 12 else 'PM'}"
        )
        lines += [line for line in text.split("\n") if line.strip()]
    return Rendered("\n".join(lines), _expected(rows, str))


def _nick(author: str) -> str:
    return re.sub(r"[\s<>]+", "_", author.strip())


def chat_irc(thread: GoldThread) -> Rendered:
    rows = _flat_rows(thread, "{}: ", _nick)
    lines = []
    for n, (c, text) in enumerate(rows):
        t = _when(c, n)
        lines.append(f"[{t:%H:%M}] <{_nick(c.author)}> {' '.join(text.split())}")
    return Rendered("\n".join(lines), _expected(rows, _nick))


SHAPES: dict[str, Callable[[GoldThread], Rendered]] = {
    "wp-nested": lambda t: wordpress(t, numbered=True, nested=True, form=None),
    "wp-numbered": lambda t: wordpress(t, numbered=True, nested=False, form="rotate"),
    "wp-unnumbered": lambda t: wordpress(t, numbered=False, nested=False, form="rotate"),
    "wp-as-written": lambda t: wordpress(t, numbered=False, nested=False, form=None),
    "outline": outline,
    "plain": plain,
    "chat-discord": chat_discord,
    "chat-irc": chat_irc,
}
