"""The layers of DESIGN.md: imports point downwards only. Read from the source, not run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).parents[1] / "bot"

CONCRETE_ENGINES = ("bot.engines.offline", "bot.engines.llm", "bot.engines.answer", "bot.llm")
"""Above bot/engines, callers hold an `Engine` (bot.engines.base) and get it from
bot.engines.select: what engine it is, and its model client, stay inside."""

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
    "eval": ("discord", "bot.discord", "bot.store"),
    "store.py": ("discord", "aiohttp", "bot.discord", "bot.cli", "bot.engines", "bot.llm"),
    "pipeline.py": ("discord", "bot.discord", "bot.store", "bot.cli"),
    "config.py": (
        "discord",
        "aiohttp",
        "bot.discord",
        "bot.ingest",
        "bot.engines",
        "bot.llm",
        "bot.render",
        "bot.store",
        "bot.cli",
    ),
    "database.py": ("discord", "aiohttp", "bot.discord", "bot.cli", "bot.engines", "bot.llm"),
    "schema.py": ("discord", "aiohttp", "bot.discord", "bot.cli", "bot.engines", "bot.llm"),
    "work": ("discord", "bot.discord", "bot.store", "bot.cli", *CONCRETE_ENGINES),
    "cli.py": ("discord", *CONCRETE_ENGINES),  # the adapter is loaded by `crosstalk run`
    "discord": CONCRETE_ENGINES,
}


def imported(path: Path) -> set[str]:
    """Absolute names of every module `path` imports, relative imports resolved."""
    package = list(path.relative_to(BOT.parent).with_suffix("").parts)[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(module)
            if node.level and not node.module:  # `from . import x`: x is a module
                names |= {f"{module}.{a.name}" for a in node.names}
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_downwards(package: str) -> None:
    bad = []
    target = BOT / package
    for path in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
        for name in imported(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]):
                bad.append(f"{path.relative_to(BOT.parent)} imports {name}")
    assert bad == []


def test_ingest_takes_a_fetch_policy_not_the_settings() -> None:
    """bot/ingest reads defaults from bot.config, never the whole Settings."""
    bad = []
    for path in sorted((BOT / "ingest").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "bot.config":
                names = {a.name for a in node.names}
                if "Settings" in names or "load_settings" in names:
                    bad.append(f"{path.relative_to(BOT.parent)} imports {sorted(names)}")
    assert bad == []
