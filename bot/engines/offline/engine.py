"""The offline engine: sides, key arguments, summaries and unanswered arguments, no model.

Everything is extractive (sentences are taken verbatim, never written) and deterministic: the
same Thread always gives the same Report. The work is CPU-bound and runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from bot.core.model import KeyArgument, Report, Side, SideThread, Thread
from bot.core.text import short
from bot.engines.base import Engine, Progress, no_progress
from bot.engines.offline.graph import AuthorGraph, build_graph
from bot.engines.offline.keypoints import key_arguments
from bot.engines.offline.sides import Camps, find_camps
from bot.engines.offline.sidethreads import side_threads
from bot.engines.offline.summary import distinctive_terms, headline, side_summary
from bot.engines.offline.unanswered import unanswered

OTHERS_LABEL = "Others"
LABEL_CHARS = 80


def _stance(n: int, camps: Camps, graph: AuthorGraph, group: dict[str, int], thread: Thread) -> str:
    """A factual stance line: position towards the article, rebuttals across, agreements within."""
    d = thread.discussion
    members = set(camps.camps[n])
    by_id = d.by_id()
    toward_article = [
        s
        for cid, s in graph.signs.items()
        if by_id[cid].author in members and not thread.parent(cid)
    ]
    rebut = agree = 0
    for cid, s in graph.signs.items():
        c = by_id[cid]
        pid = thread.parent(cid)
        if c.author not in members or pid is None:
            continue
        other = group.get(by_id[pid].author, -1)
        if other != n and s < 0:
            rebut += 1
        elif other == n and s > 0:
            agree += 1
    if camps.article_camp == n:
        position = "Sides with the article."
    elif toward_article and sum(toward_article) / len(toward_article) < -0.3:
        position = "Disputes the article."
    elif d.article.text.strip() and rebut:
        position = "Argues with the other commenters more than with the article."
    elif d.article.text.strip():
        position = "Takes no clear position on the article."
    else:
        position = "One camp of the discussion."
    return f"{position} {_evidence(rebut, agree)}"


def _times(n: int, one: str, many: str) -> str:
    return f"{'one' if n == 1 else n} {one if n == 1 else many}"


def _evidence(rebut: int, agree: int) -> str:
    """The counted evidence behind a side, as a sentence."""
    if rebut and agree:
        return (
            f"Its members push back on other sides in {_times(rebut, 'reply', 'replies')} "
            f"and back each other up in {_times(agree, 'other', 'others')}."
        )
    if rebut:
        return f"Its members push back on other sides in {_times(rebut, 'reply', 'replies')}."
    if agree:
        return f"Its members back each other up in {_times(agree, 'reply', 'replies')}."
    return "Placed by what its members write; they do not answer the other sides directly."


_HEDGE = re.compile(
    r"^(?:(?:and|but|so|yet|however|also|yes|well|of course|in fact|actually|honestly|first of all|"
    r"as far as i can tell|as someone mentioned above|i (?:think|believe|feel|guess|suspect)"
    r"(?: that)?|the (?:point|fact|truth|upshot) is(?: that)?)[\s,:]+)+",
    re.IGNORECASE,
)


def _label(letter: str, points: tuple[KeyArgument, ...], terms: list[str]) -> str:
    """'Side A: <its central argument, short>' — the point most commenters make, ties to the
    one holding most of the side's distinctive terms; its terms when it has no point."""
    if not points:
        return f"Side {letter}: " + (", ".join(terms) or "no distinctive terms")

    def fit(k: KeyArgument) -> tuple[bool, int, int]:
        low = k.point.lower()
        return ("://" not in low, len(k.authors), sum(t in low for t in terms))

    top = max(points, key=fit)  # first of equals: points come most commenters first
    text = " ".join((top.quote or top.point).split()).lstrip("*>-–—•# ")
    phrase = _clause(_HEDGE.sub("", text).strip() or text).strip(" ,;:.!…")
    phrase = _HEDGE.sub("", phrase).strip(" ,;:.!…")
    if phrase.count("(") > phrase.count(")"):  # a clause cut inside brackets
        phrase = phrase[: phrase.rindex("(")].rstrip(" ,;:")
    if len(phrase.split()) < 3:
        phrase = text
    phrase = short(phrase[0].upper() + phrase[1:], LABEL_CHARS).rstrip(".!")
    return f"Side {letter}: {phrase}"


_CLAUSE = re.compile(
    r"(?:[,;:…]+|\s[-–—]|\.\.\.)\s+|\s+(?=(?:but|yet|however|because|since|so that|which)\s)"
)
_CONTRAST = ("but ", "yet ", "however")
_SUBORDINATE = ("if ", "when ", "while ", "although ", "though ", "as ", "since ", "because ")


