"""How the controller takes some of its inputs around the state table, against the rules it
follows (from the tests written for surviving mutants of the controller, on the current API).

- TS 36.463 9.2.24: the eNB UE XwAP ID is 0..2^24-1; the ids the eNB gives wrap around at the
  top.
- TS 36.331 6.2.2: ``RRC-TransactionIdentifier`` is 0..3; each reconfiguration the eNB starts
  takes another id than the one before (5.3.5.3 matches a completion to its transaction), also
  when set-ups follow releases that sent nothing to the UE (R9 implicit, R10).
- The handover kind may be given by its value ("s1", "x2"): it is that kind (R9).
"""

from __future__ import annotations

import itertools

import pytest
from helpers.enbstates import KENB, MAC, PEERS, UE, fire, ue_in

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.core.controller import EnbConfig
from lwip_enb.core.fsm import Event, State
from lwip_enb.core.outputs import (
    ActivationFailed,
    ReleaseTrigger,
    SegwReady,
    SendRrc,
    SendXwap,
    TunnelReleased,
)
from lwip_enb.errors import InvalidFieldError
from lwip_enb.sim.testing import SEGW, ready_controller

TOP = xwap.UE_XWAP_ID_MAX  # 2**24 - 1 (36.463 9.2.24)


def test_ts36463_9_2_24_enb_ue_xwap_ids_wrap_around_at_2_to_the_24() -> None:
    assert TOP == 2**24 - 1
    enb = ready_controller()
    enb._next_enb_id = TOP - 1  # fast-forward: the counter is near the top of the range
    ids = []
    for key in range(3):
        out = enb.activate(key, kenb=KENB, wlan_mac=MAC, now=0.0)
        (request,) = [o.message for o in out if isinstance(o, SendXwap)]
        assert isinstance(request, xwap.LwipAdditionRequest)
        ids.append(request.enb_ue_id)
    assert ids == [TOP - 1, TOP, 0]


def test_ts36331_6_2_2_transaction_ids_stay_in_0_to_3_and_change_every_reconfiguration() -> None:
    ue = ue_in(State.ACTIVE)
    tids = [ue.tid]
    for ending in (Event.DEACTIVATE, Event.RADIO_LINK_FAILURE, Event.HANDOVER) * 2:
        fire(ue, ending)  # deactivation sends an RRC release; RLF and implicit handover do not
        if ending is Event.DEACTIVATE:
            tids.append(ue.tid)
        fire(ue, Event.ACTIVATE)
        fire(ue, Event.ADDITION_ACK)
        tids.append(ue.tid)
    assert all(0 <= t <= 3 for t in tids)
    assert all(a != b for a, b in itertools.pairwise(tids))


def test_r9_a_handover_kind_given_by_its_value_is_that_kind() -> None:
    ue = ue_in(State.ACTIVE)
    out = ue.enb.handover(UE, "s1", 1.0)  # type: ignore[arg-type]
    (released,) = [o for o in out if isinstance(o, TunnelReleased)]
    assert released.reason.trigger is ReleaseTrigger.S1_HANDOVER
    assert ue.enb.state(UE) is State.IDLE


def test_ue_info_names_the_ue_it_is_about() -> None:
    ue = ue_in(State.ACTIVE)
    info = ue.enb.ue_info(UE)
    assert info is not None and (info.ue, info.state) == (UE, State.ACTIVE)


def test_ts36463_8_6_an_error_indication_failing_the_addition_says_its_cause() -> None:
    """An Error Indication about the outstanding LWIP ADDITION REQUEST ends it (the addition
    failed at the WT); the caller is told with the Error Indication's cause."""
    ue = ue_in(State.ADDING)
    cause = xwap.Cause.protocol("abstract-syntax-error-reject")
    error = xwap.encode(xwap.ErrorIndication(ue.enb_ue_id, None, cause))
    out = ue.enb.receive_xwap(SEGW, error, 1.0)
    (failed,) = [o for o in out if isinstance(o, ActivationFailed)]
    assert (failed.ue, failed.cause) == (UE, cause)
    assert ue.enb.state(UE) is State.IDLE


