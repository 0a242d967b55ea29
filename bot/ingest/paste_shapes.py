"""The paste shapes Crosstalk recognises, each as a header finder.

A shape finds comment *headers* in the (furniture-cleaned) lines of a paste: where a comment
starts, who wrote it, when, how deep it was indented, and where its body starts. Everything
between one header and the next is that comment's body. `bot.ingest.paste` picks the shape that
explains the paste best and assembles the Discussion.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.words import STOPWORDS

_NAME_CHAR = r"[^\s:,;!?\"“”()<>]"
NAME = rf"[-_]*[^\s:,;!?\"“”()<>\-_*#>]{_NAME_CHAR}*(?:[ ]{_NAME_CHAR}+){{0,4}}"
"""An author name: up to five words of letters, digits, dots, dashes, apostrophes, underscores
(and whatever else a name may hold, short of sentence punctuation)."""

ANY_NAME = r"[^\s:<>][^:<>\n]{0,39}?"
"""Where the layout itself marks the author (a WordPress header, a bullet, a date line below),
any short text is a name: `-Mateo-`, `dichotomy?`, `GallÃ©` (sic) all occur."""

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CLOCK = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?"
_DATE_LINE = re.compile(
    r"^(?:[·•]\s*)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?:,?\s+(?:at\s+)?{_CLOCK})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}(?:,?\s+(?:at\s+)?{_CLOCK})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[ T]{_CLOCK})?"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?:,?\s+(?:at\s+)?{_CLOCK})?"
    r"|(?:an?|\d{1,3})\s*(?:second|minute|hour|day|week|month|year|min|hr|yr|mo|[smhdwy])"
    r"s?\.?\s+ago"
    r")(?:\s*[·|•\-–—]\s*(?:edited|permalink|reply|link|#\d+))*\s*$",
    re.IGNORECASE,
)

# Words that end a "Name:" label but are never an author (article headings, notes, edits).
_LABEL_TEXT = """
    note | notes | update | updated | edit | edited | ps | p.s | pps | source | sources |
    via | example | e.g | i.e | q | a | tl;dr | tldr | warning | disclaimer | summary |
    title | subject | re | to | from | date | cc | http | https | step | answer | question |
    quote | update 2 | edit 2 | important | caveat | correction | fact | conclusion | result
    | results | reason | problem | solution | translation | bottom line | tagged | tags |
    filed under | categories | category | posted in | author
"""
LABELS = frozenset(" ".join(w.split()) for w in _LABEL_TEXT.split("|"))

_PLAIN_LABEL_TEXT = """
    also | first | second | third | finally | original | wrong | right | study | proof |
    definition | hoax | genuine | revealed | belief | noun | verb | venue | lpt | further
    reading | works consulted | references | reference | link | links | me | you | them | us
    | pros | cons | verdict | status | background | context | details | price | cost |
    location | time | score | final | spoiler | hint | tip | fix | bug | error | output |
    input | code | usage | news | article | headline | abstract | introduction | claim |
    premise | argument | evidence | point | response | reply | comment | purpose | objective |
    objectives | aim | aims | method | methods | design | setting | participants | findings |
    conclusions | limitations | implications | keywords
