"""EnbRuntime offers what EnbController offers (checked from the signatures, so the two cannot
drift apart), forget() releases at both ends, and stop() leaves nothing stale."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from runtime_kit import MemoryTransport, Rig, drain, kenb_of, run_async, until

from lwip_enb.codec import rrc
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import WlanInformation, WlanUsage
from lwip_enb.core.controller import EnbConfig, EnbController
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import ActivationFailed, TunnelReleased, WlanMeasurementReported
from lwip_enb.io.runtime import EnbRuntime
from lwip_enb.peers.segw import SegwConfig

# Controller methods the runtime calls itself, from its own tasks: deliberately not offered to
# the caller (calling them by hand would contradict what the associations and the clock say).
DRIVEN_BY_THE_RUNTIME = {
    "segw_connected": "called when an association to the SeGW comes up",
    "segw_lost": "called when that association is lost",
    "receive_xwap": "fed with every PDU read from the associations",
    "next_timer": "read by the timer task",
    "handle_timer": "called by the timer task on the loop's clock",
}
# Parameters only one side has, on purpose.
CONTROLLER_ONLY = {"self", "now"}  # the runtime passes the loop's clock itself
RUNTIME_ONLY = {
    "self",
    "connector",  # add_segw: how to reach the SeGW's XwAP endpoint
    "backoff",  # add_segw: reconnection delays
    "streams",  # add_segw: SCTP streams of the association
}


def _public(cls: type) -> dict[str, Callable[..., Any]]:
    # Under mutation testing (docs/mutants.md) the class also holds mutmut's copies of each
    # method, named with "ǁ"; they are not API.
    return {
        n: f
        for n, f in inspect.getmembers(cls, inspect.isfunction)
        if not n.startswith("_") and "ǁ" not in n
    }


def _parameters(fn: Callable[..., Any], drop: set[str]) -> list[tuple[str, Any, Any]]:
    # Names, kinds and defaults; not annotations (the controller says UeKey, the runtime
    # Hashable: the same type under two names).
    return [
        (p.name, p.kind, p.default)
        for p in inspect.signature(fn).parameters.values()
        if p.name not in drop
    ]


def test_runtime_offers_every_caller_command_and_query_of_the_controller() -> None:
    controller, runtime = _public(EnbController), _public(EnbRuntime)
    assert set(DRIVEN_BY_THE_RUNTIME) <= set(controller), "a stale entry in the allow-list"
    for name, method in controller.items():
        if name in DRIVEN_BY_THE_RUNTIME:
            continue
        assert name in runtime, f"EnbRuntime lacks {name}() of EnbController"
        assert _parameters(method, CONTROLLER_ONLY) == _parameters(runtime[name], RUNTIME_ONLY), (
            f"EnbRuntime.{name}() and EnbController.{name}() take different parameters"
        )
        command = "now" in inspect.signature(method).parameters
        assert inspect.iscoroutinefunction(runtime[name]) is command, (
            f"EnbRuntime.{name}() must be {'async (a command)' if command else 'plain (a query)'}"
        )


def test_the_signature_check_can_fail() -> None:
    class Lagging:
        async def activate(self, ue: object, *, kenb: bytes, wlan_mac: bytes) -> None: ...

    full = _parameters(EnbController.activate, CONTROLLER_ONLY)
    assert full != _parameters(Lagging.activate, RUNTIME_ONLY)  # wlan_ids, drbs, segw missing
    assert "forget" not in _public(Lagging)


@run_async(30)
async def test_forget_releases_at_segw_and_ue_then_drops_the_ue() -> None:
    # forget: the UE left the eNB (TS 36.331 5.3.12): the SeGW is told, the UE is sent nothing
    # and releases LWIP itself as it leaves RRC_CONNECTED
    async with Rig(MemoryTransport()) as rig:
        await rig.activate(1)
        await until(lambda: rig.enb.state(1) is State.ACTIVE)
        assert rig.ues[1].holds_psk and rig.models["segw"].psk_count() == 1
        await rig.enb.forget(1)
        rig.ues[1].rrc_connection_released(rig.enb.now())
        await until(lambda: rig.models["segw"].psk_count() == 0 and not rig.ues[1].holds_psk)
        assert list(rig.enb.ues()) == []
        events = await drain(rig.enb.events)
    assert any(isinstance(e, TunnelReleased) and e.ue == 1 for e in events)


@run_async(30)
async def test_activate_passes_wlan_ids_and_queries_answer() -> None:
    rig = Rig(MemoryTransport())
    offer = WlanInformation(ssid=b"lwip-cell", usage=WlanUsage.LWIP_ONLY)  # 36.463 8.2.2
    rig.models["segw"].config = SegwConfig(wlan_identifiers=(offer,))
    async with rig:
        seen: list[bytes] = []
        air = rig.air

        async def recording(ue: object, channel: rrc.RrcChannel, pdu: bytes) -> None:
            seen.append(pdu)
            await air(ue, channel, pdu)  # type: ignore[arg-type]

        rig.enb.on_rrc = recording
        offered = [w for w in rig.enb.segw_wlans("segw") if w.for_lwip]
        assert offered == [w for w in rig.enb.controller.segw_wlans("segw") if w.for_lwip]
        wlan = WlanIdentifiers(ssid=offered[0].ssid, bssid=offered[0].bssid)
        rig.add_ue(1)
        await rig.enb.activate(1, kenb=kenb_of(1), wlan_mac=rig.ues[1].wlan_mac, wlan_ids=[wlan])
        await until(lambda: rig.enb.state(1) is State.ACTIVE)
        setup = rrc.decode(rrc.RrcChannel.DL_DCCH, seen[0])
        assert isinstance(setup, rrc.RrcConnectionReconfiguration)
        assert isinstance(setup.lwip, rrc.LwipSetup) and setup.lwip.mobility is not None
        assert setup.lwip.mobility.to_add == (wlan,)
        assert rig.enb.idi(1) == rig.enb.controller.idi(1) is not None
        assert list(rig.enb.ues()) == [1] and rig.enb.segw_ready("segw")
        info = rig.enb.ue_info(1)
        assert info is not None and info == rig.enb.controller.ue_info(1)
        assert info.mobility_set == (wlan,)


@run_async(60)
async def test_stop_releases_every_ue_at_both_ends_and_start_serves_them_again() -> None:
    async with Rig(MemoryTransport()) as rig:
        ues = range(1, 6)
        for u in ues:
            await rig.activate(u)
        await until(lambda: all(rig.enb.controller.state(u) is State.ACTIVE for u in ues))
        await rig.enb.stop()
        assert all(rig.enb.controller.state(u) is State.IDLE for u in ues)
        assert rig.models["segw"].psk_count() == 0
        assert not any(rig.ues[u].holds_psk for u in ues)
        await drain(rig.enb.events)

        await rig.enb.start()
        await rig.enb.wait_ready("segw", timeout=5)
        for u in ues:
            await rig.activate(u)  # KeNB was kept: a fresh counter under the same KeNB
        await until(lambda: all(rig.enb.controller.state(u) is State.ACTIVE for u in ues))
        assert rig.models["segw"].psk_count() == len(ues)


@run_async(60)
async def test_stop_settles_additions_a_stalled_segw_never_answered() -> None:
    config = EnbConfig(xwap_guard_s=30.0)  # the guard must not be what settles them
    async with Rig(MemoryTransport(), ("stalled", "healthy"), config=config) as rig:
        rig.gates["stalled"].stall()
        for u in (1, 2, 3):
            await rig.activate(u, "stalled")
        await rig.activate(4, "healthy")
        await until(lambda: rig.enb.controller.state(4) is State.ACTIVE)
        assert {rig.enb.controller.state(u) for u in (1, 2, 3)} == {State.ADDING}
        await rig.enb.stop(timeout=1.0)
        assert all(rig.enb.controller.state(u) is State.IDLE for u in (1, 2, 3, 4))
        assert rig.models["healthy"].psk_count() == 0 and not rig.ues[4].holds_psk
        events = await drain(rig.enb.events)
    cancelled = {e.ue for e in events if isinstance(e, TunnelReleased | ActivationFailed)}
    assert {1, 2, 3, 4} <= cancelled


@pytest.mark.parametrize("timeout", [0.0, 0.5])
@run_async(30)
async def test_stop_without_start_and_twice_is_harmless(timeout: float) -> None:
    enb = EnbRuntime()
    await enb.stop(timeout=timeout)
    await enb.start()
    await enb.stop(timeout=timeout)
    await enb.stop(timeout=timeout)


@run_async(30)
async def test_ts36331_5_5_runtime_configures_wlan_measurements_and_reports_become_events() -> None:
    """EnbRuntime.configure_wlan_measurements reaches the UE (5.5.2); the UE's W3 report (5.5.4.13:
    the set's WLAN is no longer heard) comes back as a WlanMeasurementReported event, and the
    tunnel stays (a measurement is not a status report)."""
    async with Rig(MemoryTransport()) as rig:
        await rig.activate(1)
        await until(lambda: rig.enb.state(1) is State.ACTIVE)
        w3 = rrc.WlanReportConfig.w3(3, rrc.wlan_rssi_value(-80.0))
        config = rrc.WlanMeasConfig.for_events(rrc.WlanMeasObject(1), w3)
        await rig.enb.configure_wlan_measurements(1, meas_config=config)
        await until(lambda: rig.ues[1].meas_ids == (3,))
        reports = rig.ues[1].measure_wlans({}, rig.enb.now())
        for o in reports:
            await rig.enb.receive_rrc(1, o.channel, o.pdu)
        events = await drain(rig.enb.events)
        (seen,) = [e for e in events if isinstance(e, WlanMeasurementReported)]
        assert seen.event is rrc.WlanEvent.W3 and seen.meas_id == 3
        assert rig.enb.state(1) is State.ACTIVE
