"""Run every benchmark and evaluation that needs nothing beyond this repository, then those
over ../shared/data when it is there. `make bench` calls this; each script prints its own
figures (see the docstring at the top of each for what it measures and its targets).

    .venv/bin/python bench/run_all.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# (title, argv after the interpreter); scripts missing from this checkout are skipped aloud.
SELF_CONTAINED = [
    ("analyze: 10,000-comment paste (issue 2)", ["bench/bench_analyze.py"]),
    ("offline engine: 10,000 comments (issue 3)", ["bench/bench_offline.py"]),
    (
        "LLM engine: tokens sent and wall time against a fake server (issue 4)",
        ["bench/bench_llm.py"],
    ),
    (
        "LLM engine: a model whose every answer runs to max_tokens (issue 16)",
        ["bench/bench_runaway.py"],
    ),
    ("rendering, graph picture, store (issue 6)", ["bench/render_store.py"]),
    ("Discord: deferral latency under load (issue 6)", ["bench/bench_discord.py"]),
    (
        "reply links no marker states, labelled pastes: development set (issue 12)",
        ["-m", "bot", "eval", "links", "tests/fixtures/replies/dev"],
    ),
    (
        "reply links no marker states, labelled pastes: held out (issue 12)",
        ["-m", "bot", "eval", "links", "tests/fixtures/replies/heldout"],
    ),
    (
        "reply links no marker states, labelled pastes: second held-out set (issue 12)",
        ["-m", "bot", "eval", "links", "tests/fixtures/replies/heldout2"],
    ),
]


def with_shared(shared: Path) -> list[tuple[str, list[str]]]:
    iac = shared / "labeled" / "iac_v1_fourforums"
    return [
        (
            "reply structure from pastes of real threads (issue 2)",
            [
                "-m",
                "bot",
                "eval",
                "structure",
                str(shared / "reddit"),
                str(shared / "wordpress"),
                str(iac / "discussions"),
            ],
        ),
        (
            "platform parsers against the real trees (issue 5)",
            [
                "bench/links_structure.py",
                str(shared / "hackernews"),
                str(shared / "discourse"),
                str(shared / "reddit"),
                str(shared / "wordpress"),
            ],
        ),
        (
            "reply links no marker states on real threads, marked by reading (issue 12)",
            [
                "bench/links_marks.py",
                "bench/marks/as_written.json",
                str(shared / "reddit"),
                str(shared / "wordpress"),
                str(iac / "discussions"),
            ],
        ),
        ("sides on IAC debates (issue 3)", ["-m", "bot", "eval", "sides", str(iac)]),
        (
            "key points on IBM ArgKP (issue 3)",
            ["-m", "bot", "eval", "keypoints", str(shared / "labeled" / "ibm_argkp")],
        ),
    ]


def run(title: str, argv: list[str]) -> bool:
    script = argv[0]
    if script.endswith(".py") and not (ROOT / script).exists():
        print(f"\n## {title}\n(skipped: {script} is not in this checkout)")
        return True
    print(f"\n## {title}\n$ python {' '.join(argv)}", flush=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *argv], cwd=ROOT, check=False)
    print(f"(exit {done.returncode}, {time.perf_counter() - start:.1f} s)", flush=True)
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    jobs = list(SELF_CONTAINED)
    if args.shared.is_dir():
        jobs += with_shared(args.shared)
    else:
        print(f"({args.shared} not found: the evaluations over shared data are skipped)")
    failed = [title for title, argv in jobs if not run(title, argv)]
    if failed:
        print("\nfailed: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
