"""Behaviour 7: when all LWIP counters of a KeNB are used the caller is told to refresh KeNB;
a new KeNB is accepted."""

from __future__ import annotations

from typing import Any

from helpers import spec_pdus as pdus
from helpers.simhelpers import new_sim

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import HandoverCommand
from lwip_enb.core.controller import EnbConfig
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import KenbRefreshNeeded, SendRrc, SendXwap
from lwip_enb.sim.simulation import Simulation
from lwip_enb.sim.testing import skip_lwip_counter


def test_exhausted_counter_asks_for_kenb_refresh_then_new_kenb_works() -> None:
    sim = new_sim()
    sim.activate(1)
    sim.deliver(sim.enb.deactivate(1, sim.now))
    skip_lwip_counter(sim.enb, 1, 65535)  # fast-forward: one value left
    info = sim.enb.ue_info(1)
    assert info is not None and info.counters_left == 1
    sim.activate(1)
    assert sim.ues[1].tunnel.counter == 65535  # type: ignore[union-attr]
    sim.deliver(sim.enb.deactivate(1, sim.now))
    out = sim.enb.activate(1, kenb=sim.kenb, wlan_mac=sim.ues[1].wlan_mac, now=sim.now)
    assert out == [KenbRefreshNeeded(1)]
    assert sim.enb.state(1) is State.IDLE
    sim.refresh_kenb(1, bytes(range(7, 39)))
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE and sim.ues[1].tunnel.counter == 0  # type: ignore[union-attr]


NEW_KENB = bytes(range(7, 39))


def _command_sent(sim: Simulation) -> list[dict[str, Any]]:
    return [
        r
        for r in sim.trace
        if r.get("message") == "RRCConnectionReconfiguration" and r.get("src") == "enb"
    ]


def test_ts36331_5_3_5_4_intra_enb_handover_sets_lwip_up_again_in_one_command() -> None:
    """5.3.5.4: on mobilityControlInfo the UE releases LWIP, then applies the lwip-Configuration of
    the same message. refresh_kenb releases at the SeGW, adds again with a fresh counter under the
    new KeNB, and only on the ACKNOWLEDGE sends one handover command carrying the new set-up."""
    sim = new_sim()
    sim.activate(1)
    old_idi = sim.enb.idi(1)
    assert old_idi is not None
    sim.ues[1].new_kenb(NEW_KENB)  # the UE derives KeNB* on the handover command
    sim.refresh_kenb(1, NEW_KENB)
    before = len(sim.trace)
    out = sim.enb.refresh_kenb(1, NEW_KENB, sim.now, command=HandoverCommand(7, 0x1234))
    xw = [o.message.MESSAGE for o in out if isinstance(o, SendXwap)]
    assert xw == [xwap.LwipReleaseRequest.MESSAGE, xwap.LwipAdditionRequest.MESSAGE]
    assert not [o for o in out if isinstance(o, SendRrc)]  # the command waits for the ACK
    assert sim.enb.state(1) is State.ADDING
    sim.deliver(out)
    sim.advance(0.1)
    commands = [r for r in sim.trace[before:] if r.get("message") == "RRCConnectionReconfiguration"]
    _, body = pdus.read_dl_dcch(bytes.fromhex(commands[0]["pdu"]))
    text = repr(body)
    assert "mobilityControlInfo" in text and "'lwip-Counter-r13': 0" in text
    assert len([c for c in commands if c["src"] == "enb"]) == 1  # one command, nothing else
    assert sim.enb.state(1) is State.ACTIVE
    assert sim.ues[1].tunnel is not None and sim.ues[1].tunnel.counter == 0
    assert not sim.segw.has_psk(old_idi.octets) and sim.segw.psk_count() == 1


def test_ts36331_5_3_5_4_exhausted_counter_refreshes_kenb_by_intra_enb_handover() -> None:
    sim: Simulation

    def refresh(ue: object) -> tuple[bytes, HandoverCommand]:
        sim.refresh_kenb(1, NEW_KENB)
        return NEW_KENB, HandoverCommand(9, 0x77)

    sim = Simulation(enb_config=EnbConfig(kenb_refresh=refresh))
    sim.add_ue(1)
    sim.activate(1)
    sim.deliver(sim.enb.deactivate(1, sim.now))
    skip_lwip_counter(sim.enb, 1, 65535)
    sim.activate(1)
    sim.deliver(sim.enb.deactivate(1, sim.now))
    out = sim.enb.activate(1, kenb=sim.kenb, wlan_mac=sim.ues[1].wlan_mac, now=sim.now)
    assert not [o for o in out if isinstance(o, KenbRefreshNeeded)]
    assert sim.enb.state(1) is State.ADDING
    sim.deliver(out)
    sim.advance(0.1)
    _, body = pdus.read_dl_dcch(bytes.fromhex(_command_sent(sim)[-1]["pdu"]))
    assert "mobilityControlInfo" in repr(body) and "'lwip-Counter-r13': 0" in repr(body)
    assert sim.enb.state(1) is State.ACTIVE and sim.ues[1].tunnel.counter == 0  # type: ignore[union-attr]


def test_ts36331_5_3_5_4_deactivated_during_the_refresh_gets_the_command_without_lwip() -> None:
    """Deactivated while the refresh's addition is outstanding, the UE still holds the old LWIP:
    the handover command goes without lwip-Configuration (the UE releases LWIP on it); a UE that
    left (forget) is sent nothing."""
    for leave, sent in (("deactivate", 1), ("forget", 0)):
        sim = new_sim()
        sim.activate(1)
        sim.enb.refresh_kenb(1, NEW_KENB, sim.now, command=HandoverCommand(7, 0x1234))
        out = getattr(sim.enb, leave)(1, sim.now)
        commands = [o.message for o in out if isinstance(o, SendRrc)]
        assert len(commands) == sent
        if sent:
            _, body = pdus.read_dl_dcch(rrc.encode(commands[0]))
            assert "mobilityControlInfo" in repr(body)
            assert "lwip-Configuration-r13" not in repr(body)
