"""Random sequences of every event over several UEs keep the invariants of the spec notes
(R4, R5, freshness of the LWIP counter); an illegal (state, event) pair is a defined error."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from lwip_enb.codec import xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.core.controller import EnbController, HandoverKind
from lwip_enb.core.fsm import TRANSITIONS, Event, State
from lwip_enb.core.outputs import InputRejected, Rejection, ReleaseReason, ReleaseTrigger
from lwip_enb.peers.segw import TunnelState
from lwip_enb.peers.ue import UeState
from lwip_enb.sim.simulation import Simulation

UES = (1, 2, 3)
ues = st.sampled_from(UES)


class LwipStory(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulation()
        for k in UES:
            self.sim.add_ue(k)
        self.kenb_index = {k: 0 for k in UES}
        self.used: set[tuple[bytes, int]] = set()
        self.sim.listeners.append(self._watch)
        self.additions = 0
        self.enb_psk_deleted = 0

    def _watch(self, r: dict[str, object]) -> None:
        if r.get("message") == "LWIPAdditionRequest":
            self.additions += 1
        if r.get("node") == "enb" and r.get("event") == "psk-deleted":
            self.enb_psk_deleted += 1
            pair = (self.sim.kenb_of(r["ue"]).reveal(), int(r["counter"]))  # type: ignore[call-overload]
            assert pair not in self.used, "a (KeNB, LWIP counter) pair was used twice"
            self.used.add(pair)

    def _new_kenb(self, k: int) -> bytes:
        self.kenb_index[k] += 1
        return bytes([k, self.kenb_index[k]]) * 16

    @rule(k=ues)
    def activate(self, k: int) -> None:
        self.sim.activate(k, settle=0.0)

    @rule(k=ues, kind=st.sampled_from(list(HandoverKind)))
    def handover(self, k: int, kind: HandoverKind) -> None:
        self.sim.handover(k, kind, self._new_kenb(k), settle=0.0)

    @rule(k=ues)
    def enb_rlf(self, k: int) -> None:
        self.sim.enb_radio_link_failure(k, settle=0.0)

    @rule(k=ues)
    def ue_rlf(self, k: int) -> None:
        self.sim.ue_radio_link_failure(k, self._new_kenb(k), settle=0.0)

    @rule(k=ues)
    def wlan_lost(self, k: int) -> None:
        self.sim.wlan_lost(k, settle=0.0)

    @rule(k=ues)
    def wlan_back(self, k: int) -> None:
        self.sim.wlan_available(k, settle=0.0)

    @rule(k=ues)
    def segw_release(self, k: int) -> None:
        self.sim.segw_release(k, settle=0.0)

    @rule(k=ues)
    def deactivate(self, k: int) -> None:
        self.sim._route_enb(self.sim.enb.deactivate(k, self.sim.now))

    @rule()
    def xw_reset(self) -> None:
        reset = xwap.encode(xwap.Reset(xwap.Cause.misc("om-intervention")))
        self.sim._route_enb(self.sim.enb.receive_xwap("segw", reset, self.sim.now))
        self.sim._route_segw(self.sim.segw.enb_lost("enb", self.sim.now))

    @rule(k=ues)
    def slow_ue(self, k: int) -> None:
        self.sim.ike_delay_s = 40.0 if self.sim.ike_delay_s == 0.0 else 0.0

    @rule(dt=st.sampled_from([0.1, 1.0, 6.0, 31.0]))
    def wait(self, dt: float) -> None:
        self.sim.advance(dt)

    @invariant()
    def enb_keeps_no_psk(self) -> None:
        assert self.enb_psk_deleted == self.additions

    @invariant()
    def segw_psk_only_in_window_or_tunnel(self) -> None:
        for t in self.sim.segw._by_idi.values():
            assert t.state is TunnelState.UP or self.sim.now <= t.deadline

    @invariant()
    def ue_psk_only_with_tunnel(self) -> None:
        for ue in self.sim.ues.values():
            assert ue.holds_psk == (ue.state is UeState.TUNNEL_UP)

    @invariant()
    def at_most_one_tunnel_per_ue(self) -> None:
        owners = [self.sim._idi_owner.get(idi) for idi in self.sim.segw._by_idi]
        assert len(owners) == len(set(owners))

    @invariant()
    def a_ue_tunnel_is_known_to_the_segw(self) -> None:
        for ue in self.sim.ues.values():
            if ue.state is UeState.TUNNEL_UP:
                assert ue.tunnel is not None
                assert self.sim.segw.tunnel_state(ue.tunnel.idi) is TunnelState.UP


TestLwipStory = LwipStory.TestCase
TestLwipStory.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)


def _controller_in(state: State) -> tuple[EnbController, int]:
    """A controller with UE 1 in ``state`` (reached through real messages)."""
    enb = EnbController()
    enb.add_segw("segw", "192.0.2.10")
    enb.receive_xwap(
        "segw", xwap.encode(xwap.XwSetupResponse(xwap.WtId(1), (WlanIdentifiers(ssid=b"w"),))), 0.0
    )
    enb.activate(1, kenb=bytes(32), wlan_mac="02:00:00:00:00:01", now=0.0)
    ctx = enb._ues[1]
    if state is State.IDLE:
        reject = xwap.LwipAdditionRequestReject(ctx.enb_ue_id or 0, xwap.Cause.misc("unspecified"))
        enb.receive_xwap("segw", xwap.encode(reject), 0.0)
    elif state is State.CANCELLING:
        enb.deactivate(1, 0.0)
    elif state is not State.ADDING:
        ack = xwap.LwipAdditionRequestAcknowledge(ctx.enb_ue_id or 0, 5)
        enb.receive_xwap("segw", xwap.encode(ack), 0.0)
        if state is State.WLAN_LOST:
            lost = ReleaseReason(ReleaseTrigger.WLAN_LOST)
            enb._dispatch(ctx, Event.WLAN_FAILURE, 0.0, reason=lost)
        elif state in (State.CONFIGURED, State.ACTIVE):
            enb._dispatch(ctx, Event.RECONFIGURATION_COMPLETE, 0.0)
            if state is State.ACTIVE:
                enb._dispatch(ctx, Event.WLAN_SUCCESS, 0.0)
    assert enb.state(1) is state
    return enb, 1


MISSING = [(s, e) for s, e in itertools.product(State, Event) if (s, e) not in TRANSITIONS]


@pytest.mark.parametrize(
    ("state", "event"), MISSING, ids=[f"{s.value}-{e.value}" for s, e in MISSING]
)
def test_every_pair_without_a_row_is_a_protocol_error(state: State, event: Event) -> None:
    enb, ue = _controller_in(state)
    out = enb._dispatch(enb._ues[ue], event, 1.0)
    assert [type(o) for o in out] == [InputRejected]
    assert out[0].kind is Rejection.NO_TRANSITION  # type: ignore[union-attr]
    assert out[0].state is state and out[0].event is event  # type: ignore[union-attr]
    assert enb.state(ue) is state
