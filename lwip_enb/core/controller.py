"""The eNB-side LWIP controller: sans-IO, many UEs, one or more LWIP-SeGWs.

Every input is a method call with ``now`` (seconds, any monotonic origin) and returns the list of
outputs it caused (:mod:`lwip_enb.core.outputs`): messages to send (``SendXwap``, ``SendRrc``, each
with its encoded bytes) and events for the caller. No sockets, no threads, no clock: timers are
read with :meth:`EnbController.next_timer` and fired with :meth:`EnbController.handle_timer`.

What happens on each (state, event) pair is in :mod:`lwip_enb.fsm`; this module carries it out.
"""

from __future__ import annotations

import enum
import functools
import heapq
import ipaddress
import logging
from collections.abc import Callable, Iterable
from typing import Final, TypeAlias

import attrs

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers, mac_address
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.codec.rrc.messages import ASSOCIATION_TIMERS_S
from lwip_enb.codec.xwap import (
    Cause,
    CauseGroup,
    CriticalityDiagnostics,
    GtpTunnelEndpoint,
    MessageKind,
    WlanInformation,
)
from lwip_enb.core.counters import (
    ACTIVATION_FAILURES,
    ACTIVATIONS,
    CANCELLED,
    RELEASES,
    Counters,
)
from lwip_enb.core.fsm import TRANSITIONS, Action, Event, State, lookup
from lwip_enb.core.outputs import (
    ActivationFailed,
    ActivationFailure,
    ErrorIndicationReceived,
    InputRejected,
    KenbRefreshNeeded,
    LwipModified,
    ModificationFailed,
    ModificationFailure,
    Output,
    PeerPdu,
    PskDeleted,
    Rejection,
    ReleaseReason,
    ReleaseTrigger,
    ResetAcknowledged,
    SegwReady,
    SegwWlansUpdated,
    SendRrc,
    SendXwap,
    StateChanged,
    TunnelReleased,
    TunnelUp,
    UeKey,
    WlanMeasurementReported,
    WlanResumed,
    WlanSuspended,
    XwSetupFailed,
)
from lwip_enb.errors import (
    CounterExhaustedError,
    DecodeError,
    InvalidFieldError,
    UnknownSegwError,
    XwapIdExhaustedError,
)
from lwip_enb.keys import Idi, IdiAllocator, KenbMemory, KeyMaterial, LwipSecurityContext

__all__ = [
    "EnbConfig",
    "EnbController",
    "HandoverKind",
    "HandoverUeRelease",
    "Interworking",
    "UeInfo",
]

log = logging.getLogger("lwip_enb.enb")


IpAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address


class HandoverKind(enum.Enum):
    S1 = "s1"
    X2 = "x2"


class Interworking(enum.Enum):
    """What else the caller may have configured for a UE that excludes LWIP: "E-UTRAN does not
    simultaneously configure LWIP with DC, LWA or RCLWI for a UE" (TS 36.331 6.2.2,
    lwip-Configuration field description). The library configures none of them, so the caller
    says which are configured (``activate(..., configured=...)``)."""

    DC = "dc"
    LWA = "lwa"
    RCLWI = "rclwi"


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
    xwap_guard_s: float = 5.0  # wait for the answer to LWIP ADDITION / MODIFICATION REQUEST
    xw_setup_guard_s: float = 5.0  # wait for XW SETUP RESPONSE / FAILURE, then ask again
    #: after XW SETUP FAILURE without Time To Wait, ask again after this long (36.463 8.2.3)
    xw_setup_retry_s: float = 10.0
    xw_reset_guard_s: float = 5.0  # wait for RESET RESPONSE to the eNB's RESET, then resend
    rrc_guard_s: float = 5.0  # wait for RRCConnectionReconfigurationComplete
    #: associationTimer (T351) sent in every LWIP set-up (36.331 5.6.17.2, 5.6.15.3), seconds:
    #: one of 10, 30, 60, 120, 240 (WLAN-MobilityConfig associationTimer-r13)
    association_timer_s: int = attrs.field(default=10)
    #: the eNB's own guard in CONFIGURED: T351 plus this much (the UE starts T351 on reception of
    #: the set-up, before its completion reaches the eNB), so a UE that reports failureTimeout
    #: is released on its report and a silent one by this guard
    association_guard_margin_s: float = 2.0
    #: the eNB's guard in ASSOCIATED: after the UE reported ``successfulAssociation``, how long
    #: the eNB waits for :meth:`EnbController.tunnel_established` (the UE's IKEv2 with the SeGW
    #: succeeded) before it releases LWIP at both ends (TS 36.331 5.6.15.4 reports association
    #: only; TS 36.300 22A.3: the tunnel is IPsec, which RRC does not report). Longer than the
    #: reference SeGW's IKE window (30 s): where the SeGW applies one (R4), its expiry, which
    #: deletes PSK and IDi and asks for the release, ends an unused set-up first
    tunnel_guard_s: float = 40.0
    #: where RRC transaction identifiers come from: called with the UE key, returns 0..3. None: a
    #: private per-UE counter. A harness with its own RRC procedures gives its allocator here so
    #: that the library's reconfigurations never take an identifier it has outstanding.
    rrc_transaction_ids: Callable[[UeKey], int] | None = None
    #: a string ("explicit") is turned into the enum here: compared by identity later, an
    #: unconverted string would silently mean IMPLICIT
    handover_ue_release: HandoverUeRelease = attrs.field(
        default=HandoverUeRelease.IMPLICIT, converter=HandoverUeRelease
    )
    handover_cause: Cause = attrs.field(factory=lambda: Cause.radio_network("unspecified"))
    idi_allocator: Callable[[], IdiAllocator] = IdiAllocator
    #: when a UE's LWIP counter is used up under its KeNB: called with the UE key, returns the
    #: new KeNB and the handover command of an intra-eNB handover, which the controller then
    #: carries out as :meth:`EnbController.refresh_kenb` does. None: only KenbRefreshNeeded.
    kenb_refresh: Callable[[UeKey], tuple[KeyMaterial | bytes, rrc.HandoverCommand]] | None = None
    #: ``wlan-SuspendConfig-r14`` put in the ``lwip-MobilityConfig`` of every LWIP set-up (36.331
    #: WLAN-MobilityConfig, 6.3.5 WLAN-SuspendConfig); None (the default) sends none, and then
    #: ``suspended``/``resumed`` from the UE are protocol errors. ``activate(wlan_suspend=...)``
    #: overrides it per UE. 36.331 5.6.17.2 does not list it among what the UE takes from
    #: ``lwip-MobilityConfig`` (5.6.14.2 does, for LWA): a UE may ignore it (docs/rrc.md).
    wlan_suspend: rrc.WlanSuspendConfig | None = attrs.field(default=None)
    #: Encode and decode RRC and XwAP through the codecs' hand-specialised fast paths (the same
    #: octets and messages); False sends every message through the general asn1tools codecs,
    #: for cross-checks and for measuring what the fast paths save.
    fast_codecs: bool = True

    @association_timer_s.validator
    def _check_association_timer(self, _attr: object, value: int) -> None:
        if value not in ASSOCIATION_TIMERS_S:
            raise InvalidFieldError(
                "association_timer_s",
                f"must be one of {ASSOCIATION_TIMERS_S}, got {value}",
            )

    @wlan_suspend.validator
    def _check_wlan_suspend(self, _attr: object, value: object) -> None:
        _suspend_config(value)


def _suspend_config(value: object) -> rrc.WlanSuspendConfig | None:
    if value is not None and not isinstance(value, rrc.WlanSuspendConfig):
        raise InvalidFieldError("wlan_suspend", f"must be a WlanSuspendConfig, got {value!r}")
    return value


# --- per-UE and per-SeGW context -------------------------------------------------------------


class _Ue:
    __slots__ = (
        "counter",
        "drbs",
        "enb_gtp",
        "enb_ue_id",
        "guard_gen",
        "handover",
        "idi",
        "key",
        "meas",
        "pending",
        "security",
        "segw",
        "segw_gtp",
        "serving_plmn",
        "state",
        "suspend",
        "tid",
        "tid_seq",
        "tids_sent",
        "wlan_ids",
        "wlan_ids_from_segw",
        "wlan_mac",
        "wlan_suspended",
        "wt_ue_id",
    )

    def __init__(self, key: UeKey) -> None:
        self.key = key
        self.state = State.IDLE
        self.security: LwipSecurityContext | None = None
        self.wlan_mac = b""
        self.drbs: tuple[rrc.DrbLwip, ...] = ()
        self.wlan_ids: tuple[WlanIdentifiers, ...] = ()
        #: the caller gave no mobility set: it is taken from the SeGW's LWIP WLANs at each
        #: addition (36.331 WLAN-MobilityConfig: E-UTRAN configures at least one WLAN)
        self.wlan_ids_from_segw = False
        #: transaction ids of the reconfigurations the library sent and not yet seen completed
        self.tids_sent: set[int] = set()
        self.segw = ""
        self.enb_ue_id: int | None = None
        self.wt_ue_id: int | None = None
        self.idi: Idi | None = None
        self.counter = 0
        self.tid = 0  # of the last LWIP reconfiguration (the set-up's, in CONFIGURING)
        self.tid_seq = 0  # the private counter transaction ids come from
        self.guard_gen = 0  # bumping it cancels the armed guard timer
        #: the intra-eNB handover command the next LWIP set-up goes in (refresh_kenb)
        self.handover: rrc.HandoverCommand | None = None
        self.serving_plmn: bytes | None = None  # optional IEs of LWIP ADDITION REQUEST (8.14.2)
        self.enb_gtp: GtpTunnelEndpoint | None = None
        self.segw_gtp: GtpTunnelEndpoint | None = None  # from the ACK; "shall" be used (8.14.2)
        # the modification outstanding (8.15): new mobility set (None: unchanged) and PLMN
        self.pending: tuple[tuple[WlanIdentifiers, ...] | None, bytes | None] | None = None
        #: the wlan-SuspendConfig of the UE's set-ups (36.331 5.6.15.4), None: none sent
        self.suspend: rrc.WlanSuspendConfig | None = None
        #: the UE's last WLAN status report was ``suspended`` (36.331 5.6.15.4)
        self.wlan_suspended = False
        #: the WLAN measurements the library configured (36.331 5.5.2), None: none
        self.meas: _WlanMeasurements | None = None


