"""The eNB side of the TS 36.463 V17.0.0 review: UE XwAP ids (36.413 10.6), Error Indication
(8.6), criticality (36.413 10.3), Xw Setup (8.2), WT Configuration Update (8.3), WLAN Usage
(9.2.7), the answers of LWIP Addition (8.14), LWIP Modification (8.15) and Reset (8.7).

TS 36.413 clause 10 is applied to XwAP by TS 36.463 clause 10; where these tests rely on a
reading of it, docs/xwap.md says which. The SeGW's PDUs are built with pycrate from values
written by hand (helpers/spec_pdus.py) and the eNB's are read back with pycrate. Names from the
library that these tests check are imported inside the tests, so that the module loads on any
version of it.
"""

from __future__ import annotations

from typing import Any

from helpers import spec_pdus as pdus

from lwip_enb.codec import xwap
from lwip_enb.core.controller import EnbController, HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import ActivationFailed, SendRrc, SendXwap
from lwip_enb.sim.simulation import Simulation
from lwip_enb.sim.testing import SEGW, bring_up, ready_controller

KENB, MAC, WT = bytes(range(32)), "02:00:00:00:00:01", 7
MISC = ("misc", "om-intervention")


def _sent(out: list[Any]) -> list[tuple[str, int, str, str, dict[int, Any]]]:
    return [pdus.read(o.pdu) for o in out if isinstance(o, SendXwap)]


def _codes(out: list[Any]) -> list[tuple[str, int]]:
    return [(kind, code) for kind, code, *_ in _sent(out)]


def _ids(ies: dict[int, Any]) -> tuple[int | None, int | None]:
    enb = ies.get(pdus.ID_ENB_UE_XWAP_ID)
    wt = ies.get(pdus.ID_WT_UE_XWAP_ID)
    return (
        pdus.ue_id(enb) if enb is not None else None,
        pdus.ue_id(wt) if wt is not None else None,
    )


def _enb_ue_id(out: list[Any]) -> int:
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    return int(request.enb_ue_id)


def _active(enb: EnbController, to: State = State.ACTIVE) -> int:
    return _enb_ue_id(bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=to, wt_ue_id=WT))


EI = ("initiatingMessage", pdus.ERROR_INDICATION)
RELEASE = ("initiatingMessage", pdus.ENB_INITIATED_LWIP_RELEASE)


# --- 1: a duplicate or stray LWIP ADDITION REQUEST ACKNOWLEDGE ---------------------------------


def test_ts36463_8_14_2_duplicate_ack_with_another_wt_id_leaves_no_psk_after_handover() -> None:
    """The issue's repro: activate, deliver the ACK again with WT UE XwAP ID 99, hand over. The
    ACK is the first returned message of LWIP Addition Preparation (8.14.2), which establishes
    the connection once; a second one with another WT id is an inconsistent pair (36.413 10.6):
    Error Indication with the received ids, local release of the UE's connection. The release at
    the SeGW carries the ids the eNB held (not 99), so no PSK is left anywhere (R5, R9)."""
    sim = Simulation()
    sim.add_ue(1)
    sim.activate(1)
    info = sim.enb.ue_info(1)
    assert info is not None and info.enb_ue_id is not None and sim.segw.psk_count() == 1
    held = (info.enb_ue_id, info.wt_ue_id)
    stray = pdus.lwip_addition_request_acknowledge(info.enb_ue_id, 99)
    out = sim.enb.receive_xwap("segw", stray, sim.now)
    sent = _sent(out)
    assert (EI[0], EI[1]) in _codes(out)
    (indication,) = [ies for kind, code, *_, ies in sent if (kind, code) == EI]
    assert _ids(indication) == (info.enb_ue_id, 99)  # the received AP IDs
    releases = [_ids(ies) for kind, code, *_, ies in sent if (kind, code) == RELEASE]
    assert held in releases  # the WT id the eNB held, untouched by the stray ACK
    sim.deliver(out)
    sim.handover(1, HandoverKind.X2, bytes(range(1, 33)))
    assert sim.segw.psk_count() == 0
    assert sim.enb.state(1) is State.IDLE


