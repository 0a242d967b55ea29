"""LLMEngine: map (chunks of whole reply chains -> grounded Digests, in parallel), merge
(hierarchically, while the Digests exceed the reduce budget), reduce (sides, key arguments,
headline), assemble (structure from the core Thread). Each comment's text is sent once.

Any part the model fails (HTTP failure after retries, invalid twice) is done by the fallback
engine instead, and the report says so in its warnings: the user always gets a result.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from bot.config import LLM_CONTEXT_TOKENS, LLM_DEADLINE_SECONDS
from bot.core.errors import ConfigError
from bot.core.model import Discussion, Report, Thread
from bot.core.thread import build_thread
from bot.engines.base import ContextWindow, Engine, EngineStatus, Progress, no_progress
from bot.engines.llm import digest as dg
from bot.engines.llm import schemas
from bot.engines.llm.assemble import assemble
from bot.engines.llm.grounding import GroundingCounts
from bot.engines.llm.health import server_health
from bot.engines.llm.packing import Chunk, pack
from bot.engines.llm.parts import Failed, failure_warnings
from bot.engines.llm.reading import Reader, map_answer_tokens, number_cost
from bot.engines.llm.sizing import Sizer, Tally
from bot.engines.llm.status import Status, spent
from bot.llm.prompts import load_prompt, nonce
from bot.llm.provider import ChatModel, LLMError
from bot.llm.structured import StructuredChat
from bot.llm.tokens import Budget, count_tokens, truncate_tokens

if TYPE_CHECKING:
    from bot.engines.answer import Answer
    from bot.llm.client import ServerCheck

log = logging.getLogger(__name__)

MAX_MERGE_ROUNDS = 6
MAP_SHARE = 0.75
"""Of LLM_DEADLINE_SECONDS, the time the model may spend reading parts; the rest is left for
merging and writing the summary."""
_SCHEMAS = {"map": schemas.MAP, "merge": schemas.MERGE, "reduce": schemas.REDUCE}


def overhead(name: str) -> int:
    """Tokens of prompt `name` with empty data, each nonce counted at its worst (one token per
    hex digit), plus its JSON Schema as sent in `response_format` (more than the compact copy
    the prompt carries without json_schema)."""
    prompt = load_prompt(name)

    def text(tag: str) -> str:
        values = {v: "" for v in prompt.variables} | {"nonce": tag, "max_arguments": "99"}
        return "".join(m.content for m in prompt.render(**{k: values[k] for k in prompt.variables}))

    nonces = (len(text("x" * 12)) - len(text(""))) // 12
    schema = {"name": name, "schema": _SCHEMAS[name], "strict": True}
    fmt = {"type": "json_schema", "json_schema": schema}
    return count_tokens(text("")) + 12 * nonces + count_tokens(json.dumps(fmt))


def language_phrase(language: str | None) -> str:
    return language or "the language most of the comments are written in"


class LLMEngine(Engine):
    def __init__(
        self,
        model: ChatModel,
        *,
        context_tokens: int = LLM_CONTEXT_TOKENS,
        fallback: Engine | None = None,
        language: str | None = None,
        deadline: float | None = LLM_DEADLINE_SECONDS,
    ) -> None:
        if fallback is None:
            from bot.engines.offline import OfflineEngine

            fallback = OfflineEngine()
        self.chat = StructuredChat(model, context_tokens=context_tokens)
        self.model = model
        self.name = f"llm:{model.model_id}"
        self.fallback = fallback
        self.language = language
        self.deadline = deadline
        """Seconds an analysis may take (LLM_DEADLINE_SECONDS; None: no limit). The model
        reads parts for at most MAP_SHARE of it; the offline engine does the parts not read
        by then, and the whole report if the summary is not written by the deadline."""
        self.configured = context_tokens
        """LLM_CONTEXT_TOKENS; `context` is what the engine plans with (at most this)."""
        self._overheads = {n: overhead(n) for n in _SCHEMAS}
        self.map_overhead = self._overheads["map"]
        self._plan(context_tokens)
        self._server_context = asyncio.Lock()
        self._server_context_learnt = False
        self._unreported: str | None = None
        """The warning about the server's window, until a report carries it."""

    def _plan(self, context_tokens: int) -> None:
        """Budgets for a context window of `context_tokens` (ConfigError if too small)."""
        budgets = {
            n: Budget.for_context(context_tokens, overhead=self._overheads[n]) for n in _SCHEMAS
        }
        # Map: the answer's fixed part is reserved here; its part per comment is charged to
        # each comment when packing, so a chunk's data, prompt and answer always fit.
        budgets["map"] = Budget.for_context(
            context_tokens, overhead=self.map_overhead, answer=map_answer_tokens(())
        )
        self.budgets = budgets
        self.context = context_tokens
        self.chat.context_tokens = context_tokens

    async def learn_context(self, known: ServerCheck | None = None) -> None:
        """Once per engine (several analyses may start at once): ask the model server
        (`GET /models`) for the model's context window and plan with min(LLM_CONTEXT_TOKENS,
        that). When that lowers it, the next report says so. A server that lists no window,
        or fails to list, changes nothing. `known`: the server's listing when the caller
        already has it (the status card), so it is not asked twice."""
        if self._server_context_learnt:
            return
        async with self._server_context:
            if self._server_context_learnt:  # another call learnt it while this one waited
                return
            list_models = getattr(self.model, "list_models", None)
            check = known
            if check is None and callable(list_models):
                check = await list_models()
            self._server_context_learnt = True
            contexts = getattr(check, "contexts", None)
            model = self.model.model_id
            served = contexts.get(model) if isinstance(contexts, Mapping) else None
            if not isinstance(served, int) or served >= self.configured:
                return
            try:
                self._plan(served)
            except ConfigError:
                log.warning("the server's context window for %s (%d) is too small", model, served)
                self._unreported = (
                    f"The model server allows {model} only {served:,} tokens of context, too "
                    f"few for the LLM engine: it kept LLM_CONTEXT_TOKENS ({self.configured:,}), "
                    "so the server may refuse its requests."
                )
                return
            log.info("planning with the server's context window for %s: %d", model, served)
            self._unreported = (
                f"The model server allows {model} only {served:,} tokens of context: "
                f"LLM_CONTEXT_TOKENS ({self.configured:,}) is lowered to that."
            )

    async def analyze(
        self, thread: Thread, *, progress: Progress = no_progress, language: str | None = None
    ) -> Report:
        await self.learn_context()
        run = _Run(self, thread, language_phrase(language or self.language), progress)
        if self._unreported is not None:  # the first report after the window was lowered
            run.warnings.append(self._unreported)
            self._unreported = None
        async with run.status.ticking():
            return await run.go()

    async def answer(self, report: Report, question: str) -> Answer:
        """Answered by the model with the engine's own chat (its client, so LLM_CONCURRENCY
        bounds answers too, and the window it plans with, learnt first if it has not been)."""
        from bot.engines.answer import answer_question

        await self.learn_context()
        return await answer_question(report, question, chat=self.chat)

    async def status(self) -> EngineStatus:
        """Asks the model server for its models (`GET /models`); the engine learns the
        server's context window from that answer if it has not yet."""
        model = self.model.model_id
        list_models = getattr(self.model, "list_models", None)
        if not callable(list_models):  # a model that cannot be asked (a test fake)
            return EngineStatus(f"{model}: ready", ok=True, context=self.context_window)
        check = await list_models()
        where = f"{model} at {getattr(self.model, 'base_url', '?')}"
        health, ok = server_health(where, model, check)
        await self.learn_context(check)
        window = replace(self.context_window, served=check.contexts.get(model))
        return EngineStatus(health, ok=ok, context=window)

    @property
    def context_window(self) -> ContextWindow:
        return ContextWindow(self.model.model_id, planned=self.context, configured=self.configured)


