"""Quotations as reply evidence: `>` lines, "Quote: Originally Posted by X", "X wrote:", and
sentences copied from an earlier comment, found through word shingles of the comments so far."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bot.core.text import words

SHINGLE = 6
"""Words per shingle: six words in a row rarely repeat by chance."""

_ATTRIBUTION = re.compile(
    r"^\s*(?:quote:?\s*)?(?:originally\s+posted\s+by|quoting)\s+(?P<a>[^\n:]{1,40}?)\s*:?\s*$"
    r"|^\s*(?P<b>[^\n:>]{1,40}?)\s+(?:wrote|said|says)\s*:\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quoted:
    text: str
    """The quoted words (joined), or ""."""
    author: str | None
    """The name an attribution line gave ("Originally posted by X"), as written."""
    own: str
    """The comment's text without its quotations."""


def split_quotes(text: str) -> Quoted:
    """Separate what a comment quotes from what it says."""
    quoted: list[str] = []
    own: list[str] = []
    author: str | None = None
    in_attributed = False
    for line in text.split("\n"):
        s = line.strip()
        m = _ATTRIBUTION.match(s)
        if m and author is None:
            author = (m["a"] or m["b"] or "").strip() or None
            in_attributed = True
            continue
        if s.startswith(">"):
            quoted.append(s.lstrip("> ").strip())
            continue
        if in_attributed:
            if not s:
                in_attributed = bool(not quoted)  # the quote may start after a blank line
                continue
            quoted.append(s)
            continue
        own.append(line)
    return Quoted(" ".join(q for q in quoted if q), author, "\n".join(own).strip())


def shingles(tokens: list[str]) -> set[int]:
    """Hashes of every run of SHINGLE words."""
    return set(map(hash, zip(*(tokens[i:] for i in range(SHINGLE)), strict=False)))


class ShingleIndex:
    """Which earlier comment (by position) a run of words comes from. Shingles of the article
    and shingles common to several comments are ignored: they are not evidence of a reply."""

    def __init__(self, article_text: str = "") -> None:
        self._first: dict[int, int] = {}  # shingle -> the first comment that wrote it
        self._again: dict[int, int] = {}  # shingle -> how many later comments repeated it
        self._ignored = set(shingles(words(article_text, digits=True, split_compounds=True)))

    def add(self, position: int, hashes: set[int]) -> None:
        seen = hashes & self._first.keys()
        for h in seen:
            n = self._again[h] = self._again.get(h, 0) + 1
            if n >= 2:
                self._ignored.add(h)
        self._first.update(dict.fromkeys(hashes - seen, position))

    def hits(self, hashes: set[int]) -> dict[int, int]:
        """Earlier positions sharing shingles (`shingles(tokens)`), with how many they share."""
        known = hashes & self._first.keys()
        if not known:
            return {}
        return Counter(map(self._first.__getitem__, known - self._ignored))