def test_ts36413_10_4_duplicate_ack_with_the_same_pair_leaves_the_ue_active() -> None:
    """The same ACK twice: the pair is the UE's own, but no addition is outstanding, so the
    message is not compatible with the receiver's state (36.413 10.4): an Error Indication with
    the UE's ids, and the UE stays active with its ids."""
    enb = ready_controller()
    enb_ue_id = _active(enb)
    out = enb.receive_xwap(SEGW, pdus.lwip_addition_request_acknowledge(enb_ue_id, WT), 1.0)
    ((kind, code, _crit, _name, ies),) = _sent(out)
    assert (kind, code) == EI and _ids(ies) == (enb_ue_id, WT)
    assert ies[pdus.ID_CAUSE] == ("protocol", "message-not-compatible-with-receiver-state")
    info = enb.ue_info(1)
    assert enb.state(1) is State.ACTIVE and info is not None and info.wt_ue_id == WT


# --- 2: unknown or inconsistent AP ID pairs ---------------------------------------------------


def test_ts36413_10_6_ack_with_an_unknown_enb_ue_xwap_id_gets_error_indication() -> None:
    """36.413 10.6: a first returned message whose local AP ID is unknown: Error Indication with
    the received AP IDs. Beyond the text (docs/xwap.md), LWIP RELEASE REQUEST for that pair
    first, so a PSK the SeGW stored for it goes."""
    enb = ready_controller()
    out = enb.receive_xwap(SEGW, pdus.lwip_addition_request_acknowledge(4242, 17), 0.0)
    assert _codes(out) == [RELEASE, EI]
    (_, release), (_, indication) = ((k, ies) for k, *_, ies in _sent(out))
    assert _ids(release) == _ids(indication) == (4242, 17)
    assert indication[pdus.ID_CAUSE] == ("radioNetwork", "unknown-eNB-UE-XwAP-ID")


def test_ts36413_10_6_release_required_while_adding_gets_error_indication() -> None:
    """LWIP RELEASE REQUIRED while the addition is outstanding: the eNB holds no WT UE XwAP ID,
    so the pair names no connection it knows (36.413 10.6): Error Indication with the received
    ids, and the UE's addition ends (local release)."""
    enb = ready_controller()
    enb_ue_id = _active(enb, State.ADDING)
    out = enb.receive_xwap(SEGW, pdus.lwip_release_required(enb_ue_id, 33), 1.0)
    assert EI in _codes(out)
    (indication,) = [ies for kind, code, *_, ies in _sent(out) if (kind, code) == EI]
    assert _ids(indication) == (enb_ue_id, 33)
    assert enb.state(1) is State.IDLE
    assert [o for o in out if isinstance(o, ActivationFailed)]


def test_ts36413_10_6_release_required_while_cancelling_gets_error_indication() -> None:
    """The same while the addition is being cancelled."""
    enb = ready_controller()
    enb_ue_id = _active(enb, State.ADDING)
    enb.deactivate(1, 0.5)
    out = enb.receive_xwap(SEGW, pdus.lwip_release_required(enb_ue_id, 33), 1.0)
    assert EI in _codes(out)
    assert enb.state(1) is State.IDLE


# --- 3: Error Indication received -------------------------------------------------------------


def test_ts36463_8_6_error_indication_about_an_ignored_ie_keeps_the_ue() -> None:
    """8.6: receiving an Error Indication mandates no release. One that reports IEs the SeGW
    ignored and notified (36.463 9.2.6) leaves the active UE as it is: no RRC release, no
    XwAP."""
    enb = ready_controller()
    enb_ue_id = _active(enb)
    cause = ("protocol", "abstract-syntax-error-ignore-and-notify")
    out = enb.receive_xwap(SEGW, pdus.error_indication(enb_ue_id, WT, cause, 15), 1.0)
    assert enb.state(1) is State.ACTIVE
    assert not [o for o in out if isinstance(o, SendRrc | SendXwap)]
    from lwip_enb.core.outputs import ErrorIndicationReceived

    (received,) = [o for o in out if isinstance(o, ErrorIndicationReceived)]
    assert (received.ue, received.procedure, received.released) == (1, 15, False)
    # it carries the ids and the cause as received (36.463 9.1.2.x ERROR INDICATION)
    assert (received.enb_ue_id, received.wt_ue_id, received.segw) == (enb_ue_id, WT, SEGW)
    assert received.cause == xwap.Cause.protocol("abstract-syntax-error-ignore-and-notify")


