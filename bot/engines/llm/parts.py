"""The parts of a discussion the model could not read, and what the report says about them.

A map call's answer cut at max_tokens is either a model that had too little room (the context
window bounded max_tokens: the part is read again in two halves, once) or a model that does not
stop (its answer repeats itself, or it was cut at RUNAWAY_FACTOR times the room the longest
answer needs, or a half of the part was cut again): that part goes to the fallback engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.core.model import Comment
from bot.engines.llm.packing import Chunk
from bot.llm.provider import AnswerTruncated
from bot.llm.runaway import repeats
from bot.llm.tokens import count_tokens

RUNAWAY_FACTOR = 2
"""A map call's max_tokens is at most this many times the room its longest answer needs
(reading.map_answer_tokens, measured on maximal answers in cl100k tokens). The slack covers a
model that pretty-prints its JSON (1.45 times as many tokens) in a tokenizer that splits digits
(1.3 times: Mistral's), so an answer cut there was running on, not short of room."""
MAX_RUNS_NAMED = 8


@dataclass(frozen=True, slots=True)
class Failed:
    """Why the model gave no usable reading of a part."""

    kind: Literal["error", "cut", "runaway", "stopped"]
    """error: the server failed or the answer was invalid twice; cut: the answer was cut by
    the context window (worth reading in halves); runaway: the model did not stop (its answer
    repeated itself, was cut at the output cap, or a half was cut again); stopped: the model
    was stopped before it read the part (see reading.Reader.halt)."""


def truncation(exc: AnswerTruncated, cap: int) -> Failed:
    """An answer cut at max_tokens: `cut` when the context window bounded it, else
    `runaway`."""
    if repeats(exc.text) or (exc.max_tokens is not None and exc.max_tokens >= cap):
        return Failed("runaway")
    return Failed("cut")


def split_chunk(chunk: Chunk) -> tuple[Chunk, Chunk]:
    """Two halves of a chunk, each comment whole (one line per comment)."""
    lines = chunk.text.split("\n")
    half = len(chunk.comment_ids) // 2
    a, b = lines[:half], lines[half:]
    return (
        Chunk(chunk.comment_ids[:half], "\n".join(a), sum(count_tokens(x + "\n") for x in a)),
        Chunk(chunk.comment_ids[half:], "\n".join(b), sum(count_tokens(x + "\n") for x in b)),
    )


def name_comments(chunks: Sequence[Chunk], by_id: Mapping[str, Comment]) -> str:
    """The comments of `chunks` as runs of numbers: "#3, #21–#23 and #27–#40" (the first
    MAX_RUNS_NAMED runs, then how many comments more)."""
    numbers = sorted({by_id[i].index for c in chunks for i in c.comment_ids})
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    spans = [f"#{r[0]}" if len(r) == 1 else f"#{r[0]}–#{r[-1]}" for r in runs]
    if len(spans) > MAX_RUNS_NAMED:
        more = sum(len(r) for r in runs[MAX_RUNS_NAMED:])
        spans = [*spans[:MAX_RUNS_NAMED], f"{more} more"]
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]


def failure_warnings(
    failed: Sequence[tuple[Chunk, Failed]],
    by_id: Mapping[str, Comment],
    *,
    fallback: str,
    calls: int,
    cut_calls: int,
    stop_reason: str = "",
) -> list[str]:
    """One warning per kind of failure, naming the comments; `calls` map calls were made, of
    which `cut_calls` were cut at max_tokens; `stop_reason` says why the model was stopped."""
    out = []
    for kind in ("error", "cut", "runaway", "stopped"):
        chunks = [c for c, f in failed if f.kind == kind]
        if not chunks:
            continue
        comments = name_comments(chunks, by_id)
        which = "that part" if len(chunks) == 1 else "those parts"
        instead = f"the {fallback} engine analysed {which} instead"
        cut = f"{cut_calls} of {calls} reading calls were cut at their length limit"
        if kind == "error":
            out.append(f"The model failed on comments {comments}; {instead}.")
        elif kind == "stopped":
            out.append(
                f"The model was stopped before it read comments {comments} ({stop_reason}); "
                f"{instead}."
            )
        else:
            what = "did not fit the context window" if kind == "cut" else "ran on without ending"
            out.append(f"The model's answers on comments {comments} {what} ({cut}); {instead}.")
    return out
