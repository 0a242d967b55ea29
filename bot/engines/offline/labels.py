"""Names for what people argue: a key argument's title and a side's label, in a few words.

A title is a key phrase of the group of sentences that make the point, not the first sentence
of one comment: every clause of the group's sentences (split at commas, colons, dashes and
before "but / because / since / which…") that reads as a statement of at most MAX_WORDS words,
hedges and connectives taken off ("I think", "And", "because"), is a candidate; the one closest
in meaning to the whole group and to the quoted sentence wins (mean of the two cosines of
the sentence vectors, centred on the group), a clause of the quoted sentence by a margin, and
another member's only when it says what the quote says (SAME_AS_QUOTE). A candidate must be a
statement (a claim by `claims.claim_score`, not "Only 20 years ago"; one of 4-5 words only
with a verb and ranked lower, `_short_statement`); clauses that open with a
pronoun ("it", "they"…) or speak of oneself read worse out of context and are ranked lower;
conditions ("if…", "when…") and questions never name a point; what follows "is that" or "I
think that" is a statement of its own (not after a negation). A clause too long is trimmed
before a phrase that can go, as headline writers do (Dorr et al. 2003, "Hedge Trimmer"): a
trailing prepositional phrase, a purpose "to…", an "and…" ("It makes sense to pay someone to
help you in a large transaction" -> "It makes sense to pay someone"), when what is left is still
a statement; such a title ranks a little below a whole clause. Only when nothing qualifies is
the quoted sentence cut at MAX_WORDS words (trailing little words dropped) and marked "…".
Titles never hold an `@name`, a link, code or quotation marks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np

from bot.core.model import KeyArgument
from bot.core.text import words
from bot.engines.offline.claims import MIN_CLAIM_WORDS, claim_score, is_question, looks_like_code
from bot.engines.offline.embeddings import sentence_vectors

MAX_WORDS = 8
"""A title or a side's label names the position in at most this many words."""
MIN_WORDS = 3
TITLE_CLAIM_WORDS = 4
SHORT_PENALTY = 0.1
"""A statement shorter than an argument names the point only when no longer clause is this much
closer: "You can hold it" says less than "Both of you play at the top"."""
"""A clause names a point when it is a statement of this many words or more ("Researchers
prefer permanent winter time"); an argument on its own needs more (`claims.MIN_CLAIM_WORDS`)."""
QUOTE_BONUS = 0.2
"""A clause of the quoted sentence wins over another member's when this close: the title and
the quote under it then say the same thing."""
PRONOUN_PENALTY = 0.15
FIRST_PERSON_PENALTY = 0.1
SAME_AS_QUOTE = 0.6
"""Another member's clause may name the point only when this close to the quote itself."""
TRIM_PENALTY = 0.1
"""A trimmed clause names the point only when no whole clause is this much closer."""
MAX_MEMBERS = 40
"""Sentences of a group read for its title (the quoted one first)."""