def test_ts36413_10_6_error_indication_with_an_unknown_pair_releases_at_both_ends() -> None:
    """An Error Indication whose cause says the pair was unknown (36.463 8.6.2): both nodes
    release the connection locally (36.413 10.6); the eNB releases at both ends: LWIP RELEASE
    REQUEST with its pair, and the UE's LWIP configuration."""
    enb = ready_controller()
    enb_ue_id = _active(enb)
    cause = ("radioNetwork", "unknown-pair-of-UE-XwAP-ID")
    out = enb.receive_xwap(SEGW, pdus.error_indication(enb_ue_id, WT, cause), 1.0)
    assert _codes(out) == [RELEASE]
    assert _ids(_sent(out)[0][4]) == (enb_ue_id, WT)
    assert [o for o in out if isinstance(o, SendRrc)]
    assert enb.state(1) is State.IDLE


# --- 4: the ids of an Error Indication after a decode error -----------------------------------


def test_ts36463_8_6_2_error_indication_after_a_decode_error_carries_the_ue_ids() -> None:
    """8.6.2: an Error Indication triggered by UE-associated signalling includes the eNB UE
    XwAP ID and the WT UE XwAP ID. LWIP RELEASE REQUIRED with an IE not comprehended of
    criticality reject (36.413 10.3.4.2: the procedure is not carried out)."""
    enb = ready_controller()
    enb_ue_id = _active(enb)
    bad = pdus.with_extra_ie(pdus.lwip_release_required(enb_ue_id, WT), 999, "reject")
    out = enb.receive_xwap(SEGW, bad, 1.0)
    ((kind, code, *_, ies),) = _sent(out)
    assert (kind, code) == EI
    assert _ids(ies) == (enb_ue_id, WT)
    assert ies[pdus.ID_CAUSE] == ("protocol", "abstract-syntax-error-reject")
    assert enb.state(1) is State.ACTIVE


# --- 5: criticality ---------------------------------------------------------------------------


def test_ts36413_10_3_5_reset_without_cause_is_carried_out_and_answered() -> None:
    """RESET's only IE, the Cause, is mandatory with criticality ignore (9.3.4): missing, the
    receiver continues with the procedure (36.413 10.3.5): UEs released, RESET RESPONSE."""
    enb = ready_controller()
    _active(enb)
    out = enb.receive_xwap(SEGW, pdus.reset_without_cause(), 1.0)
    assert _codes(out) == [("successfulOutcome", pdus.RESET)]
    assert enb.state(1) is State.IDLE


def test_ts36413_10_3_4_2_ack_with_an_unknown_reject_ie_fails_the_addition_at_once() -> None:
    """A response with an IE not comprehended of criticality reject: "consider the procedure
    as unsuccessfully terminated" (36.413 10.3.4.2), not a wait for the guard timer. The SeGW
    acknowledged, so the eNB releases the pair it read (beyond the text: its PSK goes)."""
    enb = ready_controller()
    enb_ue_id = _active(enb, State.ADDING)
    ack = pdus.with_extra_ie(pdus.lwip_addition_request_acknowledge(enb_ue_id, WT), 999, "reject")
    out = enb.receive_xwap(SEGW, ack, 1.0)
    assert enb.state(1) is State.IDLE
    (failed,) = [o for o in out if isinstance(o, ActivationFailed)]
    assert failed.reason.value == "answer-not-understood"
    assert failed.error is not None and failed.pdu is not None  # type: ignore[attr-defined]
    assert _codes(out) == [RELEASE, EI]
    assert all(_ids(ies) == (enb_ue_id, WT) for *_, ies in _sent(out))


