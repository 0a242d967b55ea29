"""`crosstalk eval keypoints PATH`: key arguments against IBM ArgKP gold key points.

Each (topic, stance) of ArgKP is treated as one side whose comments are its arguments (one
commenter per argument), and the engine's key-argument extraction runs on it unchanged, the
topic given as the discussion's title (as the engine is given an article's title).

Coverage, two definitions, both printed:
- majority: a gold key point is covered when, for at least one extracted key argument, more
  than half of the arguments grouped under it are labelled as matching that key point;
- quote: a gold key point is covered when the argument quoted by at least one extracted key
  argument is labelled as matching it.
Precision: the share of extracted key arguments whose group has a majority key point.

ArgKP comes in splits told apart by the file names: `dev` (4 topics) and `test` (3 other
topics) are in the shared data; IBM's `train` split (24 other topics) can be put beside them.
The engine was tuned on dev and train; test is held out. Totals are printed per split, each next
to chance: groups of the same sizes drawn at random from the side's arguments, quoting a random
member (mean of CHANCE_DRAWS draws). Small groups are easy to keep pure (a group of one is pure
whenever its argument matches any key point), so the share of arguments grouped is printed too.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import InputError
from bot.core.model import KeyArgument
from bot.engines.offline.keypoints import key_arguments

SPLITS = ("dev", "test", "train")
CHANCE_DRAWS = 20

Extractor = Callable[["GoldSide", int], Sequence[KeyArgument]]
"""(a side, max points) -> its key arguments."""


@dataclass(frozen=True, slots=True)
class GoldSide:
    """One (topic, stance) of ArgKP: its arguments as comments and its gold key points."""

    split: str
    topic: str
    stance: str
    rows: list[tuple[str, str, str]]
    """(argument id, argument id as author, argument text)"""
    gold: frozenset[str]
    matches: dict[str, set[str]]
    """argument id -> the gold key points it is labelled as matching"""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split_of(name: str) -> str:
    return next((s for s in SPLITS if s in name.lower()), "other")


def _split_files(root: Path) -> list[tuple[Path, Path, Path]]:
    out = []
    for args in sorted(root.glob("*arguments*.csv")):
        kps = args.with_name(args.name.replace("arguments", "key_points"))
        labels = args.with_name(args.name.replace("arguments", "labels"))
        if kps.exists() and labels.exists():
            out.append((args, kps, labels))
    if not out:
        raise InputError(
            f"{root} holds no ArgKP files: expected *arguments*.csv with matching "
            "*key_points*.csv and *labels*.csv."
        )
    return out


def gold_sides(root: Path, split: str = "all") -> Iterator[GoldSide]:
    """Every (topic, stance) of the ArgKP files under `root` (of one split, or all)."""
    for args_file, kps_file, labels_file in _split_files(root):
        name = _split_of(args_file.name)
        if split not in ("all", name):
            continue
        gold_kps = _rows(kps_file)
        matches: dict[str, set[str]] = defaultdict(set)
        for row in _rows(labels_file):
            if row["label"] == "1":
                matches[row["arg_id"]].add(row["key_point_id"])
        groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for a in _rows(args_file):
            groups[(a["topic"], a["stance"])].append(a)
        for (topic, stance), items in sorted(groups.items()):
            gold = frozenset(
                k["key_point_id"] for k in gold_kps if (k["topic"], k["stance"]) == (topic, stance)
            )
            rows = [(a["arg_id"], a["arg_id"], a["argument"]) for a in items]
            yield GoldSide(name, topic, stance, rows, gold, matches)


def score(side: GoldSide, found: Sequence[KeyArgument]) -> Counter[str]:
    """Counts for one side: gold, ours, maj(ority), quote, precise, grouped (arguments)."""
    by_majority: set[str] = set()
    by_quote: set[str] = set()
    precise = 0
    for k in found:
        votes = Counter(kp for cid in k.comment_ids for kp in side.matches.get(cid, ()))
        # every key point that more than half the group is labelled with (an argument may
        # match several, so two can qualify: both count, whatever the set order)
        held = {kp for kp, n in votes.items() if n * 2 > len(k.comment_ids)}
        if held:
            by_majority |= held
            precise += 1
        by_quote |= side.matches.get(k.quote_comment_id or "", set()) & side.gold
    return Counter(
        gold=len(side.gold),
        ours=len(found),
        maj=len(by_majority & side.gold),
        quote=len(by_quote),
        precise=precise,
        grouped=len({c for k in found for c in k.comment_ids}),
        args=len(side.rows),
    )


def chance(side: GoldSide, found: Sequence[KeyArgument], seed: int) -> Counter[str]:
    """Groups of the sizes found, drawn at random without overlap, each quoting a random
    member."""
    rnd = random.Random(seed)
    ids = [cid for cid, _a, _t in side.rows]
    rnd.shuffle(ids)
    fake: list[KeyArgument] = []
    start = 0
    for k in found:
        n = min(len(k.comment_ids), len(ids) - start)
        group = tuple(ids[start : start + n])
        start += n
        if group:
            fake.append(KeyArgument("", group, group, "", rnd.choice(group)))
    return score(side, fake)


def _total(name: str, t: Counter[str]) -> str:
    g = max(1, t["gold"])
    return (
        f"{name}: gold key points {t['gold']}, extracted {t['ours']}; covered "
        f"(majority) {t['maj']} = {t['maj'] / g:.0%}, covered (quote) "
        f"{t['quote']} = {t['quote'] / g:.0%}; precision "
        f"{t['precise'] / max(1, t['ours']):.0%}; arguments grouped "
        f"{t['grouped'] / max(1, t['args']):.0%}"
    )


def evaluate(
    root: Path, *, max_points: int = 5, split: str = "all", extract: Extractor | None = None
) -> str:
    """The table, one line per side, then the totals per split with chance next to them; the
    last line is the total over every side read."""
    run: Extractor = extract or (
        lambda side, n: key_arguments(side.rows, max_points=n, topic=side.topic)
    )
    lines = [
        f"{'split':<5} {'topic':<52} {'st':>3} {'args':>4} {'gold':>4} {'ours':>4} "
        f"{'cov.maj':>7} {'cov.quote':>9} {'prec':>5}"
    ]
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    chances: dict[str, Counter[str]] = defaultdict(Counter)
    for side in gold_sides(root, split):
        found = run(side, max_points)
        got = score(side, found)
        totals[side.split].update(got)
        for draw in range(CHANCE_DRAWS):
            chances[side.split].update(chance(side, found, seed=draw))
        lines.append(
            f"{side.split:<5} {side.topic[:52]:<52} {side.stance:>3} {len(side.rows):>4} "
            f"{got['gold']:>4} {got['ours']:>4} {got['maj']:>7} {got['quote']:>9} "
            f"{got['precise'] / max(1, got['ours']):5.2f}"
        )
    if not totals:
        raise InputError(f"{root} holds no ArgKP arguments of the {split!r} split.")
    everything: Counter[str] = Counter()
    for name in sorted(totals):
        everything.update(totals[name])
        mean = Counter({k: round(v / CHANCE_DRAWS) for k, v in chances[name].items()})
        tuned = {"dev": " (tuned on)", "test": " (held out)", "train": " (tuned on)"}.get(name, "")
        lines.append(_total(f"{name}{tuned}", totals[name]))
        lines.append(_total(f"{name}, chance (same group sizes)", mean))
    lines.append(_total("TOTAL", everything))
    return "\n".join(lines)


def add_parser(eval_subparsers: argparse._SubParsersAction) -> None:
    p = eval_subparsers.add_parser(
        "keypoints", help="key arguments vs IBM ArgKP gold key points (coverage)"
    )
    p.add_argument("path", type=Path, help="folder of ArgKP csv files")
    p.add_argument("--max-points", type=int, default=5, help="key arguments per side (default 5)")
    p.add_argument(
        "--split",
        choices=("all", *SPLITS),
        default="all",
        help="dev, train (tuned on), test (held out) or all (default; totals per split)",
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> str:
    return evaluate(args.path, max_points=args.max_points, split=args.split)
