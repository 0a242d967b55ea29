"""The offline engine: no model, no network. The embedded default and the fallback."""

from bot.engines.offline.engine import OfflineEngine

__all__ = ["OfflineEngine"]
