"""Discourse: `/t/ID.json` (topic view) and `/t/ID/posts.json` (post pages).

Post 1 is the article; the others are comments with id = post number. `reply_to_post_number`
is the platform's reply pointer (null for replies to the topic) and becomes `parent_id`.
Quote asides (`<aside class="quote" data-post="N">`) are a second signal, kept apart in
`Comment.quotes` (the core weighs them below the pointer): they name what a post answers
when it has no pointer, and often more precisely. Pages may overlap and come in
descending order; posts are merged by number and sorted.
"""

from __future__ import annotations

import re
from typing import Any

from yarl import URL

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion
from bot.ingest.platforms.base import Platform, Web
from bot.ingest.platforms.markup import element_text, fragment_text, parse_fragment

_TOPIC_PATH = re.compile(r"^/t/(?:[^/]+/)?(\d+)(?:/(\d+))?/?$")


def topic_ref(path: str) -> tuple[str, int | None] | None:
    """(topic id, post number) for a `/t/slug/ID[/N]` path."""
    m = _TOPIC_PATH.match(path)
    return (m[1], int(m[2]) if m[2] else None) if m else None


def is_topic(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("post_stream"), dict)
        and isinstance(payload["post_stream"].get("posts"), list)
    )


def quoted_posts(cooked: str, topic_id: Any) -> list[int]:
    """Post numbers quoted by a post's HTML (same topic only), in order of appearance."""
    if "aside" not in cooked:
        return []
    root = parse_fragment(cooked)
    if root is None:
        return []
    out: list[int] = []
    for aside in root.xpath(".//aside[contains(@class, 'quote')]"):
        topic, post = aside.get("data-topic"), aside.get("data-post")
        if post and post.isdigit() and (topic is None or str(topic) == str(topic_id)):
            out.append(int(post))
    return out


def merge_posts(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_number: dict[int, dict[str, Any]] = {}
    for p in payloads:
        for post in p["post_stream"]["posts"]:
            by_number.setdefault(int(post["post_number"]), post)
    return [by_number[n] for n in sorted(by_number)]


def parse(payloads: dict[str, Any] | list[dict[str, Any]], *, url: str | None = None) -> Discussion:
    pages = payloads if isinstance(payloads, list) else [payloads]
    if not pages or not all(is_topic(p) for p in pages):
        raise InputError("This JSON is not a Discourse topic.")
    posts = merge_posts(pages)
    if not posts:
        raise InputError("This Discourse topic has no posts.")
    title = next((p.get("title") for p in pages if p.get("title")), None)
    first = posts[0] if posts[0].get("post_number") == 1 else None
    numbers = {int(p["post_number"]) for p in posts}
    comments: list[Comment] = []
    for post in posts:
        if post is first:
            continue
        n = int(post["post_number"])
        reply_to = post.get("reply_to_post_number")
        parent = int(reply_to) if reply_to else None
        quoted = quoted_posts(post.get("cooked") or "", post.get("topic_id"))
        earlier = tuple(dict.fromkeys(str(q) for q in quoted if 1 < q < n and q in numbers))
        comments.append(
            Comment(
                id=str(n),
                index=len(comments) + 1,
                author=str(post.get("username") or "unknown"),
                text=_text(post.get("cooked") or ""),
                parent_id=str(parent) if parent and parent != 1 else None,
                timestamp=post.get("created_at"),
                deleted=bool(post.get("deleted_at") or post.get("user_deleted")),
                quotes=earlier,
            )
        )
    warnings: list[str] = []
    total = max((int(p.get("posts_count") or 0) for p in posts), default=0)
    if total > len(posts):
        warnings.append(f"Only {len(posts)} of the topic's {total} posts were read.")
    article = Article(
        title=title,
        author=first.get("username") if first else None,
        url=url,
        text=_text(first.get("cooked") or "") if first else "",
    )
    return Discussion(
        article=article, comments=tuple(comments), source="discourse", warnings=tuple(warnings)
    )


def _text(cooked: str) -> str:
    if not cooked.strip():
        return ""
    root = parse_fragment(cooked)
    if root is None:
        return fragment_text(cooked)  # its own fallback: the tags stripped
    for title in root.xpath(".//aside[contains(@class, 'quote')]/div[@class='title']"):
        title.drop_tree()
    return element_text(root)


class Discourse(Platform):
    name = "Discourse"
    self_hosted = True

    def match(self, url: URL) -> tuple[str, tuple[str, int | None]] | None:
        ref = topic_ref(url.path)
        return (str(url.origin()), ref) if ref is not None else None

    async def fetch(self, key: tuple[str, tuple[str, int | None]], web: Web) -> Discussion:
        origin, (topic_id, _post) = key
        topic = await web.json(f"{origin}/t/{topic_id}.json")
        if not is_topic(topic):
            raise InputError("not a Discourse topic")
        pages = [topic]
        have = {p.get("id") for p in topic["post_stream"]["posts"]}
        missing = [i for i in topic["post_stream"].get("stream") or [] if i not in have]
        for start in range(0, min(len(missing), 20 * (web.endpoints.max_pages - 1)), 20):
            ids = "&".join(f"post_ids[]={i}" for i in missing[start : start + 20])
            more = await web.json(f"{origin}/t/{topic_id}/posts.json?{ids}")
            if is_topic(more):
                pages.append(more)
        return await web.parse(parse, pages, url=web.url)

    def recognise_json(self, payload: Any) -> bool:
        return is_topic(payload) or (
            isinstance(payload, list) and bool(payload) and all(is_topic(p) for p in payload)
        )

    def parse_json(self, payload: Any, *, url: str | None = None) -> Discussion:
        return parse(payload, url=url)


PLATFORM = Discourse()
