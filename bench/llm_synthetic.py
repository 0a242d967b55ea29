"""Deterministic synthetic discussions for benchmarks (no randomness from the clock)."""

from __future__ import annotations

import random

from bot.core.model import Article, Comment, Discussion

_WORDS = tuple(
    [
        "agents",
        "commission",
        "market",
        "price",
        "buyers",
        "sellers",
        "house",
        "listing",
        "fee",
        "value",
        "negotiate",
        "contract",
        "local",
        "knowledge",
        "online",
        "platform",
        "cheaper",
        "expensive",
        "service",
        "risk",
        "paperwork",
        "inspection",
        "mortgage",
        "lawyer",
        "offer",
        "deal",
        "trust",
        "experience",
        "honest",
        "overpaid",
        "useful",
    ]
)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + rng.choice(".!?")


def discussion(n: int, *, seed: int = 7, authors: int = 0) -> Discussion:
    """`n` comments by about n/4 authors (at least 3); about 60% replies to an earlier comment;
    1 to 5 sentences each (about 60 tokens on average)."""
    rng = random.Random(seed)
    people = [f"user{k}" for k in range(authors or max(3, n // 4))]
    comments = []
    for i in range(1, n + 1):
        parent = f"c{rng.randint(max(1, i - 30), i - 1)}" if i > 1 and rng.random() < 0.6 else None
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 5)))
        comments.append(
            Comment(id=f"c{i}", index=i, author=rng.choice(people), text=text, parent_id=parent)
        )
    article = Article(
        title="Are estate agents worth their fee?",
        text=" ".join(_sentence(rng) for _ in range(12)),
    )
    return Discussion(article=article, comments=tuple(comments), source="synthetic")
