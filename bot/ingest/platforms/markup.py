"""Small HTML helpers shared by the platform parsers: parsing, fragments to plain text,
timestamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import lxml.html
from lxml import etree

from bot.core.errors import InputError

_BLOCK = frozenset(
    {"p", "div", "br", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


def element_text(el: etree._Element, *, skip: tuple[str, ...] = ()) -> str:
    """The readable text of an element: paragraphs kept, scripts and `skip` classes dropped."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "noscript"):
            if node.tail:
                parts.append(node.tail)
            return
        classes = set((node.get("class") or "").split())
        if skip and classes.intersection(skip):
            if node.tail:
                parts.append(node.tail)
            return
        if tag in _BLOCK:
            parts.append("\n")
        if tag == "blockquote":
            parts.append("> ")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(el)
    return tidy("".join(parts))


def tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def parse_document(html: str, what: str = "This page") -> lxml.html.HtmlElement:
    """A whole HTML page parsed; InputError("{what} could not be read as HTML.") if it cannot be."""
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        raise InputError(f"{what} could not be read as HTML.") from None


def parse_fragment(html: str) -> lxml.html.HtmlElement | None:
    """An HTML fragment parsed inside a `div`, or None when it cannot be."""
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def fragment_text(html: str | None) -> str:
    """Plain text of an HTML fragment (a comment body from an API)."""
    if not html or not html.strip():
        return ""
    root = parse_fragment(html)
    if root is None:
        return tidy(re.sub(r"<[^>]+>", " ", html))
    return element_text(root)


def iso_from_unix(value: object) -> str | None:
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(float(value), tz=UTC).isoformat().replace("+00:00", "Z")
    return None


def classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())
