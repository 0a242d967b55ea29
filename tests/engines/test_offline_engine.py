import asyncio
import json
import threading
from pathlib import Path

import pytest

from bot.core.contract import report_to_dict
from bot.core.errors import CrosstalkError
from bot.core.model import Article, Comment, Discussion, KeyArgument, Report, Thread
from bot.core.text import sentences, words
from bot.core.thread import build_thread
from bot.engines.offline import OfflineEngine
from bot.engines.offline.claims import is_question, looks_like_code
from bot.engines.offline.engine import analyze_thread
from bot.engines.offline.keypoints import without_marker
from bot.engines.offline.labels import MAX_WORDS, label_words
from bot.eval.synthetic import debate
from bot.ingest.reader import read_discussion

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _run(discussion: Discussion) -> Report:
    return asyncio.run(OfflineEngine().analyze(build_thread(discussion)))


def check_report(report: Report) -> None:
    """Invariants every offline report keeps, whatever the input."""
    by_id = report.discussion.by_id()
    seen: dict[str, str] = {}
    for side in report.sides:
        for a in side.authors:
            assert a not in seen, f"{a} is in {seen.get(a)} and {side.label}"
            seen[a] = side.label
        assert side.label and side.stance
        if any(words(by_id[c].text) for c in side.comment_ids):
            assert side.key_arguments, f"{side.label} has no key argument"
        elif not side.key_arguments:
            assert any(side.label in w for w in report.warnings)
        for k in side.key_arguments:
            check_quote(k, by_id)
            assert set(k.comment_ids) <= set(side.comment_ids)
        assert label_words(side.label) <= MAX_WORDS and "@" not in side.label, side.label
    for k in report.positions:
        check_quote(k, by_id)
    if report.sides:
        assert not report.positions
        assert report.sides_confidence is not None and report.sides_note
    elif len(report.discussion.authors) > 1:
        assert report.sides_note.startswith("No sides")
    for cid in report.unanswered:
        assert cid in by_id


def check_quote(k: KeyArgument, by_id: dict[str, Comment]) -> None:
    assert k.quote_comment_id in k.comment_ids
    cited = by_id[k.quote_comment_id]
    assert k.quote in cited.text, "quote is not an exact substring of its comment"
    # a whole sentence, or what follows the `@Name:` marker or bullet in front of it
    assert any(without_marker(s) == k.quote for s in sentences(cited.text)), k.quote
    assert {by_id[c].author for c in k.comment_ids} == set(k.authors)
    assert not set(k.against) & set(k.authors)
    # issue 11: a title in a few words, no name marker; no question or code quoted
    assert 1 <= len(k.point.split()) <= MAX_WORDS and "@" not in k.point, k.point
    assert not is_question(k.quote) and not looks_like_code(k.quote), k.quote


def test_generated_debate_camps_others_and_side_thread() -> None:
    d, truth = debate(90, seed=3)
    report = _run(d)
    check_report(report)
    camps = [s for s in report.sides if s.label != "Others"]
    assert len(camps) == 2
    for s in camps:
        assert len({truth[a] for a in s.authors}) == 1, s.authors
    assert {a for s in camps for a in s.authors} == set(truth)
    # The bystanders only chat off-topic: named in a side thread, on no side, not "Others".
    assert not any({"fan0", "fan1"} & set(s.authors) for s in report.sides)
    assert len(report.side_threads) == 1
    assert set(report.side_threads[0].participants) == {"fan0", "fan1"}
    assert report.sides_confidence is not None and report.sides_confidence >= 0.6
    assert "rent" in report.headline.lower()
    with_article = [s for s in camps if s.stance.startswith("Sides with the article")]
    assert len(with_article) <= 1


def test_one_person_side_is_still_named_and_gets_an_argument() -> None:
    rows = [
        ("ann", None, "Nuclear power is the safest source of low carbon electricity we have."),
        ("bob", "c1", "No, the waste stays dangerous for thousands of years and nobody stores it."),
        (
            "cat",
            "c2",
            "Exactly. And the accidents at Chernobyl and Fukushima poisoned regions.",
        ),
        ("dan", "c1", "Wrong. Reactors cost too much and take fifteen years to build anywhere."),
        ("cat", "c4", "Indeed, the money buys far more wind and solar capacity today."),
        ("ann", "c4", "But the deaths per terawatt hour are lower than for wind and solar power."),
        ("bob", "c6", "No, those figures leave out the cancers around the damaged plants."),
        ("ann", "c7", "Wrong, the cancer studies found far fewer deaths than coal causes a year."),
        (
            "cat",
            "c8",
            "Nonsense, coal is not the alternative, wind and solar are, and kill nobody.",
        ),
        ("ann", "c9", "No, wind and solar still need gas plants for the nights without wind."),
        ("dan", "c10", "Wrong again, batteries already cover the evening peak in several states."),
        ("ann", "c11", "But batteries cover hours, not the weeks of still winter weather we get."),
    ]
    comments = tuple(
        Comment(f"c{i}", i, a, t, parent_id=p) for i, (a, p, t) in enumerate(rows, start=1)
    )
    report = _run(Discussion(Article(text="Is nuclear power the answer?"), comments))
    check_report(report)
    alone = [s for s in report.sides if s.authors == ("ann",)]
    assert alone and alone[0].key_arguments
    other = next(s for s in report.sides if "bob" in s.authors)
    assert {"bob", "cat", "dan"} == set(other.authors)


def test_unanswered_are_arguments_no_other_side_answered() -> None:
    d, _truth = debate(60, seed=5)
    report = _run(d)
    assert report.sides
    side_of = {a: s.label for s in report.sides for a in s.authors}
    by_id = d.by_id()
    thread = report.thread
    for cid in report.unanswered:
        for reply in thread.children().get(cid, []):
            assert side_of.get(by_id[reply].author) == side_of.get(by_id[cid].author)
    assert report.unanswered