class _Run:
    """One analysis: its warnings and grounding counts live here, not on the engine."""

    def __init__(self, engine: LLMEngine, thread: Thread, language: str, progress: Progress):
        self.e = engine
        self.thread = thread
        self.d = thread.discussion
        self.language = language
        self.status = Status(progress)
        self.counts = GroundingCounts()
        self.warnings: list[str] = []
        self.order = {c.id: c.index for c in self.d.comments}
        self.authors = {c.id: c.author for c in self.d.comments}
        self.sizer = Sizer(self.authors)
        self.title = truncate_tokens(" ".join((self.d.article.title or "(untitled)").split()), 40)
        self.title_tokens = count_tokens(self.title)  # at most 40
        self.started = asyncio.get_running_loop().time()

    async def ask(self, name: str, cap: int | None = None, **values: str) -> Any:
        """The model's answer to prompt `name`, in at most `cap` tokens (merge and reduce:
        their reserved share); StructuredChat cuts that to what the context window leaves."""
        messages = load_prompt(name).render(nonce=nonce("".join(values.values())), **values)
        cap = self.e.budgets[name].answer if cap is None else cap
        return await self.e.chat.ask(messages, name=name, schema=_SCHEMAS[name], max_tokens=cap)

    async def go(self) -> Report:
        budget = self.e.budgets["map"].data - count_tokens(self.title + self.language)
        chunks, notes = await asyncio.to_thread(
            partial(pack, answer_cost=number_cost), self.thread, budget
        )
        self.warnings += notes
        if not chunks:
            return await self.fallback_whole("the discussion has no comment text to analyse")
        reading = f"Reading {len(self.d.comments)} comments"
        await self.status(f"{reading} in {len(chunks)} parts…")
        reader = Reader(
            self.ask,
            self.d,
            self.counts,
            values={"language": self.language, "title": self.title},
            prompt_tokens=self.e.map_overhead + count_tokens(self.title + self.language),
            context=self.e.context,
            concurrency=self.e.model.concurrency,
        )
        loop = asyncio.get_running_loop()
        deadline = self.e.deadline
        stop = None
        if deadline is not None:
            stop = loop.call_at(
                self.started + MAP_SHARE * deadline,
                reader.halt,
                f"the analysis had run {spent(MAP_SHARE * deadline)} of its {spent(deadline)} "
                "deadline, LLM_DEADLINE_SECONDS",
            )

        async def read_one() -> None:
            await self.status(f"{reading}: {reader.parts_done} of {len(chunks)} parts read…")

        try:
            parts = await reader.read_all(chunks, done=read_one)
        finally:
            if stop is not None:
                stop.cancel()
        failed = [(c, r) for c, r in parts if isinstance(r, Failed)]
        self.warnings += failure_warnings(
            failed,
            self.d.by_id(),
            fallback=self.e.fallback.name,
            calls=reader.calls,
            cut_calls=reader.cut_calls,
            stop_reason=reader.stop_reason,
        )
        if len(failed) == len(parts):
            return await self.fallback_whole("the model could not read any part of the discussion")
        digests = []
        for chunk, result in parts:
            digests.append(
                result if isinstance(result, dg.Digest) else await self.offline_part(chunk)
            )
        until = None if deadline is None else self.started + deadline
        try:
            async with asyncio.timeout_at(until):
                return await self.summary(digests)
        except TimeoutError:
            reason = (
                f"the model had not written the summary when the analysis reached its "
                f"{spent(deadline or 0)} deadline (LLM_DEADLINE_SECONDS)"
            )
        except LLMError as exc:
            reason = f"the model failed to write the summary ({exc})"
        return await self.fallback_whole(reason)

    async def summary(self, digests: list[dg.Digest]) -> Report:
        """Merge the parts' Digests as needed, then the reduce call: the report (LLMError
        when the model fails the summary)."""
        digest = await self.reduce_to_fit(digests)
        await self.status("Writing the summary…")
        article = self.d.article.text.strip()
        b = self.e.budgets["reduce"]
        if article:  # an article may be long: counted off the event loop
            article = await asyncio.to_thread(truncate_tokens, article, b.data // 3)
        else:
            article = "(no article text)"
        answer = await self.ask(
            "reduce",
            language=self.language,
            title=self.title,
            article=article,
            digest=dg.render(digest, self.authors),
        )
        headline, sides, unanswered = await asyncio.to_thread(
            assemble, answer, digest, self.thread, self.counts
        )
        if not sides:
            raise LLMError("the model named no side that holds any comment")
        return Report(
            engine=self.e.name,
            thread=self.thread,
            headline=headline,
            sides=sides,
            unanswered=unanswered,
            warnings=tuple(self.warnings + self.counts.warnings()),
        )

    async def offline_part(self, chunk: Chunk) -> dg.Digest:
        """The fallback engine reads this chunk alone; its sides become the chunk's Digest."""
        by_id = self.d.by_id()
        inside = set(chunk.comment_ids)
        comments = tuple(
            replace(by_id[i], parent_id=p if (p := self.thread.parent(i)) in inside else None)
            for i in chunk.comment_ids
        )
        part = Discussion(article=self.d.article, comments=comments, source=self.d.source)
        report = await self.e.fallback.analyze(await asyncio.to_thread(build_thread, part))
        return dg.from_report(report)

    async def reduce_to_fit(self, digests: list[dg.Digest]) -> dg.Digest:
        """Merge Digests with the model until they fit the reduce budget. The planning (sizes,
        batches, cuts) counts tokens, so it runs off the event loop."""
        room = self.e.budgets["reduce"].data * 2 // 3 - self.title_tokens
        merge_room = self.e.budgets["merge"].data

        async def size(digests: list[dg.Digest]) -> int:
            return await asyncio.to_thread(self.sizer.size, digests)

        rounds = 0
        while (total := await size(digests)) > room:
            rounds += 1
            if rounds > MAX_MERGE_ROUNDS:
                return await asyncio.to_thread(self.squeeze, dg.combine(digests), room)
            await self.status(f"Merging {len(digests)} partial analyses…")
            batches = await asyncio.to_thread(self.batches, digests, merge_room)
            async with asyncio.TaskGroup() as tg:
                tasks = [tg.create_task(self.merge(b)) for b in batches]
            digests = [t.result() for t in tasks]
            if await size(digests) >= total * 0.9:  # no progress: cut the least common arguments
                cap = max(room // len(digests), 64)
                digests = await asyncio.to_thread(self.squeeze_all, digests, cap)
        return dg.combine(digests)

    def batches(self, digests: list[dg.Digest], room: int) -> list[list[dg.Digest]]:
        """Digests in order, each cut to `room`, into batches whose rendering fits `room`:
        a running total per batch, so each Digest is counted where it is tried, not again
        with every later one."""
        batches: list[list[dg.Digest]] = [[]]
        tally = Tally(self.sizer)
        for one in digests:
            one = self.squeeze(one, room)
            part = tally.part(one)
            if batches[-1] and tally.tokens_with(part) > room:
                batches.append([])
                tally = Tally(self.sizer)
                part = tally.part(one)
            batches[-1].append(one)
            tally.add(part)
        return batches

    async def merge(self, batch: list[dg.Digest]) -> dg.Digest:
        combined = dg.combine(batch)
        try:
            answer = await self.ask(
                "merge", language=self.language, digest=dg.render(combined, self.authors)
            )
        except LLMError as exc:
            log.warning("merge call failed: %s", exc)
            self.warnings.append(
                "The model failed to merge some partial analyses; the least common arguments "
                "of that part were left out."
            )
            return dg.shrink(combined, max(1, len(combined.arguments) // 2))
        merged, counts = dg.from_merge(answer, combined, self.order)
        self.counts.add(counts)
        return merged

    def squeeze_all(self, digests: list[dg.Digest], room: int) -> list[dg.Digest]:
        return [self.squeeze(x, room) for x in digests]

    def squeeze(self, digest: dg.Digest, room: int) -> dg.Digest:
        """Drop the least common arguments (then stance groups) until the Digest fits."""
        while self.sizer.size([digest]) > room:
            if digest.arguments:
                digest = dg.shrink(digest, len(digest.arguments) * 3 // 4)
            elif len(digest.stances) > 1:
                digest = dg.Digest(digest.stances[: len(digest.stances) * 3 // 4])
            else:
                break
        return digest

    async def fallback_whole(self, reason: str) -> Report:
        await self.status("Finishing without the model…")
        report = await self.e.fallback.analyze(self.thread)
        note = f"The {self.e.fallback.name} engine wrote this report: {reason}."
        return replace(
            report, warnings=(*self.warnings, *self.counts.warnings(), note, *report.warnings)
        )
