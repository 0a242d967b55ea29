"""`crosstalk eval links PATH…`: reply links on labelled pastes, per evidence kind and per case.

A labelled paste is a text file (`thread.txt`) with its labels beside it (`thread.gold.json`):

    {"authors": ["Ann", "Bo", …],              # who wrote each comment, in order (segmentation)
     "replies": {"3": [1], "5": [2, 4]},        # 1-based comment -> the comments it answers;
                                                # a comment not listed answers the article
     "cases": {"3": "partial-name"},            # the case a labelled reply stands for (recall)
     "duplicates": {"7": 9},                    # comment -> the twin it is a copy of
     "notes": {…}}                              # free text for the reader; not read

The paste goes through the path of `crosstalk analyze` (read_discussion, build_thread). Scores:

- per evidence kind: of the links made with that evidence, how many point at a comment the
  labels say is answered (comment level), or at one by the author answered (author level);
- per case: of the labelled replies of that case, how many targets were found (any evidence);
- answers to the article: labelled top-level comments that got a link anyway;
- duplicates: pairs found, pairs right (precision 1.0 means no two different comments merged),
  pairs labelled and found (recall).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from bot.core.errors import CrosstalkError, InputError
from bot.core.thread import build_thread
from bot.ingest.reader import read_discussion


@dataclass(frozen=True, slots=True)
class LabelledPaste:
    name: str
    text: str
    authors: tuple[str, ...]
    replies: dict[int, tuple[int, ...]]
    cases: dict[int, str]
    duplicates: dict[int, int]


def _positions(raw: object, where: str) -> dict[int, object]:
    if not isinstance(raw, dict):
        raise InputError(f"{where} must be an object keyed by comment number.")
    try:
        return {int(k): v for k, v in raw.items()}
    except ValueError:
        raise InputError(f"{where}: keys must be comment numbers.") from None


def load_labelled(path: Path) -> LabelledPaste:
    """One labelled paste from its `.gold.json` file (the paste is the `.txt` beside it)."""
    text_path = path.with_name(path.name.removesuffix(".gold.json") + ".txt")
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = text_path.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a labelled paste ({exc}).") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("authors"), list):
        raise InputError(f"{path}: the labels need an `authors` list.")
    replies = {
        k: tuple(int(t) for t in v)
        for k, v in _positions(gold.get("replies", {}), f"{path}: replies").items()
        if isinstance(v, list)
    }
    cases = {k: str(v) for k, v in _positions(gold.get("cases", {}), f"{path}: cases").items()}
    dups = {
        k: int(v)  # type: ignore[call-overload]
        for k, v in _positions(gold.get("duplicates", {}), f"{path}: duplicates").items()
    }
    name = text_path.name
    return LabelledPaste(name, text, tuple(map(str, gold["authors"])), replies, cases, dups)


def discover_labelled(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(p.rglob("*.gold.json"))
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"No such file or folder: {p}")
    return out


@dataclass
class LinkScores:
    pastes: int = 0
    segmented: int = 0
    made: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    right_author: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    found_author: Counter[str] = field(default_factory=Counter)
    top_level: int = 0
    top_level_linked: int = 0
    dup_made: int = 0
    dup_right: int = 0
    dup_same_pair: int = 0
    dup_gold: int = 0
    dup_found: int = 0
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    """Each wrong link and each missed labelled reply, for reading."""


def score(pastes: list[LabelledPaste]) -> LinkScores:
    s = LinkScores()
    for p in pastes:
        s.pastes += 1
        try:
            discussion = read_discussion(p.text.encode("utf-8"), name=p.name)
        except CrosstalkError as exc:
            s.errors.append(f"{p.name}: {exc.message}")
            continue
        authors = tuple(c.author for c in discussion.comments)
        # Align found comments with labelled ones, so one extra or missing comment costs only
        # itself; links to a comment that is not labelled count as wrong.
        matcher = SequenceMatcher(None, p.authors, authors, autojunk=False)
        label = {
            b.b + k + 1: b.a + k + 1 for b in matcher.get_matching_blocks() for k in range(b.size)
        }
        if authors != p.authors:
            s.errors.append(
                f"{p.name}: {len(authors)} comments found, {len(p.authors)} labelled, "
                f"{len(label)} aligned"
            )
        else:
            s.segmented += 1
        thread = build_thread(discussion)
        index = {c.id: label.get(c.index, 0) for c in discussion.comments}
        for c in discussion.comments:
            n = index[c.id]
            if not n:
                continue
            gold = p.replies.get(n, ())
            gold_authors = {p.authors[t - 1] for t in gold}
            links = thread.links.get(c.id, ())
            if not gold:
                s.top_level += 1
                s.top_level_linked += bool(links)
            for link in links:
                t = index[link.target]
                s.made[link.evidence] += 1
                s.right[link.evidence] += t in gold
                s.right_author[link.evidence] += bool(t) and p.authors[t - 1] in gold_authors
                if t not in gold:
                    s.wrong.append(f"{p.name} #{n} -> #{t} ({link.evidence}), labelled {gold}")
            case = p.cases.get(n)
            if case:
                got = {index[link.target] for link in links} - {0}
                for t in gold:
                    s.gold[case] += 1
                    s.found[case] += t in got
                    s.found_author[case] += p.authors[t - 1] in {p.authors[g - 1] for g in got}
                    if t not in got:
                        s.wrong.append(f"{p.name} #{n}: missed #{t} ({case})")
        found = {index[a]: index[b] for a, b in thread.duplicates.items() if index[a]}
        s.dup_made += len(found)
        s.dup_right += sum(1 for a, b in found.items() if p.duplicates.get(a) == b)
        pairs = {frozenset(kv) for kv in p.duplicates.items()}
        s.dup_same_pair += sum(1 for kv in found.items() if frozenset(kv) in pairs)
        s.dup_gold += len(p.duplicates)
        s.dup_found += sum(1 for a, b in p.duplicates.items() if found.get(a) == b)
        s.wrong += [
            f"{p.name}: #{a} marked a copy of #{b}"
            for a, b in found.items()
            if p.duplicates.get(a) != b
        ]
    return s


def _rate(num: int, den: int) -> str:
    return f"{num / den:.2f} ({num}/{den})" if den else "–"


def _table(
    head: tuple[str, str, str], total: Counter[str], right: Counter[str], author: Counter[str]
) -> list[str]:
    """One row a kind: how many, and the share right at comment and at author level."""
    what, many, rate = head
    rows = [f"| {what} | {many} | {rate} (comment) | {rate} (author) |", "|---|---|---|---|"]
    for kind in sorted(total):
        n = total[kind]
        rows.append(f"| {kind} | {n} | {_rate(right[kind], n)} | {_rate(author[kind], n)} |")
    return rows


def format_scores(s: LinkScores, *, show_wrong: bool = False) -> str:
    out = [f"{s.segmented}/{s.pastes} pastes segmented exactly as labelled", ""]
    out += _table(("evidence", "links made", "precision"), s.made, s.right, s.right_author)
    out += ["", *_table(("case", "labelled replies", "recall"), s.gold, s.found, s.found_author)]
    out += [
        "",
        f"Answers to the article linked to a commenter: {s.top_level_linked} of {s.top_level}.",
        f"Duplicates: precision {_rate(s.dup_right, s.dup_made)}, the same pair either way "
        f"{_rate(s.dup_same_pair, s.dup_made)}, recall {_rate(s.dup_found, s.dup_gold)}.",
    ]
    if s.errors:
        out += ["", "Not segmented exactly (scored on the comments aligned):"] + [
            f"- {e}" for e in s.errors
        ]
    if show_wrong and s.wrong:
        out += ["", "Wrong or missed:"] + [f"- {w}" for w in s.wrong]
    return "\n".join(out)
