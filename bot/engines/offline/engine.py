"""The offline engine: sides, key arguments, summaries and unanswered arguments, no model.

Everything is extractive (sentences are taken verbatim, never written) and deterministic: the
same Thread always gives the same Report. The work is CPU-bound and runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from bot.core.model import Report, Side, SideThread, Thread
from bot.core.text import words
from bot.engines.base import Engine, Progress, no_progress
from bot.engines.offline.graph import AuthorGraph, build_graph
from bot.engines.offline.keypoints import Disputes, key_arguments
from bot.engines.offline.labels import side_label
from bot.engines.offline.sides import Camps, find_camps
from bot.engines.offline.sidethreads import side_threads
from bot.engines.offline.summary import distinctive_terms, headline, side_summary
from bot.engines.offline.unanswered import unanswered

OTHERS_LABEL = "Others"
DISPUTE = 0.0
"""A reply whose sign is below this disputes what it answers: never counted as making the
point it answers (key arguments)."""


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


_ENGLISH = frozenset({"en", "eng", "english", "anglais", "englisch", "inglés", "ingles", "inglese"})


def language_warning(language: str | None, thread: Thread) -> str | None:
    """The warning for a requested language the offline engine cannot write in, if any: every
    language but English on a discussion written in English."""
    if not language or not language.strip():
        return None
    asked = language.strip()
    sample = words(" ".join(c.text for c in thread.discussion.comments[:200]))[:3000]
    english = sum(w in ENGLISH_STOP_WORDS for w in sample) >= 0.25 * max(1, len(sample))
    if asked.lower().split("-")[0].split("_")[0] in _ENGLISH and english:
        return None
    return (
        f"The offline engine quotes the comments as they were written: it cannot write the map "
        f"in {asked}. A language model (LLM_BASE_URL, LLM_MODEL) can."
    )


def disputes_of(thread: Thread, graph: AuthorGraph) -> Disputes:
    """comment id -> (id, author) of each reply by someone else that disputes it."""
    by_id = thread.discussion.by_id()
    out: dict[str, list[tuple[str, str]]] = {}
    for cid, sign in graph.signs.items():
        pid = thread.parent(cid)
        if pid is not None and sign < DISPUTE and by_id[pid].author != by_id[cid].author:
            out.setdefault(pid, []).append((cid, by_id[cid].author))
    return out


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
    disputes = disputes_of(thread, graph)
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
        points = key_arguments(
            rows, max_points=max(1, min(5, round(1 + 6 * share))), disputes=disputes
        )
        if is_others:
            label = OTHERS_LABEL
            stance = "Neutral, undecided or off-topic: the replies place them on no side."
        else:
            label = side_label(chr(ord("A") + n), points, terms[n])
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
        unanswered=unanswered(thread, group, skipped, texts=own, signs=graph.signs),
        side_threads=threads_apart,
        warnings=tuple(warnings),
    )


class OfflineEngine(Engine):
    name = "offline"

    async def analyze(
        self, thread: Thread, *, progress: Progress = no_progress, language: str | None = None
    ) -> Report:
        """Summaries stay in the discussion's own language: every sentence is quoted. A
        `language` it cannot honour gets a warning in the report, not silence."""
        await progress("Finding sides…")
        report = await asyncio.to_thread(analyze_thread, thread)
        note = language_warning(language, thread)
        return replace(report, warnings=(*report.warnings, note)) if note else report
