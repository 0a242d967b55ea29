"""Synthetic documents in the platforms' formats, built from a tree spec so tests know the
real tree. Used where the real data may not be copied (Hacker News, Discourse) or does not
exist (Lemmy, Mastodon, WordPress REST)."""

from __future__ import annotations

from html import escape
from typing import Any

# (id, parent id or None, author, text), in reading (depth-first) order
TREE: list[tuple[str, str | None, str, str]] = [
    ("101", None, "alice", "Rent control lowers supply over time."),
    ("102", "101", "bob", "Not in every city; Vienna is a counterexample."),
    ("103", "102", "alice", "Vienna builds social housing, which is a different policy."),
    ("104", "103", "carol", "That is exactly why it works there."),
    ("105", "101", "dave", "The evidence from San Francisco supports this."),
    ("106", None, "erin", "What about tenants who would be evicted tomorrow?"),
    ("107", "106", "bob", "Protecting them is the whole point."),
    ("108", None, "frank", "Off topic, but the article's chart is unreadable."),
]


def depths() -> dict[str, int]:
    out: dict[str, int] = {}
    for cid, parent, _a, _t in TREE:
        out[cid] = 0 if parent is None else out[parent] + 1
    return out


def parents() -> dict[str, str | None]:
    return {cid: parent for cid, parent, _a, _t in TREE}


def hn_page_old() -> str:
    """2015 markup: depth in the width of an s.gif spacer (40 px per level)."""
    d = depths()
    rows = []
    for cid, _p, author, text in TREE:
        rows.append(
            "<tr class='athing'><td><table border=\"0\"><tr>"
            f'<td class=\'ind\'><img src="s.gif" height="1" width="{d[cid] * 40}"></td>'
            '<td valign="top"><center><img src="s.gif" height="1" width="14"></center></td>'
            '<td class="default"><div><span class="comhead">'
            f'<a href="user?id={author}">{author}</a> <a href="item?id={cid}">2 hours ago</a>'
            '</span></div><br><span class="comment">'
            f'<font color="#000000">{escape(text)}</font></span>'
            "<div class='reply'><p><font size=\"1\"><u>"
            f'<a href="reply?id={cid}">reply</a></u></font></div></td></tr></table></td></tr>'
        )
    return (
        "<html><head><title>Rent control | Hacker News</title></head><body><table>"
        '<tr class=\'athing\'><td class="title"><a href="https://example.org/rent">'
        'Rent control</a></td></tr><tr><td class="subtext">'
        '<a href="user?id=poster">poster</a> <a href="item?id=100">3 hours ago</a></td></tr>'
        '</table><table border="0">' + "".join(rows) + "</table></body></html>"
    )


def hn_page_current() -> str:
    """Current markup: `td.ind` with an `indent` attribute, `div.commtext`."""
    d = depths()
    rows = []
    for cid, _p, author, text in TREE:
        rows.append(
            f'<tr class="athing comtr" id="{cid}"><td><table border="0"><tr>'
            f'<td class="ind" indent="{d[cid]}"><img src="s.gif" height="1" width="0"></td>'
            '<td class="votelinks"></td><td class="default"><div><span class="comhead">'
            f'<a href="user?id={author}" class="hnuser">{author}</a> '
            f'<span class="age"><a href="item?id={cid}">1 hour ago</a></span></span></div>'
            f'<div class="comment"><div class="commtext c00">{escape(text)}</div>'
            '<div class="reply"><p><font size="1"><u><a href="reply?id=1">reply</a></u>'
            "</font></p></div></div></td></tr></table></td></tr>"
        )
    return (
        "<html><head><title>Rent control | Hacker News</title></head><body>"
        '<table class="fatitem"><tr class="athing submission" id="100"><td class="title">'
        '<span class="titleline"><a href="https://example.org/rent">Rent control</a></span>'
        '</td></tr><tr><td class="subtext"><a href="user?id=poster" class="hnuser">poster</a>'
        '</td></tr></table><table class="comment-tree">' + "".join(rows) + "</table></body></html>"
    )


def algolia_item(url: str = "https://example.org/rent") -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    root: dict[str, Any] = {
        "id": 100,
        "type": "story",
        "author": "poster",
        "title": "Rent control",
        "url": url,
        "text": None,
        "parent_id": None,
        "children": [],
    }
    for cid, parent, author, text in TREE:
        node = {
            "id": int(cid),
            "type": "comment",
            "author": author,
            "text": f"<p>{escape(text)}</p>",
            "parent_id": int(parent) if parent else 100,
            "created_at": "2024-01-01T00:00:00.000Z",
            "children": [],
        }
        nodes[cid] = node
        (nodes[parent]["children"] if parent else root["children"]).append(node)
    return root


