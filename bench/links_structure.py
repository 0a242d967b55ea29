"""Check the reply structure the platform parsers recover against the real trees.

Usage: python bench/links_structure.py PATH [PATH ...]   (files or folders, e.g.
../shared/data/hackernews ../shared/data/discourse ../shared/data/reddit
../shared/data/wordpress). Nothing here is copied into the repository: the Hacker News pages
and Discourse JSON have no licence, so this script reads them where they are.

The reference tree is taken from the raw file by a separate, simpler route than the parser:
- Reddit JSON: each `t1`'s `parent_id` (`t1_x` -> x, `t3_` -> top level);
- Discourse JSON: `reply_to_post_number` (replies to post 1 or to posts outside the file
  count as top level); quote asides are reported separately, as the second signal;
- Hacker News HTML: regular expressions over the raw markup (the indentation image width
  or `indent` attribute per comment), turned into parents by the depth stack;
- WordPress comment HTML: the `depth-N` class of each `<li>` turned into parents by the
  depth stack (the parser uses the `<li>` nesting instead).
It prints, per file, comments found vs reference, and parent agreement over all comments.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from bot.core.model import Discussion
from bot.core.thread import build_thread
from bot.ingest.reader import read_discussion


def stack_parents(items: list[tuple[str, int]]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for cid, depth in items:
        while stack and stack[-1][0] >= depth:
            stack.pop()
        out[cid] = stack[-1][1] if stack and depth > 0 else None
        stack.append((depth, cid))
    return out


def ref_reddit(payload: object) -> dict[str, str | None]:
    out: dict[str, str | None] = {}

    def walk(listing: object) -> None:
        if not isinstance(listing, dict):
            return
        for thing in listing.get("data", {}).get("children", []):
            if thing.get("kind") == "t1":
                d = thing["data"]
                p = str(d.get("parent_id") or "")
                out[d["id"]] = p[3:] if p.startswith("t1_") else None
                walk(d.get("replies"))

    if isinstance(payload, list):
        walk(payload[1])
    else:  # morechildren: flat
        for thing in payload["json"]["data"]["things"]:  # type: ignore[index]
            if thing.get("kind") == "t1":
                p = str(thing["data"].get("parent_id") or "")
                out[thing["data"]["id"]] = p[3:] if p.startswith("t1_") else None
    return out


def ref_discourse(payload: dict) -> dict[str, str | None]:
    posts = payload["post_stream"]["posts"]
    numbers = {p["post_number"] for p in posts}
    out: dict[str, str | None] = {}
    for p in posts:
        if p["post_number"] == 1:
            continue
        r = p.get("reply_to_post_number")
        out[str(p["post_number"])] = str(r) if r and r != 1 and r in numbers else None
    return out


_HN_BODY = re.compile(r"<span class=\"comment\">|<div class=\"commtext")
_HN_IND = re.compile(
    r"<td(?: class=['\"]ind['\"])?(?: indent=['\"](\d+)['\"])?>"
    r"(?:<img src=\"s\.gif\" height=\"1\" width=\"(\d+)\">)?"
)
_HN_ITEM = re.compile(r"href=\"item\?id=(\d+)\">[^<]*ago")


def ref_hn(html: str) -> list[tuple[str, int]]:
    starts = [m.start() for m in _HN_BODY.finditer(html)]
    items: list[tuple[str, int]] = []
    prev = 0
    for i, pos in enumerate(starts):
        chunk = html[prev:pos]
        prev = pos
        row = chunk[chunk.rfind("<tr") :] if "<tr" in chunk else chunk
        depth = 0
        for m in _HN_IND.finditer(chunk[chunk.rfind("athing") if "athing" in chunk else 0 :]):
            if m.group(1) or m.group(2):
                depth = int(m.group(1)) if m.group(1) else int(m.group(2)) // 40
                break
        ids = _HN_ITEM.findall(chunk)
        cid = ids[-1] if ids and _HN_ITEM.search(row or chunk) else f"c{i + 1}"
        items.append((cid, depth))
    return items


def ref_wordpress(html: str) -> list[tuple[str, int]]:
    return [
        (m.group(1), int(m.group(2)) - 1)
        for m in re.finditer(r"<li id=\"(comment-\d+)\" class=\"[^\"]*depth-(\d+)", html)
    ]


def parsed_parents(d: Discussion) -> dict[str, str | None]:
    """Parents as parsed; a parent outside the file (not loaded) counts as top level."""
    ids = {c.id for c in d.comments}
    return {c.id: c.parent_id if c.parent_id in ids else None for c in d.comments}


def compare(ref: dict[str, str | None], got: dict[str, str | None]) -> tuple[int, int, int]:
    common = set(ref) & set(got)
    agree = sum(1 for k in common if ref[k] == got[k])
    return len(ref), len(got), agree


def check(path: Path) -> tuple[str, tuple[int, int, int], str] | None:
    raw = path.read_bytes()
    name = path.name
    if name.endswith(".article.md") or name == "SOURCES.md":
        return None
    d = read_discussion(raw, name=name, max_bytes=20_000_000)
    text = raw.decode("utf-8", errors="replace")
    extra = ""
    if d.source == "reddit":
        ref = ref_reddit(json.loads(text))
    elif d.source == "discourse":
        payload = json.loads(text)
        ref = ref_discourse(payload)
        with_q = [c for c in d.comments if c.quotes]
        both = [c for c in with_q if c.parent_id]
        agree_q = sum(1 for c in both if c.parent_id in c.quotes)
        thread = build_thread(d)
        quote_links = sum(1 for ls in thread.links.values() if ls and ls[0].evidence == "quote")
        extra = (
            f"quotes: {len(with_q)} posts quote an earlier loaded post; where a pointer exists "
            f"too, it is among the quoted in {agree_q}/{len(both)}; {quote_links} posts whose "
            "pointer is absent or outside the file get a 'quote' link instead"
        )
    elif d.source == "hackernews" and name.endswith(".html"):
        ref = stack_parents(ref_hn(text))
        extra = f"max depth {max((c.depth or 0) for c in d.comments)}"
    elif d.source == "wordpress":
        ref = stack_parents(ref_wordpress(text))
    else:
        return None
    return name, compare(ref, parsed_parents(d)), extra


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    files: list[Path] = []
    for a in argv:
        p = Path(a)
        files.extend(sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p])
    total_ref = total_agree = 0
    for f in files:
        result = check(f)
        if result is None:
            continue
        name, (n_ref, n_got, agree), extra = result
        total_ref += n_ref
        total_agree += agree
        print(f"{name}: reference {n_ref}, parsed {n_got}, parents agree {agree}/{n_ref} {extra}")
    if total_ref:
        print(f"ALL: parents agree {total_agree}/{total_ref} ({total_agree / total_ref:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
