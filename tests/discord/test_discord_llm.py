"""The bot with a language model configured: the map comes from the LLM engine, questions in
the thread are answered by the model, and /crosstalk status checks the model server. The model
is the LLM helper's fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from checks import ask_in_thread, no_mentions_anywhere, status_card, wait_thread_intro

from bot.engines.base import ContextWindow
from tests.llm.fake_server import FakeLLMServer


async def status_fields(fake) -> dict[str, str]:
    """An admin's `/crosstalk status`, answered: its card's fields by name."""
    return (await status_card(fake))[0]


@pytest.mark.asyncio
async def test_map_and_answers_come_from_the_model(fake, bots, bot_settings, debate_text):
    start, _ = bots
    async with FakeLLMServer() as llm:
        settings = dataclasses.replace(
            bot_settings, llm_base_url=llm.base_url, llm_model="fake-model"
        )
        bot = await start(settings)
        await fake.slash("summarize", [{"name": "text", "type": 3, "value": debate_text}])
        thread_id = await wait_thread_intro(fake)
        report = await bot.store.report_for_thread(int(thread_id))
        assert report is not None and report.engine == "llm:fake-model"
        calls_for_map = len(llm.requests)
        assert calls_for_map >= 1 and all(r["model"] == "fake-model" for r in llm.requests)

        asked = await fake.post_message(
            f"<@{fake.app_id}> what about disabled drivers?",
            channel_id=thread_id,
            mentions=[fake.bot_user],
        )
        reply = await fake.wait_for(
            lambda r: (
                isinstance(r.json, dict)
                and str((r.json.get("message_reference") or {}).get("message_id")) == asked["id"]
            )
        )
        assert len(llm.requests) == calls_for_map + 1
        prompt = " ".join(m["content"] for m in llm.requests[-1]["messages"])
        assert "what about disabled drivers?" in prompt
        assert reply.json["embeds"]

        fields = await status_fields(fake)
    assert fields["Engine health"].startswith(f"fake-model at {llm.base_url}: reachable")
    no_mentions_anywhere(fake)


@pytest.mark.asyncio
async def test_status_reports_an_unreachable_model_server(fake, bots, bot_settings):
    start, _ = bots
    async with FakeLLMServer() as llm:
        gone = llm.base_url
    settings = dataclasses.replace(bot_settings, llm_base_url=gone, llm_model="fake-model")
    await start(settings)
    fields = await status_fields(fake)
    assert "unreachable" in fields["Engine health"]


@pytest.mark.asyncio
async def test_llm_concurrency_bounds_the_whole_bot_however_servers_spell_it(
    fake, bots, bot_settings, debate_text
):
    """Three Discord servers: one on "auto", one on "llm" naming LLM_MODEL, one on another
    model of the same model server. Analysing in all three at once never holds more than
    LLM_CONCURRENCY requests at the model server."""
    from bot.core.thread import build_thread
    from bot.ingest.reader import read_discussion
    from bot.store import GuildSettings

    start, _ = bots
    async with FakeLLMServer(latency=0.2) as llm:
        settings = dataclasses.replace(
            bot_settings, llm_base_url=llm.base_url, llm_model="fake-model", llm_concurrency=1
        )
        bot = await start(settings)
        auto = bot.engine_for(GuildSettings(guild_id=1, engine="auto"))
        named = bot.engine_for(GuildSettings(guild_id=2, engine="llm", model="fake-model"))
        other = bot.engine_for(GuildSettings(guild_id=3, engine="llm", model="other-model"))
        assert named is auto  # one engine (and what it learnt) for one model
        assert other is not auto and other.name == "llm:other-model"
        assert bot.engine_for(GuildSettings(guild_id=4, engine="offline")).name == "offline"
        thread = build_thread(read_discussion(debate_text.encode()))
        reports = await asyncio.gather(*(e.analyze(thread) for e in (auto, named, other)))
    assert [r.engine for r in reports] == ["llm:fake-model", "llm:fake-model", "llm:other-model"]
    assert len(llm.requests) >= 6
    assert llm.max_in_flight == 1


async def llm_status(
    fake, start, bot_settings, *, context: int, models: list[dict] | None
) -> tuple[dict[str, str], int]:
    """`/crosstalk status` with LLM_CONTEXT_TOKENS=`context` and a model server listing
    `models`: the card's fields and its colour."""
    async with FakeLLMServer(models=models) as llm:
        settings = dataclasses.replace(
            bot_settings,
            llm_base_url=llm.base_url,
            llm_model="fake-model",
            llm_context_tokens=context,
        )
        await start(settings)
        return await status_card(fake)


@pytest.mark.asyncio
async def test_status_shows_the_context_window_the_engine_plans_with(fake, bots, bot_settings):
    start, _ = bots
    fields, colour = await llm_status(fake, start, bot_settings, context=6000, models=None)
    assert fields["Context window"] == "6,000 tokens (LLM_CONTEXT_TOKENS)"
    assert colour == 0x57F287


