"""Packing: whole chains first, subtree splits, never a split comment, budgets respected."""

from __future__ import annotations

from bot.core.model import Article, Comment, Discussion
from bot.core.thread import build_thread
from bot.engines.llm.packing import pack
from bot.llm.tokens import count_tokens


def disc(rows: list[tuple[str | None, str]]) -> Discussion:
    comments = tuple(
        Comment(id=f"c{i}", index=i, author=f"u{i % 3}", text=text, parent_id=parent)
        for i, (parent, text) in enumerate(rows, start=1)
    )
    return Discussion(article=Article(text="a"), comments=comments)


WORDS = "word " * 40  # ~40 tokens


def varied(rows: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """Distinct texts, so that no comment reads as a re-post of another."""
    nouns = ("word", "house", "tree", "river", "stone", "cloud")
    return [(parent, text.replace("word", nouns[i])) for i, (parent, text) in enumerate(rows)]


def test_whole_chains_share_a_chunk_when_they_fit() -> None:
    d = disc(varied([(None, WORDS), ("c1", WORDS), (None, WORDS), ("c3", WORDS), ("c1", WORDS)]))
    chunks, warnings = pack(build_thread(d), budget=200)
    assert warnings == []
    assert [c.comment_ids for c in chunks] == [("c1", "c2", "c5"), ("c3", "c4")]
    assert all(c.tokens <= 200 for c in chunks)


def test_oversized_chain_splits_at_subtree_boundaries() -> None:
    # c1 has two reply subtrees: (c2, c3) and (c4, c5). Together they exceed the budget.
    rows = [(None, WORDS), ("c1", WORDS), ("c2", WORDS), ("c1", WORDS), ("c4", WORDS)]
    chunks, _ = pack(build_thread(disc(varied(rows))), budget=150)
    groups = [set(c.comment_ids) for c in chunks]
    assert {"c2", "c3"} in [g & {"c2", "c3"} for g in groups]  # c2's subtree stayed together
    assert any({"c4", "c5"} <= g for g in groups)
    assert sorted(i for c in chunks for i in c.comment_ids) == sorted(f"c{i}" for i in range(1, 6))
    for c in chunks:
        assert sum(count_tokens(line + "\n") for line in c.text.splitlines()) <= 150


def test_a_comment_bigger_than_the_budget_is_cut_with_a_warning() -> None:
    d = disc([(None, "short one"), (None, "long " * 500), (None, "short two")])
    chunks, warnings = pack(build_thread(d), budget=100)
    assert len(warnings) == 1 and "#2" in warnings[0]
    line = next(x for c in chunks for x in c.text.splitlines() if x.startswith("2 "))
    assert count_tokens(line) < 100 and line.endswith("…")
    assert all(c.tokens <= 100 for c in chunks)


def test_lines_are_one_per_comment_with_parent_numbers() -> None:
    d = disc([(None, "first\n\nline"), ("c1", "reply  with\tspaces")])
    chunks, _ = pack(build_thread(d), budget=500)
    assert chunks[0].text == "1 u1: first line\n2 u2>1: reply with spaces"


def test_deleted_and_empty_comments_are_left_out() -> None:
    comments = (
        Comment(id="c1", index=1, author="a", text="kept"),
        Comment(id="c2", index=2, author="b", text="[deleted]", deleted=True),
        Comment(id="c3", index=3, author="c", text="   "),
    )
    d = Discussion(article=Article(), comments=comments)
    chunks, _ = pack(build_thread(d), budget=500)
    assert [c.comment_ids for c in chunks] == [("c1",)]
