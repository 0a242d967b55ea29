"""LLM engine figures against the local fake server (no model, no internet).

1. Input tokens sent ÷ discussion tokens for 100, 1,000 and 10,000 generated comments, with the
   fixed prompt overhead per call shown apart (target: sent ≤ 1.15 × discussion + overhead/call).
2. Wall time for 1,000 comments with 500 ms latency per call and concurrency 8
   (target ≤ 3 × the latency), three runs each.
3. For every run, the largest prompt + max_tokens of any request, plain and with the prompt
   counted MARGIN times higher plus the chat template's framing (both must be ≤ the context).
4. For every run of the first table, the reduce step's wall time (merging included: the fake
   server answers at once) and the longest the event loop was held at a time (a 1 ms heartbeat's
   CPU time between two beats, over the whole analysis; the fake server's own work shares
   that loop).
5. The same stall for 10,000 comments with the fake server on its own thread and event loop:
   the engine's alone.

Run: .venv/bin/python bench/bench_llm.py   (takes about 20 seconds)
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from llm_synthetic import discussion

from bot.core.model import Discussion
from bot.core.thread import build_thread
from bot.engines.llm import LLMEngine
from bot.engines.llm.engine import _Run, overhead
from bot.llm.client import OpenAICompatibleClient
from bot.llm.tokens import FRAMING, MARGIN, count_tokens
from tests.llm.fake_server import FakeLLMServer

CONTEXT = 8192


def discussion_tokens(d: Discussion) -> int:
    """The discussion's own tokens: each comment's text and author, and the article text."""
    return count_tokens(d.article.text) + sum(
        count_tokens(c.text) + count_tokens(c.author) for c in d.comments
    )


def prompt_tokens(body: dict) -> int:
    n = sum(count_tokens(m["content"]) for m in body["messages"])
    if (body.get("response_format") or {}).get("type") == "json_schema":
        n += count_tokens(json.dumps(body["response_format"]))
    return n


def kind(body: dict) -> str:
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    if "<<<COMMENTS" in user:
        return "map"
    return "reduce" if "<<<ARTICLE" in user else "merge"


class LoopWatch:
    """The longest the event loop was held at a time, seen by a 1 ms heartbeat: `worst` is the
    CPU time the loop's thread spent between two beats (what the loop itself did; a busy
    machine does not inflate it), `worst_wall` how late a beat woke (preemption included)."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.worst_wall = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _beat(self) -> None:
        while True:
            wall, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.001)
            self.worst_wall = max(self.worst_wall, time.perf_counter() - wall - 0.001)
            self.worst = max(self.worst, time.thread_time() - cpu)

    def __enter__(self) -> LoopWatch:
        self._task = asyncio.get_running_loop().create_task(self._beat())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()


