"""Packing comments into chunks that fit the model's budget, whole reply chains first.

Each comment becomes one line, `N author>P: text` (N its number, P its parent's), with its
whitespace collapsed, so a comment can never forge a line of its own. Chains that fit go whole;
a chain too big is split at subtree boundaries (a comment and all its replies stay together
while they fit); a single comment bigger than the budget is cut, with a warning. Deleted
comments and re-posts of earlier comments are left out: their text adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.model import Comment, Thread
from bot.llm.tokens import count_tokens, truncate_tokens


@dataclass(frozen=True, slots=True)
class Chunk:
    comment_ids: tuple[str, ...]
    text: str
    tokens: int


def comment_line(comment: Comment, parent: Comment | None, text: str | None = None) -> str:
    body = " ".join((comment.text if text is None else text).split())
    author = " ".join(comment.author.split()) or "anonymous"
    to = f">{parent.index}" if parent is not None else ""
    return f"{comment.index} {author}{to}: {body}"


def _subtree(node: str, children: dict[str, list[str]], order: dict[str, int]) -> list[str]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(children.get(n, ()))
    return sorted(out, key=order.__getitem__)


def pack(thread: Thread, budget: int) -> tuple[list[Chunk], list[str]]:
    """Chunks of at most `budget` tokens each (counted with tiktoken), and warnings."""
    d = thread.discussion
    by_id = d.by_id()
    order = {c.id: c.index for c in d.comments}
    children = thread.children()
    warnings: list[str] = []
    lines: dict[str, str] = {}
    cost: dict[str, int] = {}
    for c in d.comments:
        if c.deleted or c.id in thread.duplicates or not c.text.strip():
            cost[c.id] = 0
            continue
        parent_id = thread.parent(c.id)
        parent = by_id.get(parent_id) if parent_id else None
        line = comment_line(c, parent)
        n = count_tokens(line) + 1  # the newline
        if n > budget:
            room = budget - count_tokens(comment_line(c, parent, "")) - 8
            line = comment_line(c, parent, truncate_tokens(" ".join(c.text.split()), room) + " …")
            n = count_tokens(line) + 1
            warnings.append(
                f"Comment #{c.index} ({c.author}) is longer than the model's budget; only its "
                f"first {room} tokens were analysed."
            )
        lines[c.id], cost[c.id] = line, n
    subtree_cost = dict(cost)
    for c in reversed(d.comments):
        p = thread.parent(c.id)
        if p is not None:
            subtree_cost[p] += subtree_cost[c.id]

    units: list[list[str]] = []
    for chain in thread.chains:
        stack = [chain.comment_ids[0]]
        while stack:
            node = stack.pop()
            if subtree_cost[node] <= budget:
                units.append(_subtree(node, children, order))
            else:
                units.append([node])
                stack.extend(reversed(children.get(node, ())))

    chunks: list[Chunk] = []
    ids: list[str] = []
    used = 0

    def flush() -> None:
        nonlocal ids, used
        kept = [i for i in ids if i in lines]
        if kept:
            chunks.append(Chunk(tuple(kept), "\n".join(lines[i] for i in kept), used))
        ids, used = [], 0

    for unit in units:
        unit_cost = sum(cost[i] for i in unit)
        if used and used + unit_cost > budget:
            flush()
        ids.extend(unit)
        used += unit_cost
    flush()
    return chunks, warnings
