"""Sides that are right, or honestly absent: made-up threads for each case, and two real
Reddit threads that are not arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.contract import report_to_dict
from bot.core.model import Article, Comment, Discussion, Report
from bot.core.thread import build_thread
from bot.engines.offline.confidence import THRESHOLD
from bot.engines.offline.engine import analyze_thread, find_sides
from bot.ingest.reader import read_discussion
from bot.render.embeds import render_report
from bot.render.markdown import render_markdown
from tests.engines.made_up_threads import ceasefire, question_thread, show_and_tell
from tests.engines.test_offline_engine import check_report

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _report(d: Discussion) -> Report:
    report = analyze_thread(build_thread(d))
    check_report(report)
    return report


def test_two_camps_and_a_quarrel_kept_apart() -> None:
    d, truth = ceasefire()
    found = find_sides(build_thread(d))
    # The two camps the engine finds are the true ones (accept / reject the ceasefire)...
    assert len(found.camps.camps) == 2 and found.camps.blocs == (0, 1)
    for camp in found.camps.camps:
        assert len({truth[a] for a in camp}) == 1, camp
    assert {a for camp in found.camps.camps for a in camp} == set(truth)
    # ...and the bet is a side thread whose three people are on no side and not in Others.
    [quarrel] = found.side_threads
    assert quarrel.label.startswith("Personal quarrel")
    assert set(quarrel.participants) == {"mick", "tara", "olly"}
    assert not {"mick", "tara", "olly"} & set(found.camps.others)
    report = _report(d)
    assert report.side_threads == found.side_threads
    assert not {"mick", "tara", "olly"} & {a for s in report.sides for a in s.authors}
    # Shown or not is the calibrated confidence's call; shown, they are those camps.
    assert report.sides_confidence == found.confidence
    assert bool(report.sides) == (found.confidence >= THRESHOLD)
    camps = {frozenset(s.authors) for s in report.sides if not s.neutral}
    assert not camps or camps == {frozenset(c) for c in found.camps.camps}


def test_a_show_and_tell_gets_no_sides_but_its_positions() -> None:
    report = _report(show_and_tell())
    assert report.sides == ()
    assert report.sides_confidence == 0.0
    assert report.sides_note.startswith("No sides: this thread is not an argument")
    assert report.positions  # what people say, each with who says it


def test_no_side_is_with_an_article_that_only_asks() -> None:
    report = _report(question_thread())
    assert report.sides, report.sides_note
    for side in report.sides:
        assert "article" not in side.stance.lower()


def test_few_replies_no_sides_and_the_reason() -> None:
    """Everyone answers the article, nobody answers anybody: camps cannot be told apart."""
    texts = [
        "Rent caps protect tenants because landlords cannot raise rents every single year.",
        "Rent caps reduce supply because builders will not build flats they cannot rent.",
        "Tenants need stable rents, so caps should cover every flat in the whole city.",
        "Caps make landlords skip repairs, and the flats decay within a decade or two.",
        "Families should not lose their homes because the market price jumped one year.",
        "New construction is the only cure, since caps never built a single new home.",
        "Evictions fall when rents cannot jump, and schools keep their pupils longer.",
        "Economists agree that rent ceilings shrink the market and raise other rents.",
    ]
    comments = tuple(Comment(f"c{n}", n, f"user{n}", t) for n, t in enumerate(texts, start=1))
    article = Article(title="Rent caps", text="The city should cap rents, because rents rose.")
    report = _report(Discussion(article, comments))
    assert report.sides == ()
    assert report.sides_note.startswith("No sides: few replies between commenters")
    assert report.sides_confidence is not None and report.sides_confidence < THRESHOLD
    assert report.positions


@pytest.mark.parametrize(
    "path", ["threads/reddit/rtv_python_2xmo63.json", "sides/rtv_askreddit_cmwov.json"]
)
def test_real_threads_that_are_not_arguments_get_no_sides(path: str) -> None:
    file = FIXTURES / path
    report = _report(read_discussion(file.read_bytes(), name=file.name))
    assert report.sides == ()
    assert report.sides_note.startswith("No sides")


def test_the_reason_reads_the_same_in_json_markdown_and_discord() -> None:
    report = _report(show_and_tell())
    note = report.sides_note
    assert report_to_dict(report)["sides_note"] == note
    markdown = render_markdown(report)
    assert f"_{note}_" in markdown and "## Positions taken" in markdown
    assert "## Sides" not in markdown
    embeds = [e for message in render_report(report) for e in message]
    assert note in (embeds[0].description or "")
    assert any(e.title == "Positions taken" for e in embeds)
    shown = _report(question_thread())
    assert shown.sides and shown.sides_note in render_markdown(shown)
    first = render_report(shown)[0][0]
    assert shown.sides_note in (first.description or "")


def test_the_llm_engine_still_reads_the_arguments_of_a_part_with_no_sides() -> None:
    """The LLM engine falls back to the offline engine for a part it could not read: with no
    sides, the part's positions are its arguments (with no stance)."""
    from bot.engines.llm.digest import from_report

    report = _report(show_and_tell())
    digest = from_report(report)
    assert digest.stances == ()
    assert [a.point for a in digest.arguments] == [k.point for k in report.positions]
    assert all(a.stance is None for a in digest.arguments)
