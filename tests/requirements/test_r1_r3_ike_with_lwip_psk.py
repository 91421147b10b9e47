"""R1: IKE authenticates with the LWIP-PSK. R3: the SeGW finds the PSK by the received IDi."""

from __future__ import annotations

from helpers.simhelpers import events, new_sim

from lwip_enb.core.fsm import State
from lwip_enb.keys import KeyMaterial, derive_lwip_psk
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
    # the UE associated with WLAN (and reported it, 36.331 5.6.15.4) but has no tunnel
    assert sim.ues[1].state is UeState.ASSOCIATED and not sim.ues[1].holds_psk
    assert [r["reason"] for r in events(sim, "segw", "ike-rejected")] == ["authentication failed"]


def test_ts36331_5_6_15_4_enb_not_active_when_ike_failed_after_association() -> None:
    sim = new_sim()
    sim.ues[1].new_kenb(bytes(range(1, 33)))  # IKE fails: the UE's KeNB differs
    sim.activate(1)
    assert sim.ues[1].state is UeState.ASSOCIATED
    assert sim.enb.state(1) is State.ASSOCIATED  # associated with WLAN, no tunnel
    released = [e for e in sim.trace if e.get("event") == "tunnel-released"]
    assert released == []
    idi = sim.enb.idi(1)
    assert idi is not None and sim.segw.has_psk(idi.octets)
    # the eNB's tunnel guard: a UE whose IKE never succeeds is released at both ends
    sim.advance(sim.enb.config.tunnel_guard_s + 1)
    assert sim.enb.state(1) is State.IDLE
    assert sim.ues[1].state is UeState.NO_LWIP and not sim.ues[1].holds_psk
    assert not sim.segw.has_psk(idi.octets)


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
    """R3 (TS 33.401 16.2.2): the LWIP-SeGW uses the received IDi to find the matching LWIP-PSK.
    Two additions wait for IKE at once; IKE for the second runs first, with its own IDi and PSK;
    the first IDi with the second UE's PSK must then fail, and with its own PSK succeed."""
    sim = Simulation()
    sim.ike_delay_s = 1000.0  # the UEs do not run IKE by themselves; the test does
    for key in (1, 2):
        sim.add_ue(key)
        sim.activate(key)
    idi: dict[int, bytes] = {}
    psk: dict[int, KeyMaterial] = {}
    for key in (1, 2):
        tunnel = sim.ues[key].tunnel
        assert tunnel is not None and tunnel.counter is not None
        idi[key] = tunnel.idi
        psk[key] = derive_lwip_psk(sim.kenb_of(key), tunnel.counter)
        assert sim.segw.has_psk(idi[key])
    assert idi[1] != idi[2] and psk[1] != psk[2]

    def ike(idi_of: int, psk_of: int) -> bool:
        nonce = sim.segw.ike_sa_init(sim.now)
        response, _ = sim.segw.ike_auth(ModelIke().start(idi[idi_of], psk[psk_of], nonce), sim.now)
        return response.ok

    assert ike(2, 2)
    assert not ike(1, 2)
    assert ike(1, 1)
