"""Labelled pastes (issue 12): the links a reader sees without a marker, per evidence kind and
per case, and re-posts; the `crosstalk eval links` and `eval structure --by-evidence` output."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.core.thread import build_thread
from bot.eval.gold import discover, load_path
from bot.eval.links import discover_labelled, load_labelled, score
from bot.eval.render import SHAPES
from bot.ingest.reader import read_discussion

FIXTURES = Path(__file__).parents[1] / "fixtures"
PASTES = FIXTURES / "replies"
NEW_KINDS = ("partial-name", "argument-name", "lost-marker", "third-person")


def _scores(*folders: Path):
    return score([load_labelled(p) for p in discover_labelled(list(folders))])


@pytest.fixture(scope="module")
def scores():
    """The folders the rules were written against or read before a change: dev, heldout and
    heldout2. heldout3, written blind and run once, has a test of its own."""
    return _scores(PASTES / "dev", PASTES / "heldout", PASTES / "heldout2")


def test_every_case_occurs_and_is_found():
    """Recall, held on the two sets this test was written for (dev, heldout). The second
    held-out set (heldout2, written later by someone who had not read the rules) finds far
    less: lost-marker 0/4, argument-name 3/8 at author level; docs/ingest.md gives its
    figures and misses. It is measured there, not held to 0.75 here."""
    first = _scores(PASTES / "dev", PASTES / "heldout")
    for case in (*NEW_KINDS, "multi-target"):
        assert first.gold[case] >= 3, case
        assert first.found_author[case] / first.gold[case] >= 0.75, case


def test_the_second_heldout_set_is_read_and_kept_apart():
    """heldout2: every paste segmented as labelled; no answer to the article (public figures,
    people of the article, writers signing their own name, support citations among them) is
    linked to a commenter; no two different comments merged (same-author look-alikes)."""
    s = _scores(PASTES / "heldout2")
    assert s.pastes == s.segmented == 7, s.errors
    assert s.top_level >= 50 and s.top_level_linked == 0
    assert s.dup_made >= 2 and s.dup_right == s.dup_made


def test_the_blind_third_set_is_read_and_linked_as_measured():
    """heldout3 (third-person views, written blind, run once on 6 December): every paste
    segmented as labelled; third-person links right at author level 15/15, at comment level
    12/15 when run blind, 15/15 since the rule of the words a naming sentence repeats was
    written from its three misses (so no longer blind); one answer to the article linked, by a
    copied sentence."""
    s = _scores(PASTES / "heldout3")
    assert s.pastes == s.segmented == 6, s.errors
    made = s.made["third-person"]
    assert made >= 15
    assert s.right_author["third-person"] / made >= 0.9
    assert s.right["third-person"] / made >= 0.9
    assert s.top_level >= 45 and s.top_level_linked <= 1


def test_the_blind_fourth_set_is_read_and_linked_as_measured():
    """heldout4 (third-person views, written blind after every rule of issue 12 was settled,
    run once on 6 December): every paste segmented as labelled; third-person links right at
    author level 14/14 and at comment level 13/14; one answer to the article linked (a writer
    signing her own name, `addressed`); one lost-marker link, wrong (a blank line after the
    date, then a generic "you"), gone since "you" must open the comment (fitted to it)."""
    s = _scores(PASTES / "heldout4")
    assert s.pastes == s.segmented == 6, s.errors
    made = s.made["third-person"]
    assert made >= 14
    assert s.right_author["third-person"] / made >= 0.9
    assert s.right["third-person"] / made >= 0.9
    assert s.top_level >= 50 and s.top_level_linked <= 1
    assert s.made["lost-marker"] == 0


def test_the_fifth_set_of_lost_markers_is_read_and_linked_as_measured():
    """heldout5 (lost markers: blank starts that answer the previous speaker, and blank starts
    with anyone's "you" that answer the article), written blind and run once on 6 December:
    lost-marker 11 of 16 links right. The five wrong were a general "you" ("Once you cut a bus
    route…", "If you want people out of their cars…"); since those read as anyone's "you",
    11 of 11 (fitted to this set, so no longer blind). Recall stays 11 of 22: half the lost
    markers say no "you" ("That's not how it works.")."""
    s = _scores(PASTES / "heldout5")
    assert s.pastes == s.segmented == 6, s.errors
    made = s.made["lost-marker"]
    assert made >= 10 and s.right["lost-marker"] / made >= 0.9
    assert s.top_level >= 55 and s.top_level_linked == 0


def test_the_new_kinds_are_precise(scores):
    """The target, 0.9 for every new kind, over every labelled folder, at author and at
    comment level (third-person: 13 of 14 links right; the one wrong points at a senator of
    the article, whose paste lost its article to a misread title line)."""
    for kind in NEW_KINDS:
        made = scores.made[kind]
        assert made >= 3, kind
        assert scores.right_author[kind] / made >= 0.9, kind
        assert scores.right[kind] / made >= 0.9, kind
    assert all(scores.made[k] and scores.right_author[k] <= scores.made[k] for k in NEW_KINDS)


def test_answers_to_the_article_stay_top_level(scores):
    assert scores.top_level >= 40
    assert scores.top_level_linked <= 1


def test_no_two_different_comments_are_merged(scores):
    assert scores.dup_made >= 3
    assert scores.dup_right == scores.dup_made  # precision 1.0, the twin kept as labelled


@pytest.mark.parametrize("shape", list(SHAPES))
def test_no_copy_is_found_in_the_real_fixture_threads(shape):
    """The licensed real threads hold no re-post: whatever shape they are pasted in, nothing
    is merged."""
    for path in discover([FIXTURES / "threads"]):
        rendered = SHAPES[shape](load_path(path))
        thread = build_thread(read_discussion(rendered.text.encode(), name="paste.txt"))
        assert thread.duplicates == {}, (path.name, shape)


def test_cli_eval_links(capsys: pytest.CaptureFixture[str]):
    assert main(["eval", "links", str(PASTES / "dev"), "--wrong"]) == 0
    out = capsys.readouterr().out
    assert "4/4 pastes segmented exactly as labelled" in out
    assert "| partial-name |" in out and "| lost-marker |" in out
    assert main(["eval", "links", str(FIXTURES / "threads")]) == 2
    assert "No labelled pastes" in capsys.readouterr().err


def test_cli_eval_structure_by_evidence(capsys: pytest.CaptureFixture[str]):
    args = ["eval", "structure", str(FIXTURES / "threads"), "--shape", "wp-unnumbered"]
    assert main([*args, "--by-evidence"]) == 0
    out = capsys.readouterr().out
    assert "| wp-unnumbered | at-mention |" in out