def discourse_posts(topic: int = 55) -> list[dict[str, Any]]:
    """Post 1 is the article; post number n+1 holds TREE[n-1]. Replies to top-level comments
    carry `reply_to_post_number`; one reply (107) carries only a quote aside instead."""
    number = {cid: i + 2 for i, (cid, _p, _a, _t) in enumerate(TREE)}
    posts = [
        {
            "id": 5000,
            "post_number": 1,
            "username": "poster",
            "cooked": "<p>Rent control: good or bad?</p>",
            "reply_to_post_number": None,
            "topic_id": topic,
            "posts_count": len(TREE) + 1,
        }
    ]
    for cid, parent, author, text in TREE:
        n = number[cid]
        cooked = f"<p>{escape(text)}</p>"
        reply_to = number[parent] if parent else None
        if cid == "107":  # no pointer, but a quote aside of its parent
            cooked = (
                f'<aside class="quote no-group" data-username="erin" data-post="{reply_to}" '
                f'data-topic="{topic}"><div class="title">erin:</div><blockquote>'
                "<p>What about tenants</p></blockquote></aside>" + cooked
            )
            reply_to = None
        posts.append(
            {
                "id": 5000 + n,
                "post_number": n,
                "username": author,
                "cooked": cooked,
                "reply_to_post_number": reply_to,
                "topic_id": topic,
                "posts_count": len(TREE) + 1,
            }
        )
    return posts


def wp_rest_comments(count: int) -> list[dict[str, Any]]:
    """`count` comments; comment k replies to comment k//2 (k >= 2), a binary tree."""
    return [
        {
            "id": 1000 + k,
            "post": 7,
            "parent": 1000 + k // 2 if k >= 2 else 0,
            "author_name": f"user{k % 9}",
            "date_gmt": f"2024-01-01T{k // 3600:02d}:{k // 60 % 60:02d}:{k % 60:02d}",
            "content": {"rendered": f"<p>Comment number {k}.</p>\n"},
            "status": "approved",
        }
        for k in range(1, count + 1)
    ]


def lemmy_comments() -> list[dict[str, Any]]:
    paths: dict[str, str] = {}
    views = []
    for cid, parent, author, text in TREE:
        paths[cid] = f"{paths[parent] if parent else '0'}.{cid}"
        views.append(
            {
                "comment": {
                    "id": int(cid),
                    "creator_id": 1,
                    "post_id": 9,
                    "content": text,
                    "removed": False,
                    "deleted": cid == "108",
                    "published": "2024-01-01T00:00:00Z",
                    "path": paths[cid],
                },
                "creator": {"id": 1, "name": author},
                "counts": {"child_count": 0},
            }
        )
    return list(reversed(views))  # the API's order is not the tree order


def mastodon_statuses() -> tuple[dict[str, Any], dict[str, Any]]:
    def status(sid: str, reply_to: str | None, author: str, text: str) -> dict[str, Any]:
        return {
            "id": sid,
            "in_reply_to_id": reply_to,
            "account": {"acct": author, "username": author},
            "content": f"<p>{escape(text)}</p>",
            "created_at": "2024-01-01T00:00:00.000Z",
            "url": f"https://social.example/@{author}/{sid}",
        }

    root = status("100", None, "poster", "Rent control: good or bad?")
    descendants = [status(cid, parent or "100", author, text) for cid, parent, author, text in TREE]
    return root, {"ancestors": [], "descendants": descendants}


ARTICLE = (
    "<html><head><title>Why cities should build more housing</title>"
    '<meta name="author" content="Jane Writer"></head><body><article>'
    "<h1>Why cities should build more housing</h1>"
    + "".join(
        f"<p>Paragraph {i}: housing supply has not kept pace with the number of jobs in "
        "large cities, and prices rose as a result, which affects renters most.</p>"
        for i in range(6)
    )
    + "</article>{comments}</body></html>"
)

H_ENTRY_COMMENTS = """
<section class="comments">
 <div class="h-entry p-comment" id="c-1">
  <span class="p-author h-card"><span class="p-name">Ann</span></span>
  <div class="e-content">More supply lowers prices.</div>
  <div class="h-entry p-comment" id="c-2">
   <span class="p-author h-card"><span class="p-name">Ben</span></span>
   <div class="e-content">Only if zoning allows it.</div>
  </div>
 </div>
 <div class="comment" id="c-3"><span class="comment-author">Cid</span>
  <div class="comment-body">I disagree with the premise.</div></div>
</section>"""
