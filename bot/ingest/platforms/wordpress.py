"""WordPress: the REST API (`/wp-json/wp/v2/...` or `?rest_route=`) and the rendered comment
list (`ol.comment-list` > `li.comment` with nested `ol.children`, "Name says:").

The REST root is announced by a `Link: <…>; rel="https://api.w.org/"` header or the same
`<link>` in the page head; a post page also links its own JSON (`rel="alternate"
type="application/json"` → `/wp/v2/posts/ID`). Comments carry `parent` (0 = top level).
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from lxml import etree
from yarl import URL

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion
from bot.ingest.platforms import generic
from bot.ingest.platforms.base import Platform, Web
from bot.ingest.platforms.markup import classes, element_text, fragment_text, parse_document

API_REL = "https://api.w.org/"
_POST_ROUTE = re.compile(r"/wp/v2/(?:posts|pages)/(\d+)")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_NOT_TEXT = ("comment-author", "comment-meta", "comment-metadata", "reply", "vcard")
_SAYS = re.compile(r"\s*says:\s*$")


def route_url(api_root: str, route: str, params: dict[str, Any] | None = None) -> str:
    """A REST route under `api_root`, which is either `…/wp-json/` or `…/?rest_route=/`."""
    parts = urlsplit(api_root)
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    if "rest_route" in query:
        query["rest_route"] = "/" + route.lstrip("/")
        query.update({k: str(v) for k, v in (params or {}).items()})
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    base = api_root if api_root.endswith("/") else api_root + "/"
    qs = f"?{urlencode(params)}" if params else ""
    return base + route.lstrip("/") + qs


def discover(html: str, links: tuple[tuple[str, str], ...] = ()) -> tuple[str | None, str | None]:
    """(REST root, post route) announced by headers or page head; either may be None."""
    root = next((u for rel, u in links if rel == API_REL), None)
    post_json: str | None = None
    for rel, u in links:
        if rel == "alternate" and _POST_ROUTE.search(u):
            post_json = u
    head = html[:200_000]
    if root is None:
        m = re.search(r"<link[^>]+rel=[\"']https://api\.w\.org/[\"'][^>]*>", head)
        if m:
            href = re.search(r"href=[\"']([^\"']+)", m[0])
            root = html_lib.unescape(href[1]) if href else None
    if post_json is None:
        for tag in re.findall(r"<link[^>]+>", head):
            if "alternate" in tag and "json" in tag:
                href = re.search(r"href=[\"']([^\"']+)", tag)
                if href and _POST_ROUTE.search(href[1].replace("%2F", "/")):
                    post_json = html_lib.unescape(href[1])
    return root, post_json


def is_rest_comments(payload: Any) -> bool:
    return (
        isinstance(payload, list)
        and bool(payload)
        and all(isinstance(c, dict) and "parent" in c and "author_name" in c for c in payload)
    )


def is_rest_post(payload: Any) -> bool:
    return (
        isinstance(payload, dict) and isinstance(payload.get("content"), dict) and "id" in payload
    )


def parse_rest(
    post: dict[str, Any] | None, comments: list[dict[str, Any]], *, url: str | None = None
) -> Discussion:
    """Post and comments from the REST API, in the order the page shows them: threads in
    date order, each reply under its parent (so a parent always comes first)."""
    ordered = _tree_order(comments)
    out = [
        Comment(
            id=str(c["id"]),
            index=i,
            author=str(c.get("author_name") or "Anonymous"),
            text=fragment_text((c.get("content") or {}).get("rendered")),
            parent_id=str(c["parent"]) if c.get("parent") else None,
            timestamp=c.get("date_gmt") or c.get("date"),
            deleted=c.get("status") not in (None, "approved"),
        )
        for i, c in enumerate(ordered, start=1)
    ]
    post = post or {}
    article = Article(
        title=fragment_text((post.get("title") or {}).get("rendered")) or None,
        author=None,
        url=url or post.get("link"),
        text=fragment_text((post.get("content") or {}).get("rendered")),
    )
    return Discussion(
        article=article, comments=tuple(out), source="wordpress", structure_exact=True
    )


def _tree_order(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_date = sorted(comments, key=lambda c: (str(c.get("date_gmt") or c.get("date")), c["id"]))
    ids = {c["id"] for c in by_date}
    children: dict[Any, list[dict[str, Any]]] = {}
    for c in by_date:
        parent = c.get("parent") if c.get("parent") in ids else 0
        children.setdefault(parent, []).append(c)
    out: list[dict[str, Any]] = []
    stack = list(reversed(children.get(0, [])))
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(reversed(children.get(c["id"], [])))
    return out


def has_comment_list(html: str) -> bool:
    return "comment-list" in html or "commentlist" in html


def parse_page(html: str, *, url: str | None = None) -> Discussion:
    """The rendered comment list of a WordPress page (or a saved copy of it)."""
    title = None
    fm = _FRONT_MATTER.match(html)
    if fm:  # a page converted to Markdown with YAML front matter (static-site exports)
        t = re.search(r'^title:\s*"?(.*?)"?\s*$', fm[1], re.M)
        title = t[1] if t else None
        html = html[fm.end() :]
    doc = parse_document(html)
    lists = doc.xpath(
        "//ol[contains(@class, 'comment-list') or contains(@class, 'commentlist')]"
        " | //ul[contains(@class, 'comment-list') or contains(@class, 'commentlist')]"
    )
    if not lists:
        raise InputError("This page has no WordPress comment list.")
    comments: list[Comment] = []
    for li in lists[0].iter("li"):
        if "comment" not in classes(li) and not (li.get("id") or "").startswith("comment-"):
            continue
        comments.append(_comment(li, len(comments) + 1))
    if title is None:
        h = doc.xpath("//h1[contains(@class, 'entry-title')] | //title")
        title = h[0].text_content().strip() if h else None
    article_el = doc.xpath("//div[contains(@class, 'entry-content')]")
    return Discussion(
        article=Article(
            title=title, url=url, text=element_text(article_el[0]) if article_el else ""
        ),
        comments=tuple(comments),
        source="wordpress",
        structure_exact=True,
    )


def _comment(li: etree._Element, index: int) -> Comment:
    cid = (li.get("id") or f"comment-{index}").removeprefix("li-")
    parent_li = next(
        (a for a in li.iterancestors("li") if (a.get("id") or "").startswith(("comment-", "li-"))),
        None,
    )
    own = [el for el in li.iter() if _owner(el, li)]
    author_el = next((e for e in own if classes(e) & {"fn", "comment-author"}), None)
    if author_el is not None and "comment-author" in classes(author_el):
        inner = next((e for e in author_el.iter() if "fn" in classes(e)), None)
        author_el = inner if inner is not None else author_el
    author = _SAYS.sub("", author_el.text_content()).strip() if author_el is not None else ""
    body = next((e for e in own if classes(e) & {"comment-content", "comment-body"}), None)
    if body is not None:
        text = element_text(body, skip=_NOT_TEXT)
    else:  # older themes: the paragraphs sit directly in the comment
        text = "\n\n".join(element_text(e) for e in own if e.tag == "p")
    when = next((e.get("datetime") for e in own if e.tag == "time" and e.get("datetime")), None)
    depth = next((int(c[6:]) - 1 for c in classes(li) if re.fullmatch(r"depth-\d+", c)), None)
    return Comment(
        id=cid,
        index=index,
        author=author or "Anonymous",
        text=text,
        parent_id=(parent_li.get("id") or "").removeprefix("li-")
        if parent_li is not None
        else None,
        depth=depth,
        timestamp=when,
    )


def _owner(el: etree._Element, li: etree._Element) -> bool:
    """True when `el` belongs to `li` itself, not to a nested reply."""
    for a in el.iterancestors():
        if a is li:
            return True
        if a.tag == "li" and a is not li:
            return False
    return False


class WordPress(Platform):
    name = "WordPress"
    self_hosted = True

    def match_page(
        self, html: str, links: tuple[tuple[str, str], ...]
    ) -> tuple[str | None, str | None] | None:
        root, post_json = discover(html, links)
        return (root, post_json) if root or post_json else None

    async def fetch(self, key: tuple[str | None, str | None], web: Web) -> Discussion:
        """The post and its comments through the REST API the page announced."""
        root, post_json = key
        post: dict[str, Any] | None = None
        if post_json:
            post = await web.json(post_json)
        elif root:
            slug = URL(web.url).path.rstrip("/").rsplit("/", 1)[-1]
            found = await web.json(route_url(root, "wp/v2/posts", {"slug": slug}))
            post = found[0] if isinstance(found, list) and found else None
        if post is None or not is_rest_post(post):
            raise InputError("no WordPress post found")
        if root is None:
            root = post_json.split("wp/v2/")[0] if post_json else None
        if root is None:
            raise InputError("no WordPress REST root")
        comments: list[dict[str, Any]] = []
        for page in range(1, web.endpoints.max_pages + 1):
            params = {"post": post["id"], "per_page": 100, "page": page, "order": "asc"}
            got = await web.get(route_url(root, "wp/v2/comments", params))
            batch = await web.decode(got)
            if not isinstance(batch, list):
                raise InputError("WordPress comments answer is not a list")
            comments.extend(batch)
            total = got.headers.get("x-wp-totalpages")
            if not batch or (total and total.isdigit() and page >= int(total)) or len(batch) < 100:
                break
        return await web.parse(parse_rest, post, comments, url=web.url)

    def recognise_json(self, payload: Any) -> bool:
        return is_rest_comments(payload)

    def parse_json(self, payload: Any, *, url: str | None = None) -> Discussion:
        return parse_rest(None, payload, url=url)

    def recognise_html(self, html: str) -> bool:
        return has_comment_list(html)

    def parse_html(self, html: str, *, url: str | None = None) -> Discussion:
        try:
            return parse_page(html, url=url)
        except InputError:  # the words appeared, the list did not: read it as any page
            return generic.parse_page(html, url=url)


PLATFORM = WordPress()
