"""Any other page: the article through trafilatura (offline, no network), comments from
common markup when the page holds them.

Comments are recognised by microformats (`h-entry` inside an `h-entry`, `p-comment`,
`u-comment`) or by a `comment` class token on an element that names an author. Nesting in
the HTML is the reply structure. A page without such markup is analysed as the article alone,
with a warning saying so.
"""

from __future__ import annotations

import lxml.html
import trafilatura
from lxml import etree

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion
from bot.ingest.platforms.markup import classes, element_text

NO_COMMENTS = "The page had no readable comments; the article is analysed alone."
_MF_COMMENT = {"p-comment", "u-comment"}
_AUTHOR = {"p-author", "author", "comment-author", "fn", "username", "user", "byline"}
_CONTENT = {"e-content", "p-content", "comment-content", "comment-body", "content", "body"}


def _is_comment(el: etree._Element) -> bool:
    cls = classes(el)
    if cls & _MF_COMMENT:
        return True
    if "h-entry" in cls and any("h-entry" in classes(a) for a in el.iterancestors()):
        return True
    return "comment" in cls and _find(el, _AUTHOR) is not None


def _owned(el: etree._Element, root: etree._Element) -> bool:
    for a in el.iterancestors():
        if a is root:
            return True
        if _is_comment(a):
            return False
    return False


def _find(el: etree._Element, wanted: set[str]) -> etree._Element | None:
    for d in el.iterdescendants():
        if isinstance(d.tag, str) and classes(d) & wanted and _owned(d, el):
            return d
    return None


def find_comments(doc: etree._Element) -> list[Comment]:
    found = [el for el in doc.iter() if isinstance(el.tag, str) and _is_comment(el)]
    ids: dict[etree._Element, str] = {}
    out: list[Comment] = []
    for el in found:
        index = len(out) + 1
        cid = el.get("id") or f"c{index}"
        if cid in ids.values():
            cid = f"c{index}"
        ids[el] = cid
        author_el = _find(el, _AUTHOR)
        if author_el is not None:
            name = _find(author_el, {"p-name", "fn", "name"})
            author_el = name if name is not None else author_el
        body = _find(el, _CONTENT)
        parent = next((ids[a] for a in el.iterancestors() if a in ids), None)
        text = element_text(body) if body is not None else element_text(el)
        if not text:
            continue
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


def parse_page(html: str, *, url: str | None = None) -> Discussion:
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        raise InputError("This page could not be read as HTML.") from None
    text = trafilatura.extract(html, url=url, include_comments=False, output_format="txt") or ""
    meta = trafilatura.extract_metadata(html, default_url=url)
    comments = find_comments(doc)
    if not text.strip() and not comments:
        raise InputError("The page had no readable article text and no comments.")
    return Discussion(
        article=Article(
            title=meta.title if meta else None,
            author=meta.author if meta else None,
            url=url,
            text=text.strip(),
        ),
        comments=tuple(comments),
        source="page",
        warnings=() if comments else (NO_COMMENTS,),
    )
