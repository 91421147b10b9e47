"""Behaviour 1: activation, and its failures (reject, guard timeout) leave nothing behind."""

from __future__ import annotations

from helpers.simhelpers import new_sim

from lwip_enb.codec import xwap
from lwip_enb.core.controller import EnbController
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import ActivationFailed, ActivationFailure, SendRrc, SendXwap
from lwip_enb.sim.testing import ready_controller

KENB = bytes(range(32))


def test_activation_reaches_active() -> None:
    sim = new_sim()
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE


def test_reject_reports_failure_and_sends_nothing_to_the_ue() -> None:
    enb = ready_controller()
    out = enb.activate(1, kenb=KENB, wlan_mac="02:00:00:00:00:01", now=0.0)
    (req,) = [o for o in out if isinstance(o, SendXwap)]
    reject = xwap.LwipAdditionRequestReject(
        req.message.enb_ue_id,
        xwap.Cause.radio_network("no-radio-resources-available"),  # type: ignore[attr-defined]
    )
    out = enb.receive_xwap("segw", xwap.encode(reject), 0.1)
    assert not [o for o in out if isinstance(o, SendRrc)]
    (failed,) = [o for o in out if isinstance(o, ActivationFailed)]
    assert (failed.reason, failed.cause) == (ActivationFailure.REJECTED, reject.cause)
    assert enb.state(1) is State.IDLE and enb.idi(1) is None
    assert enb.next_timer() is None


def test_guard_timeout_reports_failure() -> None:
    enb = ready_controller()
    enb.activate(1, kenb=KENB, wlan_mac="02:00:00:00:00:01", now=0.0)
    assert enb.next_timer() == 5.0
    assert enb.handle_timer(4.9) == []
    out = enb.handle_timer(5.0)
    assert [o.reason for o in out if isinstance(o, ActivationFailed)] == [
        ActivationFailure.NO_ANSWER
    ]
    assert enb.state(1) is State.IDLE and enb.next_timer() is None
    # A late acknowledge for it is undone at the SeGW.
    late = xwap.LwipAdditionRequestAcknowledge(0, 77)
    sends = [o for o in enb.receive_xwap("segw", xwap.encode(late), 6.0) if isinstance(o, SendXwap)]
    # TS 36.413 10.6: an Error Indication with the received ids; beyond it, the release
    assert [type(s.message).__name__ for s in sends] == ["LwipReleaseRequest", "ErrorIndication"]


def test_rrc_guard_releases_both_when_the_ue_does_not_complete() -> None:
    enb = ready_controller()
    out = enb.activate(1, kenb=KENB, wlan_mac="02:00:00:00:00:01", now=0.0)
    (req,) = [o for o in out if isinstance(o, SendXwap)]
    ack = xwap.LwipAdditionRequestAcknowledge(req.message.enb_ue_id, 9)  # type: ignore[attr-defined]
    enb.receive_xwap("segw", xwap.encode(ack), 0.1)
    assert enb.state(1) is State.CONFIGURING
    out = enb.handle_timer(10.0)
    names = [type(o.message).__name__ for o in out if isinstance(o, SendXwap | SendRrc)]
    assert names == ["LwipReleaseRequest", "RrcConnectionReconfiguration"]
    assert enb.state(1) is State.IDLE


def test_activation_without_xw_setup_fails_cleanly() -> None:
    enb = EnbController()
    enb.add_segw("segw", "192.0.2.10")
    out = enb.activate(1, kenb=KENB, wlan_mac="02:00:00:00:00:01", now=0.0)
    assert out == [ActivationFailed(1, ActivationFailure.NO_XW_ASSOCIATION, segw="segw")]
    assert enb.state(1) is State.IDLE


def test_ue_forgotten_during_addition_is_dropped_once_the_segw_answers() -> None:
    enb = ready_controller()
    out = enb.activate(1, kenb=KENB, wlan_mac="02:00:00:00:00:01", now=0.0)
    (req,) = [o for o in out if isinstance(o, SendXwap)]
    enb.forget(1, 0.1)
    assert enb.state(1) is State.CANCELLING  # the SeGW's answer is still due
    ack = xwap.LwipAdditionRequestAcknowledge(req.message.enb_ue_id, 77)  # type: ignore[attr-defined]
    out = enb.receive_xwap("segw", xwap.encode(ack), 0.2)
    (undo,) = [o for o in out if isinstance(o, SendXwap)]
    assert isinstance(undo.message, xwap.LwipReleaseRequest) and undo.message.wt_ue_id == 77
    assert list(enb.ues()) == [] and enb.next_timer() is None


def test_ue_forgotten_during_addition_is_dropped_when_the_guard_expires() -> None:
    enb = ready_controller()
    enb.activate(1, kenb=KENB, wlan_mac="02:00:00:00:00:01", now=0.0)
    enb.forget(1, 0.1)
    enb.handle_timer(5.0)
    assert list(enb.ues()) == [] and enb.next_timer() is None
