"""The eNB-side LWIP controller: sans-IO, many UEs, one or more LWIP-SeGWs.

Every input is a method call with ``now`` (seconds, any monotonic origin) and returns the list of
outputs it caused (:mod:`lwip_enb.core.outputs`): messages to send (``SendXwap``, ``SendRrc``, each
with its encoded bytes) and events for the caller. No sockets, no threads, no clock: timers are
read with :meth:`EnbController.next_timer` and fired with :meth:`EnbController.handle_timer`.

What happens on each (state, event) pair is in :mod:`lwip_enb.fsm`; this module carries it out.
"""

from __future__ import annotations

import enum
import heapq
import ipaddress
import logging
from collections.abc import Callable, Iterable
from typing import Final, TypeAlias

import attrs

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers, mac_address
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.codec.xwap import Cause, CriticalityDiagnostics, MessageKind
from lwip_enb.core.fsm import TRANSITIONS, Action, Event, State, lookup
from lwip_enb.core.outputs import (
    ActivationFailed,
    ActivationFailure,
    InputRejected,
    KenbRefreshNeeded,
    Output,
    PskDeleted,
    Rejection,
    ReleaseReason,
    ReleaseTrigger,
    SegwReady,
    SendRrc,
    SendXwap,
    StateChanged,
    TunnelReleased,
    TunnelUp,
    UeKey,
)
from lwip_enb.errors import (
    CounterExhaustedError,
    DecodeError,
    InvalidFieldError,
    UnknownSegwError,
    XwapIdExhaustedError,
)
from lwip_enb.keys import Idi, IdiAllocator, KeyMaterial, LwipSecurityContext

__all__ = [
    "EnbConfig",
    "EnbController",
    "HandoverKind",
    "HandoverUeRelease",
    "UeInfo",
]

log = logging.getLogger("lwip_enb.enb")

IpAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address


class HandoverKind(enum.Enum):
    S1 = "s1"
    X2 = "x2"


class HandoverUeRelease(enum.Enum):
    """How the UE learns that LWIP ends on handover (R9).

    ``IMPLICIT``: the UE releases LWIP itself when it executes the handover command
    (RRCConnectionReconfiguration with mobilityControlInfo, TS 36.331 5.3.5.4); the eNB sends
    nothing extra. ``EXPLICIT``: the eNB first sends ``lwip-Configuration release`` (5.6.17.3).
    """

    IMPLICIT = "implicit"
    EXPLICIT = "explicit"


@attrs.frozen(slots=True)
class EnbConfig:
    """Settings of the controller; the defaults suit a simulator."""

    global_enb_id: xwap.GlobalEnbId = attrs.field(
        factory=lambda: xwap.GlobalEnbId(b"\x00\xf1\x10", 0x1234)
    )
    xwap_guard_s: float = 5.0  # wait for LWIP ADDITION REQUEST ACKNOWLEDGE / REJECT
    rrc_guard_s: float = 5.0  # wait for RRCConnectionReconfigurationComplete
    handover_ue_release: HandoverUeRelease = HandoverUeRelease.IMPLICIT
    handover_cause: Cause = attrs.field(factory=lambda: Cause.radio_network("unspecified"))
    idi_allocator: Callable[[], IdiAllocator] = IdiAllocator
    #: Encode and decode RRC and XwAP through the codecs' hand-specialised fast paths (the same
    #: octets and messages); False sends every message through the general asn1tools codecs,
    #: for cross-checks and for measuring what the fast paths save.
    fast_codecs: bool = True


# --- per-UE and per-SeGW context -------------------------------------------------------------


class _Ue:
    __slots__ = (
        "counter",
        "drbs",
        "enb_ue_id",
        "guard_gen",
        "idi",
        "key",
        "security",
        "segw",
        "state",
        "tid",
        "wlan_ids",
        "wlan_mac",
        "wt_ue_id",
    )

    def __init__(self, key: UeKey) -> None:
        self.key = key
        self.state = State.IDLE
        self.security: LwipSecurityContext | None = None
        self.wlan_mac = b""
        self.drbs: tuple[rrc.DrbLwip, ...] = ()
        self.wlan_ids: tuple[WlanIdentifiers, ...] = ()
        self.segw = ""
        self.enb_ue_id: int | None = None
        self.wt_ue_id: int | None = None
        self.idi: Idi | None = None
        self.counter = 0
        self.tid = 0
        self.guard_gen = 0  # bumping it cancels the armed guard timer


