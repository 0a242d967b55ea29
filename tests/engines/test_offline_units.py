"""Argument-sized sentences (keypoints.units_of), shared by key arguments and side summaries."""

from bot.engines.offline.keypoints import Unit, units_of

COMMENTS = [
    ("c1", "Ann", "Yes. Agents earn their fee when the market is slow and buyers hesitate."),
    ("c2", "Bob", "No way. Fees are too high for what they do."),
]


def test_units_of_keeps_sentences_within_the_bounds_in_order() -> None:
    assert units_of(COMMENTS) == [
        Unit("c1", "Ann", "Agents earn their fee when the market is slow and buyers hesitate."),
        Unit("c2", "Bob", "Fees are too high for what they do."),
    ]
    assert units_of(COMMENTS, min_words=9, max_words=20) == [
        Unit("c1", "Ann", "Agents earn their fee when the market is slow and buyers hesitate.")
    ]


def test_units_of_falls_back_to_every_sentence_with_words() -> None:
    """Out of bounds: every sentence that could be an argument ("Yes." and "No way." cannot);
    with none of those, every sentence but questions and code."""
    assert [u.sentence for u in units_of(COMMENTS, min_words=30, max_words=40)] == [
        "Agents earn their fee when the market is slow and buyers hesitate.",
        "Fees are too high for what they do.",
    ]
    cheers = [("c1", "Ann", "Pics. What happened next?"), ("c2", "Bob", "That's amazing.")]
    assert [u.sentence for u in units_of(cheers)] == ["Pics.", "That's amazing."]


def test_units_leave_out_questions_code_markers_and_quotes() -> None:
    rows = [
        ("c1", "Ann", "Agents earn their fee when the market is slow and buyers hesitate."),
        (
            "c2",
            "Bob",
            "@Ann: Fees are too high for what they do. Is it possible to sell alone. "
            'File "setup.py", line 1, in <module>\n'
            "Agents earn their fee when the market is slow and buyers hesitate.",
        ),
    ]
    assert [u.sentence for u in units_of(rows)] == [
        "Agents earn their fee when the market is slow and buyers hesitate.",
        "Fees are too high for what they do.",  # after the marker: still a substring
    ]
