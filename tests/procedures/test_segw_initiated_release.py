"""Behaviour 5: LWIP RELEASE REQUIRED -> LWIP RELEASE CONFIRM and the UE released."""

from __future__ import annotations

from helpers.simhelpers import messages, new_sim

from lwip_enb.core.fsm import State


def test_segw_release_required_is_confirmed_and_ue_released() -> None:
    sim = new_sim()
    sim.activate(1)
    mark = len(sim.trace)
    sim.segw_release(1)
    names = [r["message"] for r in messages(sim, since=mark)]
    assert names[:2] == ["LWIPReleaseRequired", "LWIPReleaseConfirm"]
    assert "RRCConnectionReconfiguration" in names
    assert sim.enb.state(1) is State.IDLE
    assert not sim.ues[1].holds_psk and sim.segw.psk_count() == 0
