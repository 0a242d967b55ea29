"""The LLM engine against a model that never stops (issue 16): every answer runs to max_tokens.

The fake server answers every call with JSON that never closes (counting comment numbers up,
the way a small model under a grammar keeps a list going) and `finish_reason: "length"`, after
a delay of BASE + PER_TOKEN × max_tokens: a server generating 1 / PER_TOKEN tokens a second
(the default, 10 ms a token, is 100 tokens/s, what a 7–8B model gives on a consumer GPU; the
135M model of issue 13 gave 30–100 tokens/s on this machine's 2 cores). Each call of the bundled
example's analysis is timed in full; the figures are the calls made (by kind), the wall time,
the largest max_tokens asked and the report's warnings.

Run: .venv/bin/python bench/bench_runaway.py [--context 2048 8192] [--per-token 0.01]
     [--repeat] (answers that repeat one span instead of counting)

Sleep-bound: wall time scales with PER_TOKEN; the calls do not depend on it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.thread import build_thread
from bot.engines.llm import LLMEngine
from bot.ingest.reader import read_discussion
from bot.llm.client import OpenAICompatibleClient
from tests.llm.fake_server import FakeLLMServer, Reply

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "real-estate-agents.txt"
BASE = 0.2


def kind(body: dict[str, Any]) -> str:
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    if "<<<COMMENTS" in user:
        return "map"
    return "reduce" if "<<<ARTICLE" in user else "merge"


def runaway(per_token: float, repeat: bool) -> Any:
    """A responder whose every answer runs to max_tokens (about one token per number)."""

    def respond(body: dict[str, Any]) -> Reply:
        n = int(body.get("max_tokens") or 1024)
        if repeat:
            text = '{"stances": [{"label": "Agents", "comments": [' + "12, 13, " * (n // 4)
        else:
            text = '{"stances": [{"label": "Agents", "comments": [' + ", ".join(
                str(k) for k in range(1, n // 2)
            )
        return Reply(text, finish_reason="length", delay=BASE + per_token * n)

    return respond


async def run(context: int, per_token: float, repeat: bool) -> dict[str, Any]:
    discussion = read_discussion(EXAMPLE.read_bytes(), name=EXAMPLE.name)
    thread = build_thread(discussion)
    async with (
        FakeLLMServer(responder=runaway(per_token, repeat)) as server,
        aiohttp.ClientSession() as session,
    ):
        client = OpenAICompatibleClient(session, base_url=server.base_url, model="runaway")
        engine = LLMEngine(client, context_tokens=context)
        start = time.perf_counter()
        report = await engine.analyze(thread)
        wall = time.perf_counter() - start
    return {
        "comments": len(discussion.comments),
        "calls": Counter(kind(b) for b in server.requests),
        "total": len(server.requests),
        "max_tokens": max(b["max_tokens"] for b in server.requests),
        "wall": wall,
        "engine": report.engine,
        "warnings": report.warnings,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--context", type=int, nargs="+", default=[2048, 8192])
    parser.add_argument("--per-token", type=float, default=0.01)
    parser.add_argument("--repeat", action="store_true")
    args = parser.parse_args()
    print(
        f"{EXAMPLE.name}; every answer runs to max_tokens; delay {BASE} s + "
        f"{args.per_token * 1000:g} ms × max_tokens; client concurrency 4 (the default)"
    )
    for context in args.context:
        r = await run(context, args.per_token, args.repeat)
        c = r["calls"]
        print(
            f"context {context}: {r['comments']} comments, {r['total']} calls "
            f"(map {c.get('map', 0)}, merge {c.get('merge', 0)}, reduce {c.get('reduce', 0)}), "
            f"largest max_tokens {r['max_tokens']}, wall {r['wall']:.1f} s, report by "
            f"{r['engine']}"
        )
        for w in r["warnings"]:
            print(f"    warning: {w}")


if __name__ == "__main__":
    asyncio.run(main())
