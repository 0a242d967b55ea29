"""Hacker News: item URLs -> the Algolia items API (nested `children`); saved comment pages.

HN pages render the comment tree in reading order with an indentation per row: old markup
(2015) puts `<img src="s.gif" width="N">` in `td.ind` (depth N/40), current markup writes
`<td class="ind" indent="N">`. Because rows come in tree order, the parent of a row is the
nearest earlier row one level up: an exact structure, not an inference.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from yarl import URL

from bot.core.errors import FetchError, InputError
from bot.core.model import Article, Comment, Discussion, unknown_author
from bot.ingest.platforms.base import Platform, Web
from bot.ingest.platforms.markup import element_text, fragment_text, parse_document

HOSTS = frozenset({"news.ycombinator.com"})
API_BASE = "https://hn.algolia.com"
_ITEM = re.compile(r"(?:^|[?&])id=(\d+)")
_GONE = frozenset({"[deleted]", "[flagged]", "[dead]"})


def item_id(host: str, path: str, query: str) -> str | None:
    if host.lower() not in HOSTS or path.rstrip("/") != "/item":
        return None
    m = _ITEM.search(query)
    return m[1] if m else None


def item_api_url(item: str, base: str = API_BASE) -> str:
    return f"{base}/api/v1/items/{item}"


def is_algolia_item(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and "children" in payload
        and "id" in payload
        and payload.get("type") in ("story", "comment", "poll", "job", "pollopt")
    )


def parse_algolia(payload: dict[str, Any], *, url: str | None = None) -> Discussion:
    comments: list[Comment] = []

    def walk(node: dict[str, Any], parent: str | None) -> None:
        for child in node.get("children") or []:
            if child.get("type") != "comment":
                continue
            cid = str(child.get("id"))
            text = fragment_text(child.get("text"))
            author = child.get("author")
            comments.append(
                Comment(
                    id=cid,
                    index=len(comments) + 1,
                    author=str(author or unknown_author(len(comments) + 1)),
                    text=text,
                    parent_id=parent,
                    timestamp=child.get("created_at"),
                    deleted=author is None or not text,
                )
            )
            walk(child, cid)

    walk(payload, None)
    root_is_story = payload.get("type") != "comment"
    article = Article(
        title=payload.get("title"),
        author=payload.get("author"),
        url=payload.get("url") or url or f"https://news.ycombinator.com/item?id={payload['id']}",
        text=fragment_text(payload.get("text")) if root_is_story else "",
    )
    if not root_is_story:  # a comment permalink: the comment itself is the opening post
        article = Article(
            title=None,
            author=payload.get("author"),
            url=url or f"https://news.ycombinator.com/item?id={payload['id']}",
            text=fragment_text(payload.get("text")),
        )
    return Discussion(
        article=article, comments=tuple(comments), source="hackernews", structure_exact=True
    )


def looks_like_page(html: str) -> bool:
    return (
        "item?id=" in html
        and ("s.gif" in html or 'class="ind"' in html or "class='ind'" in html)
        and ('class="comment"' in html or "commtext" in html)
    )


def _depth(row: etree._Element) -> int:
    ind = row.xpath(".//td[contains(concat(' ', normalize-space(@class), ' '), ' ind ')]")
    if ind and (ind[0].get("indent") or "").strip().isdigit():
        return int(ind[0].get("indent"))
    cell = ind[0] if ind else row.find("td")
    for img in cell.iter("img") if cell is not None else ():
        width = img.get("width", "")
        if "s.gif" in img.get("src", "") and width.isdigit():
            return int(width) // 40
    return 0


_BODIES = (
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' commtext ')]"
    " | //span[@class='comment'][not(.//div[contains(@class, 'commtext')])]"
)


def _title(doc: etree._Element) -> tuple[str | None, str | None, str | None]:
    """Title, author and linked article URL of the story."""
    link = doc.xpath("//span[@class='titleline']/a | //td[@class='title']/a")
    if link:
        title: str | None = link[0].text_content().strip()
        href = link[0].get("href") or ""
    else:
        t = doc.findtext(".//title") or ""
        title = t.removesuffix(" | Hacker News").strip() or None
        href = ""
    sub = doc.xpath("//td[@class='subtext']//a[starts-with(@href, 'user?id=')]")
    author = sub[0].text_content().strip() if sub else None
    return title, author, href if href.startswith(("http://", "https://")) else None


def parse_page(html: str, *, url: str | None = None) -> Discussion:
    doc = parse_document(html, "This Hacker News page")
    comments: list[Comment] = []
    stack: list[tuple[int, str]] = []
    for body in doc.xpath(_BODIES):
        row = next(body.iterancestors("tr"), None)
        if row is None:
            continue
        depth = _depth(row)
        athing = next((a for a in body.iterancestors("tr") if a.get("id", "").isdigit()), None)
        cid = athing.get("id") if athing is not None else ""
        if not cid:
            links = row.xpath(".//span[@class='comhead']//a[starts-with(@href, 'item?id=')]")
            m = _ITEM.search(links[0].get("href", "")) if links else None
            cid = m[1] if m else f"c{len(comments) + 1}"
        users = row.xpath(".//span[@class='comhead']//a[starts-with(@href, 'user?id=')]")
        text = element_text(body, skip=("reply",))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        comments.append(
            Comment(
                id=cid,
                index=len(comments) + 1,
                author=users[0].text_content().strip()
                if users
                else unknown_author(len(comments) + 1),
                text=text,
                parent_id=stack[-1][1] if stack and depth > 0 else None,
                depth=depth,
                deleted=not users or text.strip() in _GONE,
            )
        )
        stack.append((depth, cid))
    if not comments:
        raise InputError("This Hacker News page has no comments.")
    title, author, link = _title(doc)
    top = doc.xpath("//div[contains(@class, 'toptext')]")
    return Discussion(
        article=Article(
            title=title,
            author=author,
            url=link or url,
            text=element_text(top[0]) if top else "",
        ),
        comments=tuple(comments),
        source="hackernews",
        structure_exact=True,
    )


class HackerNews(Platform):
    name = "Hacker News"
    link_posts = True

    def match(self, url: URL) -> str | None:
        return item_id(url.host or "", url.path, url.query_string)

    async def fetch(self, key: str, web: Web) -> Discussion:
        payload = await web.json(item_api_url(key, web.endpoints.algolia or API_BASE))
        if not is_algolia_item(payload):
            raise FetchError("Hacker News (Algolia) did not return this item.")
        return await web.parse(parse_algolia, payload, url=web.url)

    def recognise_json(self, payload: Any) -> bool:
        return is_algolia_item(payload)

    def parse_json(self, payload: Any, *, url: str | None = None) -> Discussion:
        return parse_algolia(payload, url=url)

    def recognise_html(self, html: str) -> bool:
        return looks_like_page(html)

    def parse_html(self, html: str, *, url: str | None = None) -> Discussion:
        return parse_page(html, url=url)


PLATFORM = HackerNews()
