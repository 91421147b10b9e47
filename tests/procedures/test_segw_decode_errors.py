"""What the reference SeGW sends about XwAP it cannot decode (TS 36.463 clause 10, TS 36.413
10.2-10.3 and 10.5): an Error Indication with the cause and the Criticality Diagnostics, and,
about a UE-associated message, with its UE XwAP IDs as far as they could be read (36.463 8.6.1:
"If the error situation arises due to reception of a message which used UE-associated
signalling, then the Error Indication procedure uses UE-associated signalling"; 8.6.2: then both
IDs "shall be included").

The eNB's PDUs are built with pycrate (helpers/spec_pdus.py), the SeGW's read with it.
"""

from __future__ import annotations

from helpers import spec_pdus as pdus
from helpers.segwhelpers import ENB, add, ids, ready_segw, sent

from lwip_enb.peers import segw_outputs as out


def _with_unknown_reject_ie(pdu: bytes) -> bytes:
    """``pdu`` with one more IE, id 999 and criticality reject, which no XwAP IE set has."""
    return pdus.with_extra_ie(pdu, 999, "reject")


def test_ts36463_8_6_2_error_indication_after_a_decode_error_carries_the_ue_xwap_ids() -> None:
    """LWIP RELEASE REQUEST (class 2) with an IE not comprehended, criticality reject (TS 36.413
    10.3.4.2: the procedure is terminated and the Error Indication procedure initiated): the
    Error Indication names the message's eNB and WT UE XwAP IDs, the cause
    abstract-syntax-error-reject and the IE in the Criticality Diagnostics. The tunnel stays (a
    syntax error is no release)."""
    segw = ready_segw()
    wt = add(segw, 1)
    outputs = segw.receive_xwap(ENB, _with_unknown_reject_ie(pdus.lwip_release_request(1, wt)), 1.0)
    (reply,) = sent(outputs)
    assert (reply[1], reply[3]) == (pdus.ERROR_INDICATION, "ErrorIndication")
    assert ids(reply) == (1, wt)
    assert reply[4][pdus.ID_CAUSE] == ("protocol", "abstract-syntax-error-reject")
    diagnostics = reply[4][pdus.ID_CRITICALITY_DIAGNOSTICS]
    assert diagnostics["procedureCode"] == pdus.ENB_INITIATED_LWIP_RELEASE
    assert diagnostics["iEsCriticalityDiagnostics"] == [
        {"iECriticality": "reject", "iE-ID": 999, "typeOfError": "not-understood"}
    ]
    (rejected,) = [o for o in outputs if isinstance(o, out.InputRejected)]
    assert (rejected.kind, rejected.enb_ue_id, rejected.wt_ue_id) == (
        out.Rejection.UNDECODABLE,
        1,
        wt,
    )
    assert segw.psk_count() == 1


def test_ts36463_8_6_1_error_indication_about_a_non_ue_associated_message_has_no_ids() -> None:
    """The counterpart: RESET with the same unknown IE is not UE-associated, so its Error
    Indication carries no UE XwAP ID; nor does one about octets that are no XwAP PDU (TS 36.413
    10.2, transfer syntax error)."""
    segw = ready_segw()
    (reply,) = sent(segw.receive_xwap(ENB, _with_unknown_reject_ie(pdus.reset()), 1.0))
    assert reply[3] == "ErrorIndication" and ids(reply) == (None, None)
    (garbage,) = sent(segw.receive_xwap(ENB, b"\xff\xff\xff", 1.0))
    assert ids(garbage) == (None, None)
    assert garbage[4][pdus.ID_CAUSE] == ("protocol", "transfer-syntax-error")
