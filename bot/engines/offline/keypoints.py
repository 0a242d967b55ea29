"""Key arguments of a side, KPA-style (Bar-Haim et al. 2020): candidate key points are the
side's most central sentences; every sentence of the side is matched to the candidates it is
similar to (TF-IDF cosine >= MATCH); the candidate that the most commenters make is taken,
its sentences are set aside, and so on. A point's count is the number of distinct commenters
with a matching sentence; its quote is the candidate sentence itself, an exact sentence of the
comment it is quoted from. Deterministic (ties: more central, then earlier).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.core.model import KeyArgument
from bot.core.text import sentences, short, words
from bot.core.tfidf import tfidf
from bot.engines.offline.claims import claim_score

MIN_WORDS = 5
MAX_WORDS = 60
MATCH = 0.4
"""A sentence makes a candidate's point when their TF-IDF cosine similarity is at least this."""
COPY = 0.9
"""A sentence of 8 words or more this similar to a candidate is a copy of it (a quote the
quote detection missed, "Kristina: * As someone mentioned…"): it is set aside with the point
but does not count as one more commenter making it."""
MIN_SHARED = 2
"""...and when they share at least this many words (topic words aside)."""
MAX_CANDIDATES = 300
MIN_POINT_WORDS = 8
MAX_POINT_WORDS = 30
"""A candidate point is a statement of 8 to 30 words (short enough to read, long enough to say
something, not a question), unless the side wrote none."""
MAX_UNITS = 4000
"""Sentences considered per side; the longest-argued comments first beyond that."""


@dataclass(frozen=True, slots=True)
class Unit:
    comment_id: str
    author: str
    sentence: str


def units_of(
    comments: list[tuple[str, str, str]], min_words: int = MIN_WORDS, max_words: int = MAX_WORDS
) -> list[Unit]:
    """(comment id, author, own text) -> argument-sized sentences (`min_words` to `max_words`
    words), in order; if there are none, every sentence that has a word."""
    out: list[Unit] = []
    for cid, author, text in comments:
        for s in sentences(text):
            n = len(words(s))
            if min_words <= n <= max_words:
                out.append(Unit(cid, author, s))
    if not out:  # short comments only: take what there is
        out = [
            Unit(cid, author, s)
            for cid, author, text in comments
            for s in sentences(text)
            if words(s)
        ]
    return out


TOPIC_DF = 0.1
"""Words in more than this share of a side's sentences (at least 5 sentences) are its topic
("real estate agents"), not its points: left out of the matching so that every sentence that
names the topic does not look like the same argument."""


def _vectors(texts: list[str]):
    vec = tfidf(
        max_df=max(5, math.ceil(TOPIC_DF * len(texts))),
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
    )
    try:
        return normalize(vec.fit_transform(texts))
    except ValueError:  # only stop words
        vec = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b")
        return normalize(vec.fit_transform(texts))


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")


def _display(sentence: str) -> str:
    """The point as shown (the quote stays exact): no bullet, links reduced to their text."""
    text = _MD_LINK.sub(r"\1", sentence).lstrip("*>-–—•# ")
    return text or sentence


def _tier(sentence: str) -> int:
    score = claim_score(sentence)
    if score is not None:
        readable = MIN_POINT_WORDS <= len(words(sentence)) <= MAX_POINT_WORDS
        return (0 if score > 0 else 1) if readable else 2
    return 3 if claim_score(sentence, strict=False) is not None else 4


def key_arguments(
    comments: list[tuple[str, str, str]], *, max_points: int = 5
) -> tuple[KeyArgument, ...]:
    """Key arguments of one side. `comments` = (comment id, author, own text), in order."""
    units = units_of(comments)
    if not units:
        return ()
    if len(units) > MAX_UNITS:
        keep = sorted(range(len(units)), key=lambda i: (-len(units[i].sentence), i))[:MAX_UNITS]
        units = [units[i] for i in sorted(keep)]
    x = _vectors([u.sentence for u in units])
    centre = np.asarray(x.mean(axis=0)).ravel()
    centrality = np.asarray(x @ centre).ravel()
    # Candidates: the most central sentences, best kind first (tier 0 = a claim of readable
    # length with an argument marker; 1 = a claim of readable length; 2 = a claim; 3 = an
    # exclaimed claim; 4 = anything). A lower tier is used only when the higher are spent.
    tier = np.array([_tier(u.sentence) for u in units])
    pool = sorted(range(len(units)), key=lambda i: (tier[i], -round(float(centrality[i]), 9), i))
    cands = sorted(pool[:MAX_CANDIDATES], key=lambda i: (-round(float(centrality[i]), 9), i))
    sims = (x @ x[cands].T).tocsc()
    match = sims >= MATCH
    if MIN_SHARED > 1:  # one shared word ("deal") is no shared point
        b = (x > 0).astype(np.float32)
        match = match.multiply((b @ b[cands].T).tocsc() >= MIN_SHARED).tocsc()
    long = np.array([len(words(u.sentence)) >= MIN_POINT_WORDS for u in units])
    copied = (sims >= COPY).toarray() & long[:, None]
    free = np.ones(len(units), dtype=bool)
    author_of = np.array([u.author for u in units], dtype=object)
    points: list[KeyArgument] = []
    used: set[int] = set()
    while len(points) < max_points:
        best: tuple[tuple[int, int, float, int], int, np.ndarray, np.ndarray] | None = None
        for j, i in enumerate(cands):
            if i in used or not free[i]:  # its sentence already makes another point
                continue
            members = match[:, j].nonzero()[0]
            members = members[free[members]]
            if i not in members:
                members = np.append(members, i)
            # A copy of the candidate in another comment quotes it, it does not make it again.
            makers = members[~copied[members, j] | (members == i)]
            n_authors = len(set(author_of[makers]))
            key = (-int(tier[i]), n_authors, float(centrality[i]), -i)
            if best is None or key > best[0]:
                best = (key, i, makers, members)
        if best is None or (points and best[0][0] <= -3):  # no more claims: no filler
            break
        _key, i, members, aside = best
        used.add(i)
        free[aside] = False
        order = sorted(set(members.tolist()))
        rep = units[i]
        points.append(
            KeyArgument(
                point=short(_display(rep.sentence), 140),
                comment_ids=tuple(dict.fromkeys(units[m].comment_id for m in order)),
                authors=tuple(dict.fromkeys(units[m].author for m in order)),
                quote=rep.sentence,
                quote_comment_id=rep.comment_id,
            )
        )
    points.sort(key=lambda k: (-len(k.authors), -len(k.comment_ids)))
    return tuple(points)
