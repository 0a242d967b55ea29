"""How well the sides are supported, and whether to show them at all.

`sides_confidence` is the estimated probability that the two opposing blocs place at least
three commenters in four on their true side (balanced accuracy >= 0.75): a logistic model of
what the split rests on (`EVIDENCE`), fitted on held-out labelled debates with their reply
links kept, thinned and removed (`scripts/fit_sides_confidence.py`), so that a blog where
few people reply to each other is scored from data like it. Below `THRESHOLD` the map shows
no sides, and says why in one line. A thread that is not an argument (questions, thanks,
show-and-tell) gets no sides whatever its replies: `ARGUMENTATIVE`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import adjusted_rand_score

from bot.core.text import sentences
from bot.engines.offline.claims import claim_score
from bot.engines.offline.graph import AuthorGraph
from bot.engines.offline.partition import split
from bot.engines.offline.sides import Camps, camp_matrix

EVIDENCE = (
    "satisfied",
    "placed_by_replies",
    "agrees_with_signs",
    "pushback",
    "replies_per_author",
    "log_authors",
    "balance",
)
"""What `evidence` measures, in order:
- satisfied: the share of the signed weight the split agrees with (agreement inside blocs,
  disagreement across them);
- placed_by_replies: the share of placed commenters who replied to, or were answered by,
  another placed commenter;
- agrees_with_signs: adjusted Rand index between the blocs and the cut of the reply signs
  alone (no vocabulary, no offset): two readings that agree make a split more credible.
  (Agreement with max-cut, every reply a disagreement, predicts better on 4forums, where 73 %
  of replies cross sides, but would call every thread where people agree with each other
  doubtful: left out, docs/offline-engine.md);
- pushback: the share of pairs of commenters, among those whose replies carry a sign, whose
  replies disagree overall;
- replies_per_author, log_authors: how much there is to go on, and over how many people;
- balance: the smaller bloc's share of the placed commenters."""
INTERCEPT = -1.886
WEIGHTS = (1.152, 1.000, 0.570, 1.348, 0.200, -1.176, 2.127)
"""Logistic regression of "strict two-bloc score >= 0.75" on EVIDENCE
(scripts/fit_sides_confidence.py)."""
THRESHOLD = 0.65
"""Sides are shown from this confidence up: the lowest threshold (in steps of 0.05) at which
the held-out discussions shown reach a strict score of 0.80, cross-validated
(scripts/fit_sides_confidence.py: 35 % of them shown, strict 0.809)."""
ARGUMENTATIVE = 0.5
"""A thread where fewer than this share of the comments argue something (hold a claim,
`claims.claim_score`, with an argument marker) is not a debate: no sides. Measured: Reddit
show-and-tell, AMA, game, picture and question threads 0.27-0.45; HN threads 0.68-0.71;
blog and forum debates 0.75-1.0; held-out IAC debates 0.63 or more for 95 % of them, 0.43 at
the lowest (docs/offline-engine.md)."""
MOST_AUTHORS = 74
MOST_REPLIES_PER_AUTHOR = 19.3
"""The largest values seen in the held-out debates the model was fitted on: beyond them the
fitted trend is not extrapolated (a debate of 500 commenters is read as one of 74)."""
MIN_PLACED = 4
"""Fewer commenters than this in the two blocs: too few to speak of camps."""


@dataclass(frozen=True, slots=True)
class Verdict:
    confidence: float
    shown: bool
    note: str
    """One line: why there are no sides, or what the sides shown rest on."""


def argumentative_share(texts: list[str]) -> float:
    """The share of `texts` holding a claim with an argument marker."""
    if not texts:
        return 0.0
    argues = sum(any((claim_score(s) or 0.0) >= 1.0 for s in sentences(t)[:12]) for t in texts if t)
    return argues / len(texts)


def evidence(graph: AuthorGraph, camps: Camps) -> tuple[float, ...]:
    """The EVIDENCE of the split in `camps` (blocs of placed commenters only)."""
    idx = graph.index()
    names = [a for members in camps.camps for a in members]
    bloc_of = {a: camps.blocs[n] for n, members in enumerate(camps.camps) for a in members}
    names.sort(key=idx.__getitem__)
    if not names:
        return (0.0,) * len(EVIDENCE)
    ii = [idx[a] for a in names]
    blocs = np.array([bloc_of[a] for a in names])
    x = np.where(blocs == 0, 1.0, -1.0)
    m = camp_matrix(graph)[np.ix_(ii, ii)]
    same = x[:, None] == x[None, :]
    total = float(np.abs(m).sum())
    satisfied = float((np.abs(m) * (np.where(same, m, -m) > 0)).sum() / total) if total else 0.0
    replies = graph.replies[np.ix_(ii, ii)]
    signed = graph.signed[np.ix_(ii, ii)]
    n = len(names)
    pos, neg = float((signed > 0).sum()), float((signed < 0).sum())
    return (
        satisfied,
        float((replies.sum(axis=1) > 0).mean()),
        _agreement(blocs, split(signed, max_camps=2)),
        neg / (pos + neg) if pos + neg else 0.0,
        min(float(replies.sum() / 2 / n), MOST_REPLIES_PER_AUTHOR),
        math.log(min(n, MOST_AUTHORS)),
        float(min((blocs == 0).sum(), (blocs == 1).sum()) / n),
    )


def _agreement(a: np.ndarray, b: np.ndarray) -> float:
    if len(set(a.tolist())) < 2 and len(set(b.tolist())) < 2:
        return 0.0  # two "everyone together" cuts say nothing about camps
    return float(adjusted_rand_score(a, b))


def confidence_of(values: tuple[float, ...]) -> float:
    """The calibrated probability for EVIDENCE `values`."""
    logit = INTERCEPT + sum(w * v for w, v in zip(WEIGHTS, values, strict=True))
    return 1.0 / (1.0 + math.exp(-logit))


def judge(graph: AuthorGraph, camps: Camps, texts: list[str]) -> Verdict:
    """Show the sides in `camps` or not, and the one line that says why. `texts` are the
    on-topic comments (own words, quotes removed)."""
    placed = sum(len(c) for c in camps.camps)
    if texts and argumentative_share(texts) < ARGUMENTATIVE:
        return Verdict(
            0.0,
            False,
            "No sides: this thread is not an argument (most comments ask, thank or tell "
            "rather than argue).",
        )
    if len(camps.camps) < 2 or placed < MIN_PLACED or len(set(camps.blocs)) < 2:
        return Verdict(0.0, False, "No sides: nobody here clearly argues against anybody else.")
    values = evidence(graph, camps)
    confidence = confidence_of(values)
    by_replies = values[EVIDENCE.index("placed_by_replies")]
    if confidence >= THRESHOLD:
        return Verdict(
            confidence,
            True,
            f"Sides read from who answers whom and how (confidence {confidence:.2f}).",
        )
    if by_replies < 0.5:
        why = "few replies between commenters, so camps cannot be told apart without a model"
    elif values[EVIDENCE.index("pushback")] < 0.5:
        why = "few replies push back on anybody, so nothing clearly divides the commenters"
    else:
        why = "the replies do not split the commenters into two clear camps"
    return Verdict(confidence, False, f"No sides: {why} (confidence {confidence:.2f}).")
