"""The asyncio runtimes over the in-memory transport: activation end to end, Xw Setup on each
(re)connection, association loss releases every UE, reconnection with backoff, garbage frames."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Hashable

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import (
    InputRejected,
    Rejection,
    ReleaseReason,
    ReleaseTrigger,
    SegwReady,
    SendRrc,
    TunnelReleased,
    TunnelUp,
)
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import Backoff, EnbRuntime, stream_for
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim.runtimes import ModelAir, SegwRuntime

KENB = bytes(range(32))


#: an activation through the runtime needs the tunnel's evidence routed to the eNB
def run_async(fn: Callable[[], Coroutine[object, object, None]]) -> Callable[[], None]:
    """Run an async test on a fresh event loop (no plugin needed)."""

    @functools.wraps(fn)
    def wrapper() -> None:
        asyncio.run(asyncio.wait_for(fn(), 30))

    return wrapper


FAST = Backoff(first=0.01, limit=0.05)


class Harness:
    """eNB runtime + SeGW runtime + reference UEs, wired through a MemoryNetwork."""

    def __init__(self) -> None:
        self.net = MemoryNetwork()
        self.segw_model = SegwModel()
        self.segw_model.add_enb("enb", EnbInterface("198.51.100.1"))
        self.segw = SegwRuntime(self.segw_model, self.net.listener("segw"))
        self.air = ModelAir(self.segw_model)
        self.enb = EnbRuntime(on_rrc=self.air)
        self.air.attach(self.enb)
        self.enb.add_segw("segw", "192.0.2.10", self.net.connector("segw"), backoff=FAST)
        self.ues = self.air.ues

    async def __aenter__(self) -> Harness:
        await self.segw.start()
        await self.enb.start()
        await self.enb.wait_ready("segw")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.enb.stop()
        await self.segw.stop()

    async def activate(self, ue: Hashable) -> None:
        self.ues[ue] = UeModel(KENB, bytes([2, 0, 0, 0, 0, len(self.ues) + 1]))
        await self.enb.activate(ue, kenb=KENB, wlan_mac=self.ues[ue].wlan_mac)
        async with asyncio.timeout(5):
            while self.enb.controller.state(ue) is not State.ACTIVE:
                await asyncio.sleep(0.005)


async def _drain(q: asyncio.Queue[object]) -> list[object]:
    out = []
    while not q.empty():
        out.append(q.get_nowait())
    return out


@run_async
async def test_activation_end_to_end() -> None:
    async with Harness() as h:
        await h.activate(1)
        events = await _drain(h.enb.events)  # type: ignore[arg-type]
        assert any(isinstance(e, TunnelUp) for e in events)
        assert any(isinstance(e, SegwReady) and e.setup for e in events)
        assert h.segw_model.psk_count() == 1


@run_async
async def test_association_loss_releases_everyone_then_reconnects_with_xw_setup() -> None:
    async with Harness() as h:
        for k in (1, 2, 3):
            await h.activate(k)
        await _drain(h.enb.events)  # type: ignore[arg-type]
        assert h.enb.association("segw") is not None
        h.net.partition()  # both ends see the association die; reconnects are refused
        async with asyncio.timeout(5):
            while h.enb.controller.segw_ready("segw"):
                await asyncio.sleep(0.005)
        assert h.enb.association("segw") is None
        await asyncio.sleep(0.1)  # a few refused reconnection attempts
        events = await _drain(h.enb.events)  # type: ignore[arg-type]
        released = {(e.ue, e.reason) for e in events if isinstance(e, TunnelReleased)}
        assert released == {(k, ReleaseReason(ReleaseTrigger.SEGW_LOST)) for k in (1, 2, 3)}
        assert all(h.enb.controller.state(k) is State.IDLE for k in (1, 2, 3))
        assert h.segw_model.psk_count() == 0  # the SeGW dropped them too
        h.net.heal()
        await h.enb.wait_ready("segw")  # Xw Setup ran again on the new association
        await h.activate(4)


@run_async
async def test_garbage_frame_gets_error_indication_and_runtime_survives() -> None:
    async with Harness() as h:
        assoc = h.segw.association("enb")
        assert assoc is not None
        await assoc.send(b"\xde\xad\xbe\xef", stream=0)  # the SeGW side sends garbage
        await asyncio.sleep(0.05)
        events = await _drain(h.enb.events)  # type: ignore[arg-type]
        assert any(isinstance(e, InputRejected) and e.kind is Rejection.UNDECODABLE for e in events)
        await h.activate(1)  # still serving


def test_streams_follow_ts_36462() -> None:
    assert stream_for(xwap.XwSetupRequest(xwap.GlobalEnbId(b"\x00\x00\x00", 1)), 8) == 0
    assert stream_for(xwap.Reset(xwap.Cause.misc("unspecified")), 8) == 0
    ue_streams = {stream_for(xwap.LwipReleaseRequest(i, 0), 8) for i in range(100)}
    assert ue_streams == set(range(1, 8))
    assert stream_for(xwap.LwipReleaseRequest(5, 0), 1) == 0


@run_async
async def test_oversized_frame_is_dropped_and_logged() -> None:
    import logging

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("lwip_enb.transport").addHandler(handler)
    try:
        async with Harness() as h:
            assoc = h.segw.association("enb")
            assert assoc is not None
            await assoc.send(b"\x00" * (70 * 1024))
            await asyncio.sleep(0.05)
            assert any("oversized" in r.getMessage() for r in records)
            await h.activate(1)  # the association is still in service
    finally:
        logging.getLogger("lwip_enb.transport").removeHandler(handler)


@run_async
async def test_stop_ends_the_timer_loop_even_right_after_a_wake_up() -> None:
    # The timer task is woken (an input just happened) in the same loop iteration as stop()
    # cancels it: the cancellation must not be lost, and stop() must not hang.
    enb = EnbRuntime()
    enb.controller.next_timer = lambda: enb.now() + 100  # type: ignore[method-assign]
    await enb.start()
    await asyncio.sleep(0)  # the timer task now waits for its wake-up or the timer
    assert _timer_tasks()
    await enb.deactivate("nobody")  # an input wakes the timer task; nothing yields after it
    # The next timer is 100 s away: a stop() that waited for it would hit this timeout.
    async with asyncio.timeout(5):
        await enb.stop()
    assert not _timer_tasks()


@run_async
async def test_segw_stop_ends_its_timer_loop_even_right_after_a_wake_up() -> None:
    net = MemoryNetwork()
    segw = SegwRuntime(SegwModel(), net.listener("segw"))
    segw.model.next_timer = lambda: segw.now() + 100  # type: ignore[method-assign]
    before = asyncio.all_tasks()
    await segw.start()
    await asyncio.sleep(0)
    tasks = asyncio.all_tasks() - before  # the runtime's: accepting and timers
    assert len(tasks) == 2
    await segw.input(lambda now: [])  # an input wakes the timer task; nothing yields after it
    # The next timer is 100 s away: a stop() that waited for it would hit this timeout.
    async with asyncio.timeout(5):
        await segw.stop()
    assert all(t.done() for t in tasks)


def _timer_tasks() -> list[asyncio.Task[object]]:
    """The eNB runtime's timer task, while it has not ended."""
    return _tasks_named("lwip-enb-timers")


