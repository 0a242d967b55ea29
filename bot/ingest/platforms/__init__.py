"""Platform documents (JSON API answers, saved HTML pages) -> Discussion.

`parse_json` and `parse_html` recognise the format by its shape, so a saved `thread.json`
or `page.html` reads the same way as a fetched one. One module per platform.
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


def parse_json(payload: Any, *, url: str | None = None) -> Discussion:
    """A saved or fetched platform JSON document."""
    if reddit.is_thread(payload) or reddit.is_morechildren(payload):
        return reddit.parse(payload, url=url)
    if hackernews.is_algolia_item(payload):
        return hackernews.parse_algolia(payload, url=url)
    if discourse.is_topic(payload):
        return discourse.parse(payload, url=url)
    if isinstance(payload, list) and payload and all(discourse.is_topic(p) for p in payload):
        return discourse.parse(payload, url=url)
    if wordpress.is_rest_comments(payload):
        return wordpress.parse_rest(None, payload, url=url)
    if lemmy.is_comment_list(payload):
        return lemmy.parse(None, payload["comments"], url=url)
    if mastodon.is_context(payload):
        return mastodon.parse(None, payload, url=url)
    raise InputError(
        "This JSON is not a discussion format Crosstalk knows (Reddit, Hacker News, "
        "Discourse, WordPress, Lemmy, Mastodon)."
    )


def parse_html(html: str, *, url: str | None = None) -> Discussion:
    """A saved or fetched HTML page: a known platform's markup, else article + comments."""
    if hackernews.looks_like_page(html):
        return hackernews.parse_page(html, url=url)
    if wordpress.has_comment_list(html):
        try:
            return wordpress.parse_page(html, url=url)
        except InputError:
            pass  # the words appeared, the list did not: read it as any page
    return generic.parse_page(html, url=url)
