"""A pytest fixture for a RAN test harness: an eNB with LWIP, a reference LWIP-SeGW and UEs.

Copy ``RanHarness`` and the ``ran`` fixture into your ``conftest.py``; your tests then ask for
``ran``. Everything runs in memory on a virtual clock (``lwip_enb.sim.Simulation``): the eNB
controller, the reference SeGW and UE models, the XwAP and RRC bytes between them, and the
modelled IKEv2 exchange. The tests at the bottom show the use.

Run: pytest examples/ran_harness_fixture.py   (or: python examples/ran_harness_fixture.py)
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Hashable, Iterator
from typing import Any

import pytest

from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.keys import DerivedPsk, KeyMaterial, LwipSecurityContext
from lwip_enb.peers.segw import SegwConfig
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim.simulation import Simulation

ENB_LWIP_ADDRESS = "198.51.100.1"  # the eNB interface the SeGW lets LWIP traffic reach (R7)


class RanHarness:
    """One eNB, one LWIP-SeGW, any number of UEs, and helpers that read like test steps."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self._idis: dict[Hashable, list[bytes]] = {}  # every IDi each UE was given
        self._kenb_generation: dict[Hashable, int] = {}
        self.enb_psks: list[KeyMaterial] = []  # every LWIP-PSK the eNB derived (recording_enb_psks)

    # ---- steps ---------------------------------------------------------------------------

    def add_ue(self, key: Hashable) -> UeModel:
        return self.sim.add_ue(key)

    def activate(self, key: Hashable) -> State:
        """Set up LWIP for ``key`` (XwAP addition, RRC reconfiguration, IKE, WLAN report)."""
        self.sim.activate(key)
        idi = self.sim.enb.idi(key)
        if idi is not None:
            self._idis.setdefault(key, []).append(idi.octets)
        return self.sim.enb.state(key)

    def handover(self, key: Hashable, kind: HandoverKind = HandoverKind.X2) -> None:
        """S1 or X2 handover within this eNB: LWIP released, then a new KeNB for the UE."""
        self.sim.handover(key, kind, self._next_kenb(key))

    def wlan_lost(self, key: Hashable) -> None:
        self.sim.wlan_lost(key)

    def wlan_back(self, key: Hashable) -> State:
        """WLAN is back: the eNB sets up a fresh tunnel (R11)."""
        self.sim.wlan_available(key)
        idi = self.sim.enb.idi(key)
        if idi is not None:
            self._idis.setdefault(key, []).append(idi.octets)
        return self.sim.enb.state(key)

    def wait(self, seconds: float) -> None:
        """Let virtual time pass: guard timers and the SeGW's IKE window run."""
        self.sim.advance(seconds)

    # ---- what a test asserts on ----------------------------------------------------------

    def state(self, key: Hashable) -> State:
        return self.sim.enb.state(key)

    def tunnel_usable(self, key: Hashable) -> bool:
        """Active at the eNB, and the SeGW forwards the UE's packets to the eNB's LWIP
        interface but nowhere else (R6, R7)."""
        return (
            self.state(key) is State.ACTIVE
            and self.sim.traffic(key, ENB_LWIP_ADDRESS)
            and not self.sim.traffic(key, "203.0.113.7")
        )

    def psk_holders(self, key: Hashable) -> set[str]:
        """Which nodes hold an LWIP-PSK now: a subset of {"enb", "segw", "ue"}. "segw" and
        "ue" are about ``key``; "enb" means that a PSK the eNB derived (for any UE) is not wiped,
        which it never should be: the eNB wipes its copy as soon as the LWIP ADDITION REQUEST is
        encoded. Needs the PSKs recorded by ``recording_enb_psks`` (the ``ran`` fixture does)."""
        holders = set()
        if any(self.sim.segw.has_psk(idi) for idi in self._idis.get(key, [])):
            holders.add("segw")
        if self.sim.ues[key].holds_psk:
            holders.add("ue")
        if len(self.enb_psks) != len(self.messages("LWIPAdditionRequest")):
            raise RuntimeError("the eNB's PSKs were not recorded: use recording_enb_psks")
        if not all(psk.wiped for psk in self.enb_psks):
            holders.add("enb")
        return holders

    def counter(self, key: Hashable) -> int | None:
        """The LWIP counter of the UE's current tunnel."""
        tunnel = self.sim.ues[key].tunnel
        return tunnel.counter if tunnel is not None else None

    def messages(self, name: str | None = None, since: int = 0) -> list[dict[str, Any]]:
        """Trace records of the messages on the wire (docs/trace.md), optionally by name."""
        return [
            r
            for r in self.sim.trace[since:]
            if "message" in r and (name is None or r["message"] == name)
        ]

    def events(self, node: str, event: str, since: int = 0) -> list[dict[str, Any]]:
        """Trace records of one node's events (docs/trace.md)."""
        trace = self.sim.trace[since:]
        return [r for r in trace if r.get("node") == node and r.get("event") == event]

    def mark(self) -> int:
        """A position in the trace, for ``since=``."""
        return len(self.sim.trace)

    def _next_kenb(self, key: Hashable) -> bytes:
        n = self._kenb_generation[key] = self._kenb_generation.get(key, 0) + 1
        return hashlib.sha256(repr((key, n)).encode()).digest()


