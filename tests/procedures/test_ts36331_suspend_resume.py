"""TS 36.331 5.6.15.4 WLAN suspend and resume under LWIP (WLAN-SuspendConfig, WLAN-Status-v1430).

What is read here (docs/rrc.md): the eNB puts ``wlan-SuspendConfig-r14`` in the set-up's
``lwip-MobilityConfig`` only when asked; ``suspended`` from a UE given
``wlan-SuspendResumeAllowed`` keeps the tunnel (the UE keeps its LWIP configuration and goes on
monitoring, unlike after a failure) and ``resumed`` ends the suspension; either from a UE not given
it is a protocol error. The reference UE reports them only when its VarWLAN-MobilityConfig allows
it, and by default does not take the suspend configuration from LWIP at all (5.6.17.2 does not list
it; 5.6.14.2 does for LWA).
"""

from __future__ import annotations

from typing import Any

from helpers import pycrate_oracle as oracle
from helpers.simhelpers import events, messages

from lwip_enb.codec import rrc
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.core.controller import EnbConfig
from lwip_enb.core.fsm import Event, State
from lwip_enb.core.outputs import (
    InputRejected,
    Rejection,
    SendRrc,
    SendXwap,
    WlanResumed,
    WlanSuspended,
)
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.ue import UeModel, UeState
from lwip_enb.sim.simulation import Simulation
from lwip_enb.sim.testing import PeerMessages, bring_up, ready_controller

ALLOWED = rrc.WlanSuspendConfig(resume_allowed=True, triggers_status_report=False)
PEERS = PeerMessages()
KENB, MAC = bytes(range(32)), "02:00:00:00:00:01"


def _lwip_mobility_config_by_pycrate(sim: Simulation) -> dict[str, Any]:
    """The set-up's lwip-MobilityConfig-r13 as pycrate decodes the eNB's bytes."""
    (setup,) = [r for r in messages(sim, "RRCConnectionReconfiguration") if r["src"] == "enb"][:1]
    value = oracle.rrc_decode("dl-dcch", bytes.fromhex(setup["pdu"]))
    lwip = oracle.find(value, "lwip-Configuration-r13")
    assert lwip is not None and lwip[0] == "setup"
    mobility = lwip[1]["lwip-Config-r13"]["lwip-MobilityConfig-r13"]
    assert isinstance(mobility, dict)
    return mobility


def _sim(suspend: rrc.WlanSuspendConfig | None, *, ue_applies: bool = True) -> Simulation:
    sim = Simulation(enb_config=EnbConfig(wlan_suspend=suspend))
    sim.add_ue(1).apply_lwip_suspend_config = ue_applies
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE
    return sim


# --- the set-up carries the configuration only when asked ---------------------------------------


def test_ts36331_wlan_mobilityconfig_setup_carries_wlan_suspendconfig_only_when_asked() -> None:
    """WLAN-MobilityConfig-r13 [[ wlan-SuspendConfig-r14 ]], decoded from the eNB's bytes by
    pycrate: absent by default, present with the values asked for with EnbConfig.wlan_suspend."""
    plain = _lwip_mobility_config_by_pycrate(_sim(None))
    assert "wlan-SuspendConfig-r14" not in plain
    asked = _lwip_mobility_config_by_pycrate(_sim(ALLOWED))
    assert asked["wlan-SuspendConfig-r14"] == {
        "wlan-SuspendResumeAllowed-r14": True,
        "wlan-SuspendTriggersStatusReport-r14": False,
    }


def _setup_sent(enb: Any, ue: int, **activate: Any) -> rrc.RrcConnectionReconfiguration:
    out = enb.activate(ue, kenb=KENB, wlan_mac=MAC, now=0.0, **activate)
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    ack = PEERS.addition_ack(request.enb_ue_id, 7 + ue)
    (setup,) = [o.message for o in enb.receive_xwap("segw", ack, 0.0) if isinstance(o, SendRrc)]
    assert isinstance(setup, rrc.RrcConnectionReconfiguration)
    assert isinstance(setup.lwip, rrc.LwipSetup) and setup.lwip.mobility is not None
    return setup


