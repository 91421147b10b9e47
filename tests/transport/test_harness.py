"""The asyncio harness (AsyncSimulation): the verbs of Simulation under the same names, waits
that name what they waited for, and the stories told over EnbRuntime + SegwRuntime + ModelAir
in memory end as the specifications say."""

from __future__ import annotations

import collections
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from runtime_kit import run_async

from lwip_enb.codec import rrc
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.core import outputs as enb_out
from lwip_enb.core.controller import EnbConfig, HandoverKind, HandoverUeRelease
from lwip_enb.core.fsm import State
from lwip_enb.errors import WaitTimeout
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.segw import SegwConfig
from lwip_enb.sim.harness import AsyncSimulation
from lwip_enb.sim.simulation import Simulation

# Verbs of Simulation the asyncio harness leaves out, with why.
SIMULATION_ONLY = {
    "deliver": "EnbRuntime routes the outputs of commands given to it directly (sim.enb.*)",
    "deliver_from_segw": "SegwRuntime.input() routes the outputs of a SeGW model call",
}
# What only the asyncio harness has, with why.
ASYNC_ONLY = {
    "start": "the runtimes start on the running loop (or: async with)",
    "stop": "stops the runtimes, releasing every UE at both ends",
    "wait_for_state": "on the loop, the story goes on after a verb returns",
    "wait_for_event": "the same, for an event",
    "mark": "a position in the records, for since=",
    "events": "the recorded events (Simulation has its trace)",
    "account": "events counted by node and kind",
    "psk_counts": "PSKs held by the SeGW and the UEs",
    "psk_holders": "the nodes that hold a UE's PSK",
    "next_kenb": "the KeNB a handover or re-establishment gives when the caller gives none",
}
# Parameters of Simulation's verbs that the asyncio ones do without.
SIMULATION_PARAMETERS_ONLY = {"self", "settle"}  # virtual time after the verb


def _verbs(cls: type) -> dict[str, Callable[..., Any]]:
    return {n: f for n, f in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}


def _names(fn: Callable[..., Any], drop: set[str]) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p not in drop]


def _check_verbs(sync: type, asynchronous: type) -> None:
    simulation, harness = _verbs(sync), _verbs(asynchronous)
    assert set(SIMULATION_ONLY) <= set(simulation), "a stale entry in SIMULATION_ONLY"
    for name, verb in simulation.items():
        if name in SIMULATION_ONLY:
            continue
        assert name in harness, f"AsyncSimulation lacks {name}() of Simulation"
        drop = SIMULATION_PARAMETERS_ONLY
        assert _names(verb, drop) == _names(harness[name], {"self"}), (
            f"AsyncSimulation.{name}() and Simulation.{name}() take different parameters"
        )
        moves_time = "settle" in inspect.signature(verb).parameters or name in (
            "advance",
            "run_until",
        )
        assert inspect.iscoroutinefunction(harness[name]) is moves_time, (
            f"AsyncSimulation.{name}() must be {'async' if moves_time else 'plain'}"
        )
    extra = set(harness) - set(simulation)
    assert extra == set(ASYNC_ONLY), f"verbs only AsyncSimulation has, unexplained: {extra}"


def test_async_harness_offers_the_verbs_of_simulation() -> None:
    _check_verbs(Simulation, AsyncSimulation)


def test_the_verb_check_can_fail() -> None:
    class Lagging(AsyncSimulation):
        async def handover(self, key: object) -> list[enb_out.Output]:  # type: ignore[override]
            return []

    with pytest.raises(AssertionError, match="handover"):
        _check_verbs(Simulation, Lagging)

    class Missing:
        pass

    with pytest.raises(AssertionError, match="lacks"):
        _check_verbs(Simulation, Missing)


