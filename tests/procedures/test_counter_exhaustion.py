"""Behaviour 7: when all LWIP counters of a KeNB are used the caller is told to refresh KeNB;
a new KeNB is accepted."""

from __future__ import annotations

from helpers.simhelpers import new_sim

from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import KenbRefreshNeeded
from lwip_enb.keys import LwipCounter


def test_exhausted_counter_asks_for_kenb_refresh_then_new_kenb_works() -> None:
    sim = new_sim()
    sim.activate(1)
    sim._route_enb(sim.enb.deactivate(1, sim.now))
    ctx = sim.enb._ues[1]
    assert ctx.security is not None
    ctx.security._counter = LwipCounter(65535)  # fast-forward: one value left
    sim.activate(1)
    assert sim.ues[1].tunnel.counter == 65535  # type: ignore[union-attr]
    sim._route_enb(sim.enb.deactivate(1, sim.now))
    out = sim.enb.activate(1, kenb=sim.kenb, wlan_mac=sim.ues[1].wlan_mac, now=sim.now)
    assert [type(o) for o in out] == [KenbRefreshNeeded]
    assert sim.enb.state(1) is State.IDLE
    new_kenb = bytes(range(7, 39))
    sim.ues[1].new_kenb(new_kenb)
    sim._kenbs[1] = new_kenb
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE and sim.ues[1].tunnel.counter == 0  # type: ignore[union-attr]