def test_ts36331_5_3_10_3a3_the_drb_switch_to_lwip_goes_to_the_ue_it_is_for() -> None:
    """drb-TypeLWIP-r13 only once the tunnel carries traffic: the reconfiguration that switches
    the UE's DRBs goes to that UE when the tunnel is reported established."""
    enb = ready_controller()
    drbs = (rrc.DrbLwip(1, "lwip"),)
    out = enb.activate(UE, kenb=KENB, wlan_mac=MAC, now=0.0, drbs=drbs)
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    assert isinstance(request, xwap.LwipAdditionRequest)
    out = enb.receive_xwap(SEGW, PEERS.addition_ack(request.enb_ue_id, 7), 0.1)
    (setup,) = [o.message for o in out if isinstance(o, SendRrc)]
    assert isinstance(setup, rrc.RrcConnectionReconfiguration)
    enb.receive_rrc(
        UE, RrcChannel.UL_DCCH, PEERS.reconfiguration_complete(setup.transaction_id), 0.2
    )
    enb.receive_rrc(UE, RrcChannel.UL_DCCH, PEERS.wlan_success, 0.3)
    (switch,) = [o for o in enb.tunnel_established(UE, 0.4) if isinstance(o, SendRrc)]
    assert switch.ue == UE
    assert isinstance(switch.message, rrc.RrcConnectionReconfiguration)
    assert switch.message.drbs == drbs


def test_ts36331_6_2_2_a_transaction_id_allocator_is_asked_for_the_ue_and_held_to_0_to_3() -> None:
    asked: list[object] = []
    answers = iter([0, 3, 4])

    def tids(ue: object) -> int:
        asked.append(ue)
        return next(answers)

    enb = ready_controller(EnbConfig(rrc_transaction_ids=tids))
    for expected in (0, 3):
        out = enb.activate(UE, kenb=KENB, wlan_mac=MAC, now=0.0)
        (request,) = [o.message for o in out if isinstance(o, SendXwap)]
        assert isinstance(request, xwap.LwipAdditionRequest)
        out = enb.receive_xwap(SEGW, PEERS.addition_ack(request.enb_ue_id, 7), 0.1)
        (setup,) = [o.message for o in out if isinstance(o, SendRrc)]
        assert isinstance(setup, rrc.RrcConnectionReconfiguration)
        assert setup.transaction_id == expected
        enb.radio_link_failure(UE, 0.2)  # ends it without RRC
    out = enb.activate(UE, kenb=KENB, wlan_mac=MAC, now=1.0)
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    assert isinstance(request, xwap.LwipAdditionRequest)
    with pytest.raises(InvalidFieldError, match="rrc_transaction_ids"):  # refused by the eNB
        enb.receive_xwap(SEGW, PEERS.addition_ack(request.enb_ue_id, 7), 1.1)
    assert asked == [UE, UE, UE]


def test_ts36463_8_14_2_an_acknowledge_nobody_waits_for_is_released() -> None:
    """R5: the SeGW stored a PSK for an addition the eNB does not know: the eNB releases it at
    once with the cause that says so (36.463 8.16, radioNetwork:unknown-eNB-UE-XwAP-ID), and
    reports the ids in error (36.413 10.6: Error Indication)."""
    enb = ready_controller()
    out = enb.receive_xwap(SEGW, PEERS.addition_ack(77, 7), 1.0)
    unknown = xwap.Cause.radio_network("unknown-eNB-UE-XwAP-ID")
    sent = [o.message for o in out if isinstance(o, SendXwap)]
    assert sent[0] == xwap.LwipReleaseRequest(77, 7, unknown)
    assert [type(m) for m in sent[1:]] == [xwap.ErrorIndication]


def test_ts36463_8_7_losing_the_association_says_first_that_the_segw_is_not_ready() -> None:
    enb = ready_controller()
    out = enb.segw_lost(SEGW, 1.0)
    assert out[0] == SegwReady(SEGW, False) and not enb.segw_ready(SEGW)


def test_ts36331_5_3_5_3_the_completion_of_an_earlier_release_does_not_complete_the_setup() -> None:
    """A completion names the transaction it completes: in CONFIGURING, the late completion of
    the LWIP release sent before this set-up (a transaction the eNB did start) leaves the set-up
    waiting for its own."""
    ue = ue_in(State.CONFIGURING, earlier_release=True)
    assert fire(ue, Event.RECONFIGURATION_COMPLETE) == []
    assert ue.enb.state(UE) is State.CONFIGURING