def test_ts36331_activate_wlan_suspend_argument_overrides_the_config_per_ue() -> None:
    """activate(wlan_suspend=...) for one UE: only that UE's set-up carries it; and a UE can be
    given none (resume_allowed false) where EnbConfig asks for one."""
    enb = ready_controller()
    assert _setup_sent(enb, 1).lwip.mobility.suspend is None  # type: ignore[union-attr]
    setup = _setup_sent(enb, 2, wlan_suspend=ALLOWED)
    assert setup.lwip.mobility.suspend == ALLOWED  # type: ignore[union-attr]
    off = rrc.WlanSuspendConfig(resume_allowed=False)
    enb = ready_controller(EnbConfig(wlan_suspend=ALLOWED))
    assert _setup_sent(enb, 3).lwip.mobility.suspend == ALLOWED  # type: ignore[union-attr]
    setup = _setup_sent(enb, 4, wlan_suspend=off)
    assert setup.lwip.mobility.suspend == off  # type: ignore[union-attr]


# --- suspended -> resumed with the reference UE -------------------------------------------------


def test_ts36331_5_6_15_4_suspended_then_resumed_keeps_the_tunnel_at_both_ends() -> None:
    """5.6.15.4: suspended (WLAN temporarily unavailable) releases nothing: same IDi, same
    counter, PSK kept at the UE and the SeGW, the eNB still ACTIVE and marked suspended; resumed
    clears the mark. No LWIP RELEASE REQUEST, no lwip-Configuration release."""
    sim = _sim(ALLOWED)
    idi, counter = sim.enb.idi(1), sim.ues[1].tunnel.counter  # type: ignore[union-attr]
    mark = len(sim.trace)
    sim.wlan_suspend(1)
    info = sim.enb.ue_info(1)
    assert info is not None and info.wlan_suspended and info.state is State.ACTIVE
    assert sim.ues[1].holds_psk and sim.segw.psk_count() == 1
    assert events(sim, "enb", "wlan-suspended", mark)
    sim.wlan_resume(1)
    info = sim.enb.ue_info(1)
    assert info is not None and not info.wlan_suspended and info.state is State.ACTIVE
    assert events(sim, "enb", "wlan-resumed", mark)
    assert sim.enb.idi(1) == idi and sim.ues[1].tunnel.counter == counter  # type: ignore[union-attr]
    assert sim.ues[1].state is UeState.TUNNEL_UP and sim.segw.psk_count() == 1
    assert not messages(sim, "LWIPReleaseRequest", mark)
    reports = [r for r in messages(sim, "WLANConnectionStatusReport-r13", mark) if r["src"] == "ue"]
    decoded = [oracle.rrc_decode("ul-dcch", bytes.fromhex(r["pdu"])) for r in reports]
    assert [oracle.find(v, "wlan-Status-v1430") for v in decoded] == ["suspended", "resumed"]


def test_ts36331_5_6_15_4_suspension_that_turns_into_a_failure_releases_r11() -> None:
    """A suspended UE whose WLAN does not come back reports a failure (5.6.15.4): released for
    WLAN loss as any failure (R11), the suspension forgotten."""
    sim = _sim(ALLOWED)
    sim.wlan_suspend(1)
    sim.wlan_lost(1)
    assert sim.enb.state(1) is State.WLAN_LOST
    assert sim.segw.psk_count() == 0 and not sim.ues[1].holds_psk


# --- protocol violations at the eNB -------------------------------------------------------------


def _active_controller(suspend: rrc.WlanSuspendConfig | None) -> Any:
    enb = ready_controller(EnbConfig(wlan_suspend=suspend))
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.ACTIVE)
    return enb


