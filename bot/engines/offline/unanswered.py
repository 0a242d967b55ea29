"""Unanswered arguments: argumentative comments nobody on another side replied to."""

from __future__ import annotations

from bot.core.model import Thread
from bot.core.text import sentences, words
from bot.engines.offline.claims import claim_score, is_claim
from bot.engines.offline.graph import AuthorGraph

MIN_WORDS = 12
"""A comment must make at least one claim (`claims.is_claim`: 6 words or more, not a question,
exclamation, greeting, credential or fragment) and this many words in all to count as an
argument (not "+1", not a one-line jab)."""


def is_argument(text: str, sign: float | None) -> bool:
    if sign is not None and sign > 0:  # agreement is not an argument left open
        return False
    # At least one sentence must be a claim: a question or a greeting leaves nothing to answer.
    return len(words(text)) >= MIN_WORDS and any(is_claim(s) for s in sentences(text))


def strength(text: str) -> float:
    """How much a comment argues: its claims, each counted 1 plus its argument markers, best
    three. Used to show the most argued unanswered comments first."""
    scores = sorted((s for s in map(claim_score, sentences(text)) if s is not None), reverse=True)
    return sum(1.0 + s for s in scores[:3])


def unanswered(
    thread: Thread, graph: AuthorGraph, group: dict[str, int], skipped: set[str]
) -> tuple[str, ...]:
    """Ids of arguments that got no direct reply from anyone outside the author's side
    (others count as outside), the most argued first (`strength`; ties in thread order). Side
    threads, duplicates and deleted comments are left out."""
    d = thread.discussion
    authors = {c.id: c.author for c in d.comments}
    answered: set[str] = set()
    for c in d.comments:
        pid = thread.parent(c.id)
        if pid is None or c.author == authors[pid]:
            continue
        mine, theirs = group.get(c.author, -1), group.get(authors[pid], -1)
        if mine != theirs or mine == -1:
            answered.add(pid)
    found = [
        (c.id, graph.own_text.get(c.id, c.text))
        for c in d.comments
        if c.id not in skipped and c.id not in answered
    ]
    open_args = [(cid, text) for cid, text in found if is_argument(text, graph.signs.get(cid))]
    ranked = sorted(enumerate(open_args), key=lambda it: (-strength(it[1][1]), it[0]))
    return tuple(cid for _, (cid, _text) in ranked)
