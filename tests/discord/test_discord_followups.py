"""Follow-up questions in the summary's thread: mentions, /ask, message-content mode, and a
restart in between (a new bot on the same database still answers)."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from checks import (
    EPHEMERAL,
    deferred_in_time,
    embeds_within_limits,
    no_mentions_anywhere,
    wait_thread_intro,
)
from fake_discord import FakeDiscord


async def summarize_and_get_thread(fake: FakeDiscord, text: str) -> str:
    await fake.slash("summarize", [{"name": "text", "type": 3, "value": text}])
    return await wait_thread_intro(fake)


def replies_to(fake: FakeDiscord, thread_id: str, message_id: str) -> list[dict]:
    return [
        r.json
        for r in fake.requests
        if r.route == f"POST /channels/{thread_id}/messages"
        and str((r.json.get("message_reference") or {}).get("message_id")) == message_id
    ]


@pytest.mark.asyncio
@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_question_in_the_thread_is_answered_after_a_restart(
    fake, bots, bot_settings, debate_text, database, request
):
    start, stop = bots
    settings = bot_settings
    if database == "postgres":
        url = request.getfixturevalue("postgres_server").new_database()
        settings = dataclasses.replace(bot_settings, db_path=url)
    first = await start(settings)
    thread_id = await summarize_and_get_thread(fake, debate_text)
    await stop(first)

    await start(settings)  # a new process: same database, nothing in memory
    # the commands were registered once: their fingerprint is in the database
    assert len([r for r in fake.requests if r.method == "PUT" and "/commands" in r.path]) == 1
    mention = f"<@{fake.app_id}>"
    question = await fake.post_message(
        f"{mention} what did people say about Oslo?",
        channel_id=thread_id,
        mentions=[fake.bot_user],
    )
    await fake.wait_for(
        lambda r: (
            r.route == f"POST /channels/{thread_id}/messages"
            and str((r.json.get("message_reference") or {}).get("message_id")) == question["id"]
        )
    )
    (reply,) = replies_to(fake, thread_id, question["id"])
    text = " ".join(e.get("description") or "" for e in reply["embeds"])
    assert "Oslo" in text and "#" in text  # quotes the matching comments with their numbers
    assert any(r.route == f"POST /channels/{thread_id}/typing" for r in fake.requests)
    no_mentions_anywhere(fake)
    embeds_within_limits(fake)


@pytest.mark.asyncio
async def test_without_content_intent_only_mentions_are_answered(fake, bots, debate_text):
    start, _ = bots
    await start()
    thread_id = await summarize_and_get_thread(fake, debate_text)
    chatter = await fake.post_message("nice summary", channel_id=thread_id)
    asked = await fake.post_message(
        f"<@{fake.app_id}> who talked about buses?", channel_id=thread_id, mentions=[fake.bot_user]
    )
    await fake.wait_for(
        lambda r: (
            isinstance(r.json, dict)
            and str((r.json.get("message_reference") or {}).get("message_id")) == asked["id"]
        )
    )
    await asyncio.sleep(0.2)
    assert not replies_to(fake, thread_id, chatter["id"])
    # and a mention outside any summary thread is ignored
    await fake.post_message(f"<@{fake.app_id}> hello", mentions=[fake.bot_user])
    await asyncio.sleep(0.2)
    assert not [r for r in fake.requests if r.route == f"POST /channels/{fake.channel_id}/messages"]


@pytest.mark.asyncio
async def test_with_content_intent_every_message_in_the_thread_is_a_question(
    fake, bots, debate_text
):
    start, _ = bots
    await start(message_content=True)
    thread_id = await summarize_and_get_thread(fake, debate_text)
    assert fake.identify[-1]["intents"] & (1 << 15), "MESSAGE_CONTENT intent requested"
    asked = await fake.post_message("who talked about buses?", channel_id=thread_id)
    await fake.wait_for(
        lambda r: (
            isinstance(r.json, dict)
            and str((r.json.get("message_reference") or {}).get("message_id")) == asked["id"]
        )
    )
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_ask_command_in_the_thread_and_outside(fake, bots, debate_text):
    start, _ = bots
    await start()
    thread_id = await summarize_and_get_thread(fake, debate_text)
    iid, token = await fake.slash(
        "ask",
        [{"name": "question", "type": 3, "value": "What about disabled drivers?"}],
        channel_id=thread_id,
    )
    answer = await fake.wait_for(
        lambda r: r.method == "POST" and "webhooks" in r.path and token in r.path
    )
    deferred_in_time(fake, iid, token)
    assert answer.json["content"].startswith("> What about disabled drivers?")
    assert answer.json["embeds"]
    _, token = await fake.slash("ask", [{"name": "question", "type": 3, "value": "anything?"}])
    refusal = await fake.wait_for(
        lambda r: r.method == "POST" and "webhooks" in r.path and token in r.path
    )
    assert int(refusal.json["flags"]) & EPHEMERAL and "inside the thread" in refusal.json["content"]
    deleted = [r for r in fake.for_token(token) if r.method == "DELETE"]
    assert deleted and deleted[0].path.endswith("/messages/@original"), "no public leftover"
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_an_unexpected_ask_failure_is_apologised_for_privately(
    fake, bots, debate_text, monkeypatch
):
    async def broken(*args: object) -> list:
        raise RuntimeError("the engine fell over")

    start, _ = bots
    bot = await start()
    thread_id = await summarize_and_get_thread(fake, debate_text)
    monkeypatch.setattr(bot.get_cog("Ask"), "_answer", broken)
    _, token = await fake.slash(
        "ask", [{"name": "question", "type": 3, "value": "Who won?"}], channel_id=thread_id
    )
    apology = await fake.wait_for(
        lambda r: r.method == "POST" and "webhooks" in r.path and token in r.path
    )
    assert int(apology.json["flags"]) & EPHEMERAL, "only the asker sees the apology"
    deleted = [r for r in fake.for_token(token) if r.method == "DELETE"]
    assert deleted and deleted[0].path.endswith("/messages/@original"), "no public leftover"
    assert deleted[0].at <= apology.at, "the public reply goes before the apology comes"
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_the_bot_remembers_threads_without_a_report_and_leaves_reports_to_the_store(
    bot_settings, restore_endpoints
):
    from bot.discord.bot import NO_REPORT_IDS, CrosstalkBot

    report = object()
    asked: list[int] = []
    stored: dict[int, object] = {}

    class Store:
        async def report_for_thread(self, thread_id: int) -> object | None:
            asked.append(thread_id)
            return stored.get(thread_id)

    bot = CrosstalkBot(bot_settings)
    bot.store = Store()  # type: ignore[assignment]
    assert await bot.report_for_thread(5) is None
    assert await bot.report_for_thread(5) is None
    assert asked == [5], "a channel without a report is looked up once"
    stored[5] = report  # a summary posted there later, or its thread attached
    bot.remember_thread(5)
    assert await bot.report_for_thread(5) is report
    assert await bot.report_for_thread(5) is report
    assert asked == [5, 5, 5], "reports are the store's to cache, not the bot's"
    for n in range(NO_REPORT_IDS + 10):
        await bot.report_for_thread(1000 + n)
    assert len(bot._no_report) == NO_REPORT_IDS, "the ids remembered are bounded"
