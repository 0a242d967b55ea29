"""The grid behind `sides.REPLY_OFFSET` and the vocabulary term: the strict two-bloc score and
the lenient figure of the partition (up to 4 camps) for each reply offset and vocabulary set-up.

Usage: python scripts/sides_grid.py PATH [--min-authors 8]
PATH is a folder of IAC v1 4forums data (see `crosstalk eval sides`). Choose on held-out
discussions (not the ten that `crosstalk eval sides` reports).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bot.core.thread import build_thread
from bot.eval.iac import read_corpus
from bot.eval.sides import score, variant

OFFSETS = (0.0, 0.1, 0.2, 0.4)
WORDS = (
    ("no words", 0.0, False),
    ("words between everyone", 1.0, False),
    ("words between non-repliers", 1.0, True),
    ("words between non-repliers x2", 2.0, True),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--min-authors", type=int, default=8)
    args = parser.parse_args()
    corpus = [
        ld
        for ld in read_corpus(args.path)
        if {"pro", "anti"} <= set(ld.stance.values())
        and sum(v in ("pro", "anti") for v in ld.stance.values()) >= args.min_authors
    ]
    threads = [(ld, build_thread(ld.discussion)) for ld in corpus]
    print(f"{len(threads)} discussions, up to 4 camps: strict two-bloc, lenient")
    for offset in OFFSETS:
        for name, weight, strangers in WORDS:
            predict = variant(lexical=weight, camps=4, offset=offset, strangers=strangers)
            scores = [score(predict(t), ld.stance) for ld, t in threads]
            strict = np.mean([s.strict for s in scores])
            lenient = np.mean([s.lenient for s in scores])
            print(f"offset {offset:.1f}  {name:<30} {strict:.3f}  {lenient:.3f}", flush=True)


if __name__ == "__main__":
    main()
