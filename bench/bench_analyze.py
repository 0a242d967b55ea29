"""Time `crosstalk analyze` on a generated 10,000-comment paste; report wall time and peak memory.

    .venv/bin/python bench/bench_analyze.py [--comments 10000] [--seed 7] [--tracemalloc]

The paste is an unnumbered WordPress copy (author, date line, body, Reply) where replies start
with `@Name` and some quote a line of an earlier comment, generated from a fixed seed. The timed
path is the CLI's, timed by phase: read_discussion (decode + parse), build_thread (the reply
structure), the offline engine, and the Markdown rendering. Targets: issue 2, paste to reply
structure < 2 s and < 300 MB on 2 cores; issue 3, the offline engine on 10,000 comments < 5 s
(bench/bench_offline.py measures that part alone, best of 3).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import time
import tracemalloc

from bot.core.thread import build_thread
from bot.engines.offline import OfflineEngine
from bot.ingest.reader import read_discussion
from bot.render.markdown import render_markdown

_VOCABULARY = (
    "agent house price market seller buyer fee commission internet listing contract lawyer "
    "inspection mortgage bank offer deal value town city rent loan risk trust data website "
    "photo visit negotiate sign close cost percent market broker license law state tax money "
    "time year family move work job people think because however really would could should"
)
_WORDS = _VOCABULARY.split()
_FIRST = "Ann Bob Carla Dev Elif Femi Gus Hana Ivo Jun Kofi Lea Mo Nadia Omar Pia Raj Sue Tom Uma"
_LAST = "Smith Ng Diaz Olsen Kim Rossi Patel Novak Haddad Costa Weber Sato Ali Berg Moreau"


def generate(n: int, seed: int) -> str:
    rnd = random.Random(seed)
    authors = [f"{f} {s}" for f in _FIRST.split() for s in _LAST.split()]  # 300 names
    rnd.shuffle(authors)
    texts: list[tuple[str, str]] = []
    lines = ["A generated debate", "By Bench Mark", "", "An article about agents. " * 20, ""]
    lines += [f"{n} thoughts on “A generated debate”", ""]
    for i in range(n):
        author = rnd.choice(authors[: 50 + i // 40])
        sentences = [
            " ".join(rnd.choice(_WORDS) for _ in range(rnd.randint(6, 16))).capitalize() + "."
            for _ in range(rnd.randint(1, 5))
        ]
        body = " ".join(sentences)
        if texts and rnd.random() < 0.6:
            parent_author, parent_text = texts[max(0, len(texts) - 1 - int(rnd.expovariate(0.2)))]
            if parent_author != author:
                if rnd.random() < 0.1:
                    body = f"> {parent_text.split('.')[0]}.\n\n{body}"
                body = f"@{parent_author}: {body}"
        texts.append((author, body))
        day, minute = divmod(i, 600)
        lines += [
            author,
            f"May {1 + day % 28}, 2017 at {1 + minute // 60 % 12}:{minute % 60:02d} pm",
        ]
        lines += [body, "Reply", ""]
    return "\n".join(lines)


async def analyze(data: bytes, phases: dict[str, float]) -> str:
    """The CLI's path, timed by phase: reading (decode + paste parsing), the reply structure
    (build_thread, issue 2's part), the offline engine (issue 3's), and the Markdown."""
    t0 = time.perf_counter()
    discussion = read_discussion(data, name="bench.txt", max_bytes=50_000_000)
    t1 = time.perf_counter()
    thread = build_thread(discussion)
    t2 = time.perf_counter()
    report = await OfflineEngine().analyze(thread)
    t3 = time.perf_counter()
    out = render_markdown(report)
    t4 = time.perf_counter()
    phases.update(read=t1 - t0, structure=t2 - t1, engine=t3 - t2, render=t4 - t3)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--comments", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations")
    args = ap.parse_args()
    data = generate(args.comments, args.seed).encode("utf-8")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.tracemalloc:
        tracemalloc.start()
    start, cpu_start = time.perf_counter(), time.process_time()
    phases: dict[str, float] = {}
    out = asyncio.run(analyze(data, phases))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_traced = tracemalloc.get_traced_memory()[1] / 1e6 if args.tracemalloc else None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"paste: {args.comments} comments, {len(data) / 1e6:.1f} MB (seed {args.seed})")
    print(f"analyze wall time: {elapsed:.2f} s (CPU time of the process: {cpu:.2f} s)")
    print("  " + ", ".join(f"{name} {t:.2f} s" for name, t in phases.items()))
    to_structure = phases["read"] + phases["structure"]
    print(f"  paste to reply structure (read + structure): {to_structure:.2f} s")
    print(f"peak RSS of the process: {rss:.0f} MiB (before analyze: {rss_before:.0f} MiB)")
    if peak_traced is not None:
        print(f"peak Python allocations during analyze (tracemalloc): {peak_traced:.0f} MB")
    print(f"report: {len(out.splitlines())} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
