"""The worker lanes: a clerk's save goes before drafts, drafts beyond the bound are refused, a
draft replaced by a newer one is dropped, a dead worker is replaced, builds wait once each."""

import asyncio
import os
import time

import pytest

from builder.service.jobs import BuildQueue, Busy, Lane, Superseded, WorkerDied


def nap(seconds: float, tag: str) -> str:
    time.sleep(seconds)
    return tag


def die() -> None:
    os._exit(3)


def run(coroutine):
    return asyncio.run(coroutine)


def test_urgent_jobs_go_before_waiting_drafts_and_drafts_beyond_the_bound_are_refused():
    async def scenario():
        lane = Lane("check", workers=1, limit=2)
        lane.start()
        try:
            order = []

            async def job(tag, urgent):
                order.append(await lane.run(nap, 0.2, tag, urgent=urgent))
            first = asyncio.create_task(job("first", False))
            await asyncio.sleep(0.05)
            drafts = [asyncio.create_task(job(f"draft{n}", False)) for n in (1, 2)]
            await asyncio.sleep(0.05)
            with pytest.raises(Busy):
                await lane.run(nap, 0, "one too many")
            save = asyncio.create_task(job("save", True))
            await asyncio.gather(first, save, *drafts)
            return order
        finally:
            lane.stop()
    assert run(scenario()) == ["first", "save", "draft1", "draft2"]


def test_a_draft_no_longer_wanted_is_dropped_before_it_runs():
    async def scenario():
        lane = Lane("check", workers=1, limit=5)
        lane.start()
        try:
            busy = asyncio.create_task(lane.run(nap, 0.2, "busy"))
            await asyncio.sleep(0.05)
            with pytest.raises(Superseded):
                await lane.run(nap, 0, "old draft", wanted=lambda: False)
            await busy
            return await lane.run(nap, 0, "after", urgent=True)
        finally:
            lane.stop()
    assert run(scenario()) == "after"


def test_a_dead_worker_fails_its_job_and_the_lane_goes_on():
    async def scenario():
        lane = Lane("build", workers=1, limit=0)
        lane.start()
        try:
            with pytest.raises(WorkerDied):
                await lane.run(die, urgent=True)
            return await lane.run(nap, 0, "alive", urgent=True)
        finally:
            lane.stop()
    assert run(scenario()) == "alive"


def test_a_department_waits_for_its_build_once_however_often_it_is_asked():
    async def scenario():
        built = []

        async def build(name):
            built.append(name)
            await asyncio.sleep(0.05)
        queue = BuildQueue(build, workers=1, limit=2)
        queue.start()
        assert queue.want("a") and queue.want("a") and queue.want("b")
        assert not queue.want("c")                 # the queue is full: the sweep asks again later
        await asyncio.sleep(0.01)
        assert queue.state("a") == "running" and queue.want("a") and queue.state("a") == "running"
        await asyncio.sleep(0.3)
        await queue.stop()
        return built
    assert run(scenario()) == ["a", "b", "a"]
