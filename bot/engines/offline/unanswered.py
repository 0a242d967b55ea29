"""Unanswered arguments: one definition for both engines (the LLM engine imports it from
here), the map and the docs.

An argument is unanswered when no one from another side replied to it directly: no member of
another side and no one from Others (a reply by its own side does not answer it; without
sides on the map, no one else at all). Only arguments count: a comment of MIN_WORDS words or
more with a sentence that is a claim (`claims.claim_score`: no question, thanks, code or log
line, remark about the person answered; an `@name:` marker in front not read), and not an
agreement.
Strongest first: each claim counts 1 plus its argument markers, best three sentences (ties in
thread order). Side threads, duplicates and deleted comments are left out. The map says it
in a few words (`bot.render.wording.unanswered_rule`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from bot.core.model import Thread
from bot.core.text import words
from bot.engines.offline.claims import claim_score
from bot.engines.offline.keypoints import parsed

MIN_WORDS = 12
"""Words a comment needs in all to count as an argument (not "+1", not a one-line jab)."""


def strength(text: str) -> float:
    """How much a comment argues: its claims, each counted 1 plus its argument markers, best
    three; 0 when no sentence is a claim."""
    scores = sorted(
        (score for s, _ws, ok in parsed(text) if ok and (score := claim_score(s)) is not None),
        reverse=True,
    )
    return sum(1.0 + s for s in scores[:3])


def argument_strength(text: str, sign: float | None = None) -> float:
    """`strength` of a comment that is an argument, else 0: an agreement (`sign` > 0) is not
    an argument left open, and a short comment is no argument."""
    if sign is not None and sign > 0:
        return 0.0
    return strength(text) if len(words(text)) >= MIN_WORDS else 0.0


def unanswered(
    thread: Thread,
    side_of: Mapping[str, int],
    skipped: Collection[str] = (),
    *,
    texts: Mapping[str, str] | None = None,
    signs: Mapping[str, float] | None = None,
) -> tuple[str, ...]:
    """Ids of the arguments no one from another side answered, strongest first.

    `side_of`: author -> side index (authors absent or -1 are Others, outside every side);
    `texts`: each comment's own words (what it quotes removed), else its text; `signs`: each
    reply's sign towards what it answers (agreement > 0), when known."""
    d = thread.discussion
    authors = {c.id: c.author for c in d.comments}
    sided = any(n >= 0 for n in side_of.values())
    answered: set[str] = set()
    for c in d.comments:
        pid = thread.parent(c.id)
        if pid is None or c.author == authors[pid]:
            continue
        mine, theirs = side_of.get(c.author, -1), side_of.get(authors[pid], -1)
        if not sided or mine != theirs or mine == -1:
            answered.add(thread.duplicates.get(pid, pid))  # a reply to a copy answers its twin
    texts, signs = texts or {}, signs or {}
    scored = [
        (-argument_strength(texts.get(c.id, c.text), signs.get(c.id)), n, c.id)
        for n, c in enumerate(d.comments)
        if c.id not in skipped and c.id not in answered
    ]
    return tuple(cid for score, _n, cid in sorted(scored) if score < 0)