@attrs.frozen(slots=True)
class UeInfo:
    """What the controller holds for one UE (:meth:`EnbController.ue_info`), without keys."""

    ue: UeKey
    state: State
    segw: str  # the SeGW of the current or last activation
    enb_ue_id: int | None
    wt_ue_id: int | None
    idi: Idi | None
    counter: int  # the LWIP counter of the current or last set-up
    counters_left: int  # LWIP counters left under the UE's KeNB; 0 when it holds none


@attrs.define(slots=True)
class _Segw:
    name: str
    address: IpAddress
    ready: bool = False
    ues: set[UeKey] = attrs.Factory(set)


_Reason: TypeAlias = "ReleaseReason | None"
_ActionFn: TypeAlias = (
    "Callable[[EnbController, _Ue, float, Cause | None, _Reason, list[Output]], State | None]"
)


def _plan(actions: dict[Action, _ActionFn]) -> dict[tuple[str, str], tuple[_ActionFn, State]]:
    """The state table with actions resolved: (state name, event name) -> (method, next state)."""
    return {
        (state._name_, event._name_): (actions[row.action], row.next_state)
        for (state, event), row in TRANSITIONS.items()
    }


#: The WLAN mobility configuration of an LWIP set-up without a WLAN mobility set: only
#: successReportRequested, so the UE reports its WLAN association, which makes the tunnel usable
#: here (36.331 5.6.15.4).
_REPORT_ONLY: Final = rrc.WlanMobilityConfig(success_report_requested=True)

#: The event a WLANConnectionStatusReport status makes; any other status is a failure.
_WLAN_EVENTS: Final = {
    WlanStatus.SUCCESSFUL_ASSOCIATION: Event.WLAN_SUCCESS,
    WlanStatus.RESUMED: Event.WLAN_RESUMED,
}

# The reasons a release can have, made once: a release storm allocates none.
_DEACTIVATED: Final = ReleaseReason(ReleaseTrigger.DEACTIVATED)
_HANDOVER: Final = {
    HandoverKind.S1: ReleaseReason(ReleaseTrigger.S1_HANDOVER),
    HandoverKind.X2: ReleaseReason(ReleaseTrigger.X2_HANDOVER),
}
_RADIO_LINK_FAILURE: Final = ReleaseReason(ReleaseTrigger.RADIO_LINK_FAILURE)
_UE_RADIO_LINK_FAILURE: Final = ReleaseReason(ReleaseTrigger.UE_RADIO_LINK_FAILURE)
_UE_NO_ANSWER: Final = ReleaseReason(ReleaseTrigger.UE_NO_ANSWER)
_SEGW_LOST: Final = ReleaseReason(ReleaseTrigger.SEGW_LOST)
_WLAN_LOST: Final = {
    status: ReleaseReason(ReleaseTrigger.WLAN_LOST, wlan_status=status)
    for status in WlanStatus
    if status not in _WLAN_EVENTS
}


