"""The shared text helpers in bot.core.text."""

from bot.core.text import short


def test_short_keeps_short_text_on_one_line() -> None:
    assert short("two\n  lines", 20) == "two lines"


def test_short_cuts_at_a_word_and_trims_punctuation_by_default() -> None:
    text = "alpha beta, gamma delta epsilon"
    assert short(text, 14) == "alpha beta…"
    assert len(short(text, 14)) <= 14


def test_short_trim_empty_keeps_the_punctuation_before_the_ellipsis() -> None:
    assert short("alpha beta, gamma delta epsilon", 14, trim="") == "alpha beta,…"