def test_ts36413_10_3_4_2_notify_ie_in_an_answer_is_reported_and_the_answer_taken() -> None:
    """An IE not comprehended with criticality notify in a response: ignore it, go on with the
    procedure, and initiate Error Indication (36.413 10.3.4.2) with Criticality Diagnostics
    naming the IE."""
    enb = ready_controller()
    enb_ue_id = _active(enb, State.ADDING)
    ack = pdus.with_extra_ie(pdus.lwip_addition_request_acknowledge(enb_ue_id, WT), 999, "notify")
    out = enb.receive_xwap(SEGW, ack, 1.0)
    assert enb.state(1) is State.CONFIGURING
    ((kind, code, *_, ies),) = _sent(out)
    assert (kind, code) == EI and _ids(ies) == (enb_ue_id, WT)
    assert ies[pdus.ID_CAUSE] == ("protocol", "abstract-syntax-error-ignore-and-notify")
    items = ies[pdus.ID_CRITICALITY_DIAGNOSTICS]["iEsCriticalityDiagnostics"]
    assert items == [{"iECriticality": "notify", "iE-ID": 999, "typeOfError": "not-understood"}]


def test_ts36413_10_3_4_2_notify_ie_in_release_required_is_reported_in_the_confirm() -> None:
    """In an initiating message with a response, the notify IE is reported "in the response
    message of the procedure": LWIP RELEASE CONFIRM with Criticality Diagnostics."""
    enb = ready_controller()
    enb_ue_id = _active(enb)
    required = pdus.with_extra_ie(pdus.lwip_release_required(enb_ue_id, WT), 999, "notify")
    out = enb.receive_xwap(SEGW, required, 1.0)
    ((kind, code, *_, ies),) = _sent(out)
    assert (kind, code) == ("successfulOutcome", pdus.WT_INITIATED_LWIP_RELEASE)
    items = ies[pdus.ID_CRITICALITY_DIAGNOSTICS]["iEsCriticalityDiagnostics"]
    assert items == [{"iECriticality": "notify", "iE-ID": 999, "typeOfError": "not-understood"}]


# --- 6, 7: Xw Setup ---------------------------------------------------------------------------


def _connected() -> tuple[EnbController, list[Any]]:
    enb = EnbController()
    enb.add_segw(SEGW, "192.0.2.10")
    return enb, enb.segw_connected(SEGW, 0.0)


def test_ts36463_8_2_4_reset_before_xw_setup_is_a_logical_error() -> None:
    """8.2.4: a first message on the association other than the Xw Setup messages is a logical
    error: Error Indication (36.413 10.4), no RESET RESPONSE, and the SeGW is not ready."""
    enb, _ = _connected()
    out = enb.receive_xwap(SEGW, pdus.reset(), 0.0)
    assert _codes(out) == [EI]
    assert not enb.segw_ready(SEGW)


def test_ts36463_8_2_3_xw_setup_failure_is_retried_after_time_to_wait() -> None:
    """8.2.3: after XW SETUP FAILURE with Time To Wait the eNB "shall wait at least for the
    indicated time before reinitiating the Xw Setup procedure": it does reinitiate, not before."""
    enb, _ = _connected()
    out = enb.receive_xwap(SEGW, pdus.xw_setup_failure(time_to_wait="v20s"), 1.0)
    assert not _codes(out)
    due = enb.next_timer()
    assert due is not None and due >= 21.0
    assert _codes(enb.handle_timer(20.9)) == []
    assert _codes(enb.handle_timer(due)) == [("initiatingMessage", pdus.XW_SETUP)]
    from lwip_enb.core.outputs import XwSetupFailed

    (failed,) = [o for o in out if isinstance(o, XwSetupFailed)]
    assert (failed.time_to_wait_s, failed.retry_at) == (20, due)


