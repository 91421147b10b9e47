"""R6: for LWIP traffic the eNB is reachable only through the LWIP-SeGW, i.e. through a tunnel the
SeGW authenticated. R7: through it the UE reaches only the LWIP interface of the eNB that
initiated the offload."""

from __future__ import annotations

from helpers import spec_pdus as pdus
from helpers.simhelpers import new_sim

from lwip_enb.core.controller import SendXwap
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers.ike import ModelIke
from lwip_enb.peers.segw import EnbInterface, SegwModel

ENB_LWIP = EnbInterface("198.51.100.1", 17, 2152)


def test_r7_only_the_enb_lwip_interface_is_allowed() -> None:
    """R7: only the eNB's interface allowed for LWIP: its address, protocol and port."""
    sim = new_sim(enb_lwip_interface=ENB_LWIP)
    sim.activate(1)
    assert sim.traffic(1, "198.51.100.1", 17, 2152)
    assert not sim.traffic(1, "198.51.100.1", 6, 2152)  # another protocol on that address
    assert not sim.traffic(1, "198.51.100.1", 17, 2153)  # another port
    assert not sim.traffic(1, "198.51.100.2", 17, 2152)  # another address of the eNB


def test_r7_no_other_destination_is_reachable() -> None:
    """R7: nothing but the eNB's LWIP interface: not the Internet, not the SeGW, not IPv6."""
    sim = new_sim()
    sim.activate(1)
    for dst in ("203.0.113.7", "192.0.2.10", "2001:db8::1"):
        assert not sim.traffic(1, dst)


def test_r7_only_the_enb_that_initiated_the_offload() -> None:
    """R7: the SeGW serves two eNBs; a UE whose tunnel eNB A asked for (LWIP ADDITION REQUEST
    from A) reaches A's LWIP interface and not B's, and the other way round."""
    segw = SegwModel()
    interfaces = {"enb-a": ENB_LWIP, "enb-b": EnbInterface("198.51.100.2", 17, 2152)}
    idis = {"enb-a": bytes([0xA]) * 16, "enb-b": bytes([0xB]) * 16}
    for n, (enb, interface) in enumerate(interfaces.items(), start=1):
        psk = bytes([n]) * 32
        segw.add_enb(enb, interface)
        segw.receive_xwap(enb, pdus.xw_setup_request(enb_id=n), 0.0)
        mac = bytes([2, 0, 0, 0, 0, n])
        segw.receive_xwap(enb, pdus.lwip_addition_request(n, mac, psk, idis[enb]), 0.0)
        request = ModelIke().start(idis[enb], KeyMaterial(psk), segw.ike_sa_init(0.1))
        assert segw.ike_auth(request, 0.1)[0].ok
    for enb, idi in idis.items():
        for other, interface in interfaces.items():
            allowed = segw.allows(idi, interface.address, 17, 2152)
            assert allowed == (other == enb), f"tunnel of {enb} to the interface of {other}"


def test_r6_the_enb_is_reachable_only_through_an_authenticated_tunnel() -> None:
    """R6: packets for the eNB's LWIP interface (the one destination R7 allows) pass the SeGW
    only inside a tunnel whose IKE succeeded: not from an IDi the SeGW never gave a PSK for, not
    while the PSK waits for IKE, not after IKE failed, and not after the tunnel's release."""
    dst, proto, port = ENB_LWIP.address, ENB_LWIP.protocol or 17, ENB_LWIP.port

    up = new_sim(enb_lwip_interface=ENB_LWIP)
    up.activate(1)
    idi = up.ues[1].tunnel.idi if up.ues[1].tunnel is not None else b""
    assert up.segw.allows(idi, dst, proto, port)  # inside the tunnel: reachable
    assert not up.segw.allows(b"\x00" * 16, dst, proto, port)  # no tunnel at all
    for out in up.enb.deactivate(1, up.now):  # LWIP RELEASE REQUEST to the SeGW
        if isinstance(out, SendXwap):
            up.segw.receive_xwap("enb", out.pdu, up.now)
    assert not up.segw.allows(idi, dst, proto, port)  # the tunnel was released

    waiting = new_sim(enb_lwip_interface=ENB_LWIP)
    waiting.ike_delay_s = 1000.0  # the UE has not run IKE yet: the PSK waits in its window
    waiting.activate(1)
    pending = waiting.enb.idi(1)
    assert pending is not None and waiting.segw.has_psk(pending.octets)
    assert not waiting.segw.allows(pending.octets, dst, proto, port)

    failed = new_sim(enb_lwip_interface=ENB_LWIP)
    failed.ues[1].new_kenb(bytes(range(1, 33)))  # IKE fails: the UE derives another PSK
    failed.activate(1)
    refused = failed.enb.idi(1)
    assert refused is not None and failed.segw.has_psk(refused.octets)
    assert not failed.segw.allows(refused.octets, dst, proto, port)