@run_async(120)
async def test_r4_late_ike_of_200_ues_is_rejected_and_released_at_both_ends() -> None:
    """R4 (TS 33.401 16.2.2 Note / Annex H) with 200 UEs over EnbRuntime + SegwRuntime +
    ModelAir: the SeGW's IKE window (10 ms) is so short that the IKE of most UEs comes too late.
    The SeGW rejects each late initiation, deletes its PSK and IDi, and (reference SeGW's
    configuration) sends LWIP RELEASE REQUIRED (TS 36.463 8.17.2), on which the eNB releases
    the UE, which releases LWIP (TS 36.331 5.6.17.3). Every output of the SeGW model on the IKE
    path must be routed: none may be lost. How many UEs are late depends on the event loop, so
    each UE is checked for the outcome it had: late -> released everywhere, in time -> up
    everywhere; at least one must be late for the test to say anything."""
    n = 200
    async with AsyncSimulation(segw_config=SegwConfig(ike_window_s=0.01), timeout=60) as sim:
        for u in range(n):
            sim.add_ue(u)
        for u in range(n):
            await sim.activate(u)
        outcome = {
            u: await sim.wait_for_event((enb_out.TunnelUp, enb_out.TunnelReleased), u)
            for u in range(n)
        }
        late = [u for u in range(n) if isinstance(outcome[u], enb_out.TunnelReleased)]
        assert late, "no UE was late: the test checked nothing"
        for u in late:
            released = outcome[u]
            assert released.reason.trigger is enb_out.ReleaseTrigger.SEGW_RELEASED
            await sim.wait_for_state(u, State.IDLE)
            (rejected,) = sim.events(segw_out.IkeRejected, u)
            assert rejected.reason in {
                segw_out.IkeRejection.WINDOW_EXPIRED,
                segw_out.IkeRejection.UNKNOWN_IDI,  # the window timer ran first
            }
            (deleted,) = sim.events(segw_out.PskDeleted, u)
            assert deleted.reason.trigger is segw_out.ReleaseTrigger.IKE_WINDOW_EXPIRED
            assert sim.events(ue_out.IkeFailed, u)
            assert not sim.events((enb_out.TunnelUp, segw_out.TunnelUp, ue_out.TunnelUp), u)
            assert sim.psk_holders(u) == set() and sim.ues[u].tunnel is None
        for u in set(range(n)) - set(late):
            assert sim.enb.state(u) is State.ACTIVE and sim.psk_holders(u) == {"segw", "ue"}
        assert sim.segw.psk_count() == n - len(late)


@pytest.mark.parametrize("release", list(HandoverUeRelease))
@run_async(30)
async def test_r9_handover_leaves_no_psk_at_segw_or_ue(release: HandoverUeRelease) -> None:
    """R9 (TS 33.401 Annex H, TS 36.331 5.3.5.4): on handover the eNB releases LWIP at the SeGW;
    the UE releases it on the handover command (mobilityControlInfo), which the harness
    delivers, after what the eNB sent first (an explicit release, 5.6.17.3). The other UE
    keeps its tunnel; a later activation under the new KeNB starts a fresh counter."""
    config = EnbConfig(handover_ue_release=release)
    async with AsyncSimulation(enb_config=config) as sim:
        for u in (1, 2):
            sim.add_ue(u)
            await sim.activate(u)
        for u in (1, 2):
            await sim.wait_for_state(u, State.ACTIVE)
        assert sim.psk_holders(1) == {"segw", "ue"}
        await sim.handover(1, HandoverKind.S1)
        await sim.wait_for_event(segw_out.PskDeleted, 1)
        assert sim.psk_holders(1) == set() and sim.enb.state(1) is State.IDLE
        assert sim.psk_holders(2) == {"segw", "ue"} and sim.enb.state(2) is State.ACTIVE
        await sim.activate(1)
        await sim.wait_for_state(1, State.ACTIVE)
        tunnel = sim.ues[1].tunnel
        assert tunnel is not None and tunnel.counter == 0  # the new KeNB's first counter
        assert not sim.events((enb_out.InputRejected, segw_out.InputRejected))


@run_async(30)
async def test_r10_r11_rlf_wlan_loss_and_forget_end_with_no_psk() -> None:
    """R10 (TS 36.331 5.3.7.2): the UE that detects RLF releases LWIP, the eNB releases at the
    SeGW on its re-establishment request. R11: WLAN lost, the tunnel goes at both ends (no
    crossing of releases), WLAN back gives a fresh tunnel. forget (5.3.12): the UE leaves."""
    async with AsyncSimulation() as sim:
        for u in (1, 2, 3):
            sim.add_ue(u)
            await sim.activate(u)
        for u in (1, 2, 3):
            await sim.wait_for_state(u, State.ACTIVE)
        await sim.ue_radio_link_failure(1)
        await sim.wait_for_event(segw_out.PskDeleted, 1)
        assert sim.psk_holders(1) == set() and sim.enb.state(1) is State.IDLE
        await sim.wlan_lost(2)
        await sim.wait_for_state(2, State.WLAN_LOST)
        await sim.wait_for_event(segw_out.PskDeleted, 2)
        assert sim.psk_holders(2) == set()
        await sim.wlan_available(2)
        await sim.wait_for_state(2, State.ACTIVE)
        tunnel = sim.ues[2].tunnel
        assert tunnel is not None and tunnel.counter == 1
        await sim.forget(3)
        await sim.wait_for_event(segw_out.PskDeleted, 3)
        assert sim.psk_holders(3) == set() and 3 not in list(sim.enb.ues())
        assert not sim.events((enb_out.InputRejected, segw_out.InputRejected))
    assert sim.psk_counts() == {"segw": 0, "ue": 0}


