"""Answers cut at max_tokens (issue 16): a part the context window cut is read in halves once;
a model that does not stop costs a bounded number of calls, its parts go to the offline engine
with warnings that name them, and the analysis always ends with a report."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest

from bot.engines.llm.parts import RUNAWAY_FACTOR
from bot.engines.llm.reading import RUNAWAY_STOP, Gate
from bot.llm.runaway import repeats
from tests.engines.llm.test_llm_engine import (
    assert_grounded,
    make_discussion,
    map_requests,
    run,
    user_text,
)
from tests.llm.fake_server import FakeLLMServer, Reply, plain_responder


def numbers(body: dict[str, Any]) -> tuple[int, ...]:
    """The comment numbers a map request carries."""
    data = user_text(body).split(">>>\n", 1)[-1]
    return tuple(int(x.split()[0]) for x in data.splitlines() if re.match(r"^\d+ user", x))


def counting(body: dict[str, Any]) -> Reply:
    """An answer that never closes: comment numbers counted up until max_tokens."""
    n = body["max_tokens"]
    text = '{"stances": [{"label": "Agents", "comments": [' + ", ".join(map(str, range(n // 2)))
    return Reply(text, finish_reason="length")


def repeating(body: dict[str, Any]) -> Reply:
    """An answer that repeats one span until max_tokens."""
    return Reply('{"stances": [' + "12, 13, " * body["max_tokens"], finish_reason="length")


def part_warnings(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if "length limit" in w or "was stopped" in w]


@pytest.mark.asyncio
async def test_a_part_the_window_cut_is_read_in_halves() -> None:
    # At 2k a full part leaves less room than the output cap: its cut answer is for want of
    # room, and each half gets more. Every part's first reading is cut, its halves answered.
    first_readings: list[tuple[int, ...]] = []

    def responder(body: dict[str, Any]) -> str | Reply:
        if "<<<COMMENTS" in user_text(body):
            read = numbers(body)
            if not any(set(read) <= set(p) for p in first_readings):
                first_readings.append(read)
                return Reply(plain_responder(body)[:50], finish_reason="length")
        return plain_responder(body)

    d = make_discussion(40, long=True)
    async with FakeLLMServer(responder=responder) as srv:
        report = await run(d, srv, context_tokens=2048)
    assert report.engine == "llm:fake-1" and report.warnings == ()
    assert_grounded(report)
    assert all(len(b["messages"]) == 2 for b in srv.requests)  # no repair rounds
    maps = map_requests(srv)
    assert len(first_readings) > 1 and len(maps) == 3 * len(first_readings)
    # Every comment was read by a successful call (a half) exactly once.
    halves = [numbers(b) for b in maps if numbers(b) not in first_readings]
    assert sorted(n for h in halves for n in h) == list(range(1, 41))
    assert all(b["max_tokens"] < 2048 for b in maps)


@pytest.mark.asyncio
async def test_halves_cut_again_go_offline_and_no_other_part_is_halved() -> None:
    def responder(body: dict[str, Any]) -> str | Reply:
        if "<<<COMMENTS" in user_text(body):  # short, not repeating: cut for want of room
            return Reply(plain_responder(body)[:50], finish_reason="length")
        return plain_responder(body)

    d = make_discussion(40, long=True)
    async with FakeLLMServer(responder=responder) as srv:
        report = await run(d, srv, context_tokens=2048)
    maps = map_requests(srv)
    parts = len(maps) - 2  # the first part halved (2 calls), no other
    assert parts == 4
    assert report.engine == "offline"  # the model read nothing: the offline engine's report
    (warning,) = part_warnings(report.warnings)
    assert f"{len(maps)} of {len(maps)} reading calls were cut" in warning
    assert "ran on without ending" in warning and "offline engine analysed those parts" in warning
    assert "comments #1–#40 ran" in warning  # every comment the model failed is named


@pytest.mark.asyncio
async def test_a_model_that_always_runs_to_max_tokens_is_stopped_and_a_report_arrives() -> None:
    d = make_discussion(200, long=True)
    async with FakeLLMServer(responder=counting) as srv:
        report = await run(d, srv, context_tokens=2048)
    assert report.engine == "offline" and report.sides
    maps = map_requests(srv)
    assert len(maps) == len(srv.requests)  # nothing else was asked: no reduce over nothing
    parts = {
        numbers(b) for b in maps if not any(set(numbers(b)) < set(o) for o in map(numbers, maps))
    }
    assert len(parts) < 15  # of about 30 parts: the model was stopped early
    # At most: the first parts, two halves, and what the concurrency had in flight.
    assert len(maps) <= RUNAWAY_STOP + 2 + 2 * 4
    for b in maps:  # at most the output cap (a little over the room its answer needs)
        assert b["max_tokens"] <= RUNAWAY_FACTOR * (100 + 12 * 80 + 3 * len(numbers(b)))
    ran_on, stopped = part_warnings(report.warnings)
    cut, answered = map(int, re.findall(r"(\d+) of (\d+) reading calls were cut", ran_on)[0])
    assert cut == answered <= len(maps)  # calls cancelled in flight are not counted
    assert "ran on without ending" in ran_on
    assert stopped.startswith("The model was stopped before it read comments #")
    assert "of its answers ran on without ending" in stopped
    assert any("could not read any part" in w for w in report.warnings)


@pytest.mark.asyncio
async def test_a_single_part_cut_at_the_output_cap_is_not_halved() -> None:
    # At 8k a 60-comment part leaves far more room than its answer needs: cut at the cap, the
    # model ran on, and halving would not help.
    async with FakeLLMServer(responder=counting) as srv:
        report = await run(make_discussion(60, long=True), srv, context_tokens=8192)
    assert len(srv.requests) == 1
    assert report.engine == "offline"
    (warning,) = part_warnings(report.warnings)
    assert "comments #1–#60 ran on without ending (1 of 1 reading calls" in warning


@pytest.mark.asyncio
async def test_stopping_the_model_cancels_its_calls_in_flight() -> None:
    # The first answers run on at once; the rest would take a minute each: once the model is
    # stopped those calls are cancelled (the server sees the connections close) and the report
    # arrives without waiting for them.
    def responder(body: dict[str, Any]) -> Reply:
        slow = len(srv.requests) > 4
        return Reply(repeating(body).content, finish_reason="length", delay=60.0 if slow else 0)

    async with FakeLLMServer(responder=responder) as srv:
        report = await asyncio.wait_for(
            run(make_discussion(200, long=True), srv, context_tokens=2048), 20
        )
        for _ in range(100):
            if srv.in_flight == 0:
                break
            await asyncio.sleep(0.01)
        assert srv.in_flight == 0
    assert report.engine == "offline"
    assert any(w.startswith("The model was stopped before") for w in report.warnings)


@pytest.mark.asyncio
async def test_a_repeating_answer_is_not_read_in_halves() -> None:
    d = make_discussion(40, long=True)
    async with FakeLLMServer(responder=repeating) as srv:
        report = await run(d, srv, context_tokens=2048)
    assert len(map_requests(srv)) == 4  # each part once
    assert report.engine == "offline"
    assert "ran on without ending" in part_warnings(report.warnings)[0]


@pytest.mark.asyncio
async def test_one_runaway_part_goes_offline_and_the_model_reads_the_rest() -> None:
    def responder(body: dict[str, Any]) -> str | Reply:
        if "<<<COMMENTS" in user_text(body) and 1 in numbers(body):
            return counting(body)
        return plain_responder(body)

    d = make_discussion(60, long=True)
    async with FakeLLMServer(responder=responder) as srv:
        report = await run(d, srv, context_tokens=2048)
    assert report.engine == "llm:fake-1"
    (warning,) = part_warnings(report.warnings)
    assert warning.startswith("The model's answers on comments #1, ")
    assert "offline engine analysed that part instead" in warning


def test_repeats_tells_a_loop_from_an_answer() -> None:
    legit = json.dumps(
        {
            "stances": [{"label": "Agents earn their fee", "comments": list(range(1, 300, 3))}],
            "arguments": [
                {
                    "point": f"Point {k} about fees and what agents do for sellers",
                    "stance": 0,
                    "comments": [k, k + 7],
                    "quote": {"comment": k, "author": f"user{k}", "text": f"Sentence {k} here."},
                }
                for k in range(12)
            ],
        }
    )
    assert not repeats(legit)
    assert not repeats(", ".join(map(str, range(1, 600))))  # counting: not a repetition
    assert repeats('{"stances": [' + "12, 13, " * 400)
    assert repeats("[" + "\n   " * 500)
    assert not repeats("12, 13, " * 20)  # too short to judge


@pytest.mark.asyncio
async def test_the_gate_lets_halves_in_first_and_skips_cancelled_waiters() -> None:
    gate = Gate(1)
    entered: list[str] = []
    release = asyncio.Event()

    async def hold(name: str, priority: int) -> None:
        async with gate.slot(priority):
            entered.append(name)
            await release.wait()

    first = asyncio.create_task(hold("first part", 1))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(hold(n, p)) for n, p in [("part", 1), ("gone", 1), ("half", 0)]]
    await asyncio.sleep(0)
    waiting[1].cancel()
    release.set()
    await asyncio.gather(first, waiting[0], waiting[2])
    assert entered == ["first part", "half", "part"]
    assert gate.free == 1
