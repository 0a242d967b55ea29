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


def parse_json(payload: Any, *, url: str | None = None) -> Discussion:
    """A saved or fetched platform JSON document."""
    for platform in PLATFORMS:
        if platform.recognise_json(payload):
            return platform.parse_json(payload, url=url)
    known = ", ".join(p.name for p in PLATFORMS if type(p).parse_json is not Platform.parse_json)
    raise InputError(f"This JSON is not a discussion format Crosstalk knows ({known}).")


def parse_html(html: str, *, url: str | None = None) -> Discussion:
    """A saved or fetched HTML page: a known platform's markup, else article + comments."""
    platform = next(p for p in PLATFORMS if p.recognise_html(html))  # the last reads any page
    return platform.parse_html(html, url=url)