def test_ts36331_5_6_15_4_suspended_from_a_ue_not_given_the_config_is_rejected() -> None:
    """suspended / resumed only "if wlan-SuspendResumeAllowed ... is set to TRUE": from a UE
    given no wlan-SuspendConfig, or one with resume_allowed false, both are protocol errors;
    nothing changes (no release, no mark)."""
    for config in (None, rrc.WlanSuspendConfig(resume_allowed=False)):
        enb = _active_controller(config)
        for status in (WlanStatus.SUSPENDED, WlanStatus.RESUMED):
            out = enb.receive_rrc(1, RrcChannel.UL_DCCH, PEERS.wlan_status(status), 1.0)
            assert [type(o) for o in out] == [InputRejected]
            rejected = out[0]
            assert rejected.kind is Rejection.UNEXPECTED_REPORT
            assert rejected.state is State.ACTIVE
            # it names the UE, the event it could not take and the message
            assert (rejected.ue, rejected.message) == (1, "WLANConnectionStatusReport-r13")
            suspended = status is WlanStatus.SUSPENDED
            expected = Event.WLAN_SUSPENDED if suspended else Event.WLAN_RESUMED
            assert rejected.event is expected
            assert enb.state(1) is State.ACTIVE
            assert not enb.ue_info(1).wlan_suspended


def test_ts36331_5_6_15_4_resumed_without_suspended_before_it_is_rejected() -> None:
    """resumed only when "the last WLAN Connection Status Report ... was suspended"."""
    enb = _active_controller(ALLOWED)
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, PEERS.wlan_status(WlanStatus.RESUMED), 1.0)
    assert [(type(o), getattr(o, "kind", None)) for o in out] == [
        (InputRejected, Rejection.UNEXPECTED_REPORT)
    ]
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, PEERS.wlan_status(WlanStatus.SUSPENDED), 2.0)
    assert out == [WlanSuspended(1)]
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, PEERS.wlan_status(WlanStatus.RESUMED), 3.0)
    assert out == [WlanResumed(1)]


def test_ts36331_5_6_15_4_success_after_a_new_mobility_set_ends_the_suspension() -> None:
    """A successfulAssociation after a mobility set update while suspended: the UE's last report
    is then no longer suspended, so no resumed follows; the suspension ends there."""
    enb = _active_controller(ALLOWED)
    enb.receive_rrc(1, RrcChannel.UL_DCCH, PEERS.wlan_status(WlanStatus.SUSPENDED), 1.0)
    success = PEERS.wlan_status(WlanStatus.SUCCESSFUL_ASSOCIATION)
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, success, 2.0)
    assert WlanResumed(1) in out and not enb.ue_info(1).wlan_suspended


def test_ts36331_5_6_15_4_suspended_before_association_is_no_transition() -> None:
    """Suspended while the eNB has not seen the association (CONFIGURED): the UE reports
    success first (successReportRequested), so it cannot be suspended yet."""
    enb = ready_controller(EnbConfig(wlan_suspend=ALLOWED))
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.CONFIGURED)
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, PEERS.wlan_status(WlanStatus.SUSPENDED), 1.0)
    assert [(type(o), getattr(o, "event", None)) for o in out] == [
        (InputRejected, Event.WLAN_SUSPENDED)
    ]


# --- the reference UE ---------------------------------------------------------------------------


def _ue_with(suspend: rrc.WlanSuspendConfig | None, *, applies: bool | None) -> UeModel:
    """A reference UE with a tunnel up; ``applies`` None: the UE as constructed by default."""
    ue = UeModel(KENB) if applies is None else UeModel(KENB, apply_lwip_suspend_config=applies)
    mobility = rrc.WlanMobilityConfig.mobility_set(
        [rrc.WlanIdentifiers(ssid=b"lwip")], association_timer_s=10, suspend=suspend
    )
    msg = rrc.RrcConnectionReconfiguration.lwip_setup(0, "192.0.2.10", b"idi", 1, mobility=mobility)
    ue.receive_rrc(rrc.encode(msg), 0.0)
    ue.ike_request(b"\x01" * 32)
    ue.ike_established(0.5)
    assert ue.state is UeState.TUNNEL_UP
    return ue


