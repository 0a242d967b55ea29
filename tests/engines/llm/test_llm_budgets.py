"""Context-window safety and the map answer's room: every request the engine sends, repairs
included, fits the configured context with the tokenizer margin; a maximal map answer fits the
room reserved for it; packing uses the fewest chunks the total needs."""

from __future__ import annotations

import json
import math
import random
import re
from typing import Any

import aiohttp
import pytest

from bot.core.model import Article, Comment, Discussion
from bot.core.thread import build_thread
from bot.engines.llm import LLMEngine
from bot.engines.llm.digest import from_map
from bot.engines.llm.packing import pack
from bot.engines.llm.reading import (
    MAP_ARGUMENTS,
    MAP_ARGUMENTS_MAX,
    map_answer_tokens,
    number_cost,
)
from bot.llm.client import OpenAICompatibleClient, RetryPolicy
from bot.llm.structured import prompt_tokens
from bot.llm.tokens import FRAMING, MARGIN, count_tokens
from tests.llm.fake_server import FakeLLMServer, Reply, plain_responder

WORDS = [
    "the",
    "commission",
    "agents",
    "charge",
    "is",
    "far",
    "too",
    "high",
    "for",
    "what",
    "they",
    "actually",
    "do",
    "while",
    "a",
    "good",
    "negotiator",
    "still",
    "earns",
    "back",
    "their",
    "fee",
    "because",
    "buyers",
    "trust",
    "local",
    "knowledge",
    "and",
    "sellers",
    "hate",
    "paperwork",
    "inspections",
    "mortgages",
    "lawyers",
    "offers",
    "contracts",
    "listings",
    "online",
    "platforms",
]


def discussion(n: int, *, first: int = 1, seed: int = 3) -> Discussion:
    rng = random.Random(seed)
    comments = []
    for i in range(first, first + n):
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16))).capitalize() + "."
            for _ in range(rng.randint(1, 4))
        ]
        parent = f"c{rng.randint(max(first, i - 20), i - 1)}" if i > first and i % 3 else None
        comments.append(
            Comment(
                id=f"c{i}",
                index=i,
                author=f"person_{i % 37}",
                text=" ".join(sentences),
                parent_id=parent,
            )
        )
    article = Article(title="Estate agents", text="Agents are overpaid, the article says.")
    return Discussion(article=article, comments=tuple(comments))


def request_prompt(body: dict[str, Any]) -> int:
    """The prompt as the engine counts it: messages, plus the schema sent as response_format."""
    n = sum(count_tokens(m["content"]) for m in body["messages"])
    if (body.get("response_format") or {}).get("type") == "json_schema":
        n += count_tokens(json.dumps(body["response_format"]))
    return n


def first_try_invalid(body: dict[str, Any]) -> str:
    """A long answer that fails the schema on first tries (so every part needs a repair, whose
    prompt carries that answer), then valid answers."""
    if len(body["messages"]) == 2:
        answer = json.loads(plain_responder(body))
        answer["padding"] = " ".join(WORDS * 12)  # ~450 tokens, not allowed by the schema
        return json.dumps(answer)
    return plain_responder(body)


@pytest.mark.asyncio
@pytest.mark.parametrize("context", [2048, 4096, 8192])
@pytest.mark.parametrize("repairs", [False, True])
async def test_no_request_exceeds_the_context_window(context: int, repairs: bool) -> None:
    d = discussion(300)
    responder = first_try_invalid if repairs else plain_responder
    async with FakeLLMServer(responder=responder) as srv, aiohttp.ClientSession() as s:
        client = OpenAICompatibleClient(
            s, base_url=srv.base_url, model="m", concurrency=8, retry=RetryPolicy(max_retries=0)
        )
        report = await LLMEngine(client, context_tokens=context).analyze(build_thread(d))
    assert report.engine == "llm:m"
    assert len(srv.requests) >= 3  # at least two map calls and the reduce
    if repairs:
        assert any(len(b["messages"]) == 4 for b in srv.requests)
    for body in srv.requests:
        prompt = request_prompt(body)
        assert prompt + body["max_tokens"] <= context
        # Even if the server's tokenizer counts MARGIN times more, with a template around it.
        assert MARGIN * (prompt + FRAMING) + body["max_tokens"] <= context
        assert body["max_tokens"] >= 64


