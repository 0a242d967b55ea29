"""Side labels name a position, stance lines are sentences, the headline is the thesis."""

from __future__ import annotations

from bot.core.model import KeyArgument
from bot.engines.offline.labels import (
    MAX_WORDS,
    cut,
    label_words,
    side_label,
    tidy,
    title,
    trimmed,
)
from bot.engines.offline.summary import headline


def _point(sentence: str, n: int, point: str | None = None) -> KeyArgument:
    return KeyArgument(
        point=point or title(sentence, [sentence]),
        comment_ids=tuple(f"c{i}" for i in range(n)),
        authors=tuple(f"a{i}" for i in range(n)),
        quote=sentence,
        quote_comment_id="c0",
    )


def test_title_is_a_key_phrase_in_a_few_words() -> None:
    long = (
        "I believe the upshot is that, in the US, realtors lobby the government really hard "
        "so that nothing changes."
    )
    assert title(long, [long]) == "Realtors lobby the government hard"  # "really": filler
    concession = (
        "And it does make sense to pay for it… but the amount being paid should be lower "
        "today since it is easier to sell and buy."
    )
    assert title(concession, [concession]) == "The amount being paid should be lower today"


def test_title_takes_the_phrase_the_group_shares() -> None:
    quote = "Honestly, if you ask me, agents charge far too much for the work they do these days."
    members = [
        quote,
        "The fees are simply too high for what amounts to a few forms.",
        "Commissions are too high for the little work agents do now.",
    ]
    got = title(quote, members)
    assert len(got.split()) <= MAX_WORDS
    assert "fee" in got.lower() or "charge" in got.lower() or "commission" in got.lower()


def test_titles_hold_no_name_marker_link_or_doubled_quotes() -> None:
    for sentence in (
        "@Daniel Lemire: In C# the programmer decides whether arithmetic overflow is checked.",
        "“Agents are “worth” every cent” says the realtor at https://example.com/agents today.",
        "@drone001, the fee is negotiable in every state I have sold houses in so far.",
    ):
        got = title(sentence, [sentence])
        assert "@" not in got and "://" not in got
        assert not any(q in got for q in '“”"'), got
        assert 1 <= len(got.split()) <= MAX_WORDS


def test_cut_ends_on_a_word_that_says_something() -> None:
    got = cut(
        "Sellers pay the agents of both the buyer and the seller out of the price of the house."
    )
    assert got.endswith("…") and len(got.split()) <= MAX_WORDS
    assert got.split()[-1].rstrip("…").lower() not in {"the", "of", "and", "a"}
    assert tidy("  > *And so the fee is too high!* ") == "The fee is too high"


def test_a_long_clause_is_trimmed_at_a_phrase_not_cut_mid_way() -> None:
    """A title drops a trailing phrase (as a headline does) rather than end in '…'."""
    for sentence, expected in (
        ("Yes, it makes sense to pay someone to help you in a large transaction.",
         "It makes sense to pay someone"),
        ("The company charges the “host” a service fee of 3%.",
         "The company charges the host a service fee"),
        ("Title Companies do All the legal work to protect you!!",
         "Title Companies do All the legal work"),
    ):  # fmt: skip
        assert title(sentence, [sentence]) == expected
    # "to" after "need" is what the clause says, not a purpose that can go
    need = "Sellers in most American cities still need to pay both agents a full commission"
    assert trimmed(need) is None  # not "Sellers in most American cities still need"
    long = "Children should not be vaccinated without the consent of their parents or doctors."
    assert title(long, [long]).endswith("…")  # "without…" carries the claim: never dropped


def test_the_statement_after_is_that_names_the_point_unless_negated() -> None:
    said = "The key benefit of Java's safety is that correctness bugs stay local to the code."
    assert title(said, [said]) == "Correctness bugs stay local to the code"
    denied = "Rust's unsafe feature does not mean that Rust is an unsafe language at all."
    assert title(denied, [denied]).startswith("Rust's unsafe feature does not mean")
    maybe = "It could be that agents simply protect their own commission."
    assert title(maybe, [maybe]) == "Agents protect their own commission"


def test_side_label_names_the_position_of_its_main_point() -> None:
    main = _point("Realtors lobby the government so that nothing ever changes.", 3)
    other = _point("Agents are worth their fee.", 2)
    label = side_label("B", (other, main), ["lobby"])
    assert label == f"Side B: {main.point}"
    assert label_words(label) <= MAX_WORDS


def test_label_falls_back_to_terms_without_points() -> None:
    assert side_label("C", (), ["fee", "commission"]) == "Side C: fee, commission"


def test_headline_takes_claims_not_questions_or_fragments() -> None:
    article = (
        "Back in 2002 I went on the Internet and found lots of houses for sale.\n\n"
        "How long could the real estate agents last?\n\n"
        "> Quoted: real estate agents charge a commission that never changes at all.\n\n"
        "It hurts to admit that I was wrong: the Internet has not affected real estate agents.\n\n"
        "Real estate agents cost the same today because their commission has not changed.\n\n"
        "But not real estate agents."
    )
    text = headline(article, limit=2)
    assert "?" not in text and "But not" not in text and "Quoted" not in text
    assert "the Internet has not affected real estate agents" in text
    assert "commission has not changed" in text


def test_a_short_statement_names_a_point_rather_than_a_cut_sentence() -> None:
    """A clause of 4-5 words that states something ("Banning builds never works") beats the
    sentence cut at 8 words; a short fragment without a verb, a preposition's phrase, a
    condition or an aside in brackets never names one."""
    said = "banning builds never works, not in any tournament I have played since the nineties."
    assert title(said, [said]) == "Banning builds never works"
    cond = "If there is a lockdown, my daughter cannot text me."
    assert title(cond, [cond]) == "My daughter cannot text me"
    for fragment in (
        "A set of beliefs, values, and practices based on the teachings of a spiritual leader.",
        "For the same reason, the bill that passed last spring will fail in every court.",
        "You can use named parameters and write them in any order, as long as they are named.",
        "The only way to win is a sudden attack (I know my spelling sucks) against their bases.",
    ):
        got = title(fragment, [fragment])
        assert got not in {"A set of beliefs", "For the same reason", "Long as they are named"}
        assert got != "I know my spelling sucks"


def test_a_title_never_ends_on_a_question_word() -> None:
    said = "It's not serious advice about how to support the grieving."
    got = title(said, [said])
    assert got.rstrip("…").split()[-1].lower() not in {"how", "what", "why", "whether"}


def test_an_aside_in_brackets_never_names_a_point() -> None:
    said = (
        "Second-wave feminists (along with third- and fourth-wave feminists) want to smash "
        "patriarchy, which is the whole point of the movement."
    )
    assert "along with" not in title(said, [said]).lower()
    whole = "(What this verse has to do with the death penalty is beyond me.)"
    assert title(whole, [whole]).startswith("What this verse")  # all of it in brackets
