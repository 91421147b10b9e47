"""UE XwAP IDs at the reference SeGW. A UE-associated message names its connection by the pair
(eNB UE XwAP ID, WT UE XwAP ID) (TS 36.463 3.1); 36.463 clause 10 applies TS 36.413 10.6 to
IDs that are unknown or do not form a pair. As we read 10.6 (TS 36.413 is not on this machine;
docs/reference-peers.md says what we rely on):

- a first message whose remote AP ID is already stored for another connection with the same
  peer: Error Indication with that AP ID, and both nodes release any connection having it;
- a message (not the first or first returned) with AP IDs naming no connection: if it is not the
  last message of its connection, Error Indication with the received AP IDs and local release of
  any connection having one of them as local or remote ID; if it is the last message, only the
  local release.

The eNB's PDUs are built with pycrate (helpers/spec_pdus.py), the SeGW's read with it.
"""

from __future__ import annotations

from helpers import spec_pdus as pdus
from helpers.segwhelpers import ENB, MAC, add, deleted, idi, ids, psk, ready_segw, sent

from lwip_enb.codec.xwap import Cause
from lwip_enb.peers import segw_outputs as out
from lwip_enb.peers.segw import SegwConfig

ID_ERROR = out.ReleaseTrigger.XWAP_ID_ERROR
UNSPECIFIED = ("protocol", "unspecified")


def _rejected(outputs: list[object]) -> out.InputRejected:
    (rejected,) = [o for o in outputs if isinstance(o, out.InputRejected)]
    return rejected


def test_ts36413_10_6_second_addition_for_a_held_enb_ue_xwap_id_gets_error_indication() -> None:
    """TS 36.413 10.6, first message: a second LWIP ADDITION REQUEST with the eNB UE XwAP ID of
    a live connection names an AP ID "which has been stored previously for another
    UE-associated logical connection". The SeGW sends an Error Indication with that ID, makes no
    second tunnel (no second PSK for one UE) and releases the connection that had the ID: its
    PSK is deleted (R5)."""
    segw = ready_segw()
    wt = add(segw, 1, enb_ue_id=7)
    first = segw.psk(idi(1))

    outputs = segw.receive_xwap(ENB, pdus.lwip_addition_request(7, MAC, psk(2), idi(2)), 1.0)

    (reply,) = sent(outputs)
    assert (reply[1], reply[3]) == (pdus.ERROR_INDICATION, "ErrorIndication")
    assert ids(reply) == (7, None)
    assert reply[4][pdus.ID_CAUSE] == ("radioNetwork", "unknown-eNB-UE-XwAP-ID")
    assert {i: r.trigger for i, r in deleted(outputs).items()} == {idi(1): ID_ERROR}
    assert first is not None and first.wiped
    assert segw.psk_count() == 0 and not segw.has_psk(idi(2))
    assert _rejected(outputs).kind is out.Rejection.UNKNOWN_XWAP_IDS
    # The WT UE XwAP ID of the released connection is free again: no trace of it is left.
    assert sent(segw.receive_xwap(ENB, pdus.lwip_release_confirm(7, wt), 2.0)) == []


def test_ts36413_10_6_error_indication_naming_a_tunnel_by_its_enb_ue_xwap_id_releases_it() -> None:
    """An Error Indication from the eNB with a tunnel's eNB UE XwAP ID but another WT UE XwAP
    ID names no connection: 10.6 releases locally every connection having one of the IDs, here
    the tunnel of that eNB UE XwAP ID (its PSK deleted). An Error Indication is not answered
    with one."""
    segw = ready_segw()
    wt = add(segw, 1)
    outputs = segw.receive_xwap(ENB, pdus.error_indication(1, wt + 100, UNSPECIFIED), 1.0)
    assert {i: r.trigger for i, r in deleted(outputs).items()} == {idi(1): ID_ERROR}
    assert sent(outputs) == []
    assert _rejected(outputs).kind is out.Rejection.ERROR_INDICATION


