"""R1: IKE authenticates with the LWIP-PSK. R3: the SeGW finds the PSK by the received IDi."""

from __future__ import annotations

from helpers.simhelpers import events, new_sim

from lwip_enb.core.fsm import State
from lwip_enb.keys import derive_lwip_psk
from lwip_enb.peers.ike import ModelIke
from lwip_enb.peers.ue import UeState
from lwip_enb.sim.simulation import Simulation


def test_r1_tunnel_comes_up_with_the_derived_psk() -> None:
    sim = new_sim()
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE
    assert sim.ues[1].state is UeState.TUNNEL_UP
    assert events(sim, "segw", "ike-accepted") and not events(sim, "segw", "ike-rejected")


def test_r1_a_ue_with_another_kenb_fails_ike() -> None:
    sim = new_sim()
    sim.ues[1].new_kenb(bytes(range(1, 33)))  # the UE's KeNB differs from the eNB's
    sim.activate(1)
    assert sim.ues[1].state is UeState.CONFIGURED
    assert [r["reason"] for r in events(sim, "segw", "ike-rejected")] == ["authentication failed"]
    assert sim.enb.state(1) is not State.ACTIVE


def test_r3_unknown_idi_is_rejected_even_with_the_right_psk() -> None:
    sim = new_sim()
    sim.ike_delay_s = 1000.0  # keep the UE from running IKE by itself
    sim.activate(1)
    tunnel = sim.ues[1].tunnel
    assert tunnel is not None and tunnel.counter is not None
    psk = derive_lwip_psk(sim.kenb, tunnel.counter)
    request = ModelIke().start(b"\x00" * 16, psk, sim.segw.ike_sa_init(sim.now))
    response, _ = sim.segw.ike_auth(request, sim.now)
    assert not response.ok and response.reason == "unknown IDi"


def test_r3_each_idi_selects_its_own_psk() -> None:
    sim = Simulation()
    for key in (1, 2, 3):
        sim.add_ue(key)
    for key in (1, 2, 3):
        sim.activate(key)
    idis = {sim.enb.idi(k) for k in (1, 2, 3)}
    assert len(idis) == 3
    assert all(sim.enb.state(k) is State.ACTIVE for k in (1, 2, 3))
    assert sim.segw.psk_count() == 3
