"""Read Internet Argument Corpus v1 (4forums) discussions with author stance labels.

The IAC has no licence, so nothing of it lives in this repository: these readers take the
path of a local copy laid out as `discussions/<id>.json`, `ranges_quotes/<id>.json` and
`author_stance.csv`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion

LABELS = ("pro", "anti", "other")


@dataclass(frozen=True, slots=True)
class LabelledDiscussion:
    id: str
    topic: str
    discussion: Discussion
    stance: dict[str, str]
    """author -> majority label: the label with most annotator votes, ties broken in the
    order pro, anti, other."""


def _quote_targets(path: Path) -> dict[int, int]:
    """post id -> id of the first post it quotes (from the quoted spans)."""
    if not path.exists():
        return {}
    out: dict[int, int] = {}
    for post_id, (_start, _end, info) in json.loads(path.read_text(encoding="utf-8")):
        target = info.get("quote_id") if isinstance(info, dict) else None
        if isinstance(target, int):
            out.setdefault(post_id, target)
    return out


def read_stances(path: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """discussion id -> (topic, author -> majority label)."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            votes = [int(row[label]) for label in LABELS]
            label = LABELS[votes.index(max(votes))]
            _topic, authors = out.setdefault(row["discussion_id"], (row["topic"], {}))
            authors[row["author"]] = label
    return out


def read_discussion(root: Path, discussion_id: str) -> Discussion:
    """One IAC discussion as a Discussion. The opening post is the article and also the first
    comment (its author takes part); a post's parent is the post it quotes when the quote
    spans name one, else the parent the forum recorded."""
    posts, _annotations, meta = json.loads(
        (root / "discussions" / f"{discussion_id}.json").read_text(encoding="utf-8")
    )
    quotes = _quote_targets(root / "ranges_quotes" / f"{discussion_id}.json")
    posts = sorted(posts, key=lambda p: (p[7] or 0, p[0]))
    comments: list[Comment] = []
    seen: set[int] = set()
    for n, (post_id, _side, author, text, _info, parent, _cat, _ts) in enumerate(posts, start=1):
        target = quotes.get(post_id)
        if target not in seen:
            target = parent if parent in seen else None
        comments.append(
            Comment(
                id=str(post_id),
                index=n,
                author=author,
                text=text,
                parent_id=str(target) if target is not None else None,
            )
        )
        seen.add(post_id)
    first = posts[0]
    title = (first[4] or {}).get("post_info", {}).get("post_title") or meta.get("title")
    article = Article(title=title, author=first[2], url=meta.get("url"), text=first[3])
    return Discussion(article=article, comments=tuple(comments), source="iac")


def read_corpus(root: Path) -> list[LabelledDiscussion]:
    """Every discussion under `root` that has author stance labels, in id order."""
    stance_file = root / "author_stance.csv"
    folder = root / "discussions"
    if not stance_file.exists() or not folder.is_dir():
        raise InputError(
            f"{root} does not look like IAC v1 4forums data: expected author_stance.csv and "
            "a discussions/ folder."
        )
    stances = read_stances(stance_file)
    out = []
    for path in sorted(folder.glob("*.json"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        if path.stem not in stances:
            continue
        topic, labels = stances[path.stem]
        out.append(LabelledDiscussion(path.stem, topic, read_discussion(root, path.stem), labels))
    return out
