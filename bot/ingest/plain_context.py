"""Context rules for `Name: text` paragraphs: which of them really open a comment.

In a plain paste nothing but `Name:` marks an author, and a paste holds `Name: text` paragraphs
that are not comments: a quoted post ("Originally posted by X", then "Bob: what Bob said"), a
scripted dialogue or a labelled list quoted in a comment (bot.ingest.plain_runs), another
spelling of an author addressed inside a comment (`Lurch:` where the page prints `lurch`), a
`Label:` line of the article above the comment section's heading ("42 Comments"), a bare
`Label:` line where every comment carries its text on its name's line, a one-time name that is
a field, a term or a source (bot.ingest.plain_fields). `refine_plain` drops such candidates
from the headers that `bot.ingest.paste_shapes.find_plain` found, so their paragraphs stay
where they belong. Each rule looks only at what the paste itself shows.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.ingest.paste_shapes import Header
from bot.ingest.plain_fields import one_time_fields
from bot.ingest.plain_runs import quoted_runs

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


def _previous_line(lines: list[str], i: int) -> int:
    """The last non-blank line before line i, within three lines (-1 when none)."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if lines[j].strip():
            return j
    return -1


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


def _inline_layout(headers: list[Header]) -> list[Header]:
    """A page lays out every comment alike: when (nearly) every `Name:` carries its text on the
    same line, a bare `Name:` line is a label inside a comment ("Socialism Pros:" above a list,
    "fallingupwards:" above a quoted post)."""
    bare = sum(1 for h in headers if not h.first_text)
    if not bare or bare * 5 > len(headers):
        return headers
    return [h for n, h in enumerate(headers) if h.first_text or n == 0]


def refine_plain(
    lines: list[str], headers: list[Header], raw: list[str] | None = None
) -> list[Header]:
    """Keep the `Name:` headers that open a comment (see the module docstring). `raw`: the
    lines before furniture was blanked (the comment heading is furniture), same positions."""
    headers = _after_heading(raw if raw is not None else lines, headers)
    headers = one_time_fields(lines, _inline_layout(headers))
    if len(headers) < 2:
        return headers
    scripted = quoted_runs(lines, headers)
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
