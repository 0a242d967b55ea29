"""`crosstalk eval ...`: reproducible measurements. Each evaluation is one subcommand of the
`eval` group; to add one, write `add_parser(group)` in its module and list it in `_EVALUATIONS`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from bot.core.errors import InputError
from bot.eval.render import SHAPES


def _structure_parser(group: argparse._SubParsersAction) -> None:
    p = group.add_parser(
        "structure",
        help="segmentation and reply-target accuracy on real reply trees rendered as pastes",
    )
    p.add_argument("paths", nargs="+", type=Path, help="Reddit JSON, WordPress comments, IAC")
    p.add_argument(
        "--shape",
        action="append",
        choices=list(SHAPES),
        metavar="SHAPE",
        help=f"only this paste shape (repeatable): {', '.join(SHAPES)}",
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--errors", action="store_true", help="list the pastes not segmented")
    p.add_argument(
        "--misses",
        action="store_true",
        help="count the wrong reply targets by the link's evidence and the gold's parent kind",
    )
    p.add_argument(
        "--by-evidence",
        action="store_true",
        help="the precision of the links made, per evidence kind",
    )
    p.set_defaults(eval_handler=run_structure)


def run_structure(args: argparse.Namespace) -> str:
    from bot.eval.gold import discover, load_path
    from bot.eval.structure import evaluate, format_evidence, format_table

    shapes = args.shape or list(SHAPES)
    files = discover(args.paths)
    threads = [load_path(f) for f in files]
    threads = [t for t in threads if t.comments]
    if not threads:
        raise InputError("No reply trees found under the given paths.")
    scores = evaluate(threads, shapes)
    if args.json:
        return json.dumps(
            {f"{c}/{s}": v.as_dict() for (c, s), v in sorted(scores.items())}, indent=2
        )
    out = [f"{len(threads)} threads, {sum(len(t.comments) for t in threads)} comments", ""]
    out.append(format_table(scores))
    if args.errors:
        out += ["", "Not segmented exactly:"]
        out += [f"- {e}" for (c, _), s in sorted(scores.items()) if c != "all" for e in s.errors]
    if getattr(args, "by_evidence", False):
        out += ["", "Best links by evidence (all corpora):", "", format_evidence(scores)]
    if getattr(args, "misses", False):
        out += ["", "Wrong reply targets (evidence of the link made -> what the gold says):"]
        for (corpus, shape), s in sorted(scores.items()):
            if corpus != "all" and s.misses:
                counts = ", ".join(f"{k}: {n}" for k, n in s.misses.most_common())
                out.append(f"- {corpus} {shape}: {counts}")
    return "\n".join(out)


def _links_parser(group: argparse._SubParsersAction) -> None:
    p = group.add_parser(
        "links",
        help="reply links on labelled pastes: precision per evidence kind, recall per case",
    )
    p.add_argument("paths", nargs="+", type=Path, help="folders of *.txt + *.gold.json pairs")
    p.add_argument("--wrong", action="store_true", help="list every wrong or missed link")
    p.set_defaults(eval_handler=run_links)


def run_links(args: argparse.Namespace) -> str:
    from bot.eval.links import discover_labelled, format_scores, load_labelled, score

    files = discover_labelled(args.paths)
    if not files:
        raise InputError("No labelled pastes (*.gold.json) under the given paths.")
    return format_scores(score([load_labelled(f) for f in files]), show_wrong=args.wrong)


def _offline_parsers(group: argparse._SubParsersAction) -> None:
    """`eval sides` and `eval keypoints` (bot.eval.sides / bot.eval.keypoints), whose
    handlers return their report as text."""
    from bot.eval import keypoints, sides

    for module in (sides, keypoints):
        before = set(group.choices)
        module.add_parser(group)
        for name in set(group.choices) - before:
            group.choices[name].set_defaults(eval_handler=module.handle, handler=handle)


_EVALUATIONS: list[Callable[[argparse._SubParsersAction], None]] = [
    _structure_parser,
    _links_parser,
    _offline_parsers,
]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `crosstalk eval` and its evaluations."""
    p = subparsers.add_parser("eval", help="measure Crosstalk on labelled data")
    group = p.add_subparsers(dest="evaluation", required=True)
    for register in _EVALUATIONS:
        register(group)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the chosen evaluation and print its report."""
    print(args.eval_handler(args))
    return 0
