"""Checking the model's quotes against the comments they cite.

A quote is accepted when, with whitespace and quote marks normalised, it appears verbatim in
the comment it cites and that comment is by the author it names. Otherwise it is re-anchored:
to another comment of the same part that holds it verbatim, else to the closest real sentence
of the cited comment (difflib), else it is dropped. Each outcome is counted for the warnings.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.model import Comment

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_STRIP = " \t\n\"'.,;:…-"
MIN_SIMILARITY = 0.5


def normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


def sentences(text: str) -> list[str]:
    return [s for s in (normalise(p) for p in _SENTENCE.split(text)) if len(s) > 1]


@dataclass(slots=True)
class GroundingCounts:
    verified: int = 0
    reanchored: int = 0
    dropped: int = 0
    unknown_ids: int = 0

    def add(self, other: GroundingCounts) -> None:
        self.verified += other.verified
        self.reanchored += other.reanchored
        self.dropped += other.dropped
        self.unknown_ids += other.unknown_ids

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
        return out


def closest_sentence(comment: Comment, target: str) -> tuple[str, float]:
    """The sentence of `comment` most like `target`, and how alike (0..1)."""
    best, score = "", 0.0
    low = normalise(target).lower()
    for s in sentences(comment.text):
        r = difflib.SequenceMatcher(None, low, s.lower(), autojunk=False).ratio()
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
    """(the checked quote, the comment it really comes from), or ("", None) if dropped."""
    q = normalise(quote).strip(_STRIP)
    if q and cited is not None and q in normalise(cited.text):
        if cited.author == author:
            counts.verified += 1
        else:
            counts.reanchored += 1  # right words, wrong author: the comment is the truth
        return q, cited
    if q:
        holders = [c for c in candidates if q in normalise(c.text)]
        holders.sort(key=lambda c: c.author != author)
        if holders:
            counts.reanchored += 1
            return q, holders[0]
    if cited is not None:
        best, score = closest_sentence(cited, q or quote)
        if best and score >= MIN_SIMILARITY:
            counts.reanchored += 1
            return best, cited
    counts.dropped += 1
    return "", None
