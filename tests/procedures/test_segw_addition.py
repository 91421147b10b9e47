"""LWIP Addition Preparation at the reference SeGW (TS 36.463 8.14): when it cannot configure
tunnel resources, LWIP ADDITION REQUEST REJECT with a fitting cause (8.14.3); never a loop.

The eNB's PDUs are built with pycrate (helpers/spec_pdus.py), the SeGW's read with it.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from types import FrameType

import pytest
from helpers import spec_pdus as pdus
from helpers.segwhelpers import ENB, MAC, add, idi, psk, ready_segw, sent

from lwip_enb.codec import xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import WlanInformation, WlanUsage
from lwip_enb.peers.segw import SegwConfig

BSSID = bytes.fromhex("0200000000aa")


class _Hung(Exception):
    pass


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail instead of looping for ever: SIGALRM after 5 s."""

    def hung(_signum: int, _frame: FrameType | None) -> None:
        raise _Hung("the SeGW did not return")

    old = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, 5.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_ts36463_8_14_3_addition_with_every_wt_ue_xwap_id_live_is_rejected(
    monkeypatch: pytest.MonkeyPatch, no_hang: None
) -> None:
    """WT UE XwAP IDs are 24 bits (9.2.25): with every one naming a live connection the WT
    cannot configure a tunnel, so 8.14.3: LWIP ADDITION REQUEST REJECT (misc:control-processing-
    overload), and no PSK kept for it. The ID space is made 4 IDs here (0..3) instead of 2^24,
    by the one constant both the codec and the SeGW read."""
    monkeypatch.setattr(xwap, "UE_XWAP_ID_MAX", 3)
    segw = ready_segw()
    assert sorted(add(segw, n) for n in (1, 2, 3, 4)) == [0, 1, 2, 3]

    outputs = segw.receive_xwap(ENB, pdus.lwip_addition_request(5, MAC, psk(5), idi(5)), 1.0)

    (reply,) = sent(outputs)
    assert (reply[0], reply[3]) == ("unsuccessfulOutcome", "LWIPAdditionRequestReject")
    assert pdus.ue_id(reply[4][pdus.ID_ENB_UE_XWAP_ID]) == 5
    assert reply[4][pdus.ID_CAUSE] == ("misc", "control-processing-overload")
    assert not segw.has_psk(idi(5)) and segw.psk_count() == 4


def test_ts36463_8_14_2_mobility_set_of_the_segws_lwip_wlans_is_taken() -> None:
    """8.14.2: the WT shall use the Mobility Set; one naming the SeGW's LWIP WLANs (by any of
    their identifiers) is taken."""
    segw = ready_segw(SegwConfig(wlan_identifiers=(WlanIdentifiers(b"lwip", BSSID),)))
    request = pdus.lwip_addition_request(1, MAC, psk(1), idi(1), [{"bSSID": BSSID}])
    (reply,) = sent(segw.receive_xwap(ENB, request, 0.0))
    assert reply[3] == "LWIPAdditionRequestAcknowledge"


def test_ts36463_8_14_3_mobility_set_naming_a_wlan_not_offered_for_lwip_is_rejected() -> None:
    """8.14.2-8.14.3: a Mobility Set naming a WLAN that is not the SeGW's, or that it offers
    for LWA only (no WLAN Usage, 8.2.2), cannot be used for LWIP: LWIP ADDITION REQUEST REJECT
    with radioNetwork:wLAN-not-available, and no PSK kept."""
    wlans = (
        WlanInformation(ssid=b"lwa"),
        WlanInformation(ssid=b"lwip", usage=WlanUsage.LWIP_ONLY),
    )
    segw = ready_segw(SegwConfig(wlan_identifiers=wlans))
    for n, ssid in ((1, b"lwa"), (2, b"elsewhere")):
        request = pdus.lwip_addition_request(n, MAC, psk(n), idi(n), [{"sSID": ssid}])
        (reply,) = sent(segw.receive_xwap(ENB, request, 0.0))
        assert reply[3] == "LWIPAdditionRequestReject"
        assert reply[4][pdus.ID_CAUSE] == ("radioNetwork", "wLAN-not-available")
        assert not segw.has_psk(idi(n))


def test_ts36413_10_3_5_addition_missing_its_security_info_is_rejected_with_diagnostics() -> None:
    """TS 36.413 10.3.5 (via 36.463 clause 10): a missing IE with criticality reject in a
    message initiating a procedure that has an unsuccessful outcome: that outcome, with cause
    abstract-syntax-error-reject and Criticality Diagnostics naming the IE as missing. LWIP
    ADDITION REQUEST without its LWIP-SeGW Security Information (id 69, reject) gets LWIP
    ADDITION REQUEST REJECT for its eNB UE XwAP ID."""
    segw = ready_segw()
    request = pdus.lwip_addition_request(9, MAC, psk(1), idi(1), without_security=True)
    (reply,) = sent(segw.receive_xwap(ENB, request, 0.0))
    assert (reply[0], reply[3]) == ("unsuccessfulOutcome", "LWIPAdditionRequestReject")
    assert pdus.ue_id(reply[4][pdus.ID_ENB_UE_XWAP_ID]) == 9
    assert reply[4][pdus.ID_CAUSE] == ("protocol", "abstract-syntax-error-reject")
    diagnostics = reply[4][pdus.ID_CRITICALITY_DIAGNOSTICS]
    assert diagnostics["procedureCode"] == pdus.LWIP_ADDITION_PREPARATION
    assert diagnostics["iEsCriticalityDiagnostics"] == [
        {
            "iECriticality": "reject",
            "iE-ID": pdus.ID_LWIP_SEGW_SECURITY_INFO,
            "typeOfError": "missing",
        }
    ]
