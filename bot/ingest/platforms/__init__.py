"""The platform registry: each platform's module defines one `Platform` (base.py), and
`PLATFORMS` asks them in order, most specific first, the generic page last.

`parse_json` and `parse_html` recognise a document by its shape, so a saved `thread.json` or
`page.html` reads the same way as a fetched one; `bot.ingest.sources` routes links with
`Platform.match`.
"""

from __future__ import annotations

from typing import Any

from bot.core.errors import InputError
from bot.core.model import Discussion
from bot.ingest.platforms import (
    discourse,
    generic,
    hackernews,
    lemmy,
    mastodon,
    reddit,
    wordpress,
)
from bot.ingest.platforms.base import Platform

PLATFORMS: tuple[Platform, ...] = (
    reddit.PLATFORM,
    hackernews.PLATFORM,
    discourse.PLATFORM,
    wordpress.PLATFORM,
    lemmy.PLATFORM,
    mastodon.PLATFORM,
    generic.PLATFORM,
)


def _names(method: str) -> list[str]:
    """The platforms that implement `method` (the generic page reader aside)."""
    own = [p for p in PLATFORMS[:-1] if getattr(type(p), method) is not getattr(Platform, method)]
    return [p.name for p in own]


def json_formats() -> list[str]:
    """Platforms whose saved JSON documents are read."""
    return _names("parse_json")


def page_formats() -> list[str]:
    """Platforms whose saved HTML pages are read as such (any other page: article and comments)."""
    return _names("parse_html")


def api_links() -> list[str]:
    """Platforms whose links are read through their API."""
    return _names("fetch")


def parse_json(payload: Any, *, url: str | None = None) -> Discussion:
    """A saved or fetched platform JSON document."""
    for platform in PLATFORMS:
        if platform.recognise_json(payload):
            return platform.parse_json(payload, url=url)
    known = ", ".join(json_formats())
    raise InputError(f"This JSON is not a discussion format Crosstalk knows ({known}).")


def parse_html(html: str, *, url: str | None = None) -> Discussion:
    """A saved or fetched HTML page: a known platform's markup, else article + comments."""
    platform = next(p for p in PLATFORMS if p.recognise_html(html))  # the last reads any page
    return platform.parse_html(html, url=url)