def test_ts36463_8_2_3_unanswered_xw_setup_request_is_sent_again() -> None:
    """A class 1 procedure waits for its response (8.1); without one before the guard, the eNB
    reports it and asks again."""
    enb, _ = _connected()
    due = enb.next_timer()
    assert due is not None
    assert _codes(enb.handle_timer(due)) == [("initiatingMessage", pdus.XW_SETUP)]


def test_ts36463_8_2_3_activation_after_setup_failure_says_setup_failed() -> None:
    """The association exists after XW SETUP FAILURE: the activation says Xw Setup failed, not
    that there is no association; without one it says that."""
    enb, _ = _connected()
    enb.receive_xwap(SEGW, pdus.xw_setup_failure(), 1.0)
    (failed,) = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=1.0)
    assert isinstance(failed, ActivationFailed)
    assert failed.reason.value == "xw-setup-failed"
    enb.segw_lost(SEGW, 2.0)
    (lost,) = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=2.0)
    assert isinstance(lost, ActivationFailed) and lost.reason.value == "no-xw-association"


# --- 8, 9: WLANs of the SeGW and their WLAN Usage ---------------------------------------------


def _set_up_with(wlans: list[dict[str, Any]]) -> EnbController:
    enb, _ = _connected()
    enb.receive_xwap(SEGW, pdus.xw_setup_response_with(wlans), 0.0)
    assert enb.segw_ready(SEGW)
    return enb


def test_ts36463_8_2_2_wlan_without_wlan_usage_gets_no_lwip() -> None:
    """8.2.2: without WLAN Usage the WLAN "may be used for LWA only": an activation whose
    mobility set names it fails clearly, nothing is sent; one offered with WLAN Usage works."""
    from lwip_enb.codec.fields import WlanIdentifiers

    enb = _set_up_with([pdus.wlan_item(b"lwa", None), pdus.wlan_item(b"lwip", "lWIPonly")])
    lwa, lwip = WlanIdentifiers(ssid=b"lwa"), WlanIdentifiers(ssid=b"lwip")
    out = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=0.0, wlan_ids=[lwa])
    assert not _codes(out)
    (failed,) = [o for o in out if isinstance(o, ActivationFailed)]
    assert failed.reason.value == "wlan-not-offered"
    out = enb.activate(2, kenb=KENB, wlan_mac=MAC, now=0.0, wlan_ids=[lwip])
    assert _codes(out) == [("initiatingMessage", pdus.LWIP_ADDITION_PREPARATION)]


def test_ts36463_8_3_2_wt_configuration_update_is_acknowledged_and_applied() -> None:
    """8.3.2: WT CONFIGURATION UPDATE is answered with WT CONFIGURATION UPDATE ACKNOWLEDGE and
    its WLANs are taken, with their WLAN Usage: a WLAN added for LWIP can be used at once."""
    from lwip_enb.codec.fields import WlanIdentifiers

    enb = _set_up_with([pdus.wlan_item(b"lwip", "lWAandLWIP")])
    update = pdus.wt_configuration_update(to_add=[pdus.wlan_item(b"new", "lWIPonly")])
    out = enb.receive_xwap(SEGW, update, 1.0)
    assert _codes(out) == [("successfulOutcome", pdus.WT_CONFIGURATION_UPDATE)]
    new = WlanIdentifiers(ssid=b"new")
    out = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=1.0, wlan_ids=[new])
    assert _codes(out) == [("initiatingMessage", pdus.LWIP_ADDITION_PREPARATION)]


def test_ts36463_8_3_2_modified_wlan_loses_its_lwip_usage() -> None:
    """A WLAN modified to have no WLAN Usage is for LWA only from then on (8.3.2)."""
    from lwip_enb.codec.fields import WlanIdentifiers

    enb = _set_up_with([pdus.wlan_item(b"lwip", "lWAandLWIP")])
    enb.receive_xwap(
        SEGW, pdus.wt_configuration_update(to_modify=[pdus.wlan_item(b"lwip", None)]), 1.0
    )
    out = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=1.0, wlan_ids=[WlanIdentifiers(b"lwip")])
    assert [o.reason.value for o in out if isinstance(o, ActivationFailed)] == ["wlan-not-offered"]


