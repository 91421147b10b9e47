"""The eNB's counters and per-PDU log lines (lwip_enb.core.counters).

- After a scripted story on the simulation, the counts equal the story's own numbers: four
  activations that succeed (TS 36.463 8.14.2), one refused by LWIP ADDITION REQUEST REJECT
  (8.14.3) and one answered by an ERROR INDICATION (8.6), releases by deactivation (two: one
  by ``forget``, whose context is gone when its outputs are counted), radio link failure and
  the SeGW's LWIP RELEASE REQUIRED (8.17); the PDUs in and out per message equal
  those the simulation's trace shows crossing the eNB's boundary; per SeGW equals the total
  with one SeGW. The test counts from the story and the trace, never from the counters.
- A snapshot is read-only, JSON-able, and does not change with later counting.
- At DEBUG, each PDU in and out has a line with its message name, UE ids and size; no line
  holds the KeNB or an LWIP-PSK (TS 33.401 keys), in hex or as a bytes repr.
"""

from __future__ import annotations

import ast
import collections
import json
import logging
from pathlib import Path
from typing import Any

import attrs
import pytest

from lwip_enb.codec.xwap import Cause
from lwip_enb.core import controller as controller_module
from lwip_enb.core.fsm import State
from lwip_enb.keys import derive_lwip_psk
from lwip_enb.peers.segw import AnswerFault
from lwip_enb.sim import Simulation
from lwip_enb.tools import demo


def _story() -> Simulation:
    sim = Simulation()
    for ue in (1, 2, 3, 4, 5, 6):
        sim.add_ue(ue)
    for ue in (1, 2, 3, 6):
        sim.activate(ue)
        assert sim.enb.state(ue) is State.ACTIVE
    normal = sim.segw.config
    sim.segw.config = attrs.evolve(normal, reject_additions=Cause.misc("unspecified"))
    sim.activate(4)  # LWIP ADDITION REQUEST REJECT
    sim.segw.config = attrs.evolve(normal, answer_fault=AnswerFault.ERROR_INDICATION)
    sim.activate(5)  # ERROR INDICATION instead of the acknowledge
    sim.segw.config = normal
    assert sim.enb.state(4) is State.IDLE and sim.enb.state(5) is State.IDLE
    sim.deliver(sim.enb.deactivate(1, sim.now))
    sim.advance(0.1)
    sim.enb_radio_link_failure(2)
    sim.segw_release(3)
    sim.deliver(sim.enb.forget(6, sim.now))  # its context goes with the release
    sim.advance(0.1)
    assert all(sim.enb.state(ue) is State.IDLE for ue in (1, 2, 3, 6))
    return sim


def _messages(sim: Simulation, src: str, dst: str, protocol: str) -> dict[str, int]:
    return dict(
        collections.Counter(
            r["message"]
            for r in sim.trace
            if r.get("src") == src and r.get("dst") == dst and r.get("protocol") == protocol
        )
    )


def test_counts_after_a_story_are_the_storys_numbers() -> None:
    """TS 36.463 8.14.2/8.14.3/8.6/8.16/8.17: what happened, counted by typed reason."""
    sim = _story()
    snap = sim.enb.counters.snapshot()
    assert snap["activations"] == {"succeeded": 4}
    assert snap["activation_failures"] == {"rejected": 1, "segw-error": 1}
    assert snap["releases"] == {"deactivated": 2, "radio-link-failure": 1, "segw-released": 1}
    assert snap["error_indications"] == {"received": 1}
    assert snap["xwap_out"] == _messages(sim, "enb", "segw", "xwap")
    assert snap["xwap_in"] == _messages(sim, "segw", "enb", "xwap")
    assert snap["rrc_out"] == _messages(sim, "enb", "ue", "rrc")
    assert snap["rrc_in"] == _messages(sim, "ue", "enb", "rrc")
    assert snap["xwap_out"]["LWIPAdditionRequest"] == 6  # one per activation
    assert snap["xwap_in"]["ErrorIndication"] == 1
    per_segw = snap["segws"]["segw"]
    for kind in ("activations", "activation_failures", "releases", "xwap_in", "xwap_out"):
        assert per_segw[kind] == snap[kind], kind
    assert set(snap["segws"]) == {"segw"}


