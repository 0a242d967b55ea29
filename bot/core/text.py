"""Pure text helpers: sentences as exact spans of their source, words, short forms.

Every sentence returned here is an exact substring of the text it came from, so a quote picked
from them can always be found again in the comment it cites.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? (possibly repeated, possibly followed by a closing quote or bracket)
# followed by white space, or at a blank line / line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"'”’)\]]*)\s+|\n\s*")
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?", re.UNICODE)
_URL = re.compile(r"https?://\S+")


def sentences(text: str) -> list[str]:
    """Split `text` into sentences; each is an exact, stripped substring of `text`."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start : m.start() + len(m.group(1) or "")].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def words(text: str) -> list[str]:
    """Lower-cased words (letters, inner apostrophes and hyphens), URLs left out."""
    if "://" in text:
        text = _URL.sub(" ", text)
    return _WORD.findall(text.lower())


def short(text: str, limit: int = 160, *, trim: str = ",;:") -> str:
    """One line, cut at a word boundary with an ellipsis when longer than `limit`; the
    characters in `trim` are taken off the end of the cut before the ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(trim) + "…"


def first_words(text: str, n: int = 6) -> str:
    """The first `n` words of `text`, lower-cased, joined by single spaces."""
    return " ".join(words(text)[:n])
