"""Two eNBs behind one LWIP-SeGW, and one UE handed over between them: R7 and R9 across eNBs.

:class:`TwoEnbs` wires two :class:`~lwip_enb.core.controller.EnbController` (``A`` and ``B``),
one :class:`~lwip_enb.peers.segw.SegwModel` that knows both, and one
:class:`~lwip_enb.peers.ue.UeModel`, in memory, through their public inputs and outputs only, on a
virtual clock. The UE starts on eNB ``A``; :meth:`TwoEnbs.x2_handover` moves it to ``B`` the way
TS 33.401 16.5 (the seed) wants: the source eNB releases the tunnel at the SeGW and the UE (R9),
and the target eNB sets up a fresh one with its own LWIP interface (R7). :class:`RealTwoEnbs` is
the same with strongSwan doing IKEv2 and ESP in a topology with two eNB namespaces
(:meth:`~lwip_enb.real.topology.Topology.two_enbs`), and real pings for traffic.

The trace has the format of docs/trace.md, plus an ``enb`` field (``A`` or ``B``) on every
record that involves an eNB; ``src``/``dst`` stay ``enb``. The in-memory half lives here, beside
the real one, so that both run one story and neither touches :mod:`lwip_enb.sim`.
"""

from __future__ import annotations

import functools
import heapq
import ipaddress
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, Final, TypeAlias

from lwip_enb.codec import xwap
from lwip_enb.codec.rrc import HandoverCommand, RrcChannel, RrcConnectionReconfiguration, encode
from lwip_enb.codec.xwap import LwipAdditionRequest
from lwip_enb.core import outputs as enb_mod
from lwip_enb.core.controller import EnbConfig, EnbController, HandoverKind
from lwip_enb.errors import InvalidFieldError
from lwip_enb.io.trace import message_record
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers import segw_outputs as segw_mod
from lwip_enb.peers import ue_outputs as ue_mod
from lwip_enb.peers.segw import EnbInterface, SegwConfig, SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.real.backends import SegwBackend, UeBackend
from lwip_enb.real.edge import StrongswanEdge
from lwip_enb.real.topology import Topology

__all__ = ["ENB_NAMES", "RealTwoEnbs", "TwoEnbs"]

UeKey: TypeAlias = Hashable
TraceRecord: TypeAlias = dict[str, Any]

ENB_NAMES: Final = ("A", "B")
SEGW: Final = "segw"
DEFAULT_KENB: Final = bytes(range(32))  # a test key, as in the one-eNB simulation
DEFAULT_SEGW_ADDRESS: Final = "192.0.2.10"
#: Each eNB's LWIP interface (GTP-U toward it) and another address of the same eNB; the same
#: addresses as the real topology's two eNB sites.
DEFAULT_ADDRESSES: Final[Mapping[str, tuple[str, str]]] = {
    "A": ("198.51.100.1", "198.51.100.2"),
    "B": ("198.51.100.129", "198.51.100.130"),
}
_GLOBAL_ENB_IDS: Final[Mapping[str, int]] = {"A": 0xA, "B": 0xB}
_TARGET_PCI: Final[Mapping[str, int]] = {"A": 1, "B": 2}


