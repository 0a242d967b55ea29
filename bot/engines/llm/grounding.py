"""Checking the model's quotes against the comments they cite.

A quote is accepted when, with whitespace and quote marks normalised, it appears verbatim in
the comment it cites and that comment is by the author it names. Otherwise it is re-anchored:
to another comment of the same part that holds it verbatim, else to the closest real sentence
of the cited comment (difflib), else it is dropped. Each outcome is counted for the warnings.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core import text as core_text
from bot.core.model import Comment

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_STRIP = " \t\n\"'.,;:…-"
MIN_SIMILARITY = 0.5


def normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """normalise(text) and, for each of its characters, its position in `text`."""
    chars: list[str] = []
    where: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            where.append(i - 1)
            pending_space = False
        chars.append(ch.translate(_QUOTES))
        where.append(i)
    return "".join(chars), where


def find_verbatim(quote: str, text: str) -> str:
    """The exact span of `text` that matches `quote` once both are normalised, or ""."""
    q = normalise(quote)
    if not q:
        return ""
    norm, where = _normalised_with_map(text)
    at = norm.find(q)
    if at < 0:
        return ""
    return text[where[at] : where[at + len(q) - 1] + 1]


def sentences(text: str) -> list[str]:
    """Sentences of `text`, each an exact substring of it."""
    return [s for s in core_text.sentences(text) if len(normalise(s)) > 1]


@dataclass(slots=True)
class GroundingCounts:
    verified: int = 0
    reanchored: int = 0
    dropped: int = 0
    unknown_ids: int = 0
    unquoted: int = 0

    def add(self, other: GroundingCounts) -> None:
        self.verified += other.verified
        self.reanchored += other.reanchored
        self.dropped += other.dropped
        self.unknown_ids += other.unknown_ids
        self.unquoted += other.unquoted

    def warnings(self) -> list[str]:
        out = []
        if self.reanchored:
            out.append(
                f"{self.reanchored} quote(s) from the model did not appear verbatim in the "
                "comment and author they named; they were re-anchored to the real text."
            )
        if self.dropped:
            out.append(
                f"{self.dropped} quote(s) from the model could not be found and were dropped."
            )
        if self.unknown_ids:
            out.append(
                f"{self.unknown_ids} reference(s) to comments that do not exist were dropped."
            )
        if self.unquoted:
            out.append(
                f"{self.unquoted} key argument(s) have no quote: no sentence of their comments "
                "was close enough to the point."
            )
        return out


def closest_sentence(comment: Comment, target: str) -> tuple[str, float]:
    """The sentence of `comment` most like `target`, and how alike (0..1)."""
    best, score = "", 0.0
    low = normalise(target).lower()
    for s in sentences(comment.text):
        r = difflib.SequenceMatcher(None, low, normalise(s).lower(), autojunk=False).ratio()
        if r > score:
            best, score = s, r
    return best, score


def ground_quote(
    quote: str,
    cited: Comment | None,
    author: str,
    candidates: Iterable[Comment],
    counts: GroundingCounts,
) -> tuple[str, Comment | None]:
    """(the checked quote, the comment it really comes from), or ("", None) if dropped.

    The quote returned is always an exact substring of the comment returned: matching is done
    on normalised text, but the span handed back is the comment's own.
    """
    q = normalise(quote).strip(_STRIP)
    exact = find_verbatim(q, cited.text) if q and cited is not None else ""
    if exact and cited is not None:
        if cited.author == author:
            counts.verified += 1
        else:
            counts.reanchored += 1  # right words, wrong author: the comment is the truth
        return exact, cited
    if q:
        holders = [(c, find_verbatim(q, c.text)) for c in candidates]
        found = [(c, e) for c, e in holders if e]
        found.sort(key=lambda ce: ce[0].author != author)
        if found:
            counts.reanchored += 1
            return found[0][1], found[0][0]
    if cited is not None:
        best, score = closest_sentence(cited, q or quote)
        if best and score >= MIN_SIMILARITY:
            counts.reanchored += 1
            return best, cited
    counts.dropped += 1
    return "", None
