"""Key arguments of a side, KPA-style: group what its members say, name each group by its
most central sentence, count the commenters who make it.

Units are the sentences of the side's comments (quoted text removed) long enough to carry an
argument. They are grouped by k-means on TF-IDF vectors (fixed seed: deterministic); a
group's point and quote is its sentence nearest the group's centre, which is an exact
sentence of the comment it is quoted from. Groups are ranked by how many commenters make the
point; every side gets at least one key argument when it said anything at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.core.model import KeyArgument
from bot.core.text import sentences, short, words

MIN_WORDS = 5
MAX_WORDS = 60
OVER_CLUSTER = 1
"""Cluster into this many times the groups wanted, keep the groups most commenters share:
tighter groups than clustering straight into the number wanted."""
MIN_SIM = 0.5
"""A sentence stays in its group when its similarity to the centre is at least this share of
the best one's."""
MAX_UNITS = 4000
"""Sentences considered per side; the longest-argued comments first beyond that."""


@dataclass(frozen=True, slots=True)
class Unit:
    comment_id: str
    author: str
    sentence: str


def units_of(comments: list[tuple[str, str, str]]) -> list[Unit]:
    """(comment id, author, own text) -> argument-sized sentences, in order."""
    out: list[Unit] = []
    for cid, author, text in comments:
        for s in sentences(text):
            n = len(words(s))
            if MIN_WORDS <= n <= MAX_WORDS:
                out.append(Unit(cid, author, s))
    if not out:  # short comments only: take what there is
        out = [
            Unit(cid, author, s)
            for cid, author, text in comments
            for s in sentences(text)
            if words(s)
        ]
    return out


def _vectors(texts: list[str]):
    vec = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b"
    )
    try:
        return normalize(vec.fit_transform(texts))
    except ValueError:  # only stop words
        vec = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b")
        return normalize(vec.fit_transform(texts))


def key_arguments(
    comments: list[tuple[str, str, str]], *, max_points: int = 5
) -> tuple[KeyArgument, ...]:
    """Key arguments of one side. `comments` = (comment id, author, own text), in order."""
    units = units_of(comments)
    if not units:
        return ()
    if len(units) > MAX_UNITS:
        units = sorted(units, key=lambda u: -len(u.sentence))[:MAX_UNITS]
    x = _vectors([u.sentence for u in units])
    authors = {u.author for u in units}
    k = max(1, min(max_points, len(units), round(np.sqrt(len(authors)) + 0.49)))
    k = min(len(units), OVER_CLUSTER * k)
    if k > 1 and x.nnz:
        km = KMeans(n_clusters=k, random_state=0, n_init=3).fit(x)
        labels, centres = km.labels_, km.cluster_centers_
    else:
        labels = np.zeros(len(units), dtype=int)
        centres = np.asarray(x.mean(axis=0))
    groups: list[KeyArgument] = []
    for g in range(len(centres)):
        members = np.flatnonzero(labels == g)
        if not len(members):
            continue
        sims = np.asarray(x[members] @ centres[g]).ravel()
        close = sims >= MIN_SIM * sims.max()
        members, sims = members[close], sims[close]
        # Nearest the centre; among near-equals the earlier sentence (stable, deterministic).
        best = members[int(np.argmax(np.round(sims, 9)))]
        rep = units[best]
        ids = tuple(dict.fromkeys(units[i].comment_id for i in sorted(members)))
        who = tuple(dict.fromkeys(units[i].author for i in sorted(members)))
        groups.append(
            KeyArgument(
                point=short(rep.sentence, 140),
                comment_ids=ids,
                authors=who,
                quote=rep.sentence,
                quote_comment_id=rep.comment_id,
            )
        )
    groups.sort(key=lambda k: (-len(k.authors), -len(k.comment_ids), k.comment_ids[0]))
    return tuple(groups[:max_points])
