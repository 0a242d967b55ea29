"""Any other page: the article through trafilatura (offline, no network), comments from
common markup when the page holds them.

Comments are recognised by microformats (`h-entry` inside an `h-entry`, `p-comment`,
`u-comment`) or by a `comment` class token on an element that names an author. Nesting in
the HTML is the reply structure. A page without such markup is analysed as the article alone,
with a warning saying so.
"""

from __future__ import annotations

import trafilatura
from lxml import etree

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion
from bot.ingest.platforms.base import Platform
from bot.ingest.platforms.markup import classes, element_text, parse_document

NO_COMMENTS = "The page had no readable comments; the article is analysed alone."
_MF_COMMENT = {"p-comment", "u-comment"}
_AUTHOR = {"p-author", "author", "comment-author", "fn", "username", "user", "byline"}
_CONTENT = {"e-content", "p-content", "comment-content", "comment-body", "content", "body"}


def _tentative(doc: etree._Element) -> set[etree._Element]:
    """Elements that may be comments: microformat comments, nested h-entries, and
    elements with a `comment` class token."""
    out: set[etree._Element] = set()
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        cls = classes(el)
        nested_entry = "h-entry" in cls and any("h-entry" in classes(a) for a in el.iterancestors())
        if cls & _MF_COMMENT or "comment" in cls or nested_entry:
            out.add(el)
    return out


def _find(
    el: etree._Element, wanted: set[str], tentative: set[etree._Element]
) -> etree._Element | None:
    """The first descendant with a `wanted` class that belongs to `el`, not to a nested
    comment inside it."""
    for d in el.iterdescendants():
        if not isinstance(d.tag, str) or not classes(d) & wanted:
            continue
        owner = next((a for a in d.iterancestors() if a is el or a in tentative), None)
        if owner is el:
            return d
    return None


def find_comments(doc: etree._Element) -> list[Comment]:
    tentative = _tentative(doc)
    found = [
        el
        for el in doc.iter()
        if el in tentative
        and (classes(el) & (_MF_COMMENT | {"h-entry"}) or _find(el, _AUTHOR, tentative) is not None)
    ]
    ids: dict[etree._Element, str] = {}
    out: list[Comment] = []
    for el in found:
        index = len(out) + 1
        cid = el.get("id") or f"c{index}"
        if cid in ids.values():
            cid = f"c{index}"
        author_el = _find(el, _AUTHOR, tentative)
        if author_el is not None:
            name = _find(author_el, {"p-name", "fn", "name"}, tentative)
            author_el = name if name is not None else author_el
        body = _find(el, _CONTENT, tentative)
        text = element_text(body) if body is not None else element_text(el)
        if not text:
            continue
        ids[el] = cid
        parent = next((ids[a] for a in el.iterancestors() if a in ids), None)
        author = author_el.text_content().strip() if author_el is not None else ""
        out.append(
            Comment(
                id=cid,
                index=index,
                author=author.removesuffix("says:").strip() or "Anonymous",
                text=text,
                parent_id=parent,
            )
        )
    return out


def extract_article(html: str, *, url: str | None = None) -> Article:
    """The main text and metadata of a page, through trafilatura (no network)."""
    text = trafilatura.extract(html, url=url, include_comments=False, output_format="txt") or ""
    meta = trafilatura.extract_metadata(html, default_url=url)
    return Article(
        title=meta.title if meta else None,
        author=meta.author if meta else None,
        url=url,
        text=text.strip(),
    )


def parse_page(html: str, *, url: str | None = None) -> Discussion:
    doc = parse_document(html)
    article = extract_article(html, url=url)
    comments = find_comments(doc)
    if not article.text and not comments:
        raise InputError("The page had no readable article text and no comments.")
    return Discussion(
        article=article,
        comments=tuple(comments),
        source="page",
        warnings=() if comments else (NO_COMMENTS,),
    )


class Page(Platform):
    """Any page: the last resort, it reads every HTML document."""

    name = "page"

    def recognise_html(self, html: str) -> bool:
        return True

    def parse_html(self, html: str, *, url: str | None = None) -> Discussion:
        return parse_page(html, url=url)


PLATFORM = Page()
