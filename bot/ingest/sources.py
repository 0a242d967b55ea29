"""A link -> Discussion: the platform whose thread it names reads it through its API (see
`bot.ingest.platforms`), else the page itself is read.

Every request goes through the safe fetcher (`bot.ingest.fetch`) on the session the caller
injected (made by `open_session`). Parsing is CPU work and runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import aiohttp
from yarl import URL

from bot.core.errors import CrosstalkError, FetchError
from bot.core.model import Discussion
from bot.ingest.decode import human_size
from bot.ingest.fetch import HTML_TYPES, JSON_TYPES, Fetched, FetchPolicy, check_url, fetch
from bot.ingest.platforms import PLATFORMS, generic, parse_html, parse_json
from bot.ingest.platforms.base import Endpoints, Platform

__all__ = ["Endpoints", "load_source", "looks_like_url"]

T = TypeVar("T")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


def looks_like_url(source: str) -> bool:
    """True for `scheme:...` sources (http, but also file:, ftp:… which the fetcher refuses),
    false for paths, including Windows drive paths such as `C:\\x`."""
    s = source.strip()
    return bool(_SCHEME.match(s)) and not re.match(r"^[a-zA-Z]:[\\/]", s)


async def load_source(
    source: str,
    policy: FetchPolicy,
    session: aiohttp.ClientSession,
    *,
    endpoints: Endpoints | None = None,
) -> Discussion:
    """Fetch and parse one link. Raises FetchError/InputError with a user-readable message."""
    url = check_url(source, policy)
    web = _Web(policy, session, endpoints or Endpoints(), str(url))
    for platform in PLATFORMS:
        key = platform.match(url)
        if key is None:
            continue
        if not platform.self_hosted:
            return await _thread(platform, key, web)
        try:
            return await _thread(platform, key, web)
        except CrosstalkError:
            pass  # not that platform after all: read the page itself
    return await _page(web)


class _Web:
    """The platforms' access to the web (`bot.ingest.platforms.base.Web`)."""

    def __init__(
        self, policy: FetchPolicy, session: aiohttp.ClientSession, ep: Endpoints, url: str
    ) -> None:
        self.policy, self.session, self.endpoints, self.url = policy, session, ep, url

    async def get(self, url: str, accept: tuple[str, ...] = JSON_TYPES) -> Fetched:
        return await fetch(self.session, url, self.policy, accept=accept)

    async def json(self, url: str) -> Any:
        return await self.decode(await self.get(url))

    async def decode(self, got: Fetched) -> Any:
        host = URL(got.url).host
        if got.truncated:
            raise FetchError(
                f"The answer from {host} is larger than "
                f"{human_size(self.policy.max_bytes)}; Crosstalk cannot read it whole."
            )
        try:
            return await asyncio.to_thread(json.loads, got.body)
        except ValueError:
            raise FetchError(f"{host} did not answer with valid JSON.") from None

    async def parse(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        return await asyncio.to_thread(fn, *args, **kw)


async def _thread(platform: Platform, key: Any, web: _Web) -> Discussion:
    d = await platform.fetch(key, web)
    return await _linked_article(d, web) if platform.link_posts else d


async def _linked_article(d: Discussion, web: _Web) -> Discussion:
    """Fill the article of a link post from the page it links to; say so if that fails."""
    target = d.article.url
    if not web.endpoints.linked_articles or d.article.text.strip() or not target:
        return d
    if target == web.url or not target.startswith(("http://", "https://")):
        return d
    try:
        got = await web.get(target, accept=HTML_TYPES)
        found = await web.parse(generic.extract_article, got.text(), url=target)
    except CrosstalkError as exc:
        why = exc.message.rstrip(".")
        note = f"The linked article could not be read ({why}); the discussion is analysed alone."
        return _with_warnings(d, (note,))
    if not found.text:
        return _with_warnings(d, ("The linked article had no readable text.",))
    article = replace(d.article, text=found.text, title=d.article.title or found.title)
    return replace(d, article=article)


async def _page(web: _Web) -> Discussion:
    """The link read as a page: a share link that led to a platform's thread, a JSON
    document, a page that announces its platform's API, or any HTML page."""
    url = web.url
    got = await web.get(url, accept=(*HTML_TYPES, *JSON_TYPES))
    notes: tuple[str, ...] = ()
    if got.truncated and not got.is_json:
        notes = (
            f"The page is larger than {human_size(web.policy.max_bytes)}; "
            "only its beginning was read.",
        )
    final = URL(got.url)
    if final != URL(url):
        for platform in PLATFORMS:
            key = platform.match(final) if platform.share_links else None
            if key is not None:
                return await _thread(platform, key, web)
    if got.is_json:
        return await web.parse(parse_json, await web.decode(got), url=url)
    html = got.text()
    for platform in PLATFORMS:
        key = platform.match_page(html, got.links)
        if key is None:
            continue
        try:
            return _with_warnings(await platform.fetch(key, web), notes)
        except CrosstalkError:
            pass  # the API is closed or odd: read the rendered page
    return _with_warnings(await web.parse(parse_html, html, url=url), notes)


def _with_warnings(d: Discussion, notes: tuple[str, ...]) -> Discussion:
    return replace(d, warnings=(*notes, *d.warnings)) if notes else d
