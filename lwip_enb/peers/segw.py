"""Reference LWIP-SeGW (the WT of XwAP), sans-IO: for harnesses and the demo.

It answers XwAP from eNBs, keeps IDi -> LWIP-PSK for the IKE window (R3, R4), authenticates the
UE's IKE with that PSK (R1), keeps the PSK while the tunnel lives and deletes it on every release
(R5, R9, R10, R11), and filters tunnel traffic to the initiating eNB's LWIP interface only (R6, R7).

Inputs are method calls with ``now``; each returns a list of outputs
(:mod:`lwip_enb.peers.segw_outputs`). Timers: :meth:`next_timer`, :meth:`handle_timer`.
"""

from __future__ import annotations

import enum
import heapq
import ipaddress
import logging
from typing import TypeAlias

import attrs

from lwip_enb.codec import xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import Cause, CriticalityDiagnostics
from lwip_enb.errors import DecodeError, InvalidFieldError
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers.ike import (
    ESP_PROPOSALS,
    IKE_PROPOSALS,
    IkeAuthRequest,
    IkeAuthResponse,
    ModelIke,
    choose,
)
from lwip_enb.peers.segw_outputs import (
    IkeRejected,
    IkeRejection,
    InputRejected,
    Output,
    PskDeleted,
    PskPhase,
    PskStored,
    Rejection,
    ReleaseReason,
    ReleaseTrigger,
    SendXwap,
    TunnelReleased,
    TunnelUp,
)

__all__ = [
    "EnbInterface",
    "SegwConfig",
    "SegwModel",
    "TunnelInfo",
    "TunnelState",
]

log = logging.getLogger("lwip_enb.segw")
IpAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address


@attrs.frozen(slots=True)
class EnbInterface:
    """The one interface of an eNB that LWIP traffic may reach (R7): address, and optionally
    protocol (IANA number) and port."""

    address: IpAddress = attrs.field(converter=ipaddress.ip_address)
    protocol: int | None = None
    port: int | None = None

    def allows(self, address: IpAddress, protocol: int, port: int | None) -> bool:
        if address != self.address:
            return False
        if self.protocol is not None and protocol != self.protocol:
            return False
        return self.port is None or port == self.port


@attrs.frozen(slots=True)
class SegwConfig:
    wt_id: xwap.WtId = attrs.field(factory=lambda: xwap.WtId(0x1, b"\x00\xf1\x10"))
    # offered for LWIP (WLAN Usage, 36.463 8.2.2): the eNB builds the UE's mobility set from it
    wlan_identifiers: tuple[WlanIdentifiers, ...] = (
        xwap.WlanInformation(ssid=b"lwip", usage=xwap.WlanUsage.LWA_AND_LWIP),
    )
    ike_window_s: float = 30.0  # R4: how long a PSK waits for the UE's IKE initiation
    release_on_window_expiry: bool = True  # tell the eNB (LWIP RELEASE REQUIRED) when it expires


class TunnelState(enum.Enum):
    """Where the tunnel of an IDi stands at the SeGW."""

    WAITING_IKE = "waiting-ike"
    UP = "up"


@attrs.frozen(slots=True)
class TunnelInfo:
    """What the SeGW holds for one IDi (:meth:`SegwModel.tunnels`), without the PSK."""

    idi: bytes
    enb: str
    enb_ue_id: int
    wt_ue_id: int
    state: TunnelState
    ike_deadline: float  # the end of the IKE window (R4); past it only an UP tunnel remains


_ENB_LOST = ReleaseReason(ReleaseTrigger.ENB_LOST)
_XW_RESET = ReleaseReason(ReleaseTrigger.XW_RESET)
_WINDOW_EXPIRED = ReleaseReason(ReleaseTrigger.IKE_WINDOW_EXPIRED)


class _Tunnel:
    __slots__ = ("deadline", "enb", "enb_ue_id", "idi", "psk", "state", "wt_ue_id")

    def __init__(
        self, enb: str, enb_ue_id: int, wt_ue_id: int, idi: bytes, psk: KeyMaterial, deadline: float
    ) -> None:
        self.enb, self.enb_ue_id, self.wt_ue_id = enb, enb_ue_id, wt_ue_id
        self.idi, self.psk, self.deadline = idi, psk, deadline
        self.state = TunnelState.WAITING_IKE


