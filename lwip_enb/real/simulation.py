"""The demo's story over real IKEv2 and ESP: strongSwan for the SeGW and the UE, in namespaces.

:class:`RealSimulation` is :class:`~lwip_enb.sim.Simulation` with the modelled IKE step replaced by
two charon daemons (:mod:`lwip_enb.real.backends`): the SeGW model's PSKs are loaded into the SeGW's
charon for exactly as long as the model keeps them (R3, R4, R5), the UE's charon runs IKE with the
PSK derived from KeNB and the counter (R1, R2), tunnel up/down comes from the daemons' events, and
traffic checks are real pings from the UE's namespace (R6, R7). Needs root and the strongSwan
packages (``.ci/strongswan-deps``); :func:`lwip_enb.real.host.available` says what is missing.
"""

from __future__ import annotations

import contextlib
import queue
from typing import Any

from lwip_enb.codec.xwap import Cause
from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import Idi
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue as ue_mod
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.segw import EnbInterface, TunnelState
from lwip_enb.real.backends import SegwBackend, UeBackend
from lwip_enb.real.daemon import Charon
from lwip_enb.real.events import TunnelEvent
from lwip_enb.real.topology import Topology
from lwip_enb.sim.simulation import Simulation, UeKey

__all__ = ["RealSimulation"]

DPD_WAIT_S = 15.0  # the daemons notice a dead WLAN after about 5 s (dpd 2 s + 3 retransmits)


class RealSimulation(Simulation):
    """One eNB, one SeGW (charon) and one UE (charon) in three network namespaces."""

    def __init__(self, **kwargs: Any) -> None:
        self._stack = contextlib.ExitStack()
        try:
            self.topology = self._stack.enter_context(Topology())
            t = self.topology
            self.segw_charon = self._stack.enter_context(Charon(t.namespace("segw")))
            self.ue_charon = self._stack.enter_context(Charon(t.namespace("ue")))
            self.segw_backend = self._stack.enter_context(
                SegwBackend(self.segw_charon, wlan_address=t.segw_wlan)
            )
            self.ue_backend = self._stack.enter_context(
                UeBackend(self.ue_charon, wlan_address=t.ue_wlan, segw_address=t.segw_wlan)
            )
            kwargs["segw_address"] = t.segw_wlan  # what the UE is told in RRC (R2)
            kwargs["enb_lwip_interface"] = EnbInterface(t.enb_lwip)
            # The daemons' events arrive on a watcher thread; the simulation takes them in order.
            self._daemon_events: queue.SimpleQueue[TunnelEvent] = queue.SimpleQueue()
            self.segw_backend.subscribe(self._daemon_events.put)
            super().__init__(**kwargs)
        except BaseException:
            self._stack.close()
            raise

    def close(self) -> None:
        self._stack.close()

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
        if isinstance(o, segw_out.PskStored) and o.phase is segw_out.PskPhase.WINDOW:
            psk = self.segw.psk(o.idi)
            interface = self.segw.enb_interface(o.idi)
            if psk is not None and interface is not None:
                self.segw_backend.add(Idi(o.idi), psk, str(interface.address))
        elif isinstance(o, segw_out.PskDeleted):
            # R4, R5: gone from the model, gone from charon (SA terminated, PSK unloaded).
            self.segw_backend.remove(Idi(o.idi))

    def _ue_output(self, key: UeKey, o: ue_out.Output) -> None:
        if isinstance(o, ue_out.PskDeleted) and self.ue_backend.idi is not None:
            self.ue_backend.disconnect()  # R5, R9, R10: SA down, PSK unloaded at the UE

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
        if ue is None or ue.tunnel is None:
            return
        idi = Idi(ue.tunnel.idi)
        psk = ue.psk_for_ike()
        if psk is None:
            return
        mark = self.segw_backend.event_mark()
        with psk:
            ok = self.ue_backend.connect(str(ue.tunnel.segw_address), idi, psk)
        if not ok:
            reason = self.ue_backend.last_failure or "IKE failed"
            self._event("segw", "ike-rejected", key, idi=idi.octets.hex(), reason=reason)
            return
        if self.segw_backend.wait_event("up", idi, layer="child", after=mark) is None:
            self._event(
                "segw",
                "ike-rejected",
                key,
                idi=idi.octets.hex(),
                reason="no CHILD_SA reported by the SeGW",
            )
            return
        self._route_segw(self.segw.tunnel_established(idi.octets, self.now))
        if self.segw.tunnel_state(idi.octets) is not None:
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
        allowed = self.topology.ping("ue", dst, count=1, timeout_s=1.0)
        self._event("segw", "traffic", key, dst=dst, protocol=protocol, port=port, allowed=allowed)
        return allowed
