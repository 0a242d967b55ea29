"""A link -> Discussion: route to the platform's API when there is one, else read the page.

Every request goes through the safe fetcher (`bot.ingest.fetch`) on the session the caller
injected (made by `open_session`). Parsing is CPU work and runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import aiohttp
from yarl import URL

from bot.core.errors import CrosstalkError, FetchError, InputError
from bot.core.model import Discussion
from bot.ingest.fetch import HTML_TYPES, JSON_TYPES, Fetched, FetchPolicy, check_url, fetch
from bot.ingest.platforms import (
    discourse,
    generic,
    hackernews,
    lemmy,
    mastodon,
    parse_html,
    parse_json,
    reddit,
    wordpress,
)
from bot.ingest.reader import human_size

T = TypeVar("T")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the platform APIs live (tests point them at a local server)."""

    reddit: str = reddit.API_BASE
    algolia: str = hackernews.API_BASE
    reddit_more_calls: int = 5
    """At most this many /api/morechildren calls per thread (100 ids each)."""
    max_pages: int = 10
    """At most this many pages from paginated APIs (WordPress, Lemmy, Discourse)."""
    linked_articles: bool = True
    """Read the article a link post (Reddit, Hacker News) points to, through the same fetcher."""


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
    ep = endpoints or Endpoints()
    url = check_url(source, policy)
    loader = _Loader(policy, session, ep, str(url))
    host, path = url.host or "", url.path
    ref = reddit.thread_ref(host, path)
    if ref is not None:
        return await loader.linked_article(await loader.reddit(ref))
    item = hackernews.item_id(host, path, url.query_string)
    if item is not None:
        return await loader.linked_article(await loader.hackernews(item))
    origin = str(url.origin())
    for attempt in (
        (lemmy.post_id(path), loader.lemmy),
        (mastodon.status_id(path), loader.mastodon),
        (discourse.topic_ref(path), loader.discourse),
    ):
        key, method = attempt
        if key is None:
            continue
        try:
            return await method(origin, key)  # type: ignore[operator]
        except CrosstalkError:
            pass  # not that platform after all: read the page itself
    return await loader.page(str(url))