class SegwModel:
    """One LWIP-SeGW serving any number of eNBs."""

    def __init__(self, config: SegwConfig | None = None) -> None:
        self.config = config or SegwConfig()
        self._enbs: dict[str, EnbInterface] = {}
        self._ready: set[str] = set()
        self._by_idi: dict[bytes, _Tunnel] = {}
        self._by_wt_id: dict[int, _Tunnel] = {}
        self._next_wt_id = 0
        self._timers: list[tuple[float, int, bytes]] = []
        self._seq = 0
        self._nonces: set[bytes] = set()
        self._ike = ModelIke()

    # ---- inspection ----------------------------------------------------------------------

    def has_psk(self, idi: bytes) -> bool:
        return idi in self._by_idi

    def tunnel_state(self, idi: bytes) -> TunnelState | None:
        t = self._by_idi.get(idi)
        return t.state if t is not None else None

    def psk_count(self) -> int:
        return len(self._by_idi)

    def tunnels(self) -> tuple[TunnelInfo, ...]:
        """A snapshot of every IDi the SeGW holds a PSK for, waiting for IKE or up."""
        return tuple(
            TunnelInfo(t.idi, t.enb, t.enb_ue_id, t.wt_ue_id, t.state, t.deadline)
            for t in self._by_idi.values()
        )

    def enbs(self) -> tuple[str, ...]:
        """The names of the eNBs added with :meth:`add_enb`."""
        return tuple(self._enbs)

    def psk(self, idi: bytes) -> KeyMaterial | None:
        """The LWIP-PSK stored for ``idi`` (R3), to hand to a real IKE stack; None if none."""
        t = self._by_idi.get(idi)
        return t.psk if t is not None else None

    def enb_interface(self, idi: bytes) -> EnbInterface | None:
        """The LWIP interface of the eNB that asked for the tunnel of ``idi`` (R7)."""
        t = self._by_idi.get(idi)
        return self._enbs[t.enb] if t is not None else None

    # ---- eNBs ----------------------------------------------------------------------------

    def add_enb(self, name: str, lwip_interface: EnbInterface) -> None:
        """Accept an eNB whose LWIP traffic may go to ``lwip_interface`` only (R7)."""
        self._enbs[name] = lwip_interface

    def enb_lost(self, enb: str, now: float) -> list[Output]:
        """The Xw association to ``enb`` is gone: all its tunnels and PSKs go (R5)."""
        self._ready.discard(enb)
        return self._drop_enb(enb, _ENB_LOST)

    def _drop_enb(self, enb: str, reason: ReleaseReason) -> list[Output]:
        out: list[Output] = []
        for t in [t for t in self._by_idi.values() if t.enb == enb]:
            out += self._delete(t, reason)
        return out

    # ---- XwAP ----------------------------------------------------------------------------

    def receive_xwap(self, enb: str, data: bytes, now: float) -> list[Output]:
        if enb not in self._enbs:
            raise InvalidFieldError("enb", f"unknown eNB {enb!r}")
        try:
            msg = xwap.decode(data)
        except DecodeError as exc:
            if exc.criticality == "ignore":
                return [InputRejected(enb, Rejection.UNDECODABLE, f"ignored: {exc}", error=exc)]
            return [
                self._send(enb, xwap.ErrorIndication(cause=Cause.protocol(exc.cause))),
                InputRejected(enb, Rejection.UNDECODABLE, str(exc), error=exc),
            ]
        if isinstance(msg, xwap.XwSetupRequest):
            self._ready.add(enb)
            return [
                self._send(
                    enb, xwap.XwSetupResponse(self.config.wt_id, self.config.wlan_identifiers)
                )
            ]
        if isinstance(msg, xwap.Reset):
            out = self._drop_enb(enb, _XW_RESET)
            return [*out, self._send(enb, xwap.ResetResponse())]
        if isinstance(msg, xwap.LwipAdditionRequest):
            return self._on_addition(enb, msg, now)
        if isinstance(msg, xwap.LwipReleaseRequest):
            return self._on_release_request(enb, msg)
        if isinstance(msg, xwap.LwipReleaseConfirm):
            return []  # the PSK went when the release was required
        if isinstance(msg, xwap.ErrorIndication):
            t = self._by_wt_id.get(msg.wt_ue_id) if msg.wt_ue_id is not None else None
            if t is not None and t.enb == enb:
                return self._delete(t, ReleaseReason(ReleaseTrigger.ENB_ERROR, msg.cause))
            return [
                InputRejected(
                    enb,
                    Rejection.ERROR_INDICATION,
                    f"Error Indication from {enb}: {msg.cause}",
                    msg.cause,
                    msg.enb_ue_id,
                    msg.wt_ue_id,
                )
            ]
        if isinstance(msg, xwap.ResetResponse | xwap.LwipModificationRequest):
            return (
                []
                if isinstance(msg, xwap.ResetResponse)
                else [
                    self._send(
                        enb,
                        xwap.LwipModificationRequestReject(
                            msg.enb_ue_id, msg.wt_ue_id, Cause.misc("unspecified")
                        ),
                    )
                ]
            )
        diag = CriticalityDiagnostics(msg.procedure_code, msg.kind)
        cause = Cause.protocol("message-not-compatible-with-receiver-state")
        return [self._send(enb, xwap.ErrorIndication(cause=cause, criticality_diagnostics=diag))]

    def _on_addition(self, enb: str, msg: xwap.LwipAdditionRequest, now: float) -> list[Output]:
        idi = msg.security.idi
        if enb not in self._ready:
            return [
                self._send(
                    enb,
                    xwap.LwipAdditionRequestReject(
                        msg.enb_ue_id, Cause.protocol("message-not-compatible-with-receiver-state")
                    ),
                )
            ]
        if idi in self._by_idi:
            # An IDi must name one PSK only (R3); refuse rather than overwrite.
            return [
                self._send(
                    enb,
                    xwap.LwipAdditionRequestReject(
                        msg.enb_ue_id, Cause.radio_network("security-failure")
                    ),
                )
            ]
        wt_id = self._allocate_wt_id()
        psk = KeyMaterial(msg.security.psk.view())
        msg.security.psk.wipe()  # the decoded copy is not kept anywhere else
        t = _Tunnel(enb, msg.enb_ue_id, wt_id, idi, psk, now + self.config.ike_window_s)
        self._by_idi[idi] = t
        self._by_wt_id[wt_id] = t
        self._seq += 1
        heapq.heappush(self._timers, (t.deadline, self._seq, idi))
        ack = xwap.LwipAdditionRequestAcknowledge(msg.enb_ue_id, wt_id)
        return [PskStored(idi, PskPhase.WINDOW), self._send(enb, ack)]

    def _on_release_request(self, enb: str, msg: xwap.LwipReleaseRequest) -> list[Output]:
        t = self._by_wt_id.get(msg.wt_ue_id)
        if t is None or t.enb != enb or t.enb_ue_id != msg.enb_ue_id:
            cause = Cause.radio_network("unknown-pair-of-UE-XwAP-ID")
            return [self._send(enb, xwap.ErrorIndication(msg.enb_ue_id, msg.wt_ue_id, cause))]
        return self._delete(t, ReleaseReason(ReleaseTrigger.RELEASED_BY_ENB, msg.cause))

    def _allocate_wt_id(self) -> int:
        while True:
            candidate = self._next_wt_id
            self._next_wt_id = (candidate + 1) % (xwap.UE_XWAP_ID_MAX + 1)
            if candidate not in self._by_wt_id:
                return candidate

    def _send(self, enb: str, msg: xwap.XwapMessage) -> SendXwap:
        return SendXwap(enb, msg, xwap.encode(msg))

    def _delete(self, t: _Tunnel, reason: ReleaseReason) -> list[Output]:
        """Forget the tunnel: PSK wiped, IDi forgotten (R5)."""
        self._by_idi.pop(t.idi, None)
        self._by_wt_id.pop(t.wt_ue_id, None)
        t.psk.wipe()
        out: list[Output] = []
        if t.state is TunnelState.UP:
            out.append(TunnelReleased(t.idi, reason))
        out.append(PskDeleted(t.idi, reason))
        return out

    # ---- the WT's own release -----------------------------------------------------------

    def release(self, idi: bytes, cause: Cause, now: float) -> list[Output]:
        """WT-initiated release (36.463 8.17): e.g. the tunnel died because WLAN dropped (R11)."""
        t = self._by_idi.get(idi)
        if t is None:
            return []
        required = xwap.LwipReleaseRequired(t.enb_ue_id, t.wt_ue_id, cause)
        reason = ReleaseReason(ReleaseTrigger.RELEASED_BY_SEGW, cause)
        return [*self._delete(t, reason), self._send(t.enb, required)]

    # ---- IKE (R1, R3, R4) ----------------------------------------------------------------

    def ike_sa_init(self, now: float) -> bytes:
        """First exchange: the SeGW's nonce."""
        nonce = self._ike.new_nonce()
        self._nonces.add(nonce)
        return nonce

    def ike_auth(self, request: IkeAuthRequest, now: float) -> tuple[IkeAuthResponse, list[Output]]:
        """Second exchange: find the PSK by IDi (R3) and check the UE's proof of it (R1)."""
        if request.nonce_r not in self._nonces:
            return IkeAuthResponse(False, reason="unknown exchange"), [
                IkeRejected(request.idi, IkeRejection.NO_SA_INIT)
            ]
        self._nonces.discard(request.nonce_r)
        t = self._by_idi.get(request.idi)
        if t is None:
            return IkeAuthResponse(False, reason="unknown IDi"), [
                IkeRejected(request.idi, IkeRejection.UNKNOWN_IDI)
            ]
        if t.state is TunnelState.UP:
            return IkeAuthResponse(False, reason="tunnel exists"), [
                IkeRejected(request.idi, IkeRejection.TUNNEL_EXISTS)
            ]
        if now > t.deadline:
            # R4: past the window the PSK and IDi are gone and initiations are rejected.
            out = self._window_expired(t)
            return IkeAuthResponse(False, reason="window expired"), [
                IkeRejected(request.idi, IkeRejection.WINDOW_EXPIRED),
                *out,
            ]
        ike_choice = choose(request.ike_proposals, IKE_PROPOSALS, "ike")
        esp_choice = choose(request.esp_proposals, ESP_PROPOSALS, "esp")
        if ike_choice is None or esp_choice is None:
            # R8: every suite of the TS 33.210 profile, nothing outside it (NO_PROPOSAL_CHOSEN).
            return IkeAuthResponse(False, reason="no proposal chosen"), [
                IkeRejected(request.idi, IkeRejection.NO_PROPOSAL_CHOSEN)
            ]
        if not self._ike.verify_initiator(request, t.psk):
            return IkeAuthResponse(False, reason="authentication failed"), [
                IkeRejected(request.idi, IkeRejection.AUTHENTICATION_FAILED)
            ]
        t.state = TunnelState.UP
        response = self._ike.respond(request, t.psk, ike_choice, esp_choice)
        return response, [TunnelUp(t.idi), PskStored(t.idi, PskPhase.TUNNEL)]

    def tunnel_established(self, idi: bytes, now: float) -> list[Output]:
        """A real IKE stack (strongSwan) authenticated ``idi`` with its PSK: the tunnel is up.

        The same rules as :meth:`ike_auth` hold: unknown IDi or a closed window is a rejection,
        and the caller must tear the stack's SA down again.
        """
        t = self._by_idi.get(idi)
        if t is None:
            return [IkeRejected(idi, IkeRejection.UNKNOWN_IDI)]
        if t.state is TunnelState.UP:
            return []
        if now > t.deadline:
            return [IkeRejected(idi, IkeRejection.WINDOW_EXPIRED), *self._window_expired(t)]
        t.state = TunnelState.UP
        return [TunnelUp(t.idi), PskStored(t.idi, PskPhase.TUNNEL)]

    # ---- traffic policy (R6, R7) ---------------------------------------------------------

    def allows(self, idi: bytes, dst: IpAddress | str, protocol: int, port: int | None) -> bool:
        """May the UE of tunnel ``idi`` send to ``dst``? Only to its eNB's LWIP interface."""
        t = self._by_idi.get(idi)
        if t is None or t.state is not TunnelState.UP:
            return False
        return self._enbs[t.enb].allows(ipaddress.ip_address(dst), protocol, port)

    # ---- timers --------------------------------------------------------------------------

    def _window_expired(self, t: _Tunnel) -> list[Output]:
        out = self._delete(t, _WINDOW_EXPIRED)
        if self.config.release_on_window_expiry:
            required = xwap.LwipReleaseRequired(
                t.enb_ue_id, t.wt_ue_id, Cause.radio_network("unspecified")
            )
            out.append(self._send(t.enb, required))
        return out

    def next_timer(self) -> float | None:
        while self._timers:
            deadline, _, idi = self._timers[0]
            t = self._by_idi.get(idi)
            if t is not None and t.state is TunnelState.WAITING_IKE and t.deadline == deadline:
                return deadline
            heapq.heappop(self._timers)
        return None

    def handle_timer(self, now: float) -> list[Output]:
        out: list[Output] = []
        while (due := self.next_timer()) is not None and due <= now:
            _, _, idi = heapq.heappop(self._timers)
            out += self._window_expired(self._by_idi[idi])
        return out