@pytest.mark.parametrize(
    ("served", "shown"),
    [
        # Smaller: the engine learns it when asked for the card, before any analysis.
        (
            [{"id": "fake-model", "max_model_len": 4096}, {"id": "other", "max_model_len": 99}],
            "4,096 tokens (the server's window for fake-model; LLM_CONTEXT_TOKENS is 8,192)",
        ),
        (
            [{"id": "fake-model", "context_length": 32768}],
            "8,192 tokens (LLM_CONTEXT_TOKENS); the server allows fake-model 32,768",
        ),
    ],
)
@pytest.mark.asyncio
async def test_status_shows_the_window_the_engine_plans_with_and_the_servers(
    fake, bots, bot_settings, served, shown
):
    start, _ = bots
    fields, colour = await llm_status(fake, start, bot_settings, context=8192, models=served)
    assert fields["Context window"] == shown
    assert fields["Engine health"].endswith(": reachable")
    assert colour == 0x57F287


@pytest.mark.asyncio
async def test_status_of_the_offline_engine_has_no_context_window(fake, bots, bot_settings):
    start, _ = bots
    await start(bot_settings)
    fields = await status_fields(fake)
    assert fields["Engine health"].startswith("offline engine")
    assert "Context window" not in fields


@pytest.mark.asyncio
async def test_the_engine_plans_with_the_servers_smaller_window(
    fake, bots, bot_settings, debate_text
):
    """The engine learns the server's 4,096 on its first analysis (one GET /v1/models), says
    so in that report, answers keep within it, and the status card shows it."""
    start, stop = bots
    served = [{"id": "fake-model", "max_model_len": 4096}]
    async with FakeLLMServer(models=served) as llm:
        settings = dataclasses.replace(
            bot_settings, llm_base_url=llm.base_url, llm_model="fake-model"
        )
        assert settings.llm_context_tokens == 8192
        bot = await start(settings)
        await fake.slash("summarize", [{"name": "text", "type": 3, "value": debate_text}])
        thread_id = await wait_thread_intro(fake)
        report = await bot.store.report_for_thread(int(thread_id))
        assert report is not None and report.engine == "llm:fake-model"
        assert (
            "The model server allows fake-model only 4,096 tokens of context: "
            "LLM_CONTEXT_TOKENS (8,192) is lowered to that."
        ) in report.warnings
        assert llm.model_lists == 1
        analysed = len(llm.requests)

        assert (await ask_in_thread(fake, thread_id, "what about disabled drivers?"))["embeds"]
        assert len(llm.requests) == analysed + 1  # answered by the model
        assert llm.model_lists == 1  # learnt once
        gs = await bot.store.guild_settings(int(fake.guild_id))  # what the bot uses
        engine = bot.engine_for(gs)
        assert engine.context_window == ContextWindow("fake-model", planned=4096, configured=8192)
        assert engine.chat.context_tokens == 4096  # answers are cut to it too
        fields, colour = await status_card(fake)
        assert llm.model_lists == 2  # the card's own check of the server
    assert fields["Context window"] == (
        "4,096 tokens (the server's window for fake-model; LLM_CONTEXT_TOKENS is 8,192)"
    )
    assert colour == 0x57F287
    await stop(bot)


@pytest.mark.asyncio
async def test_after_a_restart_an_answer_may_learn_the_window_first(
    fake, bots, bot_settings, debate_text
):
    start, stop = bots
    served = [{"id": "fake-model", "max_model_len": 4096}]
    async with FakeLLMServer(models=served) as llm:
        settings = dataclasses.replace(
            bot_settings, llm_base_url=llm.base_url, llm_model="fake-model"
        )
        first = await start(settings)
        await fake.slash("summarize", [{"name": "text", "type": 3, "value": debate_text}])
        thread_id = await wait_thread_intro(fake)
        await stop(first)
        assert llm.model_lists == 1

        bot = await start(settings)  # nothing in memory: its engine has not learnt the window
        gs = await bot.store.guild_settings(int(fake.guild_id))  # what the bot uses
        engine = bot.engine_for(gs)
        assert engine.context == 8192 and engine.chat.context_tokens == 8192
        assert (await ask_in_thread(fake, thread_id, "what about disabled drivers?"))["embeds"]
        assert llm.model_lists == 2
        assert engine.context == 4096 and engine.chat.context_tokens == 4096
        answer = llm.requests[-1]
        assert answer["response_format"]["json_schema"]["name"] == "answer"
        assert answer["max_tokens"] <= 600

        await fake.slash("summarize", [{"name": "text", "type": 3, "value": debate_text}])
        opened = await fake.wait_for(
            lambda r: (
                r.method == "POST"
                and r.path.endswith("/threads")
                and r.path.split("/")[4] != thread_id
            )
        )
        second = opened.path.split("/")[4]
        await fake.wait_for(
            lambda r: r.method == "POST" and r.path == f"/channels/{second}/messages"
        )
        report = await bot.store.report_for_thread(int(second))
        assert llm.model_lists == 2
    assert report is not None and report.engine == "llm:fake-model"
    assert any(
        w.startswith("The model server allows fake-model only 4,096") for w in report.warnings
    )
