"""The platform contract: one `Platform` per module, asked in order by the registry
(`bot.ingest.platforms`). A platform says which links are its threads and reads them through
its API, and recognises and parses its own saved documents (JSON answers, HTML pages). Each
method has a default that declines, so a platform implements only what it has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from yarl import URL

from bot.core.model import Discussion
from bot.ingest.fetch import JSON_TYPES, Fetched, FetchPolicy

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the platform APIs live (None: the platform's own; tests point them elsewhere)."""

    reddit: str | None = None
    algolia: str | None = None
    reddit_more_calls: int = 5
    """At most this many /api/morechildren calls per thread (100 ids each)."""
    max_pages: int = 10
    """At most this many pages from paginated APIs (WordPress, Lemmy, Discourse)."""
    linked_articles: bool = True
    """Read the article a link post (Reddit, Hacker News) points to, through the same fetcher."""


class Web(Protocol):
    """How a platform reads a link: every request through the safe fetcher."""

    url: str
    """The link being read."""
    policy: FetchPolicy
    endpoints: Endpoints

    async def get(self, url: str, accept: tuple[str, ...] = JSON_TYPES) -> Fetched: ...

    async def json(self, url: str) -> Any:
        """GET `url` and decode its JSON (a FetchError if it is cut or invalid)."""

    async def decode(self, got: Fetched) -> Any: ...

    async def parse(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        """`fn(*args, **kw)` in a worker thread: parsing is CPU work."""


class Platform:
    name: str = "platform"
    """As users know it ("Hacker News")."""
    link_posts: bool = False
    """Its threads may be link posts: the article is the page the post links to."""
    share_links: bool = False
    """A link that redirects to one of its threads (a share link) is read through the API."""
    self_hosted: bool = False
    """Its paths appear on any host: when the API does not answer like this platform's, the
    link is read as a page instead."""

    def match(self, url: URL) -> Any | None:
        """What `fetch` needs when `url` names one of this platform's threads, else None."""
        return None

    def match_page(self, html: str, links: tuple[tuple[str, str], ...]) -> Any | None:
        """The same, found in a fetched page (its HTML and its Link headers)."""
        return None

    async def fetch(self, key: Any, web: Web) -> Discussion:
        raise NotImplementedError

    def recognise_json(self, payload: Any) -> bool:
        return False

    def parse_json(self, payload: Any, *, url: str | None = None) -> Discussion:
        raise NotImplementedError

    def recognise_html(self, html: str) -> bool:
        return False

    def parse_html(self, html: str, *, url: str | None = None) -> Discussion:
        raise NotImplementedError