def test_ts36413_10_6_error_indication_with_an_inconsistent_pair_is_an_id_error() -> None:
    """The WT UE XwAP ID of a tunnel with another eNB UE XwAP ID is not that tunnel's pair
    (36.463 3.1): the Error Indication names no connection, and 10.6 releases every connection
    having one of its IDs, whatever its cause."""
    segw = ready_segw()
    wt = add(segw, 1)
    add(segw, 2)
    outputs = segw.receive_xwap(ENB, pdus.error_indication(3, wt, UNSPECIFIED), 1.0)
    assert {i: r.trigger for i, r in deleted(outputs).items()} == {idi(1): ID_ERROR}
    assert segw.has_psk(idi(2))


def test_ts36463_8_6_error_indication_with_a_tunnels_pair_releases_it_only_for_an_id_cause() -> (
    None
):
    """36.463 8.6: an Error Indication reports an error in one message and mandates no release:
    with a tunnel's pair and another cause the tunnel stays. With a cause saying the IDs are in
    error (8.6.2: unknown eNB / WT UE XwAP ID, unknown pair; clause 10: wrong WLAN interworking
    mode), the eNB releases the connection locally (TS 36.413 10.6: "both nodes"), and so does
    the SeGW: the PSK goes (R5)."""
    segw = ready_segw()
    wt = add(segw, 1)
    kept = segw.receive_xwap(ENB, pdus.error_indication(1, wt, UNSPECIFIED), 1.0)
    assert deleted(kept) == {} and segw.has_psk(idi(1)) and sent(kept) == []
    assert _rejected(kept).kind is out.Rejection.ERROR_INDICATION
    id_cause = ("radioNetwork", "unknown-pair-of-UE-XwAP-ID")
    released = segw.receive_xwap(ENB, pdus.error_indication(1, wt, id_cause), 1.0)
    assert {i: r.trigger for i, r in deleted(released).items()} == {
        idi(1): out.ReleaseTrigger.ENB_ERROR
    }


def test_ts36413_10_6_release_request_with_an_unknown_pair_releases_locally_only() -> None:
    """LWIP RELEASE REQUEST is the last message of its connection (8.16, class 2): with a pair
    that names no connection, 10.6 asks for the local release of any connection having either
    ID, and no Error Indication."""
    segw = ready_segw()
    wt = add(segw, 1)
    add(segw, 2)
    outputs = segw.receive_xwap(ENB, pdus.lwip_release_request(1, wt + 100), 1.0)
    assert sent(outputs) == []
    assert {i: r.trigger for i, r in deleted(outputs).items()} == {idi(1): ID_ERROR}
    assert segw.has_psk(idi(2))
    assert _rejected(outputs).kind is out.Rejection.UNKNOWN_XWAP_IDS


def test_ts36413_10_6_modification_request_with_an_inconsistent_pair_gets_error_indication() -> (
    None
):
    """LWIP MODIFICATION REQUEST is neither the first nor the last message of its connection:
    with IDs naming no connection the SeGW answers with an Error Indication carrying the
    received IDs (36.463 8.6.2: the cause says which is wrong), not with the procedure's
    answer, and releases every connection having one of them."""
    segw = ready_segw()
    wt1 = add(segw, 1)
    wt2 = add(segw, 2)
    outputs = segw.receive_xwap(ENB, pdus.lwip_modification_request(1, wt2), 1.0)
    (reply,) = sent(outputs)
    assert (reply[1], reply[3]) == (pdus.ERROR_INDICATION, "ErrorIndication")
    assert ids(reply) == (1, wt2)
    assert reply[4][pdus.ID_CAUSE] == ("radioNetwork", "unknown-pair-of-UE-XwAP-ID")
    assert reply[4][pdus.ID_CRITICALITY_DIAGNOSTICS]["procedureCode"] == (
        pdus.ENB_INITIATED_LWIP_MODIFICATION
    )
    assert set(deleted(outputs)) == {idi(1), idi(2)}
    unknown = segw.receive_xwap(ENB, pdus.lwip_modification_request(1, wt1), 2.0)
    (again,) = sent(unknown)
    assert again[4][pdus.ID_CAUSE] == ("radioNetwork", "unknown-pair-of-UE-XwAP-ID")


