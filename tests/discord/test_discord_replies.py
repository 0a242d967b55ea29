"""The reply structure as a Discord member sees it (issue 12): a reply to two people counts
for both on the "Who responded to whom" card, and a re-post is noted once."""

from __future__ import annotations

from typing import Any

import pytest
from checks import embeds_within_limits, no_mentions_anywhere, wait_thread_intro
from fake_discord import FakeDiscord

PASTE = """Should the town build a skate park?

The council will vote on a skate park next to the library on Thursday.

alice: A skate park would give teenagers somewhere to go after school, instead of the car park.

bob: It will be noisy at night and nobody will supervise it, the library closes at six.

carol: @alice: @bob: both of you forget that the park already has lights that go off at ten.

alice: @carol fair point about the lights, that settles the noise for me.

bob: @carol lights off does not mean people leave, they will bring their own.

dave: The library car park is where they skate now, so the noise is there already.

dave: The library car park is where they skate now, so the noise is there already. The park
moves it fifty metres.
"""


def _embeds(fake: FakeDiscord, token: str) -> list[dict[str, Any]]:
    """Every embed the map was sent in: the edited reply and the messages after it."""
    return [
        e
        for r in fake.for_token(token)
        if r.method in ("POST", "PATCH")
        for e in (r.message_payload.get("embeds") or [])
    ]


@pytest.mark.asyncio
async def test_a_reply_to_two_people_counts_for_both_on_the_card(fake, bots):
    start, _ = bots
    await start()
    _, token = await fake.slash("summarize", [{"name": "text", "type": 3, "value": PASTE}])
    await wait_thread_intro(fake)

    embeds = _embeds(fake, token)
    card = next(e for e in embeds if e["title"] == "Who responded to whom")
    assert card["description"].startswith("4 replies between 3 commenters")
    fields = {f["name"]: f["value"] for f in card.get("fields", [])}
    exchanges = fields["Main exchanges"].splitlines()
    assert "• alice ↔ carol — 2 replies" in exchanges
    assert "• bob ↔ carol — 2 replies" in exchanges  # carol answered bob as the second target
    notes = next(e for e in embeds if e["title"] == "Side threads and noise")
    posted = {f["name"]: f["value"] for f in notes.get("fields", [])}["Posted twice"]
    assert posted == "• dave posted #6 again as #7, edited: counted once, as #7"
    assert no_mentions_anywhere(fake) >= 1
    embeds_within_limits(fake)
