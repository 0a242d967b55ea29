"""What a reader sees as a reply where the text carries no marker: a commenter's views named in
the third person ("everything Michael Reynolds theorizes in this thread", "Kowalski's
argument"), an argument named by what it is ("your bet", when one earlier comment makes a bet),
and an opening that talks back to someone ("You put a lot of faith in…").

These are text patterns only; `bot.core.replies` decides which comment they point at."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.names import AuthorIndex, key
from bot.core.words import STOPWORDS

# "X says / theorizes / is arguing / seems to hold / is right"; "X's argument / post / theory".
_VERBS = (
    r"says|said|claims?|claimed|argues|argued|arguing|thinks|believes|theori[sz](?:es|ed|ing)|"
    r"suggests|suggested|writes|wrote|posted|asserts|asserted|insists|insisted|maintains|"
    r"contends|implies|implied|predicts|predicted|assumes|assumed|proposes|proposed|holds|"
    r"is\s+(?:wrong|mistaken|confused)"
)
# Not "X is right", "X has a point": agreeing cites X in support, as "as @Dave said" does.
_NOUNS = (
    r"argument|arguments|point|points|theory|theories|claims?|post|posts|comment|comments|"
    r"views?|position|logic|reasoning|idea|ideas|prediction|bet|analogy|example|statement|"
    r"assertion|premise|conclusion|proposal|hypothesis"
)
_VIEW = re.compile(
    rf"(?P<possessive>['’]s?\s+(?:\w+\s+)?(?:{_NOUNS})\b)"
    rf"|\s+(?:(?:is|was|has|have|been|keeps|kept|seems|seemed|to|also|just|really|still|only|"
    rf"essentially|basically|clearly|obviously|simply|actually|now|always|apparently)\s+){{0,3}}"
    rf"(?:{_VERBS})\b",
    re.IGNORECASE,
)
VIEW_WORDS = frozenset(
    """says said claim claims claimed argues argued arguing thinks believes theorizes theorises
    theorized theorised theorizing theorising suggests suggested writes wrote posted asserts
    asserted insists insisted maintains contends implies implied predicts predicted assumes
    assumed proposes proposed holds wrong mistaken confused argument arguments point points
    theory theories post posts comment comments view views position logic reasoning idea ideas
    prediction bet analogy example statement assertion premise conclusion proposal
    hypothesis""".split()  # noqa: SIM905
)
"""The words a view is named by: a comment holding none of them names no view (a quick test
on its words before the patterns run)."""
# The words just before the view, on the same line, where the name ends.
_WORDS_BEFORE = re.compile(r"(?:@?[\w.'’\-]+[ \t]+){0,3}@?[\w.'’\-]+$")
_TOKEN = re.compile(r"@?[\w.'’\-]+")
# "as X said", "like X says", "according to X": X cited in support, a mention (not a reply).
_CITING = re.compile(r"(?:\b(?:as|like|per)|according\s+to)\s*$", re.IGNORECASE)


def views_named(
    text: str,
    index: AuthorIndex,
    *,
    me: str,
    article: str,
    is_word: Callable[[str], bool],
) -> list[tuple[str, str | None, str]]:
    """Authors whose views the text names in the third person, in order of appearance. A name
    written with `@`, cited in support ("as Dave said"), part of a longer proper name ("George
    W. Bush says"), or also found in the article (a person the article is about) does not
    count, nor does the writer's own name. Each comes with the kind of argument the view word
    names ("theorizes": "theory"), when it names one, and the sentence that names the view."""
    out: list[tuple[str, str | None, str]] = []
    for m in _VIEW.finditer(text):
        before = text[max(0, m.start() - 80) : m.start()]
        found = _WORDS_BEFORE.search(before)
        if not found:
            continue
        tokens = [(t.start() + found.start(), t.group()) for t in _TOKEN.finditer(found.group())]
        for n in range(min(3, len(tokens)), 0, -1):  # the longest name ending before the view
            written = [t for _, t in tokens[-n:]]
            if written[0].startswith("@"):
                break  # an @mention: not a reply target
            author = _author(written, index, is_word)
            if author is None:
                continue
            head = before[: tokens[-n][0]]
            previous = tokens[-n - 1][1] if n < len(tokens) else ""
            if (
                author != me
                and author not in (a for a, _k, _s in out)
                and not _CITING.search(head)
                and not (previous[:1].isupper() and key(previous) not in STOPWORDS)
                and not _in_article(written, article)
            ):
                out.append(
                    (author, _argument_kind(m.group().split()[-1]), _sentence_at(text, m.start()))
                )
            break
    return out


def _sentence_at(text: str, at: int) -> str:
    """The sentence of `text` around position `at` (ends at . ! ? or a line break)."""
    start = max(text.rfind(end, 0, at) for end in ".!?\n") + 1
    ends = [i for i in (text.find(end, at) for end in ".!?\n") if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _argument_kind(view: str) -> str | None:
    """The argument kind a view word names ("theorizes" -> "theory"), if it names one."""
    low = view.lower()
    return next((kind for stem, kind in _VIEW_KINDS if low.startswith(stem)), None)


_VIEW_KINDS = (
    ("theor", "theory"),
    ("predict", "prediction"),
    ("bet", "bet"),
    ("analog", "analogy"),
    ("hypothes", "hypothesis"),
    ("propos", "proposal"),
)


def _author(written: list[str], index: AuthorIndex, is_word: Callable[[str], bool]) -> str | None:
    words = [key(w) for w in written]
    if not all(words):
        return None
    hit = index.exact(words)
    if hit and hit[1] == len(words):
        if len(words) > 1 or (words[0] not in STOPWORDS and not is_word(words[0])):
            return hit[0]
        if written[0][:1].isupper() or not words[0].isalpha():
            return hit[0]
        return None
    if len(words) == 1 and written[0][:1].isupper() and not is_word(words[0]):
        # Mid-text, a name as written only: a unique first name or last part, no close spelling
        # (a capitalised word that looks like a name is more often another proper noun).
        return index.first(words[0]) or index.part(written[0])
    return None


def _in_article(written: list[str], article: str) -> bool:
    name = r"\s+".join(re.escape(w.rstrip(".,'’")) for w in written)
    return bool(name) and re.search(rf"\b{name}\b", article, re.IGNORECASE) is not None


# "your bet", "your silly theory": an argument named by what it is.
_ARGUMENTS: dict[str, str] = {
    "bet": r"\b(?:bet|bets|betting|wager|wagers)\b",
    "wager": r"\b(?:bet|bets|betting|wager|wagers)\b",
    "theory": r"(?<!\bin )\btheor(?:y|ies|i[sz]e|i[sz]ed|i[sz]es|i[sz]ing)\b",
    "hypothesis": r"\bhypothes[ie]s\b",
    "analogy": r"\banalog(?:y|ies)\b",
    "prediction": r"\bpredict(?:s|ed|ion|ions)?\b",
    "proposal": r"\bpropos(?:e|es|ed|al)\b",
    "challenge": r"\bchallenge\b",
    "scenario": r"\bscenario\b",
    "study": r"\bstud(?:y|ies)\b",
    "survey": r"\bsurvey\b",
    "poll": r"\bpolls?\b",
    "link": r"https?://|\bwww\.",
    "source": r"https?://|\bwww\.",
    "definition": r"\bdefin(?:e|es|ed|ition|itions)\b",
    "estimate": r"\bestimat(?:e|es|ed)\b",
}
ARGUMENT_MAKERS = {name: re.compile(p, re.IGNORECASE) for name, p in _ARGUMENTS.items()}
_YOUR = re.compile(rf"\byour\s+(?:[a-z]+\s+)?({'|'.join(_ARGUMENTS)})\b", re.IGNORECASE)


def argument_named(text: str) -> str | None:
    """The kind of argument the text names as its reader's ("your bet" -> "bet"), if any."""
    low = text.lower()
    m = _YOUR.search(low) if "your" in low else None
    return m.group(1) if m else None


def makes_argument(kind: str, text: str) -> bool:
    """Whether the text makes an argument of this kind ("I'll bet…"), not only names someone
    else's ("your bet")."""
    pattern = ARGUMENT_MAKERS[kind]
    return bool(pattern.search(text)) and bool(pattern.search(_YOUR.sub(" ", text)))


# An opening sentence that talks back to someone: "You put a lot of faith in…", "Your numbers
# are off", "Even if you are right…".
_FIRST_SENTENCE = re.compile(r"^.*?(?:[.!?](?:\s|$)|\n|$)", re.DOTALL)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|youre|you’re|yours|yourself|u|ur)\b", re.I)


OPENING_WORDS = 6
"""A comment talks back when "you" comes this early: "You put a lot of faith in…", "Even if
you are right…"; later in the sentence it is more often anyone ("…sounds great until you
price it")."""
_GENERIC_YOU = re.compile(
    r"\b(?:if you ask me|you know|mind you|you see|you['’]d (?:think|have thought)|"
    r"(?:once|whenever|whatever|until) you|if you(?:['’]ve| want| wanted| need))\b",
    re.I,
)
"""Anyone's "you": a set phrase, or "you" in a general condition ("Once you cut a bus
route…", "If you want people out of their cars…"); "Even if you are right…" still talks back."""


def talks_back(text: str) -> bool:
    """Whether the comment opens by speaking to someone: "you" / "your" among the first
    OPENING_WORDS words of its first sentence, not in a set phrase ("if you ask me")."""
    m = _FIRST_SENTENCE.match(text.lstrip()[:300])
    first = _GENERIC_YOU.sub(" ", m.group(0) if m else "")
    return bool(_SECOND_PERSON.search(" ".join(first.split()[:OPENING_WORDS])))
