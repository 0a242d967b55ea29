"""How fast the bot acknowledges and answers under load, against the local fake Discord.

Starts the bot as its own process (`python -m bot run`, as in production: offline engine,
default queue of 20) pointed at a fake Discord that runs in this process, sends N `/summarize
text:` interactions at once (a generated paste of C comments each) and measures, per
interaction, the time from the dispatch to the deferral (Discord's limit: 3 s) and to the map
(the last edit with embeds, or the "busy" refusal). Run:

    .venv/bin/python bench/bench_discord.py [--n 30] [--comments 200] [--workers 2]
        [--code DIR]   # run the bot from another checkout (e.g. a worktree of an older commit)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "discord"))
sys.path.insert(0, str(ROOT))

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord  # noqa: F401  (imported here for the warning filter)

from fake_discord import FakeDiscord  # noqa: E402

NAMES = ["ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal", "ivy", "joe", "kim", "lou"]
WORDS = ["cars", "buses", "trams", "bikes", "shops", "rents", "parking", "pollution", "noise"]
WORDS += ["safety", "jobs", "taxes", "commuters", "tourists", "children", "elderly", "budget"]


def paste(comments: int, seed: int) -> str:
    rng = random.Random(seed)
    lines = ["Should cities ban cars from their centres?", "The article says yes.", ""]
    for i in range(comments):
        who = rng.choice(NAMES)
        target = f"@{rng.choice(NAMES)} " if i and rng.random() < 0.6 else ""
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
        lines.append(f"{who}: {target}{words.capitalize()}.")
    return "\n".join(lines)


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) the process itself has used, its own threads included and
    its child processes not (they are still running)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


READY = "analysis processes ready"
PREPARE = """
import asyncio, sys
from bot.store import Store
async def main():
    store = await Store.open(sys.argv[1])
    await store.update_guild_settings(int(sys.argv[2]), guild_rate_per_hour=10_000)
    await store.close()
asyncio.run(main())
"""


async def start_bot(
    fake: FakeDiscord, db: str, code: Path, workers: int, log: Path
) -> asyncio.subprocess.Process:
    older = not (code / "bot" / "work" / "pool.py").exists()
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "DISCORD_TOKEN": "bench",
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.ws_url,
        "CROSSTALK_DB": db,
        "CROSSTALK_WORKERS": str(workers),
    }
    for name in ("LLM_BASE_URL", "LLM_MODEL", "CROSSTALK_QUEUE_URL"):
        env.pop(name, None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=code, stdout=log.open("wb"), stderr=-2
    )
    deadline = time.monotonic() + 120
    # connected, and its analysis processes started (older versions have none: 3 s after
    # IDENTIFY, for GUILD_CREATE and discord.py's guild_ready_timeout of 2 s)
    while not fake.identify or (READY not in log.read_text() and not older):
        if proc.returncode is not None or time.monotonic() > deadline:
            raise SystemExit(f"the bot did not start; see {log}")
        await asyncio.sleep(0.1)
    await asyncio.sleep(3.0)
    return proc


async def loop_lag(lags: list[float], stop: asyncio.Event) -> None:
    """How late this process's own loop (the fake Discord's) wakes up: a deferral cannot be
    recorded sooner than the fake gets to it, so this bounds what the figures can show."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        t = loop.time()
        await asyncio.sleep(0.005)
        lags.append(loop.time() - t - 0.005)


async def run(n: int, comments: int, workers: int, code: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    lags: list[float] = []
    stop = asyncio.Event()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        # one member each, so the per-member rate limit does not refuse them (written by the
        # code under test: its schema is the one it expects)
        prepare = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            PREPARE,
            db,
            fake.guild_id,
            env={**os.environ, "PYTHONPATH": str(code)},
            cwd=code,
        )
        assert await prepare.wait() == 0
        bot = await start_bot(fake, db, code, workers, Path(tmp) / "bot.log")
        members = [{**fake.member, "id": fake.snowflake(), "username": f"m{i}"} for i in range(n)]
        texts = [paste(comments, seed) for seed in range(n)]
        t0 = time.perf_counter()
        probe = asyncio.create_task(loop_lag(lags, stop))
        sent = []
        for i in range(n):
            option = [{"name": "text", "type": 3, "value": texts[i]}]
            sent.append(await fake.slash("summarize", option, who=members[i]))
            # let the fake record the bot's requests between sends: the deferrals are timed on
            # this loop, which would otherwise be busy encoding the next 100 KB payloads
            await asyncio.sleep(0)
        deferrals: list[float] = []
        done: list[float] = []
        busy = 0
        for iid, token in sent:
            cb = await fake.wait_for(lambda r, t=token: r.path.endswith(f"{t}/callback"), 120)
            deferrals.append(cb.at - fake.sent_at[iid])
            final = await fake.wait_for(
                lambda r, t=token: (
                    r.method == "PATCH"
                    and t in r.path
                    and (bool(r.json.get("embeds")) or "busy" in (r.json.get("content") or ""))
                ),
                600,
            )
            if "busy" in (final.json.get("content") or ""):
                busy += 1
            else:
                done.append(final.at - fake.sent_at[iid])
        wall = time.perf_counter() - t0
        stop.set()
        await probe
        cpu = process_cpu(bot.pid)
        bot.terminate()  # SIGTERM: the bot closes its analysis processes itself
        await bot.wait()
    await fake.stop()
    print(f"{n} simultaneous /summarize, {comments} comments each, queue 20, {workers} workers")
    print(f"  bot code: {code}")
    print(
        f"  deferral   p50 {statistics.median(deferrals) * 1000:.0f} ms   "
        f"p95 {pct(deferrals, 95) * 1000:.0f} ms   p99 {pct(deferrals, 99) * 1000:.0f} ms   "
        f"max {max(deferrals) * 1000:.0f} ms (limit 3000 ms)"
    )
    if done:
        print(
            f"  map posted p50 {statistics.median(done):.2f} s   p95 {pct(done, 95):.2f} s   "
            f"max {max(done):.2f} s   ({len(done)} maps, {busy} told the bot is busy)"
        )
    print(f"  wall {wall:.1f} s; the bot's own process used {cpu:.1f} s of CPU (start-up included)")
    print(
        f"  the fake's own loop woke late by up to {max(lags) * 1000:.0f} ms "
        f"(p99 {pct(lags, 99) * 1000:.0f} ms): deferrals are recorded no sooner"
    )
    print("  deferrals in order (ms):", " ".join(f"{d * 1000:.0f}" for d in deferrals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--code", type=Path, default=ROOT)
    args = parser.parse_args()
    asyncio.run(run(args.n, args.comments, args.workers, args.code.resolve()))


if __name__ == "__main__":
    main()
