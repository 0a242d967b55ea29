import json

import pytest

from bot.core.contract import report_from_dict, report_to_dict
from bot.core.errors import InputError


def test_round_trip_is_exact(report):
    data = report_to_dict(report)
    back = report_from_dict(json.loads(json.dumps(data)))
    assert back == report
    assert report_to_dict(back) == data


def test_round_trip_keeps_every_part(report):
    back = report_from_dict(report_to_dict(report))
    assert back.sides[0].key_arguments[0].quote_comment_id == "c1"
    assert back.thread.links["c2"][0].evidence == "platform"
    assert back.thread.duplicates == {"c8": "c1"}
    assert back.thread.exchanges[0].count == 3
    assert back.thread.depths["c5"] == 3
    assert back.discussion.warnings == ("3 comments were hidden by the platform.",)
    assert back.warnings == ("The model skipped 1 comment.",)
    assert back.side_threads[0].participants == ("eve",)
    assert back.discussion.comments[6].deleted is True
    assert back.discussion.comments[3].depth == 0
    assert back.discussion.comments[4].starts_blank is True


def test_older_reports_without_optional_fields_are_read(report):
    data = report_to_dict(report)
    del data["source_warnings"], data["exchanges"], data["side_threads"], data["contract_version"]
    for c in data["comments"]:
        for key in (
            "parent_id",
            "source_depth",
            "deleted",
            "timestamp",
            "depth",
            "duplicate_of",
            "starts_blank",
        ):
            del c[key]
    back = report_from_dict(data)
    assert back.thread.exchanges == ()
    assert back.warnings == (
        "3 comments were hidden by the platform.",
        "The model skipped 1 comment.",
    )
    assert back.discussion.comments[0].parent_id is None
    assert back.thread.links == report.thread.links


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(comments="nope"), "comments must be a list"),
        (lambda d: d["comments"][1].update(author=7), "comments[1].author must be a string"),
        (lambda d: d["comments"][2]["reply_to"][0].update(id="c99"), "'c99'"),
        (lambda d: d["sides"][0].update(key_arguments=[1]), "sides[0].key_arguments[0]"),
        (lambda d: d.update(unanswered=["zz"]), "unanswered[0]"),
        (lambda d: d["comments"].append(dict(d["comments"][0])), "repeats the id 'c1'"),
        (lambda d: d["comments"][0].update(index="1"), "comments[0].index"),
    ],
)
def test_garbage_is_rejected_with_a_clear_message(report, mutate, message):
    data = report_to_dict(report)
    mutate(data)
    with pytest.raises(InputError, match="not a valid Crosstalk report") as info:
        report_from_dict(data)
    assert message in info.value.message


def test_non_object_is_rejected():
    with pytest.raises(InputError, match="must be an object"):
        report_from_dict([1, 2])


def test_sides_confidence_note_and_positions_round_trip(report):
    from dataclasses import replace

    from bot.core.model import KeyArgument

    point = KeyArgument("Buses", ("c2",), ("bob",), "Buses would do", "c2")
    abstained = replace(
        report,
        sides=(),
        sides_confidence=0.4213,
        sides_note="No sides: few replies between commenters.",
        positions=(point,),
    )
    data = report_to_dict(abstained)
    assert data["sides_confidence"] == 0.421
    assert data["sides_note"] == "No sides: few replies between commenters."
    assert data["positions"][0]["quote_comment_id"] == "c2"
    back = report_from_dict(json.loads(json.dumps(data)))
    assert back.positions == (point,) and back.sides_note == abstained.sides_note
    assert report_to_dict(back) == data
    # An older report (no such fields) reads as "not computed".
    for key in ("sides_confidence", "sides_note", "positions"):
        del data[key]
    old = report_from_dict(data)
    assert old.sides_confidence is None and old.sides_note == "" and old.positions == ()
    with pytest.raises(InputError, match="sides_confidence"):
        report_from_dict({**report_to_dict(abstained), "sides_confidence": "high"})
