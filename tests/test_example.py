"""The bundled example (`make demo`) reads as a WordPress paste and prints a readable report."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.ingest.paste import parse_paste

EXAMPLE = Path(__file__).parents[1] / "examples" / "real-estate-agents.txt"


def test_example_parses_as_the_real_thread():
    d = parse_paste(EXAMPLE.read_text(encoding="utf-8"))
    assert d.source == "wordpress"
    assert d.article.title == "Has the Internet killed real estate agents yet?"
    assert d.article.author == "Daniel Lemire"
    assert len(d.comments) == 118
    assert d.comments[0].author == "Chris Nahr"
    assert not any(line.strip() == "Reply" for c in d.comments for line in c.text.splitlines())


def test_demo_prints_a_report(capsys: pytest.CaptureFixture[str]):
    assert main(["analyze", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Has the Internet killed real estate agents yet?")
    assert "118 comments" in out and "## Who responded to whom" in out
