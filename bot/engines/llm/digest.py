"""The compact, grounded result of reading comments: stance groups and arguments.

A map call turns a chunk of comments into a Digest; merge calls fold several Digests into one;
the reduce call sees only Digests, rendered as short lines with ids (S1…, A1…), never the
comments again. Everything the model says is checked here: comment numbers must exist in the
part it read, quotes are grounded, ids must exist; what fails is dropped and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.model import Comment, Discussion, Report
from bot.engines.llm.grounding import GroundingCounts, ground_quote


@dataclass(frozen=True, slots=True)
class Stance:
    label: str
    comment_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Argument:
    point: str
    stance: int | None
    """Index of its Stance in the same Digest."""
    comment_ids: tuple[str, ...]
    quote: str = ""
    quote_comment_id: str | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    stances: tuple[Stance, ...] = ()
    arguments: tuple[Argument, ...] = ()


def clean(text: Any, limit: int = 300) -> str:
    return " ".join(str(text).split())[:limit]


def from_map(
    answer: dict[str, Any], chunk_ids: Sequence[str], discussion: Discussion
) -> tuple[Digest, GroundingCounts]:
    """A map answer -> Digest, keeping only comments of the chunk and grounded quotes. A stance
    holds the comments listed under it and those of the arguments made from it."""
    counts = GroundingCounts()
    by_id = discussion.by_id()
    in_chunk: dict[int, Comment] = {by_id[i].index: by_id[i] for i in chunk_ids}

    def ids(numbers: list[int]) -> list[str]:
        out = []
        for n in numbers:
            if n in in_chunk:
                out.append(in_chunk[n].id)
            else:
                counts.unknown_ids += 1
        return list(dict.fromkeys(out))

    def ids_quiet(numbers: list[int]) -> list[str]:  # unknown numbers are counted below
        return [in_chunk[n].id for n in numbers if n in in_chunk]

    # A comment listed under an argument takes that argument's stance (the prompt asks for each
    # number once: under its argument, or else under its stance); a comment that lands in
    # several stances, directly or through its arguments, keeps the first of them.
    raw = answer["stances"]
    members_of: list[list[str]] = [ids(s["comments"]) for s in raw]
    for a in answer["arguments"]:
        if 0 <= a["stance"] < len(raw):
            members_of[a["stance"]].extend(ids_quiet(a["comments"]))
    stances: list[Stance] = []
    seen: set[str] = set()
    remap: dict[int, int] = {}
    for k, s in enumerate(raw):
        members = [i for i in dict.fromkeys(members_of[k]) if i not in seen]
        seen.update(members)
        if members:
            remap[k] = len(stances)
            stances.append(Stance(clean(s["label"], 120), tuple(members)))
    arguments: list[Argument] = []
    for a in answer["arguments"]:
        members = ids(a["comments"])
        q = a["quote"]
        cited = in_chunk.get(q["comment"])
        candidates = [by_id[i] for i in members] + list(in_chunk.values())
        quote, source = ground_quote(q["text"], cited, str(q["author"]), candidates, counts)
        if source is not None and source.id not in members:
            members.append(source.id)
        if not members:
            continue
        arguments.append(
            Argument(
                point=clean(a["point"]),
                stance=remap.get(a["stance"]),
                comment_ids=tuple(members),
                quote=quote,
                quote_comment_id=source.id if source else None,
            )
        )
    return Digest(tuple(stances), tuple(arguments)), counts


def from_report(report: Report) -> Digest:
    """The offline engine's analysis of a part, in Digest form (its quotes are checked)."""
    stances = []
    arguments = []
    for side in report.sides:
        stances.append(Stance(side.stance or side.label, side.comment_ids))
        for k in side.key_arguments:
            arguments.append(
                Argument(k.point, len(stances) - 1, k.comment_ids, k.quote, k.quote_comment_id)
            )
    # No sides shown (too little evidence): the positions still carry the part's arguments.
    for k in report.positions:
        arguments.append(Argument(k.point, None, k.comment_ids, k.quote, k.quote_comment_id))
    return Digest(tuple(stances), tuple(arguments))


def combine(digests: Sequence[Digest]) -> Digest:
    stances: list[Stance] = []
    arguments: list[Argument] = []
    for d in digests:
        base = len(stances)
        stances.extend(d.stances)
        arguments.extend(
            Argument(a.point, None if a.stance is None else a.stance + base, *_rest(a))
            for a in d.arguments
        )
    return Digest(tuple(stances), tuple(arguments))


