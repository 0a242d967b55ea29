"""Side labels name a position, stance lines are sentences, the headline is the thesis."""

from __future__ import annotations

from bot.core.model import KeyArgument
from bot.engines.offline.engine import LABEL_CHARS, _evidence, _label
from bot.engines.offline.summary import headline


def _point(sentence: str, n: int) -> KeyArgument:
    return KeyArgument(
        point=sentence,
        comment_ids=tuple(f"c{i}" for i in range(n)),
        authors=tuple(f"a{i}" for i in range(n)),
        quote=sentence,
        quote_comment_id="c0",
    )


def test_label_is_the_claim_clause_of_the_main_point() -> None:
    long = (
        "I believe the upshot is that, in the US, realtors lobby the government really hard "
        "so that nothing changes."
    )
    label = _label("B", (_point(long, 3), _point("Agents are worth their fee.", 2)), ["lobby"])
    assert (
        label
        == "Side B: In the US, realtors lobby the government really hard so that nothing changes"
    )
    concession = (
        "And it does make sense to pay for it… but the amount being paid should be lower "
        "today since it is easier to sell and buy."
    )
    label = _label("D", (_point(concession, 1),), [])
    assert label == "Side D: The amount being paid should be lower today"
    assert len(label) <= LABEL_CHARS + len("Side D: ")


def test_label_falls_back_to_terms_without_points() -> None:
    assert _label("C", (), ["fee", "commission"]) == "Side C: fee, commission"


def test_stance_evidence_reads_as_a_sentence() -> None:
    assert _evidence(14, 0) == "Its members push back on other sides in 14 replies."
    assert _evidence(1, 1) == (
        "Its members push back on other sides in one reply and back each other up in one other."
    )
    none = _evidence(0, 0)
    assert "0" not in none and none.endswith(".")


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
