"""Structure derived from reply links: depths, chains, interactions, exchanges, unanswered,
sub-trees."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from bot.core.model import Chain, Comment, Discussion, Exchange, Interaction, ReplyLink


def parents_of(
    discussion: Discussion, links: dict[str, tuple[ReplyLink, ...]]
) -> dict[str, str | None]:
    """Best parent per comment (None = top level)."""
    return {c.id: (links[c.id][0].target if links.get(c.id) else None) for c in discussion.comments}


def depths(discussion: Discussion, parents: dict[str, str | None]) -> dict[str, int]:
    """Depth of each comment in the reply tree. Parents always precede children in the
    order of appearance (inference guarantees it), so one pass in order suffices."""
    out: dict[str, int] = {}
    for c in discussion.comments:
        p = parents[c.id]
        out[c.id] = out.get(p, -1) + 1 if p is not None else 0
    return out


def chains(discussion: Discussion, parents: dict[str, str | None]) -> tuple[Chain, ...]:
    """One chain per root comment: the root and all its descendants, in order."""
    root_of: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    authors = {c.id: c.author for c in discussion.comments}
    for c in discussion.comments:
        p = parents[c.id]
        root = root_of.get(p, c.id) if p is not None else c.id
        root_of[c.id] = root
        members[root].append(c.id)
    out = []
    for n, (_root, ids) in enumerate(members.items(), start=1):
        participants = tuple(dict.fromkeys(authors[i] for i in ids))
        out.append(Chain(id=f"chain-{n}", comment_ids=tuple(ids), participants=participants))
    return tuple(out)


def interactions(
    discussion: Discussion,
    links: Mapping[str, Sequence[ReplyLink]],
    duplicates: Mapping[str, str] | None = None,
) -> tuple[Interaction, ...]:
    """Author -> author reply counts, most frequent first. Every target of a comment counts
    (`@A: @B:` answers both A and B); self-replies and copies counted elsewhere
    (`duplicates`) are left out, and a comment counts once per author it answers."""
    authors = {c.id: c.author for c in discussion.comments}
    skip = duplicates or {}
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in discussion.comments:
        if c.id in skip:
            continue
        for target in dict.fromkeys(authors[link.target] for link in links.get(c.id, ())):
            if target != c.author:
                pairs[(c.author, target)].append(c.id)
    items = [
        Interaction(source=a, target=b, count=len(ids), comment_ids=tuple(ids))
        for (a, b), ids in pairs.items()
    ]
    items.sort(key=lambda i: (-i.count, i.comment_ids[0]))
    return tuple(items)


def exchanges(discussion: Discussion, found: tuple[Interaction, ...]) -> tuple[Exchange, ...]:
    """Pairs of authors who replied to each other in both directions, most replies first."""
    order = {c.id: c.index for c in discussion.comments}
    by_pair = {(i.source, i.target): i for i in found}
    out = []
    for (a, b), i in by_pair.items():
        back = by_pair.get((b, a))
        if back is None or a > b:
            continue
        ids = tuple(sorted(i.comment_ids + back.comment_ids, key=order.__getitem__))
        out.append(Exchange(a=a, b=b, count=i.count + back.count, comment_ids=ids))
    out.sort(key=lambda e: (-e.count, e.a, e.b))
    return tuple(out)


def unreplied(discussion: Discussion, parents: dict[str, str | None]) -> tuple[str, ...]:
    """Ids of comments that nobody else replied to (self-replies do not count)."""
    authors = {c.id: c.author for c in discussion.comments}
    answered = {p for cid, p in parents.items() if p is not None and authors[p] != authors[cid]}
    return tuple(c.id for c in discussion.comments if c.id not in answered)


def subtree(root: str, children: Mapping[str, Sequence[str]]) -> list[str]:
    """`root` and every comment under it (`children` as `Thread.children()` gives them), in no
    promised order: sort them when order matters."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(children.get(node, ()))
    return out


def conversations(found: Sequence[Chain]) -> list[Chain]:
    """The chains that hold a reply (two comments or more), longest first (ties in thread
    order): what a reader wants to see of the reply chains."""
    talks = [ch for ch in found if len(ch.comment_ids) > 1]
    return sorted(talks, key=lambda ch: -len(ch.comment_ids))


def reposts(discussion: Discussion, duplicates: Mapping[str, str]) -> list[tuple[str, str, bool]]:
    """(copy, kept, edited) for every comment counted as another copy of it (`Thread.
    duplicates`), in thread order; `edited` when the two texts differ."""
    by_id = discussion.by_id()
    return [
        (c.id, kept, c.text.split() != by_id[kept].text.split())
        for c in discussion.comments
        if (kept := duplicates.get(c.id)) is not None
    ]


def repost_note(author: str, copy: Comment, kept: Comment, edited: bool) -> str:
    """One line for the map: "Ann posted #7 again as #14, edited: counted once, as #14"."""
    first, second = sorted((copy, kept), key=lambda c: c.index)
    how = "" if not edited else ", edited" if kept is second else ", shortened"
    again = f"#{first.index} again as #{second.index}{how}"
    return f"{author} posted {again}: counted once, as #{kept.index}"
