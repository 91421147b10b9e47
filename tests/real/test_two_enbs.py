"""R7 and R9 with two eNBs behind one LWIP-SeGW (lwip_enb.real.two_enbs).

The UE has a tunnel set up by eNB A, is handed over (X2) to eNB B, and B sets up a fresh tunnel.
Through A's tunnel only A's LWIP interface is reachable; after the handover nothing reaches A
through the SeGW; B's tunnel reaches only B's LWIP interface (R7: "only to the eNB that initiated
the LWIP offload, and only to the interface on this eNB allowed for the LWIP offload"; R9: the
tunnel is released on handover). First in memory (the reference models, through their public
APIs), then with real packets: strongSwan in a topology with two eNB namespaces, where each eNB
counts what reaches it from the UE's side.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import require_peer

from lwip_enb.core.fsm import State
from lwip_enb.keys import Idi
from lwip_enb.real.host import available
from lwip_enb.real.two_enbs import RealTwoEnbs, TwoEnbs
from lwip_enb.tools import demo

UE = 1
KENB_AT_B = bytes(range(100, 132))


def _events(net: TwoEnbs, node: str, event: str) -> list[dict[str, object]]:
    return [r for r in net.trace if r.get("node") == node and r.get("event") == event]


def _xwap(net: TwoEnbs, message: str) -> list[dict[str, object]]:
    return [r for r in net.trace if r.get("message") == message]


# ---- in memory ------------------------------------------------------------------------------


def test_r7_r9_two_enbs_in_memory() -> None:
    net = TwoEnbs()
    net.add_ue(UE)
    (a_lwip, a_other), (b_lwip, b_other) = net.addresses["A"], net.addresses["B"]

    net.activate(UE)
    assert net.enbs["A"].state(UE) is State.ACTIVE and net.serving[UE] == "A"
    tunnel_a = net.ues[UE].tunnel
    assert tunnel_a is not None
    idi_a = tunnel_a.idi
    assert [r["enb"] for r in _xwap(net, "LWIPAdditionRequest")] == ["A"]
    # R7: through A's tunnel only A's LWIP interface, and only its protocol and port
    assert net.traffic(UE, a_lwip)
    assert not net.traffic(UE, a_lwip, 6, 2152)
    assert not net.traffic(UE, a_other)
    assert not net.traffic(UE, b_lwip) and not net.traffic(UE, b_other)

    net.x2_handover(UE, "B", KENB_AT_B)
    # R9: A released the tunnel at the SeGW and, through the handover command, at the UE
    assert [r["enb"] for r in _xwap(net, "LWIPReleaseRequest")] == ["A"]
    assert not net.segw.has_psk(idi_a) and not net.ues[UE].holds_psk
    assert net.enbs["A"].state(UE) is State.IDLE and UE not in net.enbs["A"].ues()
    # nothing reaches A through the SeGW: not with A's old IDi, not without a tunnel
    assert not net.segw.allows(idi_a, a_lwip, 17, 2152)
    assert not net.traffic(UE, a_lwip)

    net.activate(UE)
    assert net.enbs["B"].state(UE) is State.ACTIVE and net.serving[UE] == "B"
    tunnel_b = net.ues[UE].tunnel
    assert tunnel_b is not None and tunnel_b.idi != idi_a
    assert [r["enb"] for r in _xwap(net, "LWIPAdditionRequest")] == ["A", "B"]
    assert net.segw.enb_interface(tunnel_b.idi) is not None
    # R7: B's tunnel reaches only B's LWIP interface
    assert net.traffic(UE, b_lwip)
    assert not net.traffic(UE, b_other)
    assert not net.traffic(UE, a_lwip) and not net.traffic(UE, a_other)
    assert not net.segw.allows(tunnel_b.idi, a_lwip, 17, 2152)
    assert net.segw.psk_count() == 1


def test_the_two_enb_demo_tells_the_story_in_memory() -> None:
    net = demo.run("x2-handover-two-enbs")
    assert isinstance(net, TwoEnbs)
    decisions = [(r["dst"], r["allowed"]) for r in _events(net, "segw", "traffic")]
    (a_lwip, a_other), (b_lwip, b_other) = net.addresses["A"], net.addresses["B"]
    assert decisions == [
        (a_lwip, True), (a_other, False), (b_lwip, False),
        (a_lwip, False),
        (b_lwip, True), (b_other, False), (a_lwip, False),
    ]  # fmt: skip
    assert demo.final_states(net) == {"1 at eNB B": State.ACTIVE}
    # every eNB record says which eNB it is; nothing else changes in the trace format
    assert all(r["enb"] in ("A", "B") for r in net.trace if "enb" in (r.get("src"), r.get("dst")))
    assert all(r["enb"] in ("A", "B") for r in net.trace if r.get("node") == "enb")


# ---- with real packets ----------------------------------------------------------------------


@pytest.fixture
def real_net() -> Iterator[RealTwoEnbs]:
    require_peer(*available())
    with RealTwoEnbs() as net:
        net.add_ue(UE)
        yield net


def _child(backend_sas: list[dict[str, object]]) -> dict[str, object]:
    (sa,) = backend_sas
    children = sa["child-sas"]
    assert isinstance(children, dict) and len(children) == 1
    (child,) = children.values()
    assert isinstance(child, dict)
    return child


def _pings(net: RealTwoEnbs, targets: dict[str, str], source: str | None = None) -> dict[str, int]:
    """Echo requests from the UE's namespace, 2 to each target at once: how many were
    answered."""
    topo = net.topology
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        futures = {
            name: pool.submit(topo.ping_count, "ue", dst, count=2, timeout_s=1.0, source=source)
            for name, dst in targets.items()
        }
        return {name: f.result() for name, f in futures.items()}


@pytest.mark.strongswan
def test_r7_r9_two_enbs_with_real_packets(real_net: RealTwoEnbs) -> None:
    net, topo = real_net, real_net.topology
    a, b = topo.sites["enb-a"], topo.sites["enb-b"]
    targets = {"A lwip": a.lwip, "A other": a.other, "B lwip": b.lwip, "B other": b.other}

    def arrivals() -> dict[str, dict[str, int]]:
        return {"A": topo.arrivals("enb-a"), "B": topo.arrivals("enb-b")}

    # ---- a tunnel set up by eNB A
    net.activate(UE)
    assert net.enbs["A"].state(UE) is State.ACTIVE
    idi_a = net.enbs["A"].idi(UE)
    assert isinstance(idi_a, Idi) and net.segw_backend.tunnel_up(idi_a)
    # The UE asked for everything; the SeGW granted A's LWIP address only (R7).
    assert _child(net.segw_backend.sas())["local-ts"] == [f"{a.lwip}/32"]
    assert _child(net.ue_backend.sas())["remote-ts"] == [f"{a.lwip}/32"]
    vip_a = net.ue_backend.virtual_ip()
    assert vip_a is not None

    before, drops = arrivals(), topo.drop_counts()
    sa_in = int(str(_child(net.segw_backend.sas())["packets-in"]))
    answered = _pings(net, targets) | {
        f"{name} (from the VIP)": n for name, n in _pings(net, targets, source=vip_a).items()
    }
    assert answered == {
        "A lwip": 2, "A other": 0, "B lwip": 0, "B other": 0,
        "A lwip (from the VIP)": 2, "A other (from the VIP)": 0,
        "B lwip (from the VIP)": 0, "B other (from the VIP)": 0,
    }  # fmt: skip
    after = arrivals()
    # Real packets: A's LWIP interface got the 4 echo requests, nothing else of A or B got any.
    assert after["A"]["ue-to-lwip"] - before["A"]["ue-to-lwip"] == 4
    assert after["A"]["ue-to-other"] == before["A"]["ue-to-other"]
    assert after["B"] == before["B"]
    # Exactly those 4 went through A's tunnel; the 12 others were offered in clear and dropped.
    assert int(str(_child(net.segw_backend.sas())["packets-in"])) - sa_in == 4
    assert topo.drop_counts()["r6-from-wlan"] - drops["r6-from-wlan"] == 12

    # ---- X2 handover to eNB B: A releases (R9)
    net.x2_handover(UE, "B", KENB_AT_B)
    assert net.segw_backend.sas() == [] and net.ue_backend.sas() == []
    assert not net.segw_backend.has_psk(idi_a) and net.ue_backend.shared_ids() == set()
    before, drops = arrivals(), topo.drop_counts()
    assert _pings(net, targets) == dict.fromkeys(targets, 0)
    assert not topo.ping("enb-a", vip_a, source=a.lwip)  # and nothing goes back either
    assert arrivals() == before  # nothing reached A (or B) through the SeGW
    assert topo.drop_counts()["r6-from-wlan"] - drops["r6-from-wlan"] == 8

    # ---- a fresh tunnel set up by eNB B
    net.activate(UE)
    assert net.enbs["B"].state(UE) is State.ACTIVE
    idi_b = net.enbs["B"].idi(UE)
    assert isinstance(idi_b, Idi) and idi_b != idi_a and net.segw_backend.tunnel_up(idi_b)
    assert net.segw_backend.idis() == [idi_b]
    assert _child(net.segw_backend.sas())["local-ts"] == [f"{b.lwip}/32"]
    assert _child(net.ue_backend.sas())["remote-ts"] == [f"{b.lwip}/32"]
    vip_b = net.ue_backend.virtual_ip()
    assert vip_b is not None

    before, drops = arrivals(), topo.drop_counts()
    sa_in = int(str(_child(net.segw_backend.sas())["packets-in"]))
    answered = _pings(net, targets) | {
        f"{name} (from the VIP)": n for name, n in _pings(net, targets, source=vip_b).items()
    }
    assert answered == {
        "A lwip": 0, "A other": 0, "B lwip": 2, "B other": 0,
        "A lwip (from the VIP)": 0, "A other (from the VIP)": 0,
        "B lwip (from the VIP)": 2, "B other (from the VIP)": 0,
    }  # fmt: skip
    after = arrivals()
    assert after["B"]["ue-to-lwip"] - before["B"]["ue-to-lwip"] == 4
    assert after["B"]["ue-to-other"] == before["B"]["ue-to-other"]
    assert after["A"] == before["A"]
    assert int(str(_child(net.segw_backend.sas())["packets-in"])) - sa_in == 4
    assert topo.drop_counts()["r6-from-wlan"] - drops["r6-from-wlan"] == 12
    # eNB B answers the UE through B's tunnel; eNB A cannot reach the UE at all
    assert topo.ping("enb-b", vip_b, source=b.lwip)
    assert not topo.ping("enb-a", vip_b, source=a.lwip)


@pytest.mark.strongswan
def test_the_two_enb_demo_with_real_daemons() -> None:
    require_peer(*available())
    net = demo.run("x2-handover-two-enbs", real=True)
    assert isinstance(net, RealTwoEnbs)
    try:
        decisions = [r["allowed"] for r in _events(net, "segw", "traffic")]
        assert decisions == [True, False, False, False, True, False, False]
        assert demo.final_states(net) == {"1 at eNB B": State.ACTIVE}
        assert [r["enb"] for r in _xwap(net, "LWIPAdditionRequest")] == ["A", "B"]
    finally:
        net.close()
    assert net.topology.marker is None
