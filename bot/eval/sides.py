"""`crosstalk eval sides PATH`: author sides against IAC 4forums stance labels.

Per discussion, over the authors whose majority label is pro or anti:

- strict two-bloc score (the headline): the method says which of its camps oppose which (the
  engine merges its camps into two blocs, `sides.two_blocs`); each bloc is scored as pro or
  anti, the better of the two ways round; balanced accuracy (mean of the pro and the anti
  recall). An author left out of both blocs (the engine's "Others") counts as wrong.
- chance: the expected strict score of the method's own grouping with its group sizes kept and
  the labelled authors shuffled among the groups (`CHANCE_DRAWS` draws, fixed seed); lift is
  the score minus its chance.
- coverage: the share of labelled authors placed in a bloc at all.
- lenient: every group (each camp, and "Others") mapped to pro or anti on its own, the best way
  (the old figure: with four groups, shuffled authors already score about 0.65); its chance is
  measured the same way.

For the engine it also prints its `sides_confidence` and whether it shows sides, and sums up
the calibration: the share of discussions shown with sides and their strict score.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.errors import InputError
from bot.core.model import Thread
from bot.core.thread import build_thread
from bot.engines.offline.engine import find_sides
from bot.engines.offline.graph import ARTICLE, build_graph
from bot.engines.offline.partition import split
from bot.engines.offline.sides import REPLY_OFFSET, camp_matrix, two_blocs
from bot.eval.iac import LabelledDiscussion, read_corpus

OTHERS = -1
MISSING = -2
CHANCE_DRAWS = 2000


@dataclass(frozen=True, slots=True)
class Prediction:
    groups: dict[str, int]
    """author -> group (a camp, or OTHERS); authors missing are in no group."""
    blocs: dict[int, int]
    """group -> bloc (0 or 1); OTHERS and groups missing here are in no bloc."""
    confidence: float | None = None
    shown: bool = True


Predict = Callable[[Thread], Prediction]


def _gold(gold: dict[str, str]) -> tuple[list[str], np.ndarray]:
    authors = [a for a, label in gold.items() if label in ("pro", "anti")]
    return authors, np.array([gold[a] == "pro" for a in authors], dtype=bool)


def _strict(bloc: np.ndarray, pro: np.ndarray) -> np.ndarray:
    """Strict two-bloc score of each row of `bloc` (authors' blocs, -1 = none)."""
    anti = ~pro
    hits = []
    for first in (0, 1):  # bloc 0 is pro, then bloc 0 is anti
        r_pro = (bloc[..., pro] == first).mean(axis=-1) if pro.any() else None
        r_anti = (bloc[..., anti] == 1 - first).mean(axis=-1) if anti.any() else None
        parts = [r for r in (r_pro, r_anti) if r is not None]
        hits.append(sum(parts) / len(parts))
    return np.maximum(hits[0], hits[1])


def _lenient(group: np.ndarray, pro: np.ndarray, *, no_credit: tuple[int, ...] = ()) -> np.ndarray:
    """Lenient score of each row of `group`: each group takes the label it recalls best (the
    groups in `no_credit` recall nothing)."""
    n_pro, n_anti = max(1, int(pro.sum())), max(1, int((~pro).sum()))
    out = np.zeros(group.shape[:-1])
    for g in np.unique(group):
        if g in no_credit:
            continue
        inside = group == g
        out += np.maximum(
            (inside & pro).sum(axis=-1) / n_pro, (inside & ~pro).sum(axis=-1) / n_anti
        )
    return out / 2 if pro.any() and (~pro).any() else out


@dataclass(frozen=True, slots=True)
class Scores:
    strict: float
    chance: float
    coverage: float
    lenient: float
    lenient_chance: float
    confidence: float | None
    shown: bool

    @property
    def lift(self) -> float:
        return self.strict - self.chance


def score(pred: Prediction, gold: dict[str, str], *, seed: int = 0) -> Scores:
    """Every figure of one discussion (see the module docstring). A discussion needs at least
    one author labelled pro or anti: with none there is nothing to score (ValueError)."""
    authors, pro = _gold(gold)
    if not authors:
        raise ValueError("no author of this discussion is labelled pro or anti")
    group = np.array([pred.groups.get(a, MISSING) for a in authors])
    bloc = np.array([pred.blocs.get(int(g), -1) if g >= 0 else -1 for g in group])
    rng = np.random.default_rng(seed)
    draws = np.array([rng.permutation(len(authors)) for _ in range(CHANCE_DRAWS)])
    return Scores(
        strict=float(_strict(bloc, pro)),
        chance=float(_strict(bloc[draws], pro).mean()),
        coverage=float((bloc >= 0).mean()),
        lenient=float(_lenient(group, pro, no_credit=(MISSING,))),
        lenient_chance=float(_lenient(group[draws], pro, no_credit=(MISSING,)).mean()),
        confidence=pred.confidence,
        shown=pred.shown,
    )


def balanced_accuracy(pred: dict[str, int], gold: dict[str, str], *, strict: bool = False) -> float:
    """Lenient score of a bare grouping (each group mapped to its best label); with `strict`,
    authors in OTHERS count as wrong. Kept for scripts that compare partitions."""
    authors, pro = _gold(gold)
    groups = np.array([pred.get(a, MISSING) for a in authors])
    return float(_lenient(groups, pro, no_credit=(MISSING, OTHERS) if strict else (MISSING,)))


def engine_sides(thread: Thread) -> Prediction:
    found = find_sides(thread)
    camps = found.camps
    groups = {a: n for n, members in enumerate(camps.camps) for a in members}
    groups.update({a: OTHERS for a in camps.others})
    return Prediction(
        groups=groups,
        blocs=dict(enumerate(camps.blocs)),
        confidence=found.confidence,
        shown=found.shown,
    )


def one_side(thread: Thread) -> Prediction:
    return Prediction({a: 0 for a in thread.discussion.authors}, {0: 0})


def _partition(nodes: Sequence[str], m: np.ndarray, camps: int) -> Prediction:
    """Camps of the symmetric signed matrix `m` over `nodes`, merged into blocs as the
    engine merges its camps."""
    keep = [i for i, n in enumerate(nodes) if n != ARTICLE]
    m = m[np.ix_(keep, keep)]
    labels = split(m, max_camps=camps)
    k = int(labels.max()) + 1 if len(labels) else 0
    between = np.array(
        [[m[np.ix_(labels == a, labels == b)].sum() for b in range(k)] for a in range(k)]
    )
    return Prediction(
        groups={nodes[i]: int(lab) for i, lab in zip(keep, labels, strict=True)},
        blocs=dict(enumerate(two_blocs(between))),
    )


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

    def predict(thread: Thread) -> Prediction:
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
        return _partition(g.nodes, m, camps)

    return predict


def max_cut(camps: int = 2) -> Predict:
    """Every reply a disagreement: minus the number of replies between two authors, cut in
    two (signed spectral start plus local search) and, with camps > 2, split again like the
    engine's camps and merged back into two blocs."""

    def predict(thread: Thread) -> Prediction:
        g = build_graph(thread, with_signs=False)
        return _partition(g.nodes, -g.replies, camps)

    return predict


BASELINES: dict[str, Predict] = {
    "everyone on one side": one_side,
    "max-cut on the reply graph": max_cut(2),
    "max-cut, up to 4 camps": max_cut(4),
}
ALTERNATIVES: dict[str, Predict] = {
    "signs, 2 camps": variant(lexical=0.0, article=False, camps=2),
    "signs + article, 2 camps": variant(lexical=0.0, camps=2),
    "signs + article + words x1, 2 camps": variant(lexical=1.0, camps=2),
    "words only, 2 camps": variant(replies=False, lexical=1.0, article=False, camps=2),
    "signs + article + words x1, up to 4 camps": variant(lexical=1.0, camps=4),
    "  + reply offset + words only between non-repliers": variant(
        lexical=1.0, camps=4, offset=REPLY_OFFSET, strangers=True
    ),
    "  the same, 2 camps": variant(lexical=1.0, camps=2, offset=REPLY_OFFSET, strangers=True),
}
ENGINE = "offline engine"


def labelled(path: Path, min_authors: int) -> tuple[list[LabelledDiscussion], int]:
    """The discussions of `path` with both pro and anti authors, at least `min_authors` of
    them (balanced accuracy needs both classes), and how many were left out."""
    everything = read_corpus(path)
    corpus = [
        ld
        for ld in everything
        if {"pro", "anti"} <= set(ld.stance.values())
        and sum(label in ("pro", "anti") for label in ld.stance.values()) >= min_authors
    ]
    if not corpus:
        raise InputError(f"No discussion under {path} has both pro and anti authors.")
    return corpus, len(everything) - len(corpus)


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def run(path: Path, *, alternatives: bool, min_authors: int = 2) -> str:
    corpus, left_out = labelled(path, min_authors)
    threads = [(ld, build_thread(ld.discussion)) for ld in corpus]
    methods: dict[str, Predict] = dict(BASELINES)
    if alternatives:
        methods.update(ALTERNATIVES)
    methods[ENGINE] = engine_sides
    ids = [ld.id for ld in corpus]
    show = len(ids) <= 12  # per-discussion columns only for small sets
    width = max(len(m) for m in methods)
    lines = [
        f"Author sides, {len(ids)} discussions"
        + (f" ({left_out} left out: too few pro and anti authors)" if left_out else ""),
        "strict = two blocs scored pro/anti, Others wrong (headline); chance = the same grouping "
        "with authors shuffled; lift = strict - chance; lenient = every group mapped on its own",
        "",
        f"{'method':<{width}}  strict  chance   lift  cover  lenient  chance",
    ]
    engine_scores: list[Scores] = []
    per: dict[str, list[Scores]] = {}
    for name, predict in methods.items():
        scores = [score(predict(t), ld.stance) for ld, t in threads]
        per[name] = scores
        if predict is engine_sides:
            engine_scores = scores
        lines.append(_row(name, width, scores))
    if show:
        lines += [
            "",
            "strict two-bloc score per discussion",
            f"{'method':<{width}}  " + " ".join(f"{i:>5}" for i in ids),
        ]
        for name, scores in per.items():
            lines.append(f"{name:<{width}}  " + " ".join(f"{s.strict:5.2f}" for s in scores))
        lines += [
            f"{'  its chance':<{width}}  " + " ".join(f"{s.chance:5.2f}" for s in engine_scores),
            f"{'  its coverage':<{width}}  "
            + " ".join(f"{s.coverage:5.2f}" for s in engine_scores),
            f"{'  sides_confidence':<{width}}  "
            + " ".join(_conf(s.confidence) for s in engine_scores),
            f"{'  shown with sides':<{width}}  "
            + " ".join(f"{'yes' if s.shown else 'no':>5}" for s in engine_scores),
        ]
    lines += ["", *_calibration(engine_scores)]
    return "\n".join(lines)


def _row(name: str, width: int, scores: Sequence[Scores]) -> str:
    strict = _mean([s.strict for s in scores])
    chance = _mean([s.chance for s in scores])
    return (
        f"{name:<{width}}  {strict:6.3f}  {chance:6.3f}  {strict - chance:+.3f}  "
        f"{_mean([s.coverage for s in scores]):5.2f}  {_mean([s.lenient for s in scores]):7.3f}  "
        f"{_mean([s.lenient_chance for s in scores]):6.3f}"
    )


def _conf(value: float | None) -> str:
    return "    —" if value is None or np.isnan(value) else f"{value:5.2f}"


def _calibration(scores: Sequence[Scores]) -> list[str]:
    """The engine's abstention, summed up: shown with sides or not, and how good each was."""
    shown = [s for s in scores if s.shown]
    hidden = [s for s in scores if not s.shown]
    out = [
        f"Offline engine: sides shown in {len(shown)} of {len(scores)} discussions "
        f"({len(shown) / max(1, len(scores)):.0%})."
    ]
    for name, part in (("shown", shown), ("not shown", hidden)):
        if part:
            out.append(
                f"  {name}: strict {_mean([s.strict for s in part]):.3f}, chance "
                f"{_mean([s.chance for s in part]):.3f}, lift "
                f"{_mean([s.lift for s in part]):+.3f}, coverage "
                f"{_mean([s.coverage for s in part]):.2f}, mean sides_confidence "
                f"{_conf(_mean([s.confidence for s in part if s.confidence is not None]))}"
            )
    return out


def add_parser(eval_subparsers: argparse._SubParsersAction) -> None:
    p = eval_subparsers.add_parser(
        "sides", help="author sides vs IAC 4forums stance labels (strict two-bloc score)"
    )
    p.add_argument("path", type=Path, help="folder of IAC v1 4forums data")
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
    return run(args.path, alternatives=args.alternatives, min_authors=args.min_authors)
