"""What a refused or failed activate() leaves behind, for a UE the eNB did not hold and for one
it holds idle from an earlier set-up: TS 36.331 6.3.6 (LWIP-Parameters: lwip-r13) and 6.2.2
(lwip-Configuration: never with DC, LWA or RCLWI) refuse before anything is sent, naming the UE
and the SeGW; an activation that fails inside (no IDi left, RFC 7296 3.5 identities) adds no UE,
and keeps a UE it already held, whose KeNB must go on without reusing an LWIP counter
(TS 33.401 Annex H)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import pycrate_oracle as oracle
from helpers import spec_pdus as pdus

from lwip_enb.core.controller import EnbConfig, EnbController, Interworking
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import ActivationFailed, ActivationFailure, SendXwap
from lwip_enb.errors import IdentityExhaustedError
from lwip_enb.keys import Idi, IdiAllocator, derive_lwip_psk
from lwip_enb.sim.testing import SEGW, bring_up, ready_controller

KENB = bytes(range(32))
MAC = "02:00:00:00:00:01"


class _RunsDry(IdiAllocator):
    """An IDi allocator that can be told to have no IDi left."""

    dry = False

    def allocate(self) -> Idi:
        if _RunsDry.dry:
            raise IdentityExhaustedError("no unused IDi (test)")
        return super().allocate()


@pytest.fixture
def dry_allocator() -> Any:
    _RunsDry.dry = False
    yield _RunsDry
    _RunsDry.dry = False


def _idle_after_a_set_up(enb: EnbController) -> None:
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC)
    enb.deactivate(1, 1.0)
    assert enb.state(1) is State.IDLE and 1 in list(enb.ues())


@pytest.mark.parametrize("known", [False, True], ids=["new-ue", "idle-ue"])
def test_ts36331_6_3_6_refusals_name_the_ue_and_the_segw(known: bool) -> None:
    """A UE without lwip-r13, or with DC/LWA/RCLWI configured: ActivationFailed names the UE
    and the SeGW the activation was for, and nothing is sent; the same for a UE held idle."""
    enb = ready_controller()
    if known:
        _idle_after_a_set_up(enb)
    without = oracle.ue_eutra_capability(lwip=False)
    out = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=2.0, capability=without)
    assert out == [ActivationFailed(1, ActivationFailure.UE_NOT_CAPABLE, segw=SEGW)]
    capable = oracle.ue_eutra_capability(lwip=True)
    out = enb.activate(
        1, kenb=KENB, wlan_mac=MAC, now=3.0, capability=capable, configured=[Interworking.DC]
    )
    assert out == [ActivationFailed(1, ActivationFailure.OTHER_INTERWORKING_CONFIGURED, segw=SEGW)]
    assert enb.state(1) is State.IDLE and enb.next_timer() is None


def test_activation_failing_inside_adds_no_ue(dry_allocator: Any) -> None:
    """No IDi left: activate() raises, and a UE the eNB did not hold is not added by the call."""
    enb = ready_controller(EnbConfig(idi_allocator=dry_allocator))
    dry_allocator.dry = True
    with pytest.raises(IdentityExhaustedError):
        enb.activate(1, kenb=KENB, wlan_mac=MAC, now=0.0)
    assert 1 not in list(enb.ues()) and enb.ue_info(1) is None


def test_activation_failing_inside_keeps_a_ue_held_idle(dry_allocator: Any) -> None:
    """The same failure for a UE held idle from an earlier set-up keeps it, and with it what its
    KeNB has used: the next set-up under that KeNB takes a later LWIP counter (TS 33.401
    Annex H: never one used before under the KeNB), not the first again. Its PSK, read from
    the LWIP ADDITION REQUEST by pycrate, tells which."""
    enb = ready_controller(EnbConfig(idi_allocator=dry_allocator))
    _idle_after_a_set_up(enb)
    dry_allocator.dry = True
    with pytest.raises(IdentityExhaustedError):
        enb.activate(1, kenb=KENB, wlan_mac=MAC, now=2.0)
    assert 1 in list(enb.ues()) and enb.state(1) is State.IDLE
    dry_allocator.dry = False
    out = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=3.0)
    (request,) = [o.pdu for o in out if isinstance(o, SendXwap)]
    psk, _length = oracle.find(oracle.xwap_decode(request), "lWIP-PSK")  # a BIT STRING
    used = [c for c in range(4) if derive_lwip_psk(KENB, c).reveal() == psk.to_bytes(32, "big")]
    assert used and used[0] > 0, f"the set-up took LWIP counter {used}, the first set-up's was 0"


def test_ts36463_9_2_24_every_enb_ue_xwap_id_is_used_before_activation_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The eNB UE XwAP ID names the UE on Xw (TS 36.463 9.2.24, 3 octets): the eNB gives out
    every value before it refuses, and a freed one is given again wherever it lies. With the id
    space shrunk to four values (0..3) for the test: four UEs take 0, 1, 2 and 3, read by
    pycrate from their LWIP ADDITION REQUESTs; the last one's addition is rejected, so only the
    id furthest on from the next to be tried is free, and a fifth UE gets it; a sixth, with
    all four in use, raises XwapIdExhaustedError and is not added."""
    from lwip_enb.codec import xwap
    from lwip_enb.errors import XwapIdExhaustedError
    from lwip_enb.sim.testing import PeerMessages

    monkeypatch.setattr(xwap, "UE_XWAP_ID_MAX", 3)
    enb = ready_controller()
    peers = PeerMessages()

    def enb_ue_id(out: list[Any]) -> int:
        (request,) = [o.pdu for o in out if isinstance(o, SendXwap)]
        return pdus.ue_id(pdus.read(request)[4][pdus.ID_ENB_UE_XWAP_ID])

    ids = [enb_ue_id(enb.activate(k, kenb=KENB, wlan_mac=MAC, now=0.0)) for k in range(4)]
    assert ids == [0, 1, 2, 3]
    enb.receive_xwap(SEGW, peers.addition_reject(3), 0.5)  # UE 3's addition fails
    assert enb.state(3) is State.IDLE
    assert enb_ue_id(enb.activate(4, kenb=KENB, wlan_mac=MAC, now=1.0)) == 3
    with pytest.raises(XwapIdExhaustedError):
        enb.activate(5, kenb=KENB, wlan_mac=MAC, now=1.0)
    assert 5 not in list(enb.ues())