class EnbController:
    """LWIP for many UEs on one eNB. See the module docstring for the calling convention."""

    def __init__(self, config: EnbConfig | None = None) -> None:
        self.config = config or EnbConfig()
        self._ues: dict[UeKey, _Ue] = {}
        self._segws: dict[str, _Segw] = {}
        self._by_enb_id: dict[int, _Ue] = {}
        self._next_enb_id = 0
        self._timers: list[tuple[float, int, UeKey, int]] = []
        self._seq = 0
        self._idis = self.config.idi_allocator()
        self._fast = self.config.fast_codecs  # passed to every encode and decode call
        # UEs forgotten while the SeGW's answer to their addition was due: dropped when it comes
        self._leaving: set[UeKey] = set()

    # ---- inspection ----------------------------------------------------------------------

    def state(self, ue: UeKey) -> State:
        ctx = self._ues.get(ue)
        return ctx.state if ctx is not None else State.IDLE

    def ues(self) -> Iterable[UeKey]:
        return tuple(self._ues)

    def idi(self, ue: UeKey) -> Idi | None:
        ctx = self._ues.get(ue)
        return ctx.idi if ctx is not None else None

    def segw_ready(self, segw: str) -> bool:
        s = self._segws.get(segw)
        return s is not None and s.ready

    def ue_info(self, ue: UeKey) -> UeInfo | None:
        """A snapshot of what is held for ``ue`` (ids, IDi, counters), or None: no context."""
        ctx = self._ues.get(ue)
        if ctx is None:
            return None
        left = ctx.security.counters_left if ctx.security is not None else 0
        return UeInfo(
            ue, ctx.state, ctx.segw, ctx.enb_ue_id, ctx.wt_ue_id, ctx.idi, ctx.counter, left
        )

    # ---- SeGWs ---------------------------------------------------------------------------

    def add_segw(self, name: str, address: IpAddress | str) -> None:
        """Declare an LWIP-SeGW: ``address`` is where UEs run IKEv2 to (sent to them in RRC)."""
        if name in self._segws:
            raise InvalidFieldError("segw", f"{name!r} already added")
        try:
            addr = ipaddress.ip_address(address)
        except ValueError:
            raise InvalidFieldError("segw_address", f"not an IP address: {address!r}") from None
        self._segws[name] = _Segw(name, addr)

    def segw_connected(self, segw: str, now: float) -> list[Output]:
        """The Xw association to ``segw`` is up: start Xw Setup."""
        self._segw(segw)
        msg = xwap.XwSetupRequest(self.config.global_enb_id)
        return [SendXwap(segw, msg, xwap.encode(msg, fast=self._fast))]

    def segw_lost(self, segw: str, now: float) -> list[Output]:
        """The association to ``segw`` is gone: every UE on it is released locally."""
        s = self._segw(segw)
        s.ready = False
        out: list[Output] = [SegwReady(segw, False)]
        for key in sorted(s.ues, key=repr):
            out += self._dispatch(self._ues[key], Event.SEGW_LOST, now, reason=_SEGW_LOST)
        return out

    def _segw(self, name: str) -> _Segw:
        try:
            return self._segws[name]
        except KeyError:
            raise UnknownSegwError(name) from None

    # ---- caller commands -----------------------------------------------------------------

    def activate(
        self,
        ue: UeKey,
        *,
        kenb: KeyMaterial | bytes,
        wlan_mac: bytes | str,
        now: float,
        drbs: Iterable[rrc.DrbLwip] = (),
        wlan_ids: Iterable[WlanIdentifiers] = (),
        segw: str | None = None,
    ) -> list[Output]:
        """Let ``ue`` use WLAN through an LWIP tunnel (R1, R2).

        ``kenb`` is the UE's current KeNB; a KeNB that differs from the one held opens a new
        LWIP counter space. Bad arguments raise :class:`~lwip_enb.errors.InvalidFieldError`.
        """
        mac = mac_address(wlan_mac)
        drb_tuple = tuple(drbs)
        wlan_tuple = tuple(wlan_ids)
        segw_name = segw if segw is not None else self._default_segw()
        self._segw(segw_name)
        ctx = self._ues.get(ue)
        if ctx is None:
            ctx = self._ues[ue] = _Ue(ue)
        if ctx.state is State.IDLE:
            if ctx.security is None:
                ctx.security = LwipSecurityContext(kenb)
            else:
                ctx.security.rekey(kenb)
            ctx.wlan_mac, ctx.drbs, ctx.wlan_ids, ctx.segw = mac, drb_tuple, wlan_tuple, segw_name
        return self._dispatch(ctx, Event.ACTIVATE, now)

    def deactivate(self, ue: UeKey, now: float) -> list[Output]:
        """Stop LWIP for ``ue``: release at SeGW and UE."""
        return self._command(ue, Event.DEACTIVATE, now, _DEACTIVATED)

    def handover(
        self,
        ue: UeKey,
        kind: HandoverKind,
        now: float,
        *,
        new_kenb: KeyMaterial | bytes | None = None,
    ) -> list[Output]:
        """S1 or X2 handover of ``ue`` (R9): the tunnel is released at SeGW and UE.

        With ``new_kenb`` (the UE stays served here, e.g. intra-eNB handover) the UE can be
        activated again under it; without, the UE's keys are forgotten.
        """
        if type(kind) is not HandoverKind:
            kind = HandoverKind(kind)
        out = self._command(ue, Event.HANDOVER, now, _HANDOVER[kind])
        ctx = self._ues.get(ue)
        if ctx is not None and ctx.security is not None:
            if new_kenb is not None:
                ctx.security.rekey(new_kenb)
            else:
                ctx.security.wipe()
                ctx.security = None
        return out

    def radio_link_failure(self, ue: UeKey, now: float) -> list[Output]:
        """The eNB detected an LTE radio link failure of ``ue`` (R10)."""
        return self._command(ue, Event.RADIO_LINK_FAILURE, now, _RADIO_LINK_FAILURE)

    def wlan_available(self, ue: UeKey, now: float) -> list[Output]:
        """WLAN is back for ``ue`` after a loss: set up a fresh tunnel (R11)."""
        return self._command(ue, Event.WLAN_AVAILABLE, now)

    def forget(self, ue: UeKey, now: float) -> list[Output]:
        """The UE left the eNB: release whatever is set up and drop all its state and keys.

        While an LWIP addition is outstanding the context stays until the SeGW's answer (or the
        guard timer) lets the addition be undone; it is dropped then.
        """
        out = self._command(ue, Event.DEACTIVATE, now, _DEACTIVATED) if ue in self._ues else []
        ctx = self._ues.get(ue)
        if ctx is not None:
            if ctx.state is State.IDLE:
                self._drop(ctx)
            else:
                self._leaving.add(ue)
        return out

    def _command(
        self, ue: UeKey, event: Event, now: float, reason: ReleaseReason | None = None
    ) -> list[Output]:
        ctx = self._ues.get(ue)
        if ctx is None:
            if lookup(State.IDLE, event) is not None:
                return []
            why = f"{event.value} for an unknown UE"
            return [InputRejected(ue, Rejection.UNKNOWN_UE, why, State.IDLE, event)]
        return self._dispatch(ctx, event, now, reason=reason)

    def _default_segw(self) -> str:
        if len(self._segws) != 1:
            raise InvalidFieldError(
                "segw",
                "name the SeGW: the controller has "
                + ("none" if not self._segws else f"{len(self._segws)}"),
            )
        return next(iter(self._segws))

    # ---- network inputs ------------------------------------------------------------------

    def receive_xwap(self, segw: str, data: bytes, now: float) -> list[Output]:
        """Bytes from the SeGW's Xw association. Never raises on bad bytes."""
        self._segw(segw)
        try:
            msg = xwap.decode(data, fast=self._fast)
        except DecodeError as exc:
            return self._xwap_decode_error(segw, exc)
        handler = self._XWAP_HANDLERS.get(type(msg))
        if handler is None:
            return self._unexpected_xwap(segw, msg, "not a message an eNB receives")
        return handler(self, segw, msg, now)

    def receive_rrc(
        self, ue: UeKey, channel: RrcChannel | str, data: bytes, now: float
    ) -> list[Output]:
        """Bytes from the UE on ``channel`` (UL-DCCH or UL-CCCH). Never raises on bad bytes."""
        try:
            msg = rrc.decode(channel, data, fast=self._fast)
        except DecodeError as exc:
            return [InputRejected(ue, Rejection.UNDECODABLE, f"undecodable RRC: {exc}", error=exc)]
        except InvalidFieldError as exc:
            return [InputRejected(ue, Rejection.BAD_CHANNEL, f"bad channel: {exc}")]
        ctx = self._ues.get(ue)
        if isinstance(msg, rrc.RrcConnectionReestablishmentRequest):
            return self._command(ue, Event.REESTABLISHMENT, now, _UE_RADIO_LINK_FAILURE)
        if ctx is None:
            why = f"{msg.MESSAGE} from a UE without LWIP"
            return [InputRejected(ue, Rejection.UNKNOWN_UE, why, message=msg.MESSAGE)]
        if isinstance(msg, rrc.RrcConnectionReconfigurationComplete):
            if ctx.state is State.CONFIGURING and msg.transaction_id != ctx.tid:
                return []  # completes another reconfiguration, not the LWIP set-up
            return self._dispatch(ctx, Event.RECONFIGURATION_COMPLETE, now)
        if isinstance(msg, rrc.WlanConnectionStatusReport):
            event = _WLAN_EVENTS.get(msg.status, Event.WLAN_FAILURE)
            return self._dispatch(ctx, event, now, reason=_WLAN_LOST.get(msg.status))
        why = f"{msg.MESSAGE} is not part of LWIP"
        return [InputRejected(ue, Rejection.NOT_LWIP, why, ctx.state, message=msg.MESSAGE)]

    # ---- XwAP handlers -------------------------------------------------------------------

    def _on_setup_response(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        self._segws[segw].ready = True
        return [SegwReady(segw, True)]

    def _on_setup_failure(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        self._segws[segw].ready = False
        return [SegwReady(segw, False)]

    def _on_reset(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        out = self.segw_lost(segw, now)
        self._segws[segw].ready = True  # a reset keeps the Xw association itself
        response = xwap.ResetResponse()
        pdu = xwap.encode(response, fast=self._fast)
        return [*out, SegwReady(segw, True), SendXwap(segw, response, pdu)]

    def _on_reset_response(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        return []

    def _ue_by_ids(
        self, segw: str, enb_ue_id: int | None, wt_ue_id: int | None, msg: xwap.XwapMessage
    ) -> _Ue | list[Output]:
        ctx = self._by_enb_id.get(enb_ue_id) if enb_ue_id is not None else None
        if ctx is None or ctx.segw != segw:
            cause = Cause.radio_network("unknown-eNB-UE-XwAP-ID")
            return self._error_indication(
                segw, Rejection.UNKNOWN_XWAP_IDS, enb_ue_id, wt_ue_id, cause, msg
            )
        if wt_ue_id is not None and ctx.wt_ue_id is not None and wt_ue_id != ctx.wt_ue_id:
            cause = Cause.radio_network("unknown-pair-of-UE-XwAP-ID")
            return self._error_indication(
                segw, Rejection.UNKNOWN_XWAP_IDS, enb_ue_id, wt_ue_id, cause, msg
            )
        return ctx

    def _on_addition_ack(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipAdditionRequestAcknowledge)
        found = self._ue_by_ids(segw, msg.enb_ue_id, None, msg)
        if isinstance(found, list):
            # An answer for nobody: make sure the SeGW does not keep a PSK for it.
            release = xwap.LwipReleaseRequest(
                msg.enb_ue_id, msg.wt_ue_id, Cause.radio_network("unknown-eNB-UE-XwAP-ID")
            )
            return [SendXwap(segw, release, xwap.encode(release, fast=self._fast))]
        found.wt_ue_id = msg.wt_ue_id
        return self._dispatch(found, Event.ADDITION_ACK, now)

    def _on_addition_reject(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipAdditionRequestReject)
        found = self._ue_by_ids(segw, msg.enb_ue_id, None, msg)
        if isinstance(found, list):
            return found
        return self._dispatch(found, Event.ADDITION_REJECT, now, cause=msg.cause)

    def _on_release_required(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipReleaseRequired)
        found = self._ue_by_ids(segw, msg.enb_ue_id, msg.wt_ue_id, msg)
        if isinstance(found, list):
            return found
        reason = ReleaseReason(ReleaseTrigger.SEGW_RELEASED, msg.cause)
        return self._dispatch(found, Event.RELEASE_REQUIRED, now, cause=msg.cause, reason=reason)

    def _on_error_indication(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.ErrorIndication)
        ctx = self._by_enb_id.get(msg.enb_ue_id) if msg.enb_ue_id is not None else None
        if ctx is None or ctx.segw != segw:
            return [
                InputRejected(
                    None,
                    Rejection.ERROR_INDICATION,
                    f"Error Indication from {segw}: {msg.cause}",
                    segw=segw,
                    message=msg.MESSAGE,
                    procedure=msg.procedure_code,
                    enb_ue_id=msg.enb_ue_id,
                    wt_ue_id=msg.wt_ue_id,
                    cause=msg.cause,
                )
            ]
        reason = ReleaseReason(ReleaseTrigger.SEGW_ERROR, msg.cause)
        return self._dispatch(ctx, Event.XWAP_ERROR, now, cause=msg.cause, reason=reason)

    _XWAP_HANDLERS: Final[
        dict[type, Callable[[EnbController, str, xwap.XwapMessage, float], list[Output]]]
    ] = {
        xwap.XwSetupResponse: _on_setup_response,
        xwap.XwSetupFailure: _on_setup_failure,
        xwap.Reset: _on_reset,
        xwap.ResetResponse: _on_reset_response,
        xwap.LwipAdditionRequestAcknowledge: _on_addition_ack,
        xwap.LwipAdditionRequestReject: _on_addition_reject,
        xwap.LwipReleaseRequired: _on_release_required,
        xwap.ErrorIndication: _on_error_indication,
    }

    def _error_indication(
        self,
        segw: str,
        kind: Rejection,
        enb_ue_id: int | None,
        wt_ue_id: int | None,
        cause: Cause,
        about: xwap.XwapMessage | None = None,
        diagnostics: CriticalityDiagnostics | None = None,
        detail: str = "",
        error: DecodeError | None = None,
    ) -> list[Output]:
        if diagnostics is None and about is not None:
            diagnostics = CriticalityDiagnostics(about.procedure_code, about.kind)
        msg = xwap.ErrorIndication(enb_ue_id, wt_ue_id, cause, diagnostics)
        rejected = InputRejected(
            None,
            kind,
            detail or f"Error Indication sent to {segw}: {cause}",
            segw=segw,
            message=about.MESSAGE if about is not None else None,
            procedure=diagnostics.procedure_code if diagnostics is not None else None,
            enb_ue_id=enb_ue_id,
            wt_ue_id=wt_ue_id,
            cause=cause,
            error=error,
        )
        return [SendXwap(segw, msg, xwap.encode(msg, fast=self._fast)), rejected]

    def _unexpected_xwap(self, segw: str, msg: xwap.XwapMessage, why: str) -> list[Output]:
        return self._error_indication(
            segw,
            Rejection.UNEXPECTED_MESSAGE,
            getattr(msg, "enb_ue_id", None),
            getattr(msg, "wt_ue_id", None),
            Cause.protocol("message-not-compatible-with-receiver-state"),
            msg,
            detail=f"{msg.MESSAGE} from {segw}: {why}",
        )

    def _xwap_decode_error(self, segw: str, exc: DecodeError) -> list[Output]:
        """36.463 clause 10: report what could not be understood, unless told to ignore it."""
        if exc.criticality == "ignore":
            why = f"ignored XwAP from {segw}: {exc}"
            return [
                InputRejected(
                    None,
                    Rejection.UNDECODABLE,
                    why,
                    segw=segw,
                    procedure=exc.procedure_code,
                    error=exc,
                )
            ]
        ies: tuple[xwap.IeDiagnostic, ...] = ()
        if exc.ie_id is not None and exc.criticality is not None and exc.type_of_error:
            ies = (xwap.IeDiagnostic(exc.criticality, exc.ie_id, exc.type_of_error),)
        diagnostics = None
        if exc.procedure_code is not None:
            diagnostics = CriticalityDiagnostics(
                exc.procedure_code,
                MessageKind(exc.triggering_message) if exc.triggering_message else None,
                xwap.Criticality(exc.procedure_criticality) if exc.procedure_criticality else None,
                ies,
            )
        return self._error_indication(
            segw,
            Rejection.UNDECODABLE,
            None,
            None,
            Cause.protocol(exc.cause),
            diagnostics=diagnostics,
            error=exc,
        )

    # ---- the state machine ---------------------------------------------------------------

    def _dispatch(
        self,
        ctx: _Ue,
        event: Event,
        now: float,
        *,
        cause: Cause | None = None,
        reason: ReleaseReason | None = None,
    ) -> list[Output]:
        old = ctx.state
        step = self._PLAN.get((old._name_, event._name_))
        if step is None:
            why = f"{event.value} not allowed in state {old.value}"
            return [InputRejected(ctx.key, Rejection.NO_TRANSITION, why, old, event)]
        action, table_next = step
        out: list[Output] = []
        try:
            next_state = action(self, ctx, now, cause, reason, out)
        except CounterExhaustedError:
            self._clear(ctx)
            ctx.state = State.IDLE
            out.append(KenbRefreshNeeded(ctx.key))
            next_state = State.IDLE
        new = ctx.state = table_next if next_state is None else next_state
        if new is not old:
            out.insert(0, StateChanged(ctx.key, old, new, event))
            if new is State.IDLE and ctx.key in self._leaving:
                self._drop(ctx)
        if log.isEnabledFor(logging.DEBUG):  # the arguments alone cost more than the check
            log.debug("ue %r: %s --%s--> %s", ctx.key, old.value, event.value, new.value)
        return out

    # Each action returns None (take the table's next state) or the state it had to fall back to.

    def _act_nothing(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        return None

    def _act_start_addition(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        segw = self._segws[ctx.segw]
        if not segw.ready:
            failure = ActivationFailure.NO_XW_ASSOCIATION
            out.append(ActivationFailed(ctx.key, failure, segw=ctx.segw))
            return State.IDLE if ctx.state is State.IDLE else ctx.state
        assert ctx.security is not None
        derived = ctx.security.next_psk()  # may raise CounterExhaustedError
        self._release_ids(ctx)
        ctx.enb_ue_id = self._allocate_enb_id(ctx)
        ctx.idi = self._idis.allocate()
        ctx.counter = derived.counter
        segw.ues.add(ctx.key)
        with derived:
            msg = xwap.LwipAdditionRequest(
                ctx.enb_ue_id,
                ctx.wlan_mac,
                xwap.SeGwSecurityInfo(derived.psk, ctx.idi.octets),
            )
            pdu = xwap.encode(msg, fast=self._fast)
        # The eNB's PSK copy is wiped now that it is in the PDU (R5).
        out.append(PskDeleted(ctx.key, derived.counter))
        out.append(SendXwap(ctx.segw, msg, pdu, ctx.key))
        self._arm(ctx, now + self.config.xwap_guard_s)
        return None

    def _act_send_rrc_setup(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        assert ctx.idi is not None
        ctx.tid = (ctx.tid + 1) % 4
        mobility = (
            rrc.WlanMobilityConfig(to_add=ctx.wlan_ids, success_report_requested=True)
            if ctx.wlan_ids
            else _REPORT_ONLY
        )
        msg = rrc.RrcConnectionReconfiguration.lwip_setup(
            ctx.tid,
            self._segws[ctx.segw].address,
            ctx.idi.octets,
            ctx.counter,
            mobility=mobility,
            drbs=ctx.drbs,
        )
        out.append(SendRrc(ctx.key, RrcChannel.DL_DCCH, msg, rrc.encode(msg, fast=self._fast)))
        self._arm(ctx, now + self.config.rrc_guard_s)
        return None

    def _act_activation_failed(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._clear(ctx)
        if reason is not None and reason.trigger is ReleaseTrigger.SEGW_ERROR:
            failure = ActivationFailure.SEGW_ERROR
        elif cause is not None:
            failure = ActivationFailure.REJECTED
        else:
            failure = ActivationFailure.NO_ANSWER
        if ctx.state is State.ADDING and not self._segws[ctx.segw].ready:
            failure = ActivationFailure.SEGW_LOST
        out.append(ActivationFailed(ctx.key, failure, cause, ctx.segw))
        return None

    def _act_abort_addition(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        why = _DEACTIVATED if reason is None else reason
        out.append(TunnelReleased(ctx.key, attrs.evolve(why, cancelled=True)))
        return None  # keep ids and the guard: the SeGW's answer is still due

    def _act_undo_addition(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        assert ctx.enb_ue_id is not None and ctx.wt_ue_id is not None
        msg = xwap.LwipReleaseRequest(
            ctx.enb_ue_id, ctx.wt_ue_id, Cause.radio_network("procedure-cancelled")
        )
        out.append(SendXwap(ctx.segw, msg, xwap.encode(msg, fast=self._fast), ctx.key))
        self._clear(ctx)
        return None

    def _act_cancelled(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._clear(ctx)
        return None

    def _act_ue_configured(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._disarm(ctx)
        return None

    def _act_tunnel_usable(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._disarm(ctx)
        out.append(TunnelUp(ctx.key))
        return None

    def _release_segw(self, ctx: _Ue, cause: Cause, out: list[Output]) -> None:
        if ctx.enb_ue_id is not None and ctx.wt_ue_id is not None:
            msg = xwap.LwipReleaseRequest(ctx.enb_ue_id, ctx.wt_ue_id, cause)
            out.append(SendXwap(ctx.segw, msg, xwap.encode(msg, fast=self._fast), ctx.key))

    def _release_ue(self, ctx: _Ue, out: list[Output]) -> None:
        ctx.tid = (ctx.tid + 1) % 4
        msg = rrc.RrcConnectionReconfiguration.lwip_release(ctx.tid)
        out.append(SendRrc(ctx.key, RrcChannel.DL_DCCH, msg, rrc.encode(msg, fast=self._fast)))

    def _act_release_both(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_segw(ctx, Cause.radio_network("unspecified"), out)
        self._release_ue(ctx, out)
        # No reason: the guard timer fired, the UE did not complete the reconfiguration.
        out.append(TunnelReleased(ctx.key, _UE_NO_ANSWER if reason is None else reason))
        self._clear(ctx)
        return None

    def _act_release_for_handover(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_segw(ctx, self.config.handover_cause, out)
        if self.config.handover_ue_release is HandoverUeRelease.EXPLICIT:
            self._release_ue(ctx, out)
        assert reason is not None
        out.append(TunnelReleased(ctx.key, reason))
        self._clear(ctx)
        return None

    def _act_release_after_rlf(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_segw(ctx, Cause.radio_network("radio-connection-with-UE-lost"), out)
        assert reason is not None
        out.append(TunnelReleased(ctx.key, reason))
        self._clear(ctx)
        return None

    def _act_release_for_wlan_loss(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_segw(ctx, Cause.radio_network("wLAN-not-available"), out)
        self._release_ue(ctx, out)
        assert reason is not None
        out.append(TunnelReleased(ctx.key, reason))
        self._clear(ctx)
        return None

    def _act_confirm_segw_release(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        assert ctx.enb_ue_id is not None and ctx.wt_ue_id is not None
        msg = xwap.LwipReleaseConfirm(ctx.enb_ue_id, ctx.wt_ue_id)
        out.append(SendXwap(ctx.segw, msg, xwap.encode(msg, fast=self._fast), ctx.key))
        self._release_ue(ctx, out)
        assert reason is not None
        out.append(TunnelReleased(ctx.key, reason))
        self._clear(ctx)
        return None

    def _act_release_local_and_ue(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_ue(ctx, out)
        assert reason is not None
        out.append(TunnelReleased(ctx.key, reason))
        self._clear(ctx)
        return None

    def _act_forget(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._clear(ctx)
        return None

    _ACTIONS: Final[dict[Action, _ActionFn]] = {
        Action.NOTHING: _act_nothing,
        Action.START_ADDITION: _act_start_addition,
        Action.SEND_RRC_SETUP: _act_send_rrc_setup,
        Action.ACTIVATION_FAILED: _act_activation_failed,
        Action.ABORT_ADDITION: _act_abort_addition,
        Action.UNDO_ADDITION: _act_undo_addition,
        Action.CANCELLED: _act_cancelled,
        Action.UE_CONFIGURED: _act_ue_configured,
        Action.TUNNEL_USABLE: _act_tunnel_usable,
        Action.RELEASE_BOTH: _act_release_both,
        Action.RELEASE_FOR_HANDOVER: _act_release_for_handover,
        Action.RELEASE_AFTER_RLF: _act_release_after_rlf,
        Action.RELEASE_FOR_WLAN_LOSS: _act_release_for_wlan_loss,
        Action.CONFIRM_SEGW_RELEASE: _act_confirm_segw_release,
        Action.RELEASE_LOCAL_AND_UE: _act_release_local_and_ue,
        Action.FORGET: _act_forget,
    }

    #: :data:`~lwip_enb.fsm.TRANSITIONS` with each action resolved to its method, keyed by the
    #: members' names: what :meth:`_dispatch` looks up on every input. (An enum member's hash
    #: is computed by Python code on each lookup; a name's hash is cached.)
    _PLAN: Final[dict[tuple[str, str], tuple[_ActionFn, State]]] = _plan(_ACTIONS)

    # ---- ids, timers, cleanup ------------------------------------------------------------

    def _allocate_enb_id(self, ctx: _Ue) -> int:
        for _ in range(xwap.UE_XWAP_ID_MAX + 1):
            candidate = self._next_enb_id
            self._next_enb_id = (candidate + 1) % (xwap.UE_XWAP_ID_MAX + 1)
            if candidate not in self._by_enb_id:
                self._by_enb_id[candidate] = ctx
                return candidate
        raise XwapIdExhaustedError("eNB")

    def _release_ids(self, ctx: _Ue) -> None:
        if ctx.enb_ue_id is not None:
            self._by_enb_id.pop(ctx.enb_ue_id, None)
        ctx.enb_ue_id = ctx.wt_ue_id = None
        if ctx.idi is not None:
            self._idis.release(ctx.idi)
            ctx.idi = None

    def _clear(self, ctx: _Ue) -> None:
        """Back to nothing set up: ids and IDi freed, guard cancelled."""
        self._disarm(ctx)
        self._release_ids(ctx)
        s = self._segws.get(ctx.segw)
        if s is not None:
            s.ues.discard(ctx.key)

    def _drop(self, ctx: _Ue) -> None:
        self._leaving.discard(ctx.key)
        self._clear(ctx)
        if ctx.security is not None:
            ctx.security.wipe()
        del self._ues[ctx.key]

    def _arm(self, ctx: _Ue, deadline: float) -> None:
        ctx.guard_gen += 1
        self._seq += 1
        heapq.heappush(self._timers, (deadline, self._seq, ctx.key, ctx.guard_gen))

    def _disarm(self, ctx: _Ue) -> None:
        ctx.guard_gen += 1

    def _live_timer(self, entry: tuple[float, int, UeKey, int]) -> bool:
        ctx = self._ues.get(entry[2])
        return ctx is not None and ctx.guard_gen == entry[3]

    def next_timer(self) -> float | None:
        """When :meth:`handle_timer` must next be called, or None."""
        while self._timers and not self._live_timer(self._timers[0]):
            heapq.heappop(self._timers)
        return self._timers[0][0] if self._timers else None

    def handle_timer(self, now: float) -> list[Output]:
        """Fire every guard timer due at ``now``."""
        out: list[Output] = []
        while self._timers and self._timers[0][0] <= now:
            entry = heapq.heappop(self._timers)
            if self._live_timer(entry):
                ctx = self._ues[entry[2]]
                ctx.guard_gen += 1
                out += self._dispatch(ctx, Event.GUARD_TIMEOUT, now)
        return out
