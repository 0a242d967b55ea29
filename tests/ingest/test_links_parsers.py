"""Platform parsers on saved documents: the structure recovered equals the real tree."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import synthetic

from bot.core.errors import InputError
from bot.core.thread import build_thread
from bot.ingest.platforms import generic, parse_html, parse_json, reddit
from bot.ingest.reader import read_discussion

LINKS = Path(__file__).parent.parent / "fixtures" / "links"


def raw_reddit_parents(payload: Any) -> dict[str, str | None]:
    """Parents straight from the raw JSON, walked independently of the parser."""
    out: dict[str, str | None] = {}

    def visit(thing: dict[str, Any]) -> None:
        if thing.get("kind") == "t1":
            d = thing["data"]
            out[d["id"]] = d["parent_id"][3:] if d["parent_id"].startswith("t1_") else None
            if isinstance(d.get("replies"), dict):
                for child in d["replies"]["data"]["children"]:
                    visit(child)

    things = payload[1]["data"]["children"] if isinstance(payload, list) else []
    if isinstance(payload, dict):
        things = payload["json"]["data"]["things"]
    for t in things:
        visit(t)
    return out


@pytest.mark.parametrize(
    "name", ["reddit_python_2xmo63.json", "reddit_askreddit_cmwov_trimmed.json"]
)
def test_reddit_thread_structure_matches_raw_json(name: str) -> None:
    payload = json.loads((LINKS / name).read_text())
    d = read_discussion((LINKS / name).read_bytes(), name=name)
    assert d.source == "reddit"
    expected = raw_reddit_parents(payload)
    assert [c.id for c in d.comments] == list(expected)  # depth-first order, none lost
    assert {c.id: c.parent_id for c in d.comments} == expected
    thread = build_thread(d)
    for c in d.comments:
        links = thread.links.get(c.id, ())
        if c.parent_id:
            assert links[0].target == c.parent_id
            assert (links[0].confidence, links[0].evidence) == (1.0, "platform")
        else:
            assert not links


def test_reddit_post_deleted_and_hidden_counts() -> None:
    d = parse_json(json.loads((LINKS / "reddit_askreddit_cmwov_trimmed.json").read_text()))
    assert d.article.title and d.article.author
    raw = json.loads((LINKS / "reddit_askreddit_cmwov_trimmed.json").read_text())
    flat: list[dict[str, Any]] = []

    def visit(t: dict[str, Any]) -> None:
        if t["kind"] == "t1":
            flat.append(t["data"])
            if isinstance(t["data"].get("replies"), dict):
                for c in t["data"]["replies"]["data"]["children"]:
                    visit(c)

    for t in raw[1]["data"]["children"]:
        visit(t)
    deleted = {x["id"] for x in flat if x["author"] == "[deleted]" or x["body"] in reddit.DELETED}
    assert deleted, "the fixture should hold deleted comments"
    assert {c.id for c in d.comments if c.deleted} == deleted
    assert any("not loaded" in w for w in d.warnings)


def test_reddit_morechildren_splices_at_the_stub() -> None:
    thread = json.loads((LINKS / "reddit_askreddit_cmwov_trimmed.json").read_text())
    more = json.loads((LINKS / "reddit_askreddit_cmwov_morechildren_trimmed.json").read_text())
    tree = reddit.parse_tree(thread)
    holder, stub = tree.stubs()[-1]
    assert holder is tree.roots  # the top-level stub
    batch = reddit.split_stub(holder, stub, 100)
    assert batch == stub.more["children"]  # type: ignore[index]
    reddit.splice(tree, holder, stub, reddit.things_of(more))
    d = reddit.to_discussion(tree)
    expected = raw_reddit_parents(thread) | raw_reddit_parents(more)
    assert {c.id: c.parent_id for c in d.comments} == expected
    first_new = next(i for i, c in enumerate(d.comments) if c.id not in raw_reddit_parents(thread))
    assert all(c.id in raw_reddit_parents(more) for c in d.comments[first_new:])


def test_reddit_split_stub_keeps_the_rest() -> None:
    stub = reddit.Node(more={"children": [str(i) for i in range(250)], "parent_id": "t3_x"})
    holder = [stub]
    assert len(reddit.split_stub(holder, stub, 100)) == 100
    assert len(holder) == 2 and holder[1].more["children"][0] == "100"  # type: ignore[index]


@pytest.mark.parametrize(
    ("url", "post", "comment"),
    [
        ("https://www.reddit.com/r/AskReddit/comments/cmwov/what_tattoos/", "cmwov", None),
        ("https://old.reddit.com/r/AskReddit/comments/cmwov/x/", "cmwov", None),
        ("https://np.reddit.com/r/AskReddit/comments/cmwov/", "cmwov", None),
        ("https://m.reddit.com/r/AskReddit/comments/cmwov/x/", "cmwov", None),
        ("https://reddit.com/comments/cmwov", "cmwov", None),
        ("https://redd.it/cmwov", "cmwov", None),
        ("https://www.reddit.com/r/LifeProTips/comments/441hsf/lpt/czmp112/", "441hsf", "czmp112"),
        ("https://www.reddit.com/r/LPT/comments/441hsf/comment/czmp112/", "441hsf", "czmp112"),
    ],
)  # fmt: skip
def test_reddit_url_forms(url: str, post: str, comment: str | None) -> None:
    from yarl import URL

    u = URL(url)
    ref = reddit.thread_ref(u.host or "", u.path)
    assert ref == reddit.ThreadRef(post, comment)


def test_reddit_non_thread_links_are_not_threads() -> None:
    assert reddit.thread_ref("www.reddit.com", "/r/AskReddit/") is None
    assert reddit.thread_ref("example.com", "/comments/abc/") is None


@pytest.mark.parametrize("page", [synthetic.hn_page_old, synthetic.hn_page_current])
def test_hacker_news_pages_old_and_current_markup(page: Any) -> None:
    d = parse_html(page())
    assert d.source == "hackernews"
    assert d.article.title == "Rent control" and d.article.author == "poster"
    assert [c.id for c in d.comments] == [cid for cid, *_ in synthetic.TREE]
    assert {c.id: c.parent_id for c in d.comments} == synthetic.parents()
    assert {c.id: c.depth for c in d.comments} == synthetic.depths()
    assert [c.author for c in d.comments] == [a for _c, _p, a, _t in synthetic.TREE]
    assert [c.text for c in d.comments] == [t for *_, t in synthetic.TREE]  # no "reply"


def test_hacker_news_algolia_item() -> None:
    d = parse_json(synthetic.algolia_item())
    assert d.source == "hackernews" and d.article.title == "Rent control"
    assert {c.id: c.parent_id for c in d.comments} == synthetic.parents()
    assert [c.text for c in d.comments] == [t for *_, t in synthetic.TREE]


def test_wordpress_rendered_list_matches_nesting_and_depth_classes() -> None:
    raw = (LINKS / "wordpress_lemire_java_comments.md").read_bytes()
    d = read_discussion(raw, name="java.comments.md")
    assert d.source == "wordpress" and d.article.title == "Java is not a safe language"
    html = raw.decode()
    ids_depths = [
        (m[1], int(m[2]) - 1)
        for m in re.finditer(r'<li id="(comment-\d+)" class="[^"]*depth-(\d+)', html)
    ]
    expected: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for cid, depth in ids_depths:
        while stack and stack[-1][0] >= depth:
            stack.pop()
        expected[cid] = stack[-1][1] if stack else None
        stack.append((depth, cid))
    assert len(d.comments) == 40
    assert {c.id: c.parent_id for c in d.comments} == expected
    assert all(not c.author.endswith("says:") and c.author for c in d.comments)
    assert all(c.text and "says:" not in c.text[:20] for c in d.comments)
    assert d.comments[0].timestamp and d.comments[0].timestamp.startswith("2019-03-28")


def test_wordpress_rest_comments_file() -> None:
    comments = synthetic.wp_rest_comments(12)
    d = parse_json(comments)
    assert d.source == "wordpress"
    assert {c.id: c.parent_id for c in d.comments} == {
        str(c["id"]): str(c["parent"]) if c["parent"] else None for c in comments
    }


def test_discourse_pointer_and_quote_signals() -> None:
    posts = synthetic.discourse_posts()
    payload = {"post_stream": {"posts": posts}, "title": "Rent control", "id": 55}
    d = parse_json(payload)
    assert d.source == "discourse" and d.article.text == "Rent control: good or bad?"
    number = {cid: str(i + 2) for i, (cid, *_r) in enumerate(synthetic.TREE)}
    by_number = {c.id: c for c in d.comments}
    thread = build_thread(d)
    for cid, parent, *_r in synthetic.TREE:
        c = by_number[number[cid]]
        want = number[parent] if parent else None
        assert thread.parent(c.id) == want
        if cid == "107":
            assert c.parent_id is None and c.quotes == (want,)
            assert thread.links[c.id][0].evidence == "quote"
        else:
            assert c.parent_id == want
    assert "erin:" not in by_number[number["107"]].text  # quote header dropped, quote kept
    assert "What about tenants" in by_number[number["107"]].text


def test_discourse_pages_overlap_and_descending_order() -> None:
    posts = synthetic.discourse_posts()
    pages = [
        {"post_stream": {"posts": list(reversed(posts[:6]))}},
        {"post_stream": {"posts": list(reversed(posts[4:]))}},
    ]
    d = parse_json(pages)
    assert [c.id for c in d.comments] == [str(n) for n in range(2, len(posts) + 1)]


def test_lemmy_comment_paths() -> None:
    from bot.ingest.platforms import lemmy

    d = lemmy.parse(
        {"post": {"name": "Rent control", "body": "Discuss."}, "creator": {"name": "poster"}},
        synthetic.lemmy_comments(),
    )
    assert [c.id for c in d.comments] == [cid for cid, *_ in synthetic.TREE]
    assert {c.id: c.parent_id for c in d.comments} == synthetic.parents()
    assert [c.id for c in d.comments if c.deleted] == ["108"]
    assert d.article.title == "Rent control"


def test_mastodon_context() -> None:
    from bot.ingest.platforms import mastodon

    status, context = synthetic.mastodon_statuses()
    d = mastodon.parse(status, context)
    assert d.article.text == "Rent control: good or bad?" and d.article.author == "poster"
    assert {c.id: c.parent_id for c in d.comments} == {
        cid: parent for cid, parent, *_r in synthetic.TREE
    } | {cid: None for cid, parent, *_r in synthetic.TREE if parent is None}
    saved = parse_json(context)  # a saved context alone: its first status is the article
    assert saved.article.author == "alice" and len(saved.comments) == len(synthetic.TREE) - 1


def test_generic_page_with_microformat_comments() -> None:
    d = parse_html(
        synthetic.ARTICLE.format(comments=synthetic.H_ENTRY_COMMENTS), url="https://blog.example/x"
    )
    assert d.source == "page" and "housing supply" in d.article.text
    assert d.article.title == "Why cities should build more housing"
    assert [(c.id, c.author, c.parent_id) for c in d.comments] == [
        ("c-1", "Ann", None),
        ("c-2", "Ben", "c-1"),
        ("c-3", "Cid", None),
    ]
    assert d.comments[0].text == "More supply lowers prices."
    assert not d.warnings


def test_generic_page_without_comments_warns() -> None:
    d = parse_html(synthetic.ARTICLE.format(comments=""))
    assert d.comments == () and d.warnings == (generic.NO_COMMENTS,)
    assert "Paragraph 5" in d.article.text


def test_unknown_json_is_refused_clearly() -> None:
    with pytest.raises(InputError) as err:
        parse_json({"hello": "world"})
    assert err.value.message == (
        "This JSON is not a discussion format Crosstalk knows "
        "(Reddit, Hacker News, Discourse, WordPress, Lemmy, Mastodon)."
    )


def test_every_platform_module_is_in_the_registry() -> None:
    import importlib
    import pkgutil

    import bot.ingest.platforms as platforms
    from bot.ingest.platforms.base import Platform

    modules = [
        importlib.import_module(f"bot.ingest.platforms.{m.name}")
        for m in pkgutil.iter_modules(platforms.__path__)
    ]
    defined = [m.PLATFORM for m in modules if isinstance(getattr(m, "PLATFORM", None), Platform)]
    assert set(defined) == set(platforms.PLATFORMS) and len(defined) == 7
    assert platforms.PLATFORMS[-1] is generic.PLATFORM  # the page reader, last: it reads any


def test_wordpress_classic_theme_markup() -> None:
    html = """<html><head><title>Old blog</title></head><body>
    <div class="entry-content"><p>The post.</p></div>
    <ol class="commentlist">
     <li class="comment even thread-even depth-1" id="li-comment-1">
      <div id="comment-1"><div class="comment-author vcard">
        <cite class="fn">Ann</cite> <span class="says">says:</span></div>
       <div class="comment-meta commentmetadata"><a href="#comment-1">May 1</a></div>
       <p>First paragraph.</p><p>Second paragraph.</p>
       <div class="reply"><a class="comment-reply-link">Reply</a></div></div>
      <ul class="children">
       <li class="comment odd alt depth-2" id="li-comment-2">
        <div id="comment-2"><div class="comment-author vcard"><cite class="fn">Ben</cite>
         <span class="says">says:</span></div><p>A reply.</p></div></li>
      </ul></li>
    </ol></body></html>"""
    d = parse_html(html)
    assert d.source == "wordpress" and d.article.text == "The post."
    assert [(c.id, c.author, c.parent_id, c.text) for c in d.comments] == [
        ("comment-1", "Ann", None, "First paragraph.\n\nSecond paragraph."),
        ("comment-2", "Ben", "comment-1", "A reply."),
    ]


def test_wordpress_rest_order_is_the_page_order() -> None:
    comments = synthetic.wp_rest_comments(7)
    comments[5]["date_gmt"] = "2023-01-01T00:00:00"  # a reply dated before its parent
    d = parse_json(list(reversed(comments)))
    order = [c.id for c in d.comments]
    assert order == ["1001", "1002", "1004", "1005", "1003", "1006", "1007"]
    assert all(order.index(c.parent_id) < order.index(c.id) for c in d.comments if c.parent_id)


def test_reddit_bodies_are_unescaped_and_top_level_stays_top_level() -> None:
    from bot.core.thread import build_thread
    from bot.ingest.reader import read_discussion

    path = Path(__file__).parents[1] / "fixtures" / "links" / "reddit_python_2xmo63.json"
    raw = path.read_text()
    assert "&gt;" in raw and "&amp;" in raw  # the saved API answer is entity-escaped
    d = read_discussion(path.read_bytes(), name=path.name)
    assert d.structure_exact
    assert not [c.id for c in d.comments if "&gt;" in c.text or "&amp;" in c.text]
    assert any(">" in c.text for c in d.comments)
    thread = build_thread(d)
    for c in d.comments:
        links = thread.links.get(c.id, ())
        assert [link.evidence for link in links] in ([], ["platform"])
        assert (c.parent_id is None) == (not links)


def test_deleted_accounts_are_not_merged_into_one_commenter() -> None:
    from bot.ingest.reader import read_discussion

    path = Path(__file__).parents[1] / "fixtures" / "links" / "reddit_askreddit_cmwov_trimmed.json"
    d = read_discussion(path.read_bytes(), name=path.name)
    gone = [c for c in d.comments if c.author.startswith("[deleted")]
    assert len(gone) >= 2
    assert len({c.author for c in gone}) == len(gone)
    assert all(c.author == f"[deleted #{c.index}]" for c in gone)
