"""R10: on LTE radio link failure the tunnel is released, by the eNB informing the SeGW or at
the UE; both delete the PSK."""

from __future__ import annotations

from helpers import pycrate_oracle as oracle
from helpers.simhelpers import events, messages, new_sim

from lwip_enb.codec import rrc
from lwip_enb.core.fsm import State


def _release_cause(sim: object, mark: int) -> tuple[str, str]:
    (release,) = messages(sim, "LWIPReleaseRequest", mark)  # type: ignore[arg-type]
    value = oracle.xwap_decode(bytes.fromhex(release["pdu"]))
    ies = {ie["id"]: ie["value"][1] for ie in value[1]["value"][1]["protocolIEs"]}
    return ies[4]


def test_r10_enb_detected_rlf_releases_at_segw_with_cause() -> None:
    sim = new_sim()
    sim.activate(1)
    mark = len(sim.trace)
    sim.enb_radio_link_failure(1)
    assert _release_cause(sim, mark) == ("radioNetwork", "radio-connection-with-UE-lost")
    assert sim.segw.psk_count() == 0 and not sim.ues[1].holds_psk
    assert sim.enb.state(1) is State.IDLE
    # No RRC to the UE: the radio link is gone.
    assert not messages(sim, "RRCConnectionReconfiguration", mark)


def test_r10_ue_detected_rlf_reestablishment_request_releases_at_segw() -> None:
    sim = new_sim()
    sim.activate(1)
    mark = len(sim.trace)
    sim.ue_radio_link_failure(1, bytes(range(50, 82)))
    assert events(sim, "ue", "psk-deleted", mark)
    (req,) = messages(sim, "RRCConnectionReestablishmentRequest", mark)
    assert req["channel"] == "ul-ccch"
    assert _release_cause(sim, mark) == ("radioNetwork", "radio-connection-with-UE-lost")
    assert sim.segw.psk_count() == 0


def test_r10_reestablishment_request_bytes_from_pycrate() -> None:
    sim = new_sim()
    sim.activate(1)
    msg = rrc.RrcConnectionReestablishmentRequest(0x1234, 1, 0, "otherFailure")
    data = oracle.rrc_encode("ul-ccch", oracle.rrc_value(msg))
    sim.deliver(sim.enb.receive_rrc(1, "ul-ccch", data, sim.now))
    assert sim.enb.state(1) is State.IDLE and sim.segw.psk_count() == 0
