"""The demo's scenarios end where they should, and every PDU in every trace decodes with pycrate."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import pycrate_oracle as oracle

from lwip_enb.core.fsm import State
from lwip_enb.tools import demo

FINAL = {
    "full": State.IDLE,
    "activate": State.ACTIVE,
    "s1-handover": State.ACTIVE,
    "x2-handover": State.ACTIVE,
    "rlf-enb": State.IDLE,
    "rlf-ue": State.IDLE,
    "wlan-loss": State.ACTIVE,
    "wlan-return-measured": State.ACTIVE,
    "ike-window-expiry": State.IDLE,
    "segw-release": State.IDLE,
    "wlan-timeout": State.WLAN_LOST,
    "x2-handover-two-enbs": State.ACTIVE,  # at eNB B
}


@pytest.mark.parametrize("scenario", sorted(demo.SCENARIOS))
def test_scenario_trace_decodes_with_pycrate(scenario: str) -> None:
    sim = demo.run(scenario)
    assert sim.enb.state(demo.UE) is FINAL[scenario]
    pdus = [r for r in sim.trace if "pdu" in r]
    assert pdus
    for r in pdus:
        data = bytes.fromhex(r["pdu"])
        if r["protocol"] == "xwap":
            value = oracle.xwap_decode(data)
            assert value[1]["value"][0] == r["message"]
            assert oracle.xwap_encode(value) == data
        else:
            value = oracle.rrc_decode(r["channel"], data)
            node = value["message"]
            while node[0] in ("c1", "c2", "messageClassExtension"):
                node = node[1]
            assert node[0].lower() == r["message"].lower()
            assert oracle.rrc_encode(r["channel"], value) == data
    # No key appears in node events; only the XwAP addition PDU carries the PSK.
    events = json.dumps([r for r in sim.trace if "node" in r])
    assert sim.kenb.hex() not in events


def test_demo_command_json_lines() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "lwip_enb", "demo", "--json", "--scenario", "x2-handover"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    records = [json.loads(line) for line in res.stdout.splitlines()]
    kinds = {r.get("event") for r in records if "event" in r}
    assert {
        "state",
        "psk-stored",
        "psk-deleted",
        "ike-accepted",
        "tunnel-up",
        "tunnel-released",
    } <= kinds
    msgs = [r["message"] for r in records if "message" in r]
    assert "LWIPReleaseRequest" in msgs and msgs.count("LWIPAdditionRequest") == 2


def test_demo_command_human_and_bad_input() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "lwip_enb", "demo", "--scenario", "activate"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0 and "end of scenario activate: UE 1: active" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "lwip_enb", "demo", "--segw", "nowhere"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_r4_ike_window_expiry_scenario_shows_the_late_initiation_rejected() -> None:
    """R4 says both: after the window the SeGW deletes LWIP-PSK and IDi *and* rejects IKEv2
    initiations. The scenario's UE initiates IKE once the window has closed, and the trace
    shows the SeGW rejecting it (``ike-rejected``, window expired), deleting the PSK, and no
    tunnel coming up; the eNB ends with the UE released."""
    sim = demo.run("ike-window-expiry")
    window = sim.segw.config.ike_window_s
    segw = [r for r in sim.trace if r.get("node") == "segw"]
    kinds = [r["event"] for r in segw]
    assert "ike-rejected" in kinds and "tunnel-up" not in kinds
    (rejected,) = [r for r in segw if r["event"] == "ike-rejected"]
    assert rejected["t"] >= window and rejected["reason"] == "IKE window expired"
    deleted = [r for r in segw if r["event"] == "psk-deleted"]
    assert [r["idi"] for r in deleted] == [rejected["idi"]]
    assert sim.enb.state(demo.UE) is State.IDLE and sim.segw.psk_count() == 0
