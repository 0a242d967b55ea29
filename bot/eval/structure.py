"""How well a paste's structure is recovered: segmentation and reply targets, per paste shape.

For every gold thread and every shape of `bot.eval.render`, the paste goes through the same
path as `crosstalk analyze` (read_discussion, then build_thread), and is compared with the gold:

- segmented: the paste gave exactly the gold comments (count, and each author and body);
- author-level: the predicted parent's author is the gold parent's author (top level = None);
- comment-level: the predicted parent is the gold parent;
- link precision: of the links made, how many point at the gold parent (all, and those with
  confidence >= 0.8: a confident link must be right);
- baseline: "every comment replies to the one before", scored the same way.
Reply scores count every gold comment found exactly (aligned in order, so one extra or missing
comment costs only itself); top-level ones are right when left top level.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from bot.core.errors import CrosstalkError
from bot.core.thread import build_thread
from bot.eval.gold import GoldThread
from bot.eval.render import SHAPES, Rendered
from bot.ingest.reader import read_discussion


@dataclass
class Score:
    threads: int = 0
    segmented: int = 0
    comments: int = 0
    comments_matched: int = 0
    scored: int = 0
    author_ok: int = 0
    comment_ok: int = 0
    base_author_ok: int = 0
    base_comment_ok: int = 0
    replies: int = 0
    reply_comment_ok: int = 0
    linked: int = 0
    linked_ok: int = 0
    sure: int = 0
    sure_ok: int = 0
    errors: list[str] = field(default_factory=list)
    misses: Counter[str] = field(default_factory=Counter)
    """Comments whose predicted parent is not the gold one, by the evidence of the link made
    and what the gold says ("quote -> gold: top level")."""
    evidence: Counter[str] = field(default_factory=Counter)
    evidence_ok: Counter[str] = field(default_factory=Counter)
    evidence_author_ok: Counter[str] = field(default_factory=Counter)
    """Best links made, by evidence: how many, how many point at the gold parent, how many at
    a comment by the gold parent's author."""

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            if name == "errors":
                self.errors += other.errors
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def rate(self, num: str, den: str = "scored") -> float:
        d = getattr(self, den)
        return getattr(self, num) / d if d else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "threads": self.threads,
            "segmented_threads": self.segmented,
            "comments": self.comments,
            "comments_matched": self.comments_matched,
            "author_level": round(self.rate("author_ok"), 4),
            "comment_level": round(self.rate("comment_ok"), 4),
            "reply_recall": round(self.rate("reply_comment_ok", "replies"), 4),
            "link_precision": round(self.rate("linked_ok", "linked"), 4),
            "sure_link_precision": round(self.rate("sure_ok", "sure"), 4),
            "baseline_author_level": round(self.rate("base_author_ok"), 4),
            "baseline_comment_level": round(self.rate("base_comment_ok"), 4),
            "errors": self.errors,
            "misses": dict(self.misses),
            "by_evidence": {
                k: {
                    "links": n,
                    "comment_level": self.evidence_ok[k],
                    "author_level": self.evidence_author_ok[k],
                }
                for k, n in sorted(self.evidence.items())
            },
        }