def test_a_snapshot_is_read_only_json_and_does_not_move() -> None:
    sim = _story()
    snap = sim.enb.counters.snapshot()
    text = json.dumps(snap, sort_keys=True)
    assert json.loads(text) == snap.to_json()
    with pytest.raises(TypeError):
        snap["activations"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        snap["activations"]["succeeded"] = 0
    with pytest.raises(TypeError):
        snap["segws"]["segw"]["releases"].clear()
    plain = snap.to_json()  # a plain, mutable copy, all the way down
    plain["segws"]["segw"]["releases"].clear()
    assert type(plain["segws"]["segw"]) is dict and snap["segws"]["segw"]["releases"]
    sim.add_ue(7)
    sim.activate(7)
    assert snap["activations"] == {"succeeded": 4}
    assert sim.enb.counters.snapshot()["activations"] == {"succeeded": 5}


def test_an_addition_cancelled_before_its_answer_counts_as_cancelled_not_released() -> None:
    """deactivate() while the LWIP ADDITION REQUEST is outstanding (TS 36.463 8.14): nothing
    reached the UE, so it counts under ``cancelled_additions`` by trigger, not as a release."""
    from lwip_enb.sim.testing import bring_up, ready_controller

    enb = ready_controller()
    bring_up(enb, 1, kenb=bytes(range(32)), wlan_mac="02:00:00:00:00:01", to=State.ADDING)
    enb.deactivate(1, 1.0)
    snap = enb.counters.snapshot()
    assert snap["cancelled_additions"] == {"deactivated": 1}
    assert "releases" not in snap or snap["releases"] == {}


def test_error_indications_the_enb_sends_are_counted_sent() -> None:
    """TS 36.463 clause 10 / 8.6: bytes from the SeGW that are no XwAP PDU get an Error
    Indication with ``transfer-syntax-error``; each one sent counts under ``error_indications``
    ``sent`` (and the PDUs that did not decode under ``xwap_in`` ``undecodable``), both equal to
    what the trace shows, in total and for the SeGW."""
    sim = Simulation()
    sim.add_ue(1)
    sim.activate(1)
    for garbage in (b"\xff\xff\xff", b"\x00"):
        sim.deliver(sim.enb.receive_xwap("segw", garbage, sim.now))
    sent = _messages(sim, "enb", "segw", "xwap").get("ErrorIndication", 0)
    assert sent == 2
    snap = sim.enb.counters.snapshot()
    assert snap["error_indications"] == {"sent": sent}
    assert snap["segws"]["segw"]["error_indications"] == {"sent": sent}
    assert snap["xwap_in"]["undecodable"] == 2


def test_rrc_that_does_not_decode_is_counted_and_logged_with_ue_and_channel(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An RRC PDU that does not decode (TS 36.331 5.7, protocol error) and one on a channel
    that is none: each counts as ``undecodable`` and has its DEBUG line naming the UE and the
    channel as given."""
    from lwip_enb.codec.rrc import RrcChannel
    from lwip_enb.sim.testing import ready_controller

    caplog.set_level(logging.DEBUG, logger="lwip_enb")
    enb = ready_controller()
    enb.receive_rrc("ue-x", RrcChannel.UL_DCCH, b"\xff\xff\xff\xff", 0.0)
    enb.receive_rrc("ue-y", "no-such-channel", b"\x00", 0.0)
    assert enb.counters.snapshot()["rrc_in"] == {"undecodable": 2}
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("RRC in")]
    assert lines == [
        "RRC in from UE 'ue-x' on ul-dcch: undecodable, 4 octets",
        "RRC in from UE 'ue-y' on no-such-channel: undecodable, 1 octets",
    ]


def _secrets(sim: Simulation) -> list[str]:
    """Every KeNB and LWIP-PSK of the story, in hex (either case) and as bytes reprs."""
    found = []
    for ue in sim.ues:
        kenb = sim.kenb_of(ue).reveal()
        found += [kenb.hex(), kenb.hex().upper(), repr(kenb), repr(bytearray(kenb))]
    for record in sim.trace:
        if record.get("node") == "enb" and record.get("event") == "psk-deleted":
            psk = derive_lwip_psk(sim.kenb_of(record["ue"]), record["counter"]).reveal()
            found += [psk.hex(), psk.hex().upper(), repr(psk), repr(bytearray(psk))]
    return found


def test_debug_lines_name_each_pdu_and_never_a_key(caplog: pytest.LogCaptureFixture) -> None:
    """TS 33.401: KeNB and LWIP-PSK never in the log; each PDU has its DEBUG line."""
    caplog.set_level(logging.DEBUG, logger="lwip_enb")
    sim = _story()
    lines = [r.getMessage() for r in caplog.records if r.name == "lwip_enb.enb"]
    sent = [line for line in lines if line.startswith("XwAP out to segw: ")]
    received = [line for line in lines if line.startswith("XwAP in from segw: ")]
    rrc_out = [line for line in lines if line.startswith("RRC out to UE ")]
    rrc_in = [line for line in lines if line.startswith("RRC in from UE ")]
    assert len(sent) == sum(_messages(sim, "enb", "segw", "xwap").values())
    assert len(received) == sum(_messages(sim, "segw", "enb", "xwap").values())
    assert len(rrc_out) == sum(_messages(sim, "enb", "ue", "rrc").values())
    assert len(rrc_in) == sum(_messages(sim, "ue", "enb", "rrc").values())
    # the channel's name (36.331 clause 6: the re-establishment request comes on UL-CCCH)
    channels = {line.split(" on ", 1)[1].split(":", 1)[0] for line in rrc_in}
    assert channels == {"ul-dcch", "ul-ccch"}
    assert all(" on ul-ccch: " in line for line in rrc_in if "Reestablishment" in line)
    assert all(" on dl-dcch: " in line for line in rrc_out)
    # the UE each line is about: those of the story that got as far as RRC (not 4 and 5)
    assert {line.split()[4] for line in rrc_in} == {"1", "2", "3", "6"}
    assert {line.split()[4] for line in rrc_out} == {"1", "2", "3", "6"}
    addition = next(line for line in sent if "LWIPAdditionRequest" in line)
    pdu = next(r for r in sim.trace if r.get("message") == "LWIPAdditionRequest")["pdu"]
    assert "eNB UE XwAP ID 0" in addition and f"{len(pdu) // 2} octets" in addition
    ack = next(line for line in received if "LWIPAdditionRequestAcknowledge" in line)
    assert "(eNB UE XwAP ID 0, WT UE XwAP ID " in ack and "WT UE XwAP ID None" not in ack
    secrets = _secrets(sim)
    assert len(secrets) == 4 * 6 * 2  # the six UEs' KeNBs, and their PSKs
    everything = "\n".join(caplog.text.splitlines() + [r.getMessage() for r in caplog.records])
    for secret in secrets:
        assert secret not in everything


def test_the_secret_check_finds_a_key_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    """The check above can fail: a line with a PSK repr is caught."""
    caplog.set_level(logging.DEBUG, logger="lwip_enb")
    sim = _story()
    secrets = _secrets(sim)
    logging.getLogger("lwip_enb.enb").debug("oops %r", bytes.fromhex(secrets[-4]))
    assert any(s in caplog.text for s in secrets)


COUNTED_OUTPUTS = {"SendXwap", "SendRrc", "TunnelUp", "TunnelReleased", "ActivationFailed"}
MAKERS = {"_xwap", "_rrc", "_tunnel_up", "_released", "_failed"}


def _method_name(name: str) -> str:
    # mutmut's copies of a method are named xǁClassǁname__mutmut_N (and __mutmut_orig)
    return name.rsplit("ǁ", 1)[-1].split("__mutmut_", 1)[0]


def _makers_of_counted_outputs(source: str) -> dict[str, set[str]]:
    """Output class -> the functions of ``source`` that construct it."""
    found: dict[str, set[str]] = {}
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in COUNTED_OUTPUTS
            ):
                found.setdefault(node.func.id, set()).add(_method_name(function.name))
    return found


def test_the_controller_makes_counted_outputs_only_where_they_are_counted() -> None:
    """Counting happens where an output is made: no other code of the controller may make one
    (else it would go uncounted)."""
    source = Path(controller_module.__file__).read_text()
    makers = _makers_of_counted_outputs(source)
    assert set(makers) == COUNTED_OUTPUTS
    assert set().union(*makers.values()) <= MAKERS
    broken = source + "\n\ndef _sneaky():\n    return SendXwap('segw', None, b'')\n"
    assert set().union(*_makers_of_counted_outputs(broken).values()) - MAKERS == {"_sneaky"}


@pytest.mark.parametrize("scenario", sorted(demo.ONE_ENB_SCENARIOS))
def test_pdu_counts_equal_the_trace_in_every_demo_scenario(
    scenario: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TS 36.463 and TS 36.331 PDUs of every demo story: counted in and out as the trace shows
    them crossing the eNB's boundary. Simulation.handover sends the handover command itself
    (not the controller), so those are taken off the trace's RRC out."""
    commands = []
    handover = Simulation.handover

    def counting_handover(self: Simulation, *args: Any, **kwargs: Any) -> None:
        commands.append(1)
        handover(self, *args, **kwargs)

    monkeypatch.setattr(Simulation, "handover", counting_handover)
    sim = demo.run(scenario)
    assert isinstance(sim, Simulation)
    snap = sim.enb.counters.snapshot()
    assert snap["xwap_out"] == _messages(sim, "enb", "segw", "xwap")
    assert snap["xwap_in"] == _messages(sim, "segw", "enb", "xwap")
    assert snap["rrc_in"] == _messages(sim, "ue", "enb", "rrc")
    rrc_out = collections.Counter(_messages(sim, "enb", "ue", "rrc"))
    rrc_out["RRCConnectionReconfiguration"] -= len(commands)
    assert snap["rrc_out"] == dict(+rrc_out)
    assert snap["activations"].get("succeeded", 0) == sum(
        1 for r in sim.trace if r.get("node") == "enb" and r.get("event") == "tunnel-up"
    )
    assert sum(snap["releases"].values()) + sum(snap["cancelled_additions"].values()) == sum(
        1 for r in sim.trace if r.get("node") == "enb" and r.get("event") == "tunnel-released"
    )
