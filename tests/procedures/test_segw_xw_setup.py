"""Xw Setup at the reference SeGW (TS 36.463 8.2): it resets the Xw interface (8.2.1, clause 7),
its response offers the SeGW's WLANs with their WLAN Usage (8.2.2, 9.2.31), a refusal may carry a
Time To Wait that the eNB must respect (8.2.3), and nothing but Xw Setup may come first (8.2.4).

The eNB's side is built and read with pycrate (helpers/spec_pdus.py).
"""

from __future__ import annotations

from helpers import spec_pdus as pdus
from helpers.segwhelpers import ENB, add, deleted, idi, psk, ready_segw, sent

from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import Cause, WlanInformation, WlanUsage
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers import segw_outputs as out
from lwip_enb.peers.ike import ModelIke
from lwip_enb.peers.segw import EnbInterface, SegwConfig, SegwModel


def _wlan_items(reply: tuple[str, int, str, str, dict[int, object]]) -> list[dict[str, object]]:
    items = reply[4][pdus.ID_WLAN_IDENTIFIER_LIST]
    assert isinstance(items, list)
    return [item["value"][1]["wLANInformation"] for item in items]


def test_r5_ts36463_8_2_1_xw_setup_again_releases_every_tunnel_and_deletes_the_psks() -> None:
    """TS 36.463 8.2.1: Xw Setup "erases any existing application level configuration data
    ... This procedure also resets the Xw interface" (clause 7: "implicitly perform an Xw
    Reset"). A new XW SETUP REQUEST from an eNB with tunnels (one in its IKE window, one up)
    therefore releases them, and (R5) their LWIP-PSKs are deleted and wiped; their IDis are
    no longer accepted."""
    segw = ready_segw()
    add(segw, 1)
    add(segw, 2)
    request = ModelIke().start(idi(2), KeyMaterial(psk(2)), segw.ike_sa_init(0.1))
    assert segw.ike_auth(request, 0.1)[0].ok
    held = {n: segw.psk(idi(n)) for n in (1, 2)}

    outputs = segw.receive_xwap(ENB, pdus.xw_setup_request(), 1.0)

    assert [r[3] for r in sent(outputs)] == ["XwSetupResponse"]
    assert segw.psk_count() == 0
    for km in held.values():
        assert km is not None and km.wiped
    reason = out.ReleaseReason(out.ReleaseTrigger.XW_SETUP)
    assert deleted(outputs) == {idi(1): reason, idi(2): reason}
    assert out.TunnelReleased(idi(2), reason) in outputs
    late = ModelIke().start(idi(1), KeyMaterial(psk(1)), segw.ike_sa_init(1.1))
    assert not segw.ike_auth(late, 1.1)[0].ok


def test_ts36463_8_2_2_xw_setup_response_offers_the_segws_wlans_for_lwip() -> None:
    """8.2.2: the WT replies with its WLAN identifiers; with the WLAN Usage IE (9.2.31) the eNB
    may use a WLAN for LWIP, without it for LWA only. An LWIP-SeGW offers its WLANs with the
    usage "LWIP only" by default."""
    segw = SegwModel()
    segw.add_enb(ENB, EnbInterface("198.51.100.1"))
    (reply,) = sent(segw.receive_xwap(ENB, pdus.xw_setup_request(), 0.0))
    assert reply[3] == "XwSetupResponse"
    (info,) = _wlan_items(reply)
    assert info["sSID"] == b"lwip"
    assert info["iE-Extensions"] == [
        {
            "id": pdus.ID_WLAN_USAGE,
            "criticality": "reject",
            "extensionValue": ("WLANUsage", "lWIPonly"),
        }
    ]