class TwoEnbs:
    """eNBs ``A`` and ``B``, one SeGW and one UE, wired in memory; virtual seconds from 0."""

    def __init__(
        self,
        *,
        kenb: bytes = DEFAULT_KENB,
        segw_address: str = DEFAULT_SEGW_ADDRESS,
        segw_config: SegwConfig | None = None,
        addresses: Mapping[str, tuple[str, str]] = DEFAULT_ADDRESSES,
        interfaces: Mapping[str, EnbInterface] | None = None,
        ike_delay_s: float = 0.0,
    ) -> None:
        self.now = 0.0
        self.kenb = bytes(kenb)
        self.trace: list[TraceRecord] = []
        self.listeners: list[Callable[[TraceRecord], None]] = []
        self.ike_delay_s = ike_delay_s
        self.segw_address = str(ipaddress.ip_address(segw_address))  # given to the UE (R2)
        self.addresses = dict(addresses)
        if interfaces is None:
            interfaces = {n: EnbInterface(self.addresses[n][0], 17, 2152) for n in ENB_NAMES}
        self.segw = SegwModel(segw_config)
        self.enbs: dict[str, EnbController] = {}
        for name in ENB_NAMES:
            # R7: the SeGW lets a UE reach only the LWIP interface of the eNB that asked
            self.segw.add_enb(name, interfaces[name])
            config = EnbConfig(
                global_enb_id=xwap.GlobalEnbId(b"\x00\xf1\x10", _GLOBAL_ENB_IDS[name])
            )
            enb = self.enbs[name] = EnbController(config)
            enb.add_segw(SEGW, ipaddress.ip_address(segw_address))
        self.ues: dict[UeKey, UeModel] = {}
        self.serving: dict[UeKey, str] = {}
        self._kenbs: dict[UeKey, bytes] = {}
        self._idi_owner: dict[bytes, UeKey] = {}
        self._idi_enb: dict[bytes, str] = {}  # the eNB that sent each IDi to the SeGW
        self._jobs: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = 0
        for name in ENB_NAMES:
            self._route_enb(name, self.enbs[name].segw_connected(SEGW, self.now))

    # ---- inspection ----------------------------------------------------------------------

    @property
    def enb(self) -> EnbController:
        """The eNB serving the (first) UE, ``A`` before any UE."""
        key = next(iter(self.ues), None)
        return self.enbs[self.serving.get(key, "A") if key is not None else "A"]

    # ---- trace ---------------------------------------------------------------------------

    def _record(self, record: TraceRecord) -> None:
        self.trace.append(record)
        for listener in self.listeners:
            listener(record)

    def _message(
        self,
        enb: str,
        src: str,
        dst: str,
        protocol: str,
        channel: str | None,
        name: str,
        pdu: bytes,
    ) -> None:
        # enb: which eNB sent or got it; src/dst stay "enb" (docs/trace.md)
        t = round(self.now, 6)
        self._record(message_record(t, src, dst, protocol, channel, name, pdu, enb=enb))

    def _event(self, node: str, event: str, ue: UeKey | None, **details: Any) -> None:
        self._record({"t": round(self.now, 6), "node": node, "event": event, "ue": ue, **details})

    # ---- routing -------------------------------------------------------------------------

    def _route_enb(self, name: str, outputs: Iterable[enb_mod.Output]) -> None:
        for o in outputs:
            if isinstance(o, enb_mod.SendXwap):
                if o.ue is not None and isinstance(o.message, LwipAdditionRequest):
                    self._idi_owner[o.message.security.idi] = o.ue
                    self._idi_enb[o.message.security.idi] = name
                self._message(name, "enb", SEGW, "xwap", None, o.message.MESSAGE, o.pdu)
                self._route_segw(self.segw.receive_xwap(name, o.pdu, self.now))
            elif isinstance(o, enb_mod.SendRrc):
                self._message(name, "enb", "ue", "rrc", o.channel.value, o.message.MESSAGE, o.pdu)
                ue = self.ues.get(o.ue)
                if ue is not None:
                    self._route_ue(o.ue, ue.receive_rrc(o.pdu, self.now))
            elif isinstance(o, enb_mod.StateChanged):
                change = {"from": o.old.value, "to": o.new.value, "cause": o.event.value}
                self._event("enb", "state", o.ue, enb=name, **change)
            elif isinstance(o, enb_mod.PskDeleted):
                self._event("enb", "psk-deleted", o.ue, enb=name, counter=o.counter,
                            reason="sent to SeGW in LWIP ADDITION REQUEST")  # fmt: skip
            elif isinstance(o, enb_mod.TunnelUp):
                self._event("enb", "tunnel-up", o.ue, enb=name)
            elif isinstance(o, enb_mod.TunnelReleased):
                reason = o.reason.describe()
                self._event("enb", "tunnel-released", o.ue, enb=name, reason=reason)
            elif isinstance(o, enb_mod.ActivationFailed):
                reason = f"activation failed: {o.describe()}"
                self._event("enb", "state", o.ue, enb=name, reason=reason)
            elif isinstance(o, enb_mod.KenbRefreshNeeded):
                self._event("enb", "state", o.ue, enb=name, reason="KeNB refresh needed")
            elif isinstance(o, enb_mod.InputRejected):
                self._event("enb", "state", o.ue, enb=name, reason=f"protocol error: {o.detail}")

    def _route_segw(self, outputs: Iterable[segw_mod.Output]) -> None:
        for o in outputs:
            self._segw_output(o)
            idi = getattr(o, "idi", None)  # the outputs about a tunnel name its IDi
            ue = self._idi_owner.get(idi) if isinstance(idi, bytes) else None
            if isinstance(o, segw_mod.SendXwap):
                self._message(o.enb, SEGW, "enb", "xwap", None, o.message.MESSAGE, o.pdu)
                self._route_enb(o.enb, self.enbs[o.enb].receive_xwap(SEGW, o.pdu, self.now))
            elif isinstance(o, segw_mod.PskStored):
                self._event(SEGW, "psk-stored", ue, idi=o.idi.hex(), phase=o.phase.value)
            elif isinstance(o, segw_mod.PskDeleted):
                self._event(SEGW, "psk-deleted", ue, idi=o.idi.hex(), reason=o.reason.describe())
            elif isinstance(o, segw_mod.IkeRejected):
                self._event(SEGW, "ike-rejected", ue, idi=o.idi.hex(), reason=o.reason.describe())
            elif isinstance(o, segw_mod.TunnelUp):
                self._event(SEGW, "ike-accepted", ue, idi=o.idi.hex())
                self._event(SEGW, "tunnel-up", ue, idi=o.idi.hex())
                enb = self._idi_enb.get(o.idi)
                if ue is not None and enb is not None:
                    # the evidence of the tunnel goes to the eNB that set it up (36.331
                    # 5.6.15.4 reports WLAN association only)
                    self._route_enb(enb, self.enbs[enb].tunnel_established(ue, self.now))
            elif isinstance(o, segw_mod.TunnelReleased):
                reason = o.reason.describe()
                self._event(SEGW, "tunnel-released", ue, idi=o.idi.hex(), reason=reason)

    def _route_ue(self, key: UeKey, outputs: Iterable[ue_mod.Output]) -> None:
        for o in outputs:
            self._ue_output(key, o)
            if isinstance(o, ue_mod.SendRrc):
                name = self.serving[key]
                self._message(name, "ue", "enb", "rrc", o.channel.value, o.message.MESSAGE, o.pdu)
                outputs_of_enb = self.enbs[name].receive_rrc(key, o.channel, o.pdu, self.now)
                self._route_enb(name, outputs_of_enb)
            elif isinstance(o, ue_mod.IkeStart):
                # after the outputs in hand (the reconfiguration complete goes first)
                self._schedule(self.now + self.ike_delay_s, functools.partial(self._run_ike, key))
            elif isinstance(o, ue_mod.PskStored):
                self._event("ue", "psk-stored", key, idi=o.idi.hex())
            elif isinstance(o, ue_mod.PskDeleted):
                reason = o.reason.describe()
                self._event("ue", "psk-deleted", key, idi=o.idi.hex(), reason=reason)
            elif isinstance(o, ue_mod.TunnelUp):
                self._event("ue", "tunnel-up", key, idi=o.idi.hex())
            elif isinstance(o, ue_mod.TunnelReleased):
                reason = o.reason.describe()
                self._event("ue", "tunnel-released", key, idi=o.idi.hex(), reason=reason)
            elif isinstance(o, ue_mod.InputRejected):
                self._event("ue", "state", key, reason=o.detail)
            elif isinstance(o, ue_mod.IkeFailed):
                self._event("ue", "state", key, reason=o.describe())

    def _segw_output(self, o: segw_mod.Output) -> None:
        """Called for every SeGW output before it is routed; a real IKE stack hooks in here."""

    def _ue_output(self, key: UeKey, o: ue_mod.Output) -> None:
        """Called for every UE output before it is routed; a real IKE stack hooks in here."""

    def _run_ike(self, key: UeKey) -> None:
        """The modelled IKE exchange between the UE and the SeGW (R1, R3)."""
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
        """Advance virtual time to ``t``, firing jobs and the nodes' timers in time order."""
        while True:
            timers = [e.next_timer() for e in self.enbs.values()]
            timers += [self.segw.next_timer(), self._jobs[0][0] if self._jobs else None]
            due = min((x for x in timers if x is not None), default=None)
            if due is None or due > t:
                break
            self.now = max(self.now, due)
            if self._jobs and self._jobs[0][0] <= self.now:
                heapq.heappop(self._jobs)[2]()
            for name, enb in self.enbs.items():
                self._route_enb(name, enb.handle_timer(self.now))
            self._route_segw(self.segw.handle_timer(self.now))
        self.now = max(self.now, t)

    def advance(self, dt: float) -> None:
        self.run_until(self.now + dt)

    # ---- the story's verbs ---------------------------------------------------------------

    def add_ue(
        self, key: UeKey, wlan_mac: bytes | None = None, kenb: bytes | None = None
    ) -> UeModel:
        """The UE, served by eNB ``A``, sharing ``kenb`` (default: the network's) with it."""
        if self.ues:
            raise InvalidFieldError("ue", "two eNBs, one UE: the story of one handover")
        self._kenbs[key] = bytes(kenb if kenb is not None else self.kenb)
        ue = self.ues[key] = UeModel(self._kenbs[key], wlan_mac or b"\x02\x00\x00\x00\x00\x01")
        self.serving[key] = "A"
        return ue

    def activate(self, key: UeKey, settle: float = 0.1) -> None:
        """The serving eNB sets up an LWIP tunnel for the UE (R1, R2)."""
        name = self.serving[key]
        kenb = KeyMaterial(self._kenbs[key])
        outputs = self.enbs[name].activate(key, kenb=kenb, wlan_mac=self.ues[key].wlan_mac,
                                           now=self.now)  # fmt: skip
        self._route_enb(name, outputs)
        self.advance(settle)

    def x2_handover(self, key: UeKey, target: str, new_kenb: bytes, settle: float = 0.1) -> None:
        """X2 handover of the UE from its serving eNB to ``target`` (R9, TS 33.401 16.5): the
        source releases the tunnel at the SeGW (LWIP RELEASE REQUEST) and, through the handover
        command, at the UE; both delete the LWIP-PSK. The source forgets the UE; the UE takes the
        target's KeNB. A tunnel through ``target`` is for :meth:`activate` to set up."""
        source = self.serving[key]
        if target == source or target not in self.enbs:
            raise InvalidFieldError("target", f"no handover from {source} to {target!r}")
        self._route_enb(source, self.enbs[source].handover(key, HandoverKind.X2, self.now))
        # The handover command: the UE releases LWIP on mobilityControlInfo (36.331 5.3.5.4).
        command = RrcConnectionReconfiguration(
            0, handover=HandoverCommand(_TARGET_PCI[target], 0x4321)
        )
        pdu = encode(command)
        self._message(source, "enb", "ue", "rrc", RrcChannel.DL_DCCH.value, command.MESSAGE, pdu)
        ue = self.ues[key]
        self.serving[key] = target
        for o in ue.receive_rrc(pdu, self.now):
            if isinstance(o, ue_mod.SendRrc):
                # The handover complete reaches the target's RRC; its LWIP has nothing to do
                # with it (no tunnel of this UE there yet), so it is recorded, not fed to it.
                self._message(target, "ue", "enb", "rrc", o.channel.value, o.message.MESSAGE,
                              o.pdu)  # fmt: skip
            else:
                self._route_ue(key, [o])
        self._route_enb(source, self.enbs[source].forget(key, self.now))
        ue.new_kenb(new_kenb)
        self._kenbs[key] = bytes(new_kenb)
        self.advance(settle)

    def traffic(self, key: UeKey, dst: str, protocol: int = 17, port: int | None = 2152) -> bool:
        """Would the SeGW forward this UE's packet to ``dst`` through its tunnel? (R6, R7)"""
        ue = self.ues[key]
        idi = ue.tunnel.idi if ue.tunnel is not None else b""
        allowed = self.segw.allows(idi, dst, protocol, port)
        self._event(SEGW, "traffic", key, dst=dst, protocol=protocol, port=port, allowed=allowed)
        return allowed