def _statuses(out: list[ue_out.Output]) -> list[WlanStatus]:
    return [
        o.message.status
        for o in out
        if isinstance(o, ue_out.SendRrc) and isinstance(o.message, rrc.WlanConnectionStatusReport)
    ]


def test_ts36331_5_6_15_4_reference_ue_never_reports_suspended_without_the_config() -> None:
    """No wlan-SuspendConfig, resume_allowed false, or (strictest reading of 5.6.17.2, the
    default) a configuration received under LWIP that the UE does not store: the harness's
    suspension is not reported, the UE is unchanged, and resume reports nothing."""
    cases = [
        (None, True),
        (rrc.WlanSuspendConfig(resume_allowed=False), True),
        (ALLOWED, False),
        (ALLOWED, None),  # the default is the strict reading
    ]
    for suspend, applies in cases:
        ue = _ue_with(suspend, applies=applies)
        assert ue.wlan_suspend(1.0) == []
        assert ue.wlan_resume(2.0) == []
        assert ue.state is UeState.TUNNEL_UP and ue.holds_psk
        assert not ue.wlan_suspended


def test_ts36331_5_6_15_4_reference_ue_suspends_and_resumes_when_allowed() -> None:
    """With wlan-SuspendResumeAllowed TRUE stored: suspended, configuration and PSK kept,
    then resumed only once a WLAN inside the set is connected again."""
    ue = _ue_with(ALLOWED, applies=True)
    assert _statuses(ue.wlan_suspend(1.0)) == [WlanStatus.SUSPENDED]
    assert ue.holds_psk and ue.mobility_set and ue.tunnel is not None
    assert ue.wlan_suspend(1.5) == []  # already suspended: nothing connected to suspend
    ue.available_wlans = ()
    assert ue.wlan_resume(2.0) == []  # no WLAN of the set yet
    assert ue.wlan_suspended
    ue.available_wlans = (rrc.WlanIdentifiers(ssid=b"lwip"),)
    assert _statuses(ue.wlan_resume(3.0)) == [WlanStatus.RESUMED]
    assert not ue.wlan_suspended
    assert ue.wlan_resume(4.0) == []  # the last report is resumed now


def test_ts36331_5_6_17_3_release_deletes_the_suspend_config() -> None:
    """5.6.17.3: VarWLAN-MobilityConfig is deleted, wlan-SuspendConfig with it."""
    ue = _ue_with(ALLOWED, applies=True)
    ue.wlan_suspend(0.8)
    ue.receive_rrc(rrc.encode(rrc.RrcConnectionReconfiguration.lwip_release(1)), 1.0)
    assert ue.suspend_resume_allowed is None and ue.wlan_suspend(2.0) == []
    assert not ue.wlan_suspended  # nothing left to be suspended


def test_r11_ts36331_5_6_15_4_resumed_in_wlan_lost_only_from_a_ue_given_the_config() -> None:
    """wlan-lost + resumed (R11: WLAN is back, a fresh tunnel) for a UE given
    wlan-SuspendResumeAllowed; from a UE not given it the report is rejected, still wlan-lost.
    A release also ends a suspension the eNB had marked."""
    for config, fresh in ((ALLOWED, True), (None, False)):
        enb = _active_controller(config)
        if config is not None:
            enb.receive_rrc(1, RrcChannel.UL_DCCH, PEERS.wlan_status(WlanStatus.SUSPENDED), 0.5)
        failure = PEERS.wlan_status(WlanStatus.FAILURE_WLAN_RADIO_LINK)
        enb.receive_rrc(1, RrcChannel.UL_DCCH, failure, 1.0)
        assert enb.state(1) is State.WLAN_LOST and not enb.ue_info(1).wlan_suspended
        out = enb.receive_rrc(1, RrcChannel.UL_DCCH, PEERS.wlan_status(WlanStatus.RESUMED), 2.0)
        if fresh:
            assert enb.state(1) is State.ADDING
            assert any(isinstance(o, SendXwap) for o in out)
        else:
            assert [type(o) for o in out] == [InputRejected]
            assert enb.state(1) is State.WLAN_LOST
