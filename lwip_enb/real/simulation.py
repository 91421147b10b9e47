"""The demo's story over real IKEv2 and ESP: strongSwan for the SeGW and the UE, in namespaces.

:class:`RealSimulation` is :class:`~lwip_enb.sim.Simulation` with the modelled IKE step replaced by
two charon daemons (:class:`~lwip_enb.real.edge.StrongswanEdge`): the SeGW model's PSKs are
loaded into the SeGW's charon for exactly as long as the model keeps them (R3, R4, R5), the UE's
charon runs IKE with the PSK derived from KeNB and the counter (R1, R2), tunnel up/down comes from
the daemons' events, and traffic checks are real pings from the UE's namespace (R6, R7). Needs
root and the strongSwan packages (``.ci/strongswan-deps``); :func:`lwip_enb.real.host.available`
says what is missing.
"""

from __future__ import annotations

import queue
from typing import Any

from lwip_enb.codec.xwap import Cause
from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import Idi
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue as ue_mod
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.segw import EnbInterface, TunnelState
from lwip_enb.real.edge import StrongswanEdge
from lwip_enb.real.events import TunnelEvent
from lwip_enb.real.topology import Topology
from lwip_enb.sim.simulation import Simulation, UeKey

__all__ = ["RealSimulation"]

DPD_WAIT_S = 15.0  # the daemons notice a dead WLAN after about 5 s (dpd 2 s + 3 retransmits)


class RealSimulation(Simulation):
    """One eNB, one SeGW (charon) and one UE (charon) in three network namespaces."""

    def __init__(self, **kwargs: Any) -> None:
        self._edge = StrongswanEdge(Topology())
        try:
            edge = self._edge
            self.topology = edge.topology
            self.segw_charon, self.ue_charon = edge.segw_charon, edge.ue_charon
            self.segw_backend, self.ue_backend = edge.segw_backend, edge.ue_backend
            kwargs["segw_address"] = self.topology.segw_wlan  # what the UE is told in RRC (R2)
            kwargs["enb_lwip_interface"] = EnbInterface(self.topology.enb_lwip)
            # The daemons' events arrive on a watcher thread; the simulation takes them in order.
            self._daemon_events: queue.SimpleQueue[TunnelEvent] = queue.SimpleQueue()
            self.segw_backend.subscribe(self._daemon_events.put)
            super().__init__(**kwargs)
        except BaseException:
            self._edge.close()
            raise

    def close(self) -> None:
        self._edge.close()

    def __enter__(self) -> RealSimulation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_ue(
        self, key: UeKey, wlan_mac: bytes | None = None, kenb: bytes | None = None
    ) -> ue_mod.UeModel:
        if self.ues:
            raise InvalidFieldError("ue", "the real topology has one UE namespace")
        return super().add_ue(key, wlan_mac, kenb)

    # ---- the SeGW's PSKs follow the model into charon ----------------------------------------

    def _segw_output(self, o: segw_out.Output) -> None:
        self._edge.segw_output(self.segw, o)  # R4, R5: the model's PSKs, and only those

    def _ue_output(self, key: UeKey, o: ue_out.Output) -> None:
        self._edge.ue_output(o)  # R5, R9, R10: SA down, PSK unloaded at the UE

    def take_daemon_events(self) -> None:
        """Feed the SeGW daemon's tunnel-down events to the SeGW model: a tunnel the daemon lost
        (dead peer detection after the WLAN dropped) is released by the SeGW (R11)."""
        while True:
            try:
                event = self._daemon_events.get_nowait()
            except queue.Empty:
                return
            if event.kind != "down" or event.layer != "ike" or not event.idi_hex:
                continue
            idi = bytes.fromhex(event.idi_hex)
            if self.segw.tunnel_state(idi) is TunnelState.UP:
                cause = Cause.radio_network("wLAN-not-available")
                self._route_segw(self.segw.release(idi, cause, self.now))

    def run_until(self, t: float) -> None:
        self.take_daemon_events()
        super().run_until(t)

    # ---- IKE by the daemons ------------------------------------------------------------------

    def _run_ike(self, key: UeKey) -> None:
        ue = self.ues.get(key)
        result = self._edge.run_ike(ue) if ue is not None else None
        if ue is None or result is None:
            return
        idi, failure = result
        if failure is not None:
            self._event("segw", "ike-rejected", key, idi=idi.hex(), reason=failure)
            return
        self._route_segw(self.segw.tunnel_established(idi, self.now))
        if self.segw.tunnel_state(idi) is not None:
            self._route_ue(key, ue.ike_established(self.now))

    # ---- the radio and the network for real --------------------------------------------------

    def wlan_lost(self, key: UeKey, settle: float = 0.1) -> None:
        """Take the WLAN down for real. The UE reports it over LTE and the eNB releases the
        tunnel (R11); should the SeGW still hold it, its dead peer detection ends it."""
        ue = self.ues[key]
        idi = Idi(ue.tunnel.idi) if ue.tunnel is not None else None
        mark = self.segw_backend.event_mark()
        self.topology.wlan_down()
        self._route_ue(key, ue.wlan_lost(self.now))
        if idi is not None and self.segw.tunnel_state(idi.octets) is not None:
            self.segw_backend.wait_event("down", idi, layer="ike", after=mark, timeout_s=DPD_WAIT_S)
        self.advance(settle)  # takes the daemon's down event in

    def wlan_available(self, key: UeKey, settle: float = 0.1) -> None:
        self.topology.wlan_up()
        super().wlan_available(key, settle)

    def traffic(self, key: UeKey, dst: str, protocol: int = 1, port: int | None = None) -> bool:
        """A real ping from the UE's namespace (R6, R7)."""
        allowed = self._edge.ping(dst)
        self._event("segw", "traffic", key, dst=dst, protocol=protocol, port=port, allowed=allowed)
        return allowed
