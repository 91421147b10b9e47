"""The fault knobs of the reference SeGW (SegwConfig, docs/reference-peers.md) make it misbehave
on purpose, so a negative test of the eNB needs no SeGW of its own. Each knob here against the
library's EnbController, through the Simulation: what the SeGW does, and that the eNB ends in a
defined state with no PSK left at the SeGW for a UE it released."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import spec_pdus as pdus
from helpers.simhelpers import events, messages, new_sim

from lwip_enb.codec.xwap import Cause
from lwip_enb.core.fsm import State
from lwip_enb.peers.segw import AnswerFault, SegwConfig
from lwip_enb.sim.simulation import Simulation


def _failures(sim: Simulation) -> list[str]:
    return [
        str(r["reason"])
        for r in events(sim, "enb", "state")
        if str(r.get("reason", "")).startswith("activation failed")
    ]


def _segw_sent(sim: Simulation) -> list[str]:
    return [str(r["message"]) for r in sim.trace if r.get("src") == "segw" and "message" in r]


def test_knob_reject_additions_with_a_cause() -> None:
    cause = Cause.radio_network("no-radio-resources-available")
    sim = new_sim(segw_config=SegwConfig(reject_additions=cause))
    sim.activate(1)
    assert _segw_sent(sim)[-1] == "LWIPAdditionRequestReject"
    assert sim.enb.state(1) is State.IDLE and sim.segw.psk_count() == 0
    assert ["rejected" in f for f in _failures(sim)] == [True]
    (reject,) = messages(sim, "LWIPAdditionRequestReject")
    ies = pdus.read(bytes.fromhex(str(reject["pdu"])))[4]
    assert ies[pdus.ID_CAUSE] == ("radioNetwork", "no-radio-resources-available")


def test_knob_silent_drops_the_request() -> None:
    sim = new_sim(segw_config=SegwConfig(answer_fault=AnswerFault.SILENT))
    sim.activate(1, settle=10.0)
    assert _segw_sent(sim) == ["XwSetupResponse"]
    assert sim.segw.psk_count() == 0 and sim.enb.state(1) is State.IDLE
    assert ["no answer" in f for f in _failures(sim)] == [True]


def test_knob_garbage_instead_of_the_answer() -> None:
    sim = new_sim(segw_config=SegwConfig(answer_fault=AnswerFault.GARBAGE))
    sim.activate(1, settle=10.0)
    assert _segw_sent(sim) == ["XwSetupResponse", "garbage"]
    garbage = [r for r in sim.trace if r.get("message") == "garbage"]
    assert [bytes.fromhex(str(r["pdu"])) for r in garbage] == [b"\xff\xff\xff"]
    # the eNB reports the transfer syntax error, its activation ends at its guard timer
    assert messages(sim, "ErrorIndication")
    assert sim.segw.psk_count() == 0 and sim.enb.state(1) is State.IDLE


def test_knob_error_indication_instead_of_the_answer() -> None:
    sim = new_sim(segw_config=SegwConfig(answer_fault=AnswerFault.ERROR_INDICATION))
    sim.activate(1)
    assert _segw_sent(sim) == ["XwSetupResponse", "ErrorIndication"]
    assert sim.segw.psk_count() == 0 and sim.enb.state(1) is State.IDLE
    assert ["Error Indication" in f for f in _failures(sim)] == [True]


def test_knob_answer_twice() -> None:
    sim = new_sim(segw_config=SegwConfig(answer_fault=AnswerFault.TWICE))
    sim.activate(1)
    assert _segw_sent(sim).count("LWIPAdditionRequestAcknowledge") == 2
    assert sim.enb.state(1) is State.ACTIVE and sim.segw.psk_count() == 1


def test_knob_answer_late_after_the_enbs_guard() -> None:
    """The acknowledge comes after the eNB gave up (guard 5 s): the eNB releases what the SeGW
    set up (LWIP RELEASE REQUEST), and no PSK is left."""
    sim = new_sim(segw_config=SegwConfig(answer_delay_s=6.0))
    sim.activate(1, settle=0.5)
    (tunnel,) = sim.segw.tunnels()
    assert tunnel.answer_pending and sim.enb.state(1) is State.ADDING
    sim.advance(10.0)
    assert sim.enb.state(1) is State.IDLE
    assert messages(sim, "LWIPReleaseRequest") and sim.segw.psk_count() == 0


def test_knob_require_release_at_a_given_time() -> None:
    sim = new_sim(segw_config=SegwConfig(require_release_at=2.0))
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE
    sim.advance(5.0)
    assert messages(sim, "LWIPReleaseRequired") and messages(sim, "LWIPReleaseConfirm")
    assert sim.enb.state(1) is State.IDLE and sim.segw.psk_count() == 0


@pytest.mark.parametrize("ttw", [None, 5, 20])
def test_knob_refuse_xw_setup_with_time_to_wait(ttw: Any) -> None:
    """XW SETUP FAILURE, with Time To Wait if set: the eNB has no Xw association until it sets
    up again, which the SeGW accepts only after the time (36.463 8.2.3); an early retry would be
    refused again and reported as EARLY_XW_SETUP."""
    config = SegwConfig(xw_setup_refusals=1, xw_setup_time_to_wait_s=ttw)
    sim = new_sim(segw_config=config)
    assert _segw_sent(sim) == ["XwSetupFailure"] and not sim.enb.segw_ready("segw")
    sim.activate(1)
    assert sim.enb.state(1) is State.IDLE and sim.segw.psk_count() == 0
    sim.advance(30.0)  # the eNB sets up again by itself, or the caller does
    if not sim.enb.segw_ready("segw"):
        sim.deliver(sim.enb.segw_connected("segw", sim.now))
    assert _segw_sent(sim) == ["XwSetupFailure", "XwSetupResponse"]
    assert sim.enb.segw_ready("segw")


def test_ts36463_5_3_a_release_does_not_overtake_the_held_back_acknowledge() -> None:
    """With the acknowledge held back (answer_delay_s) and a release required before it is sent
    (require_release_at), LWIP RELEASE REQUIRED goes after the acknowledge, not before: one
    procedure at a time per UE (36.463 5.3), messages in sequence (clause 6). Found by the
    hostile-SeGW property test: before, the eNB got the release for an addition it had no
    answer to, ignored it, and then took the late acknowledge for a tunnel the SeGW had
    released."""
    sim = new_sim(segw_config=SegwConfig(answer_delay_s=2.0, require_release_at=3.0))
    sim.advance(1.0)
    sim.activate(1)
    sim.advance(3.0)
    sent = _segw_sent(sim)
    assert sent[-2:] == ["LWIPAdditionRequestAcknowledge", "LWIPReleaseRequired"]
    assert messages(sim, "LWIPReleaseConfirm")
    assert sim.enb.state(1) is State.IDLE and sim.segw.tunnels() == ()
