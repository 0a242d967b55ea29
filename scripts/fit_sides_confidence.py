"""Fit `sides_confidence` (bot.engines.offline.confidence) on labelled IAC debates.

Usage: python scripts/fit_sides_confidence.py DEV_PATH [--exclude IDS] [--rows FILE]

Every discussion of DEV_PATH with both pro and anti authors is analysed as it is and with its
reply links thinned (half, a fifth, none kept: a thread where few people reply to each other,
like a blog), so that the model sees low-reply threads too. For each, the engine's EVIDENCE and
its strict two-bloc score (`crosstalk eval sides`) are recorded; a logistic regression of
"strict >= 0.75" on EVIDENCE is fitted, cross-validated by discussion (5 folds). Prints the
reliability of the cross-validated probabilities, the share of discussions shown and their
strict score for each threshold (on the discussions as they are), and INTERCEPT, WEIGHTS and
the chosen THRESHOLD (the lowest at which the shown discussions reach 0.80) to paste into
confidence.py. `--rows FILE` keeps the measured rows (JSON) to refit without re-analysing.
The ten discussions `crosstalk eval sides` reports are excluded (held out).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from bot.core.model import Thread
from bot.core.thread import build_thread
from bot.engines.offline.confidence import EVIDENCE, evidence
from bot.engines.offline.engine import find_sides
from bot.eval.sides import engine_sides, labelled, score

EVAL_IDS = "22,339,390,4,41,5447,62,64,9743,9779"
KEEP = (1.0, 0.5, 0.2, 0.0)
"""Shares of the reply links kept."""
RIGHT = 0.75
"""The event sides_confidence estimates: a strict two-bloc score of at least this."""
TARGET = 0.80
"""The threshold is the lowest at which the discussions shown reach this strict score."""


def thin(thread: Thread, keep: float, seed: int = 0) -> Thread:
    """`thread` with only a random share `keep` of its reply links (fixed seed)."""
    if keep >= 1.0:
        return thread
    rng = np.random.default_rng(seed)
    ids = sorted(thread.links)
    draws = rng.random(len(ids))
    return dataclasses.replace(
        thread, links={i: thread.links[i] for i, u in zip(ids, draws, strict=True) if u < keep}
    )


def measure(path: Path, exclude: set[str]) -> list[dict[str, object]]:
    corpus, _left_out = labelled(path, 2)
    rows: list[dict[str, object]] = []
    for ld in corpus:
        if ld.id in exclude:
            continue
        whole = build_thread(ld.discussion)
        for keep in KEEP:
            t = thin(whole, keep)
            found = find_sides(t)
            s = score(engine_sides(t), ld.stance)
            rows.append(
                {
                    "id": ld.id,
                    "keep": keep,
                    "evidence": list(evidence(found.graph, found.camps)),
                    "strict": s.strict,
                    "chance": s.chance,
                }
            )
        print(f"{ld.id} ", end="", flush=True)
    print()
    return rows


def fit(rows: list[dict[str, object]]) -> None:
    x = np.array([r["evidence"] for r in rows], dtype=float)
    strict = np.array([r["strict"] for r in rows], dtype=float)
    chance = np.array([r["chance"] for r in rows], dtype=float)
    keep = np.array([r["keep"] for r in rows], dtype=float)
    groups = np.array([r["id"] for r in rows])
    y = (strict >= RIGHT).astype(int)
    pred = np.zeros(len(y))
    for train, test in GroupKFold(5).split(x, groups=groups):
        model = LogisticRegression(C=1.0).fit(x[train], y[train])
        pred[test] = model.predict_proba(x[test])[:, 1]
    print(f"{len(set(groups.tolist()))} discussions x {len(KEEP)} link shares; cross-validated:")
    print("reliability (probability bin: n, mean probability, observed share right):")
    for lo in np.arange(0.0, 1.0, 0.1):
        b = (pred >= lo) & (pred < lo + 0.1)
        if b.any():
            print(
                f"  {lo:.1f}-{lo + 0.1:.1f}: {b.sum():4d}  {pred[b].mean():.2f}  {y[b].mean():.2f}"
            )
    whole = keep == 1.0
    print("threshold: shown (as they are) strict chance | shown with half / a fifth / no links")
    chosen = None
    for t in np.arange(0.30, 0.86, 0.05):
        shown = whole & (pred >= t)
        if not shown.any():
            continue
        thinned = [((keep == k) & (pred >= t)).sum() / whole.sum() for k in KEEP[1:]]
        mean = strict[shown].mean()
        print(
            f"  {t:.2f}: {shown.sum() / whole.sum():4.0%} {mean:.3f} {chance[shown].mean():.3f}"
            " | " + " / ".join(f"{s:.0%}" for s in thinned)
        )
        if chosen is None and mean >= TARGET:
            chosen = round(float(t), 2)
    model = LogisticRegression(C=1.0).fit(x, y)
    for name, w in zip(EVIDENCE, model.coef_[0], strict=True):
        print(f"  {name:<20} {w:+.3f}")
    print(f"INTERCEPT = {model.intercept_[0]:.3f}")
    print("WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in model.coef_[0]) + ")")
    print(f"THRESHOLD = {chosen}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--exclude", default=EVAL_IDS, help="discussion ids to leave out")
    parser.add_argument("--rows", type=Path, help="JSON file of measured rows (kept, reused)")
    args = parser.parse_args()
    if args.rows and args.rows.exists():
        rows = json.loads(args.rows.read_text(encoding="utf-8"))
    else:
        rows = measure(args.path, set(args.exclude.split(",")))
        if args.rows:
            args.rows.write_text(json.dumps(rows), encoding="utf-8")
    fit(rows)


if __name__ == "__main__":
    main()
