"""The paste shapes Crosstalk recognises, each as a header finder.

A shape finds comment *headers* in the (furniture-cleaned) lines of a paste: where a comment
starts, who wrote it, when, how deep it was indented, and where its body starts. Everything
between one header and the next is that comment's body. `bot.ingest.paste` picks the shape that
explains the paste best and assembles the Discussion.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

NAME = r"[^\W_][\w.'’\-]*(?:[ ][\w.'’\-@]+){0,4}"
"""An author name: up to five words of letters, digits, dots, dashes, apostrophes, underscores."""

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CLOCK = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?"
_DATE_LINE = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?:,?\s+(?:at\s+)?{_CLOCK})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}(?:,?\s+(?:at\s+)?{_CLOCK})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[ T]{_CLOCK})?"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?:,?\s+(?:at\s+)?{_CLOCK})?"
    r"|(?:an?|\d{1,3})\s+(?:second|minute|hour|day|week|month|year)s?\s+ago"
    r")(?:\s*[·|•\-–—]\s*(?:edited|permalink|reply|link|#\d+))*\s*$",
    re.IGNORECASE,
)

# Words that end a "Name:" label but are never an author (article headings, notes, edits).
LABELS = {
    "note",
    "notes",
    "update",
    "updated",
    "edit",
    "edited",
    "ps",
    "p.s",
    "pps",
    "source",
    "sources",
    "via",
    "example",
    "e.g",
    "i.e",
    "q",
    "a",
    "tl;dr",
    "tldr",
    "warning",
    "disclaimer",
    "summary",
    "title",
    "subject",
    "re",
    "to",
    "from",
    "date",
    "cc",
    "http",
    "https",
    "step",
    "answer",
    "question",
    "quote",
    "update 2",
    "edit 2",
    "important",
    "caveat",
    "correction",
    "fact",
    "conclusion",
    "result",
    "results",
    "reason",
    "problem",
    "solution",
    "translation",
    "bottom line",
    "tagged",
    "tags",
    "filed under",
    "categories",
    "category",
    "posted in",
    "author",
}


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
    return bool(_DATE_LINE.match(line.strip()))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _clean_author(name: str) -> str:
    return " ".join(name.strip().strip("*_").split())


def _plausible_author(name: str) -> bool:
    low = name.lower().rstrip(".")
    if not name or low in LABELS or len(name) > 40:
        return False
    # A sentence fragment is not a name: no more than 5 words, no sentence punctuation.
    return len(name.split()) <= 5 and not re.search(r"[,;!?\"“”()]", name)


def _next_nonblank(lines: list[str], i: int, limit: int = 3) -> int | None:
    for j in range(i, min(len(lines), i + limit)):
        if lines[j].strip():
            return j
    return None


_SAYS = re.compile(
    rf"^(?P<indent>\s*)(?:(?P<num>\d{{1,5}})[.)]\s+)?(?P<author>{NAME})\s+"
    r"(?:says|said|wrote|writes)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def find_wordpress_numbered(lines: list[str]) -> list[Header]:
    """`  12. Jane Doe says:` (number optional), an optional date line, an indented body."""
    out: list[Header] = []
    for i, line in enumerate(lines):
        m = _SAYS.match(line)
        if not m or not _plausible_author(_clean_author(m["author"])):
            continue
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


def find_wordpress_unnumbered(lines: list[str]) -> list[Header]:
    """An author line, then a date line (`May 15, 2017 at 2:53 pm`), then the body."""
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
        author = _clean_author(author)
        if not re.fullmatch(NAME, author) or not _plausible_author(author):
            continue
        out.append(Header(j, i + 1, author, _indent(lines[j]), "", line.strip()))
        last_body = i + 1
    return out


_BULLET = re.compile(
    rf"^(?P<indent>\s*)(?:[-*•+‣◦▪▸►]|\d{{1,3}}[.)])\s+(?:\*\*)?(?P<author>{NAME})(?:\*\*)?"
    r"\s*:(?:\*\*)?(?:\s+(?P<rest>.*))?$"
)


def find_outline(lines: list[str]) -> list[Header]:
    """Nested bullets, one comment per bullet: `- name: text`; depth from indentation."""
    out: list[Header] = []
    for i, line in enumerate(lines):
        m = _BULLET.match(line)
        if m and _plausible_author(_clean_author(m["author"])):
            rest = (m["rest"] or "").strip()
            out.append(Header(i, i + 1, _clean_author(m["author"]), _indent(line), rest))
    return out


_IRC = re.compile(
    r"^\s*(?:[\[(]?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]m)?)[\])]?\s+)?"
    r"<[@+%~&]?(?P<author>[^\s<>]{1,40})>\s?(?P<rest>.*)$",
    re.IGNORECASE,
)
_STAMPED_NICK = re.compile(
    r"^\s*[\[(](?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]m)?)[\])]\s+"
    r"(?P<author>[^\s:<>]{1,40}):\s+(?P<rest>.*)$",
    re.IGNORECASE,
)
_DISCORD = re.compile(
    rf"^\s*(?P<author>{NAME})\s*[—–-]\s*(?P<ts>(?:today|yesterday)\s+at\s+{_CLOCK}"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?:,?\s+{_CLOCK})?|{_CLOCK})\s*$",
    re.IGNORECASE,
)


def find_chat(lines: list[str]) -> list[Header]:
    """`[12:01] <nick> text`, `[12:01] nick: text`, and `Name — Today at 5:01 PM` blocks."""
    out: list[Header] = []
    for i, line in enumerate(lines):
        m = _IRC.match(line) or _STAMPED_NICK.match(line)
        if m:
            out.append(Header(i, i + 1, m["author"], 0, m["rest"].strip(), m["ts"]))
            continue
        m = _DISCORD.match(line)
        if m and _plausible_author(_clean_author(m["author"])):
            out.append(Header(i, i + 1, _clean_author(m["author"]), 0, "", m["ts"]))
    return out


_PLAIN = re.compile(
    rf"^(?P<indent>\s*)(?:\*\*)?(?P<author>{NAME})(?:\*\*)?\s*:(?:\s+(?P<rest>.*))?$"
)


def find_plain(lines: list[str]) -> list[Header]:
    """`Name: text` paragraphs (also `nick: text` chat lines). A header opens a paragraph:
    it follows a blank line or another header, so a `Label:` inside a body stays body."""
    out: list[Header] = []
    prev_header = -2
    for i, line in enumerate(lines):
        m = _PLAIN.match(line)
        if not m:
            continue
        author = _clean_author(m["author"])
        if not _plausible_author(author) or (author[:1].isdigit() and " " not in author):
            continue
        if i > 0 and lines[i - 1].strip() and prev_header != i - 1:
            continue
        out.append(Header(i, i + 1, author, _indent(line), (m["rest"] or "").strip()))
        prev_header = i
    return out


SHAPES: tuple[tuple[str, Callable[[list[str]], list[Header]]], ...] = (
    ("wordpress", find_wordpress_numbered),
    ("wordpress", find_wordpress_unnumbered),
    ("chat", find_chat),
    ("outline", find_outline),
    ("plain", find_plain),
)
