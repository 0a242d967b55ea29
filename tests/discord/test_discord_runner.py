"""`crosstalk run`, options from the environment, and secrets kept out of logs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

import pytest
from fake_discord import FakeDiscord

from bot.cli import main
from bot.config import load_settings
from bot.core.errors import ConfigError, Unreachable
from bot.discord.logs import REDACTED, RedactSecrets
from bot.discord.options import BotOptions, load_bot_options
from bot.discord.runner import run_bot


def test_run_without_token_explains_what_to_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN is not set" in err and "Traceback" not in err


def test_bot_options_from_environment() -> None:
    assert load_bot_options({}) == BotOptions()
    opts = load_bot_options(
        {"CROSSTALK_MESSAGE_CONTENT": "yes", "CROSSTALK_QUEUE_SIZE": "5", "CROSSTALK_WORKERS": "3"}
    )
    assert (opts.message_content, opts.queue_size, opts.workers) == (True, 5, 3)
    with pytest.raises(ConfigError, match="CROSSTALK_MESSAGE_CONTENT"):
        load_bot_options({"CROSSTALK_MESSAGE_CONTENT": "maybe"})
    with pytest.raises(ConfigError, match="CROSSTALK_WORKERS"):
        load_bot_options({"CROSSTALK_WORKERS": "0"})


def test_tokens_are_redacted_from_log_records() -> None:
    bot_token = "MTA1NzY0NzQ4NjA0NjA0NjA0Ng.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"
    record = logging.LogRecord(
        "discord.webhook.async_",
        logging.DEBUG,
        __file__,
        1,
        "PATCH %s with %s",
        (
            "https://discord.com/api/v10/webhooks/123/aW50ZXJhY3Rpb246MTIzOnNlY3JldA/messages/@original",
            f"Bot {bot_token}",
        ),
        None,
    )
    RedactSecrets((bot_token,)).filter(record)
    line = record.getMessage()
    assert "aW50ZXJhY3Rpb246" not in line and bot_token not in line
    assert f"/webhooks/123/{REDACTED}/messages" in line
    other = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "callback /interactions/9/tok-en_1/callback", None, None
    )
    RedactSecrets().filter(other)
    assert other.getMessage() == f"callback /interactions/9/{REDACTED}/callback"


@pytest.mark.asyncio
async def test_run_bot_connects_where_the_environment_says(
    fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch, tmp_path, restore_endpoints: None
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "fake-token.for-tests")
    monkeypatch.setenv("DISCORD_API_BASE", fake.api_base)
    monkeypatch.setenv("DISCORD_GATEWAY_URL", fake.ws_url)
    monkeypatch.setenv("CROSSTALK_DB", str(tmp_path / "bot.db"))
    settings = load_settings(dotenv=False)
    task = asyncio.create_task(run_bot(settings, BotOptions(guild_ready_timeout=0.05)))
    try:
        for _ in range(500):
            if fake.identify or task.done():
                break
            await asyncio.sleep(0.01)
        assert fake.identify, "never identified"
        (identify,) = fake.identify
        assert identify["token"] == "fake-token.for-tests"
        assert identify["intents"] == 1 | 512  # guilds, guild messages; no privileged intent
        me = next(r for r in fake.requests if r.route == "GET /users/@me")
        assert me.headers["Authorization"] == "Bot fake-token.for-tests"
        _, token = await fake.slash("crosstalk", [{"name": "status", "type": 1, "options": []}])
        await fake.wait_for(lambda r: r.path.endswith(f"{token}/callback"))
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert (tmp_path / "bot.db").exists()


@pytest.mark.asyncio
async def test_run_bot_says_which_server_it_could_not_reach(
    tmp_path, restore_endpoints: None
) -> None:
    """No network (here: nothing listens on the port) is a clear sentence, not a bug."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    settings = load_settings(
        {
            "DISCORD_TOKEN": "fake-token.for-tests",
            "DISCORD_API_BASE": f"http://127.0.0.1:{port}/api/v10",
            "CROSSTALK_DB": str(tmp_path / "bot.db"),
        }
    )
    with pytest.raises(Unreachable) as err:
        await run_bot(settings, BotOptions(guild_ready_timeout=0.05))
    assert err.value.message == (
        f"Could not reach Discord at 127.0.0.1:{port} (connection refused): "
        f"check DISCORD_API_BASE (http://127.0.0.1:{port}/api/v10)."
    )


@pytest.mark.asyncio
async def test_sigterm_stops_the_bot_and_its_analysis_processes(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """What `docker stop` does: the bot closes cleanly (exit status 0) and leaves no analysis
    process behind."""
    env = {
        **os.environ,
        "DISCORD_TOKEN": "fake-token.for-tests",
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.ws_url,
        "CROSSTALK_DB": str(tmp_path / "bot.db"),
        "CROSSTALK_WORKERS": "1",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        await fake.wait_for(lambda r: r.route == "GET /users/@me", 60)
        for _ in range(600):
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
            if children and fake.identify:
                break
            await asyncio.sleep(0.1)
        assert children, "no analysis process was started"
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    for _ in range(100):  # the pool's processes, and multiprocessing's resource tracker
        alive = [pid for pid in children if Path(f"/proc/{pid}").exists()]
        if not alive:
            break
        await asyncio.sleep(0.1)
    assert not alive, [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in alive]


def test_shards_from_the_environment() -> None:
    assert load_bot_options({"CROSSTALK_SHARDS": "4"}).shards == (4, None)
    assert load_bot_options({"CROSSTALK_SHARDS": "4:0,1"}).shards == (4, (0, 1))
    assert load_bot_options({}).shards is None
    for bad in ("four", "4:4", "0", "2:a"):
        with pytest.raises(ConfigError, match="CROSSTALK_SHARDS"):
            load_bot_options({"CROSSTALK_SHARDS": bad})


@pytest.mark.asyncio
async def test_a_sharded_bot_connects_each_shard_and_answers_on_the_guilds(
    fake: FakeDiscord, bots, debate_text: str
) -> None:
    """CROSSTALK_SHARDS=2: two gateway connections, each identifying as its shard; the guild's
    interactions arrive on its own shard and are answered as usual."""
    from checks import deferred_in_time, wait_thread_intro

    from bot.discord.bot import ShardedCrosstalkBot

    start, _ = bots
    bot = await start(shards=(2, None))
    assert isinstance(bot, ShardedCrosstalkBot) and bot.shard_count == 2
    assert sorted(tuple(i["shard"]) for i in fake.identify) == [(0, 2), (1, 2)]
    iid, token = await fake.slash("summarize", [{"name": "text", "type": 3, "value": debate_text}])
    await wait_thread_intro(fake)
    deferred_in_time(fake, iid, token)


@pytest.mark.asyncio
async def test_a_process_runs_only_its_share_of_the_shards(fake: FakeDiscord, bots) -> None:
    start, _ = bots
    guild_shard = (int(fake.guild_id) >> 22) % 3
    await start(shards=(3, (guild_shard,)))
    assert [tuple(i["shard"]) for i in fake.identify] == [(guild_shard, 3)]
