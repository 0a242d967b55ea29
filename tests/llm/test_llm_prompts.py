"""Prompt files: declared variables, loud failures, packaged where an install finds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.llm.prompts import PromptError, load_prompt, parse_prompt, prompt_names

ROOT = Path(__file__).resolve().parents[2]


def test_every_prompt_file_loads_and_declares_what_it_uses() -> None:
    names = prompt_names()
    assert set(names) == {"map", "merge", "reduce", "answer"}
    for name in names:
        prompt = load_prompt(name)
        assert "nonce" in prompt.variables
        assert prompt.system and prompt.user


def test_top_level_prompts_folder_is_the_packaged_one() -> None:
    edit_here = ROOT / "prompts"
    assert edit_here.resolve() == (ROOT / "bot" / "prompts").resolve()
    assert {p.stem for p in edit_here.glob("*.md")} == set(prompt_names())


def test_render_fails_on_missing_or_undeclared_variables() -> None:
    prompt = parse_prompt("t", "---\nvariables: a, b\n---\n[system]\nS {{a}}\n[user]\nU {{ b }}\n")
    messages = prompt.render(a="1", b="{{a}}")
    assert [m.content for m in messages] == ["S 1", "U {{a}}"]  # values are not re-expanded
    with pytest.raises(PromptError, match="missing variables \\['b'\\]"):
        prompt.render(a="1")
    with pytest.raises(PromptError, match="undeclared \\['c'\\]"):
        prompt.render(a="1", b="2", c="3")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[system]\nx\n[user]\ny", "header"),
        ("---\nvariables: a\n---\n[system]\n{{a}} {{b}}\n[user]\ny", "undeclared variables"),
        ("---\nvariables: a, z\n---\n[system]\n{{a}}\n[user]\ny", "unused variables"),
        ("---\nvariables:\n---\n[system]\nonly system", "one \\[system\\] and one \\[user\\]"),
    ],
)
def test_malformed_templates_fail_loudly(text: str, message: str) -> None:
    with pytest.raises(PromptError, match=message):
        parse_prompt("bad", text)


def test_unknown_prompt_name() -> None:
    with pytest.raises(PromptError, match="no prompt named"):
        load_prompt("nope")


def test_instructions_say_comment_text_is_data() -> None:
    for name in prompt_names():
        system = load_prompt(name).system.lower()
        assert "data" in system and "instruction" in system, name
