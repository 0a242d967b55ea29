"""A side's stance line: its position towards the article, only with evidence, then the
counted replies that place it.

"With the article" or "against it" is said only when something supports it: the article's
author is a member (they speak for it), or members open their comments under the article
with explicit cues ("Exactly.", "I agree" / "No,", "Wrong") — at least `MIN_CUES` of them, and
twice as many one way as the other. An article that argues nothing (only asks a question)
has no side "with" it. Otherwise the line says only what the replies show.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.model import Thread
from bot.core.text import sentences
from bot.engines.offline.claims import claim_score
from bot.engines.offline.graph import AuthorGraph
from bot.engines.offline.signs import FEATURES, features_of, strip_quoted

MIN_CUES = 2
_AGREE, _DISAGREE = FEATURES.index("agree_cue"), FEATURES.index("disagree_cue")


@dataclass(frozen=True, slots=True)
class Counts:
    rebut: int
    """Replies from members to people on another side that disagree."""
    agree: int
    """Replies between members that agree."""
    cues_for: int
    cues_against: int
    """Members' top-level comments that open by agreeing / disagreeing with the article."""


def argues(article_text: str) -> bool:
    """Whether the article claims something (a sentence `claim_score` accepts), rather than
    only asking a question or announcing something."""
    return any(claim_score(s) is not None for s in sentences(article_text)[:200])


def counts(
    members: set[str], thread: Thread, graph: AuthorGraph, side_of: dict[str, int], n: int
) -> Counts:
    d = thread.discussion
    by_id = d.by_id()
    rebut = agree = cues_for = cues_against = 0
    for cid, s in graph.signs.items():
        c = by_id[cid]
        if c.author not in members:
            continue
        pid = thread.parent(cid)
        if pid is None:
            f = features_of(*strip_quoted(c.text, d.article.text))
            cues_for += int(f[_AGREE])
            cues_against += int(f[_DISAGREE])
            continue
        other = side_of.get(by_id[pid].author, -1)
        if other != n and s < 0:
            rebut += 1
        elif other == n and s > 0:
            agree += 1
    return Counts(rebut, agree, cues_for, cues_against)


def stance_line(
    n: int,
    members: set[str],
    thread: Thread,
    graph: AuthorGraph,
    side_of: dict[str, int],
    names: list[str],
) -> str:
    """The stance line of side `n` (`names`: each side's short name, "Side A"…)."""
    d = thread.discussion
    c = counts(members, thread, graph, side_of, n)
    position = ""
    author = d.article.author
    if d.article.text.strip() and argues(d.article.text):
        if author and author in members:
            position = f"With the article: its author, {author}, is on this side."
        elif c.cues_for >= MIN_CUES and c.cues_for >= 2 * c.cues_against:
            position = (
                f"Agrees with the article: {c.cues_for} of its comments under it open by saying so."
            )
        elif c.cues_against >= MIN_CUES and c.cues_against >= 2 * c.cues_for:
            position = (
                f"Disputes the article: {c.cues_against} of its comments under it open by "
                "pushing back."
            )
    rivals = [names[k] for k in range(len(names)) if k != n]
    return " ".join(p for p in (position, _evidence(c, rivals)) if p)


def _times(n: int, one: str, many: str) -> str:
    return f"{'one' if n == 1 else n} {one if n == 1 else many}"


def _evidence(c: Counts, rivals: list[str]) -> str:
    """The counted evidence behind a side, as a sentence."""
    them = " and ".join(rivals) if rivals else "the other side"
    if c.rebut and c.agree:
        return (
            f"Its members push back on {them} in {_times(c.rebut, 'reply', 'replies')} "
            f"and back each other up in {_times(c.agree, 'other', 'others')}."
        )
    if c.rebut:
        return f"Its members push back on {them} in {_times(c.rebut, 'reply', 'replies')}."
    if c.agree:
        return f"Its members back each other up in {_times(c.agree, 'reply', 'replies')}."
    return f"Placed by what its members write; they do not answer {them} directly."
