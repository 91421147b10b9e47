"""R2: the UE uses the IDi and LWIP-SeGW address it received from the eNB (checked with pycrate)."""

from __future__ import annotations

import ipaddress

from helpers import pycrate_oracle as oracle
from helpers.simhelpers import messages, new_sim

from lwip_enb.peers.ue import IkeStart


def test_r2_rrc_carries_segw_address_idi_and_counter_and_ue_uses_them() -> None:
    sim = new_sim(segw_address="2001:db8::10")
    sim.ike_delay_s = 1000.0
    sim.activate(1)
    (reconf,) = messages(sim, "RRCConnectionReconfiguration")
    value = oracle.rrc_decode("dl-dcch", bytes.fromhex(reconf["pdu"]))
    body = value["message"][1][1]["criticalExtensions"][1][1]
    for _ in range(6):
        body = body["nonCriticalExtension"]
    tunnel = body["lwip-Configuration-r13"][1]["lwip-Config-r13"]["tunnelConfigLWIP-r13"]
    kind, (bits, _width) = tunnel["ip-Address-r13"]
    assert kind == "ipv6-r13" and ipaddress.IPv6Address(
        bits.to_bytes(16, "big")
    ) == ipaddress.IPv6Address("2001:db8::10")
    idi = sim.enb.idi(1)
    assert idi is not None and tunnel["ike-Identity-r13"]["idI-r13"] == idi.octets
    assert tunnel["lwip-Counter-r13"] == 0
    # The same IDi went to the SeGW in the XwAP addition.
    (addition,) = messages(sim, "LWIPAdditionRequest")
    xv = oracle.xwap_decode(bytes.fromhex(addition["pdu"]))
    ies = {ie["id"]: ie["value"][1] for ie in xv[1]["value"][1]["protocolIEs"]}
    assert ies[69]["iKE-Initiator-Identity"] == idi.octets
    # And the UE model turns it into an IKE initiation to that address as that IDi.
    ue = sim.ues[1]
    starts = [
        o for o in ue.receive_rrc(bytes.fromhex(reconf["pdu"]), sim.now) if isinstance(o, IkeStart)
    ]
    assert starts == [IkeStart(ipaddress.ip_address("2001:db8::10"), idi.octets)]
