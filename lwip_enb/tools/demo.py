"""``lwip-enb demo``: one eNB, one LWIP-SeGW and one UE in-process, telling a whole LWIP story.

Each scenario is a function of a :class:`~lwip_enb.sim.Simulation`; ``full`` runs them in sequence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.peers.segw import SegwConfig
from lwip_enb.sim.simulation import Simulation, TraceRecord

__all__ = ["SCENARIOS", "format_record", "run"]

UE: Final = 1
DESTINATION_ELSEWHERE: Final = "203.0.113.7"


def _kenb(n: int) -> bytes:
    """Distinct test KeNBs for the keys after each handover / re-establishment."""
    return bytes((i * 7 + n) & 0xFF for i in range(32))


def _activate(sim: Simulation) -> None:
    sim.activate(UE)
    sim.traffic(UE, "198.51.100.1")  # the initiating eNB's LWIP interface: allowed (R6, R7)
    sim.traffic(UE, "198.51.100.2")  # another address of the eNB: refused (R7)
    sim.traffic(UE, DESTINATION_ELSEWHERE)  # any other host: refused (R6)


def activate(sim: Simulation) -> None:
    _activate(sim)


def x2_handover(sim: Simulation) -> None:
    _activate(sim)
    sim.handover(UE, HandoverKind.X2, _kenb(1))
    sim.activate(UE)  # re-activation under the new KeNB


def s1_handover(sim: Simulation) -> None:
    _activate(sim)
    sim.handover(UE, HandoverKind.S1, _kenb(2))
    sim.activate(UE)


def rlf_enb(sim: Simulation) -> None:
    _activate(sim)
    sim.enb_radio_link_failure(UE)


def rlf_ue(sim: Simulation) -> None:
    _activate(sim)
    sim.ue_radio_link_failure(UE, _kenb(3))


def wlan_loss(sim: Simulation) -> None:
    _activate(sim)
    sim.wlan_lost(UE)
    sim.advance(5.0)
    sim.wlan_available(UE)  # R11: a fresh tunnel, new counter, PSK and IDi


def segw_release(sim: Simulation) -> None:
    _activate(sim)
    sim.segw_release(UE)


def ike_window_expiry(sim: Simulation) -> None:
    sim.ike_delay_s = sim.segw.config.ike_window_s + 1.0  # the UE is too late (R4)
    sim.activate(UE, settle=sim.ike_delay_s + 1.0)


def full(sim: Simulation) -> None:
    _activate(sim)
    sim.handover(UE, HandoverKind.X2, _kenb(1))
    sim.activate(UE)
    sim.wlan_lost(UE)
    sim.advance(5.0)
    sim.wlan_available(UE)
    sim.enb_radio_link_failure(UE)


SCENARIOS: Final[dict[str, Callable[[Simulation], None]]] = {
    "full": full,
    "activate": activate,
    "s1-handover": s1_handover,
    "x2-handover": x2_handover,
    "rlf-enb": rlf_enb,
    "rlf-ue": rlf_ue,
    "wlan-loss": wlan_loss,
    "ike-window-expiry": ike_window_expiry,
    "segw-release": segw_release,
}


def run(
    scenario: str = "full",
    *,
    kenb: bytes | None = None,
    segw_address: str | None = None,
    listener: Callable[[TraceRecord], None] | None = None,
    real: bool = False,
) -> Simulation:
    """Run one scenario and return the simulation (its ``trace`` holds every record).

    ``real``: IKEv2 and ESP by strongSwan in network namespaces (:mod:`lwip_enb.real`); the
    caller closes the returned simulation then (it holds daemons and namespaces). On any
    exception, a signal included, the simulation is closed here.
    """
    kwargs: dict[str, object] = {}
    if kenb is not None:
        kwargs["kenb"] = kenb
    if real:
        from lwip_enb.real.simulation import (
            RealSimulation,  # only here: it needs root and strongSwan
        )

        sim: Simulation = RealSimulation(segw_config=SegwConfig(), **kwargs)
    else:
        if segw_address is not None:
            kwargs["segw_address"] = segw_address
        sim = Simulation(segw_config=SegwConfig(), **kwargs)  # type: ignore[arg-type]
    try:
        if listener is not None:
            for record in sim.trace:
                listener(record)
            sim.listeners.append(listener)
        sim.add_ue(UE)
        SCENARIOS[scenario](sim)
        sim.advance(1.0)
    except BaseException:
        close = getattr(sim, "close", None)  # a real simulation holds daemons and namespaces
        if close is not None:
            close()
        raise
    return sim


def format_record(r: TraceRecord) -> str:
    """One trace record as a line of the human timeline."""
    t = f"{r['t']:8.3f}s"
    if "message" in r:
        arrow = f"{r['src']:>4} -> {r['dst']:<4}"
        chan = f" [{r['channel']}]" if r.get("channel") else ""
        return (
            f"{t}  {arrow}  {r['protocol'].upper()}{chan} {r['message']} ({len(r['pdu']) // 2} B)"
        )
    details = {k: v for k, v in r.items() if k not in ("t", "node", "event", "ue")}
    if r["event"] == "state" and "from" in details:
        text = f"{details['from']} -> {details['to']} on {details['cause']}"
    else:
        text = ", ".join(f"{k}={v}" for k, v in details.items())
    return f"{t}  {r['node']:>4}: {r['event']:<15} {text}"


def final_states(sim: Simulation) -> dict[str, State]:
    return {str(k): sim.enb.state(k) for k in sim.ues}
