"""Key arguments of a side, KPA-style (Bar-Haim et al. 2020), grouped by meaning.

Every argument-sized sentence of the side (`units_of`: no question, code or log line, greeting
or signature, no copy of someone else's sentence, an `@Name:` marker in front left out) gets a
sentence vector from the shipped word embeddings (`embeddings.sentence_vectors`, centred on
the side's mean so that its topic drops out, less so for a few sentences). Candidates are the
side's claims, readable ones first. A candidate's support is the number of distinct commenters
with a sentence within DENSITY of it; the best supported is taken (among equals, the one that
reads best as a position out of context, `claims.standalone`, then the earlier), everything
within SPENT of it is set aside so that the next point says something else, and so on. Then
each sentence joins the point whose candidate it is closest to, if at least MATCH.

Stance: a comment that replies to one of the point's comments to dispute it (`disputes`, from
the reply signs) is never counted as making that point, even when its words are close (a
rebuttal repeats what it rebuts); its author is listed against it instead.

A point's count is its distinct commenters; its quote is the candidate sentence, an exact
substring of the comment it cites; its title is a key phrase of the group in a few words
(`labels.title`). Deterministic (ties: earlier sentence first). The thresholds were chosen by
leave-one-topic-out cross-validation on IBM ArgKP's dev and train splits (docs/offline-engine.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from bot.core.model import KeyArgument
from bot.core.text import sentences, without_marker, words
from bot.engines.offline.claims import (
    arguable,
    claim_score,
    is_question,
    looks_like_code,
    standalone,
)
from bot.engines.offline.embeddings import sentence_vectors
from bot.engines.offline.labels import title

MIN_WORDS = 5
MAX_WORDS = 60
DENSITY = 0.35
"""A candidate is supported by the commenters with a sentence at least this close (cosine of
the centred vectors)."""
SPENT = 0.20
"""Once a point is taken, sentences this close to it are no longer free to found another."""
MATCH = 0.40
"""A sentence makes a point when it is closest to that point's candidate, at least this close."""
CENTRE_PRIOR = 20
"""The side's mean is subtracted in proportion n / (n + CENTRE_PRIOR) for n sentences: a mean
of a handful of sentences is no topic, and taking it out would set them against each other."""
MAX_CANDIDATES = 300
DENSITY_SAMPLE = 1000
MIN_POINT_WORDS = 8
MAX_POINT_WORDS = 30
"""A readable candidate is a claim of 8 to 30 words; longer claims come next; an exclaimed
claim, or any other sentence, only as a side's first point when it wrote no claim."""
MAX_UNITS = 4000
"""Sentences considered per side; the longest-argued comments first beyond that."""

Disputes = Mapping[str, Sequence[tuple[str, str]]]
"""comment id -> (id, author) of each reply that disputes it."""


@dataclass(frozen=True, slots=True)
class Unit:
    comment_id: str
    author: str
    sentence: str


@lru_cache(maxsize=1 << 15)
def parsed(text: str) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    """A comment's sentences (each after its marker), their words and whether each could be
    an argument (`claims.arguable`). Cached: key arguments, summaries and unanswered
    arguments of one analysis read the same comments."""
    out = []
    for s in sentences(text):
        s = without_marker(s)
        out.append((s, tuple(words(s)), arguable(s)))
    return tuple(out)


def units_of(
    comments: list[tuple[str, str, str]], min_words: int = MIN_WORDS, max_words: int = MAX_WORDS
) -> list[Unit]:
    """(comment id, author, own text) -> argument-sized sentences (`min_words` to `max_words`
    words) that could stand as arguments (`claims.arguable`), in order. A sentence someone
    else wrote before, word for word, is a quote: left out. When there are none: every
    arguable sentence with a word, else (a side that only cheered) every sentence with a word
    that is neither a question nor code."""
    seen: dict[tuple[str, ...], str] = {}
    found: list[tuple[Unit, int, bool]] = []
    for cid, author, text in comments:
        for s, ws, ok in parsed(text):
            if len(ws) >= 6 and seen.setdefault(ws, author) != author:
                continue
            found.append((Unit(cid, author, s), len(ws), ok))
    out = [u for u, n, ok in found if ok and min_words <= n <= max_words]
    out = out or [u for u, n, ok in found if ok and n]
    return out or [
        u
        for u, n, _ok in found
        if n and not is_question(u.sentence) and not looks_like_code(u.sentence)
    ]


def topic_words(topic: str) -> frozenset[str]:
    """The content words of a title, lower case, with their plural or singular."""
    out = set()
    for w in re.findall(r"[^\W\d_]{3,}", topic.lower()):
        if w not in ENGLISH_STOP_WORDS:
            out |= {w, w[:-1] if w.endswith("s") else w + "s"}
    return frozenset(out)