def test_ts36413_10_6_release_confirm_with_an_unknown_pair_releases_locally_only() -> None:
    """LWIP RELEASE CONFIRM is the last message of the WT initiated release (8.17): with a pair
    naming no connection, local release of any connection having either ID, no Error
    Indication."""
    segw = ready_segw()
    wt = add(segw, 1)
    outputs = segw.receive_xwap(ENB, pdus.lwip_release_confirm(1, wt + 5), 1.0)
    assert sent(outputs) == []
    assert {i: r.trigger for i, r in deleted(outputs).items()} == {idi(1): ID_ERROR}


def test_ts36463_8_17_2_release_confirm_ends_the_segws_release_or_it_times_out() -> None:
    """8.17.2: after LWIP RELEASE REQUIRED the eNB replies with LWIP RELEASE CONFIRM. The SeGW
    deletes the PSK at once (R5) and keeps the connection's IDs until the confirm, the last
    message: the confirm with the pair ends it quietly. Without one, the SeGW says so at the end
    of its guard time and frees the IDs."""
    segw = ready_segw(SegwConfig(release_confirm_guard_s=5.0))
    wt = add(segw, 1)
    outputs = segw.release(idi(1), Cause.misc("om-intervention"), 1.0)
    (required,) = sent(outputs)
    assert required[3] == "LWIPReleaseRequired" and ids(required) == (1, wt)
    assert not segw.has_psk(idi(1))
    assert segw.receive_xwap(ENB, pdus.lwip_release_confirm(1, wt), 2.0) == []

    wt2 = add(segw, 2)
    segw.release(idi(2), Cause.misc("om-intervention"), 3.0)
    assert segw.handle_timer(8.0) == [out.NoAnswer(ENB, "LWIPReleaseRequired", 2, wt2)]
    late = segw.receive_xwap(ENB, pdus.lwip_release_confirm(2, wt2), 9.0)
    assert _rejected(late).kind is out.Rejection.UNKNOWN_XWAP_IDS and sent(late) == []


def test_ts36463_8_6_2_the_error_indication_cause_says_which_ue_xwap_id_is_unknown() -> None:
    """36.463 8.6.2 / 36.413 10.6: with one ID known and the other not, the cause of the Error
    Indication names the unknown one (unknown-WT-UE-XwAP-ID, unknown-eNB-UE-XwAP-ID), the
    diagnostics name the message (procedure code and initiating message, 9.2.7), and the
    connection having the known ID is released locally, its PSK deleted with that cause (R5)."""
    for known in ("enb", "wt"):
        segw = ready_segw()
        wt = add(segw, 1)
        enb_ue_id, wt_ue_id = (1, wt + 100) if known == "enb" else (7, wt)
        outputs = segw.receive_xwap(ENB, pdus.lwip_modification_request(enb_ue_id, wt_ue_id), 1.0)
        (reply,) = sent(outputs)
        assert (reply[3], ids(reply)) == ("ErrorIndication", (enb_ue_id, wt_ue_id))
        value = "unknown-WT-UE-XwAP-ID" if known == "enb" else "unknown-eNB-UE-XwAP-ID"
        assert reply[4][pdus.ID_CAUSE] == ("radioNetwork", value)
        diagnostics = reply[4][pdus.ID_CRITICALITY_DIAGNOSTICS]
        assert diagnostics["procedureCode"] == pdus.ENB_INITIATED_LWIP_MODIFICATION
        assert diagnostics["triggeringMessage"] == "initiating-message"
        cause = Cause.radio_network(value)
        assert deleted(outputs) == {idi(1): out.ReleaseReason(ID_ERROR, cause)}
        rejected = _rejected(outputs)
        assert (rejected.kind, rejected.cause) == (out.Rejection.UNKNOWN_XWAP_IDS, cause)
        assert (rejected.enb_ue_id, rejected.wt_ue_id) == (enb_ue_id, wt_ue_id)
