"""An in-process network of one eNB, one LWIP-SeGW and any number of UEs, on a virtual clock.

It routes every output of one node to the node it is for, runs the modelled IKE exchange between UE
and SeGW, fires timers as virtual time advances, and records a trace (docs/trace.md): each message
that crosses a node boundary with its exact bytes, and each node event. The demo and the tests use
it; so can a harness::

    sim = Simulation()
    sim.add_ue(1)
    sim.activate(1)
    assert sim.enb.state(1) is lwip_enb.fsm.State.ACTIVE
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import ipaddress
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeAlias

from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import (
    HandoverCommand,
    RrcChannel,
    RrcConnectionReconfiguration,
    WlanMeasConfig,
    encode,
)
from lwip_enb.codec.xwap import Cause, LwipAdditionRequest
from lwip_enb.core import outputs as enb_out
from lwip_enb.core.controller import EnbConfig, EnbController, HandoverKind
from lwip_enb.io.trace import enb_event, message_record
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.segw import EnbInterface, SegwConfig, SegwModel
from lwip_enb.peers.ue import UeModel

__all__ = ["DEFAULT_KENB", "Simulation", "TraceRecord", "segw_config", "segw_events"]

TraceRecord: TypeAlias = dict[str, Any]
UeKey: TypeAlias = Hashable

#: The demo's KeNB: a test key, not secret, printed nowhere but in the XwAP PDU of the trace.
DEFAULT_KENB = bytes.fromhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
DEFAULT_SEGW_ADDRESS = "192.0.2.10"
DEFAULT_ENB_LWIP = EnbInterface("198.51.100.1", 17, 2152)  # GTP-U toward the eNB's LWIP interface
SEGW, ENB = "segw", "enb"


def segw_config(**changes: Any) -> SegwConfig:
    """The simulated SeGW's settings with ``changes`` (e.g. ``segw_config(ike_window_s=10.0)``).
    ``SegwConfig``'s defaults offer its WLAN for LWIP (with a WLAN Usage, TS 36.463 8.2.2), which
    the eNB puts in the UE's mobility set. A function, not a constant: a ``Cause`` needs the
    XwAP ASN.1, which importing this module must not load."""
    return SegwConfig(**changes)


def segw_events(o: segw_out.Output) -> list[tuple[str, bytes, dict[str, Any]]]:
    """The node events (docs/trace.md) of a SeGW output that is not a message: each an event,
    the IDi it is about, and its details (the IDi in hex among them)."""
    if isinstance(o, segw_out.PskStored):
        return [("psk-stored", o.idi, {"idi": o.idi.hex(), "phase": o.phase.value})]
    if isinstance(o, segw_out.PskDeleted):
        return [("psk-deleted", o.idi, {"idi": o.idi.hex(), "reason": o.reason.describe()})]
    if isinstance(o, segw_out.IkeRejected):
        return [("ike-rejected", o.idi, {"idi": o.idi.hex(), "reason": o.reason.describe()})]
    if isinstance(o, segw_out.TunnelUp):
        idi = {"idi": o.idi.hex()}
        return [("ike-accepted", o.idi, idi), ("tunnel-up", o.idi, dict(idi))]
    if isinstance(o, segw_out.TunnelReleased):
        return [("tunnel-released", o.idi, {"idi": o.idi.hex(), "reason": o.reason.describe()})]
    return []


class Simulation:
    """eNB + SeGW + UEs wired in memory. All times are virtual seconds from 0."""

    def __init__(
        self,
        *,
        kenb: bytes = DEFAULT_KENB,
        segw_address: str = DEFAULT_SEGW_ADDRESS,
        enb_config: EnbConfig | None = None,
        segw_config: SegwConfig | None = None,
        enb_lwip_interface: EnbInterface = DEFAULT_ENB_LWIP,
        ike_delay_s: float = 0.0,
    ) -> None:
        self.now = 0.0
        self.kenb = bytes(kenb)
        self.trace: list[TraceRecord] = []
        self.listeners: list[Callable[[TraceRecord], None]] = []
        self.ike_delay_s = ike_delay_s
        self.segw_address = str(ipaddress.ip_address(segw_address))  # given to UEs in RRC (R2)
        self.enb = EnbController(enb_config)
        self.enb.add_segw(SEGW, ipaddress.ip_address(segw_address))
        self.segw = SegwModel(segw_config or SegwConfig())
        self.segw.add_enb(ENB, enb_lwip_interface)
        self.ues: dict[UeKey, UeModel] = {}
        self._idi_owner: dict[bytes, UeKey] = {}
        self._kenbs: dict[UeKey, bytes] = {}
        self._jobs: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = 0
        self._route_enb(self.enb.segw_connected(SEGW, self.now))

    # ---- trace ---------------------------------------------------------------------------

    def _record(self, record: TraceRecord) -> None:
        self.trace.append(record)
        for listener in self.listeners:
            listener(record)

    def _message(
        self, src: str, dst: str, protocol: str, channel: str | None, name: str, pdu: bytes
    ) -> None:
        self._record(message_record(round(self.now, 6), src, dst, protocol, channel, name, pdu))

    def _event(self, node: str, event: str, ue: UeKey | None, **details: Any) -> None:
        self._record({"t": round(self.now, 6), "node": node, "event": event, "ue": ue, **details})

    def ue_of(self, idi: bytes) -> UeKey | None:
        """The UE an IDi was allocated for (the key of the LWIP ADDITION REQUEST that carried
        it), or None."""
        return self._idi_owner.get(idi)

    # ---- routing -------------------------------------------------------------------------

    def deliver(self, outputs: Iterable[enb_out.Output]) -> None:
        """Carry out outputs of :attr:`enb` that the caller got by calling it directly (e.g.
        ``sim.deliver(sim.enb.deactivate(1, sim.now))``): each message reaches its node, whose
        answers are routed in turn, and every output is traced, as for the simulation's own."""
        self._route_enb(outputs)

    def deliver_from_segw(self, outputs: Iterable[segw_out.Output]) -> None:
        """The same for outputs of :attr:`segw` (e.g. of ``sim.segw.enb_lost("enb", sim.now)``)."""
        self._route_segw(outputs)

    def _route_enb(self, outputs: Iterable[enb_out.Output]) -> None:
        for o in outputs:
            if isinstance(o, enb_out.SendXwap):
                if o.ue is not None and isinstance(o.message, LwipAdditionRequest):
                    self._idi_owner[o.message.security.idi] = o.ue
                self._message(ENB, SEGW, "xwap", None, o.message.MESSAGE, o.pdu)
                self._route_segw(self.segw.receive_xwap(ENB, o.pdu, self.now))
            elif isinstance(o, enb_out.SendRrc):
                self._message(ENB, "ue", "rrc", o.channel.value, o.message.MESSAGE, o.pdu)
                ue = self.ues.get(o.ue)
                if ue is not None:
                    self._route_ue(o.ue, ue.receive_rrc(o.pdu, self.now))
                    self._arm_ue(o.ue)
            else:
                found = enb_event(o)  # the runtimes' trace makes the same records
                if found is not None:
                    event, ue_key, details = found
                    self._event(ENB, event, ue_key, **details)

    def _route_segw(self, outputs: Iterable[segw_out.Output]) -> None:
        for o in outputs:
            self._segw_output(o)
            if isinstance(o, segw_out.SendXwap):
                name = "garbage" if o.garbled else o.message.MESSAGE  # a fault knob of the SeGW
                self._message(SEGW, ENB, "xwap", None, name, o.pdu)
                self._route_enb(self.enb.receive_xwap(SEGW, o.pdu, self.now))
            else:
                for event, idi, details in segw_events(o):  # as SegwRuntime records them
                    self._event(SEGW, event, self.ue_of(idi), **details)
                ue = self.ue_of(o.idi) if isinstance(o, segw_out.TunnelUp) else None
                if ue is not None:
                    # the eNB's evidence of the tunnel: the SeGW accepted IKEv2 for the IDi it
                    # allocated to this UE (RRC reports WLAN association only, 36.331 5.6.15.4)
                    self._route_enb(self.enb.tunnel_established(ue, self.now))

    def _segw_output(self, o: segw_out.Output) -> None:
        """Called for every SeGW output before it is routed; a real IKE stack hooks in here."""

    def _ue_output(self, key: UeKey, o: ue_out.Output) -> None:
        """Called for every UE output before it is routed; a real IKE stack hooks in here."""

    def _route_ue(self, key: UeKey, outputs: Iterable[ue_out.Output]) -> None:
        for o in outputs:
            self._ue_output(key, o)
            if isinstance(o, ue_out.SendRrc):
                self._message("ue", ENB, "rrc", o.channel.value, o.message.MESSAGE, o.pdu)
                self._route_enb(self.enb.receive_rrc(key, o.channel, o.pdu, self.now))
            elif isinstance(o, ue_out.IkeStart):
                self._schedule(self.now + self.ike_delay_s, functools.partial(self._run_ike, key))
            elif isinstance(o, ue_out.PskStored):
                self._event("ue", "psk-stored", key, idi=o.idi.hex())
            elif isinstance(o, ue_out.PskDeleted):
                self._event("ue", "psk-deleted", key, idi=o.idi.hex(), reason=o.reason.describe())
            elif isinstance(o, ue_out.TunnelUp):
                self._event("ue", "tunnel-up", key, idi=o.idi.hex())
            elif isinstance(o, ue_out.TunnelReleased):
                reason = o.reason.describe()
                self._event("ue", "tunnel-released", key, idi=o.idi.hex(), reason=reason)
            elif isinstance(o, ue_out.InputRejected):
                self._event("ue", "state", key, reason=o.detail)
            elif isinstance(o, ue_out.IkeFailed):
                self._event("ue", "state", key, reason=o.describe())

    def _arm_ue(self, key: UeKey) -> None:
        """Schedule the UE's T351 (TS 36.331 5.6.15.3), if running; stale jobs do nothing."""
        ue = self.ues.get(key)
        due = ue.next_timer() if ue is not None else None
        if due is not None:
            self._schedule(due, functools.partial(self._ue_timer, key))

    def _ue_timer(self, key: UeKey) -> None:
        ue = self.ues.get(key)
        if ue is not None:
            self._route_ue(key, ue.handle_timer(self.now))

    def _run_ike(self, key: UeKey) -> None:
        ue = self.ues.get(key)
        if ue is None:
            return
        request = ue.ike_request(self.segw.ike_sa_init(self.now))
        if request is None:
            return
        response, segw_out = self.segw.ike_auth(request, self.now)
        self._route_segw(segw_out)
        self._route_ue(key, ue.ike_result(response, self.now))

    # ---- time ----------------------------------------------------------------------------

    def _schedule(self, at: float, job: Callable[[], None]) -> None:
        self._seq += 1
        heapq.heappush(self._jobs, (at, self._seq, job))

    def run_until(self, t: float) -> None:
        """Advance virtual time to ``t``, firing jobs and node timers in time order."""
        while True:
            candidates = [
                x
                for x in (
                    self.enb.next_timer(),
                    self.segw.next_timer(),
                    self._jobs[0][0] if self._jobs else None,
                )
                if x is not None
            ]
            due = min(candidates, default=None)
            if due is None or due > t:
                break
            self.now = max(self.now, due)
            if self._jobs and self._jobs[0][0] <= self.now:
                heapq.heappop(self._jobs)[2]()
            self._route_enb(self.enb.handle_timer(self.now))
            self._route_segw(self.segw.handle_timer(self.now))
        self.now = max(self.now, t)

    def advance(self, dt: float) -> None:
        self.run_until(self.now + dt)

    # ---- the story's verbs ---------------------------------------------------------------

    def add_ue(
        self, key: UeKey, wlan_mac: bytes | None = None, kenb: bytes | None = None
    ) -> UeModel:
        """A UE sharing ``kenb`` with the eNB: by default the simulation's KeNB for the first UE
        and a distinct one, derived from it, for each further UE (UEs never share a KeNB)."""
        n = len(self.ues)
        mac = wlan_mac or bytes([0x02, 0, 0, 0]) + (n + 1).to_bytes(2, "big")
        if kenb is None:
            derived = hashlib.sha256(self.kenb + n.to_bytes(4, "big")).digest()
            kenb = self.kenb if n == 0 else derived
        self._kenbs[key] = bytes(kenb)
        ue = self.ues[key] = UeModel(kenb, mac)
        return ue

    def activate(self, key: UeKey, settle: float = 0.1) -> None:
        ue = self.ues[key]
        self._route_enb(
            self.enb.activate(key, kenb=self.kenb_of(key), wlan_mac=ue.wlan_mac, now=self.now)
        )
        self.advance(settle)

    def handover(
        self, key: UeKey, kind: HandoverKind, new_kenb: bytes, settle: float = 0.1
    ) -> None:
        """S1/X2 handover within this simulation: release, handover command, new KeNB (R9)."""
        self._route_enb(self.enb.handover(key, kind, self.now, new_kenb=new_kenb))
        # The handover command itself: the UE releases LWIP on mobilityControlInfo (5.3.5.4).
        command = RrcConnectionReconfiguration(0, handover=HandoverCommand(2, 0x4321))
        pdu = encode(command)
        self._message(ENB, "ue", "rrc", RrcChannel.DL_DCCH.value, command.MESSAGE, pdu)
        self._route_ue(key, self.ues[key].receive_rrc(pdu, self.now))
        self.refresh_kenb(key, new_kenb)
        self.advance(settle)

    def ue_radio_link_failure(self, key: UeKey, new_kenb: bytes, settle: float = 0.1) -> None:
        """The UE detects RLF (R10): it releases LWIP and asks to re-establish."""
        self._route_ue(key, self.ues[key].radio_link_failure(self.now))
        self.refresh_kenb(key, new_kenb)  # re-establishment derives a new KeNB
        self.advance(settle)

    def enb_radio_link_failure(self, key: UeKey, settle: float = 0.1) -> None:
        """The eNB detects RLF (R10): it tells the SeGW; the UE finds out by itself."""
        self._route_enb(self.enb.radio_link_failure(key, self.now))
        self._route_ue(key, self.ues[key].radio_link_failure(self.now))
        self.advance(settle)

    def wlan_lost(self, key: UeKey, settle: float = 0.1) -> None:
        ue = self.ues[key]
        idi = ue.tunnel.idi if ue.tunnel is not None else None
        self._route_ue(key, ue.wlan_lost(self.now))
        if idi is not None and self.segw.tunnel_state(idi) is not None:
            # The SeGW sees the tunnel die too (dead peer detection).
            self._route_segw(
                self.segw.release(idi, Cause.radio_network("wLAN-not-available"), self.now)
            )
        self.advance(settle)

    def wlan_available(self, key: UeKey, settle: float = 0.1) -> None:
        self._route_enb(self.enb.wlan_available(key, self.now))
        self.advance(settle)

    def wlan_suspend(self, key: UeKey, settle: float = 0.1) -> None:
        """Every WLAN of the UE's mobility set becomes temporarily unavailable: a UE allowed to
        reports ``suspended`` (TS 36.331 5.6.15.4); its tunnel stays up."""
        self._route_ue(key, self.ues[key].wlan_suspend(self.now))
        self.advance(settle)

    def wlan_resume(self, key: UeKey, settle: float = 0.1) -> None:
        """The UE's WLAN comes back after a suspension: ``resumed`` (TS 36.331 5.6.15.4)."""
        self._route_ue(key, self.ues[key].wlan_resume(self.now))
        self.advance(settle)

    def configure_wlan_measurements(
        self, key: UeKey, meas_config: WlanMeasConfig, settle: float = 0.1
    ) -> None:
        """The eNB configures WLAN measurements at the UE (TS 36.331 5.5.2)."""
        outputs = self.enb.configure_wlan_measurements(key, self.now, meas_config=meas_config)
        self._route_enb(outputs)
        self.advance(settle)

    def measure_wlans(
        self, key: UeKey, rssi: Mapping[WlanIdentifiers, float], settle: float = 0.1
    ) -> None:
        """The UE now measures ``rssi`` (dBm by WLAN); it reports what its W1/W2/W3
        configurations trigger (TS 36.331 5.5.4)."""
        self._route_ue(key, self.ues[key].measure_wlans(rssi, self.now))
        self.advance(settle)

    def segw_release(self, key: UeKey, settle: float = 0.1) -> None:
        idi = self.enb.idi(key)
        if idi is not None:
            self._route_segw(self.segw.release(idi.octets, Cause.misc("om-intervention"), self.now))
        self.advance(settle)

    def forget(self, key: UeKey, settle: float = 0.1) -> None:
        """The UE leaves the eNB (TS 36.331 5.3.12): the SeGW is told, the eNB drops the UE's
        context and keys, and the UE releases LWIP itself as it leaves RRC_CONNECTED."""
        self._route_enb(self.enb.forget(key, self.now))
        self._route_ue(key, self.ues[key].rrc_connection_released(self.now))
        self.advance(settle)

    def traffic(self, key: UeKey, dst: str, protocol: int = 17, port: int | None = 2152) -> bool:
        """Would the SeGW forward this UE's packet to ``dst``? (R6, R7)"""
        ue = self.ues[key]
        idi = ue.tunnel.idi if ue.tunnel is not None else b""
        allowed = self.segw.allows(idi, dst, protocol, port)
        self._event(SEGW, "traffic", key, dst=dst, protocol=protocol, port=port, allowed=allowed)
        return allowed

    def refresh_kenb(self, key: UeKey, kenb: bytes) -> None:
        """The eNB and UE ``key`` now share ``kenb`` (after a handover, a re-establishment, or a
        KeNB refresh of the caller's): the UE derives from it, and so do later activations."""
        self.ues[key].new_kenb(kenb)
        self._kenbs[key] = bytes(kenb)

    def kenb_of(self, key: UeKey) -> KeyMaterial:
        """The KeNB the eNB and this UE currently share."""
        return KeyMaterial(self._kenbs.get(key, self.kenb))
