"""Token counting works with no network and no cache; budgets are safe for the context."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.errors import ConfigError
from bot.llm.tokens import FRAMING, MARGIN, Budget, answer_room, count_tokens, truncate_tokens

NO_NETWORK = """
import socket
def refuse(*a, **k):
    raise OSError("network disabled for this test")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
"""


def _run(code: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", NO_NETWORK + code], capture_output=True, text=True, env=env
    )


def test_counting_needs_no_network(tmp_path: Path) -> None:
    cache = tmp_path / "empty-cache"
    cache.mkdir()
    ok = _run("from bot.llm.tokens import count_tokens; print(count_tokens('hello world'))", cache)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "2"
    # The same sandbox does stop a download: the check above is not vacuous.
    online = _run("import tiktoken; tiktoken.get_encoding('cl100k_base')", cache)
    assert online.returncode != 0


def test_counts_match_cl100k_ids() -> None:
    assert count_tokens("") == 0
    assert count_tokens("hello world") == 2
    assert count_tokens("<|endoftext|> is plain text here") > 1


def test_truncate_keeps_a_prefix_within_the_limit() -> None:
    text = "one two three four five six seven"
    cut = truncate_tokens(text, 3)
    assert text.startswith(cut) and count_tokens(cut) <= 3
    assert truncate_tokens(text, 100) == text


@pytest.mark.parametrize("context", [2048, 4096, 8192, 32768, 128000])
def test_budget_leaves_room_for_prompt_and_answer(context: int) -> None:
    b = Budget.for_context(context, overhead=900)
    assert b.data > 0
    assert b.data + b.overhead + b.answer < context
    # A prompt that the server's tokenizer counts MARGIN times higher, with the chat template's
    # framing, still fits with the reserved answer.
    assert MARGIN * (b.data + b.overhead + FRAMING) + b.answer <= context
    # The answer room left after a full prompt is at least the reserved answer.
    assert answer_room(context, b.data + b.overhead) >= b.answer


def test_answer_room_keeps_the_margin() -> None:
    assert answer_room(8192, 6000) == 8192 - math.ceil(MARGIN * (6000 + FRAMING))
    assert MARGIN >= 1.1  # covers the measured tekken ratio (1.09-1.10), see docs/llm.md


def test_too_small_context_names_the_setting() -> None:
    with pytest.raises(ConfigError, match="LLM_CONTEXT_TOKENS"):
        Budget.for_context(1024, overhead=500)
    with pytest.raises(ConfigError, match="LLM_CONTEXT_TOKENS"):
        Budget.for_context(2048, overhead=1500)
