import csv
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.eval.iac import read_corpus
from bot.eval.keypoints import evaluate
from bot.eval.sides import OTHERS, Prediction, balanced_accuracy, score

GOLD = {"a": "pro", "b": "pro", "c": "anti", "d": "anti", "e": "other"}


def test_balanced_accuracy_best_mapping() -> None:
    assert balanced_accuracy({"a": 0, "b": 0, "c": 1, "d": 1}, GOLD) == 1.0
    assert balanced_accuracy({"a": 1, "b": 1, "c": 0, "d": 0}, GOLD) == 1.0
    assert balanced_accuracy({"a": 0, "b": 0, "c": 0, "d": 0}, GOLD) == 0.5
    # one pro author misplaced: pro recall 1/2, anti recall 1
    assert balanced_accuracy({"a": 0, "b": 1, "c": 1, "d": 1}, GOLD) == 0.75
    # three groups, each mapped to its best label
    assert balanced_accuracy({"a": 0, "b": 2, "c": 1, "d": 1}, GOLD) == 1.0


def test_balanced_accuracy_strict_counts_others_wrong() -> None:
    pred = {"a": 0, "b": OTHERS, "c": 1, "d": 1}
    assert balanced_accuracy(pred, GOLD) == 1.0
    assert balanced_accuracy(pred, GOLD, strict=True) == 0.75


def test_strict_two_bloc_score_chance_and_coverage() -> None:
    gold = {f"p{i}": "pro" for i in range(4)} | {f"a{i}": "anti" for i in range(4)}
    # Four camps; the engine says camps 0 and 2 are one bloc, 1 and 3 the other.
    groups = {"p0": 0, "p1": 0, "p2": 2, "p3": 2, "a0": 1, "a1": 1, "a2": 3, "a3": OTHERS}
    s = score(Prediction(groups, {0: 0, 1: 1, 2: 0, 3: 1}), gold)
    assert s.strict == 0.875  # pro 4/4, anti 3/4 (a3 is in no bloc)
    assert s.coverage == 0.875
    assert s.lenient == 1.0  # lenient: Others (only a3) is mapped to anti on its own
    assert 0.5 < s.chance < 0.65 and s.lift == s.strict - s.chance
    # Blocs the engine got wrong cost under the strict score, not under the lenient one.
    wrong = score(Prediction(groups, {0: 0, 1: 0, 2: 1, 3: 1}), gold)
    assert wrong.strict == 0.5 and wrong.lenient == 1.0
    assert wrong.lenient_chance > wrong.chance  # four free groups earn chance credit
    # Everyone in one bloc: exactly chance.
    one = score(Prediction({a: 0 for a in gold}, {0: 0}), gold)
    assert one.strict == one.chance == 0.5


def test_a_debate_labelled_on_one_side_only_or_not_at_all() -> None:
    """Only pro authors: scored on their recall alone. No pro or anti author: a clear error,
    not a numpy type error."""
    pro_only = score(Prediction({"p0": 0, "p1": 1}, {0: 0, 1: 1}), {"p0": "pro", "p1": "pro"})
    assert pro_only.strict == 0.5 and pro_only.coverage == 1.0
    together = score(Prediction({"p0": 0, "p1": 0}, {0: 0}), {"p0": "pro", "p1": "pro"})
    assert together.strict == 1.0
    with pytest.raises(ValueError, match="labelled pro or anti"):
        score(Prediction({"x": 0}, {0: 0}), {"x": "other"})


