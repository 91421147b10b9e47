"""lwip_enb.sim.testing and the simulation's public seams do what tests rely on them for."""

from __future__ import annotations

import pytest
from helpers.simhelpers import events, messages, new_sim

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.core.controller import EnbConfig, UeInfo
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import KenbRefreshNeeded, SendXwap
from lwip_enb.errors import InvalidFieldError
from lwip_enb.sim.testing import (
    SEGW,
    PeerMessages,
    bring_up,
    ready_controller,
    skip_lwip_counter,
)

KENB, MAC = bytes(range(32)), "02:00:00:00:00:01"


def test_peer_messages_are_the_codecs_bytes() -> None:
    peers = PeerMessages()
    for enb_ue_id, wt_ue_id in ((0, 0), (7, 9), (0xFFFFFF, 1)):
        expected = xwap.LwipAdditionRequestAcknowledge(enb_ue_id, wt_ue_id)
        assert xwap.decode(peers.addition_ack(enb_ue_id, wt_ue_id)) == expected
    assert [rrc.decode(RrcChannel.UL_DCCH, c) for c in peers.complete] == [
        rrc.RrcConnectionReconfigurationComplete(t) for t in range(4)
    ]
    report = rrc.decode(RrcChannel.UL_DCCH, peers.wlan_success)
    assert report == rrc.WlanConnectionStatusReport("successfulAssociation")
    request = rrc.decode(RrcChannel.UL_CCCH, peers.reestablishment_request())
    assert isinstance(request, rrc.RrcConnectionReestablishmentRequest)
    assert isinstance(xwap.decode(peers.setup_response), xwap.XwSetupResponse)


def test_ready_controller_has_done_xw_setup() -> None:
    enb = ready_controller(EnbConfig(xwap_guard_s=1.0), segw="gw", address="2001:db8::1")
    assert enb.segw_ready("gw") and enb.config.xwap_guard_s == 1.0
    out = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=0.0)
    assert [o.segw for o in out if isinstance(o, SendXwap)] == ["gw"]


@pytest.mark.parametrize(
    "state",
    [State.ADDING, State.CONFIGURING, State.CONFIGURED, State.ASSOCIATED, State.ACTIVE],
)
def test_bring_up_stops_in_each_state_of_an_activation(state: State) -> None:
    enb = ready_controller()
    bring_up(enb, "ue", kenb=KENB, wlan_mac=MAC, to=state, wt_ue_id=42)
    info = enb.ue_info("ue")
    assert info is not None and info.state is state
    assert info.wt_ue_id == (None if state is State.ADDING else 42)


def test_bring_up_reports_an_activation_that_went_elsewhere() -> None:
    enb = ready_controller()
    enb.segw_lost(SEGW, 0.0)
    with pytest.raises(AssertionError, match="is idle, not active"):
        bring_up(enb, 1, kenb=KENB, wlan_mac=MAC)
    with pytest.raises(ValueError, match="not"):
        bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.WLAN_LOST)


def test_ue_info_is_a_snapshot_without_keys() -> None:
    enb = ready_controller()
    assert enb.ue_info(1) is None
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, wt_ue_id=5)
    info = enb.ue_info(1)
    lwip_wlan = (WlanIdentifiers(ssid=b"lwip"),)  # the SeGW offered it for LWIP
    assert info == UeInfo(1, State.ACTIVE, SEGW, 0, 5, enb.idi(1), 0, 65535, None, lwip_wlan)
    enb.deactivate(1, 1.0)
    assert info.state is State.ACTIVE  # a snapshot
    after = enb.ue_info(1)
    assert after is not None and after.state is State.IDLE
    assert (after.enb_ue_id, after.wt_ue_id, after.idi) == (None, None, None)


def test_skip_lwip_counter_moves_forward_only() -> None:
    enb = ready_controller()
    with pytest.raises(ValueError, match="holds no KeNB"):
        skip_lwip_counter(enb, 1, 10)
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC)
    enb.deactivate(1, 1.0)
    skip_lwip_counter(enb, 1, 65535)
    with pytest.raises(InvalidFieldError):
        skip_lwip_counter(enb, 1, 3)
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC)
    assert (info := enb.ue_info(1)) is not None and (info.counter, info.counters_left) == (65535, 0)
    enb.deactivate(1, 2.0)
    assert enb.activate(1, kenb=KENB, wlan_mac=MAC, now=3.0) == [KenbRefreshNeeded(1)]


def test_deliver_routes_and_traces_what_the_caller_got() -> None:
    sim = new_sim()
    sim.activate(1)
    mark = len(sim.trace)
    sim.deliver(sim.enb.deactivate(1, sim.now))
    assert [m["message"] for m in messages(sim, since=mark)] == [
        "LWIPReleaseRequest",
        "RRCConnectionReconfiguration",
        "RRCConnectionReconfigurationComplete",
    ]
    assert events(sim, "enb", "tunnel-released", mark) and events(sim, "ue", "psk-deleted", mark)
    assert sim.segw.psk_count() == 0


def test_deliver_from_segw_and_ue_of() -> None:
    sim = new_sim()
    sim.activate(1)
    (tunnel,) = sim.segw.tunnels()
    assert sim.ue_of(tunnel.idi) == 1 and sim.ue_of(b"\x00" * 16) is None
    mark = len(sim.trace)
    sim.deliver_from_segw(sim.segw.release(tunnel.idi, xwap.Cause.misc("unspecified"), sim.now))
    assert [m["message"] for m in messages(sim, since=mark)][:2] == [
        "LWIPReleaseRequired",
        "LWIPReleaseConfirm",
    ]
    assert events(sim, "segw", "psk-deleted", mark)[0]["ue"] == 1
    assert sim.enb.state(1) is State.IDLE


def test_refresh_kenb_is_shared_by_enb_and_ue() -> None:
    sim = new_sim()
    sim.activate(1)
    sim.deliver(sim.enb.deactivate(1, sim.now))
    sim.refresh_kenb(1, bytes(range(3, 35)))
    assert sim.kenb_of(1).reveal() == bytes(range(3, 35))
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE and sim.ues[1].tunnel.counter == 0  # type: ignore[union-attr]
