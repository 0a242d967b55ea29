"""Distributed mode end to end: the bot (CROSSTALK_QUEUE_URL) only checks, acknowledges and
queues; `crosstalk worker` processes (real processes, `python -m bot worker`) make the maps and
answer through the fake Discord's REST routes; Redis and PostgreSQL are real servers the tests
start (tests/servers.py). A worker killed mid-job leaves the job to the other, with one post;
a restarted bot answers follow-ups from PostgreSQL; an outage is a clear message and a log line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
import redis
from checks import (
    ask_in_thread,
    deferred_in_time,
    no_mentions_anywhere,
    status_card,
    wait_thread_intro,
)
from fake_discord import FakeDiscord, Recorded

from bot.config import Settings
from tests.servers import PostgresServer, RedisServer

HEARTBEAT = 3.0
"""CROSSTALK_JOB_HEARTBEAT for these tests: a silent job is swept after 3 s, not 30."""


@dataclasses.dataclass
class Deployment:
    settings: Settings
    queue_url: str
    start_worker: Callable[[], asyncio.Future[subprocess.Popen[bytes]]]
    logs: dict[int, Path]


@pytest.fixture
def queue_url(redis_server: RedisServer) -> str:
    redis.Redis.from_url(redis_server.url).flushall()
    return redis_server.url


@pytest_asyncio.fixture
async def deployment(
    fake: FakeDiscord,
    bot_settings: Settings,
    postgres_server: PostgresServer,
    queue_url: str,
    tmp_path: Path,
) -> AsyncIterator[Deployment]:
    settings = dataclasses.replace(bot_settings, db_path=postgres_server.new_database())
    workers: list[subprocess.Popen[bytes]] = []
    logs: dict[int, Path] = {}

    async def start_worker() -> subprocess.Popen[bytes]:
        log = tmp_path / f"worker{len(logs)}-{os.urandom(3).hex()}.log"
        env = {
            **os.environ,
            "DISCORD_TOKEN": "fake-token.for-tests",
            "DISCORD_API_BASE": fake.api_base,
            "CROSSTALK_DB": settings.db_path,
            "CROSSTALK_QUEUE_URL": queue_url,
            "CROSSTALK_JOB_HEARTBEAT": str(HEARTBEAT),
        }
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "worker"], env=env, stdout=out, stderr=out
            )
        workers.append(proc)
        logs[proc.pid] = log
        for _ in range(1200):
            if "worker ready" in log.read_text():
                return proc
            assert proc.poll() is None, log.read_text()
            await asyncio.sleep(0.1)
        raise AssertionError(f"the worker did not start:\n{log.read_text()}")

    try:
        yield Deployment(settings, queue_url, start_worker, logs)  # type: ignore[arg-type]
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.terminate()
        for proc in workers:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def distributed(d: Deployment) -> dict[str, object]:
    return {"queue_url": d.queue_url, "heartbeat": HEARTBEAT}


def map_edits(fake: FakeDiscord, token: str) -> list[Recorded]:
    return [r for r in fake.for_token(token) if r.method == "PATCH" and r.json.get("embeds")]


@pytest.mark.asyncio
async def test_a_worker_makes_the_map_and_a_restarted_bot_answers_from_postgres(
    fake, bots, deployment: Deployment, debate_text
):
    start, stop = bots
    bot = await start(deployment.settings, **distributed(deployment))
    await deployment.start_worker()
    iid, token = await fake.slash("summarize", [{"name": "text", "type": 3, "value": debate_text}])
    thread_id = await wait_thread_intro(fake)
    deferred_in_time(fake, iid, token)
    (edit,) = map_edits(fake, token)
    assert len(edit.files) == 1 and edit.files[0][1] == "reply-graph.png"
    assert bot.jobs.status().done == 0, "the bot made no map itself"
    fields, _ = await status_card(fake)
    assert fields["Queue"] == (
        "Redis: 0 open summaries (room for 20), 0 waiting, 0 being made; 1 worker connected"
    )

    # bad input made by a worker is still one clear line, and the paste comes back
    _, bad = await fake.slash("summarize", [{"name": "text", "type": 3, "value": "just one line"}])
    failed = await fake.wait_for(
        lambda r: r.method == "PATCH" and bad in r.path and "⚠️" in (r.json.get("content") or "")
    )
    assert "Traceback" not in failed.json["content"]
    back = await fake.wait_for(lambda r: bad in r.path and bool(r.files))
    assert [data for _, name, data in back.files if name == "your-paste.txt"] == [b"just one line"]
    await stop(bot)

    restarted = await start(deployment.settings, **distributed(deployment))
    assert restarted.store.path.startswith("postgresql://")
    answer = await ask_in_thread(fake, thread_id, "what did people say about Oslo?")
    assert "Oslo" in " ".join(e.get("description") or "" for e in answer["embeds"])
    no_mentions_anywhere(fake)


def seed_history(fake: FakeDiscord) -> None:
    a, b, c = fake.admin, fake.member, fake.owner
    m1 = fake.user_message("Remote work makes teams more productive, the data is clear.", who=a)
    m2 = fake.user_message("It hurts juniors, they learn less alone.", who=b, reply_to=m1["id"])
    fake.user_message("Mentoring works fine over video if you plan it.", who=a, reply_to=m2["id"])
    fake.user_message("Offices are for meetings now, not for focus.", who=c)


@pytest.mark.asyncio
async def test_a_worker_killed_mid_job_leaves_it_to_the_other_and_the_map_is_posted_once(
    fake, bots, deployment: Deployment
):
    start, _ = bots
    await start(deployment.settings, **distributed(deployment))
    first, second = await asyncio.gather(deployment.start_worker(), deployment.start_worker())
    seed_history(fake)
    fake.history_delay = 10.0  # the first attempt is still reading the channel when killed
    _, token = await fake.slash("summarize", [{"name": "history", "type": 4, "value": 10}])
    await fake.wait_for(lambda r: r.method == "GET" and r.path.endswith("/messages"), 60)
    holder = next(p for p in (first, second) if "attempt 1" in deployment.logs[p.pid].read_text())
    other = second if holder is first else first
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    fake.history_delay = 0.0

    await wait_thread_intro(fake)
    assert "attempt 2" in deployment.logs[other.pid].read_text()
    assert len(map_edits(fake, token)) == 1, "one map"
    assert len([r for r in fake.requests if r.path.endswith("/threads")]) == 1, "one thread"
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_a_second_attempt_does_not_post_what_the_first_posted(
    fake, bots, deployment: Deployment, debate_text
):
    """The ledger: a job retried after its map went out (the worker died before saying it was
    done) finishes what is left and posts nothing twice."""
    from bot.discord.queue import FUNCTION, RedisLedger, SweptQueue, connect

    start, _ = bots
    await start(deployment.settings, **distributed(deployment))
    worker = await deployment.start_worker()
    _, token = await fake.slash("summarize", [{"name": "text", "type": 3, "value": debate_text}])
    await wait_thread_intro(fake)
    key = connect(deployment.queue_url)
    try:
        (job_id,) = [k.decode().rsplit(":", 1)[1] for k in await key.keys("crosstalk:delivery:*")]
        ledger = RedisLedger(key, job_id)
        assert await ledger.get("first") and await ledger.get("thread")
        queue = SweptQueue(key)
        job = await queue.job(job_id)
        assert job is not None
        await queue.enqueue(FUNCTION, key=f"{job_id}-again", payload=job.kwargs["payload"])
    finally:
        await key.aclose()
    log = deployment.logs[worker.pid]
    for _ in range(600):  # the worker has taken the repeated job and finished it
        if log.read_text().count(f"summary {job_id}: done") == 2:
            break
        await asyncio.sleep(0.1)
    assert log.read_text().count(f"summary {job_id}: done") == 2, log.read_text()
    assert len(map_edits(fake, token)) == 1
    assert len([r for r in fake.requests if r.path.endswith("/threads")]) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("down", ["redis", "postgres"])
async def test_an_outage_is_a_clear_message_and_a_log_line_and_acks_go_on(
    fake, bots, bot_settings, debate_text, caplog, down
):
    start, _ = bots
    server = RedisServer().start() if down == "redis" else PostgresServer().start()
    what = "job queue" if down == "redis" else "database"
    try:
        if isinstance(server, RedisServer):
            bot = await start(bot_settings, queue_url=server.url, heartbeat=HEARTBEAT)
        else:
            bot = await start(dataclasses.replace(bot_settings, db_path=server.url()))
        server.stop()
        caplog.set_level("ERROR", logger="bot")
        for _ in range(2):  # and the next member is answered too
            _, token = await fake.slash(
                "summarize", [{"name": "text", "type": 3, "value": debate_text}]
            )
            await fake.wait_for(lambda r, t=token: r.path.endswith(f"{t}/callback"))
            told = await fake.wait_for(
                lambda r, t=token: (
                    t in r.path
                    and f"cannot reach its {what}" in (r.message_payload.get("content") or "")
                )
            )
            assert int(told.message_payload.get("flags") or 0) & 64, "told privately"
        assert any(f"cannot reach its {what}" in r.getMessage() for r in caplog.records)
        assert not bot.is_closed()
    finally:
        server.remove()
