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
    assert [u.sentence for u in units_of(COMMENTS, min_words=30, max_words=40)] == [
        "Yes.",
        "Agents earn their fee when the market is slow and buyers hesitate.",
        "No way.",
        "Fees are too high for what they do.",
    ]