def _tier(sentence: str) -> int:
    score = claim_score(sentence)
    if score is not None:
        readable = MIN_POINT_WORDS <= len(words(sentence)) <= MAX_POINT_WORDS
        return (0 if score > 0 else 1) if readable else 2
    return 3 if claim_score(sentence, strict=False) is not None else 4


def _candidates(vectors: np.ndarray, bucket: np.ndarray) -> np.ndarray:
    """Indices of the sentences that may found a point: all, or when there are more than
    MAX_CANDIDATES, those with the most neighbours in a sample (best bucket first)."""
    eligible = np.arange(len(bucket))
    if len(eligible) <= MAX_CANDIDATES:
        return eligible
    step = max(1, len(vectors) // DENSITY_SAMPLE)
    near = (vectors[eligible] @ vectors[::step].T >= DENSITY).sum(axis=1)
    order = np.lexsort((eligible, -near, bucket[eligible]))
    return np.sort(eligible[order[:MAX_CANDIDATES]])


def key_arguments(
    comments: list[tuple[str, str, str]],
    *,
    max_points: int = 5,
    disputes: Disputes | None = None,
    topic: str = "",
) -> tuple[KeyArgument, ...]:
    """Key arguments of one side (or of a whole discussion). `comments` = (comment id,
    author, own text), in order; `disputes` = the replies that dispute each comment; `topic`
    = what the discussion is about (the article's title): its words name no point."""
    units = units_of(comments)
    if not units:
        return ()
    if len(units) > MAX_UNITS:
        keep = sorted(range(len(units)), key=lambda i: (-len(units[i].sentence), i))[:MAX_UNITS]
        units = [units[i] for i in sorted(keep)]
    texts = [u.sentence for u in units]
    vectors = sentence_vectors(
        texts, centre=len(texts) / (len(texts) + CENTRE_PRIOR), common=topic_words(topic)
    )
    tier = np.array([_tier(t) for t in texts])
    bucket = np.select([tier <= 1, tier == 2, tier == 3], [0, 1, 2], 3)
    cands = _candidates(vectors, bucket)
    if not len(cands):
        return ()
    sims = vectors @ vectors[cands].T
    near = sp.csc_matrix(sims >= DENSITY)
    # Among candidates with as many commenters, the one that reads best as a position (< 1).
    tie = 0.5 * np.array([standalone(texts[c]) for c in cands])
    names = {a: n for n, a in enumerate(dict.fromkeys(u.author for u in units))}
    author = np.array([names[u.author] for u in units])
    by_author = sp.csr_matrix(
        (np.ones(len(units)), (np.arange(len(units)), author)), shape=(len(units), len(names))
    )
    free = np.ones(len(units), dtype=bool)
    seeds: list[int] = []
    while len(seeds) < max_points:
        # A side's first point may be anything it wrote (units hold no question or code);
        # the next ones only claims.
        open_ = free[cands] & (bucket[cands] < (4 if not seeds else 2))
        if not open_.any():
            break
        best = int(bucket[cands][open_].min())
        open_ &= bucket[cands] == best
        members = near.multiply(free[:, None]).tocsc()
        commenters = np.asarray(((members.T @ by_author) > 0).sum(axis=1)).ravel()
        score = np.where(open_, np.maximum(commenters, 1) + tie, -1)
        j = int(np.argmax(score))  # first of equals: the earlier sentence
        seeds.append(int(cands[j]))
        free[sims[:, j] >= SPENT] = False
        free[cands[j]] = False
    return _points(units, vectors, seeds, disputes or {})


def _points(
    units: list[Unit], vectors: np.ndarray, seeds: list[int], disputes: Disputes
) -> tuple[KeyArgument, ...]:
    """Each sentence joins the point it is closest to (if at least MATCH); disputers out."""
    closeness = vectors @ vectors[seeds].T
    nearest = closeness.argmax(axis=1)
    groups: list[list[int]] = [[s] for s in seeds]
    taken = set(seeds)
    for i in range(len(units)):
        if i not in taken and closeness[i, nearest[i]] >= MATCH:
            groups[nearest[i]].append(i)
    points = []
    for seed, group in zip(seeds, groups, strict=True):
        ids = dict.fromkeys(units[m].comment_id for m in sorted(group))
        against = {cid: who for p in ids for cid, who in disputes.get(p, ())}
        quoted = units[seed].comment_id
        makers = sorted(m for m in group if m == seed or units[m].comment_id not in against)
        authors = tuple(dict.fromkeys(units[m].author for m in makers))
        points.append(
            KeyArgument(
                point=title(units[seed].sentence, [units[m].sentence for m in makers]),
                comment_ids=tuple(dict.fromkeys(units[m].comment_id for m in makers)),
                authors=authors,
                quote=units[seed].sentence,
                quote_comment_id=quoted,
                against=tuple(dict.fromkeys(a for a in against.values() if a not in authors)),
            )
        )
    points.sort(key=lambda k: (-len(k.authors), -len(k.comment_ids)))
    return tuple(points)
