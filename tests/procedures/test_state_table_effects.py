"""Every legal (state, event) pair of the eNB's state machine, driven through the controller's
public inputs (helpers/enbstates.py) and checked against the hand-written statement of what it
must do (helpers/spec_state_table.py ROWS and EFFECTS: TS 33.401 H as R1-R11, TS 36.463 8.14-8.17,
TS 36.331 5.6.15 / 5.6.17): the state afterwards, the messages to the SeGW (with their causes)
and to the UE, the events told to the caller, and the guard timer that runs afterwards.

Also what every row shares: StateChanged comes first and once when the state changes, never
when it does not (the caller's view of the machine); UE-associated XwAP names its UE and carries
the UE's XwAP ids (TS 36.462 7: the UE's own stream; 36.463 9.2.24/9.2.25); an IDi is held
exactly while a set-up exists (R2/R3), none in idle and wlan-lost.
"""

from __future__ import annotations

import pytest
from helpers.enbstates import UE, WT_UE_ID, fire, ue_in
from helpers.spec_state_table import EFFECTS, LEGAL, ROWS

from lwip_enb.codec import rrc, xwap
from lwip_enb.core.controller import EnbConfig
from lwip_enb.core.fsm import Event, State
from lwip_enb.core.outputs import (
    ErrorIndicationReceived,
    SegwReady,
    SendRrc,
    SendXwap,
    StateChanged,
)

#: Guards told apart by their lengths: each expected deadline names one guard only.
CONFIG = EnbConfig(
    xwap_guard_s=5.0,
    rrc_guard_s=6.0,
    association_timer_s=10,
    association_guard_margin_s=2.5,
    tunnel_guard_s=40.0,
    # 36.331 WLAN-SuspendConfig-r14: without it suspended/resumed are protocol errors
    wlan_suspend=rrc.WlanSuspendConfig(resume_allowed=True, triggers_status_report=False),
)
GUARD_S = {"xwap": 5.0, "rrc": 6.0, "association": 12.5, "tunnel": 40.0}
ERROR_INDICATIONS = (Event.XWAP_ERROR, Event.XWAP_ID_ERROR)
PAIRS = sorted(ROWS, key=lambda p: (list(State).index(p[0]), list(Event).index(p[1])))


def _xwap_text(message: xwap.XwapMessage) -> str:
    cause = getattr(message, "cause", None)
    return message.MESSAGE if cause is None else f"{message.MESSAGE}({cause})"


def _rrc_kind(message: rrc.RrcMessage) -> str:
    assert isinstance(message, rrc.RrcConnectionReconfiguration), message
    assert message.handover is None, "no handover command is sent by the state machine's rows"
    if isinstance(message.lwip, rrc.LwipSetup):
        return "lwip-setup"
    assert isinstance(message.lwip, rrc.LwipRelease), message
    return "lwip-release"


def check_row(state: State, event: Event) -> None:
    """Drive (state, event) and check it against ROWS/EFFECTS; AssertionError when it differs."""
    want_state, effect_name = ROWS[state, event]
    want = EFFECTS[effect_name]
    # A completion of the set-up itself only exists in CONFIGURING; elsewhere the row is for the
    # completion of another reconfiguration the eNB sent (36.331 5.3.5.3), e.g. an LWIP release.
    late_completion = event is Event.RECONFIGURATION_COMPLETE and state is not State.CONFIGURING
    ue = ue_in(state, CONFIG, earlier_release=late_completion)
    if event is Event.WLAN_RESUMED and state is not State.WLAN_LOST:
        # resumed answers a suspension: "the last WLAN Connection Status Report ... was
        # suspended" (36.331 5.6.15.4); in WLAN_LOST the UE's last report was a failure
        fire(ue, Event.WLAN_SUSPENDED)
    enb_ue_id, guard_before = ue.enb_ue_id, ue.enb.next_timer()
    out = [o for o in fire(ue, event) if not isinstance(o, SegwReady)]

    # the state afterwards, and StateChanged first and once if it changed
    assert ue.enb.state(UE) is want_state, f"{effect_name}: state {ue.enb.state(UE)}"
    changes = [o for o in out if isinstance(o, StateChanged)]
    if want_state is state:
        assert changes == []
    else:
        assert out[0] == StateChanged(UE, state, want_state, event)
        assert len(changes) == 1

    # to the SeGW: the messages and causes, on the UE's stream with the UE's XwAP ids
    sent = [o for o in out if isinstance(o, SendXwap)]
    assert tuple(_xwap_text(o.message) for o in sent) == want.segw, effect_name
    for o in sent:
        assert o.segw == "segw" and o.ue == UE
        if not isinstance(o.message, xwap.LwipAdditionRequest):
            assert o.message.enb_ue_id == enb_ue_id  # type: ignore[attr-defined]
            assert o.message.wt_ue_id == WT_UE_ID  # type: ignore[attr-defined]

    # to the UE
    to_ue = [o for o in out if isinstance(o, SendRrc)]
    assert [_rrc_kind(o.message) for o in to_ue] == ([want.ue] if want.ue else []), effect_name
    assert all(o.ue == UE for o in to_ue)

    # told to the caller, each about this UE; an Error Indication input is reported once
    reported = [o for o in out if isinstance(o, ErrorIndicationReceived)]
    assert len(reported) == (1 if event in ERROR_INDICATIONS else 0)
    told = [o for o in out if not isinstance(o, SendXwap | SendRrc | StateChanged)]
    told = [o for o in told if not isinstance(o, ErrorIndicationReceived)]
    assert tuple(type(o).__name__ for o in told) == want.events, effect_name
    assert all(getattr(o, "ue", None) == UE for o in told)

    # the guard afterwards
    if want.guard == "kept":
        assert ue.enb.next_timer() == guard_before, effect_name
    elif want.guard is None:
        assert ue.enb.next_timer() is None, effect_name
    else:
        assert ue.enb.next_timer() == pytest.approx(ue.now + GUARD_S[want.guard]), effect_name

    # an IDi exactly while something is set up or being set up
    assert (ue.enb.idi(UE) is None) == (want_state in (State.IDLE, State.WLAN_LOST))


@pytest.mark.parametrize(("state", "event"), PAIRS, ids=[f"{s.value}-{e.value}" for s, e in PAIRS])
def test_each_legal_pair_does_what_the_specifications_ask(state: State, event: Event) -> None:
    check_row(state, event)


def test_every_legal_pair_has_its_row() -> None:
    """ROWS states the effect of exactly the pairs LEGAL allows: a pair added to one and not to
    the other would otherwise go unchecked here."""
    assert set(ROWS) == set(LEGAL)


def test_every_effect_of_the_statement_is_used() -> None:
    """A spelling slip in ROWS would be caught by KeyError; an effect no row uses is dead text."""
    assert {name for _, name in ROWS.values()} == set(EFFECTS)
