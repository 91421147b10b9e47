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

from helpers.enbstates import KENB, MAC, UE, fire, ue_in

from lwip_enb.codec import xwap
from lwip_enb.core.fsm import Event, State
from lwip_enb.core.outputs import ActivationFailed, ReleaseTrigger, SendXwap, TunnelReleased
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
