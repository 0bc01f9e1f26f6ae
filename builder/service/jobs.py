"""The service's worker processes: two lanes of the same kind of pool the batch builds with.

- the check lane runs what a clerk waits for — a check and preview after a save (a fraction of a
  second for the largest department), a comparison, a new year — and, after those, the checks
  of drafts while typing;
- the build lane runs the batch's own worker function (batch.build_one) to write a department's
  XLSX and PDF (seconds each), at a lower CPU priority, so a district's builds never slow a
  clerk's preview.

Each lane is bounded: at most `workers` jobs run; drafts wait behind urgent jobs, at most
`limit` of them, and one more is refused at once (`Busy`: the editor asks again shortly) instead
of queueing without end; a draft superseded by a newer one of the same page is dropped before it
runs (district.py). Urgent jobs — one per clerk at a time, a save or a page — wait their turn. Builds wait in a
queue of departments, each at most once: a department saved ten times while a build runs is
built once more, from its latest text. A worker is replaced after a number of jobs (memory
stays flat over weeks) and, if one dies, the pool is made again and the job reported failed.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
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


class Superseded(Exception):
    """The job was replaced by a newer one before a worker took it."""


class WorkerDied(Exception):
    """The worker running the job exited (out of memory, a crash)."""


def _initialise(nice: int) -> None:
    if nice and hasattr(os, "nice"):
        try:
            os.nice(nice)
        except OSError:
            pass


URGENT, DRAFT = 0, 1         # a lane's two priorities: what a clerk waits for, then drafts


class Lane:
    """A pool of worker processes taking jobs in order of priority, then of arrival: a save's
    check and a page's data (urgent) go before the checks of drafts while typing. At most `limit`
    drafts wait; one more is refused (Busy) — a draft's check is advice the editor asks for again
    — while urgent jobs always wait their turn."""

    def __init__(self, name: str, workers: int, limit: int, nice: int = 0) -> None:
        self.name, self.workers, self.limit, self.nice = name, max(1, workers), max(0, limit), nice
        self.running = 0
        self._waiters: list[tuple[int, int, asyncio.Future]] = []
        self._arrivals = itertools.count()
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
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
    def waiting(self) -> int:
        return len(self._waiters)

    @property
    def idle(self) -> bool:
        return self.running == 0 and not self._waiters

    async def _acquire(self, priority: int) -> None:
        if self.running < self.workers and not self._waiters:
            self.running += 1
            return
        waiter = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._arrivals), waiter))
        try:
            await waiter                        # the slot is handed over with the result
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()                 # handed a slot as it was cancelled: pass it on
            else:
                self._waiters = [w for w in self._waiters if w[2] is not waiter]
                heapq.heapify(self._waiters)
            raise

    def _release(self) -> None:
        while self._waiters:
            _, _, waiter = heapq.heappop(self._waiters)
            if not waiter.done():
                waiter.set_result(None)         # the slot passes straight to the next job
                return
        self.running -= 1

    async def run(self, fn: Callable, *args, urgent: bool = False, wanted: Callable[[], bool] | None = None):
        """fn(*args) in a worker. `wanted`: asked when a worker is free; False drops the job
        (Superseded) — a draft a newer draft of the same page has replaced."""
        assert self._pool is not None, "lane not started"
        drafts = sum(1 for priority, _, _ in self._waiters if priority == DRAFT)
        if not urgent and drafts >= self.limit:
            raise Busy(self.name)
        await self._acquire(URGENT if urgent else DRAFT)
        try:
            if wanted is not None and not wanted():
                raise Superseded(self.name)
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
            self._release()


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
