"""The reference UE's PSK paths, each against the rule it follows.

- R1 / TS 33.401: the PSK the UE gives a real IKE stack is KDF(KeNB, FC 0x1E, counter received in
  RRC); checked against the vector of an independent implementation (tests/keys/test_keys.py).
  IKE runs only once the UE is associated with a WLAN of the mobility set (TS 36.331 5.6.15.4,
  TS 36.300 22A.3).
- R5: the UE stores the PSK once IKE succeeded and deletes it when the tunnel goes; each deletion
  names the tunnel's IDi, and a tunnel that never came up is not reported as released.
- R9 / TS 36.331 5.3.5.4 and 5.6.17.3: a handover command releases LWIP at the UE, and so does
  ``lwip-Configuration release``; a message with both releases once.
- R10 / TS 36.331 5.3.7.2: on radio link failure the UE releases LWIP and asks for
  re-establishment with cause ``otherFailure``.
"""

from __future__ import annotations

import ipaddress

from lwip_enb.codec import rrc
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers.ike import IkeAuthResponse, ModelIke
from lwip_enb.peers.ue import UeModel, UeState
from lwip_enb.peers.ue_outputs import (
    IkeFailed,
    IkeFailure,
    IkeStart,
    PskDeleted,
    PskStored,
    ReleaseReason,
    ReleaseTrigger,
    SendRrc,
    TunnelReleased,
    TunnelUp,
)

KENB = bytes(range(32))
LWIP_PSK_0123 = "b870389602b0611f4c63b886f434ef0b4fa53866b894e5fe3d2f1507d31d77bf"
IDI = b"\x11" * 16
LWIP = WlanIdentifiers(ssid=b"lwip")
HANDOVER = ReleaseReason(ReleaseTrigger.HANDOVER_COMMAND)
LWIP_RELEASE = ReleaseReason(ReleaseTrigger.LWIP_RELEASE)


def _setup(idi: bytes = IDI, counter: int = 0x0123, tid: int = 1, report: bool = True) -> bytes:
    mobility = rrc.WlanMobilityConfig(to_add=(LWIP,), success_report_requested=report)
    msg = rrc.RrcConnectionReconfiguration.lwip_setup(
        tid, "192.0.2.10", idi, counter, mobility=mobility
    )
    return rrc.encode(msg)


def _associated(idi: bytes = IDI) -> UeModel:
    ue = UeModel(KENB, available_wlans=(LWIP,))
    out = ue.receive_rrc(_setup(idi), 0.0)
    assert IkeStart(ipaddress.ip_address("192.0.2.10"), idi) in out
    assert ue.state is UeState.ASSOCIATED
    return ue


def _up(idi: bytes = IDI) -> UeModel:
    ue = _associated(idi)
    ue.ike_established(1.0)
    assert ue.state is UeState.TUNNEL_UP and ue.holds_psk
    return ue


def _kinds(out: list[object]) -> list[type]:
    return [type(o) for o in out if not isinstance(o, SendRrc)]


def test_r1_psk_for_a_real_ike_stack_is_the_kdf_of_kenb_and_the_received_counter() -> None:
    ue = _associated()
    psk = ue.psk_for_ike()
    assert psk is not None and psk.hex() == LWIP_PSK_0123
    assert UeModel(KENB).psk_for_ike() is None  # nothing configured
    ue.ike_established(1.0)
    assert ue.psk_for_ike() is None  # the tunnel is up: no IKE to run


def test_r5_ue_stores_the_psk_it_derived_when_ike_succeeds() -> None:
    """R5: the PSK is stored when IKE succeeds, and nothing is sent over RRC then
    (successfulAssociation went on association, TS 36.331 5.6.15.4)."""
    ue = _associated()
    assert not ue.holds_psk
    assert ue.ike_established(1.0) == [PskStored(IDI), TunnelUp(IDI)]
    assert ue.holds_psk


def test_r9_handover_command_with_lwip_release_releases_once_and_names_the_idi() -> None:
    ue = _up()
    both = rrc.RrcConnectionReconfiguration(
        2, rrc.LwipRelease(), handover=rrc.HandoverCommand(7, 0x4321)
    )
    out = ue.receive_rrc(rrc.encode(both), 2.0)
    assert [o for o in out if not isinstance(o, SendRrc)] == [
        TunnelReleased(IDI, HANDOVER),
        PskDeleted(IDI, HANDOVER),
    ]
    assert not ue.holds_psk and ue.state is UeState.NO_LWIP
    (complete,) = [o.message for o in out if isinstance(o, SendRrc)]
    assert complete == rrc.RrcConnectionReconfigurationComplete(2)