"""
_PLAIN_LABELS = LABELS | {" ".join(w.split()) for w in _PLAIN_LABEL_TEXT.split("|")}
"""More words that open a paragraph as a label ("Also:", "Proof:") where no layout marks names."""
PLAIN_LABELS = _PLAIN_LABELS


@dataclass(frozen=True, slots=True)
class Header:
    start: int
    """First line of the header (the article ends before it)."""
    body_start: int
    """First line of the body (the header's own lines end before it)."""
    author: str
    indent: int
    first_text: str = ""
    """Body text on the header line itself (outline, chat, plain shapes)."""
    timestamp: str | None = None


def is_date_line(line: str) -> bool:
    s = line.strip()
    return len(s) < 80 and bool(_DATE_LINE.match(s))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _clean_author(name: str) -> str:
    name = name.strip()
    if len(name) > 4 and name.startswith("**") and name.endswith("**"):
        name = name[2:-2]  # Markdown bold; single `_` or `*` may belong to the name
    return " ".join(name.split())


def _plausible_author(name: str, *, strict: bool = True) -> bool:
    low = name.lower().rstrip(".")
    if not name or low in LABELS or len(name) > 40 or len(name.split()) > 5:
        return False
    if re.match(r"(?:by|posted by|written by)\s", low):
        return False  # a byline of a quoted article, not a commenter
    if not strict:
        return True
    # Without layout to vouch for it, a label or a sentence fragment is not a name.
    words = name.split()
    if re.match(r"\d+[.)](?:\s|[^\W\d_])", name) or not re.search(r"[^\W\d_]", name):
        return False  # "1. Economic:", "2.Underreporting:", "11/8:"
    if any(w.lower().strip("#*_") in _EDIT_WORDS for w in words) or name.endswith(".."):
        return False  # "Gold Edit:", "EDIT #2:", "thistown...:"
    if low.strip("_*") in _PLAIN_LABELS or low in STOPWORDS:
        # "Also:", "Me:", "Proof:" open a sentence; a lowercase "nobody" or "me" is a username.
        return len(words) == 1 and name.islower() and low not in LABELS
    # "Science doesn't say", "Life pro tip": sentence case, not a name ("Voice Of Reason")
    sentence_case = words[0][:1].isupper() and any(
        w[:1].islower() and w not in _PARTICLES for w in words[1:]
    )
    common = sum(1 for w in words if w.lower() in STOPWORDS)
    if len(words) >= 3:
        title_case = all(w[:1].isupper() or w in _PARTICLES for w in words)
        return title_case or (not sentence_case and common * 2 < len(words))
    if len(words) == 2 and common and (sentence_case or name.islower()):
        return False  # "True story", "In summary", "not pictured"
    return common < len(words)


_EDIT_WORDS = {"edit", "edited", "update", "updated", "ps", "addendum", "correction"}
_PARTICLES = {"de", "da", "di", "del", "van", "von", "der", "den", "le", "la", "bin", "al", "du"}


def _next_nonblank(lines: list[str], i: int, limit: int = 3) -> int | None:
    for j in range(i, min(len(lines), i + limit)):
        if lines[j].strip():
            return j
    return None


_SAYS = re.compile(
    rf"^(?P<indent>\s*)(?:(?P<num>\d{{1,5}})[.)]\s+)?(?P<author>{ANY_NAME})\s+"
    r"says\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def find_wordpress_numbered(lines: list[str]) -> list[Header]:
    """`  12. Jane Doe says:` (number optional), an optional date line, an indented body."""
    out: list[Header] = []
    matches = [(i, _SAYS.match(line) if "ays" in line else None) for i, line in enumerate(lines)]
    numbered = sum(1 for _, m in matches if m and m["num"])
    need_number = numbered >= 2 and numbered * 2 > sum(1 for _, m in matches if m)
    for i, m in matches:
        line = lines[i]
        if not m or not _plausible_author(_clean_author(m["author"]), strict=False):
            continue
        if need_number and not m["num"]:
            continue  # in a numbered list, an unnumbered "X says:" is body text
        body_start, timestamp = i + 1, None
        rest = m["rest"].strip()
        if rest and is_date_line(rest):
            timestamp, rest = rest, ""
        else:
            j = _next_nonblank(lines, i + 1, 2)
            if j is not None and is_date_line(lines[j]):
                body_start, timestamp = j + 1, lines[j].strip()
        out.append(
            Header(i, body_start, _clean_author(m["author"]), _indent(line), rest, timestamp)
        )
    return out


_LEVEL = re.compile(r"^\s*level (\d{1,3})\s*$", re.IGNORECASE)


def find_wordpress_unnumbered(lines: list[str]) -> list[Header]:
    """An author line, then a date line (`May 15, 2017 at 2:53 pm`), then the body. A copied
    Reddit page has the same layout (`username`, `· 3 yr. ago`), with a `level N` line above
    the author that gives the nesting."""
    out: list[Header] = []
    last_body = 0
    for i, line in enumerate(lines):
        if not is_date_line(line):
            continue
        j = i - 1
        while j >= last_body and not lines[j].strip():
            j -= 1
        if j < last_body or i - j > 2:
            continue
        author = re.sub(r"\s+(says|said|wrote)\s*:?\s*$", "", lines[j].strip(), flags=re.I)
        author = re.sub(r"^\d{1,5}[.)]\s+", "", author)  # "12. Jane Doe" in a numbered list
        author = _clean_author(author)
        if not re.fullmatch(ANY_NAME, author) or not _plausible_author(author, strict=False):
            continue
        start, indent = j, _indent(lines[j])
        k = j - 1
        while k >= last_body and not lines[k].strip():
            k -= 1
        level = _LEVEL.match(lines[k]) if k >= last_body else None
        if level:
            start, indent = k, 4 * (int(level.group(1)) - 1)
        out.append(Header(start, i + 1, author, indent, "", line.strip().lstrip("·• ")))
        last_body = i + 1
    # A page prints every date alike: a date line of another kind is body text ("I bought it
    # on / May 15, 2017"). Keep the headers whose date looks like most of them.
    kinds = [_date_kind(h.timestamp or "") for h in out]
    if len(out) >= 3:
        main = max(set(kinds), key=kinds.count)
        out = [h for h, k in zip(out, kinds, strict=True) if k == main]
    return out


def _date_kind(stamp: str) -> str:
    if re.search(r"\bago$", stamp, re.IGNORECASE):
        return "relative"
    return "clock" if re.search(r"\d[:.]\d\d", stamp) else "date"


_BULLET = re.compile(
    rf"^(?P<indent>\s*)(?P<bullet>[-*•+‣◦▪▸►]|\d{{1,3}}[.)])\s+(?:\*\*)?(?P<author>{ANY_NAME})"
    r"(?:\*\*)?\s*:(?:\*\*)?(?:\s+(?P<rest>.*))?$"
)


_BULLET_START = set("-*•+‣◦▪▸►0123456789")


def find_outline(lines: list[str]) -> list[Header]:
    """Nested bullets, one comment per bullet: `- name: text`; depth from indentation. Only
    the bullet kind most used counts: a numbered line inside a dashed outline is body text."""
    found = []
    for i, line in enumerate(lines):
        if line.lstrip()[:1] not in _BULLET_START:
            continue
        m = _BULLET.match(line)
        if m and _plausible_author(_clean_author(m["author"]), strict=False):
            kind = "number" if m["bullet"][0].isdigit() else m["bullet"]
            found.append((kind, i, m))
    if not found:
        return []
    kinds = [k for k, _, _ in found]
    main = max(set(kinds), key=kinds.count)
    return [
        Header(i, i + 1, _clean_author(m["author"]), _indent(lines[i]), (m["rest"] or "").strip())
        for k, i, m in found
        if k == main
    ]


_IRC = re.compile(
    r"^\s*(?:[\[(]?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]m)?)[\])]?\s+)?"
    r"<[@+%~&]?(?P<author>[^\s<>]{1,40})>\s?(?P<rest>.*)$",
    re.IGNORECASE,
)
_STAMPED_NICK = re.compile(
    r"^\s*[\[(](?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]m)?)[\])]\s*"
    rf"(?P<author>{NAME}):\s+(?P<rest>.*)$",
    re.IGNORECASE,
)
_WHATSAPP = re.compile(  # "27/11/2026, 17:01 - Alice: hi" and "[27/11/26, 17:01:33] Alice: hi"
    r"^\s*\[?(?P<ts>\d{1,4}[./-]\d{1,2}[./-]\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?"
    rf"(?:\s?[ap]\.?m\.?)?)\]?\s*(?:[-–]\s*)?(?P<author>{ANY_NAME}):\s(?P<rest>.*)$",
    re.IGNORECASE,
)
_DISCORD = re.compile(
    rf"^\s*(?P<author>{ANY_NAME})\s*[—–-]\s*(?P<ts>(?:today|yesterday)\s+at\s+{_CLOCK}"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?:,?\s+{_CLOCK})?|{_CLOCK})\s*$",
    re.IGNORECASE,
)
_SLACK = re.compile(rf"^\s*(?P<author>{NAME})\s{{1,4}}(?P<ts>{_CLOCK})\s*$", re.IGNORECASE)


