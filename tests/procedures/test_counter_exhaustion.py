"""Behaviour 7: when all LWIP counters of a KeNB are used the caller is told to refresh KeNB;
a new KeNB is accepted."""

from __future__ import annotations

from helpers.simhelpers import new_sim

from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import KenbRefreshNeeded
from lwip_enb.sim.testing import skip_lwip_counter


def test_exhausted_counter_asks_for_kenb_refresh_then_new_kenb_works() -> None:
    sim = new_sim()
    sim.activate(1)
    sim.deliver(sim.enb.deactivate(1, sim.now))
    skip_lwip_counter(sim.enb, 1, 65535)  # fast-forward: one value left
    info = sim.enb.ue_info(1)
    assert info is not None and info.counters_left == 1
    sim.activate(1)
    assert sim.ues[1].tunnel.counter == 65535  # type: ignore[union-attr]
    sim.deliver(sim.enb.deactivate(1, sim.now))
    out = sim.enb.activate(1, kenb=sim.kenb, wlan_mac=sim.ues[1].wlan_mac, now=sim.now)
    assert out == [KenbRefreshNeeded(1)]
    assert sim.enb.state(1) is State.IDLE
    sim.refresh_kenb(1, bytes(range(7, 39)))
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE and sim.ues[1].tunnel.counter == 0  # type: ignore[union-attr]
