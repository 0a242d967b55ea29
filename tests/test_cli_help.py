"""What a newcomer reads first: `--help` and the package metadata."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.cli import main
from bot.eval.render import SHAPES

ROOT = Path(__file__).parents[1]


def help_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    assert done.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_analyze_help_lists_the_accepted_inputs_with_examples(capsys):
    text = help_of(["analyze"], capsys)
    for accepted in (".txt, .md", ".html", ".json", "a link", "standard input"):
        assert accepted in text
    assert "Reddit, Hacker News, Discourse, WordPress, Lemmy, Mastodon" in text  # the registry's
    assert "examples: crosstalk analyze examples/real-estate-agents.txt" in text
    assert "crosstalk analyze - < thread.txt" in text


def test_eval_structure_help_lists_its_shapes(capsys):
    text = help_of(["eval", "structure"], capsys)
    assert ", ".join(SHAPES) in text and "chat-irc" in text


def test_license_is_an_spdx_expression():
    """A license table makes `pip install` warn that it is deprecated (setuptools >= 77)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    assert "setuptools>=77" in pyproject["build-system"]["requires"]