class ReduceTimer:
    """Wall time spent in the engine's reduce step (_Run.reduce_to_fit), merge calls included."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original = _Run.reduce_to_fit

    def __enter__(self) -> ReduceTimer:
        original, timer = self._original, self

        async def timed(run: _Run, digests: list[Any]) -> Any:
            start = time.perf_counter()
            try:
                return await original(run, digests)
            finally:
                timer.seconds += time.perf_counter() - start

        _Run.reduce_to_fit = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        _Run.reduce_to_fit = self._original  # type: ignore[method-assign]


async def run(
    n: int, *, latency: float = 0.0, concurrency: int = 8, context: int = CONTEXT
) -> dict[str, Any]:
    d = discussion(n)
    thread = build_thread(d)
    async with FakeLLMServer(latency=latency) as server, aiohttp.ClientSession() as session:
        client = OpenAICompatibleClient(
            session, base_url=server.base_url, model="fake", concurrency=concurrency
        )
        engine = LLMEngine(client, context_tokens=context)
        with LoopWatch() as watch, ReduceTimer() as reduce_timer:
            start = time.perf_counter()
            report = await engine.analyze(thread)
            wall = time.perf_counter() - start
    calls = Counter(kind(b) for b in server.requests)
    fixed = sum(overhead(k) * v for k, v in calls.items())
    sent = engine.chat.usage.input_tokens
    disc = discussion_tokens(d)
    return {
        "comments": n,
        "discussion_tokens": disc,
        "sent": sent,
        "calls": dict(calls),
        "fixed_overhead": fixed,
        "ratio_raw": sent / disc,
        "ratio_net": (sent - fixed) / disc,
        "wall": wall,
        "reduce_seconds": reduce_timer.seconds,
        "loop_stall": watch.worst,
        "max_in_flight": server.max_in_flight,
        "largest_request": max(prompt_tokens(b) + b["max_tokens"] for b in server.requests),
        "largest_with_margin": max(
            math.ceil(MARGIN * (prompt_tokens(b) + FRAMING)) + b["max_tokens"]
            for b in server.requests
        ),
        "sides": len(report.sides),
        "warnings": len(report.warnings),
    }


def _serve_in_thread(ready: threading.Event, stop: threading.Event, out: list[str]) -> None:
    async def serve() -> None:
        async with FakeLLMServer() as server:
            out.append(server.base_url)
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.02)

    asyncio.run(serve())


async def engine_stall(n: int, *, context: int = CONTEXT) -> tuple[float, float]:
    """(wall seconds, longest loop stall) of one analysis, the fake server on another thread."""
    thread = build_thread(discussion(n))
    ready, stop, url = threading.Event(), threading.Event(), []
    server = threading.Thread(target=_serve_in_thread, args=(ready, stop, url))
    server.start()
    try:
        await asyncio.to_thread(ready.wait)
        async with aiohttp.ClientSession() as session:
            client = OpenAICompatibleClient(session, base_url=url[0], model="fake", concurrency=8)
            engine = LLMEngine(client, context_tokens=context)
            with LoopWatch() as watch:
                start = time.perf_counter()
                await engine.analyze(thread)
                wall = time.perf_counter() - start
    finally:
        stop.set()
        await asyncio.to_thread(server.join)
    return wall, watch.worst


async def main() -> None:
    print(f"context {CONTEXT} tokens; tokens counted with tiktoken cl100k_base (offline)")
    print(
        "comments  discussion_tok  sent_tok  calls(map/merge/reduce)  fixed_overhead  "
        "sent/disc  (sent-fixed)/disc  wall_s  reduce_s  loop_stall_ms"
    )
    for n in (100, 1_000, 10_000):
        r = await run(n)
        c = r["calls"]
        print(
            f"{n:>8}  {r['discussion_tokens']:>14}  {r['sent']:>8}  "
            f"{c.get('map', 0):>5}/{c.get('merge', 0)}/{c.get('reduce', 0):<14}  "
            f"{r['fixed_overhead']:>14}  {r['ratio_raw']:>9.3f}  {r['ratio_net']:>16.3f}  "
            f"{r['wall']:>6.2f}  {r['reduce_seconds']:>8.3f}  {r['loop_stall'] * 1000:>13.0f}"
        )
    wall, stall = await engine_stall(10_000)
    print(
        f"10,000 comments, fake server on its own thread: wall {wall:.2f} s, longest event-loop "
        f"stall {stall * 1000:.0f} ms"
    )
    print()
    for context in (CONTEXT, 32_768):
        runs = [await run(1_000, latency=0.5, concurrency=8, context=context) for _ in range(3)]
        walls = sorted(r["wall"] for r in runs)
        r = runs[0]
        print(
            f"1,000 comments, 500 ms per call, concurrency 8, context {context}: "
            f"wall {walls[0]:.2f}–{walls[-1]:.2f} s ({walls[0] / 0.5:.2f}–{walls[-1] / 0.5:.2f} "
            f"× latency; target ≤ 3), calls {r['calls']}, max in flight {r['max_in_flight']}; "
            f"largest prompt+max_tokens {r['largest_request']} "
            f"(with margin {r['largest_with_margin']}) of {context}"
        )


if __name__ == "__main__":
    asyncio.run(main())
