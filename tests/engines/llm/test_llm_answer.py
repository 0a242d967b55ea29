"""Follow-up answers: retrieval, model answers with checked citations, quoted fallback."""

from __future__ import annotations

import json

import aiohttp
import pytest

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion, Report
from bot.core.retrieval import relevant_comments
from bot.core.thread import build_thread
from bot.engines.answer import Answer, answer_question
from bot.engines.offline import OfflineEngine
from bot.llm.client import OpenAICompatibleClient, RetryPolicy
from bot.llm.structured import StructuredChat
from tests.llm.fake_server import FakeLLMServer, Reply


def report() -> Report:
    texts = [
        ("ann", "Agents charge a commission that is far too high."),
        ("bob", "My agent got me a mortgage deal I could not find alone."),
        ("cat", "The weather was lovely at the open house."),
        ("dan", "Commission should be a flat fee, not a percentage."),
    ]
    comments = tuple(
        Comment(id=f"c{i}", index=i, author=a, text=t) for i, (a, t) in enumerate(texts, 1)
    )
    d = Discussion(article=Article(title="Agents"), comments=comments)
    return Report(engine="offline", thread=build_thread(d))


def test_retrieval_ranks_by_tfidf() -> None:
    d = report().discussion
    hits = relevant_comments(d, "what about the commission?", k=3)
    assert [i for i, _ in hits][:2] == ["c1", "c4"] or [i for i, _ in hits][:2] == ["c4", "c1"]
    assert relevant_comments(d, "zebra xylophone") == []


@pytest.mark.asyncio
async def test_without_a_model_quotes_the_best_comments() -> None:
    answer = await answer_question(report(), "Is the commission too high?")
    assert isinstance(answer, Answer) and not answer.from_model
    assert "(#1, ann)" in answer.text
    assert answer.citations[0].comment_id == "c1"
    none = await answer_question(report(), "zebra xylophone")
    assert none.citations == () and "No comment" in none.text


@pytest.mark.asyncio
async def test_an_engine_without_a_model_answers_by_quoting() -> None:
    answer = await OfflineEngine().answer(report(), "Is the commission too high?")
    assert answer == await answer_question(report(), "Is the commission too high?")
    status = await OfflineEngine().status()
    assert (status.health, status.ok, status.context) == ("offline engine: ready", True, None)


@pytest.mark.asyncio
async def test_empty_question_is_a_clear_input_error() -> None:
    with pytest.raises(InputError):
        await answer_question(report(), "   ")


def client(s: aiohttp.ClientSession, url: str) -> OpenAICompatibleClient:
    return OpenAICompatibleClient(s, base_url=url, model="m", retry=RetryPolicy(max_retries=0))


@pytest.mark.asyncio
async def test_model_answer_citations_are_checked() -> None:
    content = json.dumps(
        {
            "answer": "Some find it too high (#1, bob); a flat fee is proposed (#4, dan) (#99, x).",
            "citations": [1, 4, 99],
        }
    )
    async with FakeLLMServer(script=[Reply(content)]) as srv, aiohttp.ClientSession() as s:
        answer = await answer_question(
            report(), "Is the commission too high?", chat=client(s, srv.base_url)
        )
    assert answer.from_model
    assert "(#1, ann)" in answer.text and "(#4, dan)" in answer.text and "#99" not in answer.text
    assert [(c.index, c.author) for c in answer.citations] == [(1, "ann"), (4, "dan")]
    sent = srv.requests[0]["messages"][1]["content"]
    assert "1 ann: Agents charge a commission" in sent and "Question: Is the commission" in sent
    assert srv.requests[0]["response_format"]["json_schema"]["name"] == "answer"


@pytest.mark.asyncio
async def test_failing_model_falls_back_to_quotes() -> None:
    async with FakeLLMServer(script=[Reply(status=500)]) as srv, aiohttp.ClientSession() as s:
        answer = await answer_question(report(), "commission?", chat=client(s, srv.base_url))
    assert not answer.from_model and "(#1, ann)" in answer.text


@pytest.mark.asyncio
async def test_a_question_whose_comments_overflow_the_window_is_answered_with_quotes() -> None:
    long = " ".join(["The commission is too high for what agents do."] * 60)  # ~600 tokens
    comments = tuple(
        Comment(id=f"c{i}", index=i, author=f"u{i}", text=f"{long} Point {i}.") for i in range(1, 9)
    )
    d = Discussion(article=Article(title="Agents"), comments=comments)
    r = Report(engine="offline", thread=build_thread(d))
    async with FakeLLMServer() as srv, aiohttp.ClientSession() as s:
        chat = StructuredChat(client(s, srv.base_url), context_tokens=2048)
        answer = await answer_question(r, "Is the commission too high?", chat=chat)
    assert not answer.from_model and answer.citations
    assert srv.requests == []  # the request that would not fit was never sent
