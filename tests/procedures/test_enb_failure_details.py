"""What the caller is told when a procedure with the SeGW ends in an error rather than an answer.

- TS 36.413 10.6 (applied to XwAP by TS 36.463 clause 10): a message whose UE XwAP ids are
  inconsistent with the UE's connection ends it; while the addition is outstanding the caller
  gets ActivationFailed, whose cause is the one the eNB put in its Error Indication, and the PDU
  that caused it.
- TS 36.413 10.3.4.2: a response whose IE of criticality reject is not comprehended ends the
  procedure unsuccessfully; for the eNB Initiated LWIP Modification (TS 36.463 8.15) the caller
  gets ModificationFailed with the decode error and the PDU's ids, and the UE keeps its tunnel.

The SeGW's PDUs are built with pycrate (helpers/spec_pdus.py) and the eNB's read with it.
"""

from __future__ import annotations

from helpers import spec_pdus as pdus
from helpers.enbstates import KENB, MAC

from lwip_enb.codec import xwap
from lwip_enb.codec.xwap import Cause
from lwip_enb.core.controller import EnbController
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import (
    ActivationFailed,
    ActivationFailure,
    InputRejected,
    ModificationFailed,
    ModificationFailure,
    Output,
    Rejection,
    SendRrc,
    SendXwap,
)
from lwip_enb.errors import DecodeError
from lwip_enb.sim.testing import SEGW, PeerMessages, bring_up, ready_controller

W1 = xwap.WlanInformation(ssid=b"lwip-1", usage=xwap.WlanUsage.LWA_AND_LWIP)
W2 = xwap.WlanInformation(ssid=b"lwip-2", usage=xwap.WlanUsage.LWA_AND_LWIP)
PEERS = PeerMessages(wlan_identifiers=(W1, W2))
UE = "ue-f"
WT_UE_ID = 0x000456


def _brought_to(state: State) -> tuple[EnbController, int]:
    """The UE brought to ``state`` (the SeGW's WLANs W1 and W2 as its mobility set); its eNB UE
    XwAP id."""
    enb = ready_controller(messages=PEERS)
    out = bring_up(enb, UE, kenb=KENB, wlan_mac=MAC, to=state, wt_ue_id=WT_UE_ID, messages=PEERS)
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    assert isinstance(request, xwap.LwipAdditionRequest)
    return enb, request.enb_ue_id


def _adding() -> tuple[EnbController, int]:
    return _brought_to(State.ADDING)


def _active() -> tuple[EnbController, int]:
    return _brought_to(State.ACTIVE)


def _error_indications(out: list[Output]) -> list[tuple[str, dict[int, object]]]:
    """(message name, IEs) of each Error Indication the eNB sent, read by pycrate."""
    found = []
    for o in out:
        if isinstance(o, SendXwap):
            _kind, code, _crit, name, ies = pdus.read(o.pdu)
            if code == pdus.ERROR_INDICATION:
                found.append((name, ies))
    return found


def test_ts36413_10_6_ids_inconsistent_during_the_addition_fail_it_with_the_enbs_cause() -> None:
    """LWIP RELEASE REQUIRED naming the UE's eNB UE XwAP ID with a WT UE XwAP ID the eNB was
    never given (the addition is still outstanding): the eNB sends an Error Indication with
    those ids and ``unknown-pair-of-UE-XwAP-ID``, and the caller's ActivationFailed carries
    that same cause and the PDU that caused it."""
    enb, enb_ue_id = _adding()
    stray = 0x000777
    out = enb.receive_xwap(SEGW, pdus.lwip_release_required(enb_ue_id, stray), 0.5)
    ((name, ies),) = _error_indications(out)
    assert name == "ErrorIndication"
    assert ies[pdus.ID_CAUSE] == ("radioNetwork", "unknown-pair-of-UE-XwAP-ID")
    assert (pdus.ue_id(ies[pdus.ID_ENB_UE_XWAP_ID]), pdus.ue_id(ies[pdus.ID_WT_UE_XWAP_ID])) == (
        enb_ue_id,
        stray,
    )
    (failed,) = [o for o in out if isinstance(o, ActivationFailed)]
    assert (failed.ue, failed.reason, failed.segw) == (UE, ActivationFailure.XWAP_ID_ERROR, SEGW)
    assert failed.cause == Cause.radio_network("unknown-pair-of-UE-XwAP-ID")
    assert failed.pdu is not None
    assert (failed.pdu.message, failed.pdu.enb_ue_id, failed.pdu.wt_ue_id) == (
        "LWIPReleaseRequired",
        enb_ue_id,
        stray,
    )
    assert enb.state(UE) is State.IDLE