def test_ts36463_8_3_3_update_of_an_unknown_wlan_is_refused_and_nothing_changes() -> None:
    """8.3.3: an update the eNB cannot accept gets WT CONFIGURATION UPDATE FAILURE, and "both
    nodes shall continue to operate the Xw with their existing configuration data"."""
    enb = _set_up_with([pdus.wlan_item(b"lwip", "lWAandLWIP")])
    before = enb.segw_wlans(SEGW)  # type: ignore[attr-defined]
    update = pdus.wt_configuration_update(
        to_add=[pdus.wlan_item(b"more", "lWIPonly")], to_modify=[pdus.wlan_item(b"nope", None)]
    )
    out = enb.receive_xwap(SEGW, update, 1.0)
    assert _codes(out) == [("unsuccessfulOutcome", pdus.WT_CONFIGURATION_UPDATE)]
    assert enb.segw_wlans(SEGW) == before  # type: ignore[attr-defined]


# --- 10: what the ACK gives back and what the request carries ----------------------------------


def test_ts36463_8_14_2_segw_gtp_tunnel_endpoint_is_kept_and_given_with_the_tunnel() -> None:
    """8.14.2: "If the LWIP-SeGW GTP Tunnel Endpoint IE is included in the LWIP ADDITION
    REQUEST ACKNOWLEDGE message, the eNB shall use the included information": it is kept in the
    UE's context and given to the caller with the tunnel."""
    enb = ready_controller()
    enb_ue_id = _active(enb, State.ADDING)
    ack = pdus.lwip_addition_request_acknowledge_with_gtp(
        enb_ue_id, WT, 0xC0000201, b"\x0a\x0b\x0c\x0d"
    )
    out = enb.receive_xwap(SEGW, ack, 0.0)
    (setup,) = [o for o in out if isinstance(o, SendRrc)]
    from lwip_enb.sim.testing import PeerMessages

    peers = PeerMessages()
    enb.receive_rrc(1, "ul-dcch", peers.reconfiguration_complete(setup.message.transaction_id), 0.0)
    enb.receive_rrc(1, "ul-dcch", peers.wlan_success, 0.0)
    out = enb.tunnel_established(1, 0.0)
    from lwip_enb.core.outputs import TunnelUp

    (up,) = [o for o in out if isinstance(o, TunnelUp)]
    expected = xwap.GtpTunnelEndpoint("192.0.2.1", b"\x0a\x0b\x0c\x0d")
    assert up.segw_gtp_endpoint == expected  # type: ignore[attr-defined]
    info = enb.ue_info(1)
    assert info is not None and info.segw_gtp_endpoint == expected  # type: ignore[attr-defined]


def test_ts36463_8_14_2_addition_request_carries_mobility_set_plmn_and_enb_endpoint() -> None:
    """The optional IEs of LWIP ADDITION REQUEST (9.1.27) when the caller has them: the Mobility
    Set is the WLAN mobility set the UE gets in RRC, so WT and UE see the same set."""
    from lwip_enb.codec.fields import WlanIdentifiers

    enb = ready_controller()
    wlan = WlanIdentifiers(ssid=b"lwip")
    gtp = xwap.GtpTunnelEndpoint("198.51.100.1", b"\x00\x00\x00\x01")
    out = enb.activate(  # type: ignore[call-arg]
        1,
        kenb=KENB,
        wlan_mac=MAC,
        now=0.0,
        wlan_ids=[wlan],
        serving_plmn=b"\x00\xf1\x10",
        enb_gtp_endpoint=gtp,
    )
    ((_, _, _, name, ies),) = _sent(out)
    assert name == "LWIPAdditionRequest"
    assert ies[54] == [{"sSID": b"lwip"}]  # id-MobilitySet
    assert ies[55] == b"\x00\xf1\x10"  # id-ServingPLMN
    assert ies[70] == {"transportLayerAddress": (0xC6336401, 32), "gTP-TEID": b"\x00\x00\x00\x01"}


