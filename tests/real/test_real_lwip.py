"""End to end over real IKEv2/ESP (strongSwan with kernel-libipsec in network namespaces): the
derived PSK and IDi open a real tunnel, and every release path tears it down in both daemons."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import require_peer

from lwip_enb.codec.xwap import Cause
from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.keys import Idi
from lwip_enb.peers.segw import SegwConfig
from lwip_enb.real.host import available
from lwip_enb.real.simulation import RealSimulation

pytestmark = pytest.mark.strongswan
NEW_KENB = bytes(range(40, 72))


@pytest.fixture
def real() -> Iterator[RealSimulation]:
    ok, why = available()
    require_peer(ok, f"strongSwan: {why}")
    with RealSimulation(segw_config=SegwConfig(release_on_window_expiry=False)) as sim:
        sim.add_ue(1)
        yield sim


def _nothing_left(sim: RealSimulation) -> None:
    s = sim
    assert s.segw_backend.sas() == [] and s.ue_backend.sas() == []
    assert s.segw_backend.shared_ids() == set()
    assert s.ue_backend.shared_ids() == set()
    assert s.segw.psk_count() == 0 and not s.ues[1].holds_psk


def _events(sim: RealSimulation, node: str, event: str) -> list[dict[str, object]]:
    return [r for r in sim.trace if r.get("node") == node and r.get("event") == event]


def test_r1_r2_tunnel_with_derived_psk_carries_traffic_to_the_enb_only(
    real: RealSimulation,
) -> None:
    sim = real
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE
    assert len(sim.segw_backend.sas()) == 1
    idi = sim.enb.idi(1)
    assert isinstance(idi, Idi) and sim.segw_backend.tunnel_up(idi)
    assert sim.traffic(1, "198.51.100.1")  # R6: through the tunnel
    assert not sim.traffic(1, "198.51.100.2")  # R7: another address of the eNB
    assert not sim.traffic(1, "203.0.113.7")  # any other host
    # The trace's tunnel events come from the daemons' own up events.
    assert _events(sim, "segw", "ike-accepted") and _events(sim, "ue", "tunnel-up")


def test_wrong_psk_fails_ike(real: RealSimulation) -> None:
    sim = real
    sim.ues[1].new_kenb(bytes(range(1, 33)))  # the UE derives another PSK
    sim.activate(1)
    (rejected,) = _events(sim, "segw", "ike-rejected")
    assert rejected["reason"] == "AUTHENTICATION_FAILED"
    assert sim.segw_backend.sas() == [] and not sim.traffic(1, "198.51.100.1")


def test_r4_initiation_after_the_window_is_rejected_and_psk_gone(real: RealSimulation) -> None:
    sim = real
    sim.ike_delay_s = sim.segw.config.ike_window_s + 1
    sim.activate(1, settle=sim.ike_delay_s + 1)
    assert [r["reason"] for r in _events(sim, "segw", "psk-deleted")] == ["IKE window expired"]
    assert _events(sim, "segw", "ike-rejected")  # charon no longer knows the IDi
    assert sim.segw_backend.shared_ids() == set() and sim.segw_backend.sas() == []


@pytest.mark.parametrize("kind", list(HandoverKind))
def test_r9_handover_removes_sa_and_psk_in_both_daemons(
    real: RealSimulation, kind: HandoverKind
) -> None:
    sim = real
    sim.activate(1)
    assert sim.ue_backend.tunnel_up()
    sim.handover(1, kind, NEW_KENB)
    _nothing_left(sim)
    sim.activate(1)  # under the new KeNB
    assert sim.enb.state(1) is State.ACTIVE and sim.traffic(1, "198.51.100.1")


def test_r10_rlf_detected_by_enb(real: RealSimulation) -> None:
    sim = real
    sim.activate(1)
    sim.enb_radio_link_failure(1)
    _nothing_left(sim)


def test_r10_rlf_detected_by_ue(real: RealSimulation) -> None:
    sim = real
    sim.activate(1)
    sim.ue_radio_link_failure(1, NEW_KENB)
    _nothing_left(sim)


def test_r11_wlan_drop_then_fresh_tunnel_with_new_counter(real: RealSimulation) -> None:
    sim = real
    sim.activate(1)
    first = sim.ues[1].tunnel
    sim.wlan_lost(1)  # veth down
    assert sim.enb.state(1) is State.WLAN_LOST
    _nothing_left(sim)
    sim.wlan_available(1)  # veth up, fresh set-up
    second = sim.ues[1].tunnel
    assert sim.enb.state(1) is State.ACTIVE
    assert second.counter == first.counter + 1 and second.idi != first.idi
    assert sim.traffic(1, "198.51.100.1")


def test_r11_segw_dead_peer_detection_releases_without_a_ue_report(real: RealSimulation) -> None:
    sim = real
    sim.activate(1)
    idi = sim.enb.idi(1)
    mark = sim.segw_backend.event_mark()
    sim.topology.wlan_down()  # the UE cannot tell anyone
    assert sim.segw_backend.wait_event("down", idi, layer="ike", after=mark, timeout_s=15)
    sim.advance(0.1)  # the simulation takes the daemon's event in: the SeGW releases (R11)
    assert [r["reason"] for r in _events(sim, "segw", "psk-deleted")] == [
        f"released by SeGW ({Cause.radio_network('wLAN-not-available')})"
    ]
    assert sim.enb.state(1) is State.IDLE  # LWIP RELEASE REQUIRED confirmed
    assert sim.segw_backend.shared_ids() == set() and sim.segw.psk_count() == 0