def _tasks_named(name: str) -> list[asyncio.Task[object]]:
    return [t for t in asyncio.all_tasks() if t.get_name() == name]


@run_async
async def test_stop_does_not_swallow_its_callers_cancellation() -> None:
    blocker = asyncio.get_running_loop().create_future()

    async def slow_radio(ue: Hashable, channel: RrcChannel, pdu: bytes) -> None:
        await _ignore_one_cancel(blocker)  # slow to stop

    # A timer due at once whose output goes to the radio: the task that hands RRC to on_rrc
    # waits in slow_radio, and stop() waits for it to deliver the last RRC.
    enb = EnbRuntime(on_rrc=slow_radio)
    release = rrc.RrcConnectionReconfiguration.lwip_release(0)
    due = [enb.now()]
    enb.controller.next_timer = lambda: due[0] if due else None  # type: ignore[method-assign]

    def fire_once(now: float) -> list[SendRrc]:
        due.clear()
        return [SendRrc(1, RrcChannel.DL_DCCH, release, b"")]

    enb.controller.handle_timer = fire_once  # type: ignore[assignment]
    await enb.start()
    await asyncio.sleep(0.01)
    (stubborn,) = _tasks_named("lwip-enb-rrc")
    stopping = asyncio.create_task(enb.stop())
    await asyncio.sleep(0.01)
    stopping.cancel()  # the caller gives up waiting
    try:
        await stopping
    except asyncio.CancelledError:
        pass
    else:
        raise AssertionError("stop() swallowed the cancellation of its caller")
    blocker.set_result(None)  # let the stubborn callback end once cancelled
    tasks = [stubborn, *_timer_tasks()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _ignore_one_cancel(blocker: asyncio.Future[None]) -> None:
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        await blocker
