"""The LLM engine: grounded per-side summaries from any OpenAI-compatible model."""

from bot.engines.llm.engine import LLMEngine

__all__ = ["LLMEngine"]
