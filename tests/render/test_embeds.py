import random
import re

import discord
import pytest
from reports import ODD_NAMES, addressed_reply_report, make_report

from bot.core.model import Article, Comment, Discussion, Report
from bot.core.thread import build_thread
from bot.render.embeds import (
    ARGUMENTS_IN_MAP,
    argument_shares,
    embed_size,
    message_with_graph,
    render_answer,
    render_report,
    render_status,
)
from bot.render.palette import SIDE_COLOURS
from bot.render.text import fit, size

RAW_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d")


def texts(embed: discord.Embed) -> list[str]:
    out = [embed.title or "", embed.description or "", embed.footer.text or ""]
    out.append(embed.author.name or "")
    for f in embed.fields:
        out += [f.name or "", f.value or ""]
    return out


def check_message(embeds: list[discord.Embed]) -> None:
    assert 1 <= len(embeds) <= 10
    assert sum(len(e) for e in embeds) <= 6000  # discord.py's own count
    assert sum(embed_size(e) for e in embeds) <= 6000  # UTF-16 units: never less
    for e in embeds:
        assert size(e.title or "") <= 256
        assert size(e.description or "") <= 4096
        assert len(e.fields) <= 25
        for f in e.fields:
            assert 1 <= size(f.name) <= 256
            assert 1 <= size(f.value) <= 1024
        assert size(e.footer.text or "") <= 2048
        assert size(e.author.name or "") <= 256
        for text in texts(e):
            assert not RAW_MENTION.search(text), text
        e.to_dict()  # serialisable as discord.py will send it


def check_all(messages: list[list[discord.Embed]]) -> None:
    assert messages
    for m in messages:
        check_message(m)


def all_text(messages: list[list[discord.Embed]]) -> str:
    return "\n".join(t for m in messages for e in m for t in texts(e))


def test_debate_map_layout(report):
    messages = render_report(report, graph_filename="reply-graph.png")
    check_all(messages)
    embeds = [e for m in messages for e in m]
    head = embeds[0]
    assert head.title == "Cars in cities @\u200beveryone"
    assert head.description == report.headline
    assert head.url == "https://x.test/a"
    assert head.author.name == "Jo"
    assert "60 comments" in head.footer.text and "engine: offline" in head.footer.text
    side_embeds = [e for e in embeds if e.title and " commenters" in e.title]
    assert [e.colour.value for e in side_embeds] == list(SIDE_COLOURS[:3])
    first = side_embeds[0]
    assert "**Stance:**" in first.description and "**Members:**" in first.description
    assert len(first.fields) == 3
    assert "commenter" in first.fields[0].name
    assert "> “" in first.fields[0].value and "(#1, " in first.fields[0].value
    who = next(e for e in embeds if e.title == "Who responded to whom")
    total = sum(i.count for i in report.thread.interactions)
    assert who.description.startswith(f"{total} replies between ")
    side_of: dict[str, int] = {}
    for n, side in enumerate(report.sides):
        for a in side.authors:
            side_of.setdefault(a, n)
    across = sum(
        i.count
        for i in report.thread.interactions
        if {i.source, i.target} <= side_of.keys() and side_of[i.source] != side_of[i.target]
    )
    assert across > 0
    assert who.description.endswith(f", {across} of them across sides.")
    names = [f.name for f in who.fields]
    assert "Main exchanges" in names
    assert "Unanswered arguments (no one from another side answered)" in names
    assert "Cross-side rebuttals" in names
    assert who.image.url == "attachment://reply-graph.png"
    holder = message_with_graph(messages, "reply-graph.png")
    assert holder is not None and who in messages[holder]
    assert message_with_graph(render_report(report), "reply-graph.png") is None
    assert any(e.title == "Reply chains" for e in embeds)
    notes = next(e for e in embeds if e.title == "Side threads and noise")
    assert "Some comments were hidden." in notes.description
    assert notes.fields[0].name == "Off topic: football"


def test_cross_side_rebuttals_are_between_authors_of_different_sides(report):
    embeds = [e for m in render_report(report) for e in m]
    who = next(e for e in embeds if e.title == "Who responded to whom")
    field = next(f for f in who.fields if f.name == "Cross-side rebuttals")
    for row in field.value.splitlines():
        m = re.match(r"• \S+ \((Side \d)\) → \S+ \((Side \d)\): \d+ repl", row)
        if m:
            assert m.group(1) != m.group(2)
    assert field.value.count("•") >= 2


