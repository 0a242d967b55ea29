"""The offline engine: sides, key arguments, summaries and unanswered arguments, no model.

Everything is extractive (sentences are taken verbatim, never written) and deterministic: the
same Thread always gives the same Report. The work is CPU-bound and runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from bot.core.model import KeyArgument, Report, Side, SideThread, Thread
from bot.core.text import words
from bot.engines.base import Engine, Progress, no_progress
from bot.engines.offline.confidence import Verdict, judge
from bot.engines.offline.graph import AuthorGraph, build_graph, own_texts
from bot.engines.offline.keypoints import Disputes, key_arguments
from bot.engines.offline.labels import side_label
from bot.engines.offline.sides import Camps, find_camps
from bot.engines.offline.sidethreads import side_threads
from bot.engines.offline.stance import stance_line
from bot.engines.offline.summary import distinctive_terms, headline, side_summary
from bot.engines.offline.unanswered import unanswered

OTHERS_LABEL = "Others"
DISPUTE = 0.0
"""A reply whose sign is below this disputes what it answers: never counted as making the
point it answers (key arguments)."""
MAX_SIDES = 2
"""The camps are two opposing blocs: the evaluation scores two blocs, and a third or fourth
camp found by splitting again merged back into them on labelled debates (the same strict
score, 0.667 on the ten, with 2 or 4 camps)."""
POSITIONS = 6
"""Positions listed when the map shows no sides."""
Row = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class FoundSides:
    """What the engine decided about sides, before any text is written."""

    graph: AuthorGraph
    camps: Camps
    side_threads: tuple[SideThread, ...]
    skipped: frozenset[str]
    """Comment ids left out of the sides: side threads, duplicates, deleted comments."""
    verdict: Verdict

    @property
    def confidence(self) -> float:
        return self.verdict.confidence

    @property
    def shown(self) -> bool:
        return self.verdict.shown


def find_sides(thread: Thread) -> FoundSides:
    """The camps of a thread, merged into two opposing blocs, and whether they are shown
    (pure, deterministic)."""
    d = thread.discussion
    threads_apart = side_threads(thread, own_texts(thread))
    apart = frozenset(cid for s in threads_apart for cid in s.comment_ids)
    graph = build_graph(thread, skip=apart)
    skipped = apart | set(thread.duplicates) | {c.id for c in d.comments if c.deleted}
    active = {c.author for c in d.comments if c.id not in skipped}
    camps = find_camps(
        graph, exclude=frozenset(a for a in d.authors if a not in active), max_camps=MAX_SIDES
    )
    # Those seen only in side threads are named there, not listed among the undecided.
    camps = replace(camps, others=tuple(a for a in camps.others if a in active))
    texts = [graph.own_text[c.id] for c in d.comments if c.id not in skipped]
    return FoundSides(
        graph=graph,
        camps=camps,
        side_threads=threads_apart,
        skipped=frozenset(skipped),
        verdict=judge(graph, camps, texts),
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


def _rows(thread: Thread, found: FoundSides, authors: set[str], noise: bool) -> list[Row]:
    """(comment id, author, own text) of the comments of `authors`, skipped ones left out
    (with `noise`, only duplicates and deleted ones: side threads kept)."""
    apart = {cid for s in found.side_threads for cid in s.comment_ids}
    leave = found.skipped - apart if noise else found.skipped
    own = found.graph.own_text
    return [
        (c.id, c.author, own[c.id])
        for c in thread.discussion.comments
        if c.author in authors and c.id not in leave
    ]


def _sides(thread: Thread, found: FoundSides, disputes: Disputes) -> tuple[list[Side], list[str]]:
    """The two opposing sides and Others, with their key arguments and stance lines."""
    camps = found.camps
    groups = [*camps.camps, camps.others]
    side_of = {a: n for n, members in enumerate(camps.camps) for a in members}
    # Camps speak through their on-topic comments; others also through their side threads.
    per_group = [
        _rows(thread, found, set(members), noise=n == len(camps.camps))
        for n, members in enumerate(groups)
    ]
    terms = distinctive_terms([" ".join(t for _i, _a, t in rows) for rows in per_group], n=8)
    total = max(1, sum(len(rows) for rows in per_group))
    names = [f"Side {chr(ord('A') + n)}" for n in range(len(camps.camps))]
    sides: list[Side] = []
    warnings: list[str] = []
    for n, members in enumerate(groups):
        rows = per_group[n]
        is_others = n == len(camps.camps)
        if not members or (is_others and not rows):
            continue
        share = len(rows) / total
        points = key_arguments(
            rows,
            max_points=max(1, min(5, round(1 + 6 * share))),
            disputes=disputes,
            topic=thread.discussion.article.title or "",
        )
        if is_others:
            label = OTHERS_LABEL
            stance = "Neutral, undecided or off-topic: the replies place them on no side."
        else:
            label = side_label(chr(ord("A") + n), points, terms[n])
            stance = stance_line(n, set(members), thread, found.graph, side_of, names)
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
    return sides, warnings


def analyze_thread(thread: Thread) -> Report:
    """Thread -> Report (pure, deterministic, CPU-bound). Sides only when `find_sides` shows
    them; otherwise the positions people take, and the one line that says why."""
    d = thread.discussion
    found = find_sides(thread)
    disputes = disputes_of(thread, found.graph)
    sides: list[Side] = []
    warnings: list[str] = []
    positions: tuple[KeyArgument, ...] = ()
    side_of: dict[str, int] = {}
    if found.shown:
        sides, warnings = _sides(thread, found, disputes)
        side_of = {a: n for n, members in enumerate(found.camps.camps) for a in members}
    else:
        rows = _rows(thread, found, set(d.authors), noise=False)
        positions = key_arguments(
            rows, max_points=POSITIONS, disputes=disputes, topic=d.article.title or ""
        )
    graph = found.graph
    return Report(
        engine="offline",
        thread=thread,
        headline=headline(d.article.text),
        sides=tuple(sides),
        unanswered=unanswered(
            thread, side_of, set(found.skipped), texts=graph.own_text, signs=graph.signs
        ),
        side_threads=found.side_threads,
        warnings=tuple(warnings),
        sides_confidence=found.confidence,
        sides_note=found.verdict.note,
        positions=positions,
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
