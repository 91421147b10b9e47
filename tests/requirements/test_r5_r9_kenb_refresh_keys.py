"""Keys through an intra-eNB handover / KeNB refresh (TS 36.331 5.3.5.4) of a UE without LWIP,
and through the refresh the controller asks for when the LWIP counter of a KeNB is used up.

- TS 33.401 Annex H: an LWIP counter is never used twice under one KeNB. The eNB remembers, per
  KeNB, the last counter used (keys.KenbMemory); a KeNB taken by refresh_kenb is remembered like
  one given to activate, so a UE forgotten and coming back under it does not start at 0 again.
- A UE whose keys were dropped (R9: handover without a new KeNB) holds a full counter space again
  once refresh_kenb gives it a KeNB.
- EnbConfig.kenb_refresh is asked for the new KeNB of the UE whose counter ran out, by its key.
"""

from __future__ import annotations

from collections.abc import Hashable

from helpers.enbstates import MAC

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import HandoverCommand
from lwip_enb.core.controller import EnbConfig, EnbController, HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import PskDeleted, SendRrc, SendXwap
from lwip_enb.keys import LWIP_COUNTER_MAX
from lwip_enb.sim.testing import SEGW, PeerMessages, bring_up, ready_controller, skip_lwip_counter

KENB_A = bytes(range(32))
KENB_B = bytes(range(100, 132))
COMMAND = HandoverCommand(9, 0x77)
PEERS = PeerMessages()


def _counter_and_reject(enb: EnbController, ue: Hashable, kenb: bytes, now: float) -> int:
    """Activate ``ue`` under ``kenb``; the SeGW rejects; the counter the addition used."""
    out = enb.activate(ue, kenb=kenb, wlan_mac=MAC, now=now)
    (deleted,) = [o for o in out if isinstance(o, PskDeleted)]
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    enb.receive_xwap(SEGW, PEERS.addition_reject(request.enb_ue_id), now)  # type: ignore[attr-defined]
    assert enb.state(ue) is State.IDLE
    return deleted.counter


def test_r9_a_ue_without_keys_takes_a_full_counter_space_from_refresh_kenb() -> None:
    enb = ready_controller()
    bring_up(enb, "u", kenb=KENB_A, wlan_mac=MAC)
    enb.handover("u", HandoverKind.X2, 1.0)  # no new KeNB: the UE's keys are dropped
    info = enb.ue_info("u")
    assert info is not None and info.counters_left == 0
    assert enb.refresh_kenb("u", KENB_B, 2.0, command=COMMAND) == []  # idle: only the key
    info = enb.ue_info("u")
    assert info is not None and info.counters_left == LWIP_COUNTER_MAX + 1


def test_33401_h_a_kenb_from_refresh_kenb_never_gives_a_counter_twice() -> None:
    enb = ready_controller()
    bring_up(enb, "u", kenb=KENB_A, wlan_mac=MAC)
    enb.handover("u", HandoverKind.X2, 1.0)
    enb.refresh_kenb("u", KENB_B, 2.0, command=COMMAND)
    assert _counter_and_reject(enb, "u", KENB_B, 3.0) == 0
    enb.forget("u", 4.0)
    assert "u" not in enb.ues()
    # The UE comes back under KENB_B: counter 0 of that KeNB went to the SeGW already.
    assert _counter_and_reject(enb, "u", KENB_B, 5.0) == 1


def test_ts36331_5_3_5_4_the_refresh_hook_is_asked_for_the_ue_whose_counter_ran_out() -> None:
    asked: list[Hashable] = []

    def refresh(ue: Hashable) -> tuple[bytes, HandoverCommand]:
        asked.append(ue)
        return KENB_B, COMMAND

    enb = ready_controller(EnbConfig(kenb_refresh=refresh))
    for ue in ("other", "u"):
        _counter_and_reject(enb, ue, KENB_A if ue == "u" else KENB_B, 0.0)
    skip_lwip_counter(enb, "u", LWIP_COUNTER_MAX)
    assert _counter_and_reject(enb, "u", KENB_A, 1.0) == LWIP_COUNTER_MAX
    assert asked == []
    enb.activate("u", kenb=KENB_A, wlan_mac=MAC, now=2.0)
    assert asked == ["u"]
    assert enb.state("u") is State.ADDING


def test_ts36331_5_3_5_4_a_refresh_whose_new_addition_fails_still_hands_the_ue_over() -> None:
    """The intra-eNB handover goes to the UE named by its key, without LWIP, when the SeGW
    rejects the addition under the new KeNB (36.331 5.3.5.4: mobilityControlInfo, no
    lwip-Configuration)."""
    enb = ready_controller()
    bring_up(enb, "u", kenb=KENB_A, wlan_mac=MAC)
    out = enb.refresh_kenb("u", KENB_B, 1.0, command=COMMAND)
    sent = [o.message for o in out if isinstance(o, SendXwap)]
    (request,) = [m for m in sent if isinstance(m, xwap.LwipAdditionRequest)]
    out = enb.receive_xwap(SEGW, PEERS.addition_reject(request.enb_ue_id), 1.5)
    (command,) = [o for o in out if isinstance(o, SendRrc)]
    assert command.ue == "u"
    assert isinstance(command.message, rrc.RrcConnectionReconfiguration)
    assert command.message.handover == COMMAND and command.message.lwip is None
    assert enb.state("u") is State.IDLE


def test_33401_h_r9_a_kenb_given_to_activate_after_a_handover_is_remembered_too() -> None:
    """R9: a handover without a new KeNB drops the UE's keys; activate() gives it one again, and
    that KeNB's counters are remembered like any other (TS 33.401 Annex H): the UE forgotten
    and coming back under it does not start at 0 again."""
    enb = ready_controller()
    bring_up(enb, "u", kenb=KENB_A, wlan_mac=MAC)
    enb.handover("u", HandoverKind.X2, 1.0)  # no new KeNB: the UE's keys are dropped
    assert _counter_and_reject(enb, "u", KENB_B, 2.0) == 0
    enb.forget("u", 3.0)
    assert _counter_and_reject(enb, "u", KENB_B, 4.0) == 1