@pytest.mark.asyncio
async def test_map_calls_get_at_least_the_answer_room_their_chunk_needs() -> None:
    d = discussion(600)
    async with FakeLLMServer() as srv, aiohttp.ClientSession() as s:
        client = OpenAICompatibleClient(s, base_url=srv.base_url, model="m", concurrency=8)
        await LLMEngine(client, context_tokens=8192).analyze(build_thread(d))
    maps = [b for b in srv.requests if b["response_format"]["json_schema"]["name"] == "map"]
    assert len(maps) > 1
    for body in maps:
        data = body["messages"][1]["content"]
        numbers = [int(x.split()[0]) for x in data.splitlines() if x[:1].isdigit()]
        asked = arguments_asked(body)
        assert MAP_ARGUMENTS <= asked <= MAP_ARGUMENTS_MAX
        assert body["max_tokens"] >= map_answer_tokens(numbers, asked)


def arguments_asked(body: dict[str, Any]) -> int:
    system = " ".join(body["messages"][0]["content"].split())
    return int(re.search(r"`arguments`: at most (\d+)", system).group(1))  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_a_short_discussion_may_name_more_arguments() -> None:
    async with FakeLLMServer() as srv, aiohttp.ClientSession() as s:
        client = OpenAICompatibleClient(s, base_url=srv.base_url, model="m")
        await LLMEngine(client, context_tokens=8192).analyze(build_thread(discussion(30)))
    assert arguments_asked(srv.requests[0]) == MAP_ARGUMENTS_MAX


def maximal_map_answer(d: Discussion, numbers: list[int], arguments: int) -> dict[str, Any]:
    """The longest answer the map prompt allows, as a model writes it (`, ` and `: `): four
    stances with 8-word labels, MAP_ARGUMENTS arguments with 15-word points and 20-word quotes
    (real words of the comments), every comment number once."""
    by_index = {c.index: c for c in d.comments}
    words = " ".join(c.text for c in d.comments).split()
    share = len(numbers) // (arguments + 1)
    made = []
    for k in range(arguments):
        mine = numbers[k * share : (k + 1) * share] or numbers[:1]
        quoted = by_index[mine[0]]
        made.append(
            {
                "point": " ".join(words[k * 15 : k * 15 + 15]),
                "stance": k % 4,
                "comments": mine,
                "quote": {
                    "comment": quoted.index,
                    "author": quoted.author,
                    "text": " ".join(words[300 + k * 20 : 320 + k * 20]),
                },
            }
        )
    rest = numbers[arguments * share :]
    stances = [
        {"label": " ".join(words[500 + k * 8 : 508 + k * 8]), "comments": rest[k::4]}
        for k in range(4)
    ]
    return {"stances": stances, "arguments": made}


@pytest.mark.parametrize(("n", "first"), [(1, 1), (40, 1), (150, 1), (150, 990), (120, 9990)])
@pytest.mark.parametrize("arguments", [MAP_ARGUMENTS, MAP_ARGUMENTS_MAX])
def test_a_maximal_map_answer_fits_the_room_reserved_for_it(
    n: int, first: int, arguments: int
) -> None:
    d = discussion(n, first=first)
    numbers = [c.index for c in d.comments]
    answer = json.dumps(maximal_map_answer(d, numbers, arguments))
    assert count_tokens(answer) <= map_answer_tokens(numbers, arguments)


def test_comments_listed_under_an_argument_take_its_stance() -> None:
    d = discussion(6)
    answer = {
        "stances": [{"label": "Yes", "comments": [1]}, {"label": "No", "comments": []}],
        "arguments": [
            {
                "point": "p",
                "stance": 1,
                "comments": [2, 3],
                "quote": {"comment": 2, "author": "person_2", "text": "nothing like it"},
            },
            {
                "point": "q",
                "stance": 0,
                "comments": [4, 1],
                "quote": {"comment": 4, "author": "person_4", "text": "nothing"},
            },
        ],
    }
    digest, _ = from_map(answer, [c.id for c in d.comments], d)
    assert [(s.label, s.comment_ids) for s in digest.stances] == [
        ("Yes", ("c1", "c4")),
        ("No", ("c2", "c3")),
    ]
    assert [a.stance for a in digest.arguments] == [1, 0]


