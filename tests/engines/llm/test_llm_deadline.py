"""A slow model server (issue 13): the analysis has a deadline, after which the offline engine
does the parts not read (or the whole report when the summary is not written), and its status
line keeps moving meanwhile."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest

from bot.core.thread import build_thread
from bot.engines.llm import status
from bot.engines.llm.engine import MAP_SHARE
from tests.engines.llm.test_llm_engine import engine, make_discussion, map_requests, user_text
from tests.llm.fake_server import FakeLLMServer, Reply, plain_responder

DEADLINE = 3.0


def slow_unless(fast: Any) -> Any:
    """Answers at once the requests `fast` accepts, the others after a minute."""

    def responder(body: dict[str, Any]) -> Reply:
        return Reply(plain_responder(body), delay=0 if fast(body) else 60)

    return responder


async def analyse(
    srv: FakeLLMServer, n: int = 200, deadline: float = DEADLINE
) -> tuple[Any, float, list[str]]:
    lines: list[str] = []

    async def progress(line: str) -> None:
        lines.append(line)

    async with aiohttp.ClientSession() as s:
        eng = engine(s, srv.base_url, context_tokens=2048, deadline=deadline)
        start = time.perf_counter()
        report = await eng.analyze(build_thread(make_discussion(n, long=True)), progress=progress)
    return report, time.perf_counter() - start, lines


@pytest.mark.asyncio
async def test_parts_not_read_by_the_deadline_go_offline() -> None:
    first = lambda body: "\n1 user" in user_text(body) or "<<<COMMENTS" not in user_text(body)  # noqa: E731
    async with FakeLLMServer(responder=slow_unless(first)) as srv:
        # Time for the offline parts and the summary after the reading stops, on a busy machine.
        report, took, _lines = await analyse(srv, n=40, deadline=10)
        assert srv.in_flight == 0  # the slow calls were cancelled, not left running
    assert MAP_SHARE * 10 <= took < 30  # not the minute the slow calls would take
    assert report.engine == "llm:fake-1"  # the part with #1 and the summary by the model
    (stopped,) = [w for w in report.warnings if w.startswith("The model was stopped")]
    assert "deadline, LLM_DEADLINE_SECONDS" in stopped
    assert "offline engine analysed those parts instead" in stopped
    assert len(map_requests(srv)) > 1


@pytest.mark.asyncio
async def test_a_summary_not_written_by_the_deadline_gives_the_offline_report() -> None:
    maps_only = lambda body: "<<<COMMENTS" in user_text(body)  # noqa: E731
    async with FakeLLMServer(responder=slow_unless(maps_only)) as srv:
        report, took, _lines = await analyse(srv, n=30)
    assert took < 30
    assert report.engine == "offline"
    assert any(
        "had not written the summary" in w and "LLM_DEADLINE_SECONDS" in w for w in report.warnings
    )


@pytest.mark.asyncio
async def test_the_status_line_counts_parts_and_shows_time_while_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(status, "TICK", 0.05)
    monkeypatch.setattr(status, "SHOW_AFTER", 0.2)
    nobody = lambda body: False  # noqa: E731
    async with FakeLLMServer(responder=slow_unless(nobody)) as srv:
        _report, _took, lines = await analyse(srv, n=30)
    assert lines[0].startswith("Reading 30 comments in ")
    waiting = [x for x in lines if x.startswith("Reading 30 comments in ") and "(" in x]
    assert len(waiting) > 10  # re-sent while no part came back, with the time spent
    assert waiting[-1].endswith(" s)…")
    assert any("parts read" in x for x in lines)  # the parts stopped by the deadline count