def _write_iac(root: Path) -> None:
    """A tiny made-up discussion in the IAC v1 layout (not IAC text)."""
    (root / "discussions").mkdir(parents=True)
    (root / "ranges_quotes").mkdir()
    posts = [
        [
            1,
            None,
            "host",
            "Should cities cap rents?",
            {"post_info": {"post_title": "Rent"}},
            None,
            None,
            100.0,
        ],
        [2, None, "ann", "Yes, caps keep families housed and protect tenants.", {}, 1, None, 101.0],
        [
            3,
            None,
            "bob",
            "Caps keep families housed? Do you know what happens to supply?",
            {},
            1,
            None,
            102.0,
        ],
        [
            4,
            None,
            "cat",
            "Exactly. Tenants need protection from sudden increases.",
            {},
            2,
            None,
            103.0,
        ],
        [5, None, "dan", "You ignore supply. Why would anyone build then?", {}, 4, None, 104.0],
    ]
    (root / "discussions" / "7.json").write_text(json.dumps([posts, {}, {"title": "Rent"}]))
    quotes = [[3, [0, 25, {"quote_id": 2, "author": "ann"}]]]
    (root / "ranges_quotes" / "7.json").write_text(json.dumps(quotes))
    with (root / "author_stance.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["topic", "discussion_id", "author", "pro", "anti", "other"])
        for author, votes in [
            ("host", (0, 0, 3)),
            ("ann", (3, 0, 0)),
            ("bob", (0, 3, 0)),
            ("cat", (2, 1, 0)),
            ("dan", (1, 2, 0)),
        ]:
            w.writerow(["rent", 7, author, *votes])


def test_iac_reader_builds_discussions_with_quote_parents(tmp_path: Path) -> None:
    _write_iac(tmp_path)
    [ld] = read_corpus(tmp_path)
    assert ld.stance == {"host": "other", "ann": "pro", "bob": "anti", "cat": "pro", "dan": "anti"}
    parents = {c.id: c.parent_id for c in ld.discussion.comments}
    assert parents == {"1": None, "2": "1", "3": "2", "4": "2", "5": "4"}
    assert ld.discussion.article.title == "Rent"


def test_eval_sides_command_prints_baselines_and_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_iac(tmp_path)
    assert main(["eval", "sides", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "everyone on one side" in out and "max-cut on the reply graph" in out
    engine_line = next(line for line in out.splitlines() if line.startswith("offline engine"))
    strict, chance, lift, coverage = engine_line.split()[2:6]
    assert float(strict) == 1.0 and float(coverage) == 1.0  # mean over one discussion
    assert float(lift) == pytest.approx(float(strict) - float(chance), abs=0.002)
    assert "discussions (100%)" in out or "discussions (0%)" in out


def test_eval_sides_bad_path_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "sides", str(tmp_path)]) == 2
    assert "does not look like IAC" in capsys.readouterr().err


def test_eval_keypoints_on_trimmed_argkp(fixtures: Path) -> None:
    out = evaluate(fixtures / "ibm_argkp")
    total = out.splitlines()[-1]
    assert total.startswith("TOTAL: gold key points 10, extracted 10")
    covered = int(total.split("covered (majority) ")[1].split(" ")[0])
    assert covered >= 6  # measured: 6 of 10 (majority); a drop is a regression


def test_eval_keypoints_coverage_definition(tmp_path: Path) -> None:
    """Two clearly different points, each argued by three people: both covered both ways."""
    topic = "Cities should cap rents"
    args = [
        ("a1", "Rent caps protect tenants from sudden rent increases."),
        ("a2", "Tenants are protected by caps from sudden rent increases."),
        ("a3", "Sudden rent increases hurt tenants, caps protect them."),
        ("a4", "Builders stop building new housing when returns are capped."),
        ("a5", "New housing construction stops because builders earn less."),
        ("a6", "Capped returns mean builders build less new housing."),
    ]
    with (tmp_path / "arguments_x.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["arg_id", "argument", "topic", "stance"])
        w.writerows([(i, t, topic, 1) for i, t in args])
    with (tmp_path / "key_points_x.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["key_point_id", "key_point", "topic", "stance"])
        w.writerows([("k1", "Caps protect tenants", topic, 1), ("k2", "Less housing", topic, 1)])
    with (tmp_path / "labels_x.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["arg_id", "key_point_id", "label"])
        for i, _t in args:
            first = i in ("a1", "a2", "a3")
            w.writerow([i, "k1", int(first)])
            w.writerow([i, "k2", int(not first)])
    total = evaluate(tmp_path, max_points=2).splitlines()[-1]
    assert "covered (majority) 2 = 100%" in total
    assert "covered (quote) 2 = 100%" in total


def _argkp(folder: Path, split: str, topic: str) -> None:
    """A two-point ArgKP split named like IBM's files (`*arguments_<split>.csv`)."""
    args = [(f"{split}{i}", f"Argument {i} about {topic} and its costs.") for i in range(4)]
    with (folder / f"kpm__arguments_{split}.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["arg_id", "argument", "topic", "stance"])
        w.writerows([(i, t, topic, 1) for i, t in args])
    with (folder / f"kpm__key_points_{split}.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["key_point_id", "key_point", "topic", "stance"])
        w.writerow([f"k{split}", "Costs", topic, 1])
    with (folder / f"kpm__labels_{split}.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["arg_id", "key_point_id", "label"])
        w.writerows([(i, f"k{split}", 1) for i, _t in args])


def test_eval_keypoints_splits_are_reported_apart(tmp_path: Path) -> None:
    _argkp(tmp_path, "dev", "Tuned topic")
    _argkp(tmp_path, "test", "Held-out topic")
    _argkp(tmp_path, "train", "Training topic")  # IBM's train split, put beside the others
    out = evaluate(tmp_path).splitlines()
    assert any(line.startswith("dev (tuned on): gold key points 1,") for line in out)
    assert any(line.startswith("train (tuned on): gold key points 1,") for line in out)
    assert any(line.startswith("test (held out): gold key points 1,") for line in out)
    assert any(line.startswith("test, chance (same group sizes):") for line in out)
    assert out[-1].startswith("TOTAL: gold key points 3,")
    only_test = evaluate(tmp_path, split="test")
    assert "Held-out topic" in only_test and "Tuned topic" not in only_test
    assert only_test.splitlines()[-1].startswith("TOTAL: gold key points 1,")
