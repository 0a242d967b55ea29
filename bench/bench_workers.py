"""Summaries per minute in distributed mode with 1, 2 and 4 `crosstalk worker` processes.

A bot in distributed mode (CROSSTALK_QUEUE_URL) runs in this process against the fake Discord;
each round starts a private Redis and PostgreSQL (tests/servers.py: Debian's redis-server and
postgresql), W real worker processes (`python -m bot worker`, offline engine), sends N
`/summarize text:` interactions of C generated comments at once, and times the first dispatch
to the last map posted. Run:

    .venv/bin/python bench/bench_workers.py [--n 16] [--comments 1000] [--workers 1 2 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
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

from bench_discord import paste  # noqa: E402
from fake_discord import FakeDiscord  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.discord.bot import CrosstalkBot  # noqa: E402
from bot.discord.options import BotOptions  # noqa: E402
from tests.servers import PostgresServer, RedisServer  # noqa: E402


async def start_workers(
    count: int, fake: FakeDiscord, db: str, queue: str, logs: Path
) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DISCORD_TOKEN": "bench",
        "DISCORD_API_BASE": fake.api_base,
        "CROSSTALK_DB": db,
        "CROSSTALK_QUEUE_URL": queue,
    }
    for name in ("LLM_BASE_URL", "LLM_MODEL"):
        env.pop(name, None)
    procs, files = [], []
    for i in range(count):
        log = logs / f"worker{i}.log"
        with log.open("wb") as out:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bot", "worker"], env=env, stdout=out, stderr=out
                )
            )
        files.append(log)
    deadline = time.monotonic() + 180
    while not all("worker ready" in f.read_text() for f in files):
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            raise SystemExit(f"a worker did not start; see {logs}")
        await asyncio.sleep(0.2)
    return procs


async def one_round(workers: int, n: int, comments: int) -> float:
    """Seconds from the first dispatch to the last map posted."""
    fake = FakeDiscord()
    await fake.start()
    redis, pg = RedisServer().start(), PostgresServer().start()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = pg.new_database()
            settings = Settings(
                discord_token="bench",
                discord_api_base=fake.api_base,
                discord_gateway_url=fake.ws_url,
                db_path=db,
            )
            options = BotOptions(guild_ready_timeout=0.05, queue_url=redis.url, queue_size=n)
            bot = CrosstalkBot(settings, options)
            task = asyncio.create_task(bot.start("bench"))
            await asyncio.wait_for(bot.wait_until_ready(), 60)
            await bot.store.update_guild_settings(int(fake.guild_id), guild_rate_per_hour=10_000)
            procs = await start_workers(workers, fake, db, redis.url, Path(tmp))
            members = [
                {**fake.member, "id": fake.snowflake(), "username": f"m{i}"} for i in range(n)
            ]
            texts = [paste(comments, seed) for seed in range(n)]
            t0 = asyncio.get_running_loop().time()
            tokens = []
            for i in range(n):
                option = [{"name": "text", "type": 3, "value": texts[i]}]
                tokens.append((await fake.slash("summarize", option, who=members[i]))[1])
                await asyncio.sleep(0)
            last = t0
            for token in tokens:
                done = await fake.wait_for(
                    lambda r, t=token: r.method == "PATCH" and t in r.path and r.json.get("embeds"),
                    1800,
                )
                last = max(last, done.at)
            await bot.close()
            await task
            return last - t0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(60)
        redis.remove()
        pg.remove()
        await fake.stop()


async def run(n: int, comments: int, counts: list[int]) -> None:
    print(f"{n} simultaneous /summarize of {comments} comments, offline engine, distributed mode")
    for workers in counts:
        seconds = await one_round(workers, n, comments)
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}: {seconds:6.1f} s for {n}  "
            f"= {n / seconds * 60:5.1f} summaries per minute"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=16)
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    asyncio.run(run(args.n, args.comments, args.workers))


if __name__ == "__main__":
    main()
