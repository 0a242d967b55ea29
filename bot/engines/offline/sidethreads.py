"""Side threads: off-topic quarrels, named apart instead of mixed into a side.

A comment's topicality is the cosine similarity of its own words to the centroid of the whole
discussion (article included). A reply sub-tree (a comment and all replies under it) is a
side thread when it has at least `MIN_COMMENTS` comments from at least two people who answer
each other, and its mean topicality is below `OFF_TOPIC` times the discussion's median.
The largest such sub-trees are taken; nothing inside one is examined again.
"""

from __future__ import annotations

import numpy as np

from bot.core.model import SideThread, Thread
from bot.core.structure import subtree
from bot.core.tfidf import centrality
from bot.engines.offline.summary import distinctive_terms

MIN_COMMENTS = 3
OFF_TOPIC = 0.35


def topicality(texts: list[str], article: str) -> np.ndarray:
    """Similarity of each text to the centroid of all texts and the article."""
    if not texts:
        return np.zeros(0)
    return centrality([*texts, article], fallback=1.0)[: len(texts)]


def side_threads(thread: Thread, own_text: dict[str, str]) -> tuple[SideThread, ...]:
    d = thread.discussion
    ids = [c.id for c in d.comments]
    if len(ids) < 2 * MIN_COMMENTS:
        return ()
    score = topicality([own_text.get(i, "") for i in ids], d.article.text)
    median = float(np.median(score))
    if median <= 0:
        return ()
    pos = {cid: n for n, cid in enumerate(ids)}
    children = thread.children()
    authors = {c.id: c.author for c in d.comments}
    # Sub-tree sizes and score sums, children before parents (parents precede children).
    size = np.ones(len(ids))
    total = score.copy()
    for n in range(len(ids) - 1, -1, -1):
        for ch in children.get(ids[n], ()):
            size[n] += size[pos[ch]]
            total[n] += total[pos[ch]]
    found: list[list[str]] = []
    taken: set[str] = set()
    for n, cid in enumerate(ids):
        if cid in taken or size[n] < MIN_COMMENTS or size[n] >= 0.5 * len(ids):
            continue
        if total[n] / size[n] >= OFF_TOPIC * median:
            continue
        members = subtree(cid, children)
        people = {authors[m] for m in members}
        if len(people) < 2:
            continue
        taken.update(members)
        found.append(sorted(members, key=pos.__getitem__))
    if not found:
        return ()
    terms = distinctive_terms([" ".join(own_text.get(m, "") for m in g) for g in found])
    out = []
    for group, words in zip(found, terms, strict=True):
        people = tuple(dict.fromkeys(authors[m] for m in group))
        about = ", ".join(words) if words else "off topic"
        out.append(
            SideThread(
                label=f"Off-topic: {about} ({' ↔ '.join(people[:3])})",
                comment_ids=tuple(group),
                participants=people,
            )
        )
    return tuple(out)