def test_deterministic_contract() -> None:
    d, _truth = debate(120, seed=11)
    first = json.dumps(report_to_dict(_run(d)), sort_keys=True)
    second = json.dumps(report_to_dict(_run(d)), sort_keys=True)
    assert first == second


@pytest.mark.parametrize("seed", range(6))
def test_quote_fidelity_on_generated_discussions(seed: int) -> None:
    d, _truth = debate(40 + 30 * seed, authors_per_camp=2 + seed, seed=seed, bystanders=seed % 3)
    check_report(_run(d))


def _fixture_discussions() -> list[tuple[str, Discussion]]:
    out = []
    for path in sorted(p for p in FIXTURES.rglob("*") if p.is_file()):
        try:
            out.append(
                (
                    str(path.relative_to(FIXTURES)),
                    read_discussion(path.read_bytes(), name=path.name),
                )
            )
        except CrosstalkError:
            continue  # not a discussion (a CSV, a licence note) or a format not read yet
    return out


EXAMPLE = Path(__file__).parents[2] / "examples" / "real-estate-agents.txt"


def test_quote_fidelity_on_every_fixture() -> None:
    found = _fixture_discussions()
    names = {name for name, _ in found}
    assert {  # every real thread shipped for tests is read; a parser regression must show here
        "links/reddit_askreddit_cmwov_morechildren_trimmed.json",
        "links/reddit_askreddit_cmwov_trimmed.json",
        "links/reddit_python_2xmo63.json",
        "links/wordpress_lemire_java_comments.md",
        "threads/lemire/2019-03-28-java-is-not-a-safe-language.comments.md",
        "threads/reddit/rtv_python_2xmo63.json",
    } <= names
    found.append(("examples/real-estate-agents.txt", read_discussion(EXAMPLE.read_bytes())))
    for name, d in found:
        report = _run(d)
        try:
            check_report(report)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc


def test_empty_and_tiny_discussions() -> None:
    one = Discussion(Article(text=""), (Comment("c1", 1, "ann", "Hello there."),))
    report = _run(one)
    check_report(report)
    assert report.headline == ""
    blank = Discussion(Article(text="Title only"), (Comment("c1", 1, "ann", "..."),))
    check_report(_run(blank))


@pytest.mark.asyncio
async def test_analysis_runs_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.engines.offline.engine as engine_module

    seen: list[int] = []

    def recording(t: Thread) -> Report:  # the real analysis, noting which thread ran it
        seen.append(threading.get_ident())
        return analyze_thread(t)

    monkeypatch.setattr(engine_module, "analyze_thread", recording)
    report = await OfflineEngine().analyze(build_thread(debate(30)[0]))
    assert (report.sides or report.positions) and seen and seen[0] != threading.get_ident()


@pytest.mark.parametrize("seed", range(8))
def test_odd_inputs_keep_the_invariants(seed: int) -> None:
    """Deleted and empty comments, one author, no article, non-English text, long comments."""
    import random

    rng = random.Random(seed)
    pool = [
        "",
        "...",
        "+1",
        "No.",
        "Das ist völlig falsch, die Mieten steigen trotzdem weiter.",
        "¿Por qué? Nadie construye viviendas nuevas con precios controlados.",
        "I think the council should wait for the study. " * rng.randint(1, 40),
        "Wrong! Read the report: supply fell by a third in ten years.",
        "https://example.org/report.pdf",
    ]
    authors = ["ann"] if seed == 0 else ["ann", "bob", "cat", "dan", "eve"][: 2 + seed % 4]
    comments = []
    for n in range(1, 6 + seed * 5):
        parent = f"c{rng.randint(1, n - 1)}" if n > 1 and rng.random() < 0.7 else None
        comments.append(
            Comment(
                f"c{n}",
                n,
                rng.choice(authors),
                rng.choice(pool),
                parent_id=parent,
                deleted=rng.random() < 0.1,
            )
        )
    article = Article(text="" if seed % 2 else "Rent caps: the council votes next week.")
    report = _run(Discussion(article, tuple(comments)))
    check_report(report)
    assert {a for s in report.sides for a in s.authors} <= set(authors)


def test_quote_fidelity_on_argkp_arguments_as_a_thread(fixtures: Path) -> None:
    """The trimmed ArgKP arguments as comments: the first of each stance opens, the rest of
    that stance reply to it; the key arguments must quote them exactly."""
    import csv

    with (fixtures / "ibm_argkp" / "arguments_dev.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    first: dict[str, str] = {}
    comments = []
    for n, row in enumerate(rows, start=1):
        cid = f"c{n}"
        parent = first.setdefault(row["stance"], cid)
        comments.append(
            Comment(
                cid, n, f"user{n}", row["argument"], parent_id=None if parent == cid else parent
            )
        )
    report = _run(Discussion(Article(text=rows[0]["topic"] + "."), tuple(comments)))
    check_report(report)
    assert sum(len(s.key_arguments) for s in report.sides) + len(report.positions) >= 2


def test_deterministic_across_processes_with_different_hash_seeds() -> None:
    """Set and dict order of strings changes with PYTHONHASHSEED; the report must not."""
    import os
    import subprocess
    import sys

    code = (
        "import json\n"
        "from bot.core.contract import report_to_dict\n"
        "from bot.core.thread import build_thread\n"
        "from bot.engines.offline.engine import analyze_thread\n"
        "from bot.eval.synthetic import debate\n"
        "d, _ = debate(80, seed=7)\n"
        "print(json.dumps(report_to_dict(analyze_thread(build_thread(d))), sort_keys=True))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].startswith("{")
