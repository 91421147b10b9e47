"""UE XwAP ids belong to one Xw interface (TS 36.463 9.2.24: the eNB UE XwAP ID identifies the UE
over the Xw interface within the eNB; TS 36.413 10.6 as 36.463 clause 10 takes it): a
UE-associated message from another SeGW that happens to carry a UE's ids does not reach that
UE. And the serving PLMN of a modification is 3 octets (36.463 9.2.3 PLMN Identity)."""

from __future__ import annotations

import pytest

from lwip_enb.codec import xwap
from lwip_enb.core.controller import EnbController
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import SendXwap, TunnelReleased
from lwip_enb.errors import InvalidFieldError
from lwip_enb.sim.testing import PeerMessages, bring_up

KENB = bytes(range(32))
MAC = "02:00:00:00:00:01"
PEERS = PeerMessages()


def _two_segws() -> EnbController:
    enb = EnbController()
    for name, address in (("a", "192.0.2.10"), ("b", "192.0.2.11")):
        enb.add_segw(name, address)
        enb.segw_connected(name, 0.0)
        enb.receive_xwap(name, PEERS.setup_response, 0.0)
        assert enb.segw_ready(name)
    return enb


def test_ts36463_9_2_24_release_required_from_another_segw_does_not_release_the_ue() -> None:
    """The UE is served by SeGW a; SeGW b sends LWIP RELEASE REQUIRED with the UE's very ids:
    the UE stays active at a (b gets the unknown-id handling, not the UE's release)."""
    enb = _two_segws()
    out = bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, segw="a")
    assert enb.state(1) is State.ACTIVE
    info = enb.ue_info(1)
    assert info is not None and info.enb_ue_id is not None and info.wt_ue_id is not None
    out = enb.receive_xwap("b", PEERS.release_required(info.enb_ue_id, info.wt_ue_id), 1.0)
    assert not [o for o in out if isinstance(o, TunnelReleased)]
    assert enb.state(1) is State.ACTIVE
    out = enb.receive_xwap("a", PEERS.release_required(info.enb_ue_id, info.wt_ue_id), 2.0)
    assert [o for o in out if isinstance(o, TunnelReleased)]
    assert enb.state(1) is State.IDLE


@pytest.mark.parametrize("plmn", [b"\x00\xf1", b"\x00\xf1\x10\x00"])
def test_ts36463_modification_serving_plmn_is_three_octets(plmn: bytes) -> None:
    """Refused before anything changes: the UE stays active with no guard running and the
    next modification goes out alone, with its own PLMN."""
    enb = _two_segws()
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, segw="a")
    guard = enb.next_timer()
    with pytest.raises(InvalidFieldError):
        enb.modify(1, 1.0, serving_plmn=plmn)
    assert enb.state(1) is State.ACTIVE and enb.next_timer() == guard
    out = enb.modify(1, 2.0, serving_plmn=b"\x00\xf1\x20")
    (request,) = [o.message for o in out if isinstance(o, SendXwap)]
    assert isinstance(request, xwap.LwipModificationRequest)
    assert request.serving_plmn == b"\x00\xf1\x20"
