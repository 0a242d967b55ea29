import pytest

from bot.render.text import clean, fit, size


def test_short_text_is_only_made_safe():
    assert fit("a **b** @everyone", 100) == "a \\*\\*b\\*\\* @\u200beveryone"
    assert fit("a **b** @here", 100, escape=False) == "a **b** @\u200bhere"
    assert fit("  line\n  two  ", 100, one_line=True) == "line two"


def test_cut_at_a_sentence_end_when_one_is_near():
    text = "First sentence is here. Second sentence is rather longer than that."
    assert fit(text, 40) == "First sentence is here. …"


def test_cut_at_a_word_boundary_otherwise():
    out = fit("alpha beta gamma delta epsilon zeta eta theta", 30)
    assert out == "alpha beta gamma delta…"
    assert size(out) <= 30


def test_a_single_long_word_is_cut_with_an_ellipsis():
    assert fit("x" * 100, 10) == "x" * 9 + "…"


@pytest.mark.parametrize("limit", [5, 17, 64, 333, 1024])
def test_escaping_and_wide_characters_never_break_the_limit(limit):
    text = ("**bold** 😀 _x_ @everyone <@123456789012345678> ~~s~~ " * 80).strip()
    out = fit(text, limit)
    assert size(out) <= limit
    assert out.endswith("…")
    # What is left is a prefix of the whole escaped text, not a mangled escape.
    assert clean(text).startswith(out[:-1].rstrip())


def test_size_counts_utf16_units():
    assert size("😀") == 2 and len("😀") == 1
