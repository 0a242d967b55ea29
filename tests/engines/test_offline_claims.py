"""Which sentences count as arguments for key arguments, labels and the headline."""

from __future__ import annotations

import pytest

from bot.engines.offline.claims import claim_score, standalone
from bot.engines.offline.keypoints import key_arguments


@pytest.mark.parametrize(
    "sentence",
    [
        "I have been a REALTOR FOR OVER 35 YEARS.",
        "I've been a licensed agent for 20 years in Ohio.",
        "Finally someone Finally wrote this to the public!",
        "And finally, somebody gat the nerves to spill the truth….",
        "How long could the real estate agents last?",
        "But not real estate agents.",
        "Thanks for writing this great article about agents.",
        "Great post, I enjoyed reading it very much.",
        "which is why the buyer walks away from the deal entirely.",
        "Agents are useful.",
        "Please people, get ALL of the facts before commenting.",
        "Just look at all the realtors who popped up out of nowhere to comment on this post.",
    ],
)
def test_non_arguments_are_rejected(sentence: str) -> None:
    assert claim_score(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Agents should charge less because selling a house online is easy now.",
        "The commission costs a seller tens of thousands of dollars on a single home.",
        "If the buyer has no agent, the seller's agent will represent both parties.",
    ],
)
def test_arguments_pass_with_markers(sentence: str) -> None:
    score = claim_score(sentence)
    assert score is not None and score > 0


def test_exclaimed_claim_passes_only_when_not_strict() -> None:
    s = "Title Companies do All the legal work to protect you!!"
    assert claim_score(s) is None
    assert claim_score(s, strict=False) is not None


def test_key_arguments_prefer_claims_and_rank_by_commenters() -> None:
    rows = [
        ("c1", "ann", "I have been a realtor for over 35 years. Agents will lose business."),
        ("c2", "bob", "I have been a realtor for over 20 years. Sellers pay too much commission."),
        ("c3", "cat", "Sellers pay too much commission because listing online is cheap now."),
        ("c4", "dan", "The commission sellers pay is too much for what agents do."),
        ("c5", "eve", "I have been a realtor for 10 years now. Great post!"),
    ]
    points = key_arguments(rows, max_points=2)
    assert points
    assert all("realtor for" not in k.quote for k in points)
    top = points[0]
    assert "commission" in top.quote
    assert len(top.authors) >= 3
    assert [len(k.authors) for k in points] == sorted(
        (len(k.authors) for k in points), reverse=True
    )
    by_id = dict((cid, text) for cid, _a, text in rows)
    assert all(k.quote in by_id[k.quote_comment_id] for k in points)


def test_exclaimed_jab_never_passes() -> None:
    assert claim_score("And you my friend… are a special kind of dumb!", strict=False) is None


def test_a_general_statement_reads_better_as_a_position_than_a_story() -> None:
    general = "Selling a house without an agent is easy and saves the whole commission."
    story = "I posted my house on craigslist and sold it in a week without any agent."
    mine = "My wife is a realtor and she works very hard for every commission."
    to_you = "You should always use an agent when you sell a house in a big city."
    assert standalone(general) == 1.0
    assert standalone(story) < standalone(mine) < standalone(general)
    assert standalone(to_you) < standalone(general)
    assert standalone("Please people, get ALL of the facts before commenting.") == 0.0
