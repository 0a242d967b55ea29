"""Reddit: thread URLs in every form -> the JSON API; API answers -> Discussion.

A thread answer (`/comments/ID.json`) is a two-element array of Listings: the post (`t3`) and
the comment tree (`t1`, nested through `replies`). Hidden replies come as `more` stubs whose
`children` ids are expanded through `/api/morechildren`, which answers a FLAT list that is
put back into the tree by `parent_id`. "Continue this thread" stubs (`id` "_") are not
expanded. Deleted and removed comments are kept, marked `deleted`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from yarl import URL

from bot.core.errors import FetchError, InputError
from bot.core.model import Article, Comment, Discussion, unknown_author
from bot.ingest.platforms.base import Platform, Web
from bot.ingest.platforms.markup import iso_from_unix

HOSTS = frozenset(
    {"reddit.com", "www.reddit.com", "old.reddit.com", "np.reddit.com", "m.reddit.com",
     "new.reddit.com", "i.reddit.com", "amp.reddit.com", "redd.it", "www.redd.it"}
)  # fmt: skip
API_BASE = "https://www.reddit.com"
_THREAD = re.compile(
    r"^/(?:r/[^/]+/)?comments/(?P<post>[a-z0-9]+)(?:/[^/]*(?:/(?P<c>[a-z0-9]+))?)?"
)
_SHORT = re.compile(r"^/(?P<post>[a-z0-9]+)/?$")
DELETED = frozenset({"[deleted]", "[removed]"})


@dataclass(frozen=True, slots=True)
class ThreadRef:
    post_id: str
    comment_id: str | None = None


def thread_ref(host: str, path: str) -> ThreadRef | None:
    """The thread a Reddit URL names, or None if it is not a thread link."""
    host = host.lower()
    if host not in HOSTS:
        return None
    if host.endswith("redd.it"):
        m = _SHORT.match(path)
        return ThreadRef(m["post"]) if m else None
    m = _THREAD.match(path)
    if not m:
        return None
    return ThreadRef(m["post"], m["c"])


def thread_api_url(ref: ThreadRef, base: str = API_BASE) -> str:
    if ref.comment_id:
        return f"{base}/comments/{ref.post_id}/_/{ref.comment_id}.json?raw_json=1&limit=500"
    return f"{base}/comments/{ref.post_id}.json?raw_json=1&limit=500"


def morechildren_url(link_id: str, children: list[str], base: str = API_BASE) -> str:
    query = urlencode(
        {"api_type": "json", "link_id": link_id, "children": ",".join(children), "raw_json": 1}
    )
    return f"{base}/api/morechildren.json?{query}"


def is_thread(payload: Any) -> bool:
    return (
        isinstance(payload, list)
        and len(payload) == 2
        and all(isinstance(p, dict) and p.get("kind") == "Listing" for p in payload)
    )


def is_morechildren(payload: Any) -> bool:
    return isinstance(payload, dict) and isinstance(
        payload.get("json", {}).get("data", {}).get("things"), list
    )


@dataclass(slots=True, eq=False)
class Node:
    """A comment (`data` set) or a `more` stub (`more` set) in the tree being assembled."""

    data: dict[str, Any] | None = None
    more: dict[str, Any] | None = None
    children: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Tree:
    post: dict[str, Any]
    roots: list[Node]

    def stubs(self) -> list[tuple[list[Node], Node]]:
        """Expandable `more` stubs with the child list holding them, in reading order."""
        out: list[tuple[list[Node], Node]] = []

        def walk(nodes: list[Node]) -> None:
            for n in nodes:
                if n.more is not None and n.more.get("children"):
                    out.append((nodes, n))
                walk(n.children)

        walk(self.roots)
        return out

    def continue_stubs(self) -> int:
        count = 0

        def walk(nodes: list[Node]) -> None:
            nonlocal count
            for n in nodes:
                if n.more is not None and not n.more.get("children"):
                    count += 1
                walk(n.children)

        walk(self.roots)
        return count


def _nodes(listing: Any) -> list[Node]:
    if not isinstance(listing, dict):
        return []  # `replies` is "" when there are none
    out: list[Node] = []
    for thing in listing.get("data", {}).get("children", []):
        kind, data = thing.get("kind"), thing.get("data", {})
        if kind == "t1":
            out.append(Node(data=data, children=_nodes(data.get("replies"))))
        elif kind == "more":
            out.append(Node(more=data))
    return out


def parse_tree(payload: list[Any]) -> Tree:
    posts = payload[0].get("data", {}).get("children", [])
    post = posts[0].get("data", {}) if posts else {}
    return Tree(post=post, roots=_nodes(payload[1]))


def splice(tree: Tree, holder: list[Node], stub: Node, things: list[dict[str, Any]]) -> None:
    """Replace `stub` by the flat `things` of a morechildren answer, rebuilt by parent_id."""
    new: dict[str, Node] = {}
    placed: list[Node] = []
    stub_parent = (stub.more or {}).get("parent_id")
    for thing in things:
        kind, data = thing.get("kind"), thing.get("data", {})
        node = Node(data=data) if kind == "t1" else Node(more=data) if kind == "more" else None
        if node is None:
            continue
        if kind == "t1":
            new[f"t1_{data.get('id')}"] = node
        parent = data.get("parent_id")
        if parent in new:
            new[parent].children.append(node)
        elif parent == stub_parent or parent is None:
            placed.append(node)
        else:
            placed.append(node)  # parent outside this answer: keep it where the stub was
    i = holder.index(stub)
    holder[i : i + 1] = placed


def split_stub(holder: list[Node], stub: Node, size: int) -> list[str]:
    """The first `size` ids of a stub; the rest stay behind in a new stub right after it."""
    more = stub.more or {}
    ids = [str(i) for i in more.get("children") or []]
    if len(ids) > size:
        rest = {**more, "children": ids[size:], "count": len(ids) - size}
        holder.insert(holder.index(stub) + 1, Node(more=rest))
    return ids[:size]


def things_of(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return list(payload.get("json", {}).get("data", {}).get("things", []))


def _unescaped(d: dict[str, Any]) -> str:
    """The comment's Markdown. Without `raw_json=1` Reddit escapes `&`, `<` and `>` as HTML
    entities in `body`; its `body_html` (entity-escaped twice then) tells which form this is."""
    body = str(d.get("body") or "")
    if str(d.get("body_html") or "").startswith("&lt;"):
        return html.unescape(body)
    return body


def to_discussion(
    tree: Tree, *, url: str | None = None, warnings: tuple[str, ...] = ()
) -> Discussion:
    post = tree.post
    comments: list[Comment] = []

    def walk(nodes: list[Node]) -> None:
        for n in nodes:
            if n.data is None:
                continue
            d = n.data
            given = str(d.get("author") or "[deleted]")
            author = unknown_author(len(comments) + 1) if given in DELETED else given
            body = _unescaped(d)
            parent = str(d.get("parent_id") or "")
            comments.append(
                Comment(
                    id=str(d.get("id")),
                    index=len(comments) + 1,
                    author=author,
                    text=body,
                    parent_id=parent[3:] if parent.startswith("t1_") else None,
                    timestamp=iso_from_unix(d.get("created_utc")),
                    deleted=given in DELETED or body.strip() in DELETED,
                )
            )
            walk(n.children)

    walk(tree.roots)
    link = post.get("url") if not post.get("is_self", True) else None
    text = str(post.get("selftext") or "")
    permalink = post.get("permalink")
    article = Article(
        title=post.get("title"),
        author=post.get("author"),
        url=link or url or (f"https://www.reddit.com{permalink}" if permalink else None),
        text=text,
    )
    hidden = sum(int((s.more or {}).get("count") or 0) for _h, s in tree.stubs())
    notes = list(warnings)
    if hidden:
        notes.append(f"{hidden} Reddit replies were not loaded (collapsed under 'more').")
    if tree.continue_stubs():
        notes.append(
            f"{tree.continue_stubs()} deep reply chains ('continue this thread') were not loaded."
        )
    return Discussion(
        article=article,
        comments=tuple(comments),
        source="reddit",
        structure_exact=True,
        warnings=tuple(notes),
    )


def parse(payload: Any, *, url: str | None = None) -> Discussion:
    if is_thread(payload):
        return to_discussion(parse_tree(payload), url=url)
    if is_morechildren(payload):
        tree = Tree(post={}, roots=[])
        stub = Node(more={})
        tree.roots.append(stub)
        splice(tree, tree.roots, stub, things_of(payload))
        return to_discussion(tree, url=url)
    raise InputError("This JSON is not a Reddit thread.")


def _loaded(nodes: list[Node]) -> Iterator[Node]:
    for n in nodes:
        if n.data is not None:
            yield n
        yield from _loaded(n.children)


class Reddit(Platform):
    name = "Reddit"
    link_posts = True
    share_links = True

    def match(self, url: URL) -> ThreadRef | None:
        return thread_ref(url.host or "", url.path)

    async def fetch(self, key: ThreadRef, web: Web) -> Discussion:
        base = web.endpoints.reddit or API_BASE
        payload = await web.json(thread_api_url(key, base))
        if not is_thread(payload):
            raise FetchError("Reddit did not return a thread for this link.")
        tree = await web.parse(parse_tree, payload)
        link_id = f"t3_{key.post_id}"
        loaded = sum(1 for _ in _loaded(tree.roots))
        for _ in range(web.endpoints.reddit_more_calls):
            stubs = tree.stubs()
            if not stubs or loaded >= web.policy.max_comments:
                break
            # the biggest hidden branch first: most comments per call
            holder, stub = max(stubs, key=lambda hs: int((hs[1].more or {}).get("count") or 0))
            batch = split_stub(holder, stub, 100)
            answer = await web.json(morechildren_url(link_id, batch, base))
            things = things_of(answer) if is_morechildren(answer) else []
            splice(tree, holder, stub, things)
            loaded += sum(1 for t in things if t.get("kind") == "t1")
        return await web.parse(to_discussion, tree, url=web.url)

    def recognise_json(self, payload: Any) -> bool:
        return is_thread(payload) or is_morechildren(payload)

    def parse_json(self, payload: Any, *, url: str | None = None) -> Discussion:
        return parse(payload, url=url)


PLATFORM = Reddit()
