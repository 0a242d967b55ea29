"""Text helpers for Discord: escaping user text, measuring, shortening at a boundary."""

from __future__ import annotations

import re

from discord.utils import escape_markdown, escape_mentions

from bot.core.text import flat

ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")


def size(text: str) -> int:
    """Length as Discord may count it: UTF-16 code units, never less than `len(text)`."""
    return len(text.encode("utf-16-le")) // 2


def neutralise(text: str) -> str:
    """Break mentions (@everyone, @here, users, roles) so they can never ping."""
    return escape_mentions(text)


def clean(text: str) -> str:
    """User text made inert for Discord: markdown escaped, mentions broken."""
    return neutralise(escape_markdown(text))


def _cut(raw: str, limit: int) -> str:
    """`raw` cut to at most `limit` characters at a sentence end if one is near, else at a
    word boundary, with an ellipsis; mid-word only when a single word is too long."""
    if len(raw) <= limit:
        return raw
    room = limit - 2  # for " …" after a sentence, or "…" after a word
    if room <= 0:
        return ELLIPSIS[:limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(raw[: room + 1])]
    if ends and ends[-1] >= room * 0.6:
        return raw[: ends[-1]] + " " + ELLIPSIS
    head = raw[: room + 1]
    space = head.rfind(" ")
    if space >= room * 0.5:
        head = head[:space]
    return head.rstrip(" ,;:-–—") + ELLIPSIS


def fit(raw: str, limit: int, *, escape: bool = True, one_line: bool = False) -> str:
    """`raw` made safe (markdown escaped unless `escape=False`; mentions always broken) and,
    only if it has to be, shortened at a sentence or word boundary so that its `size` is at
    most `limit`."""
    raw = flat(raw) if one_line else raw.strip()
    convert = clean if escape else neutralise
    budget = limit
    out = convert(_cut(raw, budget))
    while size(out) > limit and budget > 1:
        # Escaping and wide characters make the result longer than the raw cut: retry tighter.
        budget = min(budget - 1, int(budget * limit / size(out)))
        out = convert(_cut(raw, budget))
    return out if size(out) <= limit else ""
