"""The map phase of one analysis: each part of the discussion read by the model, or why not.

Every part is asked for at once (the client's LLM_CONCURRENCY bounds what is in flight). An
answer may not be longer than RUNAWAY_FACTOR times the room its longest answer needs. When an
answer is cut at max_tokens:
- if the context window bounded max_tokens, the part is read again in two halves, once; a half
  cut again is a runaway. The first part halved in the analysis tells whether halving helps
  this model: parts cut meanwhile wait for it, and are not halved when it did not help;
- otherwise (cut at the cap, or the answer repeats itself) the model ran on: a runaway.
A part the server refuses as longer than its window is read in halves, down to single comments
(a refusal costs no generation). Once RUNAWAY_STOP parts ran on, and more ran on than were
read, the model is stopped: calls in flight are cancelled and no part is asked for again. So a
model whose every answer runs on costs about RUNAWAY_STOP + LLM_CONCURRENCY calls, and any
model at most three calls per part (a part and its two halves) plus the window refusals.
Parts not read go to the fallback engine (the caller), each kind named in one warning.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable
from typing import Any, TypeVar

from bot.core.model import Comment, Discussion
from bot.engines.llm import digest as dg
from bot.engines.llm.grounding import GroundingCounts
from bot.engines.llm.packing import Chunk
from bot.engines.llm.parts import RUNAWAY_FACTOR, Failed, split_chunk, truncation
from bot.llm.provider import AnswerTruncated, ContextFull, LLMError
from bot.llm.tokens import MARGIN, answer_room, count_tokens

log = logging.getLogger(__name__)
T = TypeVar("T")

Reading = dg.Digest | Failed
Ask = Callable[..., Coroutine[Any, Any, Any]]
"""`ask(name, cap, **values)`: the model's validated answer to prompt `name`."""

MAP_ARGUMENTS = 6
MAP_ARGUMENTS_MAX = 12
"""Arguments one map call may name (the prompt says so): room for MAP_ARGUMENTS is reserved
when packing; a chunk whose prompt leaves more room may name up to MAP_ARGUMENTS_MAX (a short
discussion read in one or two calls)."""
MAP_ANSWER_FIXED = 100
MAP_ANSWER_PER_ARGUMENT = 80
"""Room a map answer takes apart from comment numbers, measured on maximal answers (4 stance
labels of 8 words; arguments with a 15-word point, a 20-word quote, its number and author):
81 and 76 tokens with the usual `, ` and `: ` separators. Each comment number then costs the
tokens of `, N` once (the prompt asks for each number once). tests/engines/llm checks these."""
RUNAWAY_STOP = 3
"""Parts that ran on before the model may be stopped (when more ran on than were read)."""


def map_answer_tokens(numbers: Iterable[int], arguments: int = MAP_ARGUMENTS) -> int:
    """Room a map answer naming up to `arguments` arguments over the comments numbered
    `numbers` needs."""
    per_comment = sum(count_tokens(f", {n}") for n in numbers)
    return MAP_ANSWER_FIXED + arguments * MAP_ANSWER_PER_ARGUMENT + per_comment


def number_cost(comment: Comment) -> float:
    """What a comment's number in the map answer costs, in prompt tokens of the packing budget
    (the budget is prompt room; the answer's share of the window is not scaled by MARGIN)."""
    return count_tokens(f", {comment.index}") / MARGIN


class _Stopped(Exception):
    pass


class Gate:
    """At most `size` holders at once; waiters enter by priority (lower first), then in turn.
    Halves go before parts not yet read, so what a cut answer teaches comes early."""

    def __init__(self, size: int) -> None:
        self.free = size
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._turn = itertools.count()

    @contextlib.asynccontextmanager
    async def slot(self, priority: int) -> AsyncIterator[None]:
        if self.free > 0 and not self._queue:
            self.free -= 1
        else:
            entry = asyncio.get_running_loop().create_future()
            heapq.heappush(self._queue, (priority, next(self._turn), entry))
            try:
                await entry
            except asyncio.CancelledError:
                if entry.done() and not entry.cancelled():  # handed a slot as it was cancelled
                    self._release()
                raise
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        while self._queue:
            entry = heapq.heappop(self._queue)[2]
            if not entry.done():  # a cancelled waiter left its entry behind
                entry.set_result(None)
                return
        self.free += 1