def test_ts36413_10_3_4_2_a_modification_answer_not_comprehended_fails_it_with_the_error() -> None:
    """LWIP MODIFICATION REQUEST ACKNOWLEDGE with an IE of criticality reject that 36.463 does
    not define: the modification ends unsuccessfully. The caller's ModificationFailed says the
    SeGW erred, carries the decode error (the IE and its criticality) and the PDU's procedure
    and ids; the UE keeps its tunnel, is sent nothing, and the SeGW gets an Error Indication
    with the Criticality Diagnostics."""
    enb, enb_ue_id = _active()
    enb.modify(UE, 1.0, wlan_ids=(W2,))
    assert enb.state(UE) is State.MODIFYING
    answer = pdus.with_extra_ie(
        pdus.lwip_modification_answer(enb_ue_id, WT_UE_ID, None), 999, "reject"
    )
    out = enb.receive_xwap(SEGW, answer, 1.5)
    (failed,) = [o for o in out if isinstance(o, ModificationFailed)]
    assert (failed.ue, failed.reason) == (UE, ModificationFailure.SEGW_ERROR)
    assert isinstance(failed.error, DecodeError)
    assert (failed.error.ie_id, failed.error.criticality) == (999, "reject")
    assert failed.pdu is not None
    assert (failed.pdu.procedure, failed.pdu.enb_ue_id, failed.pdu.wt_ue_id) == (
        pdus.ENB_INITIATED_LWIP_MODIFICATION,
        enb_ue_id,
        WT_UE_ID,
    )
    assert not [o for o in out if isinstance(o, SendRrc)]
    assert enb.state(UE) is State.ACTIVE
    ((_name, ies),) = _error_indications(out)
    assert ies[pdus.ID_CAUSE] == ("protocol", "abstract-syntax-error-reject")
    diagnostics = ies[pdus.ID_CRITICALITY_DIAGNOSTICS]
    assert diagnostics["procedureCode"] == pdus.ENB_INITIATED_LWIP_MODIFICATION  # type: ignore[index]
    assert diagnostics["iEsCriticalityDiagnostics"] == [  # type: ignore[index]
        {"iECriticality": "reject", "iE-ID": 999, "typeOfError": "not-understood"}
    ]


def test_ts36413_10_3_4_2_an_acknowledge_without_the_enb_ue_xwap_id_names_no_ue() -> None:
    """LWIP ADDITION REQUEST ACKNOWLEDGE without the eNB UE XwAP ID (mandatory, criticality
    ignore, 9.1.28): no UE can be found from it. The eNB reports the input as naming unknown
    ids, with the SeGW, the message, its procedure and the WT UE XwAP ID it did carry; the
    addition stays outstanding (its guard timer decides) and nothing is sent."""
    enb, _ = _adding()
    ack = pdus._pdu(
        "successfulOutcome",
        pdus.LWIP_ADDITION_PREPARATION,
        "reject",
        "LWIPAdditionRequestAcknowledge",
        [
            {
                "id": pdus.ID_WT_UE_XWAP_ID,
                "criticality": "ignore",
                "value": ("UE-XwAP-ID", WT_UE_ID.to_bytes(3, "big")),
            }
        ],
    )
    out = enb.receive_xwap(SEGW, ack, 0.2)
    (rejected,) = out
    assert isinstance(rejected, InputRejected)
    assert (rejected.ue, rejected.kind) == (None, Rejection.UNKNOWN_XWAP_IDS)
    assert (rejected.segw, rejected.message, rejected.procedure, rejected.wt_ue_id) == (
        SEGW,
        "LWIPAdditionRequestAcknowledge",
        pdus.LWIP_ADDITION_PREPARATION,
        WT_UE_ID,
    )
    assert enb.state(UE) is State.ADDING and enb.next_timer() is not None
