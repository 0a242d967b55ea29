"""Assertions over what the fake Discord received."""

from __future__ import annotations

import re
from typing import Any

from fake_discord import MANAGE_GUILD, FakeDiscord, Recorded

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EPHEMERAL = 64


LATE_NOTICES = (
    re.compile(r"The debate map <@(\d+)> asked for:"),
    re.compile(r"⚠️ <@(\d+)>, your summary could not be made: "),
)
"""The two messages that may ping someone: a map or a failure posted as a new message once the
interaction expired, pinging the member who asked (and only them)."""


def pinged_asker(r: Recorded) -> str | None:
    """The member id a late map/failure notice is allowed to ping, or None for any other
    message."""
    if r.method != "POST" or not re.fullmatch(r"/channels/\d+/messages", r.path):
        return None
    content = r.message_payload.get("content") or ""
    match = next((m for p in LATE_NOTICES if (m := p.match(content))), None)
    return match.group(1) if match else None


def no_mentions_anywhere(fake: FakeDiscord) -> int:
    """Every message the bot sent or edited allowed no mention at all, except that a late map
    or failure notice pings the member who asked it (nobody else). Returns how many."""
    sent = [r for r in fake.requests if r.sends_message]
    for r in sent:
        allowed = r.message_payload.get("allowed_mentions")
        assert allowed is not None, f"{r.route} sent without allowed_mentions"
        assert allowed.get("parse") == [], (r.route, allowed)
        assert not allowed.get("roles"), (r.route, allowed)
        assert not allowed.get("replied_user"), (r.route, allowed)
        users = allowed.get("users")
        if users:
            asker = pinged_asker(r)
            assert asker is not None and [str(u) for u in users] == [asker], (r.route, allowed)
    return len(sent)


def embed_chars(embed: dict[str, Any]) -> int:
    n = len(embed.get("title") or "") + len(embed.get("description") or "")
    n += len((embed.get("footer") or {}).get("text") or "")
    n += len((embed.get("author") or {}).get("name") or "")
    return n + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields") or [])


def embeds_within_limits(fake: FakeDiscord) -> int:
    """Every embed sent respects Discord's limits. Returns how many embeds were checked."""
    checked = 0
    for r in fake.requests:
        if not r.sends_message:
            continue
        payload = r.message_payload
        assert len(payload.get("content") or "") <= 2000
        embeds = payload.get("embeds") or []
        assert len(embeds) <= 10, r.route
        assert sum(embed_chars(e) for e in embeds) <= 6000, r.route
        for e in embeds:
            checked += 1
            assert len(e.get("title") or "") <= 256
            assert len(e.get("description") or "") <= 4096
            assert len((e.get("footer") or {}).get("text") or "") <= 2048
            assert len((e.get("author") or {}).get("name") or "") <= 256
            fields = e.get("fields") or []
            assert len(fields) <= 25
            for f in fields:
                assert 0 < len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024
    return checked


def callback(fake: FakeDiscord, token: str) -> Recorded:
    calls = [r for r in fake.for_token(token) if r.path.endswith("/callback")]
    assert len(calls) == 1, f"{len(calls)} callbacks"
    return calls[0]


def deferred_in_time(fake: FakeDiscord, iid: str, token: str, *, ephemeral: bool = False) -> float:
    """The interaction was deferred ("thinking") within 3 s; returns the delay."""
    cb = callback(fake, token)
    assert cb.json["type"] == 5, cb.json
    flags = int((cb.json.get("data") or {}).get("flags") or 0)
    assert bool(flags & EPHEMERAL) == ephemeral
    delay = cb.at - fake.sent_at[iid]
    assert delay < 3.0
    return delay


def answered_privately(fake: FakeDiscord, token: str) -> str:
    """The interaction was answered at once with an ephemeral message; returns its text."""
    cb = callback(fake, token)
    assert cb.json["type"] == 4, cb.json
    assert int(cb.json["data"].get("flags") or 0) & EPHEMERAL
    return str(cb.json["data"]["content"])


def final_edit(fake: FakeDiscord, token: str) -> Recorded:
    edits = [r for r in fake.for_token(token) if r.method == "PATCH"]
    assert edits, "the reply was never edited"
    return edits[-1]


def png_files(r: Recorded) -> list[bytes]:
    return [data for _, name, data in r.files if name.endswith(".png")]


def graph_attached(fake: FakeDiscord, token: str) -> bytes:
    """Exactly one reply-graph PNG was sent for the interaction, in the message whose embed
    shows it; returns the PNG."""
    carrying = [(r, png) for r in fake.for_token(token) for png in png_files(r)]
    assert len(carrying) == 1, f"{len(carrying)} PNGs attached"
    r, png = carrying[0]
    assert png.startswith(PNG_SIGNATURE)
    images = [(e.get("image") or {}).get("url") for e in r.message_payload.get("embeds") or []]
    assert "attachment://reply-graph.png" in images
    return png


async def wait_thread_intro(fake: FakeDiscord) -> str:
    """The thread opened under the map, and its first message; returns the thread id. The
    bot posts that message once the thread is tied to the map in its store, so a test may read
    the store after this."""
    opened = await fake.wait_for(lambda r: r.method == "POST" and r.path.endswith("/threads"))
    thread_id = opened.path.split("/")[4]
    await fake.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{thread_id}/messages"
    )
    return thread_id


async def ask_in_thread(fake: FakeDiscord, thread_id: str, question: str) -> dict[str, Any]:
    """Mention the bot with `question` in the thread; returns the bot's reply (JSON)."""
    asked = await fake.post_message(
        f"<@{fake.app_id}> {question}", channel_id=thread_id, mentions=[fake.bot_user]
    )
    reply = await fake.wait_for(
        lambda r: (
            isinstance(r.json, dict)
            and str((r.json.get("message_reference") or {}).get("message_id")) == asked["id"]
        )
    )
    return dict(reply.json)


async def status_card(fake: FakeDiscord) -> tuple[dict[str, str], int]:
    """An admin's `/crosstalk status`: its card's fields by name and its colour."""
    _, token = await fake.slash(
        "crosstalk",
        [{"name": "status", "type": 1, "options": []}],
        who=fake.admin,
        permissions=MANAGE_GUILD,
    )
    reply = await fake.wait_for(
        lambda r: r.method == "POST" and token in r.path and "webhooks" in r.path
    )
    embed = reply.json["embeds"][0]
    return {f["name"]: f["value"] for f in embed["fields"]}, int(embed["color"])
