"""The links a reader sees without a marker, on real threads: marked by reading.

    .venv/bin/python bench/links_marks.py bench/marks/as_written.json PATH...

Each real thread under PATH (Reddit JSON, lemire WordPress pages, IAC discussions: see
`crosstalk eval structure`) is pasted as written (`wp-as-written`: no marker added) and read
back; every link made with one of issue 12's evidence kinds (partial-name, argument-name,
third-person, lost-marker) is looked up in the marks file, which says, per link, what a reader
of the paste makes of it:

    {"<file> #<comment> -> #<target> <evidence>": {"reader": "right" | "wrong", "note": "…"}}

"right" means the comment does answer, or is about the views of, the author of the target
(author level: which of that author's comments is often a matter of opinion). The platform's
own parent is printed next to it: on IAC it is often someone else, because forum posts answer
one person while naming another. Links made but not marked are listed, so a change in the rules
shows up instead of passing silently. Comment numbers are positions in the paste (1-based).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from bot.core.thread import build_thread
from bot.eval.gold import discover, load_path
from bot.eval.render import SHAPES
from bot.ingest.reader import read_discussion

KINDS = ("partial-name", "argument-name", "third-person", "lost-marker")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("marks", type=Path)
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    marks = json.loads(args.marks.read_text(encoding="utf-8"))
    made: Counter[str] = Counter()
    right: Counter[str] = Counter()
    platform: Counter[str] = Counter()
    unmarked: list[str] = []
    for path in discover(args.paths):
        gold = load_path(path)
        if not gold.comments:
            continue
        pasted = SHAPES["wp-as-written"](gold)
        discussion = read_discussion(pasted.text.encode(), name="paste.txt")
        thread = build_thread(discussion)
        pos = {c.id: n for n, c in enumerate(discussion.comments)}
        aligned = len(discussion.comments) == len(pasted.expected)
        for n, c in enumerate(discussion.comments):
            for link in thread.links.get(c.id, ()):
                if link.evidence not in KINDS:
                    continue
                t = pos[link.target]
                key = f"{path.name} #{n + 1} -> #{t + 1} {link.evidence}"
                made[link.evidence] += 1
                platform[link.evidence] += aligned and pasted.expected[n].parent == t
                mark = marks.get(key)
                if mark is None:
                    unmarked.append(f"{key} ({c.author} -> {discussion.comments[t].author})")
                else:
                    right[link.evidence] += mark["reader"] == "right"
    print("| evidence | links | right by reading | the platform's parent |")
    print("|---|---|---|---|")
    for kind in KINDS:
        if made[kind]:
            print(
                f"| {kind} | {made[kind]} | {right[kind]}/{made[kind]} | "
                f"{platform[kind]}/{made[kind]} |"
            )
    if unmarked:
        print("\nNot marked yet (read them and add a mark):")
        print("\n".join(f"- {u}" for u in unmarked))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