@contextlib.contextmanager
def recording_enb_psks(into: list[KeyMaterial]) -> Iterator[None]:
    """Record every LWIP-PSK the eNB derives, as the key object itself, so a test can check it
    was wiped. The eNB derives through ``LwipSecurityContext.next_psk``; the reference UE and
    SeGW never do."""
    original = LwipSecurityContext.next_psk

    def recording(context: LwipSecurityContext) -> DerivedPsk:
        derived = original(context)
        into.append(derived.psk)
        return derived

    LwipSecurityContext.next_psk = recording  # type: ignore[method-assign]
    try:
        yield
    finally:
        LwipSecurityContext.next_psk = original  # type: ignore[method-assign]


@pytest.fixture
def ran() -> Iterator[RanHarness]:
    """A fresh harness per test, with two UEs ("ue-1", "ue-2") and a 30 s IKE window."""
    harness = RanHarness(Simulation(segw_config=SegwConfig(ike_window_s=30.0)))
    harness.add_ue("ue-1")
    harness.add_ue("ue-2")
    with recording_enb_psks(harness.enb_psks):
        yield harness


# --- tests that use it ----------------------------------------------------------------------


def test_activation_gives_a_usable_tunnel(ran: RanHarness) -> None:
    assert ran.activate("ue-1") is State.ACTIVE
    assert ran.tunnel_usable("ue-1")
    assert ran.psk_holders("ue-1") == {"segw", "ue"}  # never the eNB (R5)
    assert ran.state("ue-2") is State.IDLE and not ran.tunnel_usable("ue-2")


def test_handover_releases_the_psk_everywhere(ran: RanHarness) -> None:
    ran.activate("ue-1")
    ran.activate("ue-2")
    mark = ran.mark()
    ran.handover("ue-1", HandoverKind.S1)
    assert [m["src"] for m in ran.messages("LWIPReleaseRequest", since=mark)] == ["enb"]
    assert ran.psk_holders("ue-1") == set()  # R9: SeGW and UE deleted it
    assert ran.state("ue-1") is State.IDLE
    assert ran.tunnel_usable("ue-2")  # the other UE keeps its tunnel
    assert ran.activate("ue-1") is State.ACTIVE and ran.counter("ue-1") == 0  # new KeNB


def test_wlan_loss_then_a_fresh_tunnel(ran: RanHarness) -> None:
    ran.activate("ue-1")
    ran.wlan_lost("ue-1")
    assert ran.state("ue-1") is State.WLAN_LOST and ran.psk_holders("ue-1") == set()
    ran.wait(5.0)
    assert ran.wlan_back("ue-1") is State.ACTIVE  # R11
    assert ran.counter("ue-1") == 1 and ran.tunnel_usable("ue-1")


if __name__ == "__main__":
    raise SystemExit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
