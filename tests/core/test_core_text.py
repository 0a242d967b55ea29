"""The shared text helpers in bot.core.text."""

from bot.core.text import flat, short, without_urls, words


def test_short_keeps_short_text_on_one_line() -> None:
    assert short("two\n  lines", 20) == "two lines"


def test_short_cuts_at_a_word_and_trims_punctuation_by_default() -> None:
    text = "alpha beta, gamma delta epsilon"
    assert short(text, 14) == "alpha beta…"
    assert len(short(text, 14)) <= 14


def test_short_trim_empty_keeps_the_punctuation_before_the_ellipsis() -> None:
    assert short("alpha beta, gamma delta epsilon", 14, trim="") == "alpha beta,…"


def test_words_are_letters_first_and_keep_compounds_whole() -> None:
    text = "In 2019 the well-known MP3 player's created_utc field, 4th try: don't."
    assert words(text) == [
        "in", "the", "well-known", "mp3", "player's", "created_utc", "field", "th", "try", "don't"
    ]  # fmt: skip


def test_words_digits_and_split_compounds_for_word_for_word_comparison() -> None:
    text = "In 2019 the well-known MP3 player's created_utc field, 4th try: don't."
    assert words(text, digits=True, split_compounds=True) == [
        "in", "2019", "the", "well", "known", "mp3", "player's", "created", "utc", "field",
        "4th", "try", "don't",
    ]  # fmt: skip


def test_words_leave_out_urls_and_keep_non_ascii_letters() -> None:
    text = "See https://example.com/a-b and WWW.Example.org: naïve Göteborg, dogs' bones"
    expected = ["see", "and", "naïve", "göteborg", "dogs", "bones"]
    assert words(text) == expected
    assert words(text, digits=True, split_compounds=True) == expected


def test_without_urls_replaces_each_link_by_a_space() -> None:
    text = "See https://Example.com/x, www.example.org and http://a.b/c?d=e."
    assert without_urls(text).split() == ["See", "and"]
    assert without_urls("HTTP://A.B") == "HTTP://A.B"  # lower case only: `words` lowers first
    assert without_urls("no links here") == "no links here"


def test_flat_puts_text_on_one_line() -> None:
    assert flat("  two\n\tlines  here ") == "two lines here"


def test_ascii_word_patterns_match_the_unicode_ones_on_ascii_text() -> None:
    import random
    import string

    from bot.core.text import _WORD

    rnd = random.Random(3)
    alphabet = string.ascii_letters + string.digits + " -_'.,!?\n" + "’"
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))).lower()
        if not text.isascii():
            continue
        for digits in (False, True):
            for split in (False, True):
                fast = _WORD[digits, split, True].findall(text)
                assert fast == _WORD[digits, split, False].findall(text), text
