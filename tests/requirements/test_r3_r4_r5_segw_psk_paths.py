"""The reference SeGW's PSK paths, each against the rule it follows.

- R3 (TS 33.401 Annex H): the SeGW finds the LWIP-PSK by the received IDi; ``psk(idi)`` is the
  key the eNB sent, for a real IKE stack.
- R4: IKE is accepted only inside the window, whether the model or a real stack (strongSwan,
  ``tunnel_established``) ran it; after the window PSK and IDi are gone.
- R5: the PSK is deleted on every release: LWIP RELEASE REQUEST of the pair of UE XwAP ids
  (TS 36.463 8.16), an Error Indication whose cause says the UE XwAP ids are in error (TS 36.413
  10.6; one with another cause releases nothing, 36.463 8.6), Xw Reset (8.7), loss of the
  association.
- RFC 7296 2.15 / 2.10: AUTH = prf(prf(PSK, "Key Pad for IKEv2"), signed octets), where the
  model signs role | own nonce | peer nonce | IDi (``ike.auth_value``); a nonce of IKE_SA_INIT
  serves one IKE_AUTH; a refused IKE_AUTH is a refusal (``ok`` False).
- TS 36.463 10: bytes that do not decode get an Error Indication with cause
  ``transfer-syntax-error``; a message the receiver does not take gets one with
  ``message-not-compatible-with-receiver-state`` and the message in CriticalityDiagnostics.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest

from lwip_enb.codec import xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import Cause, MessageKind
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers.ike import ModelIke, auth_value
from lwip_enb.peers.segw import EnbInterface, SegwConfig, SegwModel
from lwip_enb.peers.segw_outputs import (
    IkeRejected,
    IkeRejection,
    InputRejected,
    NoAnswer,
    PskDeleted,
    PskPhase,
    PskStored,
    Rejection,
    ReleaseReason,
    ReleaseTrigger,
    SendXwap,
    TunnelReleased,
    TunnelUp,
)

PSK = bytes(range(0x20, 0x40))
WINDOW = 30.0
EXPIRED = ReleaseReason(ReleaseTrigger.IKE_WINDOW_EXPIRED)


def _segw(*enbs: str, config: SegwConfig | None = None) -> SegwModel:
    segw = SegwModel(config or SegwConfig(ike_window_s=WINDOW))
    for i, enb in enumerate(enbs or ("enb",)):
        segw.add_enb(enb, EnbInterface(f"192.0.2.{i + 1}"))
        setup = xwap.XwSetupRequest(xwap.GlobalEnbId(b"\x00\xf1\x10", 0x100 + i))
        segw.receive_xwap(enb, xwap.encode(setup), 0.0)
    return segw


def _add(segw: SegwModel, idi: bytes, enb_ue_id: int, now: float = 0.0, enb: str = "enb") -> int:
    """LWIP ADDITION REQUEST for ``idi``; returns the WT UE XwAP id of the acknowledge."""
    request = xwap.LwipAdditionRequest(
        enb_ue_id, "02:00:00:00:00:01", xwap.SeGwSecurityInfo(KeyMaterial(PSK), idi)
    )
    out = segw.receive_xwap(enb, xwap.encode(request), now)
    (ack,) = [o.message for o in out if isinstance(o, SendXwap)]
    assert isinstance(ack, xwap.LwipAdditionRequestAcknowledge)
    return ack.wt_ue_id


def _sent(out: list[object]) -> list[xwap.XwapMessage]:
    return [o.message for o in out if isinstance(o, SendXwap)]


def _ike(segw: SegwModel, idi: bytes, now: float, psk: bytes = PSK) -> tuple[bool, list[object]]:
    request = ModelIke().start(idi, KeyMaterial(psk), segw.ike_sa_init(now))
    response, out = segw.ike_auth(request, now)
    return response.ok, list(out)


# --- RFC 7296 2.15: the AUTH value ----------------------------------------------------------------


def test_rfc7296_2_15_auth_is_prf_of_prf_of_the_psk_and_key_pad() -> None:
    nonce_i, nonce_r, idi = b"\x01" * 32, b"\x02" * 32, b"ue-idi"
    key = hmac.new(PSK, b"Key Pad for IKEv2", hashlib.sha256).digest()
    for role, own, peer in ((b"I", nonce_i, nonce_r), (b"R", nonce_r, nonce_i)):
        expected = hmac.new(key, role + own + peer + idi, hashlib.sha256).digest()
        assert auth_value(KeyMaterial(PSK), role, own, peer, idi) == expected


def test_r1_r5_accepted_ike_auth_is_ok_and_keeps_the_psk_for_the_tunnel() -> None:
    """R1/R5: a successful IKE_AUTH says ok with no reason, and the PSK moves from the window to
    the tunnel (the chosen proposals' names are checked in test_r8_ike_esp_profile.py)."""
    segw = _segw()
    _add(segw, b"idi-1", 1)
    request = ModelIke().start(b"idi-1", KeyMaterial(PSK), segw.ike_sa_init(1.0))
    response, out = segw.ike_auth(request, 1.0)
    assert response.ok and response.reason == ""
    assert response.ike_proposal and response.esp_proposal
    assert ModelIke().finish(request, response, KeyMaterial(PSK))
    assert out == [TunnelUp(b"idi-1"), PskStored(b"idi-1", PskPhase.TUNNEL)]


# --- refusals are refusals ------------------------------------------------------------------------


def test_ike_auth_without_ike_sa_init_is_refused() -> None:
    segw = _segw()
    _add(segw, b"idi-1", 1)
    request = ModelIke().start(b"idi-1", KeyMaterial(PSK), b"\x09" * 32)
    response, out = segw.ike_auth(request, 1.0)
    assert not response.ok and response.reason
    assert [type(o) for o in out] == [IkeRejected]


def test_rfc7296_a_nonce_serves_one_ike_auth_only() -> None:
    segw = _segw()
    _add(segw, b"idi-1", 1)
    nonce_r = segw.ike_sa_init(1.0)
    wrong = ModelIke().start(b"idi-1", KeyMaterial(bytes(32)), nonce_r)
    assert not segw.ike_auth(wrong, 1.0)[0].ok
    # The right PSK over the same, used nonce: refused, and the PSK still waits for a fresh run.
    replay = ModelIke().start(b"idi-1", KeyMaterial(PSK), nonce_r)
    response, _ = segw.ike_auth(replay, 1.0)
    assert not response.ok
    assert segw.has_psk(b"idi-1")
    assert _ike(segw, b"idi-1", 2.0)[0]


@pytest.mark.parametrize(
    "case", ["unknown IDi", "wrong PSK", "no profile proposal", "tunnel already up", "late"]
)
def test_every_refused_ike_auth_says_not_ok(case: str) -> None:
    segw = _segw()
    _add(segw, b"idi-1", 1)
    now, idi, psk = 1.0, b"idi-1", PSK
    ike = ModelIke()
    if case == "unknown IDi":
        idi = b"idi-2"
    elif case == "wrong PSK":
        psk = bytes(32)
    elif case == "no profile proposal":
        ike = ModelIke(ike_proposals=("3des-md5-modp1024",))
    elif case == "tunnel already up":
        assert _ike(segw, idi, now)[0]
    else:
        now = WINDOW + 1.0
    request = ike.start(idi, KeyMaterial(psk), segw.ike_sa_init(now))
    response, out = segw.ike_auth(request, now)
    assert response.ok is False and response.reason
    assert not ike.finish(request, response, KeyMaterial(PSK))
    assert isinstance(out[0], IkeRejected) and out[0].idi == idi


def test_r4_late_ike_auth_deletes_psk_and_tells_the_enb() -> None:
    segw = _segw()
    wt = _add(segw, b"idi-1", 7)
    ok, out = _ike(segw, b"idi-1", WINDOW + 1.0)
    assert not ok and not segw.has_psk(b"idi-1")
    assert PskDeleted(b"idi-1", EXPIRED) in out
    (required,) = _sent(out)
    assert isinstance(required, xwap.LwipReleaseRequired)
    assert (required.enb_ue_id, required.wt_ue_id) == (7, wt)


# --- R4 for a real IKE stack: tunnel_established ------------------------------------------------


def test_r4_real_stack_tunnel_inside_the_window_is_up_and_keeps_the_psk() -> None:
    segw = _segw()
    _add(segw, b"idi-1", 1)
    assert segw.tunnel_established(b"idi-1", WINDOW - 1.0) == [
        TunnelUp(b"idi-1"),
        PskStored(b"idi-1", PskPhase.TUNNEL),
    ]
    assert segw.allows(b"idi-1", "192.0.2.1", 17, 2152)
    assert segw.tunnel_established(b"idi-1", WINDOW + 5.0) == []  # already up: nothing new
    assert segw.handle_timer(WINDOW + 10.0) == [] and segw.has_psk(b"idi-1")


def test_r4_real_stack_tunnel_after_the_window_is_rejected_and_psk_deleted() -> None:
    segw = _segw()
    wt = _add(segw, b"idi-1", 3)
    out = segw.tunnel_established(b"idi-1", WINDOW + 0.5)
    assert out[0] == IkeRejected(b"idi-1", IkeRejection.WINDOW_EXPIRED)
    assert PskDeleted(b"idi-1", EXPIRED) in out
    (required,) = _sent(out)
    assert isinstance(required, xwap.LwipReleaseRequired) and required.wt_ue_id == wt
    assert not segw.has_psk(b"idi-1") and not segw.allows(b"idi-1", "192.0.2.1", 17, 2152)


def test_r3_real_stack_tunnel_for_an_unknown_idi_is_rejected() -> None:
    segw = _segw()
    _add(segw, b"idi-1", 1)
    out = segw.tunnel_established(b"idi-2", 1.0)
    assert [type(o) for o in out] == [IkeRejected] and out[0].idi == b"idi-2"  # type: ignore[union-attr]
    assert segw.tunnel_state(b"idi-1") is not None and not segw.allows(b"idi-1", "192.0.2.1", 17, 1)


def test_r3_psk_and_enb_interface_are_found_by_idi() -> None:
    segw = _segw("enb-a", "enb-b")
    _add(segw, b"idi-a", 1, enb="enb-a")
    _add(segw, b"idi-b", 1, enb="enb-b")
    psk = segw.psk(b"idi-b")
    assert psk is not None and psk.reveal() == PSK
    assert segw.psk(b"idi-c") is None
    assert segw.enb_interface(b"idi-a") == EnbInterface("192.0.2.1")
    assert segw.enb_interface(b"idi-b") == EnbInterface("192.0.2.2")
    assert segw.enb_interface(b"idi-c") is None


# --- R5: every release deletes the PSK ------------------------------------------------------------


def test_r5_release_request_needs_the_right_pair_of_ue_xwap_ids() -> None:
    """36.463 8.16.2 / 36.413 10.6: LWIP RELEASE REQUEST is the last message of its connection;
    with a pair that names no connection of that eNB there is no Error Indication, and only a
    connection of that eNB having one of the IDs is released locally. From another eNB, the
    tunnel stays; with the right pair, its PSK goes (R5)."""
    segw = _segw("enb", "other")
    wt = _add(segw, b"idi-1", 5)
    wrong = xwap.LwipReleaseRequest(5, wt, Cause.radio_network("unspecified"))
    out = segw.receive_xwap("other", xwap.encode(wrong), 1.0)
    assert _sent(out) == [] and not [o for o in out if isinstance(o, PskDeleted)]
    assert segw.has_psk(b"idi-1")
    right = xwap.LwipReleaseRequest(5, wt, Cause.radio_network("unspecified"))
    out = segw.receive_xwap("enb", xwap.encode(right), 1.0)
    released = ReleaseReason(ReleaseTrigger.RELEASED_BY_ENB, Cause.radio_network("unspecified"))
    assert out == [PskDeleted(b"idi-1", released)] and not segw.has_psk(b"idi-1")


def test_r5_release_request_with_one_known_id_releases_that_connection_locally() -> None:
    """36.413 10.6 (last message, inconsistent pair): local release of the connection having one
    of the IDs, no Error Indication; its PSK goes (R5)."""
    segw = _segw()
    wt = _add(segw, b"idi-1", 5)
    wrong = xwap.LwipReleaseRequest(6, wt, Cause.radio_network("unspecified"))
    out = segw.receive_xwap("enb", xwap.encode(wrong), 1.0)
    assert _sent(out) == []
    (deleted,) = [o for o in out if isinstance(o, PskDeleted)]
    assert deleted.idi == b"idi-1"
    assert deleted.reason.trigger is ReleaseTrigger.XWAP_ID_ERROR
    assert not segw.has_psk(b"idi-1")


def test_r5_tunnel_released_is_reported_only_for_a_tunnel_that_was_up() -> None:
    segw = _segw()
    wt_waiting = _add(segw, b"idi-1", 1)
    wt_up = _add(segw, b"idi-2", 2)
    assert _ike(segw, b"idi-2", 1.0)[0]
    for enb_ue_id, wt in ((1, wt_waiting), (2, wt_up)):
        release = xwap.LwipReleaseRequest(enb_ue_id, wt, Cause.radio_network("unspecified"))
        out = segw.receive_xwap("enb", xwap.encode(release), 2.0)
        kinds = [type(o) for o in out]
        assert kinds == ([TunnelReleased, PskDeleted] if wt == wt_up else [PskDeleted])


def test_36463_8_6_error_indication_with_a_protocol_cause_keeps_the_tunnel() -> None:
    """36.463 8.6 reports an error in one message and mandates no release (strictest reading:
    the SeGW does nothing the text does not ask for): the PSK stays."""
    segw = _segw()
    wt = _add(segw, b"idi-1", 5)
    error = xwap.ErrorIndication(5, wt, Cause.protocol("unspecified"))
    out = segw.receive_xwap("enb", xwap.encode(error), 1.0)
    assert not [o for o in out if isinstance(o, PskDeleted)] and segw.has_psk(b"idi-1")
    assert _sent(out) == []  # an Error Indication is never answered with one
    (reported,) = [o for o in out if isinstance(o, InputRejected)]  # reported, with its content
    assert (reported.kind, reported.cause) == (Rejection.ERROR_INDICATION, error.cause)
    assert (reported.enb_ue_id, reported.wt_ue_id) == (5, wt)
    general = xwap.ErrorIndication(cause=Cause.protocol("transfer-syntax-error"))
    (reported,) = segw.receive_xwap("enb", xwap.encode(general), 2.0)
    assert isinstance(reported, InputRejected)
    assert (reported.kind, reported.cause) == (Rejection.ERROR_INDICATION, general.cause)


def test_r5_id_error_indication_naming_the_tunnel_deletes_it_only_from_its_enb() -> None:
    """36.413 10.6: an Error Indication whose cause says the eNB found the UE XwAP IDs in error
    releases the connection at both nodes; the PSK goes (R5). From another eNB it names no
    connection of that eNB and releases nothing."""
    segw = _segw("enb", "other")
    wt = _add(segw, b"idi-1", 5)
    cause = Cause.radio_network("unknown-pair-of-UE-XwAP-ID")
    error = xwap.ErrorIndication(5, wt, cause)
    out = segw.receive_xwap("other", xwap.encode(error), 1.0)
    assert not [o for o in out if isinstance(o, PskDeleted)] and segw.has_psk(b"idi-1")
    out = segw.receive_xwap("enb", xwap.encode(error), 1.0)
    assert [o for o in out if isinstance(o, PskDeleted)] == [
        PskDeleted(b"idi-1", ReleaseReason(ReleaseTrigger.ENB_ERROR, cause))
    ]
    assert not segw.has_psk(b"idi-1")


def test_r5_xw_reset_from_an_enb_deletes_all_its_psks_and_is_answered() -> None:
    segw = _segw("enb", "other")
    for i in range(3):
        _add(segw, b"idi-%d" % i, i)
    _add(segw, b"idi-x", 0, enb="other")
    reset = xwap.Reset(Cause.misc("om-intervention"))
    out = segw.receive_xwap("enb", xwap.encode(reset), 1.0)
    deleted = sorted(o.idi for o in out if isinstance(o, PskDeleted))
    assert deleted == [b"idi-0", b"idi-1", b"idi-2"]
    assert _sent(out) == [xwap.ResetResponse()]
    assert segw.psk_count() == 1 and segw.has_psk(b"idi-x")
    # 36.463 8.7: the Xw association stays up: additions work without a new Xw Setup.
    _add(segw, b"idi-new", 9)


def test_r5_association_loss_deletes_every_psk_of_that_enb_and_needs_a_new_setup() -> None:
    segw = _segw("enb", "other")
    for i in range(3):
        _add(segw, b"idi-%d" % i, i)
    _add(segw, b"idi-x", 0, enb="other")
    out = segw.enb_lost("enb", 1.0)
    assert sorted(o.idi for o in out if isinstance(o, PskDeleted)) == [
        b"idi-0",
        b"idi-1",
        b"idi-2",
    ]
    assert segw.psk_count() == 1
    # Until Xw Setup runs again on a new association, an addition from that eNB is refused.
    request = xwap.LwipAdditionRequest(
        4, "02:00:00:00:00:01", xwap.SeGwSecurityInfo(KeyMaterial(PSK), b"idi-4")
    )
    (reject,) = _sent(segw.receive_xwap("enb", xwap.encode(request), 2.0))
    assert isinstance(reject, xwap.LwipAdditionRequestReject)
    assert not segw.has_psk(b"idi-4")


def test_r4_windows_ending_together_delete_every_psk() -> None:
    segw = _segw()
    for i in range(3):
        _add(segw, b"idi-%d" % i, i, now=1.0)
    out = segw.handle_timer(1.0 + WINDOW)
    assert sorted(o.idi for o in out if isinstance(o, PskDeleted)) == [
        b"idi-0",
        b"idi-1",
        b"idi-2",
    ]
    assert len([m for m in _sent(out) if isinstance(m, xwap.LwipReleaseRequired)]) == 3
    assert segw.psk_count() == 0


# --- TS 36.463 clause 10 at the SeGW --------------------------------------------------------------


def test_36463_10_undecodable_bytes_get_transfer_syntax_error() -> None:
    segw = _segw()
    (indication,) = _sent(segw.receive_xwap("enb", b"\xff\x00\x13", 1.0))
    assert indication == xwap.ErrorIndication(cause=Cause.protocol("transfer-syntax-error"))


def test_36463_10_a_message_the_segw_never_takes_names_itself_in_the_diagnostics() -> None:
    segw = _segw()
    response = xwap.XwSetupResponse(xwap.WtId(1), (WlanIdentifiers(ssid=b"w"),))
    (indication,) = _sent(segw.receive_xwap("enb", xwap.encode(response), 1.0))
    assert isinstance(indication, xwap.ErrorIndication)
    assert indication.cause == Cause.protocol("message-not-compatible-with-receiver-state")
    diagnostics = indication.criticality_diagnostics
    assert diagnostics is not None
    assert diagnostics.procedure_code == 0  # id-xwSetup (XwAP-Constants)
    assert diagnostics.triggering_message is MessageKind.SUCCESSFUL


def test_36463_wt_ue_xwap_ids_wrap_around_at_2_to_the_24() -> None:
    top = 2**24 - 1  # 36.463 9.2.25 WT UE XwAP ID
    segw = _segw()
    segw._next_wt_id = top - 1  # fast-forward: the counter is near the top of the range
    assert [_add(segw, b"idi-%d" % i, i) for i in range(3)] == [top - 1, top, 0]


def test_r3_an_idi_names_one_psk_a_second_addition_with_it_is_refused() -> None:
    segw = _segw()
    _add(segw, b"idi-1", 1)
    other = xwap.LwipAdditionRequest(
        2, "02:00:00:00:00:02", xwap.SeGwSecurityInfo(KeyMaterial(bytes(32)), b"idi-1")
    )
    (reject,) = _sent(segw.receive_xwap("enb", xwap.encode(other), 1.0))
    assert reject == xwap.LwipAdditionRequestReject(2, Cause.radio_network("security-failure"))
    psk = segw.psk(b"idi-1")
    assert psk is not None and psk.reveal() == PSK and segw.psk_count() == 1


def test_36463_8_15_3_a_modification_asking_for_nothing_is_refused_and_keeps_the_psk() -> None:
    """36.463 8.15.3 (strictest reading): LWIP MODIFICATION REQUEST that asks for no change
    admits no modification: LWIP MODIFICATION REQUEST REJECT; the tunnel and PSK stay."""
    segw = _segw()
    wt = _add(segw, b"idi-1", 1)
    modification = xwap.LwipModificationRequest(1, wt, Cause.misc("unspecified"))
    (answer,) = _sent(segw.receive_xwap("enb", xwap.encode(modification), 1.0))
    assert isinstance(answer, xwap.LwipModificationRequestReject)
    assert (answer.enb_ue_id, answer.wt_ue_id) == (1, wt)
    assert segw.has_psk(b"idi-1")


def test_r5_36463_8_17_2_the_segws_release_of_all_tunnels_deletes_each_psk_with_its_cause() -> None:
    """The fault knob ``require_release_at`` makes the SeGW release every tunnel (36.463 8.17.2:
    LWIP RELEASE REQUIRED with its cause); each PSK goes at once (R5), named with the cause."""
    segw = _segw(config=SegwConfig(ike_window_s=WINDOW, require_release_at=5.0))
    wts = [_add(segw, b"idi-%d" % i, i) for i in range(2)]
    out = segw.handle_timer(5.0)
    cause = Cause.misc("om-intervention")
    reason = ReleaseReason(ReleaseTrigger.RELEASED_BY_SEGW, cause)
    assert [o for o in out if isinstance(o, PskDeleted)] == [
        PskDeleted(b"idi-0", reason),
        PskDeleted(b"idi-1", reason),
    ]
    assert _sent(out) == [xwap.LwipReleaseRequired(i, wts[i], cause) for i in range(2)]
    assert segw.psk_count() == 0


def test_r5_36413_10_6_a_release_request_naming_two_tunnels_releases_both_with_its_cause() -> None:
    """LWIP RELEASE REQUEST is the last message of its connection; with the eNB UE XwAP ID of
    one tunnel and the WT UE XwAP ID of another it names no connection: no Error Indication,
    local release of every connection having one of the IDs (36.413 10.6), each PSK deleted
    with the request's cause (R5)."""
    segw = _segw()
    _add(segw, b"idi-a", 1)
    wt_b = _add(segw, b"idi-b", 2)
    cause = Cause.radio_network("unspecified")
    out = segw.receive_xwap("enb", xwap.encode(xwap.LwipReleaseRequest(1, wt_b, cause)), 1.0)
    reason = ReleaseReason(ReleaseTrigger.XWAP_ID_ERROR, cause)
    assert {o.idi: o.reason for o in out if isinstance(o, PskDeleted)} == {
        b"idi-a": reason,
        b"idi-b": reason,
    }
    assert _sent(out) == [] and segw.psk_count() == 0
    (rejected,) = [o for o in out if isinstance(o, InputRejected)]
    assert (rejected.kind, rejected.cause) == (Rejection.UNKNOWN_XWAP_IDS, cause)
    assert (rejected.enb_ue_id, rejected.wt_ue_id) == (1, wt_b)


def test_r5_36413_10_6_a_release_confirm_with_an_unknown_enb_id_releases_by_the_wt_id() -> None:
    """LWIP RELEASE CONFIRM is the last message too: with a known WT UE XwAP ID and an unknown
    eNB UE XwAP ID the connection having the WT ID is released locally, its PSK deleted."""
    segw = _segw()
    wt = _add(segw, b"idi-1", 1)
    out = segw.receive_xwap("enb", xwap.encode(xwap.LwipReleaseConfirm(9, wt)), 1.0)
    assert [o.idi for o in out if isinstance(o, PskDeleted)] == [b"idi-1"]
    assert _sent(out) == [] and not segw.has_psk(b"idi-1")


def test_r5_36463_8_17_2_an_unexpected_release_confirm_ends_the_tunnel_and_names_its_ids() -> None:
    """LWIP RELEASE CONFIRM for a tunnel whose release the SeGW did not require: the eNB ended
    the connection, so the SeGW does too (PSK deleted, R5), and reports the confirm with its
    IDs as not expected."""
    segw = _segw()
    wt = _add(segw, b"idi-1", 4)
    out = segw.receive_xwap("enb", xwap.encode(xwap.LwipReleaseConfirm(4, wt)), 1.0)
    assert [o.idi for o in out if isinstance(o, PskDeleted)] == [b"idi-1"]
    (rejected,) = [o for o in out if isinstance(o, InputRejected)]
    assert rejected.kind is Rejection.UNEXPECTED_MESSAGE
    assert (rejected.enb_ue_id, rejected.wt_ue_id) == (4, wt)


def test_36463_8_17_2_the_release_confirm_is_awaited_for_the_guard_time() -> None:
    """After LWIP RELEASE REQUIRED the UE XwAP IDs wait for LWIP RELEASE CONFIRM for
    ``release_confirm_guard_s``; only then is the confirm reported missing."""
    segw = _segw(config=SegwConfig(ike_window_s=WINDOW, release_confirm_guard_s=5.0))
    wt = _add(segw, b"idi-1", 4)
    out = segw.release(b"idi-1", Cause.misc("om-intervention"), 1.0)
    assert [o.idi for o in out if isinstance(o, PskDeleted)] == [b"idi-1"]  # R5: at once
    assert segw.handle_timer(5.9) == []
    assert segw.handle_timer(6.0) == [NoAnswer("enb", "LWIPReleaseRequired", 4, wt)]


def test_r5_36413_10_6_an_error_indication_with_one_id_releases_its_tunnel_with_the_cause() -> None:
    """An Error Indication carrying only the eNB UE XwAP ID of a tunnel names no pair: the
    connection having that ID is released locally (36.413 10.6), the PSK deleted naming the
    Error Indication's cause (R5)."""
    segw = _segw()
    _add(segw, b"idi-1", 3)
    cause = Cause.protocol("abstract-syntax-error-reject")
    out = segw.receive_xwap("enb", xwap.encode(xwap.ErrorIndication(3, None, cause)), 1.0)
    assert [o for o in out if isinstance(o, PskDeleted)] == [
        PskDeleted(b"idi-1", ReleaseReason(ReleaseTrigger.XWAP_ID_ERROR, cause))
    ]
    assert _sent(out) == []  # an Error Indication is never answered with one


def test_r5_36413_10_6_an_error_indication_naming_two_tunnels_releases_both() -> None:
    segw = _segw()
    _add(segw, b"idi-a", 1)
    wt_b = _add(segw, b"idi-b", 2)
    error = xwap.ErrorIndication(1, wt_b, Cause.protocol("unspecified"))
    out = segw.receive_xwap("enb", xwap.encode(error), 1.0)
    assert sorted(o.idi for o in out if isinstance(o, PskDeleted)) == [b"idi-a", b"idi-b"]
    assert segw.psk_count() == 0