def test_ts36463_8_14_2_without_a_set_given_the_segws_lwip_wlans_go_with_all_identifiers() -> None:
    """An activation without a mobility set takes the WLANs the SeGW offers for LWIP (8.2.2:
    those with WLAN Usage), each with every identifier the SeGW gave (9.2.7 WLAN Information:
    BSSID in its BSS Item, SSID, HESSID): the LWIP ADDITION REQUEST's Mobility Set (9.2.x
    MobilitySetItem) and the UE's wlan-MobilitySet (36.331 WLAN-Identifiers-r12), both read by
    pycrate, carry all three; the LWA-only WLAN is in neither."""
    bssid, hessid = bytes.fromhex("020000000a01"), bytes.fromhex("020000000b01")
    full = pdus.wlan_item(b"lwip", "lWAandLWIP")
    full["value"][1]["wLANInformation"].update({"bSS-Item": {"bSSID": bssid}, "hESSID": hessid})
    enb = _set_up_with([full, pdus.wlan_item(b"lwa", None)])
    out = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=0.0)
    ((_, _, _, name, ies),) = _sent(out)
    assert name == "LWIPAdditionRequest"
    assert ies[54] == [{"bSSID": bssid, "sSID": b"lwip", "hESSID": hessid}]
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    ack = pdus.lwip_addition_request_acknowledge(request.enb_ue_id, WT)  # type: ignore[attr-defined]
    (setup,) = [o for o in enb.receive_xwap(SEGW, ack, 0.1) if isinstance(o, SendRrc)]
    from helpers import pycrate_oracle as oracle

    mobility = oracle.find(oracle.rrc_decode("dl-dcch", setup.pdu), "wlan-ToAddList-r13")
    assert mobility == [{"ssid-r12": b"lwip", "bssid-r12": bssid, "hessid-r12": hessid}]


# --- 11: eNB Initiated LWIP Modification --------------------------------------------------------


def test_ts36463_8_15_2_modification_acknowledged_changes_the_mobility_set() -> None:
    """8.15.2: LWIP MODIFICATION REQUEST with the new Mobility Set; on the acknowledge the UE
    gets the new WLAN mobility set (RRC) and the UE stays active, with a guard meanwhile."""
    from lwip_enb.codec.fields import WlanIdentifiers

    enb = _set_up_with([pdus.wlan_item(b"lwip", "lWAandLWIP"), pdus.wlan_item(b"two", "lWIPonly")])
    enb_ue_id = _enb_ue_id(bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, wt_ue_id=WT))
    two = WlanIdentifiers(ssid=b"two")
    out = enb.modify(1, 1.0, wlan_ids=[two])  # type: ignore[attr-defined]
    ((kind, code, _c, name, ies),) = _sent(out)
    assert (kind, code, name) == ("initiatingMessage", 14, "LWIPModificationRequest")
    assert _ids(ies) == (enb_ue_id, WT) and ies[54] == [{"sSID": b"two"}]
    assert enb.next_timer() is not None
    out = enb.receive_xwap(SEGW, pdus.lwip_modification_answer(enb_ue_id, WT, None), 1.5)
    assert enb.state(1) is State.ACTIVE
    (rrc_out,) = [o for o in out if isinstance(o, SendRrc)]
    name, _body = pdus.read_dl_dcch(rrc_out.pdu)
    assert name == "rrcConnectionReconfiguration"
    info = enb.ue_info(1)
    assert info is not None and info.mobility_set == (two,)  # type: ignore[attr-defined]


def test_ts36463_8_15_3_modification_rejected_keeps_the_tunnel() -> None:
    """8.15.3: LWIP MODIFICATION REQUEST REJECT: the modification did not happen; the UE keeps
    its tunnel and nothing goes to the UE."""
    enb = ready_controller()
    enb_ue_id = _active(enb)
    enb.modify(1, 1.0, serving_plmn=b"\x00\xf1\x20")  # type: ignore[attr-defined]
    answer = pdus.lwip_modification_answer(enb_ue_id, WT, ("radioNetwork", "unspecified"))
    out = enb.receive_xwap(SEGW, answer, 1.5)
    assert enb.state(1) is State.ACTIVE and not [o for o in out if isinstance(o, SendRrc)]
    from lwip_enb.core.outputs import ModificationFailed

    (failed,) = [o for o in out if isinstance(o, ModificationFailed)]
    assert failed.reason.value == "rejected"


