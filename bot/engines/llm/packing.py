"""Packing comments into chunks that fit the model's budget, whole reply chains first.

Each comment becomes one line, `N author>P: text` (N its number, P its parent's), with its
whitespace collapsed, so a comment can never forge a line of its own. Chains that fit go whole;
a chain too big is split at subtree boundaries (a comment and all its replies stay together
while they fit); a single comment bigger than the budget is cut, with a warning. Deleted
comments and re-posts of earlier comments are left out: their text adds nothing.

A chunk's cost is its lines' tokens plus `answer_cost` of each comment (the room its number
takes in the model's answer). Chains are independent, so they need not stay in thread order:
when the fewest chunks that keep the order (greedy, optimal for that) are more than the total
cost needs, the units are dealt largest first to the least filled of fewer chunks (LPT), if
that fits. Otherwise the in-order chunks are evened out: the smallest cap that still gives
that many chunks is found by bisection, so no chunk is left nearly empty. Fewer calls mean
fewer waves of parallel calls. Inside a chunk, comments keep the thread's order.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.model import Comment, Thread
from bot.core.structure import subtree
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


def _next_fit(costs: list[float], cap: float) -> list[int]:
    """Where each group starts when items are put in order into groups of at most `cap`."""
    starts, used = [0], 0.0
    for k, c in enumerate(costs):
        if k > starts[-1] and used + c > cap:
            starts.append(k)
            used = 0.0
        used += c
    return starts


def _deal(costs: list[float], bins: int, cap: float) -> list[list[int]] | None:
    """Items dealt largest first to the least filled of `bins` groups, or None if one would
    exceed `cap`. Groups come back in the order of their first item."""
    loads = [(0.0, b) for b in range(bins)]
    groups: list[list[int]] = [[] for _ in range(bins)]
    for k in sorted(range(len(costs)), key=lambda k: -costs[k]):
        load, b = heapq.heappop(loads)
        if load + costs[k] > cap:
            return None
        groups[b].append(k)
        heapq.heappush(loads, (load + costs[k], b))
    return sorted((sorted(g) for g in groups if g), key=lambda g: g[0])


def _free(comment: Comment) -> float:
    return 0.0


def pack(
    thread: Thread, budget: float, *, answer_cost: Callable[[Comment], float] = _free
) -> tuple[list[Chunk], list[str]]:
    """Chunks costing at most `budget` each (tokens counted with tiktoken), and warnings."""
    d = thread.discussion
    by_id = d.by_id()
    order = {c.id: c.index for c in d.comments}
    children = thread.children()
    warnings: list[str] = []
    lines: dict[str, str] = {}
    cost: dict[str, int] = {}
    extra: dict[str, float] = {}
    for c in d.comments:
        if c.deleted or c.id in thread.duplicates or not c.text.strip():
            cost[c.id] = 0
            continue
        parent_id = thread.parent(c.id)
        parent = by_id.get(parent_id) if parent_id else None
        line = comment_line(c, parent)
        n = count_tokens(line + "\n")  # the newline often merges with a final "." or "?"
        extra[c.id] = answer_cost(c)
        if n + extra[c.id] > budget:
            room = int(budget - extra[c.id]) - count_tokens(comment_line(c, parent, "")) - 8
            line = comment_line(c, parent, truncate_tokens(" ".join(c.text.split()), room) + " …")
            n = count_tokens(line + "\n")
            warnings.append(
                f"Comment #{c.index} ({c.author}) is longer than the model's budget; only its "
                f"first {room} tokens were analysed."
            )
        lines[c.id], cost[c.id] = line, n
    weight = {i: cost[i] + extra.get(i, 0.0) for i in cost}
    subtree_cost = dict(weight)
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
                units.append(sorted(subtree(node, children), key=order.__getitem__))
            else:
                units.append([node])
                stack.extend(reversed(children.get(node, ())))

    unit_cost = [sum(weight[i] for i in unit) for unit in units]
    starts = _next_fit(unit_cost, budget)
    groups: list[list[int]] | None = None
    for bins in range(max(1, math.ceil(sum(unit_cost) / budget)), len(starts)):
        if (groups := _deal(unit_cost, bins, budget)) is not None:
            break
    if groups is None:
        groups = _even(unit_cost, starts, budget)
    chunks: list[Chunk] = []
    for group in groups:
        kept = [i for u in group for i in units[u] if i in lines]
        if kept:
            text = "\n".join(lines[i] for i in kept)
            chunks.append(Chunk(tuple(kept), text, sum(cost[i] for i in kept)))
    return chunks, warnings


def _even(costs: list[float], starts: list[int], budget: float) -> list[list[int]]:
    """In-order groups, as many as `starts` gives, with the smallest largest group."""
    if len(starts) > 1:
        lo, hi = sum(costs) / len(starts), float(budget)
        while hi - lo >= 0.5:
            mid = (lo + hi) / 2
            trial = _next_fit(costs, mid)
            if len(trial) <= len(starts):
                starts, hi = trial, mid
            else:
                lo = mid
    ends = [*starts[1:], len(costs)]
    return [list(range(a, b)) for a, b in zip(starts, ends, strict=True)]