def score_paste(rendered: Rendered, label: str = "") -> Score:
    gold = rendered.expected
    s = Score(threads=1, comments=len(gold))
    try:
        discussion = read_discussion(rendered.text.encode("utf-8"), name="paste.txt")
    except CrosstalkError as exc:
        s.errors.append(f"{label}: {exc.message}")
        return s
    got = discussion.comments
    keys = [(c.author, " ".join(c.text.split())) for c in got]
    gold_keys = [(g.author, g.text) for g in gold]
    # Align found comments with gold ones, so one extra or missing comment costs only itself.
    matcher = SequenceMatcher(None, gold_keys, keys, autojunk=False)
    to_got: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            to_got[block.a + k] = block.b + k
    to_gold = {v: k for k, v in to_got.items()}
    s.comments_matched = len(to_got)
    if len(got) == len(gold) == len(to_got):
        s.segmented = 1
    else:
        s.errors.append(
            f"{label}: {len(got)} comments found, {len(gold)} expected, {len(to_got)} exact"
        )
    thread = build_thread(discussion)
    pos = {c.id: i for i, c in enumerate(got)}
    for i, g in enumerate(gold):
        if i not in to_got:
            continue
        s.scored += 1
        links = thread.links.get(got[to_got[i]].id, ())
        p = links[0].target if links else None
        pred = to_gold.get(pos[p], -1) if p is not None else None  # -1: a comment not in gold
        base = i - 1 if i > 0 else None
        gold_author = gold[g.parent].author if g.parent is not None else None
        pred_author = gold[pred].author if pred is not None and pred >= 0 else None
        s.comment_ok += pred == g.parent
        s.author_ok += pred != -1 and pred_author == gold_author
        s.base_comment_ok += base == g.parent
        s.base_author_ok += (gold[base].author if base is not None else None) == gold_author
        if pred != g.parent:
            kind = "top level" if g.parent is None else "a reply"
            s.misses[f"{links[0].evidence if links else 'no link'} -> gold: {kind}"] += 1
        if g.parent is not None:
            s.replies += 1
            s.reply_comment_ok += pred == g.parent
        if links:
            s.linked += 1
            s.linked_ok += pred == g.parent
            s.evidence[links[0].evidence] += 1
            s.evidence_ok[links[0].evidence] += pred == g.parent
            s.evidence_author_ok[links[0].evidence] += pred != -1 and pred_author == gold_author
            if links[0].confidence >= 0.8:
                s.sure += 1
                s.sure_ok += pred == g.parent
    return s


def evaluate(
    threads: Iterable[GoldThread], shapes: Iterable[str] = SHAPES
) -> dict[tuple[str, str], Score]:
    """Scores keyed by (corpus, shape), plus ("all", shape) over every corpus."""
    shapes = list(shapes)
    out: dict[tuple[str, str], Score] = {}
    for thread in threads:
        for shape in shapes:
            s = score_paste(SHAPES[shape](thread), f"{thread.name} [{shape}]")
            out.setdefault((thread.corpus, shape), Score()).add(s)
            out.setdefault(("all", shape), Score()).add(s)
    return out


def format_evidence(scores: dict[tuple[str, str], Score]) -> str:
    """Per shape over every corpus: the links made by each evidence kind, and how many point at
    the gold parent (comment level) or at its author (author level)."""
    rows = [
        "| shape | evidence | links | comment-level precision | author-level precision |",
        "|---|---|---|---|---|",
    ]
    for (corpus, shape), s in sorted(scores.items()):
        if corpus != "all":
            continue
        for kind, n in sorted(s.evidence.items()):
            rows.append(
                f"| {shape} | {kind} | {n} | {s.evidence_ok[kind] / n:.1%} | "
                f"{s.evidence_author_ok[kind] / n:.1%} |"
            )
    return "\n".join(rows)


def _pct(s: Score, num: str, den: str) -> str:
    return f"{s.rate(num, den):.1%}" if getattr(s, den) else "–"


def format_table(scores: dict[tuple[str, str], Score]) -> str:
    head = (
        "| corpus | shape | threads segmented | comments matched | author-level | comment-level "
        "| reply recall | link precision (conf ≥ 0.8) | baseline author | baseline comment |"
    )
    rows = [head, "|" + "---|" * 10]
    for (corpus, shape), s in sorted(scores.items(), key=lambda kv: (kv[0][0] == "all", kv[0])):
        rows.append(
            f"| {corpus} | {shape} | {s.segmented}/{s.threads} | {s.comments_matched}/"
            f"{s.comments} | {s.rate('author_ok'):.1%} | {s.rate('comment_ok'):.1%} | "
            f"{s.rate('reply_comment_ok', 'replies'):.1%} | {_pct(s, 'linked_ok', 'linked')} "
            f"({_pct(s, 'sure_ok', 'sure')}) | {s.rate('base_author_ok'):.1%} | "
            f"{s.rate('base_comment_ok'):.1%} |"
        )
    return "\n".join(rows)