def _rest(a: Argument) -> tuple[tuple[str, ...], str, str | None]:
    return a.comment_ids, a.quote, a.quote_comment_id


def render(digest: Digest, authors: dict[str, str]) -> str:
    """Lines the model reads: `S1 [n comments, m commenters] label`, `A1 (S1) [m commenters]
    point`. Ids are positions: S<k+1> is digest.stances[k], A<k+1> is digest.arguments[k].
    A line is its head (id and stance reference) then its body (bot/engines/llm/sizing.py
    counts the two apart)."""
    lines = [f"S{k}{stance_body(s, authors)}" for k, s in enumerate(digest.stances, start=1)]
    lines += [
        f"A{k}{stance_ref(a.stance)}{argument_body(a, authors)}"
        for k, a in enumerate(digest.arguments, start=1)
    ]
    return "\n".join(lines)


def stance_body(s: Stance, authors: dict[str, str]) -> str:
    """A stance line after its id: ` [n comments, m commenters] label`."""
    people = len({authors[i] for i in s.comment_ids})
    return f" [{len(s.comment_ids)} comments, {people} commenters] {s.label}"


def argument_body(a: Argument, authors: dict[str, str]) -> str:
    """An argument line after its id and stance reference: ` [m commenters] point`."""
    people = len({authors[i] for i in a.comment_ids})
    return f" [{people} commenters] {a.point}"


def stance_ref(stance: int | None) -> str:
    """` (S3)` for the stance at index 2; empty for none."""
    return f" (S{stance + 1})" if stance is not None else ""


def parse_ids(values: list[str], prefix: str, size: int, counts: GroundingCounts) -> list[int]:
    """["S3", "S9"] -> [2] when size is 5 (S9 does not exist: counted)."""
    out = []
    for v in values:
        v = str(v).strip().upper()
        if v.startswith(prefix) and v[1:].isdigit() and 1 <= int(v[1:]) <= size:
            out.append(int(v[1:]) - 1)
        else:
            counts.unknown_ids += 1
    return list(dict.fromkeys(out))


def union(groups: list[tuple[str, ...]], order: dict[str, int]) -> tuple[str, ...]:
    return tuple(sorted({i for g in groups for i in g}, key=order.__getitem__))


def from_merge(
    answer: dict[str, Any], digest: Digest, order: dict[str, int]
) -> tuple[Digest, GroundingCounts]:
    """A merge answer over `digest` -> a smaller Digest. Stance groups the model left out are
    kept as they were, so no comment loses its stance."""
    counts = GroundingCounts()
    stances: list[Stance] = []
    where: dict[int, int] = {}
    for s in answer["stances"]:
        src = [k for k in parse_ids(s["from"], "S", len(digest.stances), counts) if k not in where]
        if not src:
            continue
        for k in src:
            where[k] = len(stances)
        ids = union([digest.stances[k].comment_ids for k in src], order)
        stances.append(Stance(clean(s["label"], 120), ids))
    for k, s in enumerate(digest.stances):
        if k not in where:
            where[k] = len(stances)
            stances.append(s)
    arguments: list[Argument] = []
    for a in answer["arguments"]:
        merged = [
            digest.arguments[k] for k in parse_ids(a["from"], "A", len(digest.arguments), counts)
        ]
        if not merged:
            continue
        quoted = next((x for x in merged if x.quote), None)
        stance = a["stance"] if 0 <= a["stance"] < len(stances) else None
        if stance is None and merged[0].stance is not None:
            stance = where.get(merged[0].stance)
        arguments.append(
            Argument(
                clean(a["point"]),
                stance,
                union([x.comment_ids for x in merged], order),
                quoted.quote if quoted else "",
                quoted.quote_comment_id if quoted else None,
            )
        )
    return Digest(tuple(stances), tuple(arguments)), counts


def shrink(digest: Digest, keep_arguments: int) -> Digest:
    """Without a model: keep the arguments made by the most comments (used when a merge call
    fails, so hierarchical reduction always terminates)."""
    ranked = sorted(
        range(len(digest.arguments)), key=lambda k: -len(digest.arguments[k].comment_ids)
    )
    kept = sorted(ranked[:keep_arguments])
    return Digest(digest.stances, tuple(digest.arguments[k] for k in kept))
