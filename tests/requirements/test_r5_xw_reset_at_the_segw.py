"""R5 with TS 36.463 8.7: an Xw Reset from the eNB releases every UE context the SeGW holds for
that eNB, so every LWIP-PSK of that eNB is deleted (wiped) and its IDi forgotten; the RESET is
answered with RESET RESPONSE. Another eNB's tunnels are not touched.

The eNB's XwAP is built and read with pycrate (helpers/spec_pdus.py).
"""

from __future__ import annotations

from helpers import spec_pdus as pdus

from lwip_enb.keys import KeyMaterial
from lwip_enb.peers.ike import ModelIke
from lwip_enb.peers.segw import EnbInterface, SegwModel

MAC = bytes.fromhex("020000000001")


def _psk(n: int) -> bytes:
    return bytes([n]) * 32


def _idi(n: int) -> bytes:
    return bytes([n]) * 16


def test_r5_ts36463_8_7_2_reset_from_the_enb_deletes_all_its_psks() -> None:
    """TS 36.463 8.7.2: on RESET the receiving node deletes all the context information related
    to the initiating node (except the Xw Setup configuration) and releases the resources, then
    answers RESET RESPONSE. For the LWIP-SeGW those contexts are the tunnels, so (R5) each
    tunnel's LWIP-PSK is deleted: one pending (IKE window), one with its tunnel up."""
    segw = SegwModel()
    segw.add_enb("enb-a", EnbInterface("198.51.100.1"))
    segw.add_enb("enb-b", EnbInterface("198.51.100.2"))
    for enb in ("enb-a", "enb-b"):
        segw.receive_xwap(enb, pdus.xw_setup_request(), 0.0)
    for n, enb in ((1, "enb-a"), (2, "enb-a"), (3, "enb-b")):
        segw.receive_xwap(enb, pdus.lwip_addition_request(n, MAC, _psk(n), _idi(n)), 0.0)
    request = ModelIke().start(_idi(2), KeyMaterial(_psk(2)), segw.ike_sa_init(0.1))
    assert segw.ike_auth(request, 0.1)[0].ok  # tunnel 2 up, 1 and 3 in their window
    stored = {n: segw.psk(_idi(n)) for n in (1, 2, 3)}

    out = segw.receive_xwap("enb-a", pdus.reset(), 0.2)

    replies = [pdus.read(o.pdu)[:2] for o in out if hasattr(o, "pdu")]
    assert replies == [("successfulOutcome", pdus.RESET)]
    assert not segw.has_psk(_idi(1)) and not segw.has_psk(_idi(2))
    for n in (1, 2):
        km = stored[n]
        assert km is not None and km.wiped, f"PSK {n} of the reset eNB not wiped"
    # An initiation with the deleted IDi is no longer accepted.
    late = ModelIke().start(_idi(1), KeyMaterial(_psk(1)), segw.ike_sa_init(0.3))
    assert not segw.ike_auth(late, 0.3)[0].ok
    # The other eNB's tunnel is not that eNB's context.
    assert segw.has_psk(_idi(3)) and stored[3] is not None and not stored[3].wiped
