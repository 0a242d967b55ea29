"""The analysis processes: steps run in another process, at a lower priority, errors come back
as they were raised, and a process that dies is replaced for the next steps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.contract import report_to_dict
from bot.core.errors import InputError
from bot.engines.select import make_engine
from bot.ingest.reader import read_discussion
from bot.pipeline import analyze_discussion
from bot.render.embeds import render_report
from bot.render.graph import render_reply_graph
from bot.work.pool import NICENESS, AnalysisPool
from bot.work.steps import GRAPH_FILE, offline_map, render_map

EXAMPLE = Path(__file__).parents[1] / "discord" / "debate.txt"


def where() -> tuple[int, int]:
    """(process id, niceness) of the process running it."""
    return os.getpid(), os.nice(0)


def refuse(message: str) -> None:
    raise InputError(message)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture
def pool(analysis_pool: AnalysisPool) -> AnalysisPool:
    return analysis_pool


@pytest.fixture
def bare_pool() -> Iterator[AnalysisPool]:
    """A pool of its own (its process is killed), quick to start: it imports nothing."""
    pool = AnalysisPool(1, modules=())
    pool.start()
    try:
        yield pool
    finally:
        pool.shutdown()


@pytest.mark.asyncio
async def test_steps_run_in_another_process_that_yields_the_cpu(pool: AnalysisPool) -> None:
    await pool.ready()
    pid, niceness = await pool.run(where)
    assert pid != os.getpid()
    assert niceness >= os.nice(0) + NICENESS or niceness == 19


@pytest.mark.asyncio
async def test_a_users_error_comes_back_with_its_message(pool: AnalysisPool) -> None:
    with pytest.raises(InputError) as caught:
        await pool.run(refuse, "That is not a discussion.")
    assert caught.value.message == "That is not a discussion."


@pytest.mark.asyncio
async def test_a_process_that_dies_fails_its_step_and_is_replaced(
    bare_pool: AnalysisPool,
) -> None:
    before, _ = await bare_pool.run(where)
    with pytest.raises(BrokenProcessPool):
        await bare_pool.run(die)
    after, _ = await bare_pool.run(where)
    assert after not in (before, os.getpid())


@pytest.mark.asyncio
async def test_the_offline_map_made_elsewhere_is_the_one_made_here(pool: AnalysisPool) -> None:
    discussion = read_discussion(EXAMPLE.read_bytes())
    report, rendered = await pool.run(offline_map, discussion, language=None, max_comments=None)
    here = await analyze_discussion(discussion, make_engine("offline", Settings()))
    assert report_to_dict(report) == report_to_dict(here)
    png = render_reply_graph(here)
    assert rendered.png == png and png is not None
    pages = render_report(here, graph_filename=GRAPH_FILE)
    assert rendered.pages == [[e.to_dict() for e in page] for page in pages]
    assert render_map(here) == rendered


@pytest.mark.asyncio
async def test_the_comment_limit_holds_in_the_analysis_process(pool: AnalysisPool) -> None:
    discussion = read_discussion(EXAMPLE.read_bytes())
    with pytest.raises(InputError, match="CROSSTALK_MAX_COMMENTS"):
        await pool.run(offline_map, discussion, language=None, max_comments=3)


ORPHAN = """
import asyncio, os
from bot.work.pool import AnalysisPool
pool = AnalysisPool(1, modules=())
print(asyncio.run(pool.run(os.getpid)), flush=True)
os.kill(os.getpid(), 9)
"""


def test_the_processes_end_when_the_bot_is_killed() -> None:
    out = subprocess.run([sys.executable, "-c", ORPHAN], capture_output=True, text=True, timeout=60)
    child = int(out.stdout.split()[0])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(child, signal.SIGKILL)
    raise AssertionError("the analysis process outlived the bot")
