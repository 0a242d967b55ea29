"""Time the Discord rendering, the reply-graph picture and the report store.

    python bench/render_store.py                   # synthetic reports of growing size
    python bench/render_store.py report.json ...   # reports saved by `crosstalk analyze --json`
    python bench/render_store.py --png-dir out/    # also write the pictures, to look at them

Prints the cold-start cost of the first picture, then one line per report: comments,
commenters, embeds/messages, render and graph milliseconds, PNG size, stored size and
save+load milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from bot.core.contract import report_from_dict
from bot.core.model import Article, Comment, Discussion, KeyArgument, Report, Side
from bot.core.thread import build_thread
from bot.render.embeds import render_report
from bot.render.graph import render_reply_graph
from bot.store import Store


def synthetic(comments: int, commenters: int, seed: int = 1) -> Report:
    rng = random.Random(seed)
    authors = [f"user{n}" for n in range(commenters)]
    words = ["cars", "buses", "noise", "jobs", "rent", "parking", "safety", "bikes", "trams"]
    rows = []
    for i in range(1, comments + 1):
        parent = f"c{rng.randrange(max(1, i - 50), i)}" if i > 1 and rng.random() < 0.75 else None
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(5, 120))) + "."
        rows.append(Comment(f"c{i}", i, rng.choice(authors), text, parent_id=parent))
    thread = build_thread(Discussion(Article(title="Synthetic"), tuple(rows)))
    sides = tuple(
        Side(
            label=f"Side {s}",
            stance="A stance.",
            authors=tuple(authors[s::3]),
            comment_ids=(),
            summary="A summary.",
            key_arguments=tuple(
                KeyArgument(f"Point {c.index}", (c.id,), (c.author,), c.text, c.id)
                for c in rows[s:40:3]
            ),
        )
        for s in range(3)
    )
    return Report(engine="synthetic", thread=thread, sides=sides, headline="A claim.")


async def store_roundtrip(report: Report, path: str, thread_id: int) -> float:
    """Seconds to save the report and read it back by its thread, as a follow-up does."""
    store = await Store.open(path)
    try:
        start = time.perf_counter()
        await store.save_report(
            guild_id=1, channel_id=1, message_id=None, thread_id=thread_id, report=report
        )
        back = await store.report_for_thread(thread_id)
        elapsed = time.perf_counter() - start
    finally:
        await store.close()
    if back != report:
        raise SystemExit(f"stored report {thread_id} did not read back equal")
    return elapsed


def stored_size(path: str, thread_id: int) -> int:
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT length(report) FROM reports WHERE thread_id = ?", (thread_id,))
        return int(row.fetchone()[0])


def measure(name: str, report: Report, png_dir: Path | None, db_path: str, thread_id: int) -> None:
    start = time.perf_counter()
    messages = render_report(report)
    t_render = time.perf_counter() - start
    start = time.perf_counter()
    png = render_reply_graph(report)
    t_graph = time.perf_counter() - start
    t_store = asyncio.run(store_roundtrip(report, db_path, thread_id))
    if png and png_dir:
        png_dir.mkdir(parents=True, exist_ok=True)
        (png_dir / f"{Path(name).stem}.png").write_bytes(png)
    d = report.discussion
    print(
        f"{name:28} comments={len(d.comments):6} commenters={len(d.authors):5} "
        f"embeds={sum(len(m) for m in messages):3} messages={len(messages):2} "
        f"render={t_render * 1000:7.1f}ms graph={t_graph * 1000:7.1f}ms "
        f"png={len(png or b'') / 1024:6.1f}KiB "
        f"stored={stored_size(db_path, thread_id) / 1024:8.1f}KiB "
        f"save+load={t_store * 1000:7.1f}ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="*", type=Path, help="contract JSON files")
    parser.add_argument("--png-dir", type=Path, default=None)
    args = parser.parse_args()
    start = time.perf_counter()
    render_reply_graph(synthetic(20, 6))  # imports matplotlib and networkx, loads the font
    print(f"first picture (imports, font): {(time.perf_counter() - start) * 1000:.0f}ms")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "bench.db")
        if args.reports:
            for n, path in enumerate(args.reports, start=1):
                report = report_from_dict(json.loads(path.read_text(encoding="utf-8")))
                measure(path.name, report, args.png_dir, db_path, n)
        else:
            sizes = ((50, 12), (500, 120), (5000, 900), (20000, 3000))
            for n, (comments, commenters) in enumerate(sizes, start=1):
                report = synthetic(comments, commenters)
                measure(f"synthetic-{comments}", report, args.png_dir, db_path, n)


if __name__ == "__main__":
    main()
