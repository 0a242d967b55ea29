"""The reduce answer + the Digest + the core Thread -> the Report's sides and unanswered list.

The model chooses which stance groups form a side and which arguments are key; who belongs
where, the counts, the quotes and the comment ids come from the Digest (already grounded) and
the Thread, never from the model's prose.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.core.model import KeyArgument, Side, Thread
from bot.engines.llm.digest import Argument, Digest, clean, parse_ids, union
from bot.engines.llm.grounding import MIN_SIMILARITY, GroundingCounts, closest_sentence
from bot.engines.offline.unanswered import unanswered


def _key(point: str, src: list[Argument], thread: Thread, counts: GroundingCounts) -> KeyArgument:
    d = thread.discussion
    by_id = d.by_id()
    order = {c.id: c.index for c in d.comments}
    cids = union([a.comment_ids for a in src], order)
    quoted = next((a for a in src if a.quote), None)
    quote, qcid = (quoted.quote, quoted.quote_comment_id) if quoted else ("", None)
    if not quote:
        # No grounded quote survived: take the real sentence closest to the point, if it is
        # as close as grounding demands; otherwise the argument goes without a quote.
        best = max(
            ((closest_sentence(by_id[i], point), i) for i in cids),
            key=lambda x: x[0][1],
            default=None,
        )
        if best is not None and best[0][0] and best[0][1] >= MIN_SIMILARITY:
            quote, qcid = best[0][0], best[1]
            counts.reanchored += 1
        else:
            counts.unquoted += 1
    authors = tuple(dict.fromkeys(by_id[i].author for i in cids))
    return KeyArgument(point, cids, authors, quote, qcid)


def assemble(
    answer: dict[str, Any], digest: Digest, thread: Thread, counts: GroundingCounts
) -> tuple[str, tuple[Side, ...], tuple[str, ...]]:
    """(headline, sides, unanswered). Sides without any comment are dropped."""
    d = thread.discussion
    order = {c.id: c.index for c in d.comments}
    author_of = {c.id: c.author for c in d.comments}
    used: set[int] = set()
    drafts: list[tuple[dict[str, Any], tuple[str, ...], list[KeyArgument]]] = []
    for s in answer["sides"][:4]:  # DESIGN: 2–4 camps
        groups = [
            k for k in parse_ids(s["stances"], "S", len(digest.stances), counts) if k not in used
        ]
        used.update(groups)
        keys: list[KeyArgument] = []
        for ka in s["key_arguments"][:5]:
            ids = parse_ids(ka["arguments"], "A", len(digest.arguments), counts)
            if ids:
                keys.append(
                    _key(clean(ka["point"]), [digest.arguments[k] for k in ids], thread, counts)
                )
        if not keys:  # every side gets at least one key argument when its groups made one
            own = [a for a in digest.arguments if a.stance in groups]
            if own:
                top = max(own, key=lambda a: len(a.comment_ids))
                keys.append(_key(top.point, [top], thread, counts))
        cids = union([digest.stances[k].comment_ids for k in groups], order)
        if not cids:
            cids = union([k.comment_ids for k in keys], order)
        if cids:
            drafts.append((s, cids, keys))

    # An author belongs to the side holding most of their comments (first side on a tie).
    tally: dict[str, Counter[int]] = {}
    for n, (_s, cids, _k) in enumerate(drafts):
        for i in cids:
            tally.setdefault(author_of[i], Counter())[n] += 1
    home = {a: max(c, key=lambda n: (c[n], -n)) for a, c in tally.items()}
    sides = []
    for n, (s, cids, keys) in enumerate(drafts):
        everyone = tuple(dict.fromkeys(author_of[i] for i in cids))
        members = tuple(a for a in everyone if home[a] == n) or everyone
        sides.append(
            Side(
                label=clean(s["label"], 80),
                stance=clean(s["stance"]),
                authors=members,
                comment_ids=cids,
                summary=clean(s["summary"], 1200),
                key_arguments=tuple(keys),
            )
        )
    # The one definition (bot.engines.offline.unanswered): no one from another side answered.
    side_of = {a: n for n, side in enumerate(sides) for a in side.authors}
    skipped = set(thread.duplicates) | {c.id for c in d.comments if c.deleted}
    return clean(answer["headline"], 1200), tuple(sides), unanswered(thread, side_of, skipped)