_HEDGE = re.compile(
    r"^(?:(?:and|but|so that|so|yet|however|also|yes|well|of course|in fact|actually|honestly|"
    r"indeed|exactly|first of all|plus|then|because|since|as|though|as far as i can tell|"
    r"as (?:someone|others|others have|you) (?:mentioned|said|noted)(?: above)?|imo|imho|"
    r"i (?:think|believe|feel|guess|suspect|agree|would say|'d say|’d say)(?! of| about)"
    r"(?: that)?|"
    r"in my (?:opinion|experience)|the (?:point|fact|truth|upshot|problem|thing) is(?: that)?|"
    r"it seems(?: to me)?(?: that)?)[\s,:]+)+",
    re.IGNORECASE,
)
_CLAUSE = re.compile(
    r"(?:[,;:…()\[\]]+|\s[-–—]+|\.\.\.)\s*|\s+(?=(?:but|yet|however|because|since|so that|"
    r"which|whereas|although|though|while|unless|otherwise)\s)",
    re.IGNORECASE,
)
_CONDITION = (
    *("if ", "when ", "while ", "although ", "though ", "unless ", "whereas ", "which "),
    *("after ", "before ", "until ", "once ", "as soon as ", "even if ", "even though "),
    *("as long as ", "as far as ", "provided ", "in case ", "however "),
)
_VERB_CUE_WORDS = (
    "is are was were be been am has have had do does did can cannot could will would should must "
    "may might won't can't never"
)
_VERB_CUES = frozenset(_VERB_CUE_WORDS.split())
_DETERMINER_WORDS = (
    "the a an these those this that my your his her our their its of some many all no any"
)
_DETERMINERS = frozenset(_DETERMINER_WORDS.split())
"""Before a word in -s these make it a noun ("a set of beliefs", "these cases"), not a verb."""
_PRONOUN = frozenset(
    ["it", "this", "that", "they", "them", "these", "those", "he", "she", "which", "there"]
)
_FIRST = frozenset(["i", "me", "my", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "we", "our", "us"])
_LITTLE_WORDS = (
    "a an the of to in on at for and or but with without by from as is are was were be been "
    "that this these those their its his her our your my so than then very about into onto "
    "over under through after before if when which who whom would could should will can may "
    "might must not no more most some any all each they he she it we you i there just also "
    "do does did have has had how what why where whether whom whose"
)
_LITTLE = frozenset(_LITTLE_WORDS.split())
"""Words a cut title must not end on."""
_FILLER = re.compile(
    r"\s(?:very|really|actually|just|quite|simply|certainly|definitely|basically|literally|"
    r"totally|pretty much|of course|indeed|truly|honestly)(?=[\s,])",
    re.IGNORECASE,
)
_CAN_GO_WORDS = (
    "in on at for from during with within through via by to because since so and when where "
    "while after before until into over under about across per like"
)
_CAN_GO = frozenset(_CAN_GO_WORDS.split())
"""Words that open a phrase a title can do without (a trailing adjunct)."""
_NEEDS_TO_WORDS = (
    "want wants need needs have has had going able unable used ought try tries tend tends seem "
    "seems likely allowed supposed hard easy important necessary sense reason way"
)
_NEEDS_TO = frozenset(_NEEDS_TO_WORDS.split())
"""Words after which "to…" is not a purpose but what the clause says ("need to pay")."""
_MIN_TRIMMED = 4
_THAT = re.compile(
    r"^(?P<head>.{0,80}?\b(?:is|was|are|were|be|think|believe|feel|argue|agree|means?)\s+that)\s+"
    r"(?P<rest>\S.*)$",
    re.IGNORECASE,
)
"""'The key benefit is that X', 'It might be that X', 'I think that X': X is the statement."""
_NEGATION = re.compile(r"\b(?:not|never|no|nobody|hardly)\b|n['’]t\b", re.IGNORECASE)
_MARKS = re.compile(r"[\"“”«»„‟*_`]|(?<!\w)['‘’]|['‘’](?!\w)|^#+\s*")
_NAME = re.compile(r"@\S+|\b\w+://\S+|www\.\S+")
_SIDE_PREFIX = re.compile(r"^Side [A-Z]: ")


def tidy(text: str, *, compact: bool = True) -> str:
    """A phrase as a title shows it: one line, no quotation marks, bullets or markup, no
    `@name` or link, no hedge in front or filler inside ("very", "really"), capitalised, no
    closing punctuation."""
    text = _MARKS.sub("", _NAME.sub("", " ".join(text.split())))
    text = _FILLER.sub("", text) if compact else text
    text = " ".join(text.split()).strip(" ,;:.!…-–—>•")
    text = _HEDGE.sub("", text).strip(" ,;:.!…-–—")
    if text.count("(") != text.count(")"):
        text = text.replace("(", "").replace(")", "")
    return text[:1].upper() + text[1:]


