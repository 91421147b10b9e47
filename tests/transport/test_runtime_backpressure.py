"""Load and stalled peers: backpressure without deadlock, and no peer holds up another peer, the
timers or the caller's other work."""

from __future__ import annotations

import asyncio
import collections
import logging

import pytest
from runtime_kit import (
    FAST,
    Gate,
    GatedConnector,
    MemoryTransport,
    Rig,
    drain,
    kenb_of,
    mac_of,
    run_async,
    until,
)

from lwip_enb.core.controller import EnbConfig
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import ActivationFailed, ActivationFailure, TunnelUp
from lwip_enb.io.flow import SendPolicy
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import Backoff, EnbRuntime, LinkState, LinkStatus
from lwip_enb.io.transport import Association
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim.runtimes import ModelAir, SegwRuntime


# all-at-once is marked slow: a few seconds alone, but past its guard under mutmut's call
# tracking (make mutants runs the fast selection with every call recorded, docs/mutants.md)
@pytest.mark.parametrize(
    "together",
    [
        pytest.param(False, id="one-by-one"),
        pytest.param(True, id="all-at-once", marks=pytest.mark.slow),
    ],
)
@run_async(120)
async def test_3000_awaited_activations_are_all_answered(together: bool) -> None:
    # Both runtimes used to hold their lock while awaiting a send into the other's full queue.
    n = 3000
    async with Rig(MemoryTransport()) as rig:
        if together:
            await asyncio.gather(*(rig.activate(u) for u in range(1, n + 1)))
        else:
            for u in range(1, n + 1):
                await rig.activate(u)
        ctl = rig.enb.controller
        await until(lambda: all(ctl.state(u) is State.ACTIVE for u in range(1, n + 1)), 60)
        assert rig.models["segw"].psk_count() == n


@run_async(60)
async def test_callers_are_held_back_while_the_segw_is_slow() -> None:
    policy = SendPolicy(high_water=16, stall_after=30.0)
    async with Rig(MemoryTransport(depth=4), send_policy=policy) as rig:
        deepest = 0
        for u in range(1, 401):
            await rig.activate(u)
            deepest = max(deepest, rig.enb.link_status("segw").queued)
        assert deepest <= 16  # each activate returned only once the queue was back down
        await until(lambda: all(rig.enb.state(u) is State.ACTIVE for u in range(1, 401)), 30)


@run_async(60)
async def test_a_stalled_segw_holds_up_neither_the_other_segw_nor_the_timers() -> None:
    config = EnbConfig(xwap_guard_s=0.5)
    async with Rig(MemoryTransport(depth=64), ("stalled", "healthy"), config=config) as rig:
        rig.gates["stalled"].stall()
        stalled_ues = range(1, 501)  # far more than the transport and the SeGW can hold
        healthy_ues = range(10_001, 10_301)

        async def load_the_stalled_one() -> None:
            for u in stalled_ues:
                await rig.activate(u, "stalled")

        background = asyncio.create_task(load_the_stalled_one())
        for u in healthy_ues:
            await rig.activate(u, "healthy")
        ctl = rig.enb.controller
        await until(lambda: all(ctl.state(u) is State.ACTIVE for u in healthy_ues), 20)
        await background
        # the guard timers still fire: every activation on the stalled SeGW fails in time
        await until(lambda: all(ctl.state(u) is State.IDLE for u in stalled_ues), 20)
        await rig.enb.deactivate(10_001)  # and commands still go through
        await until(lambda: rig.models["healthy"].psk_count() == len(healthy_ues) - 1, 5)
        events = await drain(rig.enb.events)
    failed = {e.ue: e.reason for e in events if isinstance(e, ActivationFailed)}
    assert set(failed) == set(stalled_ues)
    assert set(failed.values()) == {ActivationFailure.NO_ANSWER}
    assert {e.ue for e in events if isinstance(e, TunnelUp)} == set(healthy_ues)


@run_async(60)
async def test_a_stalled_segw_is_reported_and_callers_stop_waiting_for_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, "lwip_enb")
    config = EnbConfig(xwap_guard_s=0.5)
    policy = SendPolicy(high_water=16, stall_after=0.2)
    async with Rig(MemoryTransport(depth=8), config=config, send_policy=policy) as rig:
        rig.gates["segw"].stall()
        for u in range(1, 201):  # returns: past stall_after nobody waits for the stalled SeGW
            await rig.activate(u)
        assert rig.enb.link_status("segw").stalled
        await until(lambda: all(rig.enb.state(u) is State.IDLE for u in range(1, 201)), 10)
        rig.gates["segw"].resume()
        await until(lambda: not rig.enb.link_status("segw").stalled, 10)
        events = await drain(rig.enb.events)
    states = [e.state for e in events if isinstance(e, LinkStatus) and e.segw == "segw"]
    assert states.index(LinkState.STALLED) < states.index(LinkState.RESUMED)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("stalled" in m for m in warnings) and any("resumed" in m for m in warnings)


