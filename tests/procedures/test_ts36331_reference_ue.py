"""The reference UE against the TS 36.331 text (5.6.17, 5.6.15, 5.3.12): what a conformant UE
reports or refuses. The eNB's set-ups are built with pycrate (helpers/spec_pdus.py) where the
test is about what the UE receives; the library's encoder otherwise."""

from __future__ import annotations

from lwip_enb.codec import rrc
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import WlanStatus
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.ue import UeModel, UeState

IDI = b"\x11" * 16
LWIP = WlanIdentifiers(ssid=b"lwip")


def _setup(
    wlans: tuple[WlanIdentifiers, ...] = (LWIP,), timer: int | None = 10, report: bool = True
) -> bytes:
    mobility = rrc.WlanMobilityConfig(
        to_add=wlans, association_timer_s=timer, success_report_requested=report
    )
    msg = rrc.RrcConnectionReconfiguration.lwip_setup(2, "192.0.2.10", IDI, 5, mobility=mobility)
    return rrc.encode(msg)


def _reports(out: list[ue_out.Output]) -> list[WlanStatus]:
    return [
        o.message.status
        for o in out
        if isinstance(o, ue_out.SendRrc) and isinstance(o.message, rrc.WlanConnectionStatusReport)
    ]


def test_ts36331_5_6_15_4_ue_reports_success_on_association_not_after_ike() -> None:
    """5.6.15.4: successfulAssociation when a WLAN inside the set is associated, after the
    completion (5.3.5.3); IKE comes after it, and its success sends no further report."""
    ue = UeModel(bytes(32))
    out = ue.receive_rrc(_setup(), 0.0)
    assert isinstance(out[0], ue_out.SendRrc)
    assert isinstance(out[0].message, rrc.RrcConnectionReconfigurationComplete)
    assert _reports(out) == [WlanStatus.SUCCESSFUL_ASSOCIATION]
    assert ue.state is UeState.ASSOCIATED and ue.next_timer() is None  # T351 stopped
    assert ue.ike_request(b"\x01" * 32) is not None
    assert _reports(ue.ike_established(1.0)) == []


def test_ts36331_5_6_15_4_ue_never_reports_success_for_a_wlan_outside_the_set() -> None:
    """5.6.15.1 / 5.6.15.4: no WLAN of the set available (or an empty set): no success, no IKE."""
    ue = UeModel(bytes(32), available_wlans=(WlanIdentifiers(ssid=b"other"),))
    out = ue.receive_rrc(_setup(), 0.0)
    assert _reports(out) == [] and not [o for o in out if isinstance(o, ue_out.IkeStart)]
    assert ue.ike_request(b"\x01" * 32) is None
    ue = UeModel(bytes(32))
    assert _reports(ue.receive_rrc(_setup(wlans=()), 0.0)) == []


def test_ts36331_5_6_15_3_ue_reports_failure_timeout_when_t351_expires() -> None:
    """5.6.15.3: on T351 expiry failureTimeout is reported and the attempts stop; a WLAN that
    turns up afterwards is not reported."""
    ue = UeModel(bytes(32), available_wlans=())
    ue.receive_rrc(_setup(timer=30), 0.0)
    assert ue.next_timer() == 30.0
    assert ue.handle_timer(29.0) == []
    assert _reports(ue.handle_timer(30.0)) == [WlanStatus.FAILURE_TIMEOUT]
    assert _reports(ue.wlans_changed((LWIP,), 31.0)) == []


def test_ts36331_5_6_15_4_ue_without_suspend_config_never_reports_suspended_or_resumed() -> None:
    """5.6.15.4: suspended / resumed only with wlan-SuspendResumeAllowed; without a suspend
    configuration WLAN going away and coming back reports neither."""
    ue = UeModel(bytes(32))
    ue.receive_rrc(_setup(), 0.0)
    gone = _reports(ue.wlans_changed((), 1.0)) + _reports(ue.wlans_changed((LWIP,), 2.0))
    assert WlanStatus.SUSPENDED not in gone and WlanStatus.RESUMED not in gone


def test_ts36331_5_3_12_ue_releases_lwip_when_leaving_rrc_connected() -> None:
    """5.3.12: leaving RRC_CONNECTED releases all radio resources, LWIP included: the PSK is
    wiped, the tunnel and the mobility set gone, T351 stopped; nothing is sent."""
    ue = UeModel(bytes(32))
    ue.receive_rrc(_setup(), 0.0)
    ue.ike_request(b"\x01" * 32)
    ue.ike_established(0.5)
    out = ue.rrc_connection_released(1.0)
    assert not [o for o in out if isinstance(o, ue_out.SendRrc)]
    assert [type(o) for o in out] == [ue_out.TunnelReleased, ue_out.PskDeleted]
    assert ue.state is UeState.NO_LWIP and not ue.holds_psk and ue.mobility_set == ()
