"""Every release and failed activation says why with a typed reason, the SeGW's XwAP cause where
it gave one; ``describe()`` renders it for humans and the trace."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers.simhelpers import events, new_sim

from lwip_enb.codec import xwap
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.core.controller import EnbController, HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import (
    ActivationFailed,
    ActivationFailure,
    Output,
    PeerPdu,
    ReleaseReason,
    ReleaseTrigger,
    SendXwap,
    TunnelReleased,
)
from lwip_enb.sim.testing import SEGW, PeerMessages, bring_up, ready_controller

KENB, MAC, WT = bytes(range(32)), "02:00:00:00:00:01", 9
PEERS = PeerMessages()
OM = xwap.Cause.misc("om-intervention")
PAIR = xwap.Cause.radio_network("unknown-pair-of-UE-XwAP-ID")


def _enb_ue_id(out: list[Output]) -> int:
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    assert isinstance(request, xwap.LwipAdditionRequest)
    return request.enb_ue_id


def _released(out: list[Output]) -> ReleaseReason:
    (released,) = [o for o in out if isinstance(o, TunnelReleased)]
    return released.reason


Input = Callable[[EnbController, int], list[Output]]

RELEASES: list[tuple[str, State, Input, ReleaseReason, str]] = [
    (
        "deactivate",
        State.ACTIVE,
        lambda enb, ids: enb.deactivate(1, 1.0),
        ReleaseReason(ReleaseTrigger.DEACTIVATED),
        "deactivated",
    ),
    (
        "s1-handover",
        State.ACTIVE,
        lambda enb, ids: enb.handover(1, HandoverKind.S1, 1.0),
        ReleaseReason(ReleaseTrigger.S1_HANDOVER),
        "s1 handover",
    ),
    (
        "x2-handover",
        State.CONFIGURED,
        lambda enb, ids: enb.handover(1, HandoverKind.X2, 1.0),
        ReleaseReason(ReleaseTrigger.X2_HANDOVER),
        "x2 handover",
    ),
    (
        "enb-rlf",
        State.ACTIVE,
        lambda enb, ids: enb.radio_link_failure(1, 1.0),
        ReleaseReason(ReleaseTrigger.RADIO_LINK_FAILURE),
        "radio link failure",
    ),
    (
        "ue-rlf",
        State.ACTIVE,
        lambda enb, ids: enb.receive_rrc(
            1, RrcChannel.UL_CCCH, PEERS.reestablishment_request(), 1.0
        ),
        ReleaseReason(ReleaseTrigger.UE_RADIO_LINK_FAILURE),
        "radio link failure",
    ),
    (
        "wlan-lost",
        State.ACTIVE,
        lambda enb, ids: enb.receive_rrc(
            1, RrcChannel.UL_DCCH, PEERS.wlan_status(WlanStatus.FAILURE_TIMEOUT), 1.0
        ),
        ReleaseReason(ReleaseTrigger.WLAN_LOST, wlan_status=WlanStatus.FAILURE_TIMEOUT),
        "WLAN lost (failureTimeout)",
    ),
    (
        "ue-no-answer",
        State.CONFIGURING,
        lambda enb, ids: enb.handle_timer(10.0),
        ReleaseReason(ReleaseTrigger.UE_NO_ANSWER),
        "no answer from UE",
    ),
    (
        "segw-released",
        State.ACTIVE,
        lambda enb, ids: enb.receive_xwap(SEGW, PEERS.release_required(ids, WT, OM), 1.0),
        ReleaseReason(ReleaseTrigger.SEGW_RELEASED, OM),
        "SeGW released (misc:om-intervention)",
    ),
    (
        "segw-error",
        State.ACTIVE,
        lambda enb, ids: enb.receive_xwap(SEGW, PEERS.error_indication(ids, WT, PAIR), 1.0),
        ReleaseReason(
            ReleaseTrigger.SEGW_ERROR, PAIR, pdu=PeerPdu("ErrorIndication", 4, 0, WT, PAIR)
        ),
        "SeGW error (radioNetwork:unknown-pair-of-UE-XwAP-ID)",
    ),
    (
        "xwap-id-error",
        State.ACTIVE,
        lambda enb, ids: enb.receive_xwap(SEGW, PEERS.release_required(ids, WT + 1, OM), 1.0),
        ReleaseReason(
            ReleaseTrigger.XWAP_ID_ERROR,
            PAIR,
            pdu=PeerPdu("LWIPReleaseRequired", 16, 0, WT + 1, OM),
        ),
        "inconsistent XwAP ids in LWIPReleaseRequired (eNB UE XwAP ID 0, WT UE XwAP ID "
        f"{WT + 1}) (radioNetwork:unknown-pair-of-UE-XwAP-ID)",
    ),
    (
        "enb-reset",
        State.ACTIVE,
        lambda enb, ids: enb.reset(SEGW, OM, 1.0),
        ReleaseReason(ReleaseTrigger.ENB_RESET),
        "Xw reset by the eNB",
    ),
    (
        "segw-lost",
        State.ACTIVE,
        lambda enb, ids: enb.segw_lost(SEGW, 1.0),
        ReleaseReason(ReleaseTrigger.SEGW_LOST),
        "SeGW lost",
    ),
    (
        "xw-reset",
        State.CONFIGURED,
        lambda enb, ids: enb.receive_xwap(SEGW, PEERS.reset(), 1.0),
        ReleaseReason(ReleaseTrigger.SEGW_LOST),
        "SeGW lost",
    ),
    (
        "cancelled-by-deactivate",
        State.ADDING,
        lambda enb, ids: enb.deactivate(1, 1.0),
        ReleaseReason(ReleaseTrigger.DEACTIVATED, cancelled=True),
        "cancelled before set-up (deactivated)",
    ),
    (
        "cancelled-by-handover",
        State.ADDING,
        lambda enb, ids: enb.handover(1, HandoverKind.X2, 1.0),
        ReleaseReason(ReleaseTrigger.X2_HANDOVER, cancelled=True),
        "cancelled before set-up (x2 handover)",
    ),
    (
        "cancelled-by-rlf",
        State.ADDING,
        lambda enb, ids: enb.radio_link_failure(1, 1.0),
        ReleaseReason(ReleaseTrigger.RADIO_LINK_FAILURE, cancelled=True),
        "cancelled before set-up (radio link failure)",
    ),
]


@pytest.mark.parametrize(
    ("state", "make", "reason", "text"),
    [r[1:] for r in RELEASES],
    ids=[r[0] for r in RELEASES],
)
def test_each_release_says_why(state: State, make: Input, reason: ReleaseReason, text: str) -> None:
    enb = ready_controller()
    ids = _enb_ue_id(bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=state, wt_ue_id=WT))
    assert _released(make(enb, ids)) == reason
    assert reason.describe() == str(reason) == text


FAILURES: list[tuple[str, Input, ActivationFailure, xwap.Cause | None, str]] = [
    (
        "rejected",
        lambda enb, ids: enb.receive_xwap(SEGW, PEERS.addition_reject(ids, OM), 1.0),
        ActivationFailure.REJECTED,
        OM,
        "rejected by SeGW",
    ),
    (
        "segw-error",
        lambda enb, ids: enb.receive_xwap(SEGW, PEERS.error_indication(ids, None, OM), 1.0),
        ActivationFailure.SEGW_ERROR,
        OM,
        "Error Indication from SeGW",
    ),
    (
        "no-answer",
        lambda enb, ids: enb.handle_timer(10.0),
        ActivationFailure.NO_ANSWER,
        None,
        "no answer from SeGW",
    ),
    (
        "segw-lost",
        lambda enb, ids: enb.segw_lost(SEGW, 1.0),
        ActivationFailure.SEGW_LOST,
        None,
        "SeGW lost",
    ),
]


@pytest.mark.parametrize(
    ("make", "failure", "cause", "text"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_each_failed_activation_says_why(
    make: Input, failure: ActivationFailure, cause: xwap.Cause | None, text: str
) -> None:
    enb = ready_controller()
    ids = _enb_ue_id(bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.ADDING))
    (failed,) = [o for o in make(enb, ids) if isinstance(o, ActivationFailed)]
    assert (failed.ue, failed.reason, failed.cause, failed.segw) == (1, failure, cause, SEGW)
    assert failed.describe() == failure.describe() == text
    assert enb.state(1) is State.IDLE


def test_activation_without_xw_association_names_the_segw() -> None:
    enb = EnbController()
    enb.add_segw("segw-7", "192.0.2.10")
    (failed,) = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=0.0)
    assert failed == ActivationFailed(1, ActivationFailure.NO_XW_ASSOCIATION, segw="segw-7")
    assert isinstance(failed, ActivationFailed)
    assert failed.describe() == "SeGW segw-7 has no Xw association"


def test_the_trace_reason_is_the_description() -> None:
    sim = new_sim()
    sim.activate(1)
    sim.handover(1, HandoverKind.X2, bytes(range(1, 33)))
    sim.activate(1)
    sim.segw_release(1)
    reasons = [r["reason"] for r in events(sim, "enb", "tunnel-released")]
    assert reasons == [
        ReleaseReason(ReleaseTrigger.X2_HANDOVER).describe(),
        ReleaseReason(ReleaseTrigger.SEGW_RELEASED, OM).describe(),
    ]
