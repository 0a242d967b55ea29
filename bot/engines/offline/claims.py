"""Is a sentence an argument? Cheap English cues, no model.

A key argument, a headline or a side label should be a claim or a reason, not a credential
("I have been a realtor for 35 years."), an exclamation ("Finally someone wrote this!"), a
greeting or thanks, a question, or a fragment ("But not real estate agents."). `claim_score`
rejects those (None) and otherwise counts argument markers: reasons (because, since, so),
modals and predictions (should, must, will, would), costs and comparisons (cost, fee, more,
cheaper), negation and conditions (not, never, if, unless). Deterministic and fast.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.text import words

MIN_CLAIM_WORDS = 6

_MARKERS = frozenset(
    """
    because since therefore thus hence so why reason reasons means mean meaning result leads
    lead cause causes caused effect should shouldn't must mustn't need needs needed ought
    will won't would wouldn't could couldn't can can't cannot may might shall
    cost costs costly price prices pay pays paid paying fee fees money cheap cheaper expensive
    afford save saves saving waste worth value benefit benefits harm harms risk risks danger
    dangerous safe safer protect protects prevent prevents allow allows help helps hurt hurts
    more less better worse best worst most least only enough too
    not no never nothing nobody none isn't aren't wasn't weren't don't doesn't didn't
    if unless otherwise instead however although though but while whereas yet still
    right wrong true false fair unfair important necessary impossible
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
"""Words that mark a reason, a claim, a prediction, a cost or a comparison."""

_CONNECTIVE = re.compile(r"^(but|and|or|so|yet|also|plus|then|or even|not)\b[\s,]*", re.IGNORECASE)
_GREETING = re.compile(
    r"^(hi|hello|hey|dear|thanks|thank you|thx|congrats|congratulations|great (post|article|read|"
    r"piece|point)|nice (post|article|read)|well said|good (post|article|point)|lol|haha|wow|"
    r"ok|okay|yes|yeah|yep|no|nope|agreed|exactly|indeed|this|\+1|amen|bravo|"
    r"finally|welcome|cheers|regards)\b[\s!.,:;)]*",
    re.IGNORECASE,
)
_CREDENTIAL = re.compile(
    r"^(i|we)\s*(’|')?\s*(have|ve|am|m|was|were|had|worked|work|sold|bought|own|hold|been)\b"
    r".{0,60}\b(years?|decades?|realtors?|agents?|brokers?|licen[cs]ed|experience|professional|"
    r"career|business|industry|expert|veteran|degree|phd|engineer|developer|lawyer|doctor|"
    r"nurse|teacher|homes?|houses?|properties)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = frozenset({"i", "me", "my", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d"})


@lru_cache(maxsize=1 << 16)
def claim_score(sentence: str, *, strict: bool = True) -> float | None:
    """None when `sentence` is not an argument (question, exclamation, greeting, credential,
    fragment); otherwise a score >= 0 that grows with its argument markers. With
    `strict=False` an exclamation that is otherwise a claim passes ("X does all the work!!"):
    for a side that wrote nothing calmer. Cached: the key arguments, summaries and unanswered
    arguments of one analysis score the same sentences."""
    s = sentence.strip().rstrip("\"'”’)]")
    ws = words(s)
    if len(ws) < MIN_CLAIM_WORDS:
        return None
    if s.endswith("?") or s.endswith(":") or s.endswith(",") or (strict and s.endswith("!")):
        return None
    if s.rstrip(".").endswith("…") or s.endswith("..."):  # trails off
        return None
    first = s.lstrip("\"'“‘(*>-–— ")
    bare = _CONNECTIVE.sub("", first, count=1)  # "And finally, somebody…" -> "finally, …"
    if not first or first.lower().startswith(("which ", "who ", "that ", "etc")):  # a fragment
        return None
    if _GREETING.match(bare) and len(ws) < 12:
        return None
    letters = sum(map(str.isalpha, s))
    if letters and sum(map(str.isupper, s)) > 0.6 * letters:  # shouting
        return None
    markers = {w.replace("’", "'") for w in ws} & _MARKERS
    if _CREDENTIAL.match(first) and len(markers - {"more", "than", "most"}) < 2:
        return None
    if _CONNECTIVE.match(first) and len(ws) < 9:  # "But not real estate agents."
        return None
    score = float(len(markers))
    mine = sum(w.replace("’", "'") in _FIRST_PERSON for w in ws)
    if mine and mine * 6 >= len(ws):  # mostly about oneself: a story, less an argument
        score -= 1.0
    if s.endswith("!") and not markers:  # an exclamation with nothing argued: a jab
        return None
    return max(0.0, score)
