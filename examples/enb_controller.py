"""Drive the sans-IO eNB controller yourself: you own the transport and the clock.

Here the SeGW and UE are the library's reference models; in a harness they would be your real
peers, with the PDUs carried over your own transport.
"""

from __future__ import annotations

from lwip_enb.core import outputs as enb_out
from lwip_enb.core.controller import EnbController, HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.peers.ue import UeModel

KENB = bytes(range(32))


def main() -> None:
    now = 0.0
    enb = EnbController()
    enb.add_segw("segw-1", "192.0.2.10")
    segw = SegwModel()
    segw.add_enb("enb-1", EnbInterface("198.51.100.1"))
    ue = UeModel(KENB, wlan_mac=bytes.fromhex("020000000001"))

    def to_segw(outputs: list[enb_out.Output]) -> None:
        for o in outputs:
            if isinstance(o, enb_out.SendXwap):
                for s in segw.receive_xwap("enb-1", o.pdu, now):
                    if isinstance(s, segw_out.SendXwap):
                        to_segw(enb.receive_xwap("segw-1", s.pdu, now))
            elif isinstance(o, enb_out.SendRrc):
                for u in ue.receive_rrc(o.pdu, now):
                    if isinstance(u, ue_out.SendRrc):
                        to_segw(enb.receive_rrc("ue-1", u.channel, u.pdu, now))
                    elif isinstance(u, ue_out.IkeStart):
                        request = ue.ike_request(segw.ike_sa_init(now))
                        assert request is not None
                        response, at_segw = segw.ike_auth(request, now)
                        for r in ue.ike_result(response, now):
                            if isinstance(r, ue_out.SendRrc):
                                to_segw(enb.receive_rrc("ue-1", r.channel, r.pdu, now))
                        if any(isinstance(s, segw_out.TunnelUp) for s in at_segw):
                            # RRC reports WLAN association only; the tunnel is the SeGW's word
                            to_segw(enb.tunnel_established("ue-1", now))
            else:
                print(f"  event: {o}")

    to_segw(enb.segw_connected("segw-1", now))
    to_segw(enb.activate("ue-1", kenb=KENB, wlan_mac=ue.wlan_mac, now=now))
    print("after activation:", enb.state("ue-1").value)
    assert enb.state("ue-1") is State.ACTIVE
    now = 1.0
    to_segw(enb.handover("ue-1", HandoverKind.X2, now))
    print("after X2 handover:", enb.state("ue-1").value, "SeGW PSKs:", segw.psk_count())


if __name__ == "__main__":
    main()
