"""What a reader sees of the key arguments, measured on real licensed threads and generated pastes.

    .venv/bin/python bench/keypoint_quality.py [PATH ...] [--reports FILE]

Without paths: the bundled example, every thread under tests/fixtures that parses as a
discussion, and generated debates (bot.eval.synthetic, 6 seeds) and generated WordPress pastes
(bench/bench_analyze.py's generator, 3 seeds, 300 comments). Per source and in total:
- shared: the share of key arguments made by two commenters or more (issue 11 asks for it
  before and after grouping by meaning);
- labels: the longest side label / key-argument title in words ("Side A: " not counted; target
  at most 8) and how many hold an `@`;
- verbatim: the share of quotes that are an exact sentence of the comment they cite, or what
  follows its `@Name:` marker (target 100 %);
- bad: key arguments whose quote is a question or a line of code or log (target 0);
- cut: key-argument titles that end in "…" (a sentence cut short, not a phrase);
- personal: titles that open with "I", "my", "we"… (a story or an aside, not a position).
`--reports FILE` measures saved reports instead (a JSON list of {"name", "report"}, each report
in the JSON contract), e.g. the same sources analysed by an earlier version of the engine.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.core.contract import report_from_dict
from bot.core.errors import CrosstalkError
from bot.core.model import Discussion, Report
from bot.core.text import sentences
from bot.core.thread import build_thread
from bot.engines.offline.claims import is_question, looks_like_code
from bot.engines.offline.engine import analyze_thread
from bot.engines.offline.keypoints import without_marker
from bot.engines.offline.labels import label_words
from bot.eval.synthetic import debate
from bot.ingest.reader import read_discussion

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_analyze import generate  # noqa: E402

PERSONAL = frozenset(["i", "i'm", "i've", "i'd", "me", "my", "we", "we're", "we've", "our", "us"])


def sources(paths: list[Path]) -> Iterator[tuple[str, Discussion]]:
    if paths:
        for p in paths:
            yield p.name, read_discussion(p.read_bytes(), name=p.name)
        return
    yield "example", read_discussion((ROOT / "examples/real-estate-agents.txt").read_bytes())
    for p in sorted((ROOT / "tests/fixtures").rglob("*")):
        if p.is_file() and p.suffix in {".json", ".md", ".txt", ".html"}:
            try:
                d = read_discussion(p.read_bytes(), name=p.name)
            except CrosstalkError:
                continue
            if len(d.comments) >= 5:
                yield str(p.relative_to(ROOT / "tests/fixtures")), d
    for seed in range(6):
        yield f"generated debate {seed}", debate(60 + 20 * seed, seed=seed)[0]
    for seed in range(3):
        text = generate(300, seed).encode()
        yield f"generated paste {seed}", read_discussion(text, name="paste.txt")


def measure(report: Report) -> dict[str, int]:
    by_id = report.discussion.by_id()
    out = dict(points=0, shared=0, longest=0, at=0, quotes=0, verbatim=0, bad=0, cut=0, mine=0)
    for side in report.sides:
        out["longest"] = max(out["longest"], label_words(side.label) if not side.neutral else 0)
        out["at"] += "@" in side.label
    # a map without sides lists the positions people take: key arguments of the whole thread
    for k in (*(k for side in report.sides for k in side.key_arguments), *report.positions):
        out["points"] += 1
        out["shared"] += len(k.authors) >= 2
        out["longest"] = max(out["longest"], len(k.point.split()))
        out["at"] += "@" in k.point
        out["cut"] += k.point.endswith("…")
        out["mine"] += k.point.split()[0].lower().replace("’", "'") in PERSONAL
        cited = by_id.get(k.quote_comment_id or "")
        if k.quote:
            out["quotes"] += 1
            whole = cited is not None and any(
                k.quote in (s, without_marker(s)) for s in sentences(cited.text)
            )
            out["verbatim"] += whole and k.quote in cited.text
            out["bad"] += is_question(k.quote) or looks_like_code(k.quote)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--reports", type=Path, help="saved reports to measure instead")
    args = parser.parse_args()
    if args.reports:
        saved = json.loads(args.reports.read_text(encoding="utf-8"))
        reports = ((r["name"], report_from_dict(r["report"])) for r in saved)
    else:
        reports = ((n, analyze_thread(build_thread(d))) for n, d in sources(args.paths))
    totals: dict[str, dict[str, int]] = {}
    print(
        f"{'source':<50} {'points':>6} {'shared':>7} {'words':>5} {'@':>2} {'verbatim':>8} "
        f"bad cut personal"
    )
    for name, report in reports:
        m = measure(report)
        for group in ("generated" if name.startswith("generated") else "real threads", "all"):
            total = totals.setdefault(group, {})
            for k, v in m.items():
                total[k] = max(total.get(k, 0), v) if k == "longest" else total.get(k, 0) + v
        print(
            f"{name[:50]:<50} {m['points']:>6} {m['shared'] / max(1, m['points']):>7.0%} "
            f"{m['longest']:>5} {m['at']:>2} {m['verbatim'] / max(1, m['quotes']):>8.0%} "
            f"{m['bad']:>3} {m['cut']:>3} {m['mine']:>8}"
        )
    for group, t in totals.items():
        print(
            f"TOTAL {group}: {t['points']} key arguments, {t['shared']} = "
            f"{t['shared'] / max(1, t['points']):.0%} made by 2+ commenters; longest label "
            f"{t['longest']} words; {t['at']} with @; quotes verbatim "
            f"{t['verbatim'] / max(1, t['quotes']):.0%}; {t['bad']} questions or code; "
            f"titles cut with '…' {t['cut']}, opening with I/my/we {t['mine']}"
        )


if __name__ == "__main__":
    main()
