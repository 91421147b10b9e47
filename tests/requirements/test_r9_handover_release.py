"""R9: on S1 and X2 handover the eNB releases the tunnel at SeGW and UE; both delete the PSK;
the UE can be activated again under the new KeNB."""

from __future__ import annotations

import pytest
from helpers import pycrate_oracle as oracle
from helpers.simhelpers import events, messages, new_sim

from lwip_enb.core.controller import EnbConfig, HandoverKind, HandoverUeRelease
from lwip_enb.core.fsm import State

NEW_KENB = bytes(range(100, 132))


@pytest.mark.parametrize("kind", list(HandoverKind))
def test_r9_handover_releases_both_ends(kind: HandoverKind) -> None:
    sim = new_sim()
    sim.activate(1)
    mark = len(sim.trace)
    sim.handover(1, kind, NEW_KENB)
    (release,) = messages(sim, "LWIPReleaseRequest", mark)
    assert release["src"] == "enb" and release["dst"] == "segw"
    assert events(sim, "segw", "psk-deleted", mark) and events(sim, "ue", "psk-deleted", mark)
    assert sim.segw.psk_count() == 0 and not sim.ues[1].holds_psk
    assert sim.enb.state(1) is State.IDLE
    # Implicit UE release (default): the handover command carries mobilityControlInfo.
    cmd = messages(sim, "RRCConnectionReconfiguration", mark)[-1]
    value = oracle.rrc_decode("dl-dcch", bytes.fromhex(cmd["pdu"]))
    assert "mobilityControlInfo" in value["message"][1][1]["criticalExtensions"][1][1]


@pytest.mark.parametrize("kind", list(HandoverKind))
def test_r9_reactivation_under_the_new_kenb_restarts_the_counter(kind: HandoverKind) -> None:
    sim = new_sim()
    sim.activate(1)
    sim.handover(1, kind, NEW_KENB)
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE
    tunnel = sim.ues[1].tunnel
    assert tunnel is not None and tunnel.counter == 0  # new KeNB, new counter space


def test_r9_explicit_release_option_sends_lwip_release_first() -> None:
    sim = new_sim(enb_config=EnbConfig(handover_ue_release=HandoverUeRelease.EXPLICIT))
    sim.activate(1)
    mark = len(sim.trace)
    sim.handover(1, HandoverKind.X2, NEW_KENB)
    reconfs = messages(sim, "RRCConnectionReconfiguration", mark)
    first = oracle.rrc_decode("dl-dcch", bytes.fromhex(reconfs[0]["pdu"]))
    r8 = first["message"][1][1]["criticalExtensions"][1][1]
    for _ in range(6):
        r8 = r8["nonCriticalExtension"]
    assert r8["lwip-Configuration-r13"] == ("release", 0)


def test_r9_handover_during_addition_undoes_it_at_the_segw() -> None:
    sim = new_sim()
    enb = sim.enb
    out = enb.activate(1, kenb=sim.kenb_of(1), wlan_mac=sim.ues[1].wlan_mac, now=0.0)
    # The SeGW has the request but its answer has not arrived when the handover comes.
    (send,) = [o for o in out if hasattr(o, "pdu") and o.message.MESSAGE == "LWIPAdditionRequest"]
    segw_out = sim.segw.receive_xwap("enb", send.pdu, 0.0)
    enb.handover(1, HandoverKind.X2, 0.0)
    assert enb.state(1) is State.CANCELLING
    ack = next(o for o in segw_out if hasattr(o, "pdu"))
    after = enb.receive_xwap("segw", ack.pdu, 0.01)
    sends = [o for o in after if hasattr(o, "pdu")]
    assert [o.message.MESSAGE for o in sends] == ["LWIPReleaseRequest"]
    sim.segw.receive_xwap("enb", sends[0].pdu, 0.02)
    assert sim.segw.psk_count() == 0 and enb.state(1) is State.IDLE
