"""load_source end to end: a local server plays each platform's API; tests check what it
received and the structure that came back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import synthetic
from aiohttp import web
from fakesite import FakeDNS, Site

from bot.core.errors import FetchError
from bot.ingest.fetch import FetchPolicy, open_session
from bot.ingest.sources import Endpoints, load_source, looks_like_url

LINKS = Path(__file__).parent.parent / "fixtures" / "links"
THREAD = json.loads((LINKS / "reddit_askreddit_cmwov_trimmed.json").read_text())
MORE = json.loads((LINKS / "reddit_askreddit_cmwov_morechildren_trimmed.json").read_text())
STUB_IDS = THREAD[1]["data"]["children"][-1]["data"]["children"]


def stub_count(ids: list[str]) -> int:
    def walk(listing: Any) -> int | None:
        if not isinstance(listing, dict):
            return None
        for t in listing["data"]["children"]:
            if t["kind"] == "more" and t["data"]["children"] == ids:
                return int(t["data"]["count"])
            found = walk(t["data"].get("replies")) if t["kind"] == "t1" else None
            if found is not None:
                return found
        return None

    found = walk(THREAD[1])
    assert found is not None, ids
    return found


def serve_reddit(site: Site) -> None:
    site.json("/comments/cmwov.json", THREAD)

    async def more(r: web.Request) -> web.StreamResponse:
        if r.query.get("children", "").split(",") == STUB_IDS:
            return web.json_response(MORE)
        return web.json_response({"json": {"errors": [], "data": {"things": []}}})

    site.route("/api/morechildren.json", more)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "url",
    [
        "https://www.reddit.com/r/AskReddit/comments/cmwov/what_tattoos_do_you_have/",
        "https://old.reddit.com/r/AskReddit/comments/cmwov/",
        "https://redd.it/cmwov",
    ],
)
async def test_reddit_api_and_morechildren(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy, url: str
) -> None:
    serve_reddit(site)
    d = await load_source(url, allowed, session, endpoints=Endpoints(reddit=site.base))
    first = site.requests[0]
    assert first.path == "/comments/cmwov.json" and first.query["raw_json"] == "1"
    more_calls = [r for r in site.requests if r.path == "/api/morechildren.json"]
    assert all(r.query["link_id"] == "t3_cmwov" for r in more_calls)
    assert all(r.query["raw_json"] == "1" for r in more_calls)
    asked = [r.query["children"].split(",") for r in more_calls]
    assert len(asked) == Endpoints().reddit_more_calls  # the cap (the fixture has more stubs)
    assert STUB_IDS in asked
    counts = [stub_count(ids) for ids in asked]
    assert counts == sorted(counts, reverse=True)  # the biggest hidden branches first
    ids = [c.id for c in d.comments]
    assert len(ids) == len(set(ids))
    loaded = {t["data"]["id"] for t in MORE["json"]["data"]["things"] if t["kind"] == "t1"}
    assert loaded <= set(ids)
    for t in MORE["json"]["data"]["things"]:
        if t["kind"] == "t1":
            p = t["data"]["parent_id"]
            c = next(c for c in d.comments if c.id == t["data"]["id"])
            assert c.parent_id == (p[3:] if p.startswith("t1_") else None)
    assert d.article.url == url


@pytest.mark.asyncio
async def test_reddit_morechildren_cap(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy
) -> None:
    serve_reddit(site)
    ep = Endpoints(reddit=site.base, reddit_more_calls=1)
    await load_source("https://www.reddit.com/comments/cmwov", allowed, session, endpoints=ep)
    assert [r.path for r in site.requests].count("/api/morechildren.json") == 1


@pytest.mark.asyncio
async def test_reddit_comment_permalink(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy
) -> None:
    site.json(
        "/comments/2xmo63/_/cp1h67d.json",
        json.loads((LINKS / "reddit_python_2xmo63.json").read_text()),
    )
    url = "https://www.reddit.com/r/Python/comments/2xmo63/a_python_terminal_viewer/cp1h67d/"
    d = await load_source(url, allowed, session, endpoints=Endpoints(reddit=site.base))
    assert site.requests[0].path == "/comments/2xmo63/_/cp1h67d.json"
    assert len(d.comments) == 45


@pytest.mark.asyncio
async def test_hacker_news_item_uses_algolia_and_reads_the_linked_article(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy
) -> None:
    site.json("/api/v1/items/100", synthetic.algolia_item(url=site.url("/rent-article")))
    site.html("/rent-article", synthetic.ARTICLE.format(comments=""))
    url = "https://news.ycombinator.com/item?id=100"
    d = await load_source(url, allowed, session, endpoints=Endpoints(algolia=site.base))
    assert site.paths() == ["/api/v1/items/100", "/rent-article"]
    assert {c.id: c.parent_id for c in d.comments} == synthetic.parents()
    assert d.article.title == "Rent control" and "housing supply" in d.article.text
    assert d.article.url == site.url("/rent-article") and not d.warnings


@pytest.mark.asyncio
async def test_unreadable_linked_article_is_a_warning(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy
) -> None:
    site.json("/api/v1/items/100", synthetic.algolia_item(url=site.url("/gone")))
    url = "https://news.ycombinator.com/item?id=100"
    d = await load_source(url, allowed, session, endpoints=Endpoints(algolia=site.base))
    assert len(d.comments) == len(synthetic.TREE) and d.article.text == ""
    assert d.warnings == (
        "The linked article could not be read (127.0.0.1 answered 404 Not Found); "
        "the discussion is analysed alone.",
    )


def serve_wordpress(site: Site, comments: list[dict[str, Any]], *, rest_route: bool) -> None:
    post = {
        "id": 7,
        "link": site.url("/2024/rent/"),
        "title": {"rendered": "Rent control"},
        "content": {"rendered": "<p>The article.</p>"},
    }

    def page_of(r: web.Request) -> web.StreamResponse:
        if r.query.get("post") != "7" or r.query.get("per_page") != "100":
            return web.json_response({"code": "bad"}, status=400)
        page = int(r.query["page"])
        batch = comments[(page - 1) * 100 : page * 100]
        total = (len(comments) + 99) // 100
        return web.json_response(batch, headers={"X-WP-TotalPages": str(total)})

    if rest_route:
        head = f'<link rel="https://api.w.org/" href="{site.url("/?rest_route=/")}" />'
        headers = None

        async def api(r: web.Request) -> web.StreamResponse:
            route = r.query.get("rest_route")
            if route == "/wp/v2/posts" and r.query.get("slug") == "rent":
                return web.json_response([post])
            if route == "/wp/v2/comments":
                return page_of(r)
            return web.json_response({"code": "rest_no_route"}, status=404)

        site.route("/", api)
    else:
        head = (
            '<link rel="alternate" type="application/json" '
            f'href="{site.url("/wp-json/wp/v2/posts/7")}" />'
        )
        headers = {"Link": f'<{site.url("/wp-json/")}>; rel="https://api.w.org/"'}
        site.json("/wp-json/wp/v2/posts/7", post)

        async def comments_route(r: web.Request) -> web.StreamResponse:
            return page_of(r)

        site.route("/wp-json/wp/v2/comments", comments_route)
    site.html(
        "/2024/rent/",
        f"<html><head><title>Rent</title>{head}</head><body><p>x</p></body></html>",
        headers=headers,
    )


@pytest.mark.asyncio
@pytest.mark.parametrize("rest_route", [False, True])
async def test_wordpress_rest_discovery_and_pages(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy, rest_route: bool
) -> None:
    comments = synthetic.wp_rest_comments(130)
    serve_wordpress(site, comments, rest_route=rest_route)
    d = await load_source(site.url("/2024/rent/"), allowed, session)
    assert d.source == "wordpress" and d.article.title == "Rent control"
    pages = [r.query.get("page") for r in site.requests if "page" in r.query]
    assert pages == ["1", "2"]
    assert len(d.comments) == 130
    assert {c.id: c.parent_id for c in d.comments} == {
        str(c["id"]): str(c["parent"]) if c["parent"] else None for c in comments
    }


@pytest.mark.asyncio
async def test_wordpress_falls_back_to_rendered_comments(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy
) -> None:
    rendered = (LINKS / "wordpress_lemire_java_comments.md").read_text()
    body = rendered[rendered.index("<ol") :]
    head = f'<link rel="https://api.w.org/" href="{site.url("/wp-json/")}" />'
    site.html("/java/", f"<html><head><title>Java</title>{head}</head><body>{body}</body></html>")

    async def closed(_r: web.Request) -> web.StreamResponse:
        return web.json_response({"code": "rest_forbidden"}, status=401)

    site.route("/wp-json/wp/v2/posts", closed)
    d = await load_source(site.url("/java/"), allowed, session)
    assert "/wp-json/wp/v2/posts" in site.paths()
    assert d.source == "wordpress" and len(d.comments) == 40


@pytest.mark.asyncio
async def test_discourse_topic_and_missing_posts(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy
) -> None:
    posts = synthetic.discourse_posts()
    stream = [p["id"] for p in posts]
    site.json(
        "/t/55.json",
        {"title": "Rent control", "post_stream": {"posts": posts[:4], "stream": stream}},
    )

    async def more(r: web.Request) -> web.StreamResponse:
        wanted = {int(v) for v in r.query.getall("post_ids[]")}
        return web.json_response(
            {"post_stream": {"posts": [p for p in posts if p["id"] in wanted]}}
        )

    site.route("/t/55/posts.json", more)
    d = await load_source(site.url("/t/rent-control/55/3"), allowed, session)
    assert site.paths() == ["/t/55.json", "/t/55/posts.json"]
    assert d.source == "discourse" and len(d.comments) == len(posts) - 1
    assert not d.warnings


@pytest.mark.asyncio
async def test_lemmy_post(site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy) -> None:
    site.json(
        "/api/v3/post",
        {"post_view": {"post": {"id": 9, "name": "Rent control"}, "creator": {"name": "poster"}}},
    )
    site.json("/api/v3/comment/list", {"comments": synthetic.lemmy_comments()})
    d = await load_source(site.url("/post/9"), allowed, session)
    assert [r.path_qs.split("?")[0] for r in site.requests] == [
        "/api/v3/post",
        "/api/v3/comment/list",
    ]
    assert site.requests[1].query["post_id"] == "9"
    assert d.source == "lemmy"
    assert {c.id: c.parent_id for c in d.comments} == synthetic.parents()


@pytest.mark.asyncio
async def test_mastodon_status(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy
) -> None:
    status, context = synthetic.mastodon_statuses()
    site.json("/api/v1/statuses/100", status)
    site.json("/api/v1/statuses/100/context", context)
    d = await load_source(site.url("/@poster/100"), allowed, session)
    assert site.paths() == ["/api/v1/statuses/100", "/api/v1/statuses/100/context"]
    assert d.source == "mastodon"
    assert {c.id: c.parent_id for c in d.comments} == synthetic.parents()


@pytest.mark.asyncio
async def test_generic_page_and_api_guess_falls_back(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy
) -> None:
    site.html("/post/12", synthetic.ARTICLE.format(comments=synthetic.H_ENTRY_COMMENTS))
    d = await load_source(site.url("/post/12"), allowed, session)
    assert site.paths() == ["/api/v3/post", "/post/12"]  # tried Lemmy (404), read the page
    assert d.source == "page" and len(d.comments) == 3


@pytest.mark.asyncio
async def test_truncated_page_is_read_with_a_warning(
    site: Site, session: aiohttp.ClientSession
) -> None:
    page = synthetic.ARTICLE.format(comments="<p>" + "filler " * 40_000 + "</p>")
    site.html("/big", page)
    policy = FetchPolicy(allow=("127.0.0.1",), max_bytes=20_000)
    d = await load_source(site.url("/big"), policy, session)
    assert any("only its beginning was read" in w for w in d.warnings)


@pytest.mark.asyncio
async def test_load_source_refuses_before_sending(
    site: Site, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(FetchError):
        await load_source(site.url("/x"), FetchPolicy(), session)  # not allowed
    with pytest.raises(FetchError):
        await load_source("file:///etc/passwd", FetchPolicy(), session)
    assert site.requests == []


def test_looks_like_url() -> None:
    assert looks_like_url("https://x.org/a") and looks_like_url("file:///etc/passwd")
    assert not looks_like_url("thread.json") and not looks_like_url("C:\\x\\thread.json")


def serve_share_link(site: Site, share: str, thread: str) -> str:
    """`share` redirects to the Reddit thread page `thread` (www.reddit.com, resolved to the
    test site by `REDDIT_DNS`), an app shell without comments. Returns the thread's URL."""
    target = f"http://www.reddit.com:{site.port}{thread}"

    async def redirect(_r: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(target)

    site.route(share, redirect)
    site.html(thread, "<html><body>app</body></html>")
    return target


REDDIT_POLICY = FetchPolicy(allow=("127.0.0.1", "www.reddit.com"))
REDDIT_DNS = {"www.reddit.com": ["127.0.0.1"]}


@pytest.mark.asyncio
async def test_reddit_share_link_redirect_goes_to_the_api(site: Site) -> None:
    serve_reddit(site)
    serve_share_link(site, "/r/AskReddit/s/Ab12Cd", "/r/AskReddit/comments/cmwov/what_tattoos/")
    ep = Endpoints(reddit=site.base, reddit_more_calls=0)
    async with open_session(REDDIT_POLICY, resolver=FakeDNS(REDDIT_DNS)) as session:
        d = await load_source(
            site.url("/r/AskReddit/s/Ab12Cd"), REDDIT_POLICY, session, endpoints=ep
        )
    assert site.paths()[:3] == [
        "/r/AskReddit/s/Ab12Cd",
        "/r/AskReddit/comments/cmwov/what_tattoos/",
        "/comments/cmwov.json",
    ]
    assert d.source == "reddit"


def reddit_link_post(article_url: str) -> list[dict[str, Any]]:
    post = {"title": "Rent control", "author": "op", "is_self": False, "url": article_url}
    comment = {"id": "c1", "author": "ann", "body": "It cuts supply.", "parent_id": "t3_lp1"}
    return [
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": post}]}},
        {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": comment}]}},
    ]


@pytest.mark.asyncio
async def test_a_share_link_to_a_link_post_reads_the_article_as_a_direct_link_does(
    site: Site,
) -> None:
    site.json("/comments/lp1.json", reddit_link_post(site.url("/rent-article")))
    site.html("/rent-article", synthetic.ARTICLE.format(comments=""))
    target = serve_share_link(site, "/r/x/s/Zz9", "/r/x/comments/lp1/rent/")
    ep = Endpoints(reddit=site.base, reddit_more_calls=0)
    async with open_session(REDDIT_POLICY, resolver=FakeDNS(REDDIT_DNS)) as session:
        shared = await load_source(site.url("/r/x/s/Zz9"), REDDIT_POLICY, session, endpoints=ep)
        direct = await load_source(target, REDDIT_POLICY, session, endpoints=ep)
    assert site.paths()[-2:] == ["/comments/lp1.json", "/rent-article"]
    assert "housing supply" in shared.article.text
    assert shared.article == direct.article and shared.comments == direct.comments


@pytest.mark.asyncio
async def test_invalid_json_is_a_clear_error(
    site: Site, session: aiohttp.ClientSession, allowed: FetchPolicy
) -> None:
    async def broken(_r: web.Request) -> web.StreamResponse:
        return web.Response(text="{not json", content_type="application/json")

    site.route("/thread.json", broken)
    with pytest.raises(FetchError) as err:
        await load_source(site.url("/thread.json"), allowed, session)
    assert "valid JSON" in err.value.message
