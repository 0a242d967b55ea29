"""`Name: text` lines of a plain paste whose name speaks only once and is no person.

A commenter may well speak once, so a name that opens a single paragraph stays a commenter
unless the paste shows what else it is:
- a field of the article (`Tip-Off: 9:18 PM ET`, `Verification photo: http://…`): before
  any comment, it carries a value (a link, a date, a short title) rather than a sentence,
  and it opens the paste (its title line), or comes right above another `Label:` line (not
  an edit note), or between two `Label:` lines;
- a term being defined (`belief: 1. something believed…` right after a paragraph using the
  word "belief"), or a label word misspelt (`Deffinition:`).
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import get_close_matches

from bot.core.words import STOPWORDS
from bot.ingest.paste_shapes import PLAIN_LABELS, Header
from bot.ingest.plain_runs import LABEL, run_label

_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…,:;]$")
_DEFINITION = re.compile(r"^(?:\(?\d{1,2}[.)]\s|[a-z])")
"""How a definition opens: "1. something believed…", "a prayer or invocation…"."""
_LONG_LABELS = sorted(w for w in PLAIN_LABELS if len(w) >= 6 and " " not in w)


def _value(text: str) -> bool:
    """A link, a date or a short title: what a field holds, not what a commenter says (a
    sentence, or its opening: "Hey man,", "Here are the answers:", a lone "Hi")."""
    if _URL.match(text):
        return True
    words = text.split()
    return 2 <= len(words) <= 12 and not _SENTENCE_END.search(text.rstrip(")]\"'*” "))


def _paragraph_before(lines: list[str], i: int) -> tuple[int, str]:
    """Start and text of the paragraph that ends before line i (-1, "" when none)."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    end = j
    while j >= 0 and lines[j].strip():
        j -= 1
    return (j + 1, " ".join(s.strip() for s in lines[j + 1 : end + 1])) if end >= 0 else (-1, "")


def _paragraph_after(lines: list[str], i: int) -> int:
    """Start of the paragraph after the one that starts at line i (-1 when none)."""
    j = i + 1
    while j < len(lines) and lines[j].strip():
        j += 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j if j < len(lines) else -1


def _article_fields(lines: list[str], headers: list[Header], once: set[str]) -> int:
    """How many of the first headers are fields of the article."""
    first_line = next((i for i, line in enumerate(lines) if line.strip()), -1)
    n = 0
    while n + 1 < len(headers):
        h = headers[n]
        after = _paragraph_after(lines, h.start)
        if h.author not in once or not _value(h.first_text) or after == -1:
            break
        if headers[n + 1].start <= after:
            break  # a comment follows right after it (or on the next line, in a chat log)
        before = _paragraph_before(lines, h.start)[0]
        sandwiched = before >= 0 and LABEL.match(lines[before]) and LABEL.match(lines[after])
        if h.start != first_line and not run_label(lines[after]) and not sandwiched:
            break
        n += 1
    return n


def _term(lines: list[str], h: Header) -> bool:
    """A word being defined right after a paragraph that uses it as a word (not to address
    someone: "thanks, kettle"), its definition opening with a number or in lowercase; or a
    label misspelt."""
    name = h.author
    if " " in name or not name.isalpha():
        return False
    if name.islower() and name not in STOPWORDS and _DEFINITION.match(h.first_text):
        _, before = _paragraph_before(lines, h.start)
        word = re.escape(name)
        used = re.search(rf"\b{word}\b", before)
        if used and not re.search(rf"@{word}\b|\b{word}\s*[,?!]|,\s*{word}\b", before):
            return True
    low = name.casefold()
    return low not in PLAIN_LABELS and bool(get_close_matches(low, _LONG_LABELS, 1, 0.9))


def _credit(lines: list[str], h: Header, holder: Header) -> bool:
    """The source line that closes a quote (`Human Rights Watch: Street Children`): a short
    title in title case, inside a comment that announced the quote with a colon (its header
    line or a paragraph ending with one, then at least one quoted paragraph), and followed by
    more of that comment."""
    words = [w for w in h.first_text.split() if w[:1].isalpha()]
    if not _value(h.first_text) or h.first_text.isupper() or len(words) > 8:
        return False
    if not all(w[:1].isupper() for w in words) or _paragraph_after(lines, h.start) == -1:
        return False
    ends: list[str] = []  # the last line of each paragraph from the holder's header to h
    j = holder.start
    while 0 <= j < h.start:
        k = j
        while k + 1 < len(lines) and lines[k + 1].strip():
            k += 1
        ends.append(holder.first_text if k == holder.start else lines[k].strip())
        j = _paragraph_after(lines, j)
    return any(e.endswith(":") for e in ends[:-1])


def one_time_fields(lines: list[str], headers: list[Header]) -> list[Header]:
    """`headers` without the one-time names that are fields, headings or terms."""
    counts = Counter(h.author for h in headers)
    once = {a for a, c in counts.items() if c == 1}
    skip = _article_fields(lines, headers, once)
    kept: list[Header] = []
    for h in headers[skip:]:
        paragraph = h.start > 0 and not lines[h.start - 1].strip()  # not a line of a chat log
        if (
            kept
            and paragraph
            and h.author in once
            and (_term(lines, h) or _credit(lines, h, kept[-1]))
        ):
            continue
        kept.append(h)
    return kept
