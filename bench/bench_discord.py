"""How fast the bot acknowledges and answers under load, against the local fake Discord.

Sends N `/summarize text:` interactions at once (a generated paste of C comments each) to a real
CrosstalkBot (offline engine, default queue: 20 waiting, 2 workers) and measures, per
interaction, the time from the dispatch to the deferral (Discord's limit: 3 s) and to the map
(the last edit with embeds, or the "busy" refusal). Run:

    .venv/bin/python bench/bench_discord.py [--n 30] [--comments 200]
"""

from __future__ import annotations

import argparse
import asyncio
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

from bot.config import Settings  # noqa: E402
from bot.discord.bot import CrosstalkBot  # noqa: E402
from bot.discord.options import BotOptions  # noqa: E402

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


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(n: int, comments: int) -> None:
    fake = FakeDiscord()
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            discord_token="bench",
            discord_api_base=fake.api_base,
            discord_gateway_url=fake.ws_url,
            db_path=str(Path(tmp) / "bench.db"),
        )
        bot = CrosstalkBot(settings, BotOptions(guild_ready_timeout=0.05))
        task = asyncio.create_task(bot.start("bench"))
        await asyncio.sleep(0.2)
        await asyncio.wait_for(bot.wait_until_ready(), 30)
        # one member each, so the per-member rate limit does not refuse them
        await bot.store.update_guild_settings(int(fake.guild_id), guild_rate_per_hour=10_000)
        members = [{**fake.member, "id": fake.snowflake(), "username": f"m{i}"} for i in range(n)]
        texts = [paste(comments, seed) for seed in range(n)]
        t0 = time.perf_counter()
        sent = [
            await fake.slash(
                "summarize", [{"name": "text", "type": 3, "value": texts[i]}], who=members[i]
            )
            for i in range(n)
        ]
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
        await bot.close()
        await task
    await fake.stop()
    print(f"{n} simultaneous /summarize, {comments} comments each, queue 20, 2 workers")
    print(
        f"  deferral   p50 {statistics.median(deferrals) * 1000:.0f} ms   "
        f"p95 {pct(deferrals, 95) * 1000:.0f} ms   max {max(deferrals) * 1000:.0f} ms "
        "(limit 3000 ms)"
    )
    if done:
        print(
            f"  map posted p50 {statistics.median(done):.2f} s   p95 {pct(done, 95):.2f} s   "
            f"max {max(done):.2f} s   ({len(done)} maps, {busy} told the bot is busy)"
        )
    print(f"  wall {wall:.1f} s")
    print("  deferrals in order (ms):", " ".join(f"{d * 1000:.0f}" for d in deferrals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--comments", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(run(args.n, args.comments))


if __name__ == "__main__":
    main()
