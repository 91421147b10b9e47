"""Where the eNB's KeNB copy lives and when it goes (docs/keys.md, "Keys at the eNB"; R5, R9).

- ``handover`` without ``new_kenb`` wipes the KeNB copy; with one, the old copy is replaced.
- ``forget`` wipes it at once in ``idle``; while an addition is outstanding the UE waits in
  ``cancelling`` for the SeGW's answer, then the KeNB is wiped and the UE dropped.
- A KeNB's LWIP counters are never reused (TS 33.401 Annex H, freshness of the LWIP-PSK): a UE
  that is forgotten and comes back under the same KeNB starts a new context, and its counters go
  on after the last one used under that KeNB, not from 0 again.

"Wiped" is checked from outside: of the KeyMaterial objects made during the test, none that is
still alive holds the key unwiped.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable

import pytest
from helpers.enbstates import MAC, Ue, fire

from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.fsm import Event, State
from lwip_enb.core.outputs import PskDeleted
from lwip_enb.keys import KeyMaterial
from lwip_enb.sim.testing import SEGW, bring_up, ready_controller

Holders = Callable[[bytes], int]


@pytest.fixture
def holders(monkeypatch: pytest.MonkeyPatch) -> Holders:
    """How many KeyMaterial objects made since the fixture started hold ``secret`` unwiped."""
    made: list[weakref.ref[KeyMaterial]] = []
    init = KeyMaterial.__init__

    def recording(self: KeyMaterial, data: bytes | bytearray | memoryview) -> None:
        init(self, data)
        made.append(weakref.ref(self))

    monkeypatch.setattr(KeyMaterial, "__init__", recording)

    def count(secret: bytes) -> int:
        live = [k for k in (r() for r in made) if k is not None and not k.wiped]
        return sum(1 for k in live if k.reveal() == secret)

    return count


def _active(kenb: bytes, key: str = "ue-k") -> Ue:
    ue = Ue(ready_controller(), key)
    ue.note(bring_up(ue.enb, key, kenb=kenb, wlan_mac=MAC))
    assert ue.enb.state(key) is State.ACTIVE
    return ue


def _adding(kenb: bytes, key: str) -> Ue:
    ue = Ue(ready_controller(), key)
    ue.note(ue.enb.activate(key, kenb=kenb, wlan_mac=MAC, now=0.0))
    return ue


def _counter(out: list[object]) -> int:
    (deleted,) = [o for o in out if isinstance(o, PskDeleted)]
    return deleted.counter


def test_r9_handover_without_a_new_kenb_wipes_the_kenb(holders: Holders) -> None:
    kenb = os.urandom(32)
    ue = _active(kenb)
    assert holders(kenb) == 1  # the controller's copy
    ue.enb.handover(ue.key, HandoverKind.X2, 1.0)
    assert holders(kenb) == 0


def test_r9_handover_with_a_new_kenb_replaces_the_copy(holders: Holders) -> None:
    kenb, new_kenb = os.urandom(32), os.urandom(32)
    ue = _active(kenb)
    ue.enb.handover(ue.key, HandoverKind.S1, 1.0, new_kenb=new_kenb)
    assert holders(kenb) == 0 and holders(new_kenb) == 1


def test_r5_forget_in_idle_wipes_the_kenb_and_drops_the_ue(holders: Holders) -> None:
    kenb = os.urandom(32)
    ue = _active(kenb)
    fire(ue, Event.DEACTIVATE)
    assert ue.enb.forget(ue.key, 2.0) == []
    assert holders(kenb) == 0 and ue.key not in ue.enb.ues()
    # Gone from its SeGW too: losing the SeGW later has nothing to say about it.
    assert [o.ue for o in ue.enb.segw_lost(SEGW, 3.0) if hasattr(o, "ue")] == []


def test_r5_forget_while_adding_waits_for_the_segw_then_wipes(holders: Holders) -> None:
    kenb = os.urandom(32)
    ue = _adding(kenb, "ue-f")
    ue.enb.forget(ue.key, 0.5)
    assert ue.enb.state(ue.key) is State.CANCELLING and ue.key in ue.enb.ues()
    assert holders(kenb) == 1
    fire(ue, Event.ADDITION_REJECT)
    assert ue.key not in ue.enb.ues() and holders(kenb) == 0


def test_33401_h_a_returning_ue_never_reuses_a_counter_of_its_kenb() -> None:
    kenb = os.urandom(32)
    ue = _adding(kenb, "ue-r")
    assert ue.enb.ue_info(ue.key) is not None
    ue.enb.forget(ue.key, 0.5)
    fire(ue, Event.ADDITION_REJECT)  # the forgotten UE is dropped now
    assert ue.key not in ue.enb.ues()
    # The UE comes back under the same KeNB: a new context, but counter 0 of that KeNB was used
    # (its PSK went to the SeGW), so the next set-ups take 1, then 2.
    first = _counter(ue.note(ue.enb.activate(ue.key, kenb=kenb, wlan_mac=MAC, now=1.0)))
    fire(ue, Event.ADDITION_REJECT)
    assert ue.enb.state(ue.key) is State.IDLE and ue.key in ue.enb.ues()
    second = _counter(ue.note(ue.enb.activate(ue.key, kenb=kenb, wlan_mac=MAC, now=2.0)))
    assert (first, second) == (1, 2)
