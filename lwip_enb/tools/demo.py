"""``lwip-enb demo``: one eNB, one LWIP-SeGW and one UE in-process, telling a whole LWIP story.

Each scenario is a function of a :class:`~lwip_enb.sim.Simulation`; ``full`` runs them in sequence.
The two-eNB scenarios (:data:`TWO_ENB_SCENARIOS`) are functions of a
:class:`~lwip_enb.real.two_enbs.TwoEnbs`: two eNBs behind the one SeGW.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from lwip_enb.codec import rrc
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.real.two_enbs import TwoEnbs
from lwip_enb.sim.simulation import Simulation, TraceRecord, segw_config

__all__ = ["ONE_ENB_SCENARIOS", "SCENARIOS", "TWO_ENB_SCENARIOS", "format_record", "run"]

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


def wlan_return_measured(sim: Simulation) -> None:
    """R11 through the UE's own measurement (TS 36.331 5.5.4.11): WLAN measurements with event
    W1 (threshold -75 dBm, hysteresis 1 dB) configured, the WLAN fades and drops
    (failureWlanRadioLink: released at both ends), and 5 s later the UE hears it at -55 dBm:
    its W1 MeasurementReport names the mobility set's WLAN and the eNB sets up a fresh tunnel
    with a new counter, PSK and IDi."""
    _activate(sim)
    wlan = WlanIdentifiers(ssid=sim.segw.config.wlan_identifiers[0].ssid)
    w1 = rrc.WlanReportConfig.w1(1, rrc.wlan_rssi_value(-75.0), hysteresis_half_db=2)
    sim.configure_wlan_measurements(UE, rrc.WlanMeasConfig.for_events(rrc.WlanMeasObject(1), w1))
    sim.measure_wlans(UE, {})  # the WLAN fades out of hearing
    sim.wlan_lost(UE)
    sim.advance(5.0)
    sim.measure_wlans(UE, {wlan: -55.0})  # W1 enters: the UE reports it


def segw_release(sim: Simulation) -> None:
    _activate(sim)
    sim.segw_release(UE)


def ike_window_expiry(sim: Simulation) -> None:
    # R4: the UE initiates IKE only when the SeGW's window has closed (it closes at its end,
    # the instant the UE is configured plus ike_window_s). The SeGW rejects the initiation and
    # deletes LWIP-PSK and IDi, then asks the eNB to release the UE (LWIP RELEASE REQUIRED).
    sim.ike_delay_s = sim.segw.config.ike_window_s
    sim.activate(UE, settle=sim.ike_delay_s + 1.0)


def wlan_timeout(sim: Simulation) -> None:
    """No WLAN of the mobility set is available to the UE: it applies the set-up (with
    associationTimer, T351 = 10 s), T351 expires and the UE reports failureTimeout (TS 36.331
    5.6.15.3); the eNB releases at both ends, LWIP RELEASE REQUEST to the SeGW and
    lwip-Configuration release to the UE. (A UE that stays silent is released by the eNB's own
    guard, T351 + 2 s.)"""
    sim.ues[UE].available_wlans = ()
    guard = sim.enb.config.association_timer_s + sim.enb.config.association_guard_margin_s
    sim.activate(UE, settle=guard + 1.0)


def x2_handover_two_enbs(net: TwoEnbs) -> None:
    """R7 and R9 across two eNBs: through A's tunnel only A's LWIP interface; after the X2
    handover nothing reaches A; B's fresh tunnel reaches B's LWIP interface only."""
    (a_lwip, a_other), (b_lwip, b_other) = net.addresses["A"], net.addresses["B"]
    net.activate(UE)  # at eNB A
    net.traffic(UE, a_lwip)  # A's LWIP interface: allowed (R7)
    net.traffic(UE, a_other)  # another address of A: refused (R7)
    net.traffic(UE, b_lwip)  # B did not ask for this tunnel: refused (R7)
    net.x2_handover(UE, "B", _kenb(1))  # A releases at the SeGW and the UE (R9)
    net.traffic(UE, a_lwip)  # nothing reaches A any more
    net.activate(UE)  # B sets up a fresh tunnel
    net.traffic(UE, b_lwip)  # B's LWIP interface: allowed
    net.traffic(UE, b_other)  # refused
    net.traffic(UE, a_lwip)  # refused


def full(sim: Simulation) -> None:
    _activate(sim)
    sim.handover(UE, HandoverKind.X2, _kenb(1))
    sim.activate(UE)
    sim.wlan_lost(UE)
    sim.advance(5.0)
    sim.wlan_available(UE)
    sim.enb_radio_link_failure(UE)


ONE_ENB_SCENARIOS: Final[dict[str, Callable[[Simulation], None]]] = {
    "full": full,
    "activate": activate,
    "s1-handover": s1_handover,
    "x2-handover": x2_handover,
    "rlf-enb": rlf_enb,
    "rlf-ue": rlf_ue,
    "wlan-loss": wlan_loss,
    "wlan-return-measured": wlan_return_measured,
    "ike-window-expiry": ike_window_expiry,
    "wlan-timeout": wlan_timeout,
    "segw-release": segw_release,
}
#: Stories with two eNBs behind the SeGW (:mod:`lwip_enb.real.two_enbs`).
TWO_ENB_SCENARIOS: Final[dict[str, Callable[[TwoEnbs], None]]] = {
    "x2-handover-two-enbs": x2_handover_two_enbs,
}
#: Every scenario, by name (what ``lwip-enb demo --scenario`` offers).
SCENARIOS: Final[dict[str, Callable[..., None]]] = {**ONE_ENB_SCENARIOS, **TWO_ENB_SCENARIOS}


def run(
    scenario: str = "full",
    *,
    kenb: bytes | None = None,
    segw_address: str | None = None,
    listener: Callable[[TraceRecord], None] | None = None,
    real: bool = False,
) -> Simulation | TwoEnbs:
    """Run one scenario and return the simulation (its ``trace`` holds every record).

    ``real``: IKEv2 and ESP by strongSwan in network namespaces (:mod:`lwip_enb.real`); the
    caller closes the returned simulation then (it holds daemons and namespaces). On any
    exception, a signal included, the simulation is closed here.
    """
    kwargs: dict[str, object] = {}
    if kenb is not None:
        kwargs["kenb"] = kenb
    if not real and segw_address is not None:
        kwargs["segw_address"] = segw_address
    sim: Simulation | TwoEnbs
    if scenario in TWO_ENB_SCENARIOS:
        if real:
            from lwip_enb.real.two_enbs import RealTwoEnbs  # only here: root and strongSwan

            sim = RealTwoEnbs(segw_config=segw_config(), **kwargs)
        else:
            sim = TwoEnbs(segw_config=segw_config(), **kwargs)  # type: ignore[arg-type]
    elif real:
        from lwip_enb.real.simulation import RealSimulation  # only here: root and strongSwan

        sim = RealSimulation(segw_config=segw_config(), **kwargs)
    else:
        sim = Simulation(segw_config=segw_config(), **kwargs)  # type: ignore[arg-type]
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


def _node(name: str, r: TraceRecord) -> str:
    # With two eNBs the record names which one: "enbA", "enbB".
    return f"enb{r['enb']}" if name == "enb" and "enb" in r else name


def format_record(r: TraceRecord) -> str:
    """One trace record as a line of the human timeline."""
    t = f"{r['t']:8.3f}s"
    if "message" in r:
        arrow = f"{_node(r['src'], r):>4} -> {_node(r['dst'], r):<4}"
        chan = f" [{r['channel']}]" if r.get("channel") else ""
        return (
            f"{t}  {arrow}  {r['protocol'].upper()}{chan} {r['message']} ({len(r['pdu']) // 2} B)"
        )
    details = {k: v for k, v in r.items() if k not in ("t", "node", "event", "ue", "enb")}
    if r["event"] == "state" and "from" in details:
        text = f"{details['from']} -> {details['to']} on {details['cause']}"
    else:
        text = ", ".join(f"{k}={v}" for k, v in details.items())
    return f"{t}  {_node(r['node'], r):>4}: {r['event']:<15} {text}"


def final_states(sim: Simulation | TwoEnbs) -> dict[str, State]:
    """Each UE's state at the eNB serving it (named, with two eNBs)."""
    if isinstance(sim, TwoEnbs):
        return {f"{k} at eNB {sim.serving[k]}": sim.enbs[sim.serving[k]].state(k) for k in sim.ues}
    return {str(k): sim.enb.state(k) for k in sim.ues}
