"""The service's worker processes: two lanes of the same kind of pool the batch builds with.

- the check lane runs what a clerk waits for — a check and preview after a save (a fraction of a
  second for the largest department), a check while typing, a comparison, a new year;
- the build lane runs the batch's own worker function (batch.build_one) to write a department's
  XLSX and PDF (seconds each), at a lower CPU priority, so a district's builds never slow a
  clerk's preview.

Each lane is bounded: at most `workers` jobs run, and at most `limit` wait; a job that would wait
beyond that is refused at once (`Busy`: the page says the server is busy) instead of queueing
without end — except a save's check (`urgent`), which always waits its turn. Builds wait in a
queue of departments, each at most once: a department saved ten times while a build runs is
built once more, from its latest text. A worker is replaced after a number of jobs (memory
stays flat over weeks) and, if one dies, the pool is made again and the job reported failed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Awaitable, Callable

log = logging.getLogger("budget_builder.service")

TASKS_PER_WORKER = 200


class Busy(Exception):
    """Too many jobs are waiting: try again shortly."""


class WorkerDied(Exception):
    """The worker running the job exited (out of memory, a crash)."""


def _initialise(nice: int) -> None:
    if nice and hasattr(os, "nice"):
        try:
            os.nice(nice)
        except OSError:
            pass


class Lane:
    def __init__(self, name: str, workers: int, limit: int, nice: int = 0) -> None:
        self.name, self.workers, self.limit, self.nice = name, max(1, workers), max(0, limit), nice
        self.waiting = 0
        self.running = 0
        self._slots: asyncio.Semaphore | None = None
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        self._slots = asyncio.Semaphore(self.workers)
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the server has threads, and a forked copy of a locked lock never unlocks
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_initialise, initargs=(self.nice,),
                                   max_tasks_per_child=TASKS_PER_WORKER)

    async def warm(self, fn: Callable) -> None:
        await asyncio.gather(*(self.run(fn, urgent=True) for _ in range(self.workers)))

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @property
    def idle(self) -> bool:
        return self.running == 0 and self.waiting == 0

    async def run(self, fn: Callable, *args, urgent: bool = False):
        assert self._slots is not None, "lane not started"
        if not urgent and self.waiting >= self.limit:
            raise Busy(self.name)
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        try:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self._pool, partial(fn, *args))
            except BrokenProcessPool:
                log.error("%s: a worker died; starting a new pool", self.name)
                old, self._pool = self._pool, self._new_pool()
                if old is not None:
                    old.shutdown(wait=False, cancel_futures=True)
                raise WorkerDied(self.name) from None
        finally:
            self.running -= 1
            self._slots.release()


class BuildQueue:
    """Departments waiting to be built, each at most once, handed to `build` as workers free up."""

    def __init__(self, build: Callable[[str], Awaitable[None]], workers: int, limit: int) -> None:
        self._build, self.workers = build, max(1, workers)
        self._queue: asyncio.Queue[str] = asyncio.Queue(maxsize=limit)
        self.queued: set[str] = set()
        self.running: set[str] = set()
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._worker()) for _ in range(self.workers)]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def want(self, name: str) -> bool:
        """Ask for a build of `name` (its text as it will be when a worker takes it). False when
        the queue is full: the sweep asks again later."""
        if name in self.queued:
            return True
        try:
            self._queue.put_nowait(name)
        except asyncio.QueueFull:
            return False
        self.queued.add(name)
        return True

    def state(self, name: str) -> str | None:
        return "running" if name in self.running else "queued" if name in self.queued else None

    async def _worker(self) -> None:
        while True:
            name = await self._queue.get()
            self.queued.discard(name)
            self.running.add(name)
            try:
                await self._build(name)
            except asyncio.CancelledError:
                raise
            except Exception:       # reported in the log; the department's page shows its last state
                log.exception("build of %s failed", name)
            finally:
                self.running.discard(name)
