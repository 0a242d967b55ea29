"""`crosstalk eval keypoints PATH`: key arguments against IBM ArgKP gold key points.

Each (topic, stance) of ArgKP is treated as one side whose comments are its arguments (one
commenter per argument), and the engine's key-argument extraction runs on it unchanged.

Coverage, two definitions, both printed:
- majority: a gold key point is covered when, for at least one extracted key argument, more
  than half of the arguments grouped under it are labelled as matching that key point;
- quote: a gold key point is covered when the argument quoted by at least one extracted key
  argument is labelled as matching it.
Precision: the share of extracted key arguments whose group has a majority key point.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

from bot.core.errors import InputError
from bot.engines.offline.keypoints import key_arguments


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


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


def evaluate(root: Path, *, max_points: int = 5) -> str:
    lines = [
        f"{'topic':<58} {'st':>3} {'args':>4} {'gold':>4} {'ours':>4} "
        f"{'cov.maj':>7} {'cov.quote':>9} {'prec':>5}"
    ]
    totals: Counter[str] = Counter()
    for args_file, kps_file, labels_file in _split_files(root):
        arguments = _rows(args_file)
        gold_kps = _rows(kps_file)
        matches: dict[str, set[str]] = defaultdict(set)
        for row in _rows(labels_file):
            if row["label"] == "1":
                matches[row["arg_id"]].add(row["key_point_id"])
        groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for a in arguments:
            groups[(a["topic"], a["stance"])].append(a)
        for (topic, stance), items in sorted(groups.items()):
            gold = {
                k["key_point_id"] for k in gold_kps if (k["topic"], k["stance"]) == (topic, stance)
            }
            rows = [(a["arg_id"], a["arg_id"], a["argument"]) for a in items]
            found = key_arguments(rows, max_points=max_points)
            by_majority: set[str] = set()
            by_quote: set[str] = set()
            precise = 0
            for k in found:
                votes = Counter(kp for cid in k.comment_ids for kp in matches.get(cid, ()))
                # every key point that more than half the group is labelled with (an argument
                # may match several, so two can qualify: both count, whatever the set order)
                held = {kp for kp, n in votes.items() if n * 2 > len(k.comment_ids)}
                if held:
                    by_majority |= held
                    precise += 1
                by_quote |= matches.get(k.quote_comment_id or "", set()) & gold
            totals.update(
                gold=len(gold),
                ours=len(found),
                maj=len(by_majority & gold),
                quote=len(by_quote),
                precise=precise,
            )
            lines.append(
                f"{topic[:58]:<58} {stance:>3} {len(items):>4} {len(gold):>4} {len(found):>4} "
                f"{len(by_majority & gold):>7} {len(by_quote):>9} "
                f"{precise / max(1, len(found)):5.2f}"
            )
    g = max(1, totals["gold"])
    lines.append(
        f"TOTAL: gold key points {totals['gold']}, extracted {totals['ours']}; covered "
        f"(majority) {totals['maj']} = {totals['maj'] / g:.0%}, covered (quote) "
        f"{totals['quote']} = {totals['quote'] / g:.0%}; precision "
        f"{totals['precise'] / max(1, totals['ours']):.0%}"
    )
    return "\n".join(lines)


def add_parser(eval_subparsers: argparse._SubParsersAction) -> None:
    p = eval_subparsers.add_parser(
        "keypoints", help="key arguments vs IBM ArgKP gold key points (coverage)"
    )
    p.add_argument("path", type=Path, help="folder of ArgKP csv files")
    p.add_argument("--max-points", type=int, default=5, help="key arguments per side (default 5)")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> str:
    return evaluate(args.path, max_points=args.max_points)
