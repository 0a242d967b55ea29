"""Worker processes for the CPU-heavy steps of summaries (reading an input, the offline
analysis, rendering), so that the bot's own process keeps its event loop, and the GIL, for the
gateway and the acknowledgements.

One `AnalysisPool` per bot, made at the edge and injected (tests share one between bots). The
processes are started with `spawn` (the bot has threads and a running loop: forking it is not
safe) and import the heavy modules as they start, not inside a member's first summary.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

WARM_MODULES = ("bot.work.steps", "bot.engines.offline", "bot.render.embeds", "bot.render.graph")


NICENESS = 5
"""The analysis processes yield the CPU to the bot's own process: on a machine with as many busy
analysis processes as cores, the gateway and the acknowledgements still run at once."""


PARENT_CHECK = 1.0
"""Seconds between an analysis process's checks that the bot is still there."""


def _watch_parent(parent: int) -> None:
    """End this process once the one that started it is gone (killed, crashed): an idle
    analysis process would otherwise wait for work forever, holding its memory."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def _start_child(modules: tuple[str, ...]) -> None:
    # Ctrl-C reaches the whole process group: the bot shuts the pool down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(NICENESS)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    for name in modules:
        importlib.import_module(name)


def _ready() -> bool:
    return True


class AnalysisPool:
    """`processes` worker processes; `await pool.run(fn, *args)` runs `fn` (a module-level
    function of picklable arguments) in one of them. A process that dies (killed, out of
    memory) fails the steps it was running and the pool is started afresh for the next ones."""

    def __init__(self, processes: int, *, modules: tuple[str, ...] = WARM_MODULES) -> None:
        """`modules`: imported by each process as it starts."""
        if processes < 1:
            raise ValueError("processes must be positive")
        self.processes = processes
        self.modules = modules
        self._executor: ProcessPoolExecutor | None = None
        self._warming: list[Future[bool]] = []

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_child,
            initargs=(self.modules,),
        )

    def start(self) -> None:
        """Start the processes now (each imports the analysis modules) without waiting."""
        if self._executor is None:
            self._executor = self._new_executor()
            self._warming = [self._executor.submit(_ready) for _ in range(self.processes)]

    async def ready(self) -> None:
        """Wait until every process has started and imported its modules."""
        self.start()
        await asyncio.gather(*(asyncio.wrap_future(f) for f in self._warming))

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        self.start()
        executor = self._executor
        assert executor is not None
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(executor, functools.partial(fn, *args, **kwargs))
        except BrokenProcessPool:
            if self._executor is executor:
                log.error("an analysis process died; starting the pool afresh")
                self._executor = None
                executor.shutdown(wait=False, cancel_futures=True)
            raise

    async def close(self) -> None:
        """Stop the processes once the steps they are running are done (a step is seconds of
        CPU at most: model calls do not run here)."""
        await asyncio.to_thread(self.shutdown)

    def shutdown(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