@run_async(30)
async def test_waits_see_what_came_before_them_and_name_what_they_miss() -> None:
    """The waits of the harness: an event that came after the verb but before the wait counts,
    a state passed through while waiting counts, and a timeout names the UE, what was awaited
    and where the UE stands."""
    async with AsyncSimulation() as sim:
        sim.add_ue(1)
        sim.add_ue(2)
        await sim.activate(1)
        await sim.wait_for_state(1, State.ACTIVE)
        up = await sim.wait_for_event(enb_out.TunnelUp, 1)  # recorded before this call
        assert up.ue == 1
        await sim.activate(2)
        await sim.wait_for_state(2, State.CONFIGURED)  # passed through on the way to ACTIVE
        with pytest.raises(WaitTimeout) as caught:
            await sim.wait_for_state(1, State.WLAN_LOST, timeout=0.05)
        assert caught.value.ue == 1 and isinstance(caught.value, TimeoutError)
        assert "state wlan-lost" in str(caught.value) and "it is active" in str(caught.value)
        mark = sim.mark()
        with pytest.raises(WaitTimeout) as caught:
            await sim.wait_for_event(enb_out.TunnelUp, 1, since=mark, timeout=0.05)
        assert "event TunnelUp" in str(caught.value) and "last events" in str(caught.value)
        counted = collections.Counter(type(e).__name__ for e in sim.events(ue=1, node="enb"))
        assert counted["TunnelUp"] == 1 and sim.account()["enb TunnelUp"] == 2


def test_simulation_forget_releases_at_segw_and_ue() -> None:
    """forget on the virtual clock (TS 36.331 5.3.12): the SeGW is told and deletes the PSK,
    the UE releases LWIP as it leaves RRC_CONNECTED, the eNB drops the UE."""
    sim = Simulation()
    sim.add_ue(1)
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE and sim.segw.psk_count() == 1
    sim.forget(1)
    assert sim.segw.psk_count() == 0 and not sim.ues[1].holds_psk
    assert list(sim.enb.ues()) == []


@run_async(30)
async def test_a_wait_on_a_stopped_harness_says_so() -> None:
    sim = AsyncSimulation()
    async with sim:
        sim.add_ue(1)
    with pytest.raises(WaitTimeout, match="the harness is stopped; it is idle"):
        await sim.wait_for_state(1, State.ACTIVE)


@run_async(30)
async def test_ts36331_5_6_15_4_5_5_4_11_suspension_and_measured_return_on_runtimes() -> None:
    """The WLAN verbs on the asyncio path. 5.6.15.4: a UE given wlan-SuspendConfig reports
    suspended then resumed; the tunnel stays (same IDi, PSK at SeGW and UE). 5.5.4.11 with R11:
    after WLAN loss the UE's W1 report of the mobility set's WLAN gives a fresh tunnel with the
    next counter and a new IDi."""
    lwip = WlanIdentifiers(ssid=b"lwip")  # the reference SeGW's WLAN (its default offer)
    suspend = rrc.WlanSuspendConfig(resume_allowed=True, triggers_status_report=False)
    w1 = rrc.WlanReportConfig.w1(1, rrc.wlan_rssi_value(-70.0), hysteresis_half_db=4)
    meas = rrc.WlanMeasConfig.for_events(rrc.WlanMeasObject(1, (rrc.WlanBand.BAND_5_GHZ,)), w1)
    async with AsyncSimulation(enb_config=EnbConfig(wlan_suspend=suspend)) as sim:
        sim.add_ue(1).apply_lwip_suspend_config = True
        await sim.activate(1)
        await sim.wait_for_state(1, State.ACTIVE)
        idi = sim.enb.idi(1)
        await sim.wlan_suspend(1)
        await sim.wait_for_event(enb_out.WlanSuspended, 1)
        await sim.wlan_resume(1)
        await sim.wait_for_event(enb_out.WlanResumed, 1)
        assert sim.enb.state(1) is State.ACTIVE and sim.enb.idi(1) == idi
        assert sim.psk_holders(1) == {"segw", "ue"}
        await sim.configure_wlan_measurements(1, meas)
        await sim.wlan_lost(1)
        await sim.wait_for_state(1, State.WLAN_LOST)
        await sim.wait_for_event(segw_out.PskDeleted, 1)
        assert sim.psk_holders(1) == set()
        await sim.measure_wlans(1, {lwip: -50.0})
        reported = await sim.wait_for_event(enb_out.WlanMeasurementReported, 1)
        assert reported.meas_id == 1
        await sim.wait_for_state(1, State.ACTIVE)
        fresh = sim.enb.idi(1)
        assert fresh is not None and idi is not None and fresh != idi
        tunnel = sim.ues[1].tunnel
        assert tunnel is not None and tunnel.idi == fresh.octets and tunnel.counter == 1
        assert not sim.events((enb_out.InputRejected, segw_out.InputRejected))
