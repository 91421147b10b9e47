"""R4: the SeGW accepts IKE only within its window; after it, PSK and IDi are gone."""

from __future__ import annotations

from helpers.simhelpers import events, messages, new_sim

from lwip_enb.core.fsm import State
from lwip_enb.sim.simulation import segw_config


def test_r4_late_initiation_is_rejected_and_psk_deleted() -> None:
    """R4: at the end of the window the SeGW deletes LWIP-PSK and IDi (the timer, t=10); the UE's
    initiation at t=12 is then rejected because its IDi is no longer known, and no tunnel comes
    up. (The deadline check inside IKE_AUTH, before the timer runs, is in
    test_r4_ike_after_deadline.py.)"""
    sim = new_sim(segw_config=segw_config(ike_window_s=10.0, release_on_window_expiry=False))
    sim.ike_delay_s = 12.0
    sim.activate(1, settle=0.5)
    idi = sim.enb.idi(1)
    assert idi is not None and sim.segw.has_psk(idi.octets)
    sim.advance(20.0)
    deleted = events(sim, "segw", "psk-deleted")
    assert [(r["t"], r["reason"]) for r in deleted] == [(10.0, "IKE window expired")]
    assert not sim.segw.has_psk(idi.octets)
    rejected = events(sim, "segw", "ike-rejected")
    assert [(r["t"], r["idi"]) for r in rejected] == [(12.0, idi.octets.hex())]
    assert "unknown" in rejected[0]["reason"]  # rejected because the IDi was deleted
    assert not events(sim, "segw", "tunnel-up")


def test_r4_window_expiry_releases_the_ue_through_the_enb() -> None:
    sim = new_sim(segw_config=segw_config(ike_window_s=10.0))
    sim.ike_delay_s = 12.0
    sim.activate(1, settle=20.0)
    assert messages(sim, "LWIPReleaseRequired") and messages(sim, "LWIPReleaseConfirm")
    assert sim.enb.state(1) is State.IDLE
    assert not sim.ues[1].holds_psk and sim.segw.psk_count() == 0


def test_r4_initiation_inside_the_window_succeeds() -> None:
    sim = new_sim(segw_config=segw_config(ike_window_s=10.0))
    sim.ike_delay_s = 9.0
    sim.activate(1, settle=9.5)
    assert sim.enb.state(1) is State.ACTIVE
    sim.advance(30.0)  # the window does not matter once the tunnel is up (R5)
    assert sim.enb.state(1) is State.ACTIVE and sim.segw.psk_count() == 1
