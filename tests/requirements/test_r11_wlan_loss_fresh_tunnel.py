"""R11: after a release for WLAN problems, a fresh tunnel (new counter, PSK, IDi) when WLAN
is back."""

from __future__ import annotations

import pytest
from helpers import pycrate_oracle as oracle
from helpers.simhelpers import events, messages, new_sim

from lwip_enb.codec import rrc
from lwip_enb.core.fsm import State


def test_r11_wlan_loss_then_fresh_tunnel() -> None:
    sim = new_sim()
    sim.activate(1)
    first_idi = sim.enb.idi(1)
    first_counter = sim.ues[1].tunnel.counter  # type: ignore[union-attr]
    mark = len(sim.trace)
    sim.wlan_lost(1)
    assert sim.enb.state(1) is State.WLAN_LOST
    release = messages(sim, "LWIPReleaseRequest", mark) + messages(sim, "LWIPReleaseRequired", mark)
    assert release
    assert sim.segw.psk_count() == 0 and not sim.ues[1].holds_psk
    sim.advance(3.0)
    sim.wlan_available(1)
    assert sim.enb.state(1) is State.ACTIVE
    second_idi = sim.enb.idi(1)
    assert second_idi is not None and second_idi != first_idi
    assert sim.ues[1].tunnel.counter == first_counter + 1  # type: ignore[union-attr]
    psks = [r for r in events(sim, "segw", "psk-stored") if r["phase"] == "tunnel"]
    assert [r["idi"] for r in psks] == [first_idi.octets.hex(), second_idi.octets.hex()]


# WLAN-Status-v1430 suspended is no failure (36.331 5.6.15.4): it keeps the tunnel of a UE
# allowed to send it and is rejected from any other (test_ts36331_suspend_resume.py)
@pytest.mark.parametrize(
    "status", ["failureWlanRadioLink", "failureWlanUnavailable", "failureTimeout"]
)
def test_r11_each_failure_report_releases_with_wlan_not_available(status: str) -> None:
    sim = new_sim()
    sim.activate(1)
    mark = len(sim.trace)
    report = rrc.WlanConnectionStatusReport(status)
    data = oracle.rrc_encode("ul-dcch", oracle.rrc_value(report))
    sim.deliver(sim.enb.receive_rrc(1, "ul-dcch", data, sim.now))
    (release,) = messages(sim, "LWIPReleaseRequest", mark)
    value = oracle.xwap_decode(bytes.fromhex(release["pdu"]))
    ies = {ie["id"]: ie["value"][1] for ie in value[1]["value"][1]["protocolIEs"]}
    assert ies[4] == ("radioNetwork", "wLAN-not-available")
    assert sim.enb.state(1) is State.WLAN_LOST