def test_ts36463_8_2_2_wlan_usage_is_configured_per_wlan_and_lwa_only_has_none() -> None:
    """8.2.2: a WLAN offered for LWA only goes without the WLAN Usage IE; each WLAN of the
    configuration carries its own usage."""
    wlans = (
        WlanInformation(ssid=b"lwa-only"),
        WlanInformation(ssid=b"both", usage=WlanUsage.LWA_AND_LWIP),
        WlanIdentifiers(ssid=b"lwip"),
    )
    segw = SegwModel(SegwConfig(wlan_identifiers=wlans))
    segw.add_enb(ENB, EnbInterface("198.51.100.1"))
    (reply,) = sent(segw.receive_xwap(ENB, pdus.xw_setup_request(), 0.0))
    usage = [
        (i["sSID"], [e["extensionValue"][1] for e in i.get("iE-Extensions", [])])
        for i in _wlan_items(reply)
    ]
    assert usage == [(b"lwa-only", []), (b"both", ["lWAandLWIP"]), (b"lwip", ["lWIPonly"])]


def test_ts36463_8_2_3_refused_xw_setup_carries_time_to_wait_and_an_early_retry_is_refused() -> (
    None
):
    """8.2.3: the WT that cannot accept the setup answers XW SETUP FAILURE; with the Time To
    Wait IE the eNB "shall wait at least for the indicated time before reinitiating". The fault
    knobs refuse the first setup with 10 s to wait: a retry after 4 s breaks the rule (refused
    again, and reported), one after the new wait is accepted."""
    cause = Cause.misc("control-processing-overload")
    config = SegwConfig(
        xw_setup_refusals=1, xw_setup_failure_cause=cause, xw_setup_time_to_wait_s=10
    )
    segw = SegwModel(config)
    segw.add_enb(ENB, EnbInterface("198.51.100.1"))

    (first,) = sent(segw.receive_xwap(ENB, pdus.xw_setup_request(), 0.0))
    assert (first[0], first[3]) == ("unsuccessfulOutcome", "XwSetupFailure")
    assert first[4][pdus.ID_CAUSE] == ("misc", "control-processing-overload")
    assert first[4][pdus.ID_TIME_TO_WAIT] == "v10s"
    refused = sent(
        segw.receive_xwap(ENB, pdus.lwip_addition_request(1, b"\x02" * 6, psk(1), idi(1)), 1.0)
    )
    assert [r[3] for r in refused] == ["LWIPAdditionRequestReject"]  # 8.2.4: no setup yet

    early = segw.receive_xwap(ENB, pdus.xw_setup_request(), 4.0)
    assert [r[3] for r in sent(early)] == ["XwSetupFailure"]
    (rejected,) = [o for o in early if isinstance(o, out.InputRejected)]
    assert rejected.kind is out.Rejection.EARLY_XW_SETUP

    (accepted,) = sent(segw.receive_xwap(ENB, pdus.xw_setup_request(), 14.0))
    assert accepted[3] == "XwSetupResponse"


def test_ts36463_8_2_4_a_first_message_other_than_xw_setup_is_a_logical_error() -> None:
    """8.2.4: if the first message on the TNL association is not Xw Setup, it is a logical
    error (TS 36.413 10.4: a message not compatible with the receiver state). A RESET before
    Xw Setup is answered with an Error Indication with that cause, not with RESET RESPONSE."""
    segw = SegwModel()
    segw.add_enb(ENB, EnbInterface("198.51.100.1"))
    outputs = segw.receive_xwap(ENB, pdus.reset(), 0.0)
    (reply,) = sent(outputs)
    assert (reply[1], reply[3]) == (pdus.ERROR_INDICATION, "ErrorIndication")
    assert reply[4][pdus.ID_CAUSE] == ("protocol", "message-not-compatible-with-receiver-state")
    assert reply[4][pdus.ID_CRITICALITY_DIAGNOSTICS]["procedureCode"] == pdus.RESET
    (rejected,) = [o for o in outputs if isinstance(o, out.InputRejected)]
    assert rejected.kind is out.Rejection.UNEXPECTED_MESSAGE