class _WlanMeasurements:
    """What the UE was told to measure (36.331 5.5.2, VarMeasConfig as far as the library set
    it): measurement objects, reporting configurations and the measIds linking them."""

    __slots__ = ("ids", "objects", "reports")

    def __init__(self) -> None:
        self.objects: set[int] = set()
        self.reports: dict[int, rrc.WlanEvent] = {}
        self.ids: dict[int, int] = {}  # measId -> reportConfigId

    def apply(self, config: rrc.WlanMeasConfig) -> _WlanMeasurements:
        """A copy with ``config`` applied (5.5.2.2-5.5.2.5), or InvalidFieldError for a measId
        that names an object or a reporting configuration the UE does not hold."""
        new = _WlanMeasurements()
        new.objects = self.objects | {o.meas_object_id for o in config.meas_objects}
        new.reports = dict(self.reports)
        new.reports.update((r.report_config_id, r.event) for r in config.report_configs)
        new.ids = {k: v for k, v in self.ids.items() if k not in config.meas_ids_to_remove}
        for m in config.meas_ids:
            if m.meas_object_id not in new.objects or m.report_config_id not in new.reports:
                raise InvalidFieldError(
                    "meas_ids",
                    f"measId {m.meas_id} links object {m.meas_object_id} and reporting "
                    f"configuration {m.report_config_id}, not both configured (36.331 5.5.2.3)",
                )
            new.ids[m.meas_id] = m.report_config_id
        return new

    def event_of(self, meas_id: int) -> rrc.WlanEvent | None:
        report = self.ids.get(meas_id)
        return None if report is None else self.reports.get(report)


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
    #: the LWIP-SeGW GTP Tunnel Endpoint of the SeGW's acknowledge (36.463 8.14.2), if any
    segw_gtp_endpoint: GtpTunnelEndpoint | None = None
    mobility_set: tuple[WlanIdentifiers, ...] = ()  # the WLANs the UE and the SeGW were given
    #: the UE's last WLAN status report was ``suspended`` (36.331 5.6.15.4)
    wlan_suspended: bool = False


class _Link(enum.Enum):
    """Where the Xw interface with one SeGW stands."""

    DOWN = "down"  # no association (never up, or lost)
    SETUP_SENT = "setup-sent"  # XW SETUP REQUEST sent, answer due (guard)
    SETUP_FAILED = "setup-failed"  # XW SETUP FAILURE: waiting to ask again (8.2.3)
    READY = "ready"  # Xw Setup done
    RESETTING = "resetting"  # the eNB sent RESET, RESET RESPONSE due (8.7)


_LINK_FAILURES: Final = {
    _Link.DOWN: ActivationFailure.NO_XW_ASSOCIATION,
    _Link.SETUP_SENT: ActivationFailure.XW_SETUP_PENDING,
    _Link.SETUP_FAILED: ActivationFailure.XW_SETUP_FAILED,
    _Link.RESETTING: ActivationFailure.XW_RESET_ONGOING,
}


@attrs.define(slots=True)
class _Segw:
    name: str
    address: IpAddress
    link: _Link = _Link.DOWN
    ues: set[UeKey] = attrs.Factory(set)
    #: the WLANs of Xw Setup / WT Configuration Update, with their WLAN Usage (8.2.2, 8.3.2)
    wlans: tuple[WlanInformation, ...] = ()
    timer_gen: int = 0  # bumping it cancels the SeGW's armed timer
    reset_cause: Cause | None = None  # of the eNB's RESET, resent if unanswered

    @property
    def ready(self) -> bool:
        return self.link is _Link.READY

    def offers_for_lwip(self, wlan: WlanIdentifiers) -> bool:
        """Did the SeGW offer ``wlan`` with a WLAN Usage, i.e. for LWIP (36.463 8.2.2)?"""
        return any(w.for_lwip and w.covers(wlan) for w in self.wlans)


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


#: The event a WLANConnectionStatusReport status makes; any other status is a failure.
_WLAN_EVENTS: Final = {
    WlanStatus.SUCCESSFUL_ASSOCIATION: Event.WLAN_SUCCESS,
    WlanStatus.SUSPENDED: Event.WLAN_SUSPENDED,
    WlanStatus.RESUMED: Event.WLAN_RESUMED,
}

# The reasons a release can have, made once: a release storm allocates none.
_DEACTIVATED: Final = ReleaseReason(ReleaseTrigger.DEACTIVATED)
#: the same reason for forget(): equal to _DEACTIVATED, but a UE that left is sent nothing
_FORGOTTEN: Final = ReleaseReason(ReleaseTrigger.DEACTIVATED)
_HANDOVER: Final = {
    HandoverKind.S1: ReleaseReason(ReleaseTrigger.S1_HANDOVER),
    HandoverKind.X2: ReleaseReason(ReleaseTrigger.X2_HANDOVER),
}
_RADIO_LINK_FAILURE: Final = ReleaseReason(ReleaseTrigger.RADIO_LINK_FAILURE)
_UE_RADIO_LINK_FAILURE: Final = ReleaseReason(ReleaseTrigger.UE_RADIO_LINK_FAILURE)
_UE_NO_ANSWER: Final = ReleaseReason(ReleaseTrigger.UE_NO_ANSWER)
_ASSOCIATION_TIMEOUT: Final = ReleaseReason(ReleaseTrigger.ASSOCIATION_TIMEOUT)
_TUNNEL_TIMEOUT: Final = ReleaseReason(ReleaseTrigger.TUNNEL_TIMEOUT)
_RRC_RELEASED: Final = ReleaseReason(ReleaseTrigger.RRC_CONNECTION_RELEASED)
_KENB_REFRESH: Final = ReleaseReason(ReleaseTrigger.KENB_REFRESH)
#: the reason of a guard timer's release, by the state it fired in (None: the UE's RRC guard)
_GUARD_REASONS: Final = {
    State.CONFIGURED: _ASSOCIATION_TIMEOUT,
    State.ASSOCIATED: _TUNNEL_TIMEOUT,
}
_SEGW_LOST: Final = ReleaseReason(ReleaseTrigger.SEGW_LOST)
_ENB_RESET: Final = ReleaseReason(ReleaseTrigger.ENB_RESET)
#: How a release reason ends an outstanding addition (:class:`ActivationFailure`).
_FAILURES_BY_TRIGGER: Final = {
    ReleaseTrigger.SEGW_ERROR: ActivationFailure.SEGW_ERROR,
    ReleaseTrigger.XWAP_ID_ERROR: ActivationFailure.XWAP_ID_ERROR,
    ReleaseTrigger.SEGW_LOST: ActivationFailure.SEGW_LOST,
    ReleaseTrigger.ENB_RESET: ActivationFailure.ENB_RESET,
}

#: Error Indication causes that say the UE XwAP ids were wrong (36.463 8.6.2, clause 10): both
#: nodes release the connection locally (36.413 10.6). Values, not Causes: building a Cause
#: reads the ASN.1, which importing this module must not do.
_AP_ID_CAUSES: Final = frozenset(
    (CauseGroup.RADIO_NETWORK, v)
    for v in (
        "unknown-eNB-UE-XwAP-ID",
        "unknown-WT-UE-XwAP-ID",
        "unknown-pair-of-UE-XwAP-ID",
        "wrong-wlan-interworking-mode",
    )
)
#: The cause of an Error Indication that reports IEs ignored and notified (36.463 9.2.6): the
#: sender went on with the procedure.
_IGNORED_AND_NOTIFIED: Final = (CauseGroup.PROTOCOL, "abstract-syntax-error-ignore-and-notify")


def _is(cause: Cause | None, value: tuple[CauseGroup, str]) -> bool:
    return cause is not None and (cause.group, cause.value) == value


def _not_compatible() -> Cause:
    return Cause.protocol("message-not-compatible-with-receiver-state")


#: The procedure an answer from the SeGW belongs to, by the UE's state (36.463 9.3.7 codes).
_OUTSTANDING: Final = {
    State.ADDING: "LWIPAdditionRequest",
    State.CANCELLING: "LWIPAdditionRequest",
    State.MODIFYING: "LWIPModificationRequest",
}


#: What may come before Xw Setup is done (36.463 8.2.4); an Error Indication is never answered.
_BEFORE_SETUP: Final = (xwap.XwSetupResponse, xwap.XwSetupFailure, xwap.ErrorIndication)
#: Initiating messages whose response carries Criticality Diagnostics (36.413 10.3.4.2).
_ANSWERED_WITH_DIAGNOSTICS: Final = (
    xwap.Reset,
    xwap.LwipReleaseRequired,
    xwap.WtConfigurationUpdate,
)
_ANSWERS: Final = (MessageKind.SUCCESSFUL.value, MessageKind.UNSUCCESSFUL.value)


def _procedure_code(message: str) -> int:
    return xwap.messages.message_info(message).procedure_code


def _inside(wlan: WlanIdentifiers, entry: WlanIdentifiers) -> bool:
    """36.331 5.6.15.1: ``wlan`` matches all identifiers of mobility set entry ``entry``."""
    given = [
        (mine, theirs)
        for mine, theirs in (
            (wlan.ssid, entry.ssid),
            (wlan.bssid, entry.bssid),
            (wlan.hessid, entry.hessid),
        )
        if theirs is not None
    ]
    return bool(given) and all(mine == theirs for mine, theirs in given)


def _same_wlan(a: WlanIdentifiers, b: WlanIdentifiers) -> bool:
    return (a.ssid, a.bssid, a.hessid) == (b.ssid, b.bssid, b.hessid)


def _deleted_by(wlan: WlanIdentifiers, gone: WlanIdentifiers) -> bool:
    """Does a WLAN Identifiers To Delete Extension item (SSID and/or HESSID) name ``wlan``?"""
    named = [
        (mine, theirs) for mine, theirs in ((wlan.ssid, gone.ssid), (wlan.hessid, gone.hessid))
    ]
    given = [(mine, theirs) for mine, theirs in named if theirs is not None]
    return bool(given) and all(mine == theirs for mine, theirs in given)


def _wlan_set(wlan_ids: Iterable[WlanIdentifiers]) -> tuple[WlanIdentifiers, ...]:
    out = tuple(wlan_ids)
    if not all(isinstance(w, WlanIdentifiers) for w in out):
        raise InvalidFieldError("wlan_ids", "entries must be WlanIdentifiers")
    return out


def _plmn(value: bytes | None) -> bytes | None:
    if value is not None and (not isinstance(value, bytes) or len(value) != 3):
        raise InvalidFieldError("serving_plmn", "must be 3 octets (PLMN-Identity)")
    return value


def _capability(value: rrc.UeLwipCapability | bytes | None) -> rrc.UeLwipCapability | None:
    if value is None or isinstance(value, rrc.UeLwipCapability):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        try:
            return rrc.decode_eutra_capability(bytes(value))
        except DecodeError as exc:
            raise InvalidFieldError("capability", f"not a UE-EUTRA-Capability: {exc}") from None
    raise InvalidFieldError("capability", "must be a UeLwipCapability or its container octets")


