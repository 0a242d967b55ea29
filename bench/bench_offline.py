"""Time the offline engine on a generated debate of 10,000 comments (target: under 5 s).

Run: .venv/bin/python bench/bench_offline.py [--comments N] [--repeat R]
Prints the time to build the reply structure and the time of the analysis, best of R runs.
Every run starts with the engine's caches emptied, so no run reuses another's work.
"""

from __future__ import annotations

import argparse
import os
import time

from bot.core.thread import build_thread
from bot.engines.offline import claims, keypoints, signs
from bot.engines.offline.engine import analyze_thread
from bot.eval.synthetic import debate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    discussion, _truth = debate(
        args.comments, authors_per_camp=max(5, args.comments // 40), bystanders=20, seed=1
    )
    n_authors = len(discussion.authors)
    best_thread = best_engine = float("inf")
    report = None
    for _ in range(args.repeat):
        claims.claim_score.cache_clear()
        claims.arguable.cache_clear()
        keypoints.parsed.cache_clear()
        signs._norm.cache_clear()
        t0 = time.perf_counter()
        thread = build_thread(discussion)
        t1 = time.perf_counter()
        report = analyze_thread(thread)
        t2 = time.perf_counter()
        best_thread = min(best_thread, t1 - t0)
        best_engine = min(best_engine, t2 - t1)
    assert report is not None
    total = best_thread + best_engine
    print(
        f"offline engine: {args.comments} comments, {n_authors} commenters, "
        f"{len(report.sides)} sides (sides_confidence {report.sides_confidence or 0:.2f}, "
        f"{len(report.positions)} positions), {os.cpu_count()} cpus: "
        f"structure {best_thread:.2f} s + "
        f"analysis {best_engine:.2f} s = {total:.2f} s (best of {args.repeat}; target < 5 s)"
    )


if __name__ == "__main__":
    main()
