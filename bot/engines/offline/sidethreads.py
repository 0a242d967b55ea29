"""Side threads: off-topic chat and personal quarrels, named apart instead of mixed into a side.

Two kinds of reply sub-tree (a comment and all replies under it) of at least `MIN_COMMENTS`
comments are set apart:

- off-topic chat: at least two people, and a mean topicality (cosine similarity of a
  comment's own words to the centroid of the whole discussion, article included) below
  `OFF_TOPIC` times the discussion's median;
- a personal quarrel: two or three people addressing each other ("you", or one another's
  names) in most of its comments, about something the rest of the discussion never mentions:
  on average under `QUARREL_OVERLAP` of a comment's content words appear in the article or in
  any comment outside the sub-tree (a bet, a spelling joke, personal remarks).

The largest such sub-trees are taken; nothing inside one is examined again.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from bot.core.model import SideThread, Thread
from bot.core.structure import subtree
from bot.core.text import words
from bot.core.tfidf import centrality
from bot.engines.offline.summary import distinctive_terms

MIN_COMMENTS = 3
OFF_TOPIC = 0.35
QUARREL_OVERLAP = 0.2
"""Measured on the made-up ceasefire thread's bet quarrel: 0.03; the lowest sub-tree of two or
three people that addresses someone in eight real blog, forum and Hacker News debates: 0.40
(docs/offline-engine.md)."""
QUARREL_PEOPLE = 3
QUARREL_MAX = 30
"""Larger sub-trees are conversations, not quarrels (and are not scanned: it keeps the scan
linear)."""
ADDRESSED = 0.5
"""The share of a quarrel's comments that must address someone."""
_YOU = frozenset({"you", "your", "you're", "yours", "yourself", "u", "ya"})


def topicality(texts: list[str], article: str) -> np.ndarray:
    """Similarity of each text to the centroid of all texts and the article."""
    if not texts:
        return np.zeros(0)
    return centrality([*texts, article], fallback=1.0)[: len(texts)]


def _content(text: str) -> set[str]:
    return {
        w
        for w in words(text.lower())
        if len(w) >= 3 and w.isalpha() and w not in ENGLISH_STOP_WORDS
    }


class _Scan:
    """What the two tests need, computed once per discussion."""

    def __init__(self, thread: Thread, own_text: dict[str, str]) -> None:
        d = thread.discussion
        self.ids = [c.id for c in d.comments]
        self.pos = {cid: n for n, cid in enumerate(self.ids)}
        self.children = thread.children()
        self.authors = {c.id: c.author for c in d.comments}
        self.own = own_text
        self.size = np.ones(len(self.ids))
        for n in range(len(self.ids) - 1, -1, -1):  # parents precede children
            for ch in self.children.get(self.ids[n], ()):
                self.size[n] += self.size[self.pos[ch]]
        self.article = _content(d.article.text)
        self.words = {cid: _content(own_text.get(cid, "")) for cid in self.ids}
        self.df = Counter(w for cid in self.ids for w in self.words[cid])

    def quarrel(self, root: str) -> list[str] | None:
        """The sub-tree under `root` when it is a personal quarrel (see the module doc)."""
        members = subtree(root, self.children)
        people = {self.authors[m] for m in members}
        if not 2 <= len(people) <= QUARREL_PEOPLE:
            return None
        names = {w for p in people for w in words(p.lower()) if len(w) >= 3}
        addressed = 0
        for m in members:
            own = set(words(self.own.get(m, "").lower()))
            others = names - set(words(self.authors[m].lower()))
            addressed += bool(own & _YOU or own & others)
        if addressed < ADDRESSED * len(members):
            return None
        inside = Counter(w for m in members for w in self.words[m])
        overlaps = [
            sum(w in self.article or self.df[w] > inside[w] for w in self.words[m])
            / len(self.words[m])
            for m in members
            if self.words[m]
        ]
        if not overlaps or float(np.mean(overlaps)) >= QUARREL_OVERLAP:
            return None
        return members


def side_threads(thread: Thread, own_text: dict[str, str]) -> tuple[SideThread, ...]:
    d = thread.discussion
    if len(d.comments) < 2 * MIN_COMMENTS:
        return ()
    scan = _Scan(thread, own_text)
    ids = scan.ids
    score = topicality([own_text.get(i, "") for i in ids], d.article.text)
    median = float(np.median(score))
    total = score.copy()
    for n in range(len(ids) - 1, -1, -1):
        for ch in scan.children.get(ids[n], ()):
            total[n] += total[scan.pos[ch]]
    found: list[tuple[str, list[str]]] = []
    taken: set[str] = set()
    for n, cid in enumerate(ids):
        size = scan.size[n]
        if cid in taken or size < MIN_COMMENTS or size >= 0.5 * len(ids):
            continue
        members: list[str] | None = None
        kind = ""
        if median > 0 and total[n] / size < OFF_TOPIC * median:
            members = subtree(cid, scan.children)
            kind = "Off-topic"
            if len({scan.authors[m] for m in members}) < 2:
                members = None
        if members is None and size <= QUARREL_MAX:
            members = scan.quarrel(cid)
            kind = "Personal quarrel"
        if members is None:
            continue
        taken.update(members)
        found.append((kind, sorted(members, key=scan.pos.__getitem__)))
    if not found:
        return ()
    terms = distinctive_terms([" ".join(own_text.get(m, "") for m in g) for _k, g in found])
    out = []
    for (kind, group), about in zip(found, terms, strict=True):
        people = tuple(dict.fromkeys(scan.authors[m] for m in group))
        topic = ", ".join(about) if about else "off topic"
        out.append(
            SideThread(
                label=f"{kind}: {topic} ({' ↔ '.join(people[:3])})",
                comment_ids=tuple(group),
                participants=people,
            )
        )
    return tuple(out)