def find_chat(lines: list[str]) -> list[Header]:
    """`[12:01] <nick> text`, `[12:01] nick: text`, WhatsApp exports (`27/11/2026, 17:01 -
    Name: text`), `Name — Today at 5:01 PM` blocks (Discord) and `Name  5:01 PM` (Slack)."""
    out: list[Header] = []
    for i, line in enumerate(lines):
        if ":" not in line and "<" not in line:
            continue
        m = _IRC.match(line)
        if m:
            out.append(Header(i, i + 1, m["author"], 0, m["rest"].strip(), m["ts"]))
            continue
        m = _STAMPED_NICK.match(line) or _WHATSAPP.match(line)
        if m:
            author = _clean_author(m["author"])
            if _plausible_author(author, strict=" " in author):
                out.append(Header(i, i + 1, author, 0, m["rest"].strip(), m["ts"]))
            continue
        m = _DISCORD.match(line) or _SLACK.match(line)
        if m and _plausible_author(_clean_author(m["author"]), strict=m.re is _SLACK):
            out.append(Header(i, i + 1, _clean_author(m["author"]), 0, "", m["ts"]))
    return out


_PLAIN = re.compile(
    rf"^(?P<indent>\s*)(?:\*\*)?(?P<author>{NAME})(?P<mark>[?!]+)?(?:\*\*)?\s*:"
    r"(?:\s+(?P<rest>.*))?$"
)


