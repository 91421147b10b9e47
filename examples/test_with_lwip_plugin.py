"""Tests written with the pytest plugin that comes with lwip-enb: no conftest.py, no fixture to
copy. Installing the package gives every pytest run the fixtures ``lwip_sim`` (a Simulation on
a virtual clock), ``lwip_harness`` (an AsyncSimulation: the asyncio eNB runtime, the reference
SeGW's runtime and UEs in memory) and ``lwip_run``; ``async def`` tests on ``lwip_harness`` run
without any other async plugin.

Run: pytest examples/test_with_lwip_plugin.py   (or: python examples/test_with_lwip_plugin.py)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.peers import segw_outputs
from lwip_enb.peers.segw import SegwConfig
from lwip_enb.sim.harness import AsyncSimulation
from lwip_enb.sim.simulation import Simulation


@pytest.fixture
def lwip_harness_options() -> dict[str, Any]:
    """Settings of this module's harnesses: the SeGW waits 30 s for IKE (R4)."""
    return {"segw_config": SegwConfig(ike_window_s=30.0)}


def test_activation_on_the_virtual_clock(lwip_sim: Simulation) -> None:
    lwip_sim.add_ue(1)
    lwip_sim.activate(1)
    assert lwip_sim.enb.state(1) is State.ACTIVE
    assert lwip_sim.traffic(1, "198.51.100.1")  # to the eNB's LWIP interface only (R6, R7)
    assert not lwip_sim.traffic(1, "203.0.113.7")


async def test_handover_releases_the_psk_at_both_ends(lwip_harness: AsyncSimulation) -> None:
    sim = lwip_harness
    sim.add_ue("ue-1")
    await sim.activate("ue-1")
    await sim.wait_for_state("ue-1", State.ACTIVE)
    assert sim.psk_holders("ue-1") == {"segw", "ue"}
    await sim.handover("ue-1", HandoverKind.X2)
    await sim.wait_for_event(segw_outputs.PskDeleted, "ue-1")
    assert sim.psk_holders("ue-1") == set()  # R9
    await sim.activate("ue-1")  # under the KeNB of the new cell
    await sim.wait_for_state("ue-1", State.ACTIVE)


async def test_wlan_lost_and_back(lwip_harness: AsyncSimulation) -> None:
    sim = lwip_harness
    assert sim.segw.config.ike_window_s == 30.0  # the options above
    sim.add_ue(1)
    await sim.activate(1)
    await sim.wait_for_state(1, State.ACTIVE)
    await sim.wlan_lost(1)
    await sim.wait_for_state(1, State.WLAN_LOST)
    await sim.wlan_available(1)
    await sim.wait_for_state(1, State.ACTIVE)  # a fresh tunnel (R11)


def test_a_sync_test_drives_the_harness_with_lwip_run(
    lwip_harness: AsyncSimulation, lwip_run: Callable[..., Any]
) -> None:
    lwip_harness.add_ue(1)
    lwip_run(lwip_harness.activate(1))
    lwip_run(lwip_harness.wait_for_state(1, State.ACTIVE))
    lwip_run(lwip_harness.forget(1))
    lwip_run(lwip_harness.wait_for_event(segw_outputs.PskDeleted, 1))
    assert lwip_harness.psk_holders(1) == set()


if __name__ == "__main__":
    raise SystemExit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