def test_r9_handover_command_alone_and_lwip_release_alone_each_release() -> None:
    ue = _up()
    handover_only = rrc.RrcConnectionReconfiguration(3, handover=rrc.HandoverCommand(7, 0x4321))
    assert _kinds(ue.receive_rrc(rrc.encode(handover_only), 2.0)) == [
        TunnelReleased,
        PskDeleted,
    ]
    ue2 = _up()
    out = ue2.receive_rrc(rrc.encode(rrc.RrcConnectionReconfiguration.lwip_release(0)), 2.0)
    assert [o for o in out if not isinstance(o, SendRrc)] == [
        TunnelReleased(IDI, LWIP_RELEASE),
        PskDeleted(IDI, LWIP_RELEASE),
    ]


def test_r5_a_new_tunnel_configuration_first_deletes_the_old_psk() -> None:
    ue = _up(IDI)
    new_idi = b"\x22" * 16
    out = ue.receive_rrc(_setup(new_idi, counter=0x0124, tid=2), 3.0)
    kinds = _kinds(out)
    assert kinds == [TunnelReleased, PskDeleted, IkeStart]
    assert out[1] == PskDeleted(IDI, ReleaseReason(ReleaseTrigger.RECONFIGURED))
    assert ue.tunnel is not None and ue.tunnel.idi == new_idi and not ue.holds_psk


def test_r5_a_tunnel_that_never_came_up_is_not_reported_released() -> None:
    ue = _associated()
    out = ue.wlan_lost(1.0)
    assert _kinds(out) == []  # no tunnel, no PSK stored yet
    (report,) = [o.message for o in out if isinstance(o, SendRrc)]
    assert report == rrc.WlanConnectionStatusReport(WlanStatus.FAILURE_WLAN_RADIO_LINK)
    assert ue.state is UeState.NO_LWIP


def test_r11_wlan_loss_deletes_the_psk_of_the_named_tunnel() -> None:
    ue = _up()
    out = ue.wlan_lost(1.0)
    assert [o for o in out if not isinstance(o, SendRrc)] == [
        TunnelReleased(IDI, ReleaseReason(ReleaseTrigger.WLAN_LOST)),
        PskDeleted(IDI, ReleaseReason(ReleaseTrigger.WLAN_LOST)),
    ]


def test_r10_radio_link_failure_deletes_the_psk_then_asks_for_reestablishment() -> None:
    ue = _up()
    out = ue.radio_link_failure(1.0)
    assert [o for o in out if not isinstance(o, SendRrc)] == [
        TunnelReleased(IDI, ReleaseReason(ReleaseTrigger.RADIO_LINK_FAILURE)),
        PskDeleted(IDI, ReleaseReason(ReleaseTrigger.RADIO_LINK_FAILURE)),
    ]
    (request,) = [o for o in out if isinstance(o, SendRrc)]
    assert request.channel is RrcChannel.UL_CCCH
    assert request.message == rrc.RrcConnectionReestablishmentRequest(
        0x1234, 1, 0, rrc.ReestablishmentCause.OTHER_FAILURE
    )


def test_r1_failed_ike_is_reported_with_the_segw_reason_and_stores_nothing() -> None:
    """R1: a refused IKE_AUTH, or an answer that does not prove the PSK, stores nothing; the UE
    stays associated (it may try again while the SeGW's window lasts, R4)."""
    ue = _associated()
    assert ue.ike_request(b"\x05" * 32) is not None
    out = ue.ike_result(IkeAuthResponse(False, reason="window expired"), 1.0)
    assert out == [IkeFailed(IDI, IkeFailure.REJECTED, "window expired")]
    assert not ue.holds_psk and ue.state is UeState.ASSOCIATED
    assert ue.ike_request(b"\x06" * 32) is not None
    forged = IkeAuthResponse(True, b"\x00" * 32, "", "p", "e")
    assert ue.ike_result(forged, 1.0) == [IkeFailed(IDI, IkeFailure.SEGW_NOT_AUTHENTICATED)]
    assert not ue.holds_psk and ue.state is UeState.ASSOCIATED
    assert ue.ike_result(forged, 1.0) == []  # no exchange outstanding: nothing to finish


