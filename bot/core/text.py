"""Pure text helpers: sentences as exact spans of their source, words, short forms.

Every sentence returned here is an exact substring of the text it came from, so a quote picked
from them can always be found again in the comment it cites.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? (possibly repeated, possibly followed by a closing quote or bracket)
# followed by white space, or at a blank line / line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"'”’)\]]*)\s+|\n\s*")
_URL = re.compile(r"(?:https?://|www\.)\S+")  # lower case: `words` lowers the text first


def _word_pattern(digits: bool, split_compounds: bool, ascii_only: bool) -> re.Pattern[str]:
    # A letter, or with `digits` a digit too; then letters and digits. The ASCII spelling is
    # the same pattern on lower-cased ASCII text, about twice as fast.
    letter, alnum = ("[a-z]", "[a-z0-9]") if ascii_only else (r"[^\W\d_]", r"[^\W_]")
    first = alnum if digits else letter
    joins = r"['’]" if split_compounds else r"[-_'’]"
    return re.compile(rf"{first}{alnum}*(?:{joins}+{alnum}+)*")


_WORD = {
    (d, s, a): _word_pattern(d, s, a)
    for d in (False, True)
    for s in (False, True)
    for a in (False, True)
}


def sentences(text: str) -> list[str]:
    """Split `text` into sentences; each is an exact, stripped substring of `text`."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start : m.start() + len(m.group(1) or "")].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def words(text: str, *, digits: bool = False, split_compounds: bool = False) -> list[str]:
    """Lower-cased words, in order, URLs left out (they are not words anybody wrote).

    A word is a run of letters and digits that starts with a letter ("mp3"), joined across
    inner apostrophes ("don't"), hyphens and underscores ("well-known", "created_utc").
    `digits`: a word may start with a digit, so numbers count ("2019", "4th").
    `split_compounds`: hyphens and underscores end a word ("well", "known"), as word-for-word
    comparison of comments wants.
    """
    low = without_urls(text.lower())
    return _WORD[digits, split_compounds, low.isascii()].findall(low)


def without_urls(text: str) -> str:
    """`text` with each link (http://, https://, www., written in lower case) replaced by a
    space."""
    if "://" in text or "www." in text:
        return _URL.sub(" ", text)
    return text


def flat(text: str) -> str:
    """One line: runs of whitespace (newlines included) become one space, none at the ends."""
    return " ".join(text.split())


_MARKER = re.compile(
    r"^(?:@[\w.\-]+(?:\s[A-Z][\w.\-]*)?\s*[:,]?\s+|(?:edit|update|ps|p\.s\.)\s*\d*\s*:\s*|"
    r"[A-Z][\w.\-]*(?:\s[A-Z][\w.\-]*){0,2}:\s+|[*>•\-–—]+\s+)+"
)


def without_marker(sentence: str) -> str:
    """The sentence after the markers a reply or a list puts in front (`@Name:`, `Name:`,
    `EDIT:`, a bullet): still an exact substring of it."""
    m = _MARKER.match(sentence)
    return sentence[m.end() :] if m and m.end() < len(sentence) else sentence


def short(text: str, limit: int = 160, *, trim: str = ",;:") -> str:
    """One line, cut at a word boundary with an ellipsis when longer than `limit`; the
    characters in `trim` are taken off the end of the cut before the ellipsis."""
    line = flat(text)
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(trim) + "…"


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 reply", "2 replies", "1,234 comments": the count and the word that agrees with it."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


_QUOTE_MARKS = "\"“”‘’'«»„"


def quoted(text: str) -> str:
    """`text` between curly quotation marks, without doubling the marks it already has at
    its ends (“He said “no”” reads as one quote)."""
    inner = text.strip()
    if len(inner) > 1 and inner[0] in _QUOTE_MARKS and inner[-1] in _QUOTE_MARKS:
        inner = inner[1:-1]
    elif inner[:1] in _QUOTE_MARKS and inner.count(inner[0]) == 1:
        inner = inner[1:]  # an opening mark whose closing one was cut off
    return f"“{inner.strip()}”"
