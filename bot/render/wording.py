"""Words the map uses for the rules behind it, the same in Markdown and on Discord."""

from __future__ import annotations

from bot.core.model import Report


def unanswered_rule(report: Report) -> str:
    """What "unanswered" means on this map (bot.engines.offline.unanswered defines it): no one from
    another side answered; without sides, no one else did."""
    sided = sum(1 for s in report.sides if not s.neutral) >= 2
    return "no one from another side answered" if sided else "no one else answered"
