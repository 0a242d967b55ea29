"""Context rules for `Name: text` paragraphs: which of them really open a comment.

In a plain paste nothing but `Name:` marks an author, and a paste holds `Name: text` paragraphs
that are not comments: a quoted post ("Originally posted by X", then "Bob: what Bob said"), a
scripted dialogue quoted in a comment ("A: … / D: … / A: …"), another spelling of an author
addressed inside a comment (`Lurch:` where the page prints `lurch`), a `Label:` line of the
article above the comment section's heading ("42 Comments"). `refine_plain` drops such
candidates from the headers that `bot.ingest.paste_shapes.find_plain` found, so their
paragraphs stay where they belong. Each rule looks only at what the paste itself shows.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from bot.ingest.paste_shapes import Header

_ATTRIBUTION = re.compile(
    r"^(?:quote:?\s*)?(?:originally\s+posted\s+by|quoting|quote\s+from)\s+\S.{0,40}$"
    r"|^quote:?$|^\[quote(?:=[^\]]{1,40})?\]$|^.{1,40}\s(?:wrote|said|says)\s*:$",
    re.IGNORECASE,
)
_COUNTED_HEADING = re.compile(
    r"^(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:thoughts?\s+on\b.*|responses?|comments?|replies)\s*$|^comments?\s*\(\d+\)$",
    re.IGNORECASE,
)
"""The comment section's heading as pages print it ("118 thoughts on “…”", "3 Responses")."""
_LABEL = re.compile(r"^\s*(?P<a>[^\s:]{1,20}(?: [^\s:]{1,20})?):\s")


def _previous_line(lines: list[str], i: int) -> int:
    """The last non-blank line before line i, within three lines (-1 when none)."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if lines[j].strip():
            return j
    return -1


def _turns(lines: list[str], h: Header) -> tuple[list[str], int]:
    """The labels of the dialogue that opens the comment's text (`CasualCocaine: A: …` then
    `D: …`, `A: …` paragraphs), and the line where those paragraphs end. Paragraphs are
    counted from the text itself: a label that is no author (`A:`) was never a header."""
    first = _LABEL.match(h.first_text)
    if not first:
        return [], h.start
    labels, j = [first["a"]], h.body_start
    while j < len(lines):
        while j < len(lines) and not lines[j].strip():
            j += 1
        m = _LABEL.match(lines[j]) if j < len(lines) else None
        if not m or len({*labels, m["a"]}) > 2:
            break
        labels.append(m["a"])
        j += 1
        while j < len(lines) and lines[j].strip():
            j += 1  # the rest of the paragraph
    return labels, j


def _dialogue(lines: list[str], headers: list[Header]) -> set[int]:
    """Positions of headers that are lines of a script quoted in a comment: the comment's own
    text opens with a `Name:` label, then paragraphs take turns between that label and one
    other, names that open no paragraph anywhere else in the paste."""
    counts = Counter(h.author for h in headers)
    out: set[int] = set()
    for n, h in enumerate(headers[:-1]):
        labels, end = _turns(lines, h)
        if len(labels) < 3 or any(a == b for a, b in pairwise(labels)):
            continue  # not two voices taking turns
        inside = []
        for k in range(n + 1, len(headers)):
            if headers[k].start >= end:
                break
            inside.append(k)
        here = Counter(headers[k].author for k in inside)
        if all(counts[a] == c for a, c in here.items()):
            out.update(inside)  # the names speak only here: a script, not two commenters
    return out


def _variants(authors: Counter[str]) -> set[str]:
    """Names that are typed variants of an author the page prints more often: another case
    (`Lurch` for `lurch`) or the name without its digits (`wsm` for `wsm2506`). A page prints
    each author's name the same way every time, so a variant is someone addressing or quoting
    that author inside a comment. (A first name alone, `Brad` next to `Brad Lee`, is often
    another person: it is kept.)"""
    most: dict[str, int] = {}  # casefolded name, or a digit-ended name without its digits
    for other, n in authors.items():
        o = other.casefold()
        most[o] = max(most.get(o, 0), n)
        base = o.rstrip("0123456789")
        if base != o:
            most[base] = max(most.get(base, 0), n)
    return {a for a, n in authors.items() if len(a) >= 3 and most[a.casefold()] > n}


def _after_heading(lines: list[str], headers: list[Header]) -> list[Header]:
    """When the paste shows the comment section's heading ("42 Comments"), the `Name:` lines
    above it (`Venue: …`, `Verification photo: …`) belong to the article."""
    first = next((i for i, line in enumerate(lines) if _COUNTED_HEADING.match(line.strip())), -1)
    if first < 0:
        return headers
    after = [h for h in headers if h.start > first]
    return after if len(after) >= len(headers) - len(after) else headers


def refine_plain(
    lines: list[str], headers: list[Header], raw: list[str] | None = None
) -> list[Header]:
    """Keep the `Name:` headers that open a comment (see the module docstring). `raw`: the
    lines before furniture was blanked (the comment heading is furniture), same positions."""
    headers = _after_heading(raw if raw is not None else lines, headers)
    if len(headers) < 2:
        return headers
    scripted = _dialogue(lines, headers)
    authors = Counter(h.author for h in headers)
    variants = _variants(authors)
    kept: list[Header] = []
    for n, h in enumerate(headers):
        if n in scripted or (kept and h.author in variants):
            continue
        j = _previous_line(lines, h.start)
        before = lines[j].strip() if j >= 0 else ""
        if kept and kept[-1].start == j:
            before = kept[-1].first_text  # "Karl: Originally posted by Calligirl"
        if kept and _ATTRIBUTION.match(before):
            continue  # the quoted post after "Originally posted by X" / "X wrote:"
        kept.append(h)
    return kept
