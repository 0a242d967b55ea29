"""Reply signs: does a reply agree or disagree with what it answers?

Cues are read from the reply after removing what it quotes: an opening agreement cue
("Indeed", "Exactly", "+1", "This.", "Ding ding"), an opening disagreement cue ("No,",
"Wrong", "But", "Yes, but"), a question in the opening, quoting to answer, addressing the
other as "you", questions, negations. A logistic model fitted on held-out labelled debates
(scripts/fit_reply_signs.py) turns them into the probability p that the two authors are on
the same side; the sign is 2p - 1. Not every reply is a rebuttal: a plain reply comes out
near neutral, while quoting, "you" and questions push it towards disagreement.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from bot.core.text import words

AGREE = (
    "+1",
    "indeed",
    "exactly",
    "ding ding",
    "agreed",
    "i agree",
    "i totally agree",
    "i completely agree",
    "i concur",
    "absolutely",
    "well said",
    "well put",
    "good point",
    "great point",
    "excellent point",
    "spot on",
    "so true",
    "very true",
    "that's true",
    "that is true",
    "that's right",
    "you're right",
    "you are right",
    "right on",
    "precisely",
    "correct",
    "yes",
    "yeah",
    "yep",
    "amen",
    "nicely said",
    "nails it",
    "bingo",
    "same here",
    "me too",
    "likewise",
    "good post",
    "great post",
)
DISAGREE = (
    "no",
    "nope",
    "nah",
    "wrong",
    "but",
    "however",
    "actually",
    "not really",
    "not true",
    "not so",
    "nonsense",
    "rubbish",
    "bullshit",
    "bs",
    "i disagree",
    "i don't agree",
    "i do not agree",
    "disagree",
    "that's not",
    "that is not",
    "that's wrong",
    "you're wrong",
    "you are wrong",
    "false",
    "so what",
    "really",
    "seriously",
    "ridiculous",
    "absurd",
    "sorry but",
    "um",
    "uh",
    "umm",
    "except",
    "then why",
    "prove it",
    "citation needed",
    "you clearly",
    "you obviously",
    "how",
    "why",
    "what",
    "who says",
    "says who",
    "on the contrary",
    "wait",
    "lol",
    "oh please",
    "come on",
    "riiight",
    "i doubt",
    "doubt",
    "hardly",
    "ironic",
    "irrelevant",
    "strawman",
    "straw man",
    "fallacy",
    "wrong again",
)
_AGREE = {tuple(w.split()) for w in AGREE}
_DISAGREE = {tuple(w.split()) for w in DISAGREE}
_NEGATED_AGREE = re.compile(r"^\W*(?:i\s+)?(?:do\s*n[o']t|don't|cannot|can't|won't)\s+agree", re.I)
_STANDALONE = {"this", "true", "yes", "yeah", "right", "agreed", "exactly", "indeed", "same"}
"""Agreement only when they are the whole first sentence ("This.", "Yes!"), not "This is…"."""
_MIXED = re.compile(r"\b(?:but|however|although|though|except)\b", re.I)
_QUOTE_LINE = re.compile(r"^\s*(?:>|&gt;|quote:|originally posted by\b).*$", re.I | re.M)


@lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    return " ".join(words(text))


def strip_quoted(reply: str, parent: str | None = None) -> tuple[str, bool]:
    """Remove what the reply quotes (marked lines, or passages copied from `parent`) from its
    opening. Returns the remaining text and whether anything was quoted."""
    quoted = False
    text = reply
    if _QUOTE_LINE.search(text):
        rest = _QUOTE_LINE.sub("", text)
        quoted = rest.strip() != text.strip()
        text = rest
    if parent:
        target = f" {_norm(parent)} "
        # Drop leading lines or sentences copied from the parent (quoting to answer).
        while True:
            stripped = text.lstrip()
            cut = _leading_piece(stripped)
            if not cut:
                break
            piece = _norm(stripped[:cut])
            if len(piece.split()) >= 4 and f" {piece} " in target:
                text = stripped[cut:]
                quoted = True
                continue
            break
    return text.strip(), quoted


_FIRST_BREAK = re.compile(r"\n|(?<=[.!?])\s")
"""Where the first line or sentence of a text ends."""


def _leading_piece(text: str) -> int:
    """Length of the first line or sentence of `text`, with the break after it."""
    m = _FIRST_BREAK.search(text)
    return m.end() if m else len(text)


def _starts_with(tokens: list[str], cues: set[tuple[str, ...]]) -> bool:
    return any(tuple(tokens[:k]) in cues for k in range(1, min(len(tokens), 4) + 1))


def _agrees(head: str, tokens: list[str]) -> bool:
    """An agreement cue opens the reply and is followed by punctuation or a line end for
    one-word cues ("Exactly." agrees, "Exactly what do you mean" does not)."""
    for k in range(1, min(len(tokens), 4) + 1):
        cue = tuple(tokens[:k])
        if cue not in _AGREE:
            continue
        if len(cue) > 1:
            return True
        m = re.match(r"\W*" + re.escape(cue[0]) + r"(\W|$)", head, re.I)
        if m and (m.group(1) == "" or m.group(1) in ",.!;:-\n"):
            return True
    return False


_SECOND_PERSON = {"you", "your", "you're", "yours", "yourself", "you've", "you'd", "you'll", "u"}
_NEGATIONS = {
    "not",
    "no",
    "never",
    "don't",
    "isn't",
    "doesn't",
    "can't",
    "didn't",
    "aren't",
    "wasn't",
    "won't",
    "nothing",
    "nobody",
    "cannot",
}

FEATURES = (
    "agree_cue",
    "disagree_cue",
    "question_opening",
    "quoted",
    "second_person",
    "question",
    "negations",
)
"""What `reply_features` measures, in order. Each is 0 or 1."""
INTERCEPT = 0.215
WEIGHTS = (0.438, -0.084, 0.027, -0.805, -0.585, -0.420, -0.195)
"""Logistic regression of "same side" on FEATURES (scripts/fit_reply_signs.py)."""
CUE_FLOOR = 1.0
"""An explicit opening cue moves the log-odds by at least this much. On 4forums sarcasm makes
"Exactly." and "No," weak evidence (fitted +0.44 and -0.08); on most platforms a reply that
opens "No, ..." disagrees, and a summary that calls it agreement looks broken."""


_WEIGHTS = (max(WEIGHTS[0], CUE_FLOOR), min(WEIGHTS[1], -CUE_FLOOR), *WEIGHTS[2:])


def reply_features(reply: str, parent: str | None = None) -> tuple[float, ...]:
    """The cues of `reply` towards `parent`, in the order of FEATURES."""
    return features_of(*strip_quoted(reply, parent))


def features_of(text: str, quoted: bool) -> tuple[float, ...]:
    """The cues of a reply whose own text (quotes removed) is `text`."""
    head = text[:200].lstrip()
    tokens = words(head)[:6]
    if head.startswith("+1"):
        tokens = ["+1", *tokens]
    m = _FIRST_BREAK.search(head)
    first_line = head[: m.start()] if m else head
    agree = disagree = False
    if _NEGATED_AGREE.match(head):
        disagree = True
    elif words(first_line) and " ".join(words(first_line)) in _STANDALONE:
        agree = True
    elif tokens and _agrees(head, tokens):
        # "Yes, but ..." / "True, however ..." in the first sentence is a polite rebuttal.
        disagree = bool(_MIXED.search(head.split(".", 1)[0][:120]))
        agree = not disagree
    elif tokens and _starts_with(tokens, _DISAGREE):
        disagree = True
    every = words(text)
    return (
        float(agree),
        float(disagree),
        float(first_line.rstrip().endswith("?")),
        float(quoted),
        float(any(w in _SECOND_PERSON for w in every)),
        float("?" in text),
        float(sum(w in _NEGATIONS for w in every) >= 2),
    )


def reply_sign(reply: str, parent: str | None = None) -> float:
    """Stance of `reply` towards `parent`, in (-1, 1): > 0 agrees, < 0 disagrees. It is
    2p - 1 for p the fitted probability that the two authors are on the same side."""
    return sign_of(reply_features(reply, parent))


def sign_of(f: tuple[float, ...]) -> float:
    """2p - 1 for the features `f` (see `reply_sign`)."""
    logit = INTERCEPT + sum(w * x for w, x in zip(_WEIGHTS, f, strict=True))
    return math.tanh(logit / 2)