def clauses(sentence: str) -> list[tuple[str, str]]:
    """The statements inside a sentence, each as (tidied phrase, raw clause): a claim of its
    own (claims.claim_score, fillers still in), not a condition, question, fragment ("Only 20
    years ago") or code; what follows "is that" / "I think that" is one too (never after a
    negation: "does not mean that X" does not say X)."""
    out = []
    parts = []
    for part in _CLAUSE.split(html.unescape(sentence)):
        parts.append(part)
        m = _THAT.match(part.strip())
        if m and not _NEGATION.search(m["head"]) and not _conditional(part):
            parts.append(m["rest"])
    for part in parts:
        raw = part.strip()
        if not raw or _conditional(raw) or is_question(raw) or looks_like_code(raw):
            continue
        if f"({raw}" in sentence and not sentence.lstrip().startswith("("):
            continue  # an aside in brackets: "(along with third-wave feminists)"
        plain = tidy(raw, compact=False) + "."
        if claim_score(plain, strict=False) is None and not _short_statement(plain):
            continue
        phrase = tidy(raw)
        if len(phrase.split()) >= MIN_WORDS and len(words(phrase)) >= MIN_WORDS:
            out.append((phrase, raw))
    return out


_ASIDE = re.compile(r"\([^()]*\)")


def _without_asides(sentence: str) -> str:
    """The sentence without what it says in brackets, unless that is all of it."""
    rest = " ".join(_ASIDE.sub(" ", sentence).split())
    return rest if len(rest.split()) >= MIN_WORDS else sentence


def _conditional(clause: str) -> bool:
    return clause.strip().lower().startswith(_CONDITION)


def _short_statement(sentence: str) -> bool:
    """A statement shorter than an argument (`claims.MIN_CLAIM_WORDS`) may still name a point
    ("Banning builds never works", "It doesn't have nulls"): TITLE_CLAIM_WORDS words or more, a
    claim but for its length, not opening on a preposition, an auxiliary or a link's remnant
    ("For the same reason", "Should be considered married", "With more color http"), and with
    a word that reads as a verb: an auxiliary, a negation, or a later word in -s / -ed not
    after a determiner ("All from Sailor Jerry" and "A set of beliefs" have none)."""
    ws = [w.lower().strip(",;:") for w in sentence.rstrip(".").split()]
    if len(ws) < TITLE_CLAIM_WORDS or ws[0] in _CAN_GO | _VERB_CUES or "http" in sentence:
        return False
    if claim_score(sentence, strict=False, min_words=TITLE_CLAIM_WORDS) is None:
        return False
    return any(
        w in _VERB_CUES
        or w.endswith(("n't", "n’t"))
        or (
            k > 0
            and w.endswith(("s", "ed"))
            and not w.endswith(("ss", "us", "is", "'s", "’s"))
            and ws[k - 1] not in _DETERMINERS
        )
        for k, w in enumerate(ws)
    )


def trimmed(clause: str, max_words: int = MAX_WORDS) -> str | None:
    """The clause, tidied, cut before the last phrase that can go (`_CAN_GO`; "of" before a
    number; a closing "as well") so that at most `max_words` words are left that still make a
    statement of their own and end on a word that says something; None when no cut does."""
    ws = clause.split()
    for k in range(len(ws) - 1, _MIN_TRIMMED - 1, -1):
        word = ws[k].lower().strip("\"'“‘(")
        before = ws[k - 1].lower().strip(",;:")
        if not (
            (word in _CAN_GO and not (word == "to" and before in _NEEDS_TO))
            or (word == "of" and ws[k + 1 : k + 2] and ws[k + 1][:1].isdigit())
            or (word == "as" and k == len(ws) - 2 and ws[-1].lower().startswith("well"))
        ):
            continue
        if ws[k - 1][-1:] in ",;:" or before in _LITTLE:
            continue
        head = " ".join(ws[:k])
        phrase = tidy(head)
        if not _MIN_TRIMMED <= len(phrase.split()) <= max_words:
            continue
        if claim_score(tidy(head, compact=False) + ".", strict=False) is not None:
            return phrase
    return None