# --- 14: IEs of criticality ignore whose value is not understood --------------------------------


def test_ts36413_10_3_4_2_release_required_with_an_unknown_cause_value_is_confirmed() -> None:
    """The Cause of LWIP RELEASE REQUIRED has criticality ignore: a value of a later version is
    ignored and the procedure goes on (36.413 10.3.4.2): LWIP RELEASE CONFIRM, UE released."""
    enb = ready_controller()
    enb_ue_id = _active(enb)
    required = pdus.with_cause_extension_value(
        pdus.lwip_release_required(enb_ue_id, WT, ("misc", "unspecified"))
    )
    out = enb.receive_xwap(SEGW, required, 1.0)
    assert _codes(out) == [("successfulOutcome", pdus.WT_INITIATED_LWIP_RELEASE)]
    assert enb.state(1) is State.IDLE


def test_ts36413_10_3_4_2_reset_with_an_unknown_cause_value_is_answered() -> None:
    enb = ready_controller()
    out = enb.receive_xwap(
        SEGW, pdus.with_cause_extension_value(pdus.reset(("misc", "unspecified"))), 1.0
    )
    assert _codes(out) == [("successfulOutcome", pdus.RESET)]


def test_ts36413_10_3_4_2_xw_setup_failure_with_an_unknown_cause_value_is_taken() -> None:
    enb, _ = _connected()
    failure = pdus.with_cause_extension_value(pdus.xw_setup_failure(("misc", "unspecified")))
    out = enb.receive_xwap(SEGW, failure, 1.0)
    assert not _codes(out)  # no Error Indication: the failure is taken, and retried later
    assert enb.next_timer() is not None


def test_ts36413_10_3_4_2_error_indication_with_an_unknown_cause_value_is_taken() -> None:
    """An Error Indication with an unknown Cause value is still taken (and reported), not
    dropped as undecodable."""
    enb = ready_controller()
    enb_ue_id = _active(enb)
    indication = pdus.with_cause_extension_value(
        pdus.error_indication(enb_ue_id, WT, ("misc", "unspecified"))
    )
    out = enb.receive_xwap(SEGW, indication, 1.0)
    from lwip_enb.core.outputs import ErrorIndicationReceived

    (received,) = [o for o in out if isinstance(o, ErrorIndicationReceived)]
    assert (received.ue, received.cause) == (1, None)


# --- eNB-initiated Reset -----------------------------------------------------------------------


def test_ts36463_8_7_2_enb_initiated_reset_releases_every_ue_and_waits_for_the_answer() -> None:
    """8.7.2: the eNB sends RESET; the SeGW drops its contexts and answers RESET RESPONSE. The
    eNB releases its UEs of that SeGW (and tells them) and sends no activation until then."""
    enb = ready_controller()
    _active(enb)
    out = enb.reset(SEGW, xwap.Cause.misc("om-intervention"), 1.0)  # type: ignore[attr-defined]
    assert _codes(out) == [("initiatingMessage", pdus.RESET)]
    assert enb.state(1) is State.IDLE and [o for o in out if isinstance(o, SendRrc)]
    (failed,) = enb.activate(2, kenb=KENB, wlan_mac=MAC, now=1.1)
    assert isinstance(failed, ActivationFailed) and failed.reason.value == "xw-reset-ongoing"
    response = xwap.encode(xwap.ResetResponse())
    enb.receive_xwap(SEGW, response, 1.2)
    assert _codes(enb.activate(2, kenb=KENB, wlan_mac=MAC, now=1.3)) == [
        ("initiatingMessage", pdus.LWIP_ADDITION_PREPARATION)
    ]