def test_r1_ike_with_the_model_stores_the_same_psk_as_for_a_real_stack() -> None:
    ue = _associated()
    nonce_r = ModelIke.new_nonce()
    request = ue.ike_request(nonce_r)
    assert request is not None
    response = ModelIke.respond(request, KeyMaterial(bytes.fromhex(LWIP_PSK_0123)), "p", "e")
    out = ue.ike_result(response, 1.0)
    assert out[:2] == [PskStored(IDI), TunnelUp(IDI)]


def test_36331_5_6_15_4_no_success_report_unless_the_enb_asked_for_it() -> None:
    """5.6.15.4: successfulAssociation is reported only if successReportRequested is set
    (strictest reading: absent means not requested); the UE associates and starts IKE all the
    same."""
    ue = UeModel(KENB, available_wlans=(LWIP,))
    out = ue.receive_rrc(_setup(report=False), 0.0)
    sent = [o.message for o in out if isinstance(o, SendRrc)]
    assert sent == [rrc.RrcConnectionReconfigurationComplete(1)]
    assert ue.state is UeState.ASSOCIATED
    assert ue.ike_established(1.0) == [PskStored(IDI), TunnelUp(IDI)]


def test_r9_a_handover_command_with_a_new_tunnel_first_deletes_the_old_psk() -> None:
    """R9 / 36.331 5.3.5.4 then 5.6.17.2: the handover command releases the old tunnel (its PSK
    goes, named by the old IDi) before the new set-up it carries is applied."""
    ue = _up(IDI)
    new_idi = b"\x33" * 16
    mobility = rrc.WlanMobilityConfig(to_add=(LWIP,))
    setup = rrc.RrcConnectionReconfiguration.lwip_setup(
        2, "192.0.2.20", new_idi, 5, mobility=mobility
    )
    both = rrc.RrcConnectionReconfiguration(2, setup.lwip, handover=rrc.HandoverCommand(7, 0x4321))
    out = ue.receive_rrc(rrc.encode(both), 2.0)
    assert [o for o in out if not isinstance(o, SendRrc)] == [
        TunnelReleased(IDI, HANDOVER),
        PskDeleted(IDI, HANDOVER),
        IkeStart(ipaddress.ip_address("192.0.2.20"), new_idi),
    ]
    assert not ue.holds_psk and ue.tunnel is not None and ue.tunnel.idi == new_idi


def test_the_default_wlan_mac_is_a_locally_administered_unicast_address() -> None:
    mac = UeModel(KENB).wlan_mac
    assert len(mac) == 6 and mac[0] & 0b11 == 0b10  # IEEE 802: U/L bit set, I/G bit clear


def test_36331_5_6_15_3_t351_expiry_ends_the_tunnel_configuration_never_used() -> None:
    """5.6.15.3: T351 ran out with no WLAN of the set associated: failureTimeout is reported and
    the attempts stop. No WLAN, so no tunnel: the configuration is dropped (no IKE can start,
    no PSK was ever derived into storage, R5)."""
    ue = UeModel(KENB, available_wlans=())
    mobility = rrc.WlanMobilityConfig(to_add=(LWIP,), association_timer_s=10)
    setup = rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", IDI, 5, mobility=mobility)
    ue.receive_rrc(rrc.encode(setup), 0.0)
    assert ue.state is UeState.CONFIGURED and ue.tunnel is not None
    out = ue.handle_timer(10.0)
    reports = [o.message for o in out if isinstance(o, SendRrc)]
    assert reports == [rrc.WlanConnectionStatusReport(WlanStatus.FAILURE_TIMEOUT)]
    assert out == [o for o in out if isinstance(o, SendRrc)]  # no tunnel was up: none released
    assert ue.state is UeState.NO_LWIP and ue.tunnel is None and not ue.holds_psk
    assert ue.ike_request(b"\x01" * 32) is None and ue.psk_for_ike() is None
    # a WLAN of the set turning up afterwards starts nothing (the attempts stopped)
    assert not [o for o in ue.wlans_changed((LWIP,), 11.0) if isinstance(o, IkeStart)]
