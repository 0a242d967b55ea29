"""The test checks themselves: what counts as a message, and which mentions they accept."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from checks import no_mentions_anywhere
from fake_discord import Recorded

NONE = {"parse": []}


def sent(method: str, path: str, content: str, allowed: dict[str, Any]) -> Recorded:
    return Recorded(method, path, {}, {}, json={"content": content, "allowed_mentions": allowed})


def check(*requests: Recorded) -> int:
    return no_mentions_anywhere(SimpleNamespace(requests=list(requests)))  # type: ignore[arg-type]


def test_channel_message_edits_are_messages_but_channel_edits_are_not() -> None:
    assert sent("PATCH", "/channels/1/messages/2", "edited", NONE).sends_message
    assert not Recorded("PATCH", "/channels/1", {}, {}, json={"archived": True}).sends_message
    with pytest.raises(AssertionError, match="without allowed_mentions"):
        check(Recorded("PATCH", "/channels/1/messages/2", {}, {}, json={"content": "x"}))


def test_only_a_late_notice_may_ping_and_only_the_member_it_names() -> None:
    ping = {"parse": [], "users": [7]}
    assert check(sent("POST", "/channels/1/messages", "The debate map <@7> asked for:", ping))
    assert check(
        sent("POST", "/channels/1/messages", "⚠️ <@7>, your summary could not be made: x", ping)
    )
    refused = [
        sent("POST", "/channels/1/messages", "The debate map <@8> asked for:", ping),
        sent("POST", "/channels/1/messages", "Hello <@7>", ping),
        sent("PATCH", "/channels/1/messages/2", "The debate map <@7> asked for:", ping),
        sent("POST", "/webhooks/1/tok", "The debate map <@7> asked for:", ping),
        sent(
            "POST",
            "/channels/1/messages",
            "The debate map <@7> asked for:",
            {"parse": [], "users": [7, 8]},
        ),
        sent(
            "POST",
            "/channels/1/messages",
            "The debate map <@7> asked for:",
            {"parse": ["everyone"], "users": [7]},
        ),
        sent(
            "POST",
            "/channels/1/messages",
            "The debate map <@7> asked for:",
            {"parse": [], "users": [7], "roles": [3]},
        ),
    ]
    for r in refused:
        with pytest.raises(AssertionError):
            check(r)
