"""`crosstalk eval sides PATH`: author sides against IAC 4forums stance labels.

Score per discussion: balanced accuracy over the authors whose majority label is pro or anti
(mean of the recall of pro and the recall of anti). Predicted groups (the engine's sides, and
its "others" group) are mapped to pro/anti by the best of all assignments of each group to a
label; "--strict" instead counts every author left in "others" as wrong. Baselines come from
the same code: everyone on one side, and max-cut on the reply graph (every reply a
disagreement, no article node, no vocabulary).
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bot.core.errors import InputError
from bot.core.model import Thread
from bot.core.thread import build_thread
from bot.engines.offline.engine import analyze_thread
from bot.engines.offline.graph import ARTICLE, build_graph
from bot.engines.offline.partition import split
from bot.engines.offline.sides import REPLY_OFFSET, camp_matrix
from bot.eval.iac import read_corpus

OTHERS = -1
Predict = Callable[[Thread], dict[str, int]]


def balanced_accuracy(pred: dict[str, int], gold: dict[str, str], *, strict: bool = False) -> float:
    """Best mapping of predicted groups to pro/anti; authors missing from `pred` are wrong."""
    authors = [a for a, label in gold.items() if label in ("pro", "anti")]
    groups = sorted({pred[a] for a in authors if a in pred})
    free = [g for g in groups if not (strict and g == OTHERS)]
    best = 0.0
    for assign in itertools.product(("pro", "anti"), repeat=len(free)):
        mapping = dict(zip(free, assign, strict=True))
        recalls = []
        for label in ("pro", "anti"):
            having = [a for a in authors if gold[a] == label]
            if not having:
                continue
            hits = sum(1 for a in having if a in pred and mapping.get(pred[a]) == label)
            recalls.append(hits / len(having))
        best = max(best, sum(recalls) / len(recalls) if recalls else 0.0)
    return best


def engine_sides(thread: Thread) -> dict[str, int]:
    report = analyze_thread(thread)
    out: dict[str, int] = {}
    for n, side in enumerate(report.sides):
        for a in side.authors:
            out[a] = OTHERS if side.label == "Others" else n
    return out


def one_side(thread: Thread) -> dict[str, int]:
    return {a: 0 for a in thread.discussion.authors}


def variant(
    *,
    signs: bool = True,
    replies: bool = True,
    lexical: float = 1.0,
    article: bool = True,
    camps: int = 4,
    offset: float = 0.0,
    strangers: bool = False,
) -> Predict:
    """The partition alone, with parts switched off (for the table of alternatives).
    `offset` is taken off every reply's sign; `strangers` keeps the words term only between
    authors who never reply to each other (both as the engine's `camp_matrix` does)."""

    def predict(thread: Thread) -> dict[str, int]:
        g = build_graph(thread, with_signs=signs)
        if replies:
            m = camp_matrix(
                g, lexical_weight=lexical, reply_offset=offset, strangers_only=strangers
            )
        else:
            m = lexical * g.lexical
        if not article and ARTICLE in g.nodes:
            k = g.nodes.index(ARTICLE)
            m = m.copy()
            m[k, :] = 0.0
            m[:, k] = 0.0
        labels = split(m, max_camps=camps)
        return {n: int(lab) for n, lab in zip(g.nodes, labels, strict=True) if n != ARTICLE}

    return predict


def max_cut(camps: int = 2) -> Predict:
    """Every reply a disagreement: minus the number of replies between two authors, cut in
    two (signed spectral start plus local search) and, with camps > 2, split again like the
    engine's camps."""

    def predict(thread: Thread) -> dict[str, int]:
        g = build_graph(thread, with_signs=False)
        keep = [i for i, n in enumerate(g.nodes) if n != ARTICLE]
        labels = split(-g.replies[np.ix_(keep, keep)], max_camps=camps)
        return {g.nodes[i]: int(lab) for i, lab in zip(keep, labels, strict=True)}

    return predict


BASELINES: dict[str, Predict] = {
    "everyone on one side": one_side,
    "max-cut on the reply graph": max_cut(2),
    "max-cut, up to 4 camps (as lenient)": max_cut(4),
}
ALTERNATIVES: dict[str, Predict] = {
    "signs, 2 camps": variant(lexical=0.0, article=False, camps=2),
    "signs + article, 2 camps": variant(lexical=0.0, camps=2),
    "signs + article + words x0.5, 2 camps": variant(lexical=0.5, camps=2),
    "signs + article + words x1, 2 camps": variant(lexical=1.0, camps=2),
    "signs + article + words x2, 2 camps": variant(lexical=2.0, camps=2),
    "words only, 2 camps": variant(replies=False, lexical=1.0, article=False, camps=2),
    "signs + article + words x1, up to 4 camps": variant(lexical=1.0, camps=4),
    "  + reply offset": variant(lexical=1.0, camps=4, offset=REPLY_OFFSET),
    "  + words only between non-repliers": variant(lexical=1.0, camps=4, strangers=True),
    "  + both (the engine's partition)": variant(
        lexical=1.0, camps=4, offset=REPLY_OFFSET, strangers=True
    ),
}


def run(path: Path, *, strict: bool, alternatives: bool, min_authors: int = 2) -> str:
    everything = read_corpus(path)
    # Balanced accuracy needs both classes: a discussion without a pro and an anti author, or
    # with fewer than `min_authors` of them, says nothing about sides.
    corpus = [
        ld
        for ld in everything
        if {"pro", "anti"} <= set(ld.stance.values())
        and sum(label in ("pro", "anti") for label in ld.stance.values()) >= min_authors
    ]
    if not corpus:
        raise InputError(f"No discussion under {path} has both pro and anti authors.")
    threads = [(ld, build_thread(ld.discussion)) for ld in corpus]
    methods: dict[str, Predict] = dict(BASELINES)
    if alternatives:
        methods.update(ALTERNATIVES)
    methods["offline engine (sides + others)"] = engine_sides
    ids = [ld.id for ld in corpus]
    width = max(len(m) for m in methods)
    show = len(ids) <= 12  # per-discussion columns only for small sets
    lines = [
        f"Balanced accuracy of author sides, {len(ids)} discussions"
        + (f" ({len(everything) - len(ids)} left out)" if len(everything) > len(ids) else "")
        + (" (strict: others count as wrong)" if strict else ""),
        f"{'method':<{width}}  mean   " + (" ".join(f"{i:>5}" for i in ids) if show else ""),
    ]
    for name, predict in methods.items():
        scores = [
            balanced_accuracy(predict(t), ld.stance, strict=strict and predict is engine_sides)
            for ld, t in threads
        ]
        lines.append(
            f"{name:<{width}}  {np.mean(scores):.3f}  "
            + (" ".join(f"{s:5.2f}" for s in scores) if show else "")
        )
    return "\n".join(lines)


def add_parser(eval_subparsers: argparse._SubParsersAction) -> None:
    p = eval_subparsers.add_parser(
        "sides", help="author sides vs IAC 4forums stance labels (balanced accuracy)"
    )
    p.add_argument("path", type=Path, help="folder of IAC v1 4forums data")
    p.add_argument("--strict", action="store_true", help="count authors left in others as wrong")
    p.add_argument(
        "--alternatives", action="store_true", help="also score the partition with parts removed"
    )
    p.add_argument(
        "--min-authors",
        type=int,
        default=2,
        help="leave out discussions with fewer pro and anti authors than this (default 2)",
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> str:
    return run(
        args.path, strict=args.strict, alternatives=args.alternatives, min_authors=args.min_authors
    )