def test_huge_and_odd_report_respects_every_limit():
    report = make_report(
        commenters=400,
        comments=2500,
        sides=7,
        arguments_per_side=300,
        quote_chars=4000,
        names=ODD_NAMES,
    )
    messages = render_report(report)
    check_all(messages)
    text = all_text(messages)
    assert "\\*\\*bold\\*\\*\\_guy\\_" in text  # markdown in names escaped
    assert "**bold**_guy_" not in text
    assert "<@\u200b123456789012345678>" in text
    # Seven sides, each with its embed and a note about the arguments not shown.
    embeds = [e for m in messages for e in m]
    side_embeds = [e for e in embeds if e.title and " commenters" in e.title]
    cards = [e for e in side_embeds if not e.title.endswith("(continued)")]
    assert len(cards) == 7
    assert [e.colour.value for e in cards] == list(SIDE_COLOURS[:7])
    shown = [len(e.fields) for e in side_embeds]
    assert shown == argument_shares(report.sides) and sum(shown) >= ARGUMENTS_IN_MAP
    notes = [e.footer.text for e in side_embeds if e.footer.text]
    assert notes == [f"…and {300 - n} more key arguments; ask in the thread." for n in shown]
    # 4,000-character quotes are shortened at a word boundary with an ellipsis.
    value = side_embeds[0].fields[0].value
    quote = value.split("“", 1)[1].split("”", 1)[0]
    assert quote.endswith("…") and len(quote) < 450
    full = fit(report.sides[0].key_arguments[0].quote, 100_000, one_line=True)
    head = quote[:-1].rstrip()
    assert full.startswith(head) and full[len(head)] == " "
    assert len(messages) <= 5


def test_arguments_are_shared_by_side_weight_never_below_one():
    from bot.core.model import KeyArgument, Side

    def side(n_authors, n_args):
        k = KeyArgument(point="p", comment_ids=(), authors=(), quote="")
        return Side("s", "", tuple(f"a{i}" for i in range(n_authors)), (), "", (k,) * n_args)

    assert argument_shares([side(30, 20), side(10, 20), side(1, 20)]) == [8, 4, 1]
    assert argument_shares([side(5, 2), side(5, 20)]) == [2, 8]
    assert argument_shares([side(1, 0)]) == [0]
    assert argument_shares([side(3, 20)] * 4) == [4, 4, 4, 4]


@pytest.mark.parametrize("seed", range(12))
def test_random_reports_respect_every_limit(seed):
    rng = random.Random(seed)
    names = tuple(rng.sample(ODD_NAMES, rng.randrange(0, len(ODD_NAMES))))
    long_name = "x" * rng.choice([10, 300, 3000])
    report = make_report(
        commenters=rng.randrange(max(len(names) + 2, 3), 80),
        comments=rng.randrange(5, 300),
        sides=rng.randrange(0, 9),
        arguments_per_side=rng.randrange(0, 40),
        quote_chars=rng.choice([0, 20, 1000, 5000]),
        names=(*names, long_name),
        seed=seed,
        engine="llm:" + "m" * rng.choice([5, 3000]),
    )
    check_all(render_report(report, graph_filename="g.png"))


def test_long_lists_go_on_in_continued_fields_not_cut():
    report = make_report(
        commenters=60, comments=400, names=tuple("n" * 70 + str(i) for i in range(40))
    )
    embeds = [e for m in render_report(report) for e in m]
    who = next(e for e in embeds if e.title == "Who responded to whom")
    names = [f.name for f in who.fields]
    assert "Main exchanges (continued)" in names
    rows = [
        r for f in who.fields if f.name.startswith("Main exchanges") for r in f.value.splitlines()
    ]
    assert sum(r.startswith("•") for r in rows) == min(10, len(report.thread.exchanges))
    assert len(report.thread.exchanges) >= 8
    assert all("…" not in r for r in rows if r.startswith("•"))


def test_a_report_with_no_replies_says_so():
    report = make_report(comments=1, sides=0)
    embeds = [e for m in render_report(report) for e in m]
    who = next(e for e in embeds if e.title == "Who responded to whom")
    assert "Nobody replied to anybody" in who.description
    chains = next(e for e in embeds if e.title == "Reply chains")
    assert "No conversations" in chains.description


