"""/crosstalk channels, settings and status: allowed for Manage Server, refused for others,
and their effect on /summarize (channel policy, visibility, rate limits)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from checks import EPHEMERAL, answered_privately, callback, no_mentions_anywhere
from fake_discord import MANAGE_GUILD, SEND_AND_READ, FakeDiscord

from bot.discord.cogs.admin import REFUSAL


def sub(name: str, options: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    return [{"name": name, "type": 1, "options": options or []}]


async def admin_call(
    fake: FakeDiscord, name: str, options: list[dict[str, Any]] | None = None, **kw: Any
) -> dict[str, Any]:
    """Run `/crosstalk <name>` as an admin; returns the follow-up message it sent."""
    _, token = await fake.slash(
        "crosstalk", sub(name, options), who=fake.admin, permissions=MANAGE_GUILD, **kw
    )
    reply = await fake.wait_for(
        lambda r: r.method == "POST" and f"/{token}" in r.path and "webhooks" in r.path
    )
    cb = callback(fake, token)
    assert cb.json["type"] == 5 and int(cb.json["data"]["flags"]) & EPHEMERAL
    assert int(reply.json.get("flags") or 0) & EPHEMERAL
    return reply.json


def channel_option(fake: FakeDiscord, cid: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    resolved = {
        "channels": {
            cid: {"id": cid, "type": 0, "name": "random", "permissions": str(SEND_AND_READ)}
        }
    }
    return [{"name": "channel", "type": 7, "value": cid}], resolved


@pytest.mark.asyncio
async def test_members_without_manage_server_are_refused_politely(fake, bots):
    start, _ = bots
    bot = await start()
    before = await bot.store.guild_settings(int(fake.guild_id))
    for name, options in (
        ("settings", [{"name": "visibility", "type": 3, "value": "private"}]),
        ("channels", [{"name": "action", "type": 3, "value": "block"}]),
        ("status", []),
    ):
        _, token = await fake.slash("crosstalk", sub(name, options), permissions=SEND_AND_READ)
        await fake.wait_for(lambda r, t=token: r.path.endswith(f"{t}/callback"))
        assert answered_privately(fake, token) == REFUSAL
    assert await bot.store.guild_settings(int(fake.guild_id)) == before
    policy = await bot.store.channel_policy(int(fake.guild_id))
    assert not policy.blocked
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_settings_are_stored_echoed_and_applied(fake, bots, debate_text):
    start, _ = bots
    bot = await start()
    reply = await admin_call(
        fake,
        "settings",
        [
            {"name": "visibility", "type": 3, "value": "private"},
            {"name": "user_rate", "type": 4, "value": 1},
            {"name": "language", "type": 3, "value": "English"},
            {"name": "engine", "type": 3, "value": "offline"},
        ],
    )
    fields = {f["name"]: f["value"] for f in reply["embeds"][0]["fields"]}
    assert reply["embeds"][0]["title"] == "Settings saved"
    assert fields["Visibility"] == "private" and fields["Summaries per member per hour"] == "1"
    gs = await bot.store.guild_settings(int(fake.guild_id))
    assert (gs.visibility, gs.user_rate_per_hour, gs.language, gs.engine) == (
        "private",
        1,
        "English",
        "offline",
    )

    # visibility private is now the default, and the second summary within the hour is refused
    text = [{"name": "text", "type": 3, "value": debate_text}]
    _, token = await fake.slash("summarize", text)
    await fake.wait_for(lambda r: r.method == "PATCH" and token in r.path and r.json.get("embeds"))
    assert int(callback(fake, token).json["data"]["flags"]) & EPHEMERAL
    _, token = await fake.slash("summarize", text)
    await fake.wait_for(lambda r: r.path.endswith(f"{token}/callback"))
    refusal = answered_privately(fake, token)
    assert "1 summaries in the last hour" in refusal and "Try again in" in refusal
    assert "<t:" in refusal
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_blocked_channel_refuses_and_allow_list_limits(fake, bots, debate_text):
    start, _ = bots
    await start()
    options, resolved = channel_option(fake, fake.other_channel_id)
    reply = await admin_call(
        fake,
        "channels",
        [{"name": "action", "type": 3, "value": "block"}, *options],
        resolved=resolved,
    )
    assert f"<#{fake.other_channel_id}>" in reply["content"]
    text = [{"name": "text", "type": 3, "value": debate_text}]
    _, token = await fake.slash("summarize", text, channel_id=fake.other_channel_id)
    await fake.wait_for(lambda r: r.path.endswith(f"{token}/callback"))
    assert "not enabled in this channel" in answered_privately(fake, token)

    # an allow-list: only #general now
    await admin_call(fake, "channels", [{"name": "action", "type": 3, "value": "allow"}])
    listed = await admin_call(fake, "channels", [{"name": "action", "type": 3, "value": "list"}])
    assert f"Allowed: <#{fake.channel_id}>" in listed["content"]
    assert f"Blocked: <#{fake.other_channel_id}>" in listed["content"]
    _, token = await fake.slash("summarize", text)
    await fake.wait_for(lambda r: r.method == "POST" and r.path.endswith("/threads"))
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_status_shows_settings_engine_health_and_queue(fake, bots):
    start, _ = bots
    await start()
    reply = await admin_call(fake, "status")
    fields = {f["name"]: f["value"] for f in reply["embeds"][0]["fields"]}
    assert fields["Engine health"].startswith("offline engine: ready")
    assert fields["Queue"].startswith("0 waiting, 0 running")
    assert fields["Visibility"] == "public"


@pytest.mark.asyncio
async def test_status_names_the_language_crosstalk_language_sets(fake, bots, bot_settings):
    start, _ = bots
    await start(dataclasses.replace(bot_settings, language="Deutsch"))

    async def language() -> str:
        reply = await admin_call(fake, "status")
        return {f["name"]: f["value"] for f in reply["embeds"][0]["fields"]}["Language"]

    assert await language() == "Deutsch (CROSSTALK_LANGUAGE)"
    await admin_call(fake, "settings", [{"name": "language", "type": 3, "value": "English"}])
    assert await language() == "English"


@pytest.mark.asyncio
async def test_commands_are_registered_once_and_admin_group_needs_manage_server(fake, bots):
    start, stop = bots
    await stop(await start())
    await start()  # same commands, same database: no second sync
    syncs = [r for r in fake.requests if r.route == f"PUT /applications/{fake.app_id}/commands"]
    assert len(syncs) == 1
    commands = {c["name"]: c for c in syncs[0].json}
    assert set(commands) == {"summarize", "ask", "crosstalk", "Summarize discussion"}
    assert int(commands["crosstalk"]["default_member_permissions"]) == MANAGE_GUILD
    assert commands["Summarize discussion"]["type"] == 3
    assert all(c["contexts"] == [0] for c in commands.values()), "servers only"
    assert {o["name"] for o in commands["crosstalk"]["options"]} == {
        "channels",
        "settings",
        "status",
    }
    summarize = {o["name"]: o for o in commands["summarize"]["options"]}
    assert list(summarize) == ["text", "file", "url", "history", "private"]
    assert summarize["file"]["type"] == 11 and summarize["history"]["max_value"] == 500
    assert commands["summarize"]["description"].startswith("Map the debate")


@pytest.mark.asyncio
async def test_reset_forgets_a_channel_rule(fake, bots):
    start, _ = bots
    bot = await start()
    await admin_call(fake, "channels", [{"name": "action", "type": 3, "value": "block"}])
    assert (await bot.store.channel_policy(int(fake.guild_id))).blocked
    reply = await admin_call(fake, "channels", [{"name": "action", "type": 3, "value": "reset"}])
    assert "follows the server's rules again" in reply["content"]
    assert "Blocked: none" in reply["content"]


@pytest.mark.asyncio
async def test_a_server_limit_above_the_operators_is_refused(fake, bots):
    start, _ = bots
    bot = await start()  # the operator's CROSSTALK_MAX_INPUT_BYTES: 5 MB by default
    reply = await admin_call(fake, "settings", [{"name": "max_input_kb", "type": 4, "value": 6000}])
    assert "caps inputs at 5,000 KB" in reply["content"]
    assert (await bot.store.guild_settings(int(fake.guild_id))).max_input_bytes == 2_000_000
    reply = await admin_call(fake, "settings", [{"name": "max_input_kb", "type": 4, "value": 5000}])
    assert reply["embeds"], "up to the operator's limit is fine"
    assert (await bot.store.guild_settings(int(fake.guild_id))).max_input_bytes == 5_000_000
    no_mentions_anywhere(fake)
