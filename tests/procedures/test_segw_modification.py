"""eNB initiated LWIP Modification at the reference SeGW (TS 36.463 8.15): LWIP MODIFICATION
REQUEST ACKNOWLEDGE when at least one requested modification is admitted (8.15.2), LWIP
MODIFICATION REQUEST REJECT with a cause when none is (8.15.3); the ID pair is checked first
(TS 36.413 10.6, tests/procedures/test_segw_ue_ids.py).

The eNB's PDUs are built with pycrate (helpers/spec_pdus.py), the SeGW's read with it.
"""

from __future__ import annotations

from helpers import spec_pdus as pdus
from helpers.segwhelpers import ENB, add, ids, ready_segw, sent

from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import Cause
from lwip_enb.peers.segw import SegwConfig

BSSID = bytes.fromhex("0200000000aa")
CONFIG = SegwConfig(wlan_identifiers=(WlanIdentifiers(b"lwip", BSSID),))


def test_ts36463_8_15_2_modification_with_the_segws_wlans_is_acknowledged() -> None:
    """8.15.2: the WT shall use the Mobility Set and may take the Serving PLMN into account;
    with a modification admitted it answers LWIP MODIFICATION REQUEST ACKNOWLEDGE with the
    pair."""
    segw = ready_segw(CONFIG)
    wt = add(segw, 1)
    for request in (
        pdus.lwip_modification_request(1, wt, mobility_set=[{"sSID": b"lwip"}]),
        pdus.lwip_modification_request(1, wt, serving_plmn=b"\x00\xf1\x10"),
    ):
        (reply,) = sent(segw.receive_xwap(ENB, request, 1.0))
        assert (reply[0], reply[3]) == ("successfulOutcome", "LWIPModificationRequestAcknowledge")
        assert ids(reply) == (1, wt)


def test_ts36463_8_15_3_mobility_set_with_a_wlan_not_offered_for_lwip_is_rejected() -> None:
    """8.15.3: no requested modification admitted (a Mobility Set naming a WLAN the SeGW does
    not offer for LWIP cannot be used): LWIP MODIFICATION REQUEST REJECT with
    radioNetwork:wLAN-not-available. The tunnel stays."""
    segw = ready_segw(CONFIG)
    wt = add(segw, 1)
    request = pdus.lwip_modification_request(1, wt, mobility_set=[{"sSID": b"other"}])
    (reply,) = sent(segw.receive_xwap(ENB, request, 1.0))
    assert (reply[0], reply[3]) == ("unsuccessfulOutcome", "LWIPModificationRequestReject")
    assert ids(reply) == (1, wt)
    assert reply[4][pdus.ID_CAUSE] == ("radioNetwork", "wLAN-not-available")
    assert segw.psk_count() == 1


def test_ts36463_8_15_3_modification_asking_for_nothing_is_rejected() -> None:
    """8.15.3, strictest reading: a request with neither Serving PLMN nor Mobility Set asks
    for no modification, so none is admitted: LWIP MODIFICATION REQUEST REJECT
    (protocol:semantic-error)."""
    segw = ready_segw(CONFIG)
    wt = add(segw, 1)
    (reply,) = sent(segw.receive_xwap(ENB, pdus.lwip_modification_request(1, wt), 1.0))
    assert reply[3] == "LWIPModificationRequestReject"
    assert reply[4][pdus.ID_CAUSE] == ("protocol", "semantic-error")


def test_ts36463_8_15_3_modification_while_the_segw_releases_the_ue_is_rejected() -> None:
    """While the SeGW's LWIP RELEASE REQUIRED for the UE waits for its confirm (8.17), nothing
    of the UE context is left to modify: LWIP MODIFICATION REQUEST REJECT."""
    segw = ready_segw(CONFIG)
    wt = add(segw, 1)
    segw.release(bytes([1]) * 16, Cause.misc("om-intervention"), 1.0)
    request = pdus.lwip_modification_request(1, wt, serving_plmn=b"\x00\xf1\x10")
    (reply,) = sent(segw.receive_xwap(ENB, request, 1.5))
    assert reply[3] == "LWIPModificationRequestReject"
    assert reply[4][pdus.ID_CAUSE] == ("protocol", "message-not-compatible-with-receiver-state")
