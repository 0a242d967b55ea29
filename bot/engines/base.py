"""The analysis engine contract: a Thread in, a Report out; a follow-up question in, an Answer
out; and what the engine can say about itself (its health, its context window).

The offline engine and the LLM engine are the two implementations; tests use the real offline
engine or an LLM engine pointed at a local fake server, never a patched one. Callers hold an
`Engine` and never need to know which one it is.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.model import Report, Thread

if TYPE_CHECKING:
    from bot.engines.answer import Answer

Progress = Callable[[str], Awaitable[None]]
"""Receives short user-facing status lines ("Finding sides…") while work goes on."""


async def no_progress(_message: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class ContextWindow:
    """The context window a model-backed engine plans with, and where that figure comes from."""

    model: str
    planned: int
    """Tokens the engine plans each request with: at most `configured`."""
    configured: int
    """LLM_CONTEXT_TOKENS."""
    served: int | None = None
    """The window the model server's listing states for `model`, when it states one."""


@dataclass(frozen=True, slots=True)
class EngineStatus:
    health: str
    """One line for the status card: "offline engine: ready", "<model> at <url>: reachable"."""
    ok: bool
    context: ContextWindow | None = None
    """None for an engine without a model."""


class Engine(ABC):
    name: str = "engine"

    @abstractmethod
    async def analyze(
        self, thread: Thread, *, progress: Progress = no_progress, language: str | None = None
    ) -> Report:
        """Fill headline, sides, key arguments, summaries and unanswered arguments.

        `language` asks for summaries in that language (None = the discussion's own).
        CPU-heavy work must run off the event loop.
        """

    async def answer(self, report: Report, question: str) -> Answer:
        """Answer a follow-up question from the discussion behind `report`. Without a model:
        the best-matching comments, quoted with their number and author."""
        from bot.engines.answer import answer_question

        return await answer_question(report, question)

    async def status(self) -> EngineStatus:
        """Whether the engine can work now (a model-backed one asks its server)."""
        return EngineStatus(f"{self.name} engine: ready", ok=True)

    @property
    def context_window(self) -> ContextWindow | None:
        """The window the engine plans with now (no I/O); None without a model."""
        return None
