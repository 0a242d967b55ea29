import pytest

from bot.core.text import sentences
from bot.engines.offline.signs import reply_sign, strip_quoted

PARENT = "Rent control protects tenants from sudden increases. It keeps families housed."


@pytest.mark.parametrize(
    "reply",
    [
        "Indeed, and it keeps nurses in the city.",
        "Exactly. That is the point.",
        "+1, well put.",
        "Ding ding ding, we have a winner.",
        "This.",
        "I agree with you completely.",
        "Well said, and more could be added.",
    ],
)
def test_agreement_cues(reply: str) -> None:
    assert reply_sign(reply, PARENT) > 0


@pytest.mark.parametrize(
    "reply",
    [
        "No, it shrinks the supply of housing.",
        "Wrong. Economists agree on this.",
        "But who pays for the repairs then?",
        "I don't agree: supply falls.",
        "Yes, but the supply falls.",
        "Exactly what do you mean by sudden?",
        "Where does the money come from? And who builds?",
    ],
)
def test_disagreement_cues_and_false_friends(reply: str) -> None:
    assert reply_sign(reply, PARENT) < 0


def test_quoting_to_answer_is_stripped_and_leans_negative() -> None:
    reply = "Rent control protects tenants from sudden increases.\nIt does the opposite."
    text, quoted = strip_quoted(reply, PARENT)
    assert quoted and text == "It does the opposite."
    assert reply_sign(reply, PARENT) < reply_sign("It does the opposite.", PARENT)


def test_quote_then_agreement_cue_agrees() -> None:
    reply = "> It keeps families housed.\nExactly. My sister stayed because of it."
    assert reply_sign(reply, PARENT) > 0


def test_plain_reply_is_nearly_neutral_and_confrontation_pushes_down() -> None:
    plain = reply_sign("My landlord raised the rent twice last year.", PARENT)
    assert abs(plain) < 0.2
    pointed = reply_sign("Have you ever paid rent? You do not know what you say.", PARENT)
    assert pointed < plain - 0.3


def test_this_opening_a_sentence_is_not_agreement() -> None:
    assert reply_sign("This is nonsense: supply falls.", PARENT) < reply_sign("This.", PARENT)


def test_sentences_are_exact_substrings() -> None:
    text = 'First one. Second?  Third!\n\nA line\nwithout stop "quoted." End'
    found = sentences(text)
    assert found == ["First one.", "Second?", "Third!", "A line", 'without stop "quoted."', "End"]
    assert all(s in text for s in found)
