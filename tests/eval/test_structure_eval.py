"""Real reply trees (licensed fixtures) rendered as pastes: what `analyze` recovers, held to
the targets of issue 2, and the `crosstalk eval structure` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.eval.gold import discover, load_path
from bot.eval.render import SHAPES
from bot.eval.structure import evaluate, score_paste

THREADS = Path(__file__).parents[1] / "fixtures" / "threads"


@pytest.fixture(scope="module")
def scores():
    threads = [load_path(p) for p in discover([THREADS])]
    return evaluate(threads)


def test_gold_loaders_read_the_real_trees():
    reddit = load_path(THREADS / "reddit" / "rtv_python_2xmo63.json")
    assert reddit.title.startswith("A python terminal viewer")
    assert len(reddit.comments) == 41  # 45 in the file, minus deleted ones and their replies
    ids = [c.id for c in reddit.comments]
    assert all(ids.index(c.parent) < ids.index(c.id) for c in reddit.comments if c.parent)
    wp = load_path(THREADS / "lemire" / "2019-03-28-java-is-not-a-safe-language.comments.md")
    assert wp.title == "Java is not a safe language"
    assert len(wp.comments) == 40
    assert sum(1 for c in wp.comments if c.parent) > 20


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_segments_exactly(scores, shape):
    s = scores[("all", shape)]
    assert s.segmented == s.threads == 2, s.errors
    assert s.comments_matched == s.comments


@pytest.mark.parametrize("shape", ["wp-numbered", "wp-unnumbered", "plain", "chat-discord"])
def test_blog_style_reply_targets_meet_targets(scores, shape):
    s = scores[("all", shape)]
    assert s.rate("author_ok") >= 0.95
    assert s.rate("comment_ok") >= 0.90
    assert s.rate("comment_ok") > s.rate("base_comment_ok") + 0.3
    assert s.sure and s.rate("sure_ok", "sure") >= 0.9  # a confident link is a right one


@pytest.mark.parametrize("shape", ["outline", "wp-nested"])
def test_nested_shapes_meet_outline_target(scores, shape):
    assert scores[("all", shape)].rate("comment_ok") >= 0.98


def test_as_written_invents_no_links(scores):
    """With no marker added, most replies carry no text signal: they must stay top level
    rather than be guessed, so the score stays near what top level alone gives."""
    s = scores[("all", "wp-as-written")]
    assert s.rate("author_ok") >= s.rate("comment_ok") > 0.4
    assert s.linked and s.rate("linked_ok", "linked") >= 0.9


def test_a_wrong_segmentation_is_reported():
    thread = load_path(THREADS / "lemire" / "2019-03-28-java-is-not-a-safe-language.comments.md")
    rendered = SHAPES["plain"](thread)
    broken = type(rendered)(rendered.text.replace("\n\nJerry: ", "\n\n", 1), rendered.expected)
    s = score_paste(broken, "broken")
    assert s.segmented == 0 and s.errors


def test_cli_eval_structure(capsys: pytest.CaptureFixture[str]):
    assert main(["eval", "structure", str(THREADS), "--shape", "outline", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["all/outline"]["segmented_threads"] == 2
    assert data["all/outline"]["comment_level"] >= 0.98


def test_cli_eval_structure_bad_path(capsys: pytest.CaptureFixture[str]):
    assert main(["eval", "structure", "nowhere"]) == 2
    assert "No such file" in capsys.readouterr().err


def test_misses_count_every_wrong_reply_target(scores):
    for (corpus, _), s in scores.items():
        if corpus != "all":
            assert sum(s.misses.values()) == s.scored - s.comment_ok
    as_written = scores[("all", "wp-as-written")]
    assert as_written.misses["no link -> gold: a reply"] > 0  # flat copy, most replies unsaid


def test_cli_eval_structure_misses(capsys: pytest.CaptureFixture[str]):
    assert main(["eval", "structure", str(THREADS), "--shape", "wp-as-written", "--misses"]) == 0
    out = capsys.readouterr().out
    assert "Wrong reply targets" in out
    assert "wp-as-written: no link -> gold: a reply:" in out