def find_plain(lines: list[str]) -> list[Header]:
    """`Name: text` paragraphs (also `nick: text` chat lines). A header opens a paragraph:
    it follows a blank line or another header, so a `Label:` inside a body stays body. A name
    ending with `?` or `!` (`dichotomy?`) counts only when it opens two paragraphs or more:
    once, it is a question or an exclamation ("Why?: because…")."""
    out: list[Header] = []
    prev_header = -2
    for i, line in enumerate(lines):
        m = _PLAIN.match(line) if ":" in line else None
        if not m:
            continue
        author = _clean_author(m["author"])
        rest = (m["rest"] or "").strip()
        if not _plausible_author(author) or author.isdigit():
            continue
        if not rest and (len(author.split()) > 3 or author.endswith(" says")):
            continue
        if i > 0 and lines[i - 1].strip() and prev_header != i - 1:
            continue
        out.append(Header(i, i + 1, author + (m["mark"] or ""), _indent(line), rest))
        prev_header = i
    marked = Counter(h.author for h in out if h.author[-1] in "?!")
    return [h for h in out if marked[h.author] != 1]


_OLD_REDDIT = re.compile(
    r"^(?P<indent>\s*)\[[–\-+]\]\s*(?P<author>[^\s\[\]]{1,40})(?:\s*\[[A-Z]\])*\s+"
    r"(?:-?\d+\s+points?|\[score hidden\])\s+(?P<ts>.*?\bago)\b.*$",
    re.IGNORECASE,
)


def find_old_reddit(lines: list[str]) -> list[Header]:
    """old.reddit.com copied: `[–]username 5 points 3 hours ago` then the body."""
    out: list[Header] = []
    for i, line in enumerate(lines):
        m = _OLD_REDDIT.match(line) if "[" in line[:8] else None
        if m:
            out.append(Header(i, i + 1, m["author"], _indent(line), "", m["ts"]))
    return out


SHAPES: tuple[tuple[str, Callable[[list[str]], list[Header]]], ...] = (
    ("wordpress", find_wordpress_numbered),
    ("wordpress", find_wordpress_unnumbered),
    ("reddit", find_old_reddit),
    ("chat", find_chat),
    ("outline", find_outline),
    ("plain", find_plain),
)
