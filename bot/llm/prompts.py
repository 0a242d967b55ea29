"""Prompt templates: files with declared variables, validated when loaded and when filled.

A template is a Markdown file in `bot/prompts/` (the top-level `prompts/` is a link to it:
edit there). It starts with a header declaring its variables, then a `[system]` and a `[user]`
section; `{{name}}` marks where a variable goes:

    ---
    variables: language, comments
    ---
    [system]
    ...
    [user]
    ...{{comments}}...

Loading fails if the text uses a variable the header does not declare, or declares one it never
uses; filling fails if a declared variable is missing or an undeclared one is given. Values are
inserted as they are, once, so text inside a value is never read as a placeholder.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.llm.provider import Message


def nonce(text: str) -> str:
    """A delimiter tag the data cannot contain: a hash of the data itself."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_HEADER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


class PromptError(Exception):
    """A template is malformed or was filled wrongly: a bug in the code or the file."""


@dataclass(frozen=True, slots=True)
class Prompt:
    name: str
    variables: frozenset[str]
    system: str
    user: str

    def render(self, **values: str) -> list[Message]:
        given = set(values)
        if given != self.variables:
            missing = sorted(self.variables - given)
            extra = sorted(given - self.variables)
            raise PromptError(
                f"prompt {self.name!r}: missing variables {missing}, undeclared {extra}"
            )

        def fill(text: str) -> str:
            return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)

        return [Message("system", fill(self.system)), Message("user", fill(self.user))]


def parse_prompt(name: str, text: str) -> Prompt:
    header = _HEADER.match(text)
    if header is None:
        raise PromptError(f"prompt {name!r}: no '---' header declaring its variables")
    declared: set[str] = set()
    for line in header.group(1).splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "variables":
            declared = {v.strip() for v in value.split(",") if v.strip()}
    body = text[header.end() :]
    parts = re.split(r"^\[(system|user)\]\s*$", body, flags=re.M)
    sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    if set(sections) != {"system", "user"}:
        raise PromptError(f"prompt {name!r}: needs one [system] and one [user] section")
    used = set(_PLACEHOLDER.findall(sections["system"] + sections["user"]))
    if used - declared:
        raise PromptError(f"prompt {name!r}: uses undeclared variables {sorted(used - declared)}")
    if declared - used:
        raise PromptError(f"prompt {name!r}: declares unused variables {sorted(declared - used)}")
    return Prompt(name, frozenset(declared), sections["system"], sections["user"])


def prompt_names() -> list[str]:
    folder = resources.files("bot.prompts")
    return sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".md"))


@cache
def load_prompt(name: str) -> Prompt:
    """The template `name` (e.g. "map"), from the installed package's data."""
    path = resources.files("bot.prompts").joinpath(f"{name}.md")
    if not path.is_file():
        raise PromptError(f"no prompt named {name!r} (have: {', '.join(prompt_names())})")
    return parse_prompt(name, path.read_text(encoding="utf-8"))
