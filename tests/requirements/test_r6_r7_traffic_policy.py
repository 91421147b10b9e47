"""R6, R7: through the tunnel the UE reaches only the initiating eNB's LWIP interface."""

from __future__ import annotations

from helpers.simhelpers import new_sim

from lwip_enb.peers.segw import EnbInterface


def test_r7_only_the_enb_lwip_interface_is_allowed() -> None:
    sim = new_sim(enb_lwip_interface=EnbInterface("198.51.100.1", 17, 2152))
    sim.activate(1)
    assert sim.traffic(1, "198.51.100.1", 17, 2152)
    assert not sim.traffic(1, "198.51.100.1", 6, 2152)  # another protocol on that address
    assert not sim.traffic(1, "198.51.100.1", 17, 2153)  # another port
    assert not sim.traffic(1, "198.51.100.2", 17, 2152)  # another address of the eNB


def test_r6_nothing_else_is_reachable() -> None:
    sim = new_sim()
    sim.activate(1)
    for dst in ("203.0.113.7", "192.0.2.10", "2001:db8::1"):
        assert not sim.traffic(1, dst)


def test_r6_no_tunnel_no_traffic() -> None:
    sim = new_sim()
    sim.ike_delay_s = 1000.0
    sim.activate(1)
    assert not sim.traffic(1, "198.51.100.1")
