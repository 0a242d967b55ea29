"""Real reply trees with known parents, read minimally for evaluation (not production parsers):
Reddit API JSON, WordPress comment HTML (the lemire blog export), IAC 4forums discussions."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.core.errors import InputError
from bot.ingest.decode import repair_text


@dataclass(frozen=True, slots=True)
class GoldComment:
    id: str
    author: str
    text: str
    parent: str | None
    """Id of the comment replied to; None = a reply to the article (top level)."""
    timestamp: datetime | None = None


@dataclass(frozen=True, slots=True)
class GoldThread:
    name: str
    corpus: str
    title: str
    author: str | None
    article: str
    comments: tuple[GoldComment, ...]
    """In the order the source displays them; parents always precede their replies."""


def _clean(text: str) -> str:
    """The text as a reader sees it: entities decoded, mojibake repaired (as Crosstalk's
    reader repairs it), lines trimmed."""
    text = repair_text(html.unescape(text))
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _ts(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


# --- Reddit -------------------------------------------------------------------------------


def _reddit_walk(listing: Any, parent: str | None, out: list[GoldComment]) -> None:
    if not isinstance(listing, dict):
        return  # "replies": "" when there are none
    for child in listing.get("data", {}).get("children", []):
        if child.get("kind") != "t1":
            continue  # "more" stubs: comments not in the file
        d = child["data"]
        body = _clean(d.get("body") or "")
        if d.get("author") in (None, "[deleted]") or body in ("", "[deleted]", "[removed]"):
            continue  # a deleted comment and its subtree: a copied page shows no author
        out.append(GoldComment(d["id"], d["author"], body, parent, _ts(d.get("created_utc"))))
        _reddit_walk(d.get("replies"), d["id"], out)


def load_reddit(payload: Any, name: str) -> GoldThread:
    if isinstance(payload, dict) and "json" in payload:  # /api/morechildren: a flat list
        things = [t["data"] for t in payload["json"]["data"]["things"] if t["kind"] == "t1"]
        ids = {t["id"] for t in things}
        kept: list[GoldComment] = []
        for t in things:
            body = _clean(t.get("body") or "")
            if t.get("author") in (None, "[deleted]") or body in ("", "[deleted]", "[removed]"):
                continue
            p = t["parent_id"].split("_", 1)[1] if t["parent_id"].startswith("t1_") else None
            parent = p if p in ids else None
            kept.append(GoldComment(t["id"], t["author"], body, parent, _ts(t.get("created_utc"))))
        comments = _tree_order(kept)
        return GoldThread(name, "reddit", "Reddit thread", None, "", comments)
    post = payload[0]["data"]["children"][0]["data"]
    out: list[GoldComment] = []
    _reddit_walk(payload[1], None, out)
    return GoldThread(
        name,
        "reddit",
        _clean(post.get("title") or "Reddit thread"),
        post.get("author"),
        _clean(post.get("selftext") or ""),
        tuple(out),
    )


def _tree_order(comments: list[GoldComment]) -> tuple[GoldComment, ...]:
    """Depth-first order (how threaded pages display), keeping siblings in source order;
    comments whose parent is missing become top level."""
    ids = {c.id for c in comments}
    kids: dict[str | None, list[GoldComment]] = {}
    for c in comments:
        p = c.parent if c.parent in ids else None
        kids.setdefault(p, []).append(c if p == c.parent else _reparent(c, None))
    out: list[GoldComment] = []
    todo = list(reversed(kids.get(None, [])))
    while todo:
        c = todo.pop()
        out.append(c)
        todo.extend(reversed(kids.get(c.id, [])))
    return tuple(out)


def _reparent(c: GoldComment, parent: str | None) -> GoldComment:
    return GoldComment(c.id, c.author, c.text, parent, c.timestamp)


# --- WordPress (lemire) -------------------------------------------------------------------


def load_wordpress(path: Path) -> GoldThread:
    from lxml import html as lhtml  # trafilatura's dependency; only the evaluation needs it

    raw = path.read_text(encoding="utf-8")
    m = re.search(r'^title:\s*"(.*)"\s*$', raw, re.M)
    title = html.unescape(m.group(1)) if m else path.stem
    start = raw.find("<ol")
    root = lhtml.fromstring(raw[start:] if start >= 0 else raw)
    out: list[GoldComment] = []
    for li in root.iter("li"):
        if not (li.get("id") or "").startswith("comment-"):
            continue
        fn = li.find('.//*[@class="fn"]')
        content = li.find('.//div[@class="comment-content"]')
        if fn is None or content is None:
            continue
        paragraphs = [" ".join(p.text_content().split()) for p in content.iter("p")]
        text = "\n\n".join(p for p in paragraphs if p) or " ".join(content.text_content().split())
        parent_li = next(
            (a for a in li.iterancestors("li") if (a.get("id") or "").startswith("comment-")),
            None,
        )
        t = li.find(".//time")
        when = None
        if t is not None and t.get("datetime"):
            try:
                when = datetime.fromisoformat(t.get("datetime"))
            except ValueError:
                when = None
        out.append(
            GoldComment(
                li.get("id"),
                repair_text(" ".join(fn.text_content().split())),
                repair_text(text),
                parent_li.get("id") if parent_li is not None else None,
                when,
            )
        )
    article_path = path.with_name(path.name.replace(".comments.md", ".article.md"))
    article = ""
    if article_path.exists():
        article = _clean(
            re.sub(r"^---\n.*?\n---\n", "", article_path.read_text("utf-8"), flags=re.S)
        )
    author = "Daniel Lemire" if "lemire" in str(path) else None
    return GoldThread(path.name, "wordpress", title, author, article, tuple(out))


# --- IAC 4forums --------------------------------------------------------------------------


def load_iac(payload: Any, name: str) -> GoldThread:
    posts = payload[0]
    meta = payload[2] if len(payload) > 2 and isinstance(payload[2], dict) else {}
    root = posts[0]
    ids = {p[0] for p in posts[1:]}
    comments = tuple(
        GoldComment(
            str(p[0]),
            repair_text(str(p[2])),
            _clean(p[3]),
            str(p[5]) if p[5] in ids else None,
            _ts(p[7]),
        )
        for p in posts[1:]
        if _clean(p[3])
    )
    title = (root[4].get("post_info", {}) or {}).get("post_title") or meta.get("title") or name
    return GoldThread(name, "iac", str(title), str(root[2]), _clean(root[3]), comments)


# --- discovery ----------------------------------------------------------------------------


def load_path(path: Path) -> GoldThread:
    """One gold thread from a file, by what it holds."""
    if path.name.endswith(".comments.md") or path.suffix in (".html", ".htm"):
        return load_wordpress(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a reply tree Crosstalk can evaluate ({exc}).") from None
    if isinstance(payload, dict) and "json" in payload:
        return load_reddit(payload, path.name)
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        return load_reddit(payload, path.name)
    if isinstance(payload, list) and payload and isinstance(payload[0], list):
        return load_iac(payload, path.name)
    raise InputError(f"{path}: not a Reddit, WordPress or IAC reply tree.")


def discover(paths: list[Path]) -> list[Path]:
    """Files under the given paths that may hold reply trees, in a stable order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.name.endswith((".json", ".comments.md")) and f.is_file()
            )
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"No such file or folder: {p}")
    return out