def test_long_headline_is_cut_at_a_sentence_boundary():
    from dataclasses import replace

    report = replace(make_report(), headline="This is one sentence of the claim. " * 200)
    head = render_report(report)[0][0]
    assert size(head.description) <= 4096
    assert head.description.endswith("claim. …")


def test_answer_keeps_markdown_breaks_mentions_and_cites():
    citations = [
        Comment(id=f"c{i}", index=i, author=f"**a{i}** @here", text="x @everyone " * 300)
        for i in range(1, 12)
    ]
    embeds = render_answer("**Yes.** Ask @everyone: " + "More detail. " * 700, citations)
    check_message(embeds)
    assert embeds[0].description.startswith("**Yes.** Ask @\u200beveryone")
    assert embeds[0].description.endswith("…")
    fields = [f for e in embeds for f in e.fields]
    assert len(fields) == 8
    assert fields[0].name == "#1 \\*\\*a1\\*\\* @\u200bhere"


def test_short_answer_is_whole():
    embeds = render_answer("Bob said so (#3, bob).", [])
    check_message(embeds)
    assert embeds[0].description == "Bob said so (#3, bob)."


def test_status_card():
    e = render_status(
        "Crosstalk settings", {"engine": "auto", "model": "x" * 2000}, ok=False, note="n"
    )
    check_message([e])
    assert [f.name for f in e.fields] == ["engine", "model"]
    assert e.colour.value == 0xED4245


def test_an_empty_discussion_still_renders():
    from bot.core.model import Article, Discussion, Report
    from bot.core.thread import build_thread

    report = Report(engine="x", thread=build_thread(Discussion(Article(), ())))
    messages = render_report(report)
    check_all(messages)
    assert [e.title for e in messages[0]] == ["Discussion", "Who responded to whom", "Reply chains"]


def test_a_point_that_is_its_own_quote_is_not_repeated():
    from dataclasses import replace

    report = make_report(sides=1, arguments_per_side=1)
    side = report.sides[0]
    k = side.key_arguments[0]
    same = replace(k, point="It's true, really.", quote="it's TRUE really")
    report = replace(report, sides=(replace(side, key_arguments=(same,)),))
    embeds = [e for m in render_report(report) for e in m]
    field = next(e for e in embeds if e.title.startswith("Side 0")).fields[0]
    assert field.name == "It's true, really. — 1 commenter"
    quoted = report.discussion.by_id()[k.quote_comment_id]
    assert field.value.endswith(f"Verbatim: (#{quoted.index}, {quoted.author})")
    assert "“" not in field.value


def test_the_neutral_group_is_drawn_in_the_no_side_colour():
    from dataclasses import replace

    from bot.render.palette import OTHERS_COLOUR, author_sides, colour_of

    base = make_report(sides=3)
    sides = (*base.sides[:2], replace(base.sides[2], label="Others", neutral=True))
    report = replace(base, sides=sides)
    assert colour_of(report, 2) == OTHERS_COLOUR
    assert [colour_of(report, i) for i in (0, 1)] == list(SIDE_COLOURS[:2])
    assert not set(author_sides(report)) & (
        set(sides[2].authors) - set(sides[0].authors) - set(sides[1].authors)
    )
    colours = {
        e.title.split(" · ")[0]: e.colour.value
        for m in render_report(report)
        for e in m
        if e.title and e.colour
    }
    assert colours["Others"] == OTHERS_COLOUR


def test_reposts_are_noted_on_the_noise_card() -> None:
    text = "Rejecting the ceasefire would be madness, another winter of shelling **cities**."
    comments = (
        Comment(id="c1", index=1, author="So_phie", text=text),
        Comment(id="c2", index=2, author="Georg", text="Accepting it is the only sane choice."),
        Comment(id="c3", index=3, author="So_phie", text=text),
    )
    d = Discussion(article=Article(title="T", text="An article."), comments=comments)
    report = Report(engine="offline", thread=build_thread(d))
    embeds = [e for m in render_report(report) for e in m]
    notes = next(e for e in embeds if e.title == "Side threads and noise")
    assert "Left out of the sides: 1 duplicate re-post." in notes.description
    field = next(f for f in notes.fields if f.name == "Posted twice")
    assert field.value == "• So\\_phie posted #1 again as #3: counted once, as #3"


def test_unanswered_rows_leave_out_the_address_in_front():
    text = all_text(render_report(addressed_reply_report()))
    assert "The seller's agent becomes a dual agent" in text
    assert "Kristina: \\*" not in text and "Kristina: *" not in text