def _interworking(values: Iterable[Interworking | str]) -> frozenset[Interworking]:
    try:
        return frozenset(Interworking(v) for v in values)
    except ValueError as exc:
        raise InvalidFieldError("configured", f"DC, LWA or RCLWI: {exc}") from None


def _peer_pdu(msg: xwap.XwapMessage) -> PeerPdu:
    return PeerPdu(
        msg.MESSAGE,
        msg.procedure_code,
        getattr(msg, "enb_ue_id", None),
        getattr(msg, "wt_ue_id", None),
        getattr(msg, "cause", None),
    )


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
        self._segw_timers: list[tuple[float, int, str, int]] = []  # Xw Setup and Reset guards
        # criticality diagnostics of notify IEs, for the response to the message being handled
        # (36.413 10.3.4.2: "report in the response message of the procedure")
        self._response_diagnostics: CriticalityDiagnostics | None = None
        self._seq = 0
        self._idis = self.config.idi_allocator()
        # the last LWIP counter under each KeNB this eNB used, so that a KeNB coming back (after
        # forget, or a UE going A -> B -> A) never reuses a counter (TS 33.401 freshness)
        self._kenb_memory = KenbMemory()
        self._fast = self.config.fast_codecs  # passed to every encode and decode call
        # UEs forgotten while the SeGW's answer to their addition was due: dropped when it comes
        self._leaving: set[UeKey] = set()
        #: activations, failures, releases, PDUs and Error Indications (:meth:`Counters.snapshot`)
        self.counters = Counters()

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

    def segw_wlans(self, segw: str) -> tuple[WlanInformation, ...]:
        """The WLANs ``segw`` offered in Xw Setup and WT Configuration Updates, with their WLAN
        Usage (36.463 8.2.2, 8.3.2); LWIP is configured only on those with one."""
        return self._segw(segw).wlans

    def ue_info(self, ue: UeKey) -> UeInfo | None:
        """A snapshot of what is held for ``ue`` (ids, IDi, counters), or None: no context."""
        ctx = self._ues.get(ue)
        if ctx is None:
            return None
        left = ctx.security.counters_left if ctx.security is not None else 0
        return UeInfo(
            ue,
            ctx.state,
            ctx.segw,
            ctx.enb_ue_id,
            ctx.wt_ue_id,
            ctx.idi,
            ctx.counter,
            left,
            ctx.segw_gtp,
            ctx.wlan_ids,
            ctx.wlan_suspended,
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
        """The Xw association to ``segw`` is up: start Xw Setup (36.463 8.2), with a guard.

        Xw Setup "also resets the Xw interface" (8.2.1): UEs still held for ``segw`` (Xw Setup
        again on a live association) are released locally, as the WT releases them."""
        s = self._segw(segw)
        out = self._release_all(s, now, _ENB_RESET) if s.ues else []
        return out + self._send_setup_request(s, now)

    def _send_setup_request(self, s: _Segw, now: float) -> list[Output]:
        s.link = _Link.SETUP_SENT
        self._arm_segw(s, now + self.config.xw_setup_guard_s)
        msg = xwap.XwSetupRequest(self.config.global_enb_id)
        return [self._xwap(s.name, msg)]

    def segw_lost(self, segw: str, now: float) -> list[Output]:
        """The association to ``segw`` is gone: every UE on it is released locally."""
        s = self._segw(segw)
        s.link = _Link.DOWN
        s.timer_gen += 1
        out: list[Output] = [SegwReady(segw, False)]
        return out + self._release_all(s, now, _SEGW_LOST)

    def _release_all(self, s: _Segw, now: float, reason: ReleaseReason) -> list[Output]:
        out: list[Output] = []
        for key in sorted(s.ues, key=repr):
            out += self._dispatch(self._ues[key], Event.SEGW_LOST, now, reason=reason)
        return out

    def reset(self, segw: str, cause: Cause, now: float) -> list[Output]:
        """Reset the Xw interface with ``segw`` (36.463 8.7, eNB-initiated): every UE of it is
        released locally and told (the SeGW drops its side on RESET), then RESET is sent.
        Activations toward ``segw`` fail until its RESET RESPONSE; an unanswered RESET is sent
        again after ``EnbConfig.xw_reset_guard_s``."""
        s = self._segw(segw)
        if s.link not in (_Link.READY, _Link.RESETTING):
            why = f"reset of {segw}: Xw Setup is not done (link {s.link.value})"
            return [InputRejected(None, Rejection.BEFORE_XW_SETUP, why, segw=segw)]
        out = self._release_all(s, now, _ENB_RESET)
        s.link, s.reset_cause = _Link.RESETTING, cause
        return out + self._send_reset(s, now)

    def _send_reset(self, s: _Segw, now: float) -> list[Output]:
        assert s.reset_cause is not None
        self._arm_segw(s, now + self.config.xw_reset_guard_s)
        msg = xwap.Reset(s.reset_cause)
        return [self._xwap(s.name, msg)]

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
        serving_plmn: bytes | None = None,
        enb_gtp_endpoint: GtpTunnelEndpoint | None = None,
        capability: rrc.UeLwipCapability | bytes | None = None,
        configured: Iterable[Interworking | str] = (),
        wlan_suspend: rrc.WlanSuspendConfig | None = None,
    ) -> list[Output]:
        """Let ``ue`` use WLAN through an LWIP tunnel (R1, R2).

        ``capability`` is the UE's capability: a :class:`~lwip_enb.codec.rrc.UeLwipCapability`,
        or the octets of its E-UTRA ``ueCapabilityRAT-Container`` (decoded with
        :func:`~lwip_enb.codec.rrc.decode_eutra_capability`; octets that do not decode raise
        :class:`~lwip_enb.errors.InvalidFieldError`). A UE without ``lwip-r13`` is refused:
        :class:`ActivationFailed` with :attr:`~ActivationFailure.UE_NOT_CAPABLE`, nothing sent
        (lwip-Configuration is configured only for a UE that supports it, 36.331 6.3.6). Without
        a capability the UE is taken as capable, as before: the caller has checked it.
        ``configured`` names what the caller has configured for the UE among DC, LWA and RCLWI
        (:class:`Interworking`); any refuses the activation with
        :attr:`~ActivationFailure.OTHER_INTERWORKING_CONFIGURED`, nothing sent (36.331 6.2.2:
        LWIP is never configured together with them). The check is on what is configured, not
        on the capability's ``dc``/``lwa``/``rclwi``: a UE able to do DC may still use LWIP
        while DC is not configured.

        ``kenb`` is the UE's current KeNB; a KeNB that differs from the one held opens a new
        LWIP counter space. ``wlan_ids`` is the WLAN mobility set: the UE gets it in RRC and the
        SeGW in the Mobility Set IE, so both see the same set; each WLAN must be one the SeGW
        offered for LWIP (36.463 8.2.2), else the activation fails with
        :attr:`~ActivationFailure.WLAN_NOT_OFFERED`. Without ``wlan_ids`` the set is every WLAN
        the SeGW offered for LWIP (:meth:`segw_wlans`); when there is none the activation fails
        with :attr:`~ActivationFailure.NO_WLAN` and nothing is sent: a set-up without a WLAN
        could never be reported successful (36.331 5.6.15.4, WLAN-MobilityConfig).
        ``serving_plmn`` and ``enb_gtp_endpoint`` go into the optional IEs of LWIP ADDITION
        REQUEST (36.463 8.14.2). ``wlan_suspend`` (default: ``EnbConfig.wlan_suspend``) goes
        into the set-up's ``lwip-MobilityConfig`` as ``wlan-SuspendConfig-r14``: with
        ``resume_allowed`` true the UE may report its WLAN ``suspended`` and ``resumed``
        (36.331 5.6.15.4), which then keep the tunnel (:class:`WlanSuspended`,
        :class:`WlanResumed`); from a UE not given it they are protocol errors. Bad arguments
        raise :class:`~lwip_enb.errors.InvalidFieldError`.
        """
        mac = mac_address(wlan_mac)
        drb_tuple = tuple(drbs)
        wlan_tuple = _wlan_set(wlan_ids)
        plmn = _plmn(serving_plmn)
        if enb_gtp_endpoint is not None and not isinstance(enb_gtp_endpoint, GtpTunnelEndpoint):
            raise InvalidFieldError("enb_gtp_endpoint", "must be a GtpTunnelEndpoint")
        segw_name = segw if segw is not None else self._default_segw()
        self._segw(segw_name)
        lwip_capability = _capability(capability)
        others = _interworking(configured)
        ctx = self._ues.get(ue)
        created = ctx is None
        if ctx is None or ctx.state is State.IDLE:
            if lwip_capability is not None and not lwip_capability.lwip_r13:
                return [self._failed(ue, ActivationFailure.UE_NOT_CAPABLE, segw=segw_name)]
            if others:
                failure = ActivationFailure.OTHER_INTERWORKING_CONFIGURED
                return [self._failed(ue, failure, segw=segw_name)]
        if ctx is None:
            # KeNB is checked before the UE gets a context: a rejected call leaves nothing behind
            ctx = _Ue(ue)
            ctx.security = LwipSecurityContext(kenb, memory=self._kenb_memory)
            self._ues[ue] = ctx
        elif ctx.state is State.IDLE:
            if ctx.security is None:
                ctx.security = LwipSecurityContext(kenb, memory=self._kenb_memory)
            else:
                ctx.security.rekey(kenb)
        if ctx.state is State.IDLE:
            ctx.wlan_mac, ctx.drbs, ctx.wlan_ids, ctx.segw = mac, drb_tuple, wlan_tuple, segw_name
            ctx.wlan_ids_from_segw = not wlan_tuple
            ctx.serving_plmn, ctx.enb_gtp = plmn, enb_gtp_endpoint
            ctx.suspend = (
                self.config.wlan_suspend if wlan_suspend is None else _suspend_config(wlan_suspend)
            )
        try:
            return self._dispatch(ctx, Event.ACTIVATE, now)
        except Exception:
            if created:  # e.g. no XwAP id or IDi left: the call failed, so the UE was never added
                self._drop(ctx)
            raise

    def modify(
        self,
        ue: UeKey,
        now: float,
        *,
        wlan_ids: Iterable[WlanIdentifiers] | None = None,
        serving_plmn: bytes | None = None,
        cause: Cause | None = None,
    ) -> list[Output]:
        """Change the WLAN mobility set and/or the serving PLMN of an active UE: eNB Initiated
        LWIP Modification (36.463 8.15). ``wlan_ids`` None keeps the mobility set; a new one
        must be offered for LWIP by the SeGW (8.2.2) and is sent to the UE once the SeGW
        acknowledges. ``cause`` (mandatory in the request) defaults to ``unspecified``.
        """
        wlan_tuple = None if wlan_ids is None else _wlan_set(wlan_ids)
        if wlan_tuple == ():
            raise InvalidFieldError("wlan_ids", "a mobility set has at least one WLAN")
        plmn = _plmn(serving_plmn)
        if wlan_tuple is None and plmn is None:
            raise InvalidFieldError("modify", "give a new mobility set or serving PLMN")
        ctx = self._ues.get(ue)
        if ctx is None:
            return self._command(ue, Event.MODIFY, now)
        if lookup(ctx.state, Event.MODIFY) is not None:
            s = self._segws[ctx.segw]
            if wlan_tuple is not None and not all(s.offers_for_lwip(w) for w in wlan_tuple):
                return [ModificationFailed(ue, ModificationFailure.NOT_OFFERED)]
            ctx.pending = (wlan_tuple, plmn)  # for START_MODIFICATION; kept only with a row
        cause = cause if cause is not None else Cause.radio_network("unspecified")
        return self._dispatch(ctx, Event.MODIFY, now, cause=cause)

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

    def refresh_kenb(
        self,
        ue: UeKey,
        new_kenb: KeyMaterial | bytes,
        now: float,
        *,
        command: rrc.HandoverCommand,
    ) -> list[Output]:
        """Intra-eNB handover / KeNB refresh of ``ue`` (TS 36.331 5.3.5.4): the tunnel under the
        old KeNB is released at the SeGW (LWIP RELEASE REQUEST), a new LWIP ADDITION REQUEST
        with a fresh counter under ``new_kenb`` goes to the SeGW, and on its ACKNOWLEDGE one
        RRCConnectionReconfiguration goes to the UE: ``command`` (mobilityControlInfo, on which
        the UE releases its old LWIP) with the new LWIP set-up. If the new addition fails, the
        handover command goes without LWIP. A UE without LWIP (or waiting for WLAN) just takes
        the new KeNB; the caller sends its own handover command then.
        """
        if not isinstance(command, rrc.HandoverCommand):
            raise InvalidFieldError("command", "must be a HandoverCommand")
        ctx = self._ues.get(ue)
        if ctx is not None and lookup(ctx.state, Event.KENB_REFRESH) is not None:
            if ctx.security is None:
                ctx.security = LwipSecurityContext(new_kenb, memory=self._kenb_memory)
            else:
                ctx.security.rekey(new_kenb)
            if ctx.state not in (State.IDLE, State.WLAN_LOST):
                ctx.handover = command
        return self._command(ue, Event.KENB_REFRESH, now, _KENB_REFRESH)

    def radio_link_failure(self, ue: UeKey, now: float) -> list[Output]:
        """The eNB detected an LTE radio link failure of ``ue`` (R10)."""
        return self._command(ue, Event.RADIO_LINK_FAILURE, now, _RADIO_LINK_FAILURE)

    def tunnel_established(self, ue: UeKey, now: float) -> list[Output]:
        """The UE's LWIP tunnel is up: the SeGW accepted its IKEv2 (TS 33.401 Annex H; 36.300
        22A.3). RRC has no message for this: ``successfulAssociation`` (36.331 5.6.15.4) means
        the UE associated with a WLAN, not that IKEv2 succeeded. The evidence comes from the
        SeGW (or the harness that runs it: an IKE SA established for the UE's IDi,
        :meth:`idi`). The UE goes ACTIVE and its DRBs given to :meth:`activate` are switched
        to LWIP (``drb-TypeLWIP-r13`` in an RRC reconfiguration)."""
        return self._command(ue, Event.TUNNEL_ESTABLISHED, now)

    def wlan_available(self, ue: UeKey, now: float) -> list[Output]:
        """WLAN is back for ``ue`` after a loss: set up a fresh tunnel (R11)."""
        return self._command(ue, Event.WLAN_AVAILABLE, now)

    def configure_wlan_measurements(
        self, ue: UeKey, now: float, *, meas_config: rrc.WlanMeasConfig
    ) -> list[Output]:
        """Configure WLAN measurements at ``ue`` (TS 36.331 5.5.2): an
        RRCConnectionReconfiguration with ``meas_config`` as its ``measConfig`` (events W1, W2,
        W3 of 5.5.4.11-13). The UE's MeasurementReports for these measIds come back as
        :class:`WlanMeasurementReported`; a W1 or W2 report of a WLAN of the UE's mobility set
        while the UE is WLAN_LOST sets up a fresh tunnel (R11), as :meth:`wlan_available` does.
        Reports for a measId not configured here are rejected (:class:`InputRejected`,
        :attr:`~Rejection.UNKNOWN_MEAS_ID`).

        Any state of a UE the controller holds (including WLAN_LOST and IDLE after a
        deactivation); the reconfiguration's transaction identifier is the library's, so its
        completion is matched only to it (36.331 5.3.5.3). A measId linking an object or a
        reporting configuration the UE was never given raises
        :class:`~lwip_enb.errors.InvalidFieldError`, and so does a ``meas_config`` of another
        type; nothing is sent then."""
        if not isinstance(meas_config, rrc.WlanMeasConfig):
            raise InvalidFieldError("meas_config", "must be a WlanMeasConfig")
        ctx = self._ues.get(ue)
        if ctx is None:
            why = "WLAN measurements for a UE without LWIP context"
            return [InputRejected(ue, Rejection.UNKNOWN_UE, why)]
        ctx.meas = (ctx.meas or _WlanMeasurements()).apply(meas_config)
        msg = rrc.RrcConnectionReconfiguration(self._allocate_tid(ctx), meas_config=meas_config)
        return [self._rrc(ue, msg)]

    def rrc_connection_released(self, ue: UeKey, now: float) -> list[Output]:
        """The UE's RRC connection was released: it left RRC_CONNECTED (TS 36.331 5.3.12) and
        released LWIP itself ("release all radio resources"), so the eNB sends it nothing; the
        SeGW is sent LWIP RELEASE REQUEST (its PSK goes, R5). The UE's state and keys are
        dropped as by :meth:`forget`."""
        return self._leave(ue, now, Event.RRC_RELEASED, _RRC_RELEASED)

    def forget(self, ue: UeKey, now: float) -> list[Output]:
        """The UE left the eNB: release whatever is set up and drop all its state and keys.

        The UE is gone, so it is sent nothing (as for :meth:`rrc_connection_released`); the SeGW
        is sent LWIP RELEASE REQUEST. While an LWIP addition is outstanding the context stays
        until the SeGW's answer (or the guard timer) lets the addition be undone; it is dropped
        then.
        """
        return self._leave(ue, now, Event.RRC_RELEASED, _FORGOTTEN)

    def _leave(self, ue: UeKey, now: float, event: Event, reason: ReleaseReason) -> list[Output]:
        out = self._command(ue, event, now, reason) if ue in self._ues else []
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
        s = self._segw(segw)
        try:
            msg, notify = xwap.decode_with_notify(data, fast=self._fast)
        except DecodeError as exc:
            self.counters.xwap_in(segw, None, len(data))
            return self._xwap_decode_error(segw, data, exc, now)
        self.counters.xwap_in(segw, msg.MESSAGE, len(data), msg)
        handler = self._XWAP_HANDLERS.get(type(msg))
        if handler is None:
            return self._unexpected_xwap(segw, msg, "not a message an eNB receives")
        if s.link not in (_Link.READY, _Link.RESETTING) and not isinstance(msg, _BEFORE_SETUP):
            # 36.463 8.2.4: a first message other than the Xw Setup ones is a logical error
            # (36.413 10.4: Error Indication), and nothing of it is carried out.
            return self._error_indication(
                segw,
                Rejection.BEFORE_XW_SETUP,
                getattr(msg, "enb_ue_id", None),
                getattr(msg, "wt_ue_id", None),
                _not_compatible(),
                msg,
                detail=f"{msg.MESSAGE} from {segw} before Xw Setup (36.463 8.2.4)",
            )
        out: list[Output] = []
        if notify:
            diagnostics = CriticalityDiagnostics(
                msg.procedure_code,
                msg.kind,
                xwap.Criticality(xwap.messages.message_info(msg.MESSAGE).procedure_criticality),
                notify,
            )
            if isinstance(msg, _ANSWERED_WITH_DIAGNOSTICS):
                # 36.413 10.3.4.2 / 10.3.5: reported in the response of the procedure
                self._response_diagnostics = diagnostics
            elif not isinstance(msg, xwap.ErrorIndication):  # never answered (36.413 10.5)
                # a response or a class 2 message: reported by Error Indication, and the
                # message is taken without the IEs (36.413 10.3.4.2, 10.3.5)
                out += self._error_indication(
                    segw,
                    Rejection.NOT_NOTIFIED,
                    getattr(msg, "enb_ue_id", None),
                    getattr(msg, "wt_ue_id", None),
                    Cause(*_IGNORED_AND_NOTIFIED),
                    msg,
                    diagnostics=diagnostics,
                    detail=f"{msg.MESSAGE} from {segw}: IEs not comprehended, notify",
                )
        try:
            return handler(self, segw, msg, now) + out
        finally:
            self._response_diagnostics = None

    def receive_rrc(
        self, ue: UeKey, channel: RrcChannel | str, data: bytes, now: float
    ) -> list[Output]:
        """Bytes from the UE on ``channel`` (UL-DCCH or UL-CCCH). Never raises on bad bytes."""
        try:
            msg = rrc.decode(channel, data, fast=self._fast)
        except DecodeError as exc:
            self.counters.rrc_in(ue, channel, None, len(data))
            return [InputRejected(ue, Rejection.UNDECODABLE, f"undecodable RRC: {exc}", error=exc)]
        except InvalidFieldError as exc:
            self.counters.rrc_in(ue, channel, None, len(data))
            return [InputRejected(ue, Rejection.BAD_CHANNEL, f"bad channel: {exc}")]
        self.counters.rrc_in(ue, channel, msg.MESSAGE, len(data))
        ctx = self._ues.get(ue)
        if isinstance(msg, rrc.RrcConnectionReestablishmentRequest):
            return self._command(ue, Event.REESTABLISHMENT, now, _UE_RADIO_LINK_FAILURE)
        if ctx is None:
            why = f"{msg.MESSAGE} from a UE without LWIP"
            return [InputRejected(ue, Rejection.UNKNOWN_UE, why, message=msg.MESSAGE)]
        if isinstance(msg, rrc.RrcConnectionReconfigurationComplete):
            # 36.331 5.3.5.3: a completion names the transaction it completes; only those the
            # library sent are its business, the caller's own reconfigurations are not
            if msg.transaction_id not in ctx.tids_sent:
                return []
            ctx.tids_sent.discard(msg.transaction_id)
            if ctx.state is State.CONFIGURING and msg.transaction_id != ctx.tid:
                return []  # completes another reconfiguration, not the LWIP set-up
            return self._dispatch(ctx, Event.RECONFIGURATION_COMPLETE, now)
        if isinstance(msg, rrc.WlanConnectionStatusReport):
            event = _WLAN_EVENTS.get(msg.status, Event.WLAN_FAILURE)
            if event is Event.WLAN_SUCCESS and not ctx.wlan_suspended:
                return self._dispatch(ctx, event, now)  # the common case, on every activation
            return self._on_wlan_status(ctx, msg.status, event, now)
        if isinstance(msg, rrc.MeasurementReport):
            return self._on_measurement_report(ctx, msg, now)
        why = f"{msg.MESSAGE} is not part of LWIP"
        return [InputRejected(ue, Rejection.NOT_LWIP, why, ctx.state, message=msg.MESSAGE)]

    def _on_wlan_status(
        self, ctx: _Ue, status: WlanStatus, event: Event, now: float
    ) -> list[Output]:
        if event is Event.WLAN_SUSPENDED or event is Event.WLAN_RESUMED:  # WLAN-Status-v1430
            # 36.331 5.6.15.4: suspended and resumed only "if wlan-SuspendResumeAllowed ... is
            # set to TRUE"; a UE not given it breaks the protocol
            suspend = ctx.suspend
            if suspend is None or suspend.resume_allowed is not True:
                why = f"{status.value} from a UE not given wlan-SuspendResumeAllowed (5.6.15.4)"
                return [self._unexpected_report(ctx, event, why)]
            if (
                status is WlanStatus.RESUMED
                and not ctx.wlan_suspended
                and ctx.state is not State.WLAN_LOST
                and lookup(ctx.state, event) is not None
            ):
                # 5.6.15.4: resumed only when the last report "was suspended" (after a release
                # the eNB no longer follows the UE's reports: wlan-lost takes it as WLAN back)
                why = "resumed without a suspended report before it (5.6.15.4)"
                return [self._unexpected_report(ctx, event, why)]
        elif ctx.wlan_suspended and status is WlanStatus.SUCCESSFUL_ASSOCIATION:
            # a success after a new mobility set ends the suspension: no resumed follows it,
            # the UE's last report is no longer suspended (5.6.15.4)
            out = self._dispatch(ctx, event, now)
            if not any(isinstance(o, InputRejected) for o in out):
                ctx.wlan_suspended = False
                out.append(WlanResumed(ctx.key))
            return out
        return self._dispatch(ctx, event, now, reason=_WLAN_LOST.get(status))

    def _unexpected_report(self, ctx: _Ue, event: Event, why: str) -> InputRejected:
        return InputRejected(
            ctx.key,
            Rejection.UNEXPECTED_REPORT,
            why,
            ctx.state,
            event,
            message=rrc.WlanConnectionStatusReport.MESSAGE,
        )

    def _on_measurement_report(
        self, ctx: _Ue, msg: rrc.MeasurementReport, now: float
    ) -> list[Output]:
        event = ctx.meas.event_of(msg.meas_id) if ctx.meas is not None else None
        if event is None:
            why = f"MeasurementReport for measId {msg.meas_id}, not a WLAN measurement it set"
            return [
                InputRejected(
                    ctx.key, Rejection.UNKNOWN_MEAS_ID, why, ctx.state, message=msg.MESSAGE
                )
            ]
        # 5.6.15.1: inside the mobility set = all identifiers of at least one entry match
        in_set = tuple(
            r.wlan for r in msg.wlan_results if any(_inside(r.wlan, e) for e in ctx.wlan_ids)
        )
        out: list[Output] = [
            WlanMeasurementReported(ctx.key, event, msg.meas_id, msg.wlan_results, in_set)
        ]
        if in_set and event is not rrc.WlanEvent.W3 and ctx.state is State.WLAN_LOST:
            # W1 (5.5.4.11) or W2 (5.5.4.12) heard a WLAN of the set better than the threshold
            # after the tunnel was released for WLAN loss: WLAN is back, a fresh tunnel (R11).
            # W3 and reports in other states are measurements, not status: the caller decides.
            out += self._dispatch(ctx, Event.WLAN_AVAILABLE, now)
        return out

    # ---- XwAP handlers -------------------------------------------------------------------

    def _on_setup_response(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.XwSetupResponse)
        s = self._segws[segw]
        s.link = _Link.READY
        s.timer_gen += 1  # the guard stops
        # 8.2.2: each WLAN with its WLAN Usage; without one it is for LWA only
        s.wlans = msg.wlan_identifiers
        return [SegwReady(segw, True), SegwWlansUpdated(segw, s.wlans)]

    def _on_setup_failure(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.XwSetupFailure)
        s = self._segws[segw]
        # 8.2.3: "wait at least for the indicated time before reinitiating the Xw Setup"
        wait = msg.time_to_wait_s if msg.time_to_wait_s is not None else 0.0
        retry_at = now + max(float(wait), self.config.xw_setup_retry_s)
        s.link = _Link.SETUP_FAILED
        self._arm_segw(s, retry_at)
        diagnostics = msg.criticality_diagnostics
        return [XwSetupFailed(segw, retry_at, msg.cause, msg.time_to_wait_s, False, diagnostics)]

    def _on_reset(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        # 8.7.2: abort the procedures, delete the contexts of the SeGW, then RESET RESPONSE;
        # the association and the Xw Setup data stay (8.7.1). 8.7.4: also while our own RESET
        # is outstanding.
        out = self._release_all(self._segws[segw], now, _SEGW_LOST)
        response = xwap.ResetResponse(self._response_diagnostics)
        return [*out, self._xwap(segw, response)]

    def _on_reset_response(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        s = self._segws[segw]
        if s.link is not _Link.RESETTING:
            return []  # an answer to a RESET long done with: nothing to align
        s.link, s.reset_cause = _Link.READY, None
        s.timer_gen += 1
        return [ResetAcknowledged(segw)]

    def _on_configuration_update(
        self, segw: str, msg: xwap.XwapMessage, now: float
    ) -> list[Output]:
        """36.463 8.3: take the WT's added, modified and deleted WLANs, with their WLAN Usage."""
        assert isinstance(msg, xwap.WtConfigurationUpdate)
        s = self._segws[segw]
        unknown = [w for w in msg.to_modify if not any(_same_wlan(w, o) for o in s.wlans)]
        if unknown:
            # 8.3.3: the eNB cannot take a modification of a WLAN it was never given; both
            # nodes keep their data
            failure = xwap.WtConfigurationUpdateFailure(
                Cause.protocol("semantic-error"), self._response_diagnostics
            )
            return [self._xwap(segw, failure)]
        wlans = [
            w
            for w in s.wlans
            if w.bssid not in msg.to_delete
            if not any(_deleted_by(w, d) for d in msg.to_delete_extension)
        ]
        for new in (*msg.to_modify, *msg.to_add):
            wlans = [w for w in wlans if not _same_wlan(w, new)] + [new]
        s.wlans = tuple(wlans)
        ack = xwap.WtConfigurationUpdateAcknowledge(self._response_diagnostics)
        return [
            SegwWlansUpdated(segw, s.wlans),
            self._xwap(segw, ack),
        ]

    def _ctx_of(self, segw: str, enb_ue_id: int | None) -> _Ue | None:
        """The UE of ``segw`` whose eNB UE XwAP ID is ``enb_ue_id``, or None."""
        ctx = self._by_enb_id.get(enb_ue_id) if enb_ue_id is not None else None
        return ctx if ctx is not None and ctx.segw == segw else None

    def _ctx_of_wt_id(self, segw: str, wt_ue_id: int | None) -> _Ue | None:
        """The UE of ``segw`` whose WT UE XwAP ID is ``wt_ue_id``, or None (a scan: only for
        messages whose own eNB UE XwAP ID named nobody)."""
        if wt_ue_id is None:
            return None
        for key in self._segw(segw).ues:
            ctx = self._ues[key]
            if ctx.wt_ue_id == wt_ue_id:
                return ctx
        return None

    def _unknown_ids(self, segw: str, msg: xwap.XwapMessage, cause: str) -> list[Output]:
        """36.413 10.6: ids that name no connection here: Error Indication with the ids."""
        return self._error_indication(
            segw,
            Rejection.UNKNOWN_XWAP_IDS,
            getattr(msg, "enb_ue_id", None),
            getattr(msg, "wt_ue_id", None),
            Cause.radio_network(cause),
            msg,
        )

    def _id_error(
        self, segw: str, ctx: _Ue, msg: xwap.XwapMessage, cause_value: str, now: float
    ) -> list[Output]:
        """36.413 10.6: a message whose AP ids are inconsistent with the UE's connection:
        "initiate an Error Indication procedure with inclusion of the received AP IDs" and "a
        local release of any established UE-associated logical connection" with those ids.
        Beyond the text, the SeGW is also sent LWIP RELEASE REQUEST, for the pair the eNB holds
        (by the action of the table) and for the pair received, so that no PSK stays there."""
        cause = Cause.radio_network(cause_value)
        reason = ReleaseReason(ReleaseTrigger.XWAP_ID_ERROR, cause, pdu=_peer_pdu(msg))
        held = (ctx.enb_ue_id, ctx.wt_ue_id)
        out = self._dispatch(ctx, Event.XWAP_ID_ERROR, now, reason=reason)
        enb_ue_id, wt_ue_id = getattr(msg, "enb_ue_id", None), getattr(msg, "wt_ue_id", None)
        if enb_ue_id is not None and wt_ue_id is not None and (enb_ue_id, wt_ue_id) != held:
            release = xwap.LwipReleaseRequest(enb_ue_id, wt_ue_id, cause)
            out.append(self._xwap(segw, release))
        out += self._error_indication(
            segw, Rejection.UNKNOWN_XWAP_IDS, enb_ue_id, wt_ue_id, cause, msg
        )
        return out

    def _unexpected_answer(self, segw: str, ctx: _Ue, msg: xwap.XwapMessage) -> list[Output]:
        """An answer with the UE's own ids but no procedure outstanding (a duplicate): a logical
        error (36.413 10.4), reported by Error Indication; the UE is left as it is."""
        return self._error_indication(
            segw,
            Rejection.UNEXPECTED_ANSWER,
            getattr(msg, "enb_ue_id", None),
            getattr(msg, "wt_ue_id", None),
            _not_compatible(),
            msg,
            detail=f"{msg.MESSAGE} from {segw} for a UE in state {ctx.state.value}",
        )

    def _on_addition_ack(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipAdditionRequestAcknowledge)
        if msg.enb_ue_id is None:
            # 36.413 10.5: without the eNB's id there is no UE and no one to answer
            why = f"{msg.MESSAGE} from {segw} without eNB UE XwAP ID"
            return [
                InputRejected(
                    None,
                    Rejection.UNKNOWN_XWAP_IDS,
                    why,
                    segw=segw,
                    message=msg.MESSAGE,
                    procedure=msg.procedure_code,
                    wt_ue_id=msg.wt_ue_id,
                )
            ]
        ctx = self._ctx_of(segw, msg.enb_ue_id)
        if ctx is None:
            holder = self._ctx_of_wt_id(segw, msg.wt_ue_id)
            if holder is not None:
                # 36.413 10.6: the WT's id is that of another connection here: "both nodes"
                # release any connection having these AP IDs as local or remote ID
                return self._id_error(segw, holder, msg, "unknown-eNB-UE-XwAP-ID", now)
            # 36.413 10.6 (a first returned message with an unknown local AP ID): Error
            # Indication; beyond the text, release what the SeGW set up for it (its PSK).
            out: list[Output] = []
            if msg.wt_ue_id is not None:
                release = xwap.LwipReleaseRequest(
                    msg.enb_ue_id, msg.wt_ue_id, Cause.radio_network("unknown-eNB-UE-XwAP-ID")
                )
                out.append(self._xwap(segw, release))
            return out + self._unknown_ids(segw, msg, "unknown-eNB-UE-XwAP-ID")
        if ctx.state not in (State.ADDING, State.CANCELLING):
            # 8.14.2 establishes the connection once: an ACK for an established one is a
            # duplicate (same pair: 36.413 10.4) or an inconsistent pair (10.6). The ids held
            # are not touched before this is known.
            if msg.wt_ue_id is not None and msg.wt_ue_id == ctx.wt_ue_id:
                return self._unexpected_answer(segw, ctx, msg)
            return self._id_error(segw, ctx, msg, "unknown-pair-of-UE-XwAP-ID", now)
        if msg.wt_ue_id is None:
            # the WT's id is mandatory (criticality ignore): without it the connection cannot
            # be named again, so the pair is treated as inconsistent (36.413 10.6)
            return self._id_error(segw, ctx, msg, "unknown-WT-UE-XwAP-ID", now)
        ctx.wt_ue_id = msg.wt_ue_id
        ctx.segw_gtp = msg.segw_gtp_endpoint  # 8.14.2: "the eNB shall use" it
        return self._dispatch(ctx, Event.ADDITION_ACK, now)

    def _on_addition_reject(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipAdditionRequestReject)
        ctx = self._ctx_of(segw, msg.enb_ue_id)
        if ctx is None:
            return self._unknown_ids(segw, msg, "unknown-eNB-UE-XwAP-ID")
        if ctx.state not in (State.ADDING, State.CANCELLING):
            return self._unexpected_answer(segw, ctx, msg)
        return self._dispatch(ctx, Event.ADDITION_REJECT, now, cause=msg.cause, reason=None)

    def _on_modification_answer(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(
            msg, xwap.LwipModificationRequestAcknowledge | xwap.LwipModificationRequestReject
        )
        ctx = self._ctx_of(segw, msg.enb_ue_id)
        if ctx is None:
            return self._unknown_ids(segw, msg, "unknown-eNB-UE-XwAP-ID")
        if msg.wt_ue_id != ctx.wt_ue_id:
            return self._id_error(segw, ctx, msg, "unknown-pair-of-UE-XwAP-ID", now)
        if ctx.state is not State.MODIFYING:
            return self._unexpected_answer(segw, ctx, msg)
        if isinstance(msg, xwap.LwipModificationRequestAcknowledge):
            return self._dispatch(ctx, Event.MODIFICATION_ACK, now)
        reason = ReleaseReason(ReleaseTrigger.SEGW_RELEASED, msg.cause, pdu=_peer_pdu(msg))
        return self._dispatch(ctx, Event.MODIFICATION_REJECT, now, cause=msg.cause, reason=reason)

    def _on_release_required(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipReleaseRequired)
        ctx = self._ctx_of(segw, msg.enb_ue_id)
        if ctx is None:
            return self._unknown_ids(segw, msg, "unknown-eNB-UE-XwAP-ID")
        if msg.wt_ue_id != ctx.wt_ue_id:
            # 36.413 10.6: also while the addition is outstanding (no WT id held yet)
            return self._id_error(segw, ctx, msg, "unknown-pair-of-UE-XwAP-ID", now)
        reason = ReleaseReason(ReleaseTrigger.SEGW_RELEASED, msg.cause)
        return self._dispatch(ctx, Event.RELEASE_REQUIRED, now, cause=msg.cause, reason=reason)

    def _on_error_indication(self, segw: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        """36.463 8.6: receiving an Error Indication mandates no release. The eNB releases the
        UE (at both ends) when the cause says its ids were wrong (36.413 10.6: both nodes
        release locally), and fails the UE's outstanding addition or modification when the
        Error Indication is about it and the SeGW did not go on (not ignore-and-notify)."""
        assert isinstance(msg, xwap.ErrorIndication)
        ctx = self._ctx_of(segw, msg.enb_ue_id)
        if (
            ctx is not None
            and msg.wt_ue_id is not None
            and ctx.wt_ue_id is not None
            and msg.wt_ue_id != ctx.wt_ue_id
        ):
            ctx = None  # about a connection the eNB does not have
        diagnostics = msg.criticality_diagnostics
        received = functools.partial(
            ErrorIndicationReceived,
            segw,
            ctx.key if ctx is not None else None,
            msg.cause,
            diagnostics,
            msg.enb_ue_id,
            msg.wt_ue_id,
        )
        if ctx is None:
            if msg.enb_ue_id is None and msg.wt_ue_id is None:
                return [received()]
            why = f"Error Indication from {segw} for no UE of this eNB: {msg.cause}"
            return [
                received(),
                InputRejected(
                    None,
                    Rejection.ERROR_INDICATION,
                    why,
                    segw=segw,
                    message=msg.MESSAGE,
                    procedure=diagnostics.procedure_code if diagnostics is not None else None,
                    enb_ue_id=msg.enb_ue_id,
                    wt_ue_id=msg.wt_ue_id,
                    cause=msg.cause,
                ),
            ]
        reason = ReleaseReason(ReleaseTrigger.SEGW_ERROR, msg.cause, pdu=_peer_pdu(msg))
        if msg.cause is not None and (msg.cause.group, msg.cause.value) in _AP_ID_CAUSES:
            out = self._dispatch(ctx, Event.XWAP_ID_ERROR, now, cause=msg.cause, reason=reason)
            return [*out, received(released=True)]
        outstanding = _OUTSTANDING.get(ctx.state)
        about = diagnostics.procedure_code if diagnostics is not None else None
        if (
            outstanding is not None
            and not _is(msg.cause, _IGNORED_AND_NOTIFIED)
            and (about is None or about == _procedure_code(outstanding))
        ):
            out = self._dispatch(ctx, Event.XWAP_ERROR, now, cause=msg.cause, reason=reason)
            return [*out, received(failed=True)]
        return [received()]

    _XWAP_HANDLERS: Final[
        dict[type, Callable[[EnbController, str, xwap.XwapMessage, float], list[Output]]]
    ] = {
        xwap.XwSetupResponse: _on_setup_response,
        xwap.XwSetupFailure: _on_setup_failure,
        xwap.Reset: _on_reset,
        xwap.ResetResponse: _on_reset_response,
        xwap.WtConfigurationUpdate: _on_configuration_update,
        xwap.LwipAdditionRequestAcknowledge: _on_addition_ack,
        xwap.LwipAdditionRequestReject: _on_addition_reject,
        xwap.LwipModificationRequestAcknowledge: _on_modification_answer,
        xwap.LwipModificationRequestReject: _on_modification_answer,
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
        return [self._xwap(segw, msg), rejected]

    def _unexpected_xwap(self, segw: str, msg: xwap.XwapMessage, why: str) -> list[Output]:
        return self._error_indication(
            segw,
            Rejection.UNEXPECTED_MESSAGE,
            getattr(msg, "enb_ue_id", None),
            getattr(msg, "wt_ue_id", None),
            _not_compatible(),
            msg,
            detail=f"{msg.MESSAGE} from {segw}: {why}",
        )

    def _xwap_decode_error(
        self, segw: str, data: bytes, exc: DecodeError, now: float
    ) -> list[Output]:
        """36.463 clause 10: report what could not be understood, unless told to ignore it.

        The Error Indication carries the UE XwAP ids when they could be read (8.6.2). An answer
        of the SeGW that does not decode ends the UE's outstanding procedure (36.413 10.3.4.2:
        "consider the procedure as unsuccessfully terminated"); an acknowledged addition is
        undone at the SeGW so that its PSK goes."""
        enb_ue_id, wt_ue_id = xwap.read_ue_ids(data)
        if exc.criticality == "ignore" or exc.procedure_code == _procedure_code("ErrorIndication"):
            # 36.413 10.3.4.1 ignore; 10.5: an Error Indication is never answered by one
            why = f"ignored XwAP from {segw}: {exc}"
            return [
                InputRejected(
                    None,
                    Rejection.UNDECODABLE,
                    why,
                    segw=segw,
                    procedure=exc.procedure_code,
                    enb_ue_id=enb_ue_id,
                    wt_ue_id=wt_ue_id,
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
        out: list[Output] = []
        ctx = self._ctx_of(segw, enb_ue_id)
        outstanding = _OUTSTANDING.get(ctx.state) if ctx is not None else None
        if (
            ctx is not None
            and outstanding is not None
            and exc.triggering_message in _ANSWERS
            and exc.procedure_code == _procedure_code(outstanding)
        ):
            pdu = PeerPdu(None, exc.procedure_code, enb_ue_id, wt_ue_id)
            acknowledged = exc.triggering_message == MessageKind.SUCCESSFUL.value
            if acknowledged and wt_ue_id is not None and outstanding == "LWIPAdditionRequest":
                assert enb_ue_id is not None
                cause = Cause.protocol(exc.cause)
                release = xwap.LwipReleaseRequest(enb_ue_id, wt_ue_id, cause)
                out.append(self._xwap(segw, release))
            reason = ReleaseReason(ReleaseTrigger.SEGW_ERROR, pdu=pdu, error=exc)
            out = self._dispatch(ctx, Event.XWAP_ERROR, now, reason=reason) + out
        return out + self._error_indication(
            segw,
            Rejection.UNDECODABLE,
            enb_ue_id,
            wt_ue_id,
            Cause.protocol(exc.cause),
            diagnostics=diagnostics,
            error=exc,
        )

    # ---- the outputs that are counted (lwip_enb.core.counters) -------------------------------
    # Every message, activation, failed activation and release is made here and counted as it is
    # made: no pass over the outputs of each input (tests/procedures/test_counters.py checks that
    # the module makes these outputs nowhere else).

    def _xwap(
        self,
        segw: str,
        msg: xwap.XwapMessage,
        ue: UeKey | None = None,
        pdu: bytes | None = None,
    ) -> SendXwap:
        if pdu is None:
            pdu = xwap.encode(msg, fast=self._fast)
        self.counters.xwap_out(segw, msg, len(pdu))
        return SendXwap(segw, msg, pdu, ue)

    def _rrc(self, ue: UeKey, msg: rrc.RrcMessage, pdu: bytes | None = None) -> SendRrc:
        if pdu is None:
            pdu = rrc.encode(msg, fast=self._fast)
        self.counters.rrc_out(ue, msg.MESSAGE, len(pdu))
        return SendRrc(ue, RrcChannel.DL_DCCH, msg, pdu)

    def _tunnel_up(self, ctx: _Ue) -> TunnelUp:
        self.counters.count(ctx.segw, ACTIVATIONS, "succeeded")
        return TunnelUp(ctx.key, ctx.segw_gtp)

    def _released(self, ctx: _Ue, reason: ReleaseReason) -> TunnelReleased:
        kind = CANCELLED if reason.cancelled else RELEASES
        self.counters.count(ctx.segw, kind, reason.trigger.value)
        return TunnelReleased(ctx.key, reason)

    def _failed(
        self,
        ue: UeKey,
        reason: ActivationFailure,
        cause: Cause | None = None,
        segw: str = "",
        pdu: PeerPdu | None = None,
        error: DecodeError | None = None,
    ) -> ActivationFailed:
        self.counters.count(segw, ACTIVATION_FAILURES, reason.value)
        return ActivationFailed(ue, reason, cause, segw, pdu, error)

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
            next_state = self._counter_exhausted(ctx, now, out)
        new = ctx.state = table_next if next_state is None else next_state
        if new is not old:
            out.insert(0, StateChanged(ctx.key, old, new, event))
            if new is State.IDLE and ctx.key in self._leaving:
                self._drop(ctx)
        if log.isEnabledFor(logging.DEBUG):  # the arguments alone cost more than the check
            log.debug("ue %r: %s --%s--> %s", ctx.key, old.value, event.value, new.value)
        return out

    def _counter_exhausted(self, ctx: _Ue, now: float, out: list[Output]) -> State:
        """The LWIP counter is used up under the UE's KeNB: with ``EnbConfig.kenb_refresh`` an
        intra-eNB handover to a new KeNB carries the new set-up; else KenbRefreshNeeded."""
        hook = self.config.kenb_refresh
        if hook is not None and ctx.security is not None:
            new_kenb, command = hook(ctx.key)
            if ctx.security.rekey(new_kenb):
                ctx.handover = command
                try:
                    fallback = self._act_start_addition(ctx, now, None, None, out)
                except CounterExhaustedError:
                    self._clear(ctx)
                else:
                    if fallback is None:
                        return State.ADDING
                    self._send_pending_handover(ctx, out)
                    return fallback
        self._send_pending_handover(ctx, out)  # the UE moves to the new KeNB all the same
        ctx.state = State.IDLE
        out.append(KenbRefreshNeeded(ctx.key))
        return State.IDLE

    # Each action returns None (take the table's next state) or the state it had to fall back to.

    def _act_nothing(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        return None

    def _act_start_addition(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        segw = self._segws[ctx.segw]
        failure = _LINK_FAILURES.get(segw.link)
        if failure is None and ctx.wlan_ids_from_segw:
            ctx.wlan_ids = tuple(
                WlanIdentifiers(w.ssid, w.bssid, w.hessid) for w in segw.wlans if w.for_lwip
            )
        if failure is None and not ctx.wlan_ids:
            # 36.331 WLAN-MobilityConfig: "E-UTRAN configures at least one WLAN identifier";
            # 5.6.15.4: success is reported only for a WLAN inside the set
            failure = ActivationFailure.NO_WLAN
        if failure is None and not all(segw.offers_for_lwip(w) for w in ctx.wlan_ids):
            # 36.463 8.2.2: a WLAN the SeGW gave without WLAN Usage "may be used for LWA only"
            failure = ActivationFailure.WLAN_NOT_OFFERED
        if failure is not None:
            out.append(self._failed(ctx.key, failure, segw=ctx.segw))
            return State.IDLE if ctx.state is State.IDLE else ctx.state
        assert ctx.security is not None
        derived = ctx.security.next_psk()  # may raise CounterExhaustedError
        self._release_ids(ctx)
        ctx.enb_ue_id = self._allocate_enb_id(ctx)
        ctx.idi = self._idis.allocate()
        ctx.counter = derived.counter
        ctx.segw_gtp = None
        ctx.wlan_suspended = False  # a new set-up: no suspension carries over
        segw.ues.add(ctx.key)
        with derived:
            # 8.14.2: the optional IEs when the caller gave them; the Mobility Set is the one
            # the UE gets in RRC, so SeGW and UE see the same set
            msg = xwap.LwipAdditionRequest(
                ctx.enb_ue_id,
                ctx.wlan_mac,
                xwap.SeGwSecurityInfo(derived.psk, ctx.idi.octets),
                ctx.serving_plmn,
                ctx.enb_gtp,
                ctx.wlan_ids,
            )
            pdu = xwap.encode(msg, fast=self._fast)
        # The eNB's PSK copy is wiped now that it is in the PDU (R5).
        out.append(PskDeleted(ctx.key, derived.counter))
        out.append(self._xwap(ctx.segw, msg, ctx.key, pdu))
        self._arm(ctx, now + self.config.xwap_guard_s)
        return None

    def _act_send_rrc_setup(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        assert ctx.idi is not None
        self._next_tid(ctx)
        # 36.331 5.6.17.2: a non-empty mobility set, T351 (associationTimer: "upon change in
        # ... lwip-Counter") and the success report the eNB waits for (5.6.15.4)
        mobility = rrc.WlanMobilityConfig(
            to_add=ctx.wlan_ids,
            association_timer_s=self.config.association_timer_s,
            success_report_requested=True,
            suspend=ctx.suspend,
        )
        msg = rrc.RrcConnectionReconfiguration.lwip_setup(
            ctx.tid,
            self._segws[ctx.segw].address,
            ctx.idi.octets,
            ctx.counter,
            mobility=mobility,
        )
        if ctx.handover is not None:
            # 5.3.5.4: one handover command; the UE releases the old LWIP, then sets this up
            msg = attrs.evolve(msg, handover=ctx.handover)
            ctx.handover = None
        out.append(self._rrc(ctx.key, msg))
        self._arm(ctx, now + self.config.rrc_guard_s)
        return None

    def _send_pending_handover(self, ctx: _Ue, out: list[Output]) -> None:
        """The intra-eNB handover command without LWIP: its new addition did not succeed."""
        if ctx.handover is not None:
            self._next_tid(ctx)
            msg = rrc.RrcConnectionReconfiguration(ctx.tid, handover=ctx.handover)
            ctx.handover = None
            out.append(self._rrc(ctx.key, msg))

    def _act_refresh_kenb(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_segw(ctx, self.config.handover_cause, out)
        out.append(self._released(ctx, _KENB_REFRESH))
        self._clear(ctx)
        ctx.pending = None
        failed = self._act_start_addition(ctx, now, cause, reason, out)
        if failed is not None:
            self._send_pending_handover(ctx, out)  # no new tunnel: the command without LWIP
        return failed

    def _act_activation_failed(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._send_pending_handover(ctx, out)
        self._clear(ctx)
        trigger = reason.trigger if reason is not None else None
        if trigger is ReleaseTrigger.SEGW_ERROR and reason is not None and reason.error:
            failure = ActivationFailure.ANSWER_NOT_UNDERSTOOD
        elif trigger is not None and trigger in _FAILURES_BY_TRIGGER:
            failure = _FAILURES_BY_TRIGGER[trigger]
        elif cause is not None:
            failure = ActivationFailure.REJECTED
        else:
            failure = ActivationFailure.NO_ANSWER
        pdu = reason.pdu if reason is not None else None
        error = reason.error if reason is not None else None
        if cause is None and reason is not None:
            cause = reason.cause
        out.append(self._failed(ctx.key, failure, cause, ctx.segw, pdu, error))
        return None

    def _act_abort_addition(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        why = _DEACTIVATED if reason is None else reason
        if reason is _DEACTIVATED:
            # deactivated during a refresh: the UE still holds the old LWIP and moves to the new
            # KeNB; the handover command without LWIP does both (5.3.5.4)
            self._send_pending_handover(ctx, out)
        ctx.handover = None
        out.append(self._released(ctx, attrs.evolve(why, cancelled=True)))
        return None  # keep ids and the guard: the SeGW's answer is still due

    def _act_undo_addition(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        assert ctx.enb_ue_id is not None and ctx.wt_ue_id is not None
        msg = xwap.LwipReleaseRequest(
            ctx.enb_ue_id, ctx.wt_ue_id, Cause.radio_network("procedure-cancelled")
        )
        out.append(self._xwap(ctx.segw, msg, ctx.key))
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
        # The UE runs T351 (36.331 5.6.17.2, 5.6.15.3) and reports failureTimeout on expiry; a
        # UE that never reports (or whose SeGW dropped the PSK silently) is released by this
        # guard, a little longer than T351.
        cfg = self.config
        self._arm(ctx, now + cfg.association_timer_s + cfg.association_guard_margin_s)
        return None

    def _act_wlan_associated(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        # 36.331 5.6.15.4: associated with WLAN, not yet a tunnel; the UE runs IKEv2 now. A UE
        # whose IKEv2 never succeeds is released at both ends by this guard.
        self._arm(ctx, now + self.config.tunnel_guard_s)
        return None

    def _act_tunnel_usable(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._disarm(ctx)
        if ctx.drbs:
            # drb-TypeLWIP-r13 only once the tunnel carries traffic (36.331 5.3.10.3a3)
            self._next_tid(ctx)
            msg = rrc.RrcConnectionReconfiguration(ctx.tid, drbs=ctx.drbs)
            pdu = rrc.encode(msg, fast=self._fast)
            out.append(self._rrc(ctx.key, msg, pdu))
        out.append(self._tunnel_up(ctx))
        return None

    def _act_wlan_suspend(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        # 36.331 5.6.15.4: WLAN temporarily unavailable; the UE keeps its LWIP configuration
        # and goes on monitoring (no release, unlike a failure), so nothing is released here
        if not ctx.wlan_suspended:
            ctx.wlan_suspended = True
            out.append(WlanSuspended(ctx.key))
        return None

    def _act_wlan_resume(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        ctx.wlan_suspended = False
        out.append(WlanResumed(ctx.key))
        return None

    def _act_start_modification(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        assert ctx.enb_ue_id is not None and ctx.wt_ue_id is not None and ctx.pending is not None
        wlan_ids, plmn = ctx.pending
        msg = xwap.LwipModificationRequest(
            ctx.enb_ue_id, ctx.wt_ue_id, cause, plmn, wlan_ids if wlan_ids is not None else ()
        )
        out.append(self._xwap(ctx.segw, msg, ctx.key))
        self._arm(ctx, now + self.config.xwap_guard_s)
        return None

    def _act_modified(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._disarm(ctx)
        assert ctx.pending is not None
        wlan_ids, plmn = ctx.pending
        ctx.pending = None
        if plmn is not None:
            ctx.serving_plmn = plmn
        if wlan_ids is not None and wlan_ids != ctx.wlan_ids:
            # the UE gets the mobility set the SeGW took (36.331 5.6.15.2 wlan-MobilityConfig)
            gone = tuple(w for w in ctx.wlan_ids if w not in wlan_ids)
            ctx.wlan_ids = wlan_ids
            self._next_tid(ctx)
            mobility = rrc.WlanMobilityConfig(to_release=gone, to_add=wlan_ids)
            msg = rrc.RrcConnectionReconfiguration(ctx.tid, rrc.LwipSetup(None, mobility))
            pdu = rrc.encode(msg, fast=self._fast)
            out.append(self._rrc(ctx.key, msg, pdu))
        out.append(LwipModified(ctx.key, ctx.wlan_ids, ctx.serving_plmn))
        return None

    def _act_modification_failed(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._disarm(ctx)
        ctx.pending = None
        if reason is None:
            failure = ModificationFailure.NO_ANSWER
        elif reason.trigger is ReleaseTrigger.SEGW_RELEASED:
            failure = ModificationFailure.REJECTED
        else:
            failure = ModificationFailure.SEGW_ERROR
        pdu = reason.pdu if reason is not None else None
        error = reason.error if reason is not None else None
        out.append(ModificationFailed(ctx.key, failure, cause, pdu, error))
        return None

    def _release_segw(self, ctx: _Ue, cause: Cause, out: list[Output]) -> None:
        if ctx.enb_ue_id is not None and ctx.wt_ue_id is not None:
            msg = xwap.LwipReleaseRequest(ctx.enb_ue_id, ctx.wt_ue_id, cause)
            out.append(self._xwap(ctx.segw, msg, ctx.key))

    def _next_tid(self, ctx: _Ue) -> int:
        """The transaction id of the next LWIP reconfiguration the library sends to the UE."""
        if self.config.rrc_transaction_ids is None:  # inlined: every activation passes here
            tid = ctx.tid = ctx.tid_seq = (ctx.tid_seq + 1) % 4
            ctx.tids_sent.add(tid)
            return tid
        ctx.tid = self._allocate_tid(ctx)
        return ctx.tid

    def _allocate_tid(self, ctx: _Ue) -> int:
        """A transaction id for a reconfiguration the library sends; one that is not an LWIP
        set-up or release (WLAN measurements) leaves ``ctx.tid``, the set-up's, alone."""
        source = self.config.rrc_transaction_ids
        if source is None:
            tid = ctx.tid_seq = (ctx.tid_seq + 1) % 4
        else:
            tid = source(ctx.key)
            if type(tid) is not int or not 0 <= tid <= 3:
                raise InvalidFieldError("rrc_transaction_ids", f"must return 0..3, got {tid!r}")
        ctx.tids_sent.add(tid)
        return tid

    def _release_ue(self, ctx: _Ue, out: list[Output]) -> None:
        self._next_tid(ctx)
        msg = rrc.RrcConnectionReconfiguration.lwip_release(ctx.tid)
        out.append(self._rrc(ctx.key, msg))

    def _act_release_both(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_segw(ctx, Cause.radio_network("unspecified"), out)
        self._release_ue(ctx, out)
        # No reason: the guard timer fired, the UE did not complete the reconfiguration.
        out.append(self._released(ctx, _UE_NO_ANSWER if reason is None else reason))
        self._clear(ctx)
        return None

    def _act_release_for_handover(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_segw(ctx, self.config.handover_cause, out)
        if self.config.handover_ue_release is HandoverUeRelease.EXPLICIT:
            self._release_ue(ctx, out)
        assert reason is not None
        out.append(self._released(ctx, reason))
        self._clear(ctx)
        return None

    def _act_release_after_rlf(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_segw(ctx, Cause.radio_network("radio-connection-with-UE-lost"), out)
        assert reason is not None
        out.append(self._released(ctx, reason))
        self._clear(ctx)
        return None

    def _act_release_segw_only(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        # 36.331 5.3.12: a UE leaving RRC_CONNECTED releases all its radio resources, LWIP
        # included; nothing is sent to it
        self._release_segw(ctx, Cause.radio_network("unspecified"), out)
        assert reason is not None
        out.append(self._released(ctx, reason))
        self._clear(ctx)
        return None

    def _act_release_for_wlan_loss(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_segw(ctx, Cause.radio_network("wLAN-not-available"), out)
        self._release_ue(ctx, out)
        assert reason is not None
        out.append(self._released(ctx, reason))
        self._clear(ctx)
        return None

    def _act_confirm_segw_release(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        assert ctx.enb_ue_id is not None and ctx.wt_ue_id is not None
        # notify IEs of the LWIP RELEASE REQUIRED are reported here (36.413 10.3.4.2)
        msg = xwap.LwipReleaseConfirm(ctx.enb_ue_id, ctx.wt_ue_id, self._response_diagnostics)
        out.append(self._xwap(ctx.segw, msg, ctx.key))
        self._release_ue(ctx, out)
        assert reason is not None
        out.append(self._released(ctx, reason))
        self._clear(ctx)
        return None

    def _act_release_local_and_ue(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        self._release_ue(ctx, out)
        assert reason is not None
        out.append(self._released(ctx, reason))
        self._clear(ctx)
        return None

    def _act_release_for_id_error(
        self, ctx: _Ue, now: float, cause: Cause | None, reason: _Reason, out: list[Output]
    ) -> State | None:
        # 36.413 10.6: the local release; beyond it, the SeGW is told for the pair held (its
        # PSK goes, R5) and the UE, which was configured, is told too
        self._release_segw(ctx, Cause.radio_network("unknown-pair-of-UE-XwAP-ID"), out)
        self._release_ue(ctx, out)
        assert reason is not None
        out.append(self._released(ctx, reason))
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
        Action.WLAN_ASSOCIATED: _act_wlan_associated,
        Action.TUNNEL_USABLE: _act_tunnel_usable,
        Action.WLAN_SUSPEND: _act_wlan_suspend,
        Action.WLAN_RESUME: _act_wlan_resume,
        Action.RELEASE_BOTH: _act_release_both,
        Action.RELEASE_FOR_HANDOVER: _act_release_for_handover,
        Action.REFRESH_KENB: _act_refresh_kenb,
        Action.RELEASE_AFTER_RLF: _act_release_after_rlf,
        Action.RELEASE_FOR_WLAN_LOSS: _act_release_for_wlan_loss,
        Action.RELEASE_SEGW_ONLY: _act_release_segw_only,
        Action.CONFIRM_SEGW_RELEASE: _act_confirm_segw_release,
        Action.RELEASE_LOCAL_AND_UE: _act_release_local_and_ue,
        Action.RELEASE_FOR_ID_ERROR: _act_release_for_id_error,
        Action.START_MODIFICATION: _act_start_modification,
        Action.MODIFIED: _act_modified,
        Action.MODIFICATION_FAILED: _act_modification_failed,
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
        """Back to nothing set up: ids and IDi freed, guard cancelled, no suspension."""
        self._disarm(ctx)
        ctx.wlan_suspended = False
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

    def _arm_segw(self, s: _Segw, deadline: float) -> None:
        s.timer_gen += 1
        self._seq += 1
        heapq.heappush(self._segw_timers, (deadline, self._seq, s.name, s.timer_gen))

    def _live_segw_timer(self, entry: tuple[float, int, str, int]) -> bool:
        s = self._segws.get(entry[2])
        return s is not None and s.timer_gen == entry[3]

    def next_timer(self) -> float | None:
        """When :meth:`handle_timer` must next be called, or None."""
        while self._timers and not self._live_timer(self._timers[0]):
            heapq.heappop(self._timers)
        while self._segw_timers and not self._live_segw_timer(self._segw_timers[0]):
            heapq.heappop(self._segw_timers)
        due = [t[0][0] for t in (self._timers, self._segw_timers) if t]
        return min(due) if due else None

    def handle_timer(self, now: float) -> list[Output]:
        """Fire every guard timer due at ``now``."""
        out: list[Output] = []
        while self._segw_timers and self._segw_timers[0][0] <= now:
            entry = heapq.heappop(self._segw_timers)
            if self._live_segw_timer(entry):
                out += self._segw_timer(self._segws[entry[2]], now)
        while self._timers and self._timers[0][0] <= now:
            ue_entry = heapq.heappop(self._timers)
            if self._live_timer(ue_entry):
                ctx = self._ues[ue_entry[2]]
                ctx.guard_gen += 1
                why = _GUARD_REASONS.get(ctx.state)
                out += self._dispatch(ctx, Event.GUARD_TIMEOUT, now, reason=why)
        return out

    def _segw_timer(self, s: _Segw, now: float) -> list[Output]:
        s.timer_gen += 1
        if s.link is _Link.SETUP_SENT:
            # no answer to XW SETUP REQUEST: reported, and asked again at once
            return [XwSetupFailed(s.name, now, no_answer=True), *self._send_setup_request(s, now)]
        if s.link is _Link.SETUP_FAILED:
            return self._send_setup_request(s, now)  # Time To Wait is over (8.2.3)
        if s.link is _Link.RESETTING:
            return self._send_reset(s, now)  # no RESET RESPONSE yet: reset again
        return []
