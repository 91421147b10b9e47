"""R9: on S1 and X2 handover the eNB releases the tunnel at SeGW and UE; both delete the PSK;
the UE can be activated again under the new KeNB."""

from __future__ import annotations

import pytest
from helpers import pycrate_oracle as oracle
from helpers import spec_pdus as pdus
from helpers.simhelpers import messages, new_sim

from lwip_enb.core.controller import EnbConfig, HandoverKind, HandoverUeRelease
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import SendRrc, SendXwap, TunnelReleased
from lwip_enb.peers import segw_outputs, ue_outputs
from lwip_enb.peers import ue as ue_mod

NEW_KENB = bytes(range(100, 132))


@pytest.mark.parametrize("kind", list(HandoverKind))
def test_r9_handover_releases_both_ends(kind: HandoverKind) -> None:
    """R9 (TS 33.401 16.5): on S1 or X2 handover the eNB instructs the SeGW to release the tunnel
    (TS 36.463 8.16.2, LWIP RELEASE REQUEST with the UE's pair of XwAP IDs) and the SeGW deletes
    the LWIP-PSK; the UE releases LWIP on the handover command (TS 36.331 5.3.5.4: a
    reconfiguration with mobilityControlInfo; with the default implicit release the eNB sends
    the UE nothing else) and deletes the PSK. The handover command is built here with pycrate."""
    sim = new_sim()
    sim.activate(1)
    (request,) = messages(sim, "LWIPAdditionRequest")
    (ack,) = messages(sim, "LWIPAdditionRequestAcknowledge")
    enb_ue_id = pdus.ue_id(pdus.read(bytes.fromhex(request["pdu"]))[4][pdus.ID_ENB_UE_XWAP_ID])
    wt_ue_id = pdus.ue_id(pdus.read(bytes.fromhex(ack["pdu"]))[4][pdus.ID_WT_UE_XWAP_ID])

    out = sim.enb.handover(1, kind, sim.now, new_kenb=NEW_KENB)

    assert not [o for o in out if isinstance(o, SendRrc)]  # implicit: the command releases
    assert [o.ue for o in out if isinstance(o, TunnelReleased)] == [1]
    assert sim.enb.state(1) is State.IDLE
    (release,) = [o for o in out if isinstance(o, SendXwap)]
    kind_, code, _crit, _name, ies = pdus.read(release.pdu)
    assert (kind_, code) == ("initiatingMessage", pdus.ENB_INITIATED_LWIP_RELEASE)
    ids = (pdus.ue_id(ies[pdus.ID_ENB_UE_XWAP_ID]), pdus.ue_id(ies[pdus.ID_WT_UE_XWAP_ID]))
    assert ids == (enb_ue_id, wt_ue_id)

    segw_out = sim.segw.receive_xwap("enb", release.pdu, sim.now)
    assert any(isinstance(o, segw_outputs.PskDeleted) for o in segw_out)
    assert sim.segw.psk_count() == 0

    command = pdus.handover_command(transaction_id=1, target_pci=7, new_crnti=0x4321)
    ue_out = sim.ues[1].receive_rrc(command, sim.now)
    assert any(isinstance(o, ue_outputs.PskDeleted) for o in ue_out)
    assert not sim.ues[1].holds_psk and sim.ues[1].state is ue_mod.UeState.NO_LWIP


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
