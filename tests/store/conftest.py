"""A rich Report for the contract and store tests: every field of the contract filled."""

from __future__ import annotations

import pytest

from bot.core.model import (
    Article,
    Comment,
    Discussion,
    KeyArgument,
    Report,
    Side,
    SideThread,
)
from bot.core.thread import build_thread


def rich_report() -> Report:
    rows = [
        # (author, parent, source depth, deleted)
        ("ann", None, None, False),
        ("bob", "c1", None, False),
        ("ann", "c2", None, False),
        ("cat", None, 0, False),
        ("bob", "c3", None, False),
        ("dan", "c4", 1, False),
        ("[deleted]", "c4", 1, True),
        ("eve", None, None, False),
    ]
    comments = tuple(
        Comment(
            id=f"c{i}",
            index=i,
            author=a,
            text=f"Comment {i} by {a}. It says something @everyone should read **twice**.",
            parent_id=p,
            depth=depth,
            timestamp=f"2026-11-27T04:0{i}:00Z",
            deleted=deleted,
            quotes=("c1",) if i == 3 else (),
            starts_blank=i == 5,
        )
        for i, (a, p, depth, deleted) in enumerate(rows, start=1)
    )
    discussion = Discussion(
        article=Article(
            title="Should cities ban cars?", author="Jo", url="https://x.test/a", text="Body."
        ),
        comments=comments,
        source="reddit",
        warnings=("3 comments were hidden by the platform.",),
    )
    thread = build_thread(discussion)
    thread = type(thread)(
        discussion=thread.discussion,
        links=thread.links,
        duplicates={"c8": "c1"},
        chains=thread.chains,
        interactions=thread.interactions,
        exchanges=thread.exchanges,
        depths=thread.depths,
    )
    sides = (
        Side(
            label="For the ban",
            stance="Cars should go.",
            authors=("ann", "cat"),
            comment_ids=("c1", "c3", "c4"),
            summary="They want quieter streets.",
            key_arguments=(
                KeyArgument(
                    point="Noise",
                    comment_ids=("c1", "c3"),
                    authors=("ann",),
                    quote="It says something",
                    quote_comment_id="c1",
                ),
            ),
        ),
        Side(
            label="Against",
            stance="Cars are needed.",
            authors=("bob", "dan"),
            comment_ids=("c2", "c5", "c6"),
            summary="",
            key_arguments=(
                KeyArgument(point="Jobs", comment_ids=("c2",), authors=("bob",), quote=""),
            ),
        ),
    )
    return Report(
        engine="llm:test-model",
        thread=thread,
        headline="Cities should ban cars.",
        sides=sides,
        unanswered=("c6", "c8"),
        side_threads=(SideThread(label="Spam", comment_ids=("c8",), participants=("eve",)),),
        warnings=("The model skipped 1 comment.",),
    )


@pytest.fixture
def report() -> Report:
    return rich_report()
