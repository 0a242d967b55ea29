"""Why SAQ: the asyncio job queues measured side by side on a private Redis.

For SAQ (the project's queue) and arq (the other asyncio-native queue; `pip install arq` into
the venv to compare, it is not a dependency):
- latency: enqueue-to-start of 100 no-op jobs sent one after another to an idle worker;
- recovery: two worker processes, one job that legitimately runs up to 20 s; the worker holding
  it is killed (SIGKILL); how long until the other worker starts it again. SAQ: a heartbeat of
  3 s (the job beats every second) and a sweep every second; arq: a job timeout of 20 s, the
  least that lets such a job finish (arq has no heartbeat: a dead worker's job waits until its
  in-progress key, timeout + 10 s, expires).

    .venv/bin/python bench/bench_queues.py        # needs redis-server (Debian's package)
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import RedisServer  # noqa: E402

LONG = 20  # seconds a legitimate job may take

SAQ_WORKER = """
import asyncio, os, sys, time
from redis import asyncio as aioredis
from saq import Worker
from bot.discord.queue import SweptQueue
redis = aioredis.from_url(sys.argv[1])
queue = SweptQueue(redis, sweep_every=1, abort_wait=1)
async def noop(ctx, *, sent):
    return time.time() - sent
async def slow(ctx):
    await redis.rpush("attempts", f"{time.time()} {os.getpid()}")
    for _ in range(LONG):
        await asyncio.sleep(1)
        await ctx["job"].update()
asyncio.run(Worker(queue, functions=[noop, slow], concurrency=1, timers={"sweep": 1}).start())
"""

ARQ_WORKER = """
import asyncio, os, sys, time
from arq import Worker
from arq.connections import RedisSettings
async def noop(ctx, sent):
    return time.time() - sent
async def slow(ctx):
    await ctx["redis"].rpush("attempts", f"{time.time()} {os.getpid()}")
    await asyncio.sleep(LONG)
async def main():
    w = Worker(functions=[noop, slow], redis_settings=RedisSettings.from_dsn(sys.argv[1]),
               job_timeout=LONG, max_jobs=1, poll_delay=0.05)
    await w.async_run()
asyncio.run(main())
"""


def worker(script: str, url: str) -> subprocess.Popen[bytes]:
    code = script.replace("LONG", str(LONG))
    return subprocess.Popen(
        [sys.executable, "-c", code, url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def saq_client(url: str):
    from redis import asyncio as aioredis

    from bot.discord.queue import SweptQueue

    queue = SweptQueue(aioredis.from_url(url))

    async def noop() -> float:
        job = await queue.enqueue("noop", sent=time.time())
        assert job is not None
        await job.refresh(until_complete=10)
        return float(job.result)

    async def slow() -> None:
        await queue.enqueue("slow", timeout=LONG + 5, heartbeat=3, retries=3)

    return noop, slow, queue.disconnect


async def arq_client(url: str):
    from arq import create_pool
    from arq.connections import RedisSettings

    pool = await create_pool(RedisSettings.from_dsn(url))

    async def noop() -> float:
        job = await pool.enqueue_job("noop", time.time())
        assert job is not None
        return float(await job.result(timeout=10))

    async def slow() -> None:
        await pool.enqueue_job("slow", _job_try=None)

    return noop, slow, pool.aclose


async def measure(name: str, script: str, client) -> None:
    from redis import asyncio as aioredis

    server = RedisServer().start()
    procs = [worker(script, server.url)]
    try:
        noop, slow, close = await client(server.url)
        await noop()  # the worker is up
        waits = [await noop() for _ in range(100)]
        procs.append(worker(script, server.url))
        await asyncio.sleep(3)  # the second worker is up
        redis = aioredis.from_url(server.url)
        await slow()
        while not await redis.llen("attempts"):
            await asyncio.sleep(0.05)
        _, pid = (await redis.lindex("attempts", 0)).decode().split()
        killed = time.time()
        os.kill(int(pid), signal.SIGKILL)
        deadline = killed + 120
        while await redis.llen("attempts") < 2 and time.time() < deadline:
            await asyncio.sleep(0.05)
        again = await redis.lindex("attempts", 1)
        recovery = float(again.decode().split()[0]) - killed if again else float("nan")
        await redis.aclose()
        await close()
        print(
            f"  {name:4}: enqueue-to-start p50 {statistics.median(waits) * 1000:5.1f} ms, "
            f"max {max(waits) * 1000:5.1f} ms; a killed worker's job started again after "
            f"{recovery:5.1f} s"
        )
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        server.remove()


async def main() -> None:
    print(f"asyncio job queues on a private Redis (a legitimate job may run {LONG} s)")
    await measure("saq", SAQ_WORKER, saq_client)
    try:
        import arq  # noqa: F401
    except ImportError:
        print("  arq : not installed (pip install arq, into this venv, to compare)")
        return
    await measure("arq", ARQ_WORKER, arq_client)


if __name__ == "__main__":
    asyncio.run(main())
