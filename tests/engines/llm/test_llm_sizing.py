"""The reduce step's planning: sizes counted piece by piece are exact, the merge batches are
those of counting each batch whole, each piece is counted a bounded number of times (not once
per batch it is tried in), and nothing is counted on the event loop."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from bot.core.model import Article, Comment, Discussion
from bot.core.thread import build_thread
from bot.engines.base import no_progress
from bot.engines.llm import LLMEngine
from bot.engines.llm import digest as dg
from bot.engines.llm.engine import _Run
from bot.engines.llm.sizing import Sizer, Tally
from bot.llm import tokens
from bot.llm.client import OpenAICompatibleClient, RetryPolicy
from bot.llm.tokens import count_tokens
from tests.llm.fake_server import FakeLLMServer

WORDS = ["agents", "fee", "42", "1999", "too", "high", "über", "naïve", "—", "'s", "co-op", "%"]
ENDS = ["", ".", "?", "!", "…", " ", "  ", ")", "]", "\u200b", "2024", ":"]


def discussion(n: int) -> Discussion:
    comments = tuple(
        Comment(id=f"c{i}", index=i, author=f"user{i % 7}", text=f"Comment {i}.")
        for i in range(1, n + 1)
    )
    return Discussion(article=Article(title="Fees"), comments=comments)


def authors_of(d: Discussion) -> dict[str, str]:
    return {c.id: c.author for c in d.comments}


def random_digest(rng: random.Random, ids: list[str]) -> dg.Digest:
    def text() -> str:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 8)))
        return words + rng.choice(ENDS)

    stances = tuple(
        dg.Stance(text(), tuple(rng.sample(ids, rng.randint(1, 4))))
        for _ in range(rng.randint(0, 3))
    )
    arguments = tuple(
        dg.Argument(
            text(),
            rng.choice([None, *range(len(stances))]),
            tuple(rng.sample(ids, rng.randint(1, 4))),
        )
        for _ in range(rng.randint(0, 3))
    )
    return dg.Digest(stances, arguments)


def test_sizes_counted_in_pieces_are_those_of_the_rendered_text() -> None:
    d = discussion(40)
    authors = authors_of(d)
    ids = [c.id for c in d.comments]
    rng = random.Random(3)
    sizer = Sizer(authors)
    checked = 0
    for _ in range(150):
        digests = [random_digest(rng, ids) for _ in range(rng.randint(0, 6))]
        whole = count_tokens(dg.render(dg.combine(digests), authors))
        assert sizer.size(digests) == whole
        tally = Tally(sizer)
        for k, one in enumerate(digests):
            part = tally.part(one)
            expected = count_tokens(dg.render(dg.combine(digests[: k + 1]), authors))
            assert tally.tokens_with(part) == expected
            tally.add(part)
            assert tally.tokens == expected
            checked += 1
    assert checked > 300


def test_ids_of_four_digits_and_more_are_counted_exactly() -> None:
    d = discussion(10)
    authors = authors_of(d)
    one = dg.Digest(
        (dg.Stance("Yes.", ("c1", "c2")),),
        (dg.Argument("Fees fall", 0, ("c1",)), dg.Argument("No", None, ("c2",))),
    )
    many = [one] * 1200  # S1…S1200 and A1…A2400
    assert Sizer(authors).size(many) == count_tokens(dg.render(dg.combine(many), authors))


def naive_squeeze(digest: dg.Digest, room: int, authors: dict[str, str]) -> dg.Digest:
    """What `_Run.squeeze` means, each step counted on the rendered text."""
    while count_tokens(dg.render(digest, authors)) > room:
        if digest.arguments:
            digest = dg.shrink(digest, len(digest.arguments) * 3 // 4)
        elif len(digest.stances) > 1:
            digest = dg.Digest(digest.stances[: len(digest.stances) * 3 // 4])
        else:
            break
    return digest


def naive_batches(
    digests: list[dg.Digest], room: int, authors: dict[str, str]
) -> list[list[dg.Digest]]:
    """What `_Run.batches` means: each candidate batch rendered and counted whole."""
    size = lambda ds: count_tokens(dg.render(dg.combine(ds), authors))  # noqa: E731
    batches: list[list[dg.Digest]] = [[]]
    for one in digests:
        one = naive_squeeze(one, room, authors)
        if batches[-1] and size([*batches[-1], one]) > room:
            batches.append([])
        batches[-1].append(one)
    return batches


def a_run(d: Discussion, session: aiohttp.ClientSession, url: str, context: int) -> _Run:
    client = OpenAICompatibleClient(
        session, base_url=url, model="fake-1", concurrency=4, retry=RetryPolicy(max_retries=0)
    )
    eng = LLMEngine(client, context_tokens=context)
    return _Run(eng, build_thread(d), "English", no_progress)


@pytest.mark.asyncio
async def test_merge_batches_are_those_of_counting_each_batch_whole() -> None:
    d = discussion(60)
    authors = authors_of(d)
    ids = [c.id for c in d.comments]
    rng = random.Random(11)
    async with aiohttp.ClientSession() as s:
        run = a_run(d, s, "http://127.0.0.1:9/v1", 2048)  # nothing is sent
        for room in (40, 90, 200, 600):
            digests = [random_digest(rng, ids) for _ in range(40)]
            assert run.batches(digests, room) == naive_batches(digests, room, authors)


def many_small_digests(d: Discussion) -> list[dg.Digest]:
    """One stance and one argument per part, two camps: what many map calls over short parts
    give, and what the merge folds back into two."""
    out = []
    for k in range(0, len(d.comments), 2):
        a, b = d.comments[k].id, d.comments[k + 1].id
        label = "Agents are worth the fee" if k % 4 else "Agents cost too much"
        stance = dg.Stance(label, (a,))
        out.append(dg.Digest((stance,), (dg.Argument(f"Point {k}", 0, (b,)),)))
    return out


class Recorder:
    """Stands in for the tiktoken encoding: who counted how much text, on which thread."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[tuple[int, int]] = []

    def encode(self, text: str, **kw: Any) -> list[int]:
        self.calls.append((len(text), threading.get_ident()))
        return self.real.encode(text, **kw)

    def decode(self, ids: list[int]) -> str:
        return self.real.decode(ids)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    rec = Recorder(tokens._encoding())
    monkeypatch.setattr(tokens, "_encoding", lambda: rec)
    yield rec


