"""No event is lost silently: by default every event is kept; a bound chosen by the user follows
an explicit policy (block, drop-oldest, error) whose losses are counted and logged."""

from __future__ import annotations

import asyncio
import collections
import logging

import pytest
from runtime_kit import MemoryTransport, Rig, drain, run_async, until

from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import TunnelUp
from lwip_enb.errors import EventsLost
from lwip_enb.io.flow import EventPolicy, EventQueue
from lwip_enb.peers.segw_outputs import PskPhase, PskStored

UES = 2000  # some 10,000 events: more than the bounded queue of old kept


@run_async(120)
async def test_every_event_of_2000_activations_is_kept_by_default(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # What examples/enb_simulator.py does, at scale: activate every UE, then read the events.
    caplog.set_level(logging.WARNING, "lwip_enb")
    async with Rig(MemoryTransport()) as rig:
        for u in range(1, UES + 1):
            await rig.activate(u)
        await until(
            lambda: all(rig.enb.controller.state(u) is State.ACTIVE for u in range(1, UES + 1)), 60
        )
        enb_events = await drain(rig.enb.events)
        segw_events = await drain(rig.segws["segw"].events)
    usable = collections.Counter(e.ue for e in enb_events if isinstance(e, TunnelUp))
    assert set(usable) == set(range(1, UES + 1)) and set(usable.values()) == {1}
    stored = [e for e in segw_events if isinstance(e, PskStored) and e.phase is PskPhase.WINDOW]
    assert len(stored) == UES
    assert rig.enb.events.dropped == 0 and rig.segws["segw"].events.dropped == 0
    assert not [r for r in caplog.records if "full" in r.getMessage()]


@run_async(120)
async def test_block_policy_holds_producers_back_and_loses_nothing() -> None:
    policy = EventPolicy(queue_size=50, on_full="block")
    async with Rig(MemoryTransport(), event_policy=policy) as rig:
        seen: collections.Counter[object] = collections.Counter()
        most = 0

        async def reader() -> None:
            nonlocal most
            while True:
                most = max(most, rig.enb.events.qsize())
                event = await rig.enb.events.get()
                if isinstance(event, TunnelUp):
                    seen[event.ue] += 1
                await asyncio.sleep(0)  # a reader slower than the producers

        task = asyncio.create_task(reader())
        try:
            for u in range(1, 501):
                await rig.activate(u)
            await until(lambda: len(seen) == 500, 60)
        finally:
            task.cancel()
    assert set(seen.values()) == {1}
    assert rig.enb.events.dropped == 0
    assert most <= 50 + 20  # the bound, plus the events of the inputs under way


def test_drop_oldest_counts_and_logs_every_loss(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "lwip_enb")
    queue: EventQueue[int] = EventQueue(EventPolicy(queue_size=3, on_full="drop-oldest"))
    for i in range(10):
        queue.put(i)
    assert queue.dropped == 7
    assert [queue.get_nowait() for _ in range(3)] == [7, 8, 9]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3  # at the 1st, 2nd and 4th loss: counted, not one line each
    assert "on_full=drop-oldest" in warnings[-1] and "4 event(s) dropped" in warnings[-1]


def test_error_policy_makes_the_reader_trip_over_the_gap(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, "lwip_enb")
    queue: EventQueue[int] = EventQueue(EventPolicy(queue_size=2, on_full="error"))
    for i in range(5):
        queue.put(i)  # 2, 3, 4 do not fit
    assert queue.dropped == 3
    assert queue.get_nowait() == 0
    queue.put(5)  # room again: queued after the gap
    assert queue.get_nowait() == 1
    with pytest.raises(EventsLost) as lost:
        queue.get_nowait()
    assert lost.value.count == 3
    assert queue.get_nowait() == 5
    assert caplog.records and all(r.levelno == logging.ERROR for r in caplog.records)


def test_unbounded_queue_never_drops() -> None:
    queue: EventQueue[int] = EventQueue()
    for i in range(100_000):
        queue.put(i)
    assert queue.qsize() == 100_000 and queue.dropped == 0


def test_event_policy_is_checked() -> None:
    with pytest.raises(ValueError):
        EventPolicy(queue_size=0)
    with pytest.raises(ValueError):
        EventPolicy(queue_size=5, on_full="drop-newest")  # type: ignore[arg-type]


@run_async(10)
async def test_get_waits_for_the_next_event_and_async_for_reads_in_order() -> None:
    queue: EventQueue[int] = EventQueue()
    getter = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    queue.put(1)
    queue.put(2)
    assert await getter == 1
    got = []
    async for event in queue:
        got.append(event)
        if queue.empty():
            break
    assert got == [2]
