"""The reference SeGW and UE say why they delete a PSK, release a tunnel or refuse an input,
with typed reasons (the words of the eNB's outputs where the meaning is the same)."""

from __future__ import annotations

from helpers.simhelpers import events, new_sim

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import Cause
from lwip_enb.core.controller import HandoverKind
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.ike import IkeAuthResponse, ModelIke
from lwip_enb.peers.segw import EnbInterface, SegwConfig, SegwModel, TunnelState
from lwip_enb.peers.ue import UeModel

IDI = bytes(range(16))
OM = Cause.misc("om-intervention")


def _segw_with_psk(enb_ue_id: int = 3) -> tuple[SegwModel, int]:
    """A SeGW after Xw Setup and one LWIP ADDITION REQUEST; returns it and the WT UE XwAP id."""
    segw = SegwModel(SegwConfig(ike_window_s=10.0))
    segw.add_enb("enb", EnbInterface("198.51.100.1"))
    setup = xwap.XwSetupRequest(xwap.GlobalEnbId(b"\0\xf1\x10", 1))
    segw.receive_xwap("enb", xwap.encode(setup), 0.0)
    security = xwap.SeGwSecurityInfo(KeyMaterial(bytes(32)), IDI)
    add = xwap.LwipAdditionRequest(enb_ue_id, b"\x02\0\0\0\0\x01", security)
    out = segw.receive_xwap("enb", xwap.encode(add), 0.0)
    assert out[0] == segw_out.PskStored(IDI, segw_out.PskPhase.WINDOW)
    (ack,) = [o.message for o in out if isinstance(o, segw_out.SendXwap)]
    assert isinstance(ack, xwap.LwipAdditionRequestAcknowledge)
    return segw, ack.wt_ue_id


def _deleted(out: list[segw_out.Output]) -> segw_out.ReleaseReason:
    (deleted,) = [o for o in out if isinstance(o, segw_out.PskDeleted)]
    assert deleted.idi == IDI
    return deleted.reason


def test_segw_deletion_reasons() -> None:
    R, T = segw_out.ReleaseReason, segw_out.ReleaseTrigger
    segw, wt = _segw_with_psk()
    request = xwap.encode(xwap.LwipReleaseRequest(3, wt, OM))
    assert _deleted(segw.receive_xwap("enb", request, 1.0)) == R(T.RELEASED_BY_ENB, OM)
    segw, wt = _segw_with_psk()
    pair = Cause.radio_network("unknown-pair-of-UE-XwAP-ID")  # TS 36.413 10.6
    error = xwap.encode(xwap.ErrorIndication(3, wt, pair))
    assert _deleted(segw.receive_xwap("enb", error, 1.0)) == R(T.ENB_ERROR, pair)
    segw, _ = _segw_with_psk()
    assert _deleted(segw.enb_lost("enb", 1.0)) == R(T.ENB_LOST)
    segw, _ = _segw_with_psk()
    reset = xwap.encode(xwap.Reset(OM))
    assert _deleted(segw.receive_xwap("enb", reset, 1.0)) == R(T.XW_RESET)
    segw, _ = _segw_with_psk()
    assert _deleted(segw.release(IDI, OM, 1.0)) == R(T.RELEASED_BY_SEGW, OM)
    segw, _ = _segw_with_psk()
    assert _deleted(segw.handle_timer(10.0)) == R(T.IKE_WINDOW_EXPIRED)
    assert str(R(T.RELEASED_BY_ENB, OM)) == "LWIP RELEASE REQUEST (misc:om-intervention)"
    assert R(T.IKE_WINDOW_EXPIRED).describe() == "IKE window expired"


def test_segw_ike_rejections_are_typed() -> None:
    segw, _ = _segw_with_psk()
    psk = KeyMaterial(bytes(32))
    unknown = ModelIke().start(b"\xff" * 16, psk, segw.ike_sa_init(0.0))
    assert segw.ike_auth(unknown, 0.0)[1] == [
        segw_out.IkeRejected(b"\xff" * 16, segw_out.IkeRejection.UNKNOWN_IDI)
    ]
    assert segw.ike_auth(unknown, 0.0)[1] == [
        segw_out.IkeRejected(b"\xff" * 16, segw_out.IkeRejection.NO_SA_INIT)
    ]
    late = ModelIke().start(IDI, psk, segw.ike_sa_init(11.0))
    response, out = segw.ike_auth(late, 11.0)
    assert not response.ok
    assert out[0] == segw_out.IkeRejected(IDI, segw_out.IkeRejection.WINDOW_EXPIRED)
    assert str(segw_out.IkeRejection.WINDOW_EXPIRED) == "IKE window expired"