def test_packing_uses_the_fewest_chunks_the_total_needs() -> None:
    # Four one-comment chains costing about 60, 60, 40, 40 with a budget of 101: in thread order
    # they need three chunks (60 | 60+40 | 40); dealt largest first they fit in two.
    comments = tuple(Comment(id=f"c{i}", index=i, author="a", text="x") for i in range(1, 5))
    d = Discussion(article=Article(), comments=comments)
    line = count_tokens("1 a: x") + 1
    extra = {1: 60 - line, 2: 60 - line, 3: 40 - line, 4: 40 - line}
    chunks, _ = pack(build_thread(d), 101, answer_cost=lambda c: extra[c.index])
    assert [c.comment_ids for c in chunks] == [("c1", "c3"), ("c2", "c4")]


def test_packed_chunks_fit_with_their_answer_cost() -> None:
    d = discussion(1000)
    thread = build_thread(d)
    chunks, warnings = pack(thread, 6000, answer_cost=number_cost)
    assert not warnings
    by_id = d.by_id()
    costs = [c.tokens + sum(number_cost(by_id[i]) for i in c.comment_ids) for c in chunks]
    assert max(costs) <= 6000
    # A chunk's count is its text's, as the prompt carries it (the next line follows it).
    end = count_tokens("<<<END")
    assert all(count_tokens(c.text + "\n<<<END") <= c.tokens + end for c in chunks)
    assert len(chunks) == math.ceil(sum(costs) / 6000)  # no chunk more than the total needs
    for c in chunks:  # a chain's comments keep the thread's order inside a chunk
        for chain in thread.chains:
            numbers = [by_id[i].index for i in c.comment_ids if i in set(chain.comment_ids)]
            assert numbers == sorted(numbers)
    assert sorted(i for c in chunks for i in c.comment_ids) == sorted(by_id)


def test_prompt_tokens_counts_messages_and_schema() -> None:
    from bot.llm.provider import ChatRequest, Message

    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    request = ChatRequest(messages=(Message("user", "hello there"),), response_format=fmt)
    assert prompt_tokens(request) == count_tokens("hello there") + count_tokens(json.dumps(fmt))


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "message",
    [
        "request (8312 tokens) exceeds the available context size (8192 tokens)",  # llama.cpp
        "This model's maximum context length is 8192 tokens. However, you requested 8400 tokens",
    ],
)
async def test_a_server_whose_window_is_smaller_gets_the_part_in_halves(message: str) -> None:
    """The server's tokenizer counts more than the margin allows: it refuses big parts with a
    400; the engine reads them in halves, and the model still writes the whole report."""

    def comments(body: dict[str, Any]) -> int:
        return sum(x[:1].isdigit() for x in body["messages"][1]["content"].splitlines())

    def responder(body: dict[str, Any]) -> str | Reply:
        if "<<<COMMENTS" in body["messages"][1]["content"] and comments(body) > 60:
            error = {"error": {"code": 400, "message": message, "type": "invalid_request_error"}}
            return Reply(status=400, body=json.dumps(error))
        return plain_responder(body)

    d = discussion(300)
    async with FakeLLMServer(responder=responder) as srv, aiohttp.ClientSession() as s:
        client = OpenAICompatibleClient(
            s, base_url=srv.base_url, model="m", retry=RetryPolicy(max_retries=0)
        )
        report = await LLMEngine(client, context_tokens=8192).analyze(build_thread(d))
    assert report.engine == "llm:m" and report.warnings == ()
    refused = [b for b in srv.requests if comments(b) > 60]
    assert refused  # the big parts were sent, refused, then sent again in halves
    assert len(srv.requests) > len(refused) * 2
