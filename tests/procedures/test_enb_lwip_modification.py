"""eNB Initiated LWIP Modification (TS 36.463 8.15) at the eNB, from the caller's modify() to
what the UE and the caller are told.

- 8.15.2: LWIP MODIFICATION REQUEST names the UE by its pair of UE XwAP ids and carries the
  Cause (mandatory, 9.1.3.x; ``radioNetwork:unspecified`` unless the caller gives one), the new
  Serving PLMN and the new Mobility Set; on the acknowledge the UE gets the new mobility set in
  ``lwip-Configuration setup`` without a tunnel (TS 36.331 5.6.17.2 / 5.6.15.2: the WLANs no
  longer in the set in ``wlan-ToReleaseList``, the set in ``wlan-ToAddList``), and the caller is
  told the set and PLMN now in force.
- 8.15.3: on LWIP MODIFICATION REQUEST REJECT the tunnel stays as it was; the caller is told
  with the SeGW's cause and the PDU that said so.
- 8.2.2: a WLAN the SeGW does not offer for LWIP is refused before anything is sent.
"""

from __future__ import annotations

from helpers.enbstates import KENB, MAC

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.codec.xwap import Cause
from lwip_enb.core.controller import EnbController
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import (
    InputRejected,
    LwipModified,
    ModificationFailed,
    ModificationFailure,
    Output,
    PeerPdu,
    Rejection,
    SendRrc,
    SendXwap,
)
from lwip_enb.sim.testing import SEGW, PeerMessages, ready_controller

W1 = xwap.WlanInformation(ssid=b"lwip-1", usage=xwap.WlanUsage.LWA_AND_LWIP)
W2 = xwap.WlanInformation(ssid=b"lwip-2", usage=xwap.WlanUsage.LWA_AND_LWIP)
PEERS = PeerMessages(wlan_identifiers=(W1, W2))
PLMN = b"\x00\xf1\x10"
UE = "ue-m"
WT_UE_ID = 0x000321


def _active() -> tuple[EnbController, int]:
    """UE in ACTIVE with mobility set (W1,); its eNB UE XwAP id."""
    enb = ready_controller(messages=PEERS)
    out = enb.activate(UE, kenb=KENB, wlan_mac=MAC, now=0.0, wlan_ids=(W1,))
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    assert isinstance(request, xwap.LwipAdditionRequest)
    out = enb.receive_xwap(SEGW, PEERS.addition_ack(request.enb_ue_id, WT_UE_ID), 0.1)
    (setup,) = [o.message for o in out if isinstance(o, SendRrc)]
    assert isinstance(setup, rrc.RrcConnectionReconfiguration)
    complete = PEERS.reconfiguration_complete(setup.transaction_id)
    enb.receive_rrc(UE, RrcChannel.UL_DCCH, complete, 0.2)
    enb.receive_rrc(UE, RrcChannel.UL_DCCH, PEERS.wlan_success, 0.3)
    enb.tunnel_established(UE, 0.4)
    assert enb.state(UE) is State.ACTIVE
    return enb, request.enb_ue_id


def _request(out: list[Output]) -> xwap.LwipModificationRequest:
    (request,) = [o.message for o in out if isinstance(o, SendXwap) and o.ue == UE]
    assert isinstance(request, xwap.LwipModificationRequest)
    return request


def test_ts36463_8_15_2_request_carries_ids_cause_plmn_and_set_then_the_ue_gets_the_set() -> None:
    enb, enb_ue_id = _active()
    cause = Cause.misc("om-intervention")
    request = _request(enb.modify(UE, 1.0, wlan_ids=(W2,), serving_plmn=PLMN, cause=cause))
    assert (request.enb_ue_id, request.wt_ue_id, request.cause) == (enb_ue_id, WT_UE_ID, cause)
    assert request.serving_plmn == PLMN
    assert [w.ssid for w in request.mobility_set] == [W2.ssid]
    out = enb.receive_xwap(SEGW, PEERS.modification_ack(enb_ue_id, WT_UE_ID), 1.5)
    (to_ue,) = [o for o in out if isinstance(o, SendRrc)]
    assert to_ue.ue == UE and to_ue.channel is RrcChannel.DL_DCCH
    reconfiguration = rrc.decode(RrcChannel.DL_DCCH, to_ue.pdu)  # what goes to the UE
    assert isinstance(reconfiguration, rrc.RrcConnectionReconfiguration)
    assert isinstance(reconfiguration.lwip, rrc.LwipSetup)
    assert reconfiguration.lwip.tunnel is None  # the tunnel is not touched
    mobility = reconfiguration.lwip.mobility
    assert mobility is not None
    assert [w.ssid for w in mobility.to_release] == [W1.ssid]
    assert [w.ssid for w in mobility.to_add] == [W2.ssid]
    (modified,) = [o for o in out if isinstance(o, LwipModified)]
    assert (modified.ue, [w.ssid for w in modified.mobility_set]) == (UE, [W2.ssid])
    assert modified.serving_plmn == PLMN
    assert enb.state(UE) is State.ACTIVE


