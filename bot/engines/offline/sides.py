"""Authors -> camps: partition the signed author graph, set aside the undecided.

The matrix partitioned (`camp_matrix`) is the reply signs, each reply moved by
`REPLY_OFFSET` towards disagreement, plus `LEXICAL_WEIGHT` times the lexical similarity of
authors who never reply to each other (see `graph`); the article is a node too, so the camp
it falls in is the camp that sides with the article. An author who has no signal at all goes
to "others" (`UNDECIDED`); so do authors who only took part in side threads.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from bot.engines.offline.graph import ARTICLE, AuthorGraph
from bot.engines.offline.partition import split

LEXICAL_WEIGHT = 1.0
"""Kept because in threads with few replies vocabulary is the only thing that places a
commenter. Only between authors who never reply to each other: on held-out IAC debates two
authors who reply to each other are LESS likely on the same side the more their words are
alike (ROC AUC 0.42 over 8,656 such pairs: they argue about the same thing), while between
authors who do not reply to each other it is barely a signal (0.51 over 34,715 pairs)."""
REPLY_OFFSET = 0.1
"""Taken off the sign of every reply (signs are in (-1, 1)) when partitioning: a reply is
weak evidence of disagreement beyond its cues (the more two people reply to each other, the
less likely they share a side). Chosen on 268 held-out IAC debates, up to 4 camps, words
between non-repliers: offset 0 / 0.1 / 0.2 / 0.4 gave 0.813 / 0.818 / 0.813 / 0.814
(docs/offline-engine.md)."""
MAX_CAMPS = 4
UNDECIDED = -1.0
"""An author whose pull towards their camp exceeds the pull towards another camp by no more
than this share of their total |weight| is undecided (others). -1: only authors with no
signal at all go to others (the margin is never below -1). On 268 held-out IAC debates
(docs/offline-engine.md): 0.05 gave 0.766 (strict 0.508), 0.0 gave 0.824 (strict 0.751),
-0.1 0.815 (strict 0.804), -0.2 0.812 (strict 0.810), -0.5 and -1 0.812 (strict 0.812).
The fairer strict figure decides: a camp's members are not sent to others for being
pulled as much elsewhere."""
WORDS_ONLY_UNDECIDED = 0.0
"""The same margin for authors placed by vocabulary alone (nobody replied to them, they
replied to no one, and their top-level comments carry no cue): no better placed in their
camp than in another -> others. Vocabulary is weak evidence (words only: 0.567 on the ten
IAC debates), so a blog commenter it cannot place is shown as neutral, not forced into a
camp. Almost no IAC author is in this case."""


@dataclass(frozen=True, slots=True)
class Camps:
    camps: tuple[tuple[str, ...], ...]
    """Authors of each camp, largest camp first, authors in order of first appearance."""
    others: tuple[str, ...]
    article_camp: int | None
    """Index of the camp the article falls in, when there is an article and it has a camp."""
    blocs: tuple[int, ...] = ()
    """For each camp, the bloc (0 or 1) it belongs to: camps in one bloc are allies, camps in
    different blocs oppose each other (`two_blocs`). Camp 0 is in bloc 0."""


def camp_matrix(
    graph: AuthorGraph,
    *,
    lexical_weight: float = LEXICAL_WEIGHT,
    reply_offset: float = REPLY_OFFSET,
    strangers_only: bool = True,
) -> np.ndarray:
    """The symmetric signed matrix the camps are cut from (> 0: same side).
    `strangers_only=False` adds words between every two authors (for comparison)."""
    words = np.where(graph.replies == 0, graph.lexical, 0.0) if strangers_only else graph.lexical
    return graph.signed - reply_offset * graph.replies + lexical_weight * words


def find_camps(
    graph: AuthorGraph,
    *,
    exclude: frozenset[str] = frozenset(),
    lexical_weight: float = LEXICAL_WEIGHT,
    max_camps: int = MAX_CAMPS,
) -> Camps:
    """Partition the authors of `graph` (those in `exclude` go straight to others)."""
    keep = [i for i, n in enumerate(graph.nodes) if n not in exclude]
    nodes = [graph.nodes[i] for i in keep]
    m = camp_matrix(graph, lexical_weight=lexical_weight)[np.ix_(keep, keep)]
    labels = split(m, max_camps=max_camps) if len(nodes) else np.zeros(0, dtype=int)
    signed = graph.signed[np.ix_(keep, keep)]
    # Undecided: the pull towards the own camp minus the strongest pull to another camp.
    others: list[str] = [n for n in graph.nodes if n in exclude and n != ARTICLE]
    decided = np.ones(len(nodes), dtype=bool)
    camp_ids = sorted(set(labels.tolist()))
    for i, name in enumerate(nodes):
        total = float(np.abs(m[i]).sum())
        if name == ARTICLE:
            continue
        if total == 0.0:
            decided[i] = False
            continue
        pulls = {c: float(m[i, labels == c].sum()) for c in camp_ids}
        own = pulls.pop(int(labels[i]))
        rival = max(pulls.values(), default=-own)
        # Placed by words alone (no reply sign at all): the words must place them clearly.
        margin = UNDECIDED if np.any(signed[i]) else WORDS_ONLY_UNDECIDED
        if own - rival <= margin * total and len(camp_ids) > 1:
            decided[i] = False
    camps: list[list[str]] = [[] for _ in camp_ids]
    article_camp: int | None = None
    for i, name in enumerate(nodes):
        if name == graph.article_node and (name == ARTICLE or decided[i]):
            article_camp = int(labels[i])
        if name == ARTICLE:
            continue
        if decided[i]:
            camps[int(labels[i])].append(name)
        else:
            others.append(name)
    order = [c for c in range(len(camps)) if camps[c]]
    order.sort(key=lambda c: (-len(camps[c]), graph.nodes.index(camps[c][0])))
    if article_camp is not None:
        article_camp = order.index(article_camp) if article_camp in order else None
    first = {n: i for i, n in enumerate(graph.nodes)}
    final = [camps[c] for c in order]
    pos = {name: i for i, name in enumerate(nodes)}
    members = [np.array([pos[a] for a in camp], dtype=int) for camp in final]
    between = np.array([[m[np.ix_(x, y)].sum() for y in members] for x in members])
    return Camps(
        camps=tuple(tuple(camp) for camp in final),
        others=tuple(sorted(others, key=first.__getitem__)),
        article_camp=article_camp,
        blocs=two_blocs(between),
    )


def two_blocs(between: np.ndarray) -> tuple[int, ...]:
    """Camps merged into two blocs: of every way to put k camps in two blocs (camp 0 in bloc
    0), the one where the signed weight inside blocs minus the weight across them is largest
    (`between[a, b]`: summed weight between the members of camps a and b). Ties: fewer camps
    moved from bloc 0, then the first found."""
    k = len(between)
    best: tuple[float, int, tuple[int, ...]] | None = None
    for rest in itertools.product((0, 1), repeat=max(0, k - 1)):
        blocs = (0, *rest)[:k]
        score = sum(
            between[a, b] if blocs[a] == blocs[b] else -between[a, b]
            for a in range(k)
            for b in range(a + 1, k)
        )
        key = (float(score), -sum(blocs), blocs)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best is not None else ()
