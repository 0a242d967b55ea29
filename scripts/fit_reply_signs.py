"""Fit the reply-sign weights (bot.engines.offline.signs.WEIGHTS) on labelled IAC debates.

Usage: python scripts/fit_reply_signs.py PATH [--exclude 22,339,...]
PATH is a folder of IAC v1 4forums data (discussions/, ranges_quotes/, author_stance.csv).
Every reply between two authors whose majority label is pro or anti is one example: target
1 when both have the same label. Prints INTERCEPT and WEIGHTS to paste into signs.py. The
discussions scored by `crosstalk eval sides` must be excluded (held out).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.core.thread import build_thread
from bot.engines.offline.signs import FEATURES, reply_features
from bot.eval.iac import read_corpus

EVAL_IDS = "22,339,390,4,41,5447,62,64,9743,9779"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--exclude", default=EVAL_IDS, help="discussion ids to leave out")
    args = parser.parse_args()
    excluded = set(args.exclude.split(","))
    xs: list[tuple[float, ...]] = []
    ys: list[int] = []
    n_disc = 0
    for ld in read_corpus(args.path):
        if ld.id in excluded:
            continue
        n_disc += 1
        thread = build_thread(ld.discussion)
        by_id = ld.discussion.by_id()
        for c in ld.discussion.comments:
            pid = thread.parent(c.id)
            if pid is None or by_id[pid].author == c.author:
                continue
            a, b = ld.stance.get(c.author), ld.stance.get(by_id[pid].author)
            if a not in ("pro", "anti") or b not in ("pro", "anti"):
                continue
            xs.append(reply_features(c.text, by_id[pid].text))
            ys.append(int(a == b))
    x, y = np.array(xs), np.array(ys)
    # Calibrated log-odds (no class re-weighting): in correlation clustering the weight of an
    # edge is the log-odds that its two ends belong together, prior included. Re-weighting
    # the classes to 50/50 was tried: worse on held-out discussions (docs/offline-engine.md).
    model = LogisticRegression(C=1.0).fit(x, y)
    print(f"{n_disc} discussions, {len(y)} replies, {y.mean():.0%} between same-side authors")
    for name, w, share in zip(FEATURES, model.coef_[0], x.mean(axis=0), strict=True):
        print(f"  {name:<17} weight {w:+.3f}  (present in {share:.0%})")
    print(f"INTERCEPT = {model.intercept_[0]:.3f}")
    print("WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in model.coef_[0]) + ")")


if __name__ == "__main__":
    main()
