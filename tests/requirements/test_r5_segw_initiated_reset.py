"""R5 with TS 36.463 8.7.2, the Reset initiated by the WT (the SeGW, SegwModel.reset): every
UE context the SeGW holds for that eNB goes, so every LWIP-PSK of that eNB is deleted with the
Reset's cause as reason, and RESET goes to the eNB; another eNB's tunnels stay. RESET RESPONSE is
awaited for ``SegwConfig.release_confirm_guard_s``: missing, it is reported (NoAnswer) and a late
one answers nothing; received, nothing is left to fire.
"""

from __future__ import annotations

from lwip_enb.codec import xwap
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers.segw import EnbInterface, SegwConfig, SegwModel
from lwip_enb.peers.segw_outputs import (
    InputRejected,
    NoAnswer,
    PskDeleted,
    Rejection,
    ReleaseReason,
    ReleaseTrigger,
    SendXwap,
)


def _segw_with_tunnels() -> SegwModel:
    segw = SegwModel(SegwConfig(release_confirm_guard_s=5.0, ike_window_s=30.0))
    for enb, address in (("enb", "192.0.2.1"), ("other", "192.0.2.2")):
        segw.add_enb(enb, EnbInterface(address))
        setup = xwap.XwSetupRequest(xwap.GlobalEnbId(b"\x00\xf1\x10", len(address)))
        segw.receive_xwap(enb, xwap.encode(setup), 0.0)
    for i, enb in enumerate(("enb", "enb", "other")):
        security = xwap.SeGwSecurityInfo(KeyMaterial(bytes([i]) * 32), b"idi-%d" % i)
        request = xwap.LwipAdditionRequest(i, "02:00:00:00:00:01", security)
        segw.receive_xwap(enb, xwap.encode(request), 0.0)
    assert segw.psk_count() == 3
    return segw


def test_r5_ts36463_8_7_2_the_segws_reset_deletes_the_psks_of_that_enb_with_its_cause() -> None:
    segw = _segw_with_tunnels()
    cause = xwap.Cause.misc("om-intervention")
    out = segw.reset("enb", cause, 1.0)
    reason = ReleaseReason(ReleaseTrigger.RESET_BY_SEGW, cause)
    assert [o for o in out if isinstance(o, PskDeleted)] == [
        PskDeleted(b"idi-0", reason),
        PskDeleted(b"idi-1", reason),
    ]
    assert [o.message for o in out if isinstance(o, SendXwap)] == [xwap.Reset(cause)]
    assert segw.psk_count() == 1 and segw.has_psk(b"idi-2")


def test_ts36463_8_7_2_reset_response_awaited_for_the_guard_then_reported_missing() -> None:
    segw = _segw_with_tunnels()
    segw.reset("enb", xwap.Cause.misc("om-intervention"), 1.0)
    assert segw.handle_timer(5.9) == []
    assert segw.handle_timer(6.0) == [NoAnswer("enb", "Reset")]
    # the Reset is over: a RESET RESPONSE now answers nothing of the SeGW's
    late = segw.receive_xwap("enb", xwap.encode(xwap.ResetResponse()), 7.0)
    assert [o.kind for o in late if isinstance(o, InputRejected)] == [Rejection.UNEXPECTED_MESSAGE]


def test_ts36463_8_7_2_an_answered_reset_leaves_no_guard_behind() -> None:
    segw = _segw_with_tunnels()
    segw.reset("enb", xwap.Cause.misc("om-intervention"), 1.0)
    assert segw.receive_xwap("enb", xwap.encode(xwap.ResetResponse()), 2.0) == []
    assert segw.handle_timer(20.0) == []  # well past the guard, before the IKE window ends