def _clause(sentence: str) -> str:
    """The sentence, or when too long for a label its claim clause: the one after a 'but'
    (a concession comes first, the point after it), else the first that says enough."""
    flat = " ".join(sentence.split()).lstrip("*>-–—•# ")
    if len(flat) <= LABEL_CHARS:
        return flat
    parts = [p.strip() for p in _CLAUSE.split(flat) if len(p.split()) >= 4]
    for p in parts:
        if p.lower().startswith(_CONTRAST):
            return _clause_head(p)
    main = [p for p in parts if not p.lower().startswith(_SUBORDINATE)]  # "if…", "when…"
    return _clause_head((main or parts)[0]) if parts else flat


def _clause_head(part: str) -> str:
    """A clause cut before 'because/since/so that…' when it is still too long."""
    if len(part) <= LABEL_CHARS:
        return part
    m = re.search(r"\s(?:because|since|so that|which|when|if)\s", part[1:])
    return part[: m.start() + 1] if m and len(part[: m.start() + 1].split()) >= 4 else part


@dataclass(frozen=True, slots=True)
class FoundSides:
    """What the engine decided about sides, before any text is written."""

    graph: AuthorGraph
    camps: Camps
    side_threads: tuple[SideThread, ...]
    skipped: frozenset[str]
    """Comment ids left out of the sides: side threads, duplicates, deleted comments."""
    confidence: float | None
    shown: bool


def find_sides(thread: Thread) -> FoundSides:
    """The camps of a thread (pure, deterministic)."""
    d = thread.discussion
    graph = build_graph(thread)
    threads_apart = side_threads(thread, graph.own_text)
    apart = {cid for s in threads_apart for cid in s.comment_ids}
    skipped = apart | set(thread.duplicates) | {c.id for c in d.comments if c.deleted}
    active = {c.author for c in d.comments if c.id not in skipped}
    camps = find_camps(graph, exclude=frozenset(a for a in d.authors if a not in active))
    return FoundSides(
        graph=graph,
        camps=camps,
        side_threads=threads_apart,
        skipped=frozenset(skipped),
        confidence=None,
        shown=bool(camps.camps),
    )


def analyze_thread(thread: Thread) -> Report:
    """Thread -> Report (pure, deterministic, CPU-bound)."""
    d = thread.discussion
    found = find_sides(thread)
    graph, camps, threads_apart = found.graph, found.camps, found.side_threads
    own = graph.own_text
    skipped = set(found.skipped)
    apart = {cid for s in threads_apart for cid in s.comment_ids}
    groups = [*camps.camps, camps.others]
    group = {a: n for n, members in enumerate(camps.camps) for a in members}
    group.update({a: -1 for a in camps.others})
    # Camps speak through their on-topic comments; others also through their side threads.
    noise = skipped - apart
    per_group = [
        [
            (c.id, c.author, own[c.id])
            for c in d.comments
            if group.get(c.author, -1) == (-1 if n == len(camps.camps) else n)
            and c.id not in (noise if n == len(camps.camps) else skipped)
        ]
        for n, members in enumerate(groups)
    ]
    terms = distinctive_terms([" ".join(t for _i, _a, t in rows) for rows in per_group], n=8)
    total = max(1, sum(len(rows) for rows in per_group))
    sides: list[Side] = []
    warnings: list[str] = []
    for n, members in enumerate(groups):
        rows = per_group[n]
        is_others = n == len(camps.camps)
        if not members or (is_others and not rows):
            continue
        share = len(rows) / total
        points = key_arguments(rows, max_points=max(1, min(5, round(1 + 6 * share))))
        if is_others:
            label = OTHERS_LABEL
            stance = "Neutral, undecided or off-topic: the replies place them on no side."
        else:
            label = _label(chr(ord("A") + n), points, terms[n])
            stance = _stance(n, camps, graph, group, thread)
        if not points:
            warnings.append(f"{label}: its comments hold no sentence to quote.")
        sides.append(
            Side(
                label=label,
                stance=stance,
                authors=tuple(members),
                comment_ids=tuple(cid for cid, _a, _t in rows),
                summary=side_summary(rows, points),
                key_arguments=points,
                neutral=is_others,
            )
        )
    if len(camps.camps) < 2 and len(d.authors) > 1:
        warnings.append("No second camp found: nobody in this discussion clearly disagrees.")
    replies = int(graph.replies.sum() / 2)
    if len(d.authors) > 2 and replies < len(d.authors) // 2:
        warnings.append(
            "Few replies between commenters: the sides rest mostly on what people write, "
            "not on who answers whom."
        )
    return Report(
        engine="offline",
        thread=thread,
        headline=headline(d.article.text),
        sides=tuple(sides),
        unanswered=unanswered(thread, graph, group, skipped),
        side_threads=threads_apart,
        warnings=tuple(warnings),
    )


class OfflineEngine(Engine):
    name = "offline"

    async def analyze(
        self, thread: Thread, *, progress: Progress = no_progress, language: str | None = None
    ) -> Report:
        """Summaries stay in the discussion's own language: every sentence is quoted."""
        await progress("Finding sides…")
        return await asyncio.to_thread(analyze_thread, thread)
