"""Lemmy (API v3): `/post/ID` on any instance -> `/api/v3/post?id=` and
`/api/v3/comment/list?post_id=`. Built from the documented format (join-lemmy.org API docs,
`CommentView`); no real Lemmy data was available to check it against.

A comment's `path` is "0.<ancestor ids>.<own id>": its parent is the second-to-last id
(none when that is 0). Comments are put in tree order by their path.
"""

from __future__ import annotations

import re
from typing import Any

from yarl import URL

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion
from bot.ingest.platforms.base import Platform, Web

_POST_PATH = re.compile(r"^/post/(\d+)/?$")
PAGE_LIMIT = 50


def post_id(path: str) -> str | None:
    m = _POST_PATH.match(path)
    return m[1] if m else None


def post_api_url(origin: str, post: str) -> str:
    return f"{origin}/api/v3/post?id={post}"


def comments_api_url(origin: str, post: str, page: int) -> str:
    return (
        f"{origin}/api/v3/comment/list?post_id={post}&type_=All&sort=Old"
        f"&max_depth=50&limit={PAGE_LIMIT}&page={page}"
    )


def is_comment_list(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("comments"), list)
        and all(isinstance(c, dict) and "comment" in c for c in payload["comments"])
    )


def is_post_view(payload: Any) -> bool:
    return isinstance(payload, dict) and isinstance(payload.get("post_view"), dict)


def _path(view: dict[str, Any]) -> list[int]:
    raw = str(view["comment"].get("path") or f"0.{view['comment']['id']}")
    return [int(p) for p in raw.split(".") if p.isdigit()]


def parse(
    post_view: dict[str, Any] | None,
    comment_views: list[dict[str, Any]],
    *,
    url: str | None = None,
) -> Discussion:
    if not all(isinstance(v, dict) and "comment" in v for v in comment_views):
        raise InputError("This JSON is not a Lemmy comment list.")
    unique = {int(v["comment"]["id"]): v for v in comment_views}
    ordered = sorted(unique.values(), key=_path)
    comments: list[Comment] = []
    for v in ordered:
        c, creator = v["comment"], v.get("creator") or {}
        path = _path(v)
        parent = path[-2] if len(path) >= 3 else None
        removed = bool(c.get("deleted") or c.get("removed"))
        comments.append(
            Comment(
                id=str(c["id"]),
                index=len(comments) + 1,
                author=str(creator.get("name") or creator.get("display_name") or "unknown"),
                text=str(c.get("content") or ""),
                parent_id=str(parent) if parent else None,
                timestamp=c.get("published"),
                deleted=removed,
            )
        )
    post = (post_view or {}).get("post") or {}
    creator = (post_view or {}).get("creator") or {}
    body = str(post.get("body") or "")
    link = post.get("url")
    article = Article(
        title=post.get("name"),
        author=creator.get("name"),
        url=url or post.get("ap_id"),
        text=f"{body}\n\n{link}".strip() if link else body,
    )
    return Discussion(
        article=article, comments=tuple(comments), source="lemmy", structure_exact=True
    )


class Lemmy(Platform):
    name = "Lemmy"
    self_hosted = True

    def match(self, url: URL) -> tuple[str, str] | None:
        post = post_id(url.path)
        return (str(url.origin()), post) if post is not None else None

    async def fetch(self, key: tuple[str, str], web: Web) -> Discussion:
        origin, post = key
        post_payload = await web.json(post_api_url(origin, post))
        if not is_post_view(post_payload):
            raise InputError("not a Lemmy post")
        views: list[dict[str, Any]] = []
        for page in range(1, web.endpoints.max_pages + 1):
            answer = await web.json(comments_api_url(origin, post, page))
            batch = answer.get("comments", []) if is_comment_list(answer) else []
            views.extend(batch)
            if len(batch) < PAGE_LIMIT:
                break
        return await web.parse(parse, post_payload["post_view"], views, url=web.url)

    def recognise_json(self, payload: Any) -> bool:
        return is_comment_list(payload)

    def parse_json(self, payload: Any, *, url: str | None = None) -> Discussion:
        return parse(None, payload["comments"], url=url)


PLATFORM = Lemmy()
