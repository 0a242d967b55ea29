"""Mastodon: a status URL (`/@user/ID`, `/users/user/statuses/ID`) -> `/api/v1/statuses/ID`
and `/api/v1/statuses/ID/context` (`ancestors`, `descendants`). Built from the documented
format (docs.joinmastodon.org, Status and Context entities); no real data was available.

The root of the conversation (the first ancestor, or the status itself) is the article; every
other status is a comment whose parent is `in_reply_to_id`.
"""

from __future__ import annotations

import re
from typing import Any

from yarl import URL

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion
from bot.ingest.platforms.base import Platform, Web
from bot.ingest.platforms.markup import fragment_text

_STATUS_PATH = re.compile(r"^/(?:@[^/]+|users/[^/]+/statuses)/(\d+)/?$")


def status_id(path: str) -> str | None:
    m = _STATUS_PATH.match(path)
    return m[1] if m else None


def status_api_url(origin: str, status: str) -> str:
    return f"{origin}/api/v1/statuses/{status}"


def context_api_url(origin: str, status: str) -> str:
    return f"{origin}/api/v1/statuses/{status}/context"


def is_context(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("ancestors"), list)
        and isinstance(payload.get("descendants"), list)
    )


def _author(status: dict[str, Any]) -> str:
    account = status.get("account") or {}
    return str(account.get("acct") or account.get("username") or "unknown")


def _parent(status: dict[str, Any], root: dict[str, Any]) -> str | None:
    """The status replied to; a reply to the root (the article) is top level."""
    target = status.get("in_reply_to_id")
    return str(target) if target and str(target) != str(root.get("id")) else None


def parse(
    status: dict[str, Any] | None, context: dict[str, Any], *, url: str | None = None
) -> Discussion:
    """A conversation from a status and its context. A saved context without its status
    still parses: its first ancestor (or first descendant) becomes the article."""
    if not is_context(context):
        raise InputError("This JSON is not a Mastodon status context.")
    statuses = [*context["ancestors"], *([status] if status else []), *context["descendants"]]
    if not statuses:
        raise InputError("This Mastodon conversation is empty.")
    root, rest = statuses[0], statuses[1:]
    comments = [
        Comment(
            id=str(s["id"]),
            index=i,
            author=_author(s),
            text=fragment_text(s.get("content")),
            parent_id=_parent(s, root),
            timestamp=s.get("created_at"),
        )
        for i, s in enumerate(rest, start=1)
    ]
    article = Article(
        title=None,
        author=_author(root),
        url=url or root.get("url"),
        text=fragment_text(root.get("content")),
    )
    return Discussion(
        article=article, comments=tuple(comments), source="mastodon", structure_exact=True
    )


class Mastodon(Platform):
    name = "Mastodon"
    self_hosted = True

    def match(self, url: URL) -> tuple[str, str] | None:
        status = status_id(url.path)
        return (str(url.origin()), status) if status is not None else None

    async def fetch(self, key: tuple[str, str], web: Web) -> Discussion:
        origin, status = key
        status_payload = await web.json(status_api_url(origin, status))
        if not isinstance(status_payload, dict) or "in_reply_to_id" not in status_payload:
            raise InputError("not a Mastodon status")
        context = await web.json(context_api_url(origin, status))
        return await web.parse(parse, status_payload, context, url=web.url)

    def recognise_json(self, payload: Any) -> bool:
        return is_context(payload)

    def parse_json(self, payload: Any, *, url: str | None = None) -> Discussion:
        return parse(None, payload, url=url)


PLATFORM = Mastodon()