def test_segw_tunnel_release_carries_the_reason_of_the_deletion() -> None:
    segw, _ = _segw_with_psk()
    request = ModelIke().start(IDI, KeyMaterial(bytes(32)), segw.ike_sa_init(1.0))
    _, out = segw.ike_auth(request, 1.0)
    assert out == [segw_out.TunnelUp(IDI), segw_out.PskStored(IDI, segw_out.PskPhase.TUNNEL)]
    assert segw.tunnel_state(IDI) is TunnelState.UP
    out = segw.release(IDI, OM, 2.0)
    reason = segw_out.ReleaseReason(segw_out.ReleaseTrigger.RELEASED_BY_SEGW, OM)
    assert out[:2] == [segw_out.TunnelReleased(IDI, reason), segw_out.PskDeleted(IDI, reason)]
    assert segw.tunnel_state(IDI) is None and segw.psk_count() == 0


def test_segw_rejected_inputs_say_what_was_wrong() -> None:
    segw, _ = _segw_with_psk()
    out = segw.receive_xwap("enb", b"\xff\xff\xff", 1.0)
    (rejected,) = [o for o in out if isinstance(o, segw_out.InputRejected)]
    assert (rejected.enb, rejected.kind) == ("enb", segw_out.Rejection.UNDECODABLE)
    assert rejected.error is not None and rejected.error.cause == "transfer-syntax-error"
    stray = xwap.encode(xwap.ErrorIndication(None, 4242, OM))
    assert segw.receive_xwap("enb", stray, 1.0) == [
        segw_out.InputRejected(
            "enb",
            segw_out.Rejection.ERROR_INDICATION,
            f"Error Indication from enb: {OM}",
            OM,
            None,
            4242,
        )
    ]


def _configured_ue() -> tuple[UeModel, bytes]:
    ue = UeModel(bytes(32))
    # a WLAN of the mobility set is available (the UE's default): it associates, then IKE
    mobility = rrc.WlanMobilityConfig(to_add=(WlanIdentifiers(ssid=b"lwip"),))
    setup = rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", IDI, 0, mobility=mobility)
    out = ue.receive_rrc(rrc.encode(setup), 0.0)
    assert isinstance(out[0], ue_out.SendRrc) and isinstance(out[1], ue_out.IkeStart)
    return ue, rrc.encode(rrc.RrcConnectionReconfiguration.lwip_release(2))


def test_ue_release_reasons() -> None:
    R, T = ue_out.ReleaseReason, ue_out.ReleaseTrigger
    ue, release = _configured_ue()
    assert ue.ike_established(0.0)[:2] == [ue_out.PskStored(IDI), ue_out.TunnelUp(IDI)]
    out = ue.receive_rrc(release, 1.0)
    assert out[:2] == [
        ue_out.TunnelReleased(IDI, R(T.LWIP_RELEASE)),
        ue_out.PskDeleted(IDI, R(T.LWIP_RELEASE)),
    ]
    for make, trigger in (
        (lambda u: u.wlan_lost(1.0), T.WLAN_LOST),
        (lambda u: u.radio_link_failure(1.0), T.RADIO_LINK_FAILURE),
    ):
        ue, _ = _configured_ue()
        ue.ike_established(0.0)
        (deleted,) = [o for o in make(ue) if isinstance(o, ue_out.PskDeleted)]
        assert deleted.reason == R(trigger)
    assert str(R(T.HANDOVER_COMMAND)) == "handover command"


def test_ue_ike_failure_and_rejected_input() -> None:
    ue, _ = _configured_ue()
    request = ue.ike_request(b"\x01" * 32)
    assert request is not None
    out = ue.ike_result(IkeAuthResponse(False, reason="window expired"), 0.0)
    assert out == [ue_out.IkeFailed(IDI, ue_out.IkeFailure.REJECTED, "window expired")]
    assert out[0].describe() == "IKE failed: window expired"  # type: ignore[union-attr]
    ue.ike_request(b"\x01" * 32)
    forged = IkeAuthResponse(True, auth=b"\x00" * 32)
    (failed,) = ue.ike_result(forged, 0.0)
    assert failed == ue_out.IkeFailed(IDI, ue_out.IkeFailure.SEGW_NOT_AUTHENTICATED)
    (rejected,) = ue.receive_rrc(b"", 0.0)
    assert isinstance(rejected, ue_out.InputRejected)
    assert rejected.kind is ue_out.Rejection.UNDECODABLE and rejected.error is not None


def test_the_trace_renders_the_peers_reasons() -> None:
    sim = new_sim()
    sim.activate(1)
    sim.handover(1, HandoverKind.X2, bytes(range(1, 33)))
    handover = ue_out.ReleaseReason(ue_out.ReleaseTrigger.HANDOVER_COMMAND)
    assert [r["reason"] for r in events(sim, "ue", "psk-deleted")] == [str(handover)]
    (segw,) = events(sim, "segw", "psk-deleted")
    cause = sim.enb.config.handover_cause
    reason = segw_out.ReleaseReason(segw_out.ReleaseTrigger.RELEASED_BY_ENB, cause)
    assert segw["reason"] == str(reason)