@pytest.mark.asyncio
async def test_reduce_planning_counts_each_piece_a_bounded_number_of_times(
    recorder: Recorder,
) -> None:
    d = discussion(1200)
    digests = many_small_digests(d)  # 600 Digests, about 12,000 tokens rendered together
    async with aiohttp.ClientSession() as s, FakeLLMServer() as srv:
        run = a_run(d, s, srv.base_url, 8192)
        rendered = len(dg.render(dg.combine(digests), run.authors))
        recorder.calls.clear()
        merged = await run.reduce_to_fit(digests)
    merges = len(srv.requests)
    assert 2 <= merges <= 4, merges  # one round of merges, then it fits
    assert {s.label for s in merged.stances} == {"Agents are worth the fee", "Agents cost too much"}
    counted = sum(n for n, _ in recorder.calls)
    # Counting each candidate batch whole counted 81 times the text here (4.4 M characters);
    # piece by piece it is 2 times (110,705).
    assert counted <= 6 * rendered, (counted, rendered)


@pytest.mark.asyncio
async def test_reduce_planning_counts_nothing_on_the_event_loop(recorder: Recorder) -> None:
    d = discussion(400)
    digests = many_small_digests(d)
    async with aiohttp.ClientSession() as s, FakeLLMServer() as srv:
        run = a_run(d, s, srv.base_url, 2048)
        recorder.calls.clear()
        await run.reduce_to_fit(digests)
    assert srv.requests, "the digests needed merging"
    assert recorder.calls
    loop_thread = threading.get_ident()
    assert [n for n, thread in recorder.calls if thread == loop_thread] == []


@pytest.mark.asyncio
async def test_an_analysis_counts_only_short_texts_on_the_event_loop(recorder: Recorder) -> None:
    comments = tuple(
        Comment(
            id=f"c{i}",
            index=i,
            author=f"user{i % 9}",
            text=f"Agents earn their fee, says comment {i}. The commission is too high.",
            parent_id=f"c{i - 1}" if i % 3 else None,
        )
        for i in range(1, 501)
    )
    article = Article(title="Fees", text="Estate agents are overpaid. " * 200)
    d = Discussion(article=article, comments=comments)
    async with aiohttp.ClientSession() as s, FakeLLMServer() as srv:
        client = OpenAICompatibleClient(s, base_url=srv.base_url, model="fake-1")
        eng = LLMEngine(client, context_tokens=2048)  # sizes its prompts once, when made
        thread = build_thread(d)
        recorder.calls.clear()
        report = await eng.analyze(thread)
    assert report.engine == "llm:fake-1"
    names = {b["response_format"]["json_schema"]["name"] for b in srv.requests}
    assert names == {"map", "merge", "reduce"}
    loop_thread = threading.get_ident()
    on_loop = [n for n, thread in recorder.calls if thread == loop_thread]
    # the title (at most 40 tokens) and the output language's name, nothing longer
    assert max(on_loop, default=0) <= 200, sorted(on_loop)[-5:]
