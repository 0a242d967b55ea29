"""Is a sentence an argument? Cheap English cues, no model.

A key argument, a headline or a side label should be a claim or a reason, not a credential
("I have been a realtor for 35 years."), an exclamation ("Finally someone wrote this!"), a
greeting or thanks, a question (with or without its question mark: "Is it possible to log in
with -p."), a line of code or of a log ("File "setup.py", line 1, in <module>"), a signature,
a fragment ("But not real estate agents."), or a remark to the readers about the thread
("Please people, get ALL of the facts before commenting."). `claim_score` rejects those (None) and
otherwise counts argument markers: reasons (because, since, so),
modals and predictions (should, must, will, would), costs and comparisons (cost, fee, more,
cheaper), negation and conditions (not, never, if, unless). `standalone` says how well a claim
reads as a position out of context: less for a personal story ("I posted my house on
craigslist…"), a sentence about oneself or one addressed to "you". Deterministic and fast.
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
_ASKING = re.compile(
    r"^(?:(?:is|are|was|were|do|does|did|can|could|would|will|should|shall|has|have|had|may|"
    r"might|am|isn't|aren't|don't|doesn't|didn't|can't|won't|wouldn't|shouldn't)\s+"
    r"(?:i|you|we|they|he|she|it|there|this|that|these|those|anyone|anybody|someone|somebody|"
    r"anything|any|the|a|an|your|my|our|their|his|her)\b|"
    r"(?:how|what|why|where|when|who|whom|whose|which)\s+(?:is|are|was|were|do|does|did|can|"
    r"could|would|will|should|has|have|about|if|else|exactly|on earth)\b|"
    r"any (?:idea|ideas|thoughts|suggestions|chance)\b)",
    re.IGNORECASE,
)
_CODE = re.compile(
    r"^\s*(?:traceback \(most recent call last\)|file \"[^\"]*\", line \d+|at [\w.$]+\(|"
    r"[\w.]*(?:error|exception|warning):|\$ |>>> |\.\.\. |#include|import [\w.]+|"
    r"from [\w.]+ import|def \w+\(|class \w+[(:]|"
    r"(?:public|private|static|void|int|var|let|const|return)\s)",
    re.IGNORECASE,
)
_CODE_ANYWHERE = re.compile(
    r"==|!=|=>|->|::|\w\(\)|\.\w+\(|_\w*\(|</?\w+>|&lt;|&gt;|[{};]\s*$|\w \+?= \w"
)
_CODE_SIGNS = frozenset("=>:(&;{}<")
_PERSONAL = re.compile(
    r"^(?:you|u)\s+(?:seem|obviously|clearly|apparently|misread|missed|misunderstood|must be|"
    r"should (?:read|try)|did(?:n't| not) read|do(?:n't| not) (?:understand|get|know)|keep|"
    r"have no idea|are (?:wrong|ignorant|missing|confusing|clearly|obviously))\b",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(?:--+|sent from my|(?:best|kind|warm)?\s*regards\b|cheers\b|thanks again\b|edit\s*\d*:?$)",
    re.IGNORECASE,
)


_META = re.compile(
    r"^(?:please|(?:people|folks|guys|everyone|everybody|ladies and gentlemen)\s*[,!:])|"
    r"\bbefore (?:commenting|posting|you (?:comment|post))\b|"
    r"\bcomment(?:s|ed|ing)? (?:on|in|under) (?:this|the) (?:post|article|blog|thread)\b|"
    r"\b(?:in|read) (?:the|these) comments\b",
    re.IGNORECASE,
)
"""A remark to the readers about the thread rather than about its subject."""
_FIRST_START = re.compile(r"^(?:i|i'm|i've|i'd|me|my|we|we've|our|us)\b", re.IGNORECASE)
_STORY = re.compile(
    r"^(?:(?:so|and|but|well|actually|yes|no),?\s+)?(?:i|we|my \w+|our \w+)\s+(?:\w+ly\s+)?"
    r"(?:\w+ed|was|were|had|did|got|went|bought|sold|made|took|saw|found|told|paid|spent|left|"
    r"came|gave|knew|thought|felt|said|tried|lost|won|ran|wrote|read|met|began|became|kept|put|"
    r"sent|built)\b",
    re.IGNORECASE,
)
"""A personal story: "I posted…", "We sold…", "My agent told…"."""
_YOU_START = re.compile(r"^(?:you|your|you're)\b", re.IGNORECASE)


_ODD = re.compile(r"_|[^\w\s.,;:!?'’\"“”()\-–—%$/]")
"""A character of code rather than prose: an underscore or a symbol (digits are prose too:
"6% of $300,000")."""


def is_question(sentence: str) -> bool:
    """A question by its mark or by its form ("Is it possible to …", "How do you …")."""
    s = sentence.strip().rstrip("\"'”’)]")
    return s.endswith("?") or bool(_ASKING.match(s.lstrip("\"'“‘(*>-–—• ")))


def looks_like_code(sentence: str) -> bool:
    """A line of code, a shell prompt or a log/traceback line rather than prose: its form
    (`File "x.py", line 3`, `>>> `, `foo.bar(`, `a == b`, braces, tags) or its symbols (more
    than a fifth of its characters neither letters, digits, spaces nor punctuation)."""
    if _CODE.match(sentence) or (
        not _CODE_SIGNS.isdisjoint(sentence) and _CODE_ANYWHERE.search(sentence)
    ):
        return True
    chars = len(sentence) - sum(map(sentence.count, " \n\t"))
    return chars > 0 and len(_ODD.findall(sentence)) > 0.2 * chars


@lru_cache(maxsize=1 << 16)
def arguable(sentence: str) -> bool:
    """Could this sentence stand as an argument at all: not a question, code or log line,
        signature, greeting or thanks, or remark about the person answered ("You seem to have
    misread…"). (`claim_score` asks more: length, markers, form.) Cached like `claim_score`."""
    bare = sentence.strip().lstrip("\"'“‘(*>-–—• ")
    if not bare or is_question(sentence) or looks_like_code(sentence) or _SIGNATURE.match(bare):
        return False
    if _PERSONAL.match(bare):  # "You seem to have misread my comment.": about a person
        return False
    return not (_GREETING.match(_CONNECTIVE.sub("", bare, count=1)) and len(words(bare)) < 12)


@lru_cache(maxsize=1 << 16)
def claim_score(
    sentence: str, *, strict: bool = True, min_words: int = MIN_CLAIM_WORDS
) -> float | None:
    """None when `sentence` is not an argument (question, exclamation, greeting, credential,
    fragment, fewer than `min_words` words); otherwise a score >= 0 that grows with its
    argument markers. With `strict=False` an exclamation that is otherwise a claim passes ("X
    does all the work!!"): for a side that wrote nothing calmer. Cached: the key arguments,
    summaries and unanswered arguments of one analysis score the same sentences."""
    s = sentence.strip().rstrip("\"'”’)]")
    ws = words(s)
    if len(ws) < min_words:
        return None
    if s.endswith(":") or s.endswith(",") or (strict and s.endswith("!")):
        return None
    if is_question(s) or looks_like_code(s):
        return None
    if s.rstrip(".").endswith("…") or s.endswith("..."):  # trails off
        return None
    first = s.lstrip("\"'“‘(*>-–— ")
    bare = _CONNECTIVE.sub("", first, count=1)  # "And finally, somebody…" -> "finally, …"
    if not first or first.lower().startswith(("which ", "who ", "that ", "etc")):  # a fragment
        return None
    if _GREETING.match(bare) and len(ws) < 12:
        return None
    if _META.search(bare):  # "Please people, get ALL of the facts before commenting."
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


@lru_cache(maxsize=1 << 16)
def standalone(sentence: str) -> float:
    """How well a claim reads as a position out of context, 0 to 1: 1 for a general statement
    of 8 to 25 words, less for a personal story ("I posted my house few times at craigslist
    and…"), a sentence about oneself ("I", "my", "we" first) or addressed to "you", or one
    shorter or longer; 0 for what is no claim (`claim_score`)."""
    if claim_score(sentence) is None:
        return 0.0
    s = sentence.strip().lstrip("\"'“‘(*>-–—• ").replace("’", "'")
    score = 1.0
    if _STORY.match(s):
        score -= 0.3
    elif _FIRST_START.match(s):
        score -= 0.15
    if _YOU_START.match(s):
        score -= 0.15
    if not 8 <= len(words(s)) <= 25:
        score -= 0.1
    return score
