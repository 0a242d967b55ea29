"""Unanswered arguments: argumentative comments nobody on another side replied to."""

from __future__ import annotations

from bot.core.model import Thread
from bot.core.text import sentences, words
from bot.engines.offline.claims import claim_score
from bot.engines.offline.graph import AuthorGraph

MIN_WORDS = 12
"""A comment must make at least one claim (a sentence `claims.claim_score` accepts: 6 words or
more, not a question, exclamation, greeting, credential or fragment) and this many words in
all to count as an argument (not "+1", not a one-line jab)."""


def strength(text: str) -> float:
    """How much a comment argues: its claims, each counted 1 plus its argument markers, best
    three; 0 when no sentence is a claim. Used to show the most argued unanswered comments
    first."""
    scores = sorted((s for s in map(claim_score, sentences(text)) if s is not None), reverse=True)
    return sum(1.0 + s for s in scores[:3])


def argument_strength(text: str, sign: float | None) -> float:
    """`strength` of a comment that is an argument, else 0: agreement is not an argument left
    open, and a question or a greeting (no claim) leaves nothing to answer."""
    if sign is not None and sign > 0:
        return 0.0
    return strength(text) if len(words(text)) >= MIN_WORDS else 0.0


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
    scored = [
        (-argument_strength(graph.own_text.get(c.id, c.text), graph.signs.get(c.id)), n, c.id)
        for n, c in enumerate(d.comments)
        if c.id not in skipped and c.id not in answered
    ]
    return tuple(cid for score, _n, cid in sorted(scored) if score < 0)
