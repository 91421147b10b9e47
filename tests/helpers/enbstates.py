"""An eNB controller with one UE brought into any state of the state machine, and every event of
the state machine made by the input a caller, the SeGW or the UE would give: through the
controller's public methods only (no access to the table or to private state)."""

from __future__ import annotations

import attrs

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.core.controller import EnbConfig, EnbController, HandoverKind
from lwip_enb.core.fsm import Event, State
from lwip_enb.core.outputs import Output, SendRrc, SendXwap
from lwip_enb.sim.testing import SEGW, PeerMessages, bring_up, ready_controller

UE = "ue-7"  # neither None nor an int: a UE key no default could produce
KENB = bytes(range(32))
NEW_KENB = bytes(range(1, 33))
MAC = "02:00:00:00:00:01"
WT_UE_ID = 0x00ABCD  # what the SeGW answers as its UE XwAP id
PLMN = b"\x00\xf1\x10"
PEERS = PeerMessages()

_WLAN_REPORTS = {
    Event.WLAN_SUCCESS: WlanStatus.SUCCESSFUL_ASSOCIATION,
    Event.WLAN_FAILURE: WlanStatus.FAILURE_WLAN_RADIO_LINK,
    Event.WLAN_RESUMED: WlanStatus.RESUMED,
    Event.WLAN_SUSPENDED: WlanStatus.SUSPENDED,
}


@attrs.define
class Ue:
    """A controller, the UE in it, and what its peers have seen: the UE XwAP ids of the last
    addition and the transaction id of the last RRC reconfiguration."""

    enb: EnbController
    key: str = UE
    enb_ue_id: int = -1
    tid: int = 0
    now: float = 0.0

    def note(self, out: list[Output]) -> list[Output]:
        for o in out:
            if isinstance(o, SendXwap) and isinstance(o.message, xwap.LwipAdditionRequest):
                self.enb_ue_id = o.message.enb_ue_id
            if isinstance(o, SendRrc) and isinstance(o.message, rrc.RrcConnectionReconfiguration):
                self.tid = o.message.transaction_id
        return out


def ue_in(state: State, config: EnbConfig | None = None, *, earlier_release: bool = False) -> Ue:
    """A ready controller with UE :data:`UE` in ``state``, reached through real messages.

    ``earlier_release``: first a set-up brought to ACTIVE and deactivated, its RRC release not
    yet completed: :attr:`Ue.tid` is then that release's transaction id, so that
    RECONFIGURATION_COMPLETE completes a reconfiguration that is not the current set-up."""
    ue = Ue(ready_controller(config))
    release_tid = None
    if earlier_release:
        ue.note(bring_up(ue.enb, UE, kenb=KENB, wlan_mac=MAC, wt_ue_id=WT_UE_ID))
        fire(ue, Event.DEACTIVATE)
        release_tid = ue.tid
    if state in (State.IDLE, State.CANCELLING):
        reached = State.ADDING
    elif state is State.WLAN_LOST:
        reached = State.CONFIGURING
    elif state is State.MODIFYING:
        reached = State.ACTIVE
    else:
        reached = state
    ue.note(bring_up(ue.enb, UE, kenb=KENB, wlan_mac=MAC, to=reached, wt_ue_id=WT_UE_ID))
    if state is not reached:
        event = {
            State.IDLE: Event.ADDITION_REJECT,
            State.CANCELLING: Event.DEACTIVATE,
            State.WLAN_LOST: Event.WLAN_FAILURE,
            State.MODIFYING: Event.MODIFY,
        }[state]
        fire(ue, event)
    assert ue.enb.state(UE) is state
    if release_tid is not None:
        ue.tid = release_tid
    return ue


def fire(ue: Ue, event: Event, *, kind: HandoverKind = HandoverKind.X2) -> list[Output]:
    """Give the controller the input that makes ``event`` for the UE; return its outputs."""
    enb, key = ue.enb, ue.key
    ue.now += 0.1
    now = ue.now
    if event is Event.ACTIVATE:
        out = enb.activate(key, kenb=KENB, wlan_mac=MAC, now=now)
    elif event is Event.DEACTIVATE:
        out = enb.deactivate(key, now)
    elif event is Event.HANDOVER:
        out = enb.handover(key, kind, now, new_kenb=NEW_KENB)
    elif event is Event.KENB_REFRESH:
        out = enb.refresh_kenb(key, NEW_KENB, now, command=rrc.HandoverCommand(1, 1))
    elif event is Event.RADIO_LINK_FAILURE:
        out = enb.radio_link_failure(key, now)
    elif event is Event.WLAN_AVAILABLE:
        out = enb.wlan_available(key, now)
    elif event is Event.MODIFY:
        out = enb.modify(key, now, serving_plmn=PLMN)
    elif event is Event.RRC_RELEASED:
        out = enb.rrc_connection_released(key, now)
    elif event is Event.TUNNEL_ESTABLISHED:
        out = enb.tunnel_established(key, now)
    elif event is Event.SEGW_LOST:
        out = enb.segw_lost(SEGW, now)
    elif event is Event.GUARD_TIMEOUT:
        ue.now = now = now + 3600.0
        out = enb.handle_timer(now)
    elif event in _WLAN_REPORTS:
        report = PEERS.wlan_status(_WLAN_REPORTS[event])
        out = enb.receive_rrc(key, RrcChannel.UL_DCCH, report, now)
    elif event is Event.RECONFIGURATION_COMPLETE:
        complete = PEERS.reconfiguration_complete(ue.tid)
        out = enb.receive_rrc(key, RrcChannel.UL_DCCH, complete, now)
    elif event is Event.REESTABLISHMENT:
        request = PEERS.reestablishment_request()
        out = enb.receive_rrc(key, RrcChannel.UL_CCCH, request, now)
    else:
        out = enb.receive_xwap(SEGW, _xwap(ue.enb_ue_id, event), now)
    return ue.note(out)


def _xwap(enb_ue_id: int, event: Event) -> bytes:
    id_error = xwap.Cause.radio_network("unknown-pair-of-UE-XwAP-ID")
    if event is Event.ADDITION_ACK:
        return PEERS.addition_ack(enb_ue_id, WT_UE_ID)
    if event is Event.ADDITION_REJECT:
        return PEERS.addition_reject(enb_ue_id)
    if event is Event.MODIFICATION_ACK:
        return PEERS.modification_ack(enb_ue_id, WT_UE_ID)
    if event is Event.MODIFICATION_REJECT:
        return PEERS.modification_reject(enb_ue_id, WT_UE_ID)
    if event is Event.RELEASE_REQUIRED:
        return PEERS.release_required(enb_ue_id, WT_UE_ID)
    if event is Event.XWAP_ERROR:
        return PEERS.error_indication(enb_ue_id, WT_UE_ID)
    assert event is Event.XWAP_ID_ERROR, event
    return PEERS.error_indication(enb_ue_id, WT_UE_ID, id_error)
