"""/summarize end to end against the fake Discord: each input, the modal, the context menu,
privacy, progress, the thread, the picture, and the safety rules on every message."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace

import pytest
from checks import (
    EPHEMERAL,
    answered_privately,
    deferred_in_time,
    embeds_within_limits,
    final_edit,
    graph_attached,
    no_mentions_anywhere,
    wait_thread_intro,
)
from fake_discord import FakeDiscord


def text_option(value: str) -> list[dict[str, object]]:
    return [{"name": "text", "type": 3, "value": value}]


def seed_history(fake: FakeDiscord) -> list[dict[str, object]]:
    """A channel conversation with Discord reply references."""
    a, b, c = fake.admin, fake.member, fake.owner
    m1 = fake.user_message("Remote work makes teams more productive, the data is clear.", who=a)
    m2 = fake.user_message(
        "It hurts juniors though, they learn less without seniors nearby.", who=b, reply_to=m1["id"]
    )
    m3 = fake.user_message(
        "Mentoring works fine over video if you plan it.", who=a, reply_to=m2["id"]
    )
    m4 = fake.user_message("@everyone offices are for meetings now, not for focus.", who=c)
    m5 = fake.user_message(
        "Planned mentoring is not the same as overhearing.", who=b, reply_to=m3["id"]
    )
    m6 = fake.user_message("Agreed, and hybrid gets the worst of both.", who=c, reply_to=m5["id"])
    return [m1, m2, m3, m4, m5, m6]


@pytest.mark.asyncio
async def test_text_option_posts_the_map_and_opens_a_thread(fake, bots, debate_text):
    start, _ = bots
    bot = await start()
    iid, token = await fake.slash("summarize", text_option(debate_text))
    thread_id = await wait_thread_intro(fake)

    deferred_in_time(fake, iid, token)
    final = final_edit(fake, token)
    assert final.json["embeds"], "the map is sent as embeds"
    assert final.json.get("content") in (None, "")
    opened = next(r for r in fake.requests if r.path.endswith("/threads"))
    assert (
        opened.path
        == f"/channels/{fake.channel_id}/messages/{fake.interactions[token]['original']}/threads"
    )
    assert "Should cities ban cars" in opened.json["name"]
    assert len(opened.json["name"]) <= 100
    report = await bot.store.report_for_thread(int(thread_id))
    assert report is not None
    assert [c.author for c in report.discussion.comments][:2] == ["alice", "bob"]
    assert no_mentions_anywhere(fake) >= 2
    assert embeds_within_limits(fake) >= 1


@pytest.mark.asyncio
async def test_history_uses_reply_references_and_attaches_the_graph(fake, bots):
    start, _ = bots
    bot = await start(message_content=True)
    seeded = seed_history(fake)
    iid, token = await fake.slash("summarize", [{"name": "history", "type": 4, "value": 6}])
    thread_id = await wait_thread_intro(fake)

    deferred_in_time(fake, iid, token)
    read = next(r for r in fake.requests if r.route == f"GET /channels/{fake.channel_id}/messages")
    assert read.query["limit"] == "6"
    report = await bot.store.report_for_thread(int(thread_id))
    assert report is not None
    by_id = {c.id: c for c in report.discussion.comments}
    assert len(by_id) == 6
    assert by_id[str(seeded[1]["id"])].parent_id == str(seeded[0]["id"])
    assert by_id[str(seeded[5]["id"])].parent_id == str(seeded[4]["id"])
    assert by_id[str(seeded[3]["id"])].parent_id is None
    graph_attached(fake, token)
    assert no_mentions_anywhere(fake) >= 2
    embeds_within_limits(fake)


@pytest.mark.asyncio
async def test_history_without_content_intent_says_what_to_enable(fake, bots):
    start, _ = bots
    await start()
    for m in seed_history(fake):
        m["content"] = ""  # what Discord sends without the Message Content intent
    _, token = await fake.slash("summarize", [{"name": "history", "type": 4, "value": 6}])
    edit = await fake.wait_for(lambda r: r.method == "PATCH" and token in r.path)
    assert edit.json["content"].startswith("⚠️")
    assert "Message Content intent" in edit.json["content"]
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_file_option_reads_the_attachment(fake, bots, debate_text):
    start, _ = bots
    bot = await start()
    att = fake.attachment(fake.snowflake(), "cars.txt", debate_text.encode())
    options = [{"name": "file", "type": 11, "value": att["id"]}]
    iid, token = await fake.slash("summarize", options, resolved={"attachments": {att["id"]: att}})
    thread_id = await wait_thread_intro(fake)
    deferred_in_time(fake, iid, token)
    assert any(r.route == f"GET /cdn/{att['id']}-cars.txt" for r in fake.requests)
    report = await bot.store.report_for_thread(int(thread_id))
    assert report is not None and report.discussion.article.title
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_file_of_the_wrong_type_or_size_is_refused_politely(fake, bots, debate_text):
    start, _ = bots
    await start()
    pdf = fake.attachment(fake.snowflake(), "paper.pdf", b"%PDF-1.4")
    _, token = await fake.slash(
        "summarize",
        [{"name": "file", "type": 11, "value": pdf["id"]}],
        resolved={"attachments": {pdf["id"]: pdf}},
    )
    edit = await fake.wait_for(lambda r: r.method == "PATCH" and token in r.path)
    assert edit.json["content"].startswith("⚠️") and ".txt" in edit.json["content"]
    assert not any(r.path.startswith("/cdn/") for r in fake.requests), "not downloaded"

    big = fake.attachment(fake.snowflake(), "big.txt", debate_text.encode())
    big["size"] = 3_000_000  # over the default 2 MB per-server limit
    _, token = await fake.slash(
        "summarize",
        [{"name": "file", "type": 11, "value": big["id"]}],
        resolved={"attachments": {big["id"]: big}},
    )
    edit = await fake.wait_for(lambda r: r.method == "PATCH" and token in r.path)
    assert "too large" in edit.json["content"]
    assert not any(r.path.startswith("/cdn/") for r in fake.requests)


@pytest.mark.asyncio
async def test_url_option_fetches_the_link(fake, bots, reddit_site):
    start, _ = bots
    bot = await start()
    iid, token = await fake.slash(
        "summarize", [{"name": "url", "type": 3, "value": reddit_site.url}]
    )
    thread_id = await wait_thread_intro(fake)
    deferred_in_time(fake, iid, token)
    assert reddit_site.seen == ["/thread.json"]
    report = await bot.store.report_for_thread(int(thread_id))
    assert report is not None and len(report.discussion.comments) > 20
    assert len(graph_attached(fake, token)) > 10_000
    no_mentions_anywhere(fake)
    embeds_within_limits(fake)


@pytest.mark.asyncio
async def test_context_menu_on_a_message_with_a_link_fetches_it(fake, bots, reddit_site):
    start, _ = bots
    bot = await start()
    target = fake.user_message(f"look at this thread {reddit_site.url}")
    data = {
        "id": fake.snowflake(),
        "name": "Summarize discussion",
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    await fake.interact(data)
    thread_id = await wait_thread_intro(fake)
    assert reddit_site.seen == ["/thread.json"]
    report = await bot.store.report_for_thread(int(thread_id))
    assert report is not None and report.discussion.article.title
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_no_input_opens_the_modal_and_its_submission_is_summarized(fake, bots, debate_text):
    start, _ = bots
    bot = await start()
    _, token = await fake.slash("summarize", [])
    cb = await fake.wait_for(lambda r: r.path.endswith(f"{token}/callback"))
    assert cb.json["type"] == 9  # MODAL
    modal = cb.json["data"]
    inputs = []
    for row in modal["components"]:
        inner = row["components"] if row["type"] == 1 else [row["component"]]
        inputs += [(row["type"], c) for c in inner if c["type"] == 4]
    assert len(inputs) == 5
    assert all(c["max_length"] == 4000 and c["style"] == 2 for _, c in inputs)

    half = len(debate_text) // 2
    cut = debate_text.index("\n", half)
    values = [debate_text[:cut], debate_text[cut + 1 :], "", "", ""]
    rows = []
    for (row_type, c), value in zip(inputs, values, strict=True):
        item = {"type": 4, "custom_id": c["custom_id"], "value": value}
        rows.append(
            {"type": 1, "components": [item]} if row_type == 1 else {"type": 18, "component": item}
        )
    iid, token = await fake.interact({"custom_id": modal["custom_id"], "components": rows}, kind=5)
    thread_id = await wait_thread_intro(fake)
    deferred_in_time(fake, iid, token)
    report = await bot.store.report_for_thread(int(thread_id))
    assert report is not None
    assert "fund the buses first" in report.discussion.comments[-1].text
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_context_menu_summarizes_the_message(fake, bots, debate_text):
    start, _ = bots
    bot = await start()
    target = fake.user_message(debate_text)
    data = {
        "id": fake.snowflake(),
        "name": "Summarize discussion",
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    iid, token = await fake.interact(data)
    thread_id = await wait_thread_intro(fake)
    deferred_in_time(fake, iid, token)
    report = await bot.store.report_for_thread(int(thread_id))
    assert report is not None and len(report.discussion.comments) >= 5
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_private_summary_is_ephemeral_and_opens_no_thread(fake, bots, debate_text):
    start, _ = bots
    await start()
    options = [*text_option(debate_text), {"name": "private", "type": 5, "value": True}]
    iid, token = await fake.slash("summarize", options)
    await fake.wait_for(lambda r: r.method == "PATCH" and token in r.path and r.json.get("embeds"))
    deferred_in_time(fake, iid, token, ephemeral=True)
    followups = [r for r in fake.for_token(token) if r.method == "POST" and "webhooks" in r.path]
    assert all(int(r.json.get("flags") or 0) & EPHEMERAL for r in followups)
    await asyncio.sleep(0.2)
    assert not any(r.path.endswith("/threads") for r in fake.requests)
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_progress_is_shown_by_editing_the_reply(fake, bots, debate_text):
    start, _ = bots
    await start(progress_delay=0.0)
    _, token = await fake.slash("summarize", text_option(debate_text))
    await wait_thread_intro(fake)
    edits = [r.json for r in fake.for_token(token) if r.method == "PATCH"]
    statuses = [e["content"] for e in edits if not e.get("embeds")]
    assert statuses and all(s.endswith("…") for s in statuses)
    assert edits[-1].get("embeds"), "the map replaces the progress line"
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_work_outliving_the_token_is_posted_in_the_channel(fake, bots, debate_text):
    start, _ = bots
    bot = await start()
    fourteen_and_a_half_minutes_ago = time.time() * 1000 - 14.5 * 60 * 1000
    _, token = await fake.slash(
        "summarize", text_option(debate_text), created_ms=fourteen_and_a_half_minutes_ago
    )
    thread_id = await wait_thread_intro(fake)
    posted = [
        r
        for r in fake.requests
        if r.route == f"POST /channels/{fake.channel_id}/messages" and r.json.get("embeds")
    ]
    assert posted, "the map went to the channel"
    assert f"<@{fake.member['id']}>" in posted[0].json["content"]
    ping_only_the_member = {"parse": [], "users": [int(fake.member["id"])]}
    assert posted[0].json["allowed_mentions"] == ping_only_the_member, "they are notified"
    assert not [r for r in fake.for_token(token) if r.method == "PATCH" and r.json.get("embeds")]
    assert await bot.store.report_for_thread(int(thread_id)) is not None
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_late_private_work_and_late_failures_reach_the_member(fake, bots, debate_text):
    start, _ = bots
    await start()
    late = time.time() * 1000 - 14.5 * 60 * 1000
    options = [*text_option(debate_text), {"name": "private", "type": 5, "value": True}]
    await fake.slash("summarize", options, created_ms=late)
    dm = await fake.wait_for(lambda r: r.route == f"POST /channels/{fake.dm_channel_id}/messages")
    assert dm.json["embeds"], "a private map outliving its token goes to the member's DMs"
    opened = next(r for r in fake.requests if r.route == "POST /users/@me/channels")
    assert str(opened.json["recipient_id"]) == fake.member["id"]

    await fake.slash("summarize", text_option("no comments here"), created_ms=late)
    failed = await fake.wait_for(
        lambda r: (
            r.route == f"POST /channels/{fake.channel_id}/messages"
            and "could not be made" in (r.json.get("content") or "")
        )
    )
    assert f"<@{fake.member['id']}>" in failed.json["content"]
    assert failed.json["allowed_mentions"] == {"parse": [], "users": [int(fake.member["id"])]}
    assert not any(r.path.endswith("/threads") for r in fake.requests)
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_bad_input_gets_a_clear_message_and_the_bot_carries_on(fake, bots, debate_text):
    start, _ = bots
    await start()
    _, token = await fake.slash("summarize", text_option("just one line, no comments"))
    edit = await fake.wait_for(lambda r: r.method == "PATCH" and token in r.path)
    assert edit.json["content"].startswith("⚠️ ")
    _, token = await fake.slash(
        "summarize", [*text_option(debate_text), {"name": "url", "type": 3, "value": "x"}]
    )
    await fake.wait_for(lambda r: r.path.endswith(f"{token}/callback"))
    assert "one input at a time" in answered_privately(fake, token)
    back = await fake.wait_for(
        lambda r: token in r.path and any(n == "your-paste.txt" for _, n, _ in r.files)
    )
    assert [data for _, n, data in back.files if n == "your-paste.txt"] == [debate_text.encode()]
    assert back.json["flags"] & 64  # only the author sees it
    _, token = await fake.slash("summarize", text_option(debate_text))
    await wait_thread_intro(fake)


@pytest.mark.asyncio
async def test_an_unexpected_failure_is_logged_with_context_not_token(
    fake, bots, debate_text, caplog, monkeypatch
):
    start, _ = bots
    bot = await start()

    def broken(_guild):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(bot, "engine_for", broken)
    caplog.set_level("INFO", logger="bot")
    _, token = await fake.slash("summarize", text_option(debate_text))
    edit = await fake.wait_for(lambda r: r.method == "PATCH" and token in r.path)
    assert "Sorry, something went wrong" in edit.json["content"]
    assert "engine exploded" not in edit.json["content"]
    failure = next(r for r in caplog.records if r.name.startswith("bot.") and r.exc_info)
    assert f"guild={fake.guild_id}" in failure.getMessage()
    assert f"channel={fake.channel_id}" in failure.getMessage()
    assert "command='summarize'" in failure.getMessage()
    assert token not in caplog.text and "fake-token" not in caplog.text
    monkeypatch.delattr(bot, "engine_for")  # the real method again
    _, token = await fake.slash("summarize", text_option(debate_text))
    await wait_thread_intro(fake)


@pytest.mark.asyncio
async def test_deferral_within_3s_under_load_and_a_full_queue_says_so(fake, bots, debate_text):
    start, _ = bots
    await start(workers=1, queue_size=1, message_content=True)
    seed_history(fake)
    fake.history_delay = 1.0  # the first job holds the only worker for a second
    sent = []
    for _ in range(4):  # one after the other, each while the first still holds the worker
        iid, token = await fake.slash("summarize", [{"name": "history", "type": 4, "value": 6}])
        await fake.wait_for(lambda r, t=token: r.path.endswith(f"{t}/callback"))
        deferred_in_time(fake, iid, token)
        sent.append((iid, token))
    contents = []
    for _, token in sent:
        edit = await fake.wait_for(lambda r, t=token: r.method == "PATCH" and t in r.path)
        contents.append(edit.json.get("content") or "")
    assert sum("busy" in c for c in contents) == 2, contents
    assert any(c.startswith("Queued: 1 summary ahead") for c in contents), contents
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_a_refused_thread_leaves_the_map_in_place(fake, bots, debate_text, caplog):
    start, _ = bots
    await start()
    fake.refuse_threads = True
    _, token = await fake.slash("summarize", text_option(debate_text))
    note = await fake.wait_for(
        lambda r: (
            r.method == "POST"
            and "webhooks" in r.path
            and token in r.path
            and "could not open a thread" in (r.json.get("content") or "")
        )
    )
    assert int(note.json["flags"]) & EPHEMERAL
    edits = [r for r in fake.for_token(token) if r.method == "PATCH"]
    assert edits[-1].json["embeds"], "the map was not replaced by an error"
    assert any("could not store the report or open its thread" in r.message for r in caplog.records)
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_an_unreadable_paste_comes_back_to_its_author(fake, bots):
    start, _ = bots
    await start()
    paste = "Just a few thoughts of mine, with nobody answering anybody at all."
    iid, token = await fake.slash("summarize", [{"name": "text", "type": 3, "value": paste}])
    back = await fake.wait_for(
        lambda r: any(name == "your-paste.txt" for _, name, _ in r.files), timeout=10
    )
    assert back.path.startswith("/webhooks/") and token in back.path
    assert [data for _, name, data in back.files if name == "your-paste.txt"] == [paste.encode()]
    assert back.json["flags"] & 64  # ephemeral: only the author sees it
    assert back.json["allowed_mentions"] == {"parse": []}
    deferred_in_time(fake, iid, token)
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_a_paste_obeys_the_operator_limit_below_the_servers(
    fake, bots, bot_settings, debate_text
):
    start, _ = bots
    bot = await start(replace(bot_settings, max_input_bytes=600))  # the paste is 797 bytes
    assert (await bot.store.guild_settings(int(fake.guild_id))).max_input_bytes > 600
    _, token = await fake.slash("summarize", text_option(debate_text))
    await fake.wait_for(lambda r: any(n == "your-paste.txt" for _, n, _ in r.files))
    refused = [r.json.get("content") or "" for r in fake.for_token(token) if r.method == "PATCH"]
    assert any("too large" in c for c in refused), refused
    assert not any(r.path.endswith("/threads") for r in fake.requests)


@pytest.mark.asyncio
async def test_a_link_obeys_the_servers_limit(fake, bots, reddit_site):
    start, _ = bots
    bot = await start()  # the operator allows 5 MB; the server only 10 KB; the page is 65 KB
    await bot.store.update_guild_settings(int(fake.guild_id), max_input_bytes=10_000)
    _, token = await fake.slash("summarize", [{"name": "url", "type": 3, "value": reddit_site.url}])
    edit = await fake.wait_for(
        lambda r: r.method == "PATCH" and token in r.path and "⚠️" in (r.json.get("content") or "")
    )
    assert "larger than" in edit.json["content"]
    assert reddit_site.seen == ["/thread.json"]
    assert not any(r.path.endswith("/threads") for r in fake.requests)


def seed_long_history(fake: FakeDiscord, n: int, size: int) -> list[dict[str, object]]:
    """`n` messages of about `size` bytes each, by two members taking turns."""
    seeded = []
    for k in range(n):
        who = fake.admin if k % 2 else fake.member
        filler = " ".join(["agents earn their fee" if k % 2 else "fees are too high"] * size)
        seeded.append(fake.user_message(f"Message {k + 1}: {filler}"[:size], who=who))
    return seeded


@pytest.mark.asyncio
async def test_history_keeps_the_newest_messages_that_fit_the_input_limit(fake, bots):
    start, _ = bots
    bot = await start(message_content=True)
    await bot.store.update_guild_settings(int(fake.guild_id), max_input_bytes=5_000)
    seeded = seed_long_history(fake, 12, 900)  # 12 × ~905 bytes: only the newest 5 fit
    _, token = await fake.slash("summarize", [{"name": "history", "type": 4, "value": 12}])
    thread_id = await wait_thread_intro(fake)
    report = await bot.store.report_for_thread(int(thread_id))
    assert report is not None
    kept = [c.id for c in report.discussion.comments]
    assert kept == [str(m["id"]) for m in seeded[-5:]]
    read = sum(
        len(c.author.encode()) + 2 + len(c.text.encode()) + 1 for c in report.discussion.comments
    )
    assert read <= 5_000
    note = [w for w in report.discussion.warnings if "input limit" in w]
    assert note == [
        "Only the newest 5 messages were read (5 KB): the 12 asked for are more than the "
        "input limit here (5 KB)."
    ]
    shown = " ".join(
        json.dumps(r.json.get("embeds")) for r in fake.for_token(token) if isinstance(r.json, dict)
    )
    assert "Only the newest 5 messages were read" in shown
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_history_whose_newest_messages_exceed_the_limit_is_refused(fake, bots):
    start, _ = bots
    bot = await start(message_content=True)
    await bot.store.update_guild_settings(int(fake.guild_id), max_input_bytes=1_000)
    seed_long_history(fake, 6, 900)  # only the newest message fits: no conversation
    _, token = await fake.slash("summarize", [{"name": "history", "type": 4, "value": 6}])
    edit = await fake.wait_for(
        lambda r: r.method == "PATCH" and token in r.path and "⚠️" in (r.json.get("content") or "")
    )
    assert edit.json["content"] == (
        "⚠️ The newest messages here are longer than the input limit allows (1 KB): only 1 of "
        "them fits, and a map needs at least 2."
    )
    assert not any(r.path.endswith("/threads") for r in fake.requests)


@pytest.mark.asyncio
async def test_history_obeys_the_operator_limit_below_the_servers(fake, bots, bot_settings):
    start, _ = bots
    bot = await start(replace(bot_settings, max_input_bytes=2_000), message_content=True)
    assert (await bot.store.guild_settings(int(fake.guild_id))).max_input_bytes > 2_000
    seeded = seed_long_history(fake, 6, 900)
    await fake.slash("summarize", [{"name": "history", "type": 4, "value": 6}])
    thread_id = await wait_thread_intro(fake)
    report = await bot.store.report_for_thread(int(thread_id))
    assert report is not None
    assert [c.id for c in report.discussion.comments] == [str(m["id"]) for m in seeded[-2:]]
