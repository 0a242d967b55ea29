"""The layers of DESIGN.md: imports point downwards only. Read from the source, not run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).parents[1] / "bot"

# package -> what it must never import (third-party I/O frameworks or higher layers)
FORBIDDEN = {
    "core": (
        "discord",
        "aiohttp",
        "aiosqlite",
        "bot.ingest",
        "bot.engines",
        "bot.llm",
        "bot.render",
        "bot.discord",
        "bot.store",
        "bot.cli",
        "bot.pipeline",
    ),
    "ingest": (
        "discord",
        "bot.engines",
        "bot.llm",
        "bot.render",
        "bot.discord",
        "bot.store",
        "bot.cli",
    ),
    "llm": ("discord", "bot.engines", "bot.render", "bot.discord", "bot.store", "bot.cli"),
    "engines": ("discord", "bot.render", "bot.discord", "bot.store", "bot.cli"),
    "render": ("aiohttp", "bot.discord", "bot.store", "bot.cli", "bot.engines", "bot.llm"),
}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_downwards(package: str) -> None:
    bad = []
    for path in sorted((BOT / package).rglob("*.py")):
        for name in imported(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]):
                bad.append(f"{path.relative_to(BOT.parent)} imports {name}")
    assert bad == []