class RealTwoEnbs(TwoEnbs):
    """:class:`TwoEnbs` over strongSwan: the SeGW's and the UE's charon in a topology with two
    eNB namespaces; each tunnel's traffic selector is the LWIP address of the eNB that asked
    for it, and traffic is real pings from the UE's namespace."""

    def __init__(self, **kwargs: Any) -> None:
        self._edge = StrongswanEdge(Topology.two_enbs())
        try:
            self.topology = self._edge.topology
            sites = {"A": self.topology.sites["enb-a"], "B": self.topology.sites["enb-b"]}
            kwargs["segw_address"] = self.topology.segw_wlan  # what the UE is told (R2)
            kwargs["addresses"] = {n: (s.lwip, s.other) for n, s in sites.items()}
            # the CHILD_SA's traffic selector is the address, every protocol and port
            kwargs["interfaces"] = {n: EnbInterface(s.lwip) for n, s in sites.items()}
            super().__init__(**kwargs)
        except BaseException:
            self._edge.close()
            raise

    @property
    def segw_backend(self) -> SegwBackend:
        return self._edge.segw_backend

    @property
    def ue_backend(self) -> UeBackend:
        return self._edge.ue_backend

    def close(self) -> None:
        self._edge.close()

    def __enter__(self) -> RealTwoEnbs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _segw_output(self, o: segw_mod.Output) -> None:
        self._edge.segw_output(self.segw, o)

    def _ue_output(self, key: UeKey, o: ue_mod.Output) -> None:
        self._edge.ue_output(o)

    def _run_ike(self, key: UeKey) -> None:
        ue = self.ues.get(key)
        result = self._edge.run_ike(ue) if ue is not None else None
        if ue is None or result is None:
            return
        idi, failure = result
        if failure is not None:
            ue_key = self._idi_owner.get(idi)
            self._event(SEGW, "ike-rejected", ue_key, idi=idi.hex(), reason=failure)
            return
        self._route_segw(self.segw.tunnel_established(idi, self.now))
        if self.segw.tunnel_state(idi) is not None:
            self._route_ue(key, ue.ike_established(self.now))

    def traffic(self, key: UeKey, dst: str, protocol: int = 1, port: int | None = None) -> bool:
        """A real ping from the UE's namespace (R6, R7)."""
        allowed = self._edge.ping(dst)
        self._event(SEGW, "traffic", key, dst=dst, protocol=protocol, port=port, allowed=allowed)
        return allowed