class Reader:
    """Reads the parts of one discussion (see the module docstring)."""

    def __init__(
        self,
        ask: Ask,
        discussion: Discussion,
        counts: GroundingCounts,
        *,
        values: dict[str, str],
        prompt_tokens: int,
        context: int,
        concurrency: int,
    ) -> None:
        self.ask = ask
        self.gate = Gate(concurrency)
        self.d = discussion
        self.counts = counts
        self.values = values
        """The map prompt's values other than the comments and max_arguments."""
        self.prompt_tokens = prompt_tokens
        """The map prompt without its comments: its fixed part, the title and language."""
        self.context = context
        self.order = {c.id: c.index for c in discussion.comments}
        self.calls = 0
        self.cut_calls = 0
        """Map calls answered (not cancelled), and how many answers were cut at max_tokens."""
        self.ran_on = 0
        self.read_ok = 0
        self.parts_done = 0
        """Parts of read_all finished (read, or failed)."""
        self.halving: asyncio.Future[bool] | None = None
        """Whether reading a cut part in halves helped (set by the first part halved)."""
        self.stop = asyncio.Event()
        self.stop_reason = ""
        """Why the model was stopped, for the report ("3 of its answers ran on …")."""

    def halt(self, reason: str) -> None:
        """Cancel the calls in flight and ask for nothing more."""
        if not self.stop.is_set():
            self.stop_reason = reason
            self.stop.set()

    async def read_all(
        self, chunks: list[Chunk], *, done: Callable[[], Awaitable[None]] | None = None
    ) -> list[tuple[Chunk, Reading]]:
        """Every part read (or not); `done` is awaited each time a part is finished."""

        async def part(chunk: Chunk) -> list[tuple[Chunk, Reading]]:
            found = await self.read(chunk)
            self.parts_done += 1
            if done is not None:
                await done()
            return found

        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(part(c)) for c in chunks]
        return [p for t in tasks for p in t.result()]

    async def read(
        self, chunk: Chunk, *, half: bool = False, halved: bool = False
    ) -> list[tuple[Chunk, Reading]]:
        """The part's Digest or why it failed, or those of its halves (`half`: this part is
        half of another; `halved`: of one whose answer was cut)."""
        numbers = [self.order[i] for i in chunk.comment_ids]
        arguments = await asyncio.to_thread(self.arguments_for, chunk)
        cap = RUNAWAY_FACTOR * map_answer_tokens(numbers, arguments)
        try:
            async with self.gate.slot(0 if half else 1):
                answer = await self._unless_stopped(
                    self.ask(
                        "map", cap, comments=chunk.text, max_arguments=str(arguments), **self.values
                    )
                )
        except _Stopped:
            return [(chunk, Failed("stopped"))]
        except ContextFull:
            if len(chunk.comment_ids) < 2:
                return [(chunk, self._note(Failed("cut")))]
            return await self._halves(chunk, halved=halved)
        except AnswerTruncated as exc:
            self.cut_calls += 1
            failed = truncation(exc, cap)
            if failed.kind == "runaway" or halved:
                return [(chunk, self._note(Failed("runaway")))]
            if len(chunk.comment_ids) < 2:
                return [(chunk, self._note(failed))]
            return await self.halve(chunk)
        except LLMError as exc:
            log.warning("map call failed: %s", exc)
            return [(chunk, Failed("error"))]
        digest, counts = await asyncio.to_thread(dg.from_map, answer, chunk.comment_ids, self.d)
        self.counts.add(counts)
        return [(chunk, self._note(digest))]

    async def _unless_stopped(self, call: Coroutine[Any, Any, T]) -> T:
        """The call's result, or _Stopped when the model is stopped first (the call is then
        cancelled, which closes its connection: a server stops generating)."""
        if self.stop.is_set():
            call.close()
            raise _Stopped
        task = asyncio.ensure_future(call)
        halt = asyncio.ensure_future(self.stop.wait())
        try:
            await asyncio.wait((task, halt), return_when=asyncio.FIRST_COMPLETED)
        finally:
            halt.cancel()
            if not task.done():
                task.cancel()
        if task.done() and not task.cancelled():
            self.calls += 1
            return task.result()
        raise _Stopped

    def _note(self, reading: Reading) -> Reading:
        """Count a part read or run on; stop the model when it runs on more than it reads."""
        if isinstance(reading, dg.Digest):
            self.read_ok += 1
        elif reading.kind == "runaway":
            self.ran_on += 1
            if self.ran_on >= RUNAWAY_STOP and self.ran_on > self.read_ok:
                self.halt(f"{self.ran_on} of its answers ran on without ending")
        return reading

    async def halve(self, chunk: Chunk) -> list[tuple[Chunk, Reading]]:
        """A part whose answer the window cut, read in two halves if halving helps this model
        (the first part halved in the analysis finds out; the others wait for it)."""
        if self.halving is not None:
            if not await asyncio.shield(self.halving):
                return [(chunk, self._note(Failed("runaway")))]
            return await self._halves(chunk, halved=True)
        self.halving = asyncio.get_running_loop().create_future()
        found: list[tuple[Chunk, Reading]] = []
        try:
            found = await self._halves(chunk, halved=True)
        finally:  # also when cancelled: nobody waits for ever
            cut = [r for _c, r in found if isinstance(r, Failed) and r.kind != "error"]
            self.halving.set_result(bool(found) and not cut)
        return found

    async def _halves(self, chunk: Chunk, *, halved: bool) -> list[tuple[Chunk, Reading]]:
        halves = await asyncio.to_thread(split_chunk, chunk)
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(self.read(h, half=True, halved=halved)) for h in halves]
        return [p for t in tasks for p in t.result()]

    def arguments_for(self, chunk: Chunk) -> int:
        """How many arguments this chunk's answer has room for (MAP_ARGUMENTS at least: the
        packing reserved that much)."""
        room = answer_room(self.context, self.prompt_tokens + chunk.tokens) - 32  # nonce etc.
        numbers = [self.order[i] for i in chunk.comment_ids]
        spare = room - map_answer_tokens(numbers)
        extra = max(0, spare // MAP_ANSWER_PER_ARGUMENT)
        return min(MAP_ARGUMENTS_MAX, MAP_ARGUMENTS + extra)