def test_ts36463_8_15_2_a_new_plmn_alone_sends_nothing_to_the_ue() -> None:
    enb, enb_ue_id = _active()
    request = _request(enb.modify(UE, 1.0, serving_plmn=PLMN))
    assert request.cause == Cause.radio_network("unspecified")  # the mandatory Cause
    assert request.mobility_set == ()
    out = enb.receive_xwap(SEGW, PEERS.modification_ack(enb_ue_id, WT_UE_ID), 1.5)
    assert not [o for o in out if isinstance(o, SendRrc)]
    (modified,) = [o for o in out if isinstance(o, LwipModified)]
    assert [w.ssid for w in modified.mobility_set] == [W1.ssid]
    assert modified.serving_plmn == PLMN


def test_ts36463_8_15_3_a_rejected_modification_says_the_segws_cause_and_pdu() -> None:
    enb, enb_ue_id = _active()
    enb.modify(UE, 1.0, wlan_ids=(W2,))
    cause = Cause.radio_network("wLAN-not-available")
    out = enb.receive_xwap(SEGW, PEERS.modification_reject(enb_ue_id, WT_UE_ID, cause), 1.5)
    (failed,) = [o for o in out if isinstance(o, ModificationFailed)]
    assert (failed.ue, failed.reason, failed.cause) == (UE, ModificationFailure.REJECTED, cause)
    assert failed.pdu is not None and failed.error is None
    assert failed.pdu.message == "LWIPModificationRequestReject"
    assert (failed.pdu.enb_ue_id, failed.pdu.wt_ue_id, failed.pdu.cause) == (
        enb_ue_id,
        WT_UE_ID,
        cause,
    )
    assert isinstance(failed.pdu, PeerPdu)
    assert not [o for o in out if isinstance(o, SendRrc)]
    assert enb.state(UE) is State.ACTIVE
    # the set did not change: a later modification still releases W1
    enb.modify(UE, 2.0, wlan_ids=(W2,))
    out = enb.receive_xwap(SEGW, PEERS.modification_ack(enb_ue_id, WT_UE_ID), 2.5)
    (to_ue,) = [o.message for o in out if isinstance(o, SendRrc)]
    assert isinstance(to_ue, rrc.RrcConnectionReconfiguration)
    assert isinstance(to_ue.lwip, rrc.LwipSetup) and to_ue.lwip.mobility is not None
    assert [w.ssid for w in to_ue.lwip.mobility.to_release] == [W1.ssid]


def test_ts36463_8_2_2_a_wlan_not_offered_for_lwip_is_refused_naming_the_ue() -> None:
    enb, _ = _active()
    other = xwap.WlanInformation(ssid=b"not-offered", usage=xwap.WlanUsage.LWA_AND_LWIP)
    assert enb.modify(UE, 1.0, wlan_ids=(other,)) == [
        ModificationFailed(UE, ModificationFailure.NOT_OFFERED)
    ]
    assert enb.state(UE) is State.ACTIVE


def test_ts36463_8_15_modify_for_a_ue_the_enb_does_not_hold_is_refused_naming_it() -> None:
    enb = ready_controller(messages=PEERS)
    (rejected,) = enb.modify("nobody", 0.0, serving_plmn=PLMN)
    assert isinstance(rejected, InputRejected)
    assert (rejected.ue, rejected.kind) == ("nobody", Rejection.UNKNOWN_UE)
