"""Pipeline fidelity of the LLM engine, independent of any model (issue 13).

An oracle model (tests/llm/oracle.py) answers every map call with the labelled stance of each
comment's author, merges and reduces by label. The LLM engine runs against it at a small
context window, so each discussion is read in many parts; the report's two largest sides are
scored against the IAC author labels with the strict two-bloc score (authors in no bloc are
wrong). What is lost was lost by chunking, merging and id bookkeeping. Then a share of the
oracle's map answers is corrupted ("swap": that part's pro and anti exchanged; "flip": each
comment's label flipped with that probability) to draw the degradation curve.

Run: .venv/bin/python bench/llm_oracle.py PATH [PATH…] [--context 2048 4096]
     [--rates 0 0.05 0.1 0.2 0.3] [--how swap flip] [--seeds 3] [--limit N]
PATH: an IAC 4forums copy (discussions/, author_stance.csv), e.g. ../shared/data/labeled/
iac_v1_fourforums or the held-out /work/data/iac_dev.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.thread import build_thread
from bot.engines.llm import LLMEngine
from bot.eval.iac import LabelledDiscussion
from bot.eval.sides import labelled
from bot.llm.client import OpenAICompatibleClient
from tests.llm.fake_server import FakeLLMServer
from tests.llm.oracle import Oracle, strict_two_bloc


async def one(
    item: LabelledDiscussion, *, context: int, rate: float, how: str, seed: int
) -> dict[str, Any]:
    oracle = Oracle(item.discussion, item.stance, corrupt=rate, how=how, seed=seed)  # type: ignore[arg-type]
    async with FakeLLMServer(responder=oracle) as server, aiohttp.ClientSession() as session:
        client = OpenAICompatibleClient(
            session, base_url=server.base_url, model="oracle", concurrency=8
        )
        report = await LLMEngine(client, context_tokens=context).analyze(
            build_thread(item.discussion)
        )
    return {
        "score": strict_two_bloc(report, item.stance),
        "parts": oracle.map_answers,
        "engine": report.engine,
        "warnings": report.warnings,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--context", type=int, nargs="+", default=[2048, 4096])
    parser.add_argument("--rates", type=float, nargs="+", default=[0, 0.05, 0.1, 0.2, 0.3, 0.5])
    parser.add_argument("--how", nargs="+", default=["swap", "flip"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--min-parts", type=int, default=4)
    parser.add_argument("--limit", type=int, default=0, help="the first N debates only")
    args = parser.parse_args()
    # The debates `crosstalk eval sides` scores: both pro and anti authors, at least two.
    items = [d for p in args.paths for d in labelled(p, min_authors=2)[0]]
    items = items[: args.limit] if args.limit else items
    start = time.perf_counter()
    for context in args.context:
        base = {d.id: await one(d, context=context, rate=0, how="swap", seed=0) for d in items}
        many = [d for d in items if base[d.id]["parts"] >= args.min_parts]
        scores = [base[d.id]["score"] for d in many]
        median = statistics.median(base[d.id]["parts"] for d in many)
        print(
            f"context {context}: {len(many)} of {len(items)} discussions read in "
            f"≥{args.min_parts} parts (median {median:.0f}); strict two-bloc score at no "
            f"corruption: mean {statistics.mean(scores):.3f}, min {min(scores):.3f}"
        )
        for d in many:
            print(f"    {d.id}: {base[d.id]['parts']} parts, {base[d.id]['score']:.3f}")
        odd = [(d.id, base[d.id]) for d in many if base[d.id]["engine"] != "llm:oracle"]
        for did, r in odd:
            print(f"    {did}: report by {r['engine']}: {r['warnings']}")
        for how in args.how:
            row = []
            for rate in args.rates:
                runs = [
                    (await one(d, context=context, rate=rate, how=how, seed=s))["score"]
                    for d in many
                    for s in range(args.seeds if rate else 1)
                ]
                row.append(f"{rate:.0%}: {statistics.mean(runs):.3f}")
            print(f"  {how:<5} " + "  ".join(row))
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    asyncio.run(main())
