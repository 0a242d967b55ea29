"""Pasted text -> Discussion.

People paste what they copied from a page: an article, then its comments, with the page's
furniture mixed in. `parse_paste` cleans the furniture, finds which shape (bot.ingest.
paste_shapes) explains the comments best, cuts the text at the comment headers, and keeps what
precedes the first comment as the article (title = its first line, author from a byline).
"""

from __future__ import annotations

import re
import textwrap
from itertools import pairwise

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion
from bot.ingest.furniture import clean_lines, ends_comments
from bot.ingest.paste_shapes import NAME, SHAPES, Header
from bot.ingest.plain_context import refine_plain

_BYLINE = re.compile(
    rf"^(?:by|posted by|written by|author:|words by|submitted .{{0,40}}? by)\s+(?P<author>{NAME}?)"
    r"(?:\s*(?:[,|·•—–]|\s-\s|\son\s|\sat\s).*)?$",
    re.IGNORECASE,
)
_SECTION_HEAD = re.compile(
    r"^sorted by:.*$|^(?:all\s+)?(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:thoughts?|responses?|comments?|replies)\b.*$|^comments?\s*(?:\(\d+\))?:?$",
    re.IGNORECASE,
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _normalise(text: str) -> list[str]:
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    if "\t" in text:
        return [line.expandtabs(4).rstrip() for line in text.split("\n")]
    return [line.rstrip() for line in text.split("\n")]


def _choose(lines: list[str]) -> tuple[str, list[Header]]:
    """The shape whose headers explain the paste best. Specific shapes (WordPress, old Reddit,
    chat, outline, in that order) win over plain `Name:` paragraphs unless plain finds more
    than twice as many comments."""
    plain_name, plain_finder = SHAPES[-1]
    plain = plain_finder(lines)
    best: tuple[str, list[Header]] = (plain_name, plain)
    for name, finder in SHAPES[:-1]:
        headers = finder(lines)
        if len(headers) >= 2 and len(headers) * 2 >= len(plain):
            return name, headers
        if len(headers) >= len(best[1]) and headers:
            best = (name, headers)
    return best


def _depths(headers: list[Header]) -> list[int | None]:
    """Nesting from header indentation, when the paste shows more than one level."""
    if len({h.indent for h in headers}) < 2:
        return [None] * len(headers)
    out: list[int | None] = []
    stack: list[int] = []  # indents of the open levels
    for h in headers:
        while stack and stack[-1] > h.indent:
            stack.pop()
        if not stack or stack[-1] < h.indent:
            stack.append(h.indent)
        out.append(len(stack) - 1)
    return out


def _body(first: str, lines: list[str]) -> str:
    for k, line in enumerate(lines):
        if ends_comments(line):
            lines = lines[:k]
            break
    block = "\n".join(lines)
    if block[:1] in (" ", "\n"):
        block = textwrap.dedent(block)
    gap = "\n\n" if block.lstrip(" \t").startswith("\n") else "\n"  # a paragraph break
    block = block.strip("\n")
    text = f"{first}{gap}{block}" if first and block else first or block
    if "\n\n\n" in text or "\n \n" in text or "\n\t" in text:
        text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
    return text.strip()


def _blank_starts(headers: list[Header], ends: list[int], raw: list[str]) -> list[bool]:
    """Which comments start with an empty line where most of the paste's comments start at
    once (a WordPress copy whose `@Name` link was dropped leaves exactly that). Where most
    comments start that way (a numbered WordPress copy), the gap says nothing."""
    found = [
        not h.first_text.strip()
        and h.body_start < end
        and not raw[h.body_start].strip()
        and any(line.strip() for line in raw[h.body_start : end])
        for h, end in zip(headers, ends, strict=True)
    ]
    return found if sum(found) * 2 < len(found) else [False] * len(found)


def _article(lines: list[str]) -> Article:
    kept: list[str] = []
    author: str | None = None
    for line in lines:
        s = line.strip()
        if _SECTION_HEAD.match(s) or ends_comments(s):
            continue
        m = _BYLINE.match(s)
        if m and author is None:
            author = " ".join(m["author"].split()).removeprefix("u/")
            continue
        kept.append(s)
    body = "\n".join(kept).strip()
    if not body:
        return Article(author=author)
    first, _, rest = body.partition("\n")
    title = first.lstrip("#").strip() or None
    return Article(title=title, author=author, text=re.sub(r"\n{3,}", "\n\n", rest).strip())


def parse_paste(text: str) -> Discussion:
    """Read a pasted article and comment thread. Raises InputError when no comment is found."""
    raw = _normalise(text)
    lines = clean_lines(raw)
    shape, headers = _choose(lines)
    if not headers:
        raise InputError(
            "No comments found: this does not look like a discussion. Paste the article with "
            "its comments, e.g. `Name: text` lines, a WordPress comment list or a chat log."
        )
    if shape == "plain":
        headers = refine_plain(lines, headers, raw)
    nested = shape in ("wordpress", "outline", "reddit")
    depths = _depths(headers) if nested else [None] * len(headers)
    if shape == "plain" and len(headers) >= 2:
        adjacent = sum(1 for a, b in pairwise(headers) if b.start == a.start + 1)
        if adjacent * 2 >= len(headers) - 1:
            shape = "chat"  # one `nick: text` line after another: a chat log
    comments: list[Comment] = []
    warnings: list[str] = []
    ends = [h.start for h in headers[1:]] + [len(lines)]
    blank = _blank_starts(headers, ends, raw)
    for n, h in enumerate(headers):
        body = _body(h.first_text, lines[h.body_start : ends[n]])
        i = len(comments) + 1
        comments.append(
            Comment(
                id=f"c{i}",
                index=i,
                author=h.author,
                text=body,
                depth=depths[n],
                timestamp=h.timestamp,
                starts_blank=blank[n],
            )
        )
    empty = sum(1 for c in comments if not c.text)
    if empty:
        warnings.append(f"{empty} comment(s) have no text.")
    return Discussion(
        article=_article(lines[: headers[0].start]),
        comments=tuple(comments),
        source=shape,
        warnings=tuple(warnings),
    )
