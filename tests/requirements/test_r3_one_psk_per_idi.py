"""R3 at the reference SeGW: an IDi names exactly one LWIP-PSK. A second LWIP ADDITION REQUEST for
an IDi the SeGW already holds is refused; the stored PSK stays the one IKE authenticates with.

The eNB's XwAP is built and read with pycrate (helpers/spec_pdus.py).
"""

from __future__ import annotations

from helpers import spec_pdus as pdus

from lwip_enb.keys import KeyMaterial
from lwip_enb.peers.ike import ModelIke
from lwip_enb.peers.segw import EnbInterface, SegwModel

IDI = bytes.fromhex("00112233445566778899aabbccddeeff")
FIRST_PSK = bytes(range(32))
SECOND_PSK = bytes(range(100, 132))


def _ike_ok(segw: SegwModel, psk: bytes, now: float) -> bool:
    request = ModelIke().start(IDI, KeyMaterial(psk), segw.ike_sa_init(now))
    response, _ = segw.ike_auth(request, now)
    return response.ok


def test_r3_ts36463_8_14_3_second_addition_for_a_held_idi_is_rejected_and_keeps_the_first_psk() -> (
    None
):
    """R3 (TS 33.401 16.2.2): the LWIP-SeGW uses the received IDi to find *the* matching
    LWIP-PSK, so it cannot hold two for one IDi. It cannot configure the second tunnel: TS 36.463
    8.14.3, LWIP ADDITION REQUEST REJECT. IKE with the first PSK still succeeds afterwards."""
    segw = SegwModel()
    segw.add_enb("enb", EnbInterface("198.51.100.1"))
    segw.receive_xwap("enb", pdus.xw_setup_request(), 0.0)
    mac = bytes.fromhex("020000000001")
    first = segw.receive_xwap("enb", pdus.lwip_addition_request(1, mac, FIRST_PSK, IDI), 0.0)
    second = segw.receive_xwap("enb", pdus.lwip_addition_request(2, mac, SECOND_PSK, IDI), 0.1)

    assert [pdus.read(o.pdu)[:2] for o in first if hasattr(o, "pdu")] == [
        ("successfulOutcome", pdus.LWIP_ADDITION_PREPARATION)
    ]
    replies = [pdus.read(o.pdu) for o in second if hasattr(o, "pdu")]
    assert [r[:2] for r in replies] == [("unsuccessfulOutcome", pdus.LWIP_ADDITION_PREPARATION)]
    assert pdus.ue_id(replies[0][4][pdus.ID_ENB_UE_XWAP_ID]) == 2
    assert segw.psk_count() == 1
    assert not _ike_ok(segw, SECOND_PSK, 0.2)
    assert _ike_ok(segw, FIRST_PSK, 0.3)