def cut(sentence: str, max_words: int = MAX_WORDS) -> str:
    """The sentence tidied, cut to `max_words` words without ending on a little word, marked
    '…' when cut."""
    ws = tidy(sentence).split()
    if len(ws) <= max_words:
        return " ".join(ws)
    ws = ws[:max_words]
    while len(ws) > MIN_WORDS and ws[-1].lower().strip(",;:") in _LITTLE:
        ws.pop()
    return " ".join(ws).rstrip(",;:") + "…"


def title(quote: str, members: Sequence[str], max_words: int = MAX_WORDS) -> str:
    """A key phrase of the group `members` (the sentences that make the point; `quote`, the
    one quoted under it, first) in at most `max_words` words."""
    group = list(dict.fromkeys([quote, *members]))[:MAX_MEMBERS]
    found: list[tuple[str, bool, bool]] = []
    for n, sentence in enumerate(group):
        for phrase, raw in clauses(sentence):
            if len(phrase.split()) <= max_words:
                found.append((phrase, n == 0, False))
            elif short := trimmed(raw, max_words):
                found.append((short, n == 0, True))
    if not found:
        return _fallback(quote, max_words)
    phrases = list(dict.fromkeys(p for p, _q, _t in found))
    from_quote = {p for p, q, _t in found if q}
    whole = {p for p, _q, t in found if not t}
    vectors = sentence_vectors([*group, *phrases], centre=len(group) / (len(group) + 5))
    centre = vectors[: len(group)].mean(axis=0)
    norm = float(np.linalg.norm(centre)) or 1.0
    # Close to the whole group and to the quote under it: the title must not say what the
    # quote does not (a member's clause may even contradict it).
    to_quote = vectors[len(group) :] @ vectors[0]
    closeness = (vectors[len(group) :] @ (centre / norm) + to_quote) / 2

    def value(k: int) -> float:
        p = phrases[k]
        ws = [w.lower() for w in p.split()]
        score = float(closeness[k]) + (QUOTE_BONUS if p in from_quote else 0.0)
        score -= 0.0 if p in whole else TRIM_PENALTY
        score -= SHORT_PENALTY if len(words(p)) < MIN_CLAIM_WORDS else 0.0
        score -= PRONOUN_PENALTY if ws[0] in _PRONOUN else 0.0
        score -= FIRST_PERSON_PENALTY if _FIRST & set(ws) else 0.0
        return score

    fit = [k for k, p in enumerate(phrases) if p in from_quote or to_quote[k] >= SAME_AS_QUOTE]
    if not fit:
        return _fallback(quote, max_words)
    return phrases[max(fit, key=lambda k: (value(k), -k))]


def _fallback(quote: str, max_words: int) -> str:
    """No short statement in the group: the quote's first statement clause, else the whole
    quote, cut to `max_words` words (trimmed at a phrase when it can be, marked "…" else)."""
    long = clauses(quote)
    raw = long[0][1] if long else _without_asides(html.unescape(quote))
    return trimmed(raw, max_words) or cut(raw, max_words)


def side_label(letter: str, points: Sequence[KeyArgument], terms: Sequence[str]) -> str:
    """'Side A: <its position>': the title of the point most of its commenters make (free of
    links first); the side's distinctive terms when it made no point."""
    if not points:
        return f"Side {letter}: " + (", ".join(terms[:3]) or "no distinctive terms")
    top = max(points, key=lambda k: ("://" not in k.quote, len(k.authors)))
    return f"Side {letter}: {top.point}"


def label_words(label: str) -> int:
    """Words that name the position in a label ('Side A: ' not counted)."""
    return len(_SIDE_PREFIX.sub("", label).split())