@run_async(60)
async def test_send_queue_limit_aborts_the_association_of_a_stalled_segw(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, "lwip_enb")
    policy = SendPolicy(high_water=10, stall_after=0.1, limit=200)
    async with Rig(MemoryTransport(depth=16), send_policy=policy) as rig:
        rig.gates["segw"].stall()
        for u in range(1, 400):
            await rig.activate(u)
        await until(lambda: not rig.enb.segw_ready("segw"), 10)
        await until(lambda: all(rig.enb.state(u) is State.IDLE for u in range(1, 400)), 10)
        events = await drain(rig.enb.events)
    downs = [e for e in events if isinstance(e, LinkStatus) and e.state is LinkState.DOWN]
    assert downs and "overflow" in downs[0].detail
    assert {e.reason for e in events if isinstance(e, ActivationFailed)} <= {
        ActivationFailure.SEGW_LOST,
        ActivationFailure.NO_XW_ASSOCIATION,
    }
    assert any(
        "overflow" in r.getMessage() or "limit 200" in r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR
    )


@run_async(60)
async def test_an_enb_that_stops_reading_does_not_starve_the_other_enbs_of_a_segw() -> None:
    net = MemoryNetwork(depth=32)
    model = SegwModel()
    for name in ("enb-1", "enb-2"):
        model.add_enb(name, EnbInterface("198.51.100.1"))

    def identify(assoc: Association) -> str:
        return assoc.peer  # the memory transport names the connecting side

    segw = SegwRuntime(model, net.listener("segw"), identify=identify)
    gate = Gate()
    runtimes: dict[str, EnbRuntime] = {}
    airs: dict[str, ModelAir] = {}
    for name in ("enb-1", "enb-2"):
        airs[name] = ModelAir(segw)
        runtimes[name] = EnbRuntime(on_rrc=airs[name])
        airs[name].attach(runtimes[name])
        connector = net.connector("segw", client=name)
        if name == "enb-1":
            connector = GatedConnector(connector, gate)  # type: ignore[assignment]
        runtimes[name].add_segw("segw", "192.0.2.10", connector, backoff=FAST)
    async with segw, runtimes["enb-1"], runtimes["enb-2"]:
        for enb in runtimes.values():
            await enb.wait_ready("segw")
        gate.stall()  # eNB 1 stops reading what the SeGW sends it

        async def load_enb_1() -> None:
            for u in range(1, 601):
                airs["enb-1"].ues[u] = UeModel(kenb_of(u), mac_of(u))
                await runtimes["enb-1"].activate(u, kenb=kenb_of(u), wlan_mac=mac_of(u))

        background = asyncio.create_task(load_enb_1())
        await until(lambda: segw.queued("enb-1") > 64)  # the SeGW's answers pile up for eNB 1
        enb2 = runtimes["enb-2"]
        for u in range(1001, 1101):
            airs["enb-2"].ues[u] = UeModel(kenb_of(u), mac_of(u))
            await enb2.activate(u, kenb=kenb_of(u), wlan_mac=mac_of(u))
        ctl = enb2.controller
        await until(lambda: all(ctl.state(u) is State.ACTIVE for u in range(1001, 1101)), 20)
        await background
        gate.resume()


@run_async(30)
async def test_nothing_waits_on_the_controller_while_a_send_blocks() -> None:
    # A SeGW that stops reading: activate(), deactivate() and the guard timers all go on.
    config = EnbConfig(xwap_guard_s=0.3)
    async with Rig(MemoryTransport(depth=4), config=config) as rig:
        rig.gates["segw"].stall()
        for u in range(1, 20):
            await rig.activate(u)
        await rig.enb.deactivate(1)
        ctl = rig.enb.controller
        await until(lambda: all(ctl.state(u) is State.IDLE for u in range(1, 20)), 10)
        reasons = collections.Counter(
            e.reason for e in await drain(rig.enb.events) if isinstance(e, ActivationFailed)
        )
    assert reasons == {ActivationFailure.NO_ANSWER: 18}  # UE 1 was cancelled, not failed


def test_send_policy_is_checked() -> None:
    with pytest.raises(ValueError):
        SendPolicy(high_water=0)
    with pytest.raises(ValueError):
        SendPolicy(stall_after=0)
    with pytest.raises(ValueError):
        SendPolicy(limit=0)
    assert Backoff().first > 0