class _Loader:
    def __init__(
        self, policy: FetchPolicy, session: aiohttp.ClientSession, ep: Endpoints, url: str
    ) -> None:
        self.policy, self.session, self.ep, self.url = policy, session, ep, url

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

    async def linked_article(self, d: Discussion) -> Discussion:
        """Fill the article of a link post from the page it links to; say so if that fails."""
        target = d.article.url
        if not self.ep.linked_articles or d.article.text.strip() or not target:
            return d
        if target == self.url or not target.startswith(("http://", "https://")):
            return d
        try:
            got = await self.get(target, accept=HTML_TYPES)
            found = await self.parse(generic.extract_article, got.text(), url=target)
        except CrosstalkError as exc:
            why = exc.message.rstrip(".")
            note = (
                f"The linked article could not be read ({why}); the discussion is analysed alone."
            )
            return _with_warnings(d, (note,))
        if not found.text:
            return _with_warnings(d, ("The linked article had no readable text.",))
        article = replace(d.article, text=found.text, title=d.article.title or found.title)
        return replace(d, article=article)

    async def reddit(self, ref: reddit.ThreadRef) -> Discussion:
        payload = await self.json(reddit.thread_api_url(ref, self.ep.reddit))
        if not reddit.is_thread(payload):
            raise FetchError("Reddit did not return a thread for this link.")
        tree = await self.parse(reddit.parse_tree, payload)
        link_id = f"t3_{ref.post_id}"
        loaded = sum(1 for _ in _count(tree.roots))
        for _ in range(self.ep.reddit_more_calls):
            stubs = tree.stubs()
            if not stubs or loaded >= self.policy.max_comments:
                break
            # the biggest hidden branch first: most comments per call
            holder, stub = max(stubs, key=lambda hs: int((hs[1].more or {}).get("count") or 0))
            batch = reddit.split_stub(holder, stub, 100)
            answer = await self.json(reddit.morechildren_url(link_id, batch, self.ep.reddit))
            things = reddit.things_of(answer) if reddit.is_morechildren(answer) else []
            reddit.splice(tree, holder, stub, things)
            loaded += sum(1 for t in things if t.get("kind") == "t1")
        return await self.parse(reddit.to_discussion, tree, url=self.url)

    async def hackernews(self, item: str) -> Discussion:
        payload = await self.json(hackernews.item_api_url(item, self.ep.algolia))
        if not hackernews.is_algolia_item(payload):
            raise FetchError("Hacker News (Algolia) did not return this item.")
        return await self.parse(hackernews.parse_algolia, payload, url=self.url)

    async def lemmy(self, origin: str, post: str) -> Discussion:
        post_payload = await self.json(lemmy.post_api_url(origin, post))
        if not lemmy.is_post_view(post_payload):
            raise InputError("not a Lemmy post")
        views: list[dict[str, Any]] = []
        for page in range(1, self.ep.max_pages + 1):
            answer = await self.json(lemmy.comments_api_url(origin, post, page))
            batch = answer.get("comments", []) if lemmy.is_comment_list(answer) else []
            views.extend(batch)
            if len(batch) < lemmy.PAGE_LIMIT:
                break
        return await self.parse(lemmy.parse, post_payload["post_view"], views, url=self.url)

    async def mastodon(self, origin: str, status: str) -> Discussion:
        status_payload = await self.json(mastodon.status_api_url(origin, status))
        if not isinstance(status_payload, dict) or "in_reply_to_id" not in status_payload:
            raise InputError("not a Mastodon status")
        context = await self.json(mastodon.context_api_url(origin, status))
        return await self.parse(mastodon.parse, status_payload, context, url=self.url)

    async def discourse(self, origin: str, ref: tuple[str, int | None]) -> Discussion:
        topic = await self.json(f"{origin}/t/{ref[0]}.json")
        if not discourse.is_topic(topic):
            raise InputError("not a Discourse topic")
        pages = [topic]
        have = {p.get("id") for p in topic["post_stream"]["posts"]}
        missing = [i for i in topic["post_stream"].get("stream") or [] if i not in have]
        for start in range(0, min(len(missing), 20 * (self.ep.max_pages - 1)), 20):
            ids = "&".join(f"post_ids[]={i}" for i in missing[start : start + 20])
            more = await self.json(f"{origin}/t/{ref[0]}/posts.json?{ids}")
            if discourse.is_topic(more):
                pages.append(more)
        found = await self.parse(discourse.parse, pages, url=self.url)
        return found

    async def page(self, url: str) -> Discussion:
        got = await self.get(url, accept=(*HTML_TYPES, *JSON_TYPES))
        notes: tuple[str, ...] = ()
        if got.truncated and not got.is_json:
            notes = (
                f"The page is larger than {human_size(self.policy.max_bytes)}; "
                "only its beginning was read.",
            )
        final = URL(got.url)
        ref = reddit.thread_ref(final.host or "", final.path)
        if ref is not None and final != URL(url):  # a share link that led to a thread
            return await self.reddit(ref)
        if got.is_json:
            return await self.parse(parse_json, await self.decode(got), url=url)
        html = got.text()
        root, post_json = wordpress.discover(html, got.links)
        if root or post_json:
            try:
                found = await self.wordpress(html, url, root, post_json)
                return _with_warnings(found, notes)
            except CrosstalkError:
                pass  # the REST API is closed or odd: fall back to the rendered comments
        return _with_warnings(await self.parse(parse_html, html, url=url), notes)

    async def wordpress(
        self, html: str, url: str, root: str | None, post_json: str | None
    ) -> Discussion:
        post: dict[str, Any] | None = None
        if post_json:
            post = await self.json(post_json)
        elif root:
            slug = URL(url).path.rstrip("/").rsplit("/", 1)[-1]
            found = await self.json(wordpress.route_url(root, "wp/v2/posts", {"slug": slug}))
            post = found[0] if isinstance(found, list) and found else None
        if post is None or not wordpress.is_rest_post(post):
            raise InputError("no WordPress post found")
        if root is None:
            root = post_json.split("wp/v2/")[0] if post_json else None
        if root is None:
            raise InputError("no WordPress REST root")
        comments: list[dict[str, Any]] = []
        for page in range(1, self.ep.max_pages + 1):
            params = {"post": post["id"], "per_page": 100, "page": page, "order": "asc"}
            got = await self.get(wordpress.route_url(root, "wp/v2/comments", params))
            batch = await self.decode(got)
            if not isinstance(batch, list):
                raise InputError("WordPress comments answer is not a list")
            comments.extend(batch)
            total = got.headers.get("x-wp-totalpages")
            if not batch or (total and total.isdigit() and page >= int(total)) or len(batch) < 100:
                break
        return await self.parse(wordpress.parse_rest, post, comments, url=url)


def _with_warnings(d: Discussion, notes: tuple[str, ...]) -> Discussion:
    return replace(d, warnings=(*notes, *d.warnings)) if notes else d


def _count(nodes: list[reddit.Node]) -> Any:
    for n in nodes:
        if n.data is not None:
            yield n
        yield from _count(n.children)
