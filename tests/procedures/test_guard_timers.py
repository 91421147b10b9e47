"""The controller's guard timers (EnbConfig.xwap_guard_s, rrc_guard_s): each wait has one timer,
armed when the wait starts and void once the wait ends; a timer that fires reports its own UE.

TS 36.463 8.1 (class 1: the LWIP ADDITION REQUEST's answer is due) runs the XwAP guard from the
request; TS 36.331 5.3.5 (the completion is due) runs the RRC guard from the SeGW's acknowledge,
the moment the reconfiguration goes to the UE. Which guard each row leaves running is checked
row by row in test_state_table_effects.py; these are the guards of waits that ended.
"""

from __future__ import annotations

from helpers.enbstates import KENB, MAC, UE, WT_UE_ID, fire, ue_in

from lwip_enb.core.controller import EnbConfig
from lwip_enb.core.fsm import Event, State
from lwip_enb.core.outputs import ActivationFailed, SendXwap, TunnelReleased
from lwip_enb.sim.testing import SEGW, PeerMessages, ready_controller

PEERS = PeerMessages()


def _enb_ue_id(out: list[object]) -> int:
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    return request.enb_ue_id  # type: ignore[attr-defined, no-any-return]


def test_after_the_acknowledge_only_the_rrc_guard_runs_from_the_acknowledge() -> None:
    enb = ready_controller(EnbConfig(xwap_guard_s=5.0, rrc_guard_s=5.0))
    enb_ue_id = _enb_ue_id(enb.activate(UE, kenb=KENB, wlan_mac=MAC, now=0.0))
    assert enb.next_timer() == 5.0
    enb.receive_xwap(SEGW, PEERS.addition_ack(enb_ue_id, WT_UE_ID), 2.0)
    assert enb.next_timer() == 7.0  # 2.0 + rrc_guard_s; the XwAP guard of t=5 is void
    assert enb.handle_timer(6.9) == [] and enb.state(UE) is State.CONFIGURING
    released = [o for o in enb.handle_timer(7.0) if isinstance(o, TunnelReleased)]
    assert [o.ue for o in released] == [UE]


def test_nothing_waits_once_the_tunnel_is_usable_or_nothing_is_set_up() -> None:
    for state in (State.ACTIVE, State.WLAN_LOST, State.IDLE):
        ue = ue_in(state)
        assert ue.enb.next_timer() is None
        assert ue.enb.handle_timer(1e6) == [] and ue.enb.state(ue.key) is state


def test_a_second_activation_has_its_own_guard() -> None:
    ue = ue_in(State.ACTIVE)
    fire(ue, Event.DEACTIVATE)
    fire(ue, Event.ACTIVATE)
    assert ue.enb.next_timer() == ue.now + 5.0
    for event in (Event.ADDITION_ACK, Event.RECONFIGURATION_COMPLETE, Event.WLAN_SUCCESS):
        fire(ue, event)
    fire(ue, Event.TUNNEL_ESTABLISHED)
    assert ue.enb.next_timer() is None and ue.enb.handle_timer(1e6) == []


def test_guards_ending_together_report_every_ue() -> None:
    enb = ready_controller()
    keys = ["ue-a", 2, ("ue", 3)]  # hashable keys of types that do not compare with each other
    for key in keys:
        enb.activate(key, kenb=KENB, wlan_mac=MAC, now=1.0)
    out = enb.handle_timer(6.0)
    failed = [o.ue for o in out if isinstance(o, ActivationFailed)]
    assert sorted(map(repr, failed)) == sorted(map(repr, keys))
    assert all(enb.state(k) is State.IDLE for k in keys)


def test_an_old_guard_never_fires_for_a_later_wait() -> None:
    # With a short XwAP guard and a long RRC guard, the RRC guard of an ended set-up outlives
    # the XwAP guard of the next activation; once that one fired, nothing is left to fire.
    enb = ready_controller(EnbConfig(xwap_guard_s=1.0, rrc_guard_s=100.0))
    enb_ue_id = _enb_ue_id(enb.activate(UE, kenb=KENB, wlan_mac=MAC, now=0.0))
    enb.receive_xwap(SEGW, PEERS.addition_ack(enb_ue_id, WT_UE_ID), 0.1)  # RRC guard to 100.1
    enb.deactivate(UE, 0.2)  # ... void from here
    enb.activate(UE, kenb=KENB, wlan_mac=MAC, now=0.5)  # XwAP guard until 1.5
    failed = [o for o in enb.handle_timer(1.5) if isinstance(o, ActivationFailed)]
    assert [o.ue for o in failed] == [UE]
    assert enb.next_timer() is None
    assert enb.handle_timer(200.0) == []
