"""Reference LWIP-SeGW (the WT of XwAP), sans-IO: for harnesses and the demo.

It answers XwAP from eNBs, keeps IDi -> LWIP-PSK for the IKE window (R3, R4), authenticates the
UE's IKE with that PSK (R1), keeps the PSK while the tunnel lives and deletes it on every release
(R5, R9, R10, R11), and filters tunnel traffic to the initiating eNB's LWIP interface only (R6, R7).

It is a check on the eNB, not its mirror: every behaviour comes from TS 36.463 (V17.0.0), TS 36.413
clause 10 (which 36.463 clause 10 applies; not on this machine, used as we read it) and TS 33.401
Annex H, with the clause beside the code; where the text leaves a choice, the strictest reading is
taken and the code says so. docs/reference-peers.md lists the behaviour by clause, and the fault
knobs of :class:`SegwConfig` that let a test make the SeGW misbehave on purpose.

Inputs are method calls with ``now``; each returns a list of outputs
(:mod:`lwip_enb.peers.segw_outputs`). Timers: :meth:`next_timer`, :meth:`handle_timer`.
"""

from __future__ import annotations

import enum
import heapq
import ipaddress
import logging
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeAlias

import attrs

from lwip_enb import asn1
from lwip_enb.codec import xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import (
    Cause,
    CauseGroup,
    CriticalityDiagnostics,
    MessageKind,
    WlanInformation,
    WlanUsage,
)
from lwip_enb.codec.xwap.messages import time_to_wait
from lwip_enb.errors import Asn1Error, DecodeError, InvalidFieldError
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
    ConfigurationUpdateEnded,
    IkeRejected,
    IkeRejection,
    InputRejected,
    NoAnswer,
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
    UpdateResult,
)

__all__ = [
    "AnswerFault",
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


class AnswerFault(enum.Enum):
    """Fault knob (:attr:`SegwConfig.answer_fault`): how the SeGW treats each LWIP ADDITION
    REQUEST and LWIP MODIFICATION REQUEST, for tests of the eNB against a peer that misbehaves.
    Only ``NONE`` is what TS 36.463 says."""

    NONE = "none"
    """Act and answer as 8.14 and 8.15 say."""
    SILENT = "silent"
    """Drop the request as if it were lost: nothing stored, no answer."""
    GARBAGE = "garbage"
    """Drop the request and send octets that are no XwAP PDU where the answer would go
    (:attr:`~lwip_enb.peers.segw_outputs.SendXwap.garbled`)."""
    ERROR_INDICATION = "error-indication"
    """Drop the request and send an ERROR INDICATION with its UE XwAP IDs instead of the
    answer (cause misc:unspecified)."""
    TWICE = "twice"
    """Act as 8.14 and 8.15 say, and send the answer twice."""


def _lwip_wlans(value: Iterable[WlanIdentifiers]) -> tuple[WlanInformation, ...]:
    # An LWIP-SeGW offers its WLANs for LWIP: a bare WlanIdentifiers gets the WLAN Usage
    # "LWIP only" (36.463 9.2.31); give a WlanInformation without usage for a WLAN for LWA only.
    return tuple(
        v
        if isinstance(v, WlanInformation)
        else WlanInformation(v.ssid, v.bssid, v.hessid, WlanUsage.LWIP_ONLY)
        for v in value
    )


def _check_wlans(_inst: object, _attr: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not value:  # XW SETUP RESPONSE lists at least one WLAN (9.1.2)
        raise InvalidFieldError("wlan_identifiers", "at least one WLAN")


def _identifiers(w: WlanIdentifiers) -> WlanIdentifiers:
    """The identifiers of a WLAN, without its WLAN Usage: what names it in an update."""
    return WlanIdentifiers(w.ssid, w.bssid, w.hessid)


@attrs.frozen(slots=True)
class SegwConfig:
    """The SeGW's settings, then its fault knobs (all off by default).

    Settings:

    - ``wt_id``, ``wlan_identifiers``: what XW SETUP RESPONSE carries (36.463 8.2.2). Each WLAN
      is a :class:`~lwip_enb.codec.xwap.WlanInformation`; a bare
      :class:`~lwip_enb.codec.fields.WlanIdentifiers` is offered for LWIP only. A
      ``WlanInformation`` without usage offers the WLAN for LWA only (no WLAN Usage IE, 8.2.2).
    - ``ike_window_s``: how long a PSK waits for the UE's IKE initiation (R4);
      ``release_on_window_expiry``: tell the eNB (LWIP RELEASE REQUIRED) when it expires.
    - ``ike_sa_init_lifetime_s``: how long an IKE_SA_INIT waits for its IKE_AUTH.
    - ``release_confirm_guard_s``: how long the UE XwAP IDs of a tunnel the SeGW released wait
      for LWIP RELEASE CONFIRM (8.17.2), and an Xw Reset of the SeGW for RESET RESPONSE.
    - ``configuration_update_guard_s``: how long a WT CONFIGURATION UPDATE waits for its answer.

    Fault knobs, for negative tests of the eNB:

    - ``reject_additions``: answer every LWIP ADDITION REQUEST with LWIP ADDITION REQUEST
      REJECT with this cause.
    - ``answer_fault``: stay silent, send garbage or an Error Indication instead of the answer,
      or answer twice (:class:`AnswerFault`), for additions and modifications.
    - ``answer_delay_s``: send those answers this much later (what the SeGW does happens at
      once; an Xw Setup, Reset or loss of the association in between drops the answer).
    - ``require_release_at``: at this time, release every tunnel with LWIP RELEASE REQUIRED
      (cause misc:om-intervention).
    - ``xw_setup_refusals``: answer this many XW SETUP REQUESTs of each eNB with XW SETUP
      FAILURE (``xw_setup_failure_cause``, with Time To Wait ``xw_setup_time_to_wait_s`` if
      set) before accepting one.
    """

    wt_id: xwap.WtId = attrs.field(factory=lambda: xwap.WtId(0x1, b"\x00\xf1\x10"))
    # offered for LWIP (WLAN Usage, 36.463 8.2.2): the eNB builds the UE's mobility set from it
    wlan_identifiers: tuple[WlanInformation, ...] = attrs.field(
        default=(WlanIdentifiers(ssid=b"lwip"),), converter=_lwip_wlans, validator=_check_wlans
    )
    ike_window_s: float = 30.0  # R4: how long a PSK waits for the UE's IKE initiation
    release_on_window_expiry: bool = True  # tell the eNB (LWIP RELEASE REQUIRED) when it expires
    ike_sa_init_lifetime_s: float = 30.0
    release_confirm_guard_s: float = 5.0
    configuration_update_guard_s: float = 5.0
    # --- fault knobs ---
    reject_additions: Cause | None = None
    answer_fault: AnswerFault = attrs.field(default=AnswerFault.NONE, converter=AnswerFault)
    answer_delay_s: float = 0.0
    require_release_at: float | None = None
    xw_setup_refusals: int = 0
    xw_setup_failure_cause: Cause = attrs.field(factory=lambda: Cause.misc("om-intervention"))
    xw_setup_time_to_wait_s: int | None = attrs.field(
        default=None, validator=time_to_wait("xw_setup_time_to_wait_s")
    )


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
    answer_pending: bool = False  # its LWIP ADDITION REQUEST ACKNOWLEDGE is held back (a knob)


_ENB_LOST = ReleaseReason(ReleaseTrigger.ENB_LOST)
_XW_RESET = ReleaseReason(ReleaseTrigger.XW_RESET)
_XW_SETUP = ReleaseReason(ReleaseTrigger.XW_SETUP)
_WINDOW_EXPIRED = ReleaseReason(ReleaseTrigger.IKE_WINDOW_EXPIRED)
_UNEXPECTED_CONFIRM = ReleaseReason(ReleaseTrigger.UNEXPECTED_CONFIRM)


def _not_compatible() -> Cause:  # a function: a Cause reads the ASN.1, not at import
    return Cause.protocol("message-not-compatible-with-receiver-state")


#: The fault knob GARBAGE's octets: no XwAP-PDU (a transfer syntax error, TS 36.413 10.2).
_GARBAGE = b"\xff\xff\xff"
#: The causes by which an Error Indication says the UE XwAP IDs it names are in error (36.463
#: 8.6.2 and clause 10), after which both nodes release the connection (TS 36.413 10.6).
_ID_ERROR_CAUSE_VALUES: Final = (
    "unknown-eNB-UE-XwAP-ID",
    "unknown-WT-UE-XwAP-ID",
    "unknown-pair-of-UE-XwAP-ID",
    "wrong-wlan-interworking-mode",
)


class _Tunnel:
    """The SeGW's side of one UE-associated logical Xw connection (36.463 3.1)."""

    __slots__ = (
        "after_answer",
        "answer_due",
        "answer_pending",
        "deadline",
        "enb",
        "enb_ue_id",
        "idi",
        "mobility_set",
        "psk",
        "releasing",
        "serving_plmn",
        "state",
        "wt_ue_id",
    )

    def __init__(
        self, enb: str, enb_ue_id: int, wt_ue_id: int, idi: bytes, psk: KeyMaterial, deadline: float
    ) -> None:
        self.enb, self.enb_ue_id, self.wt_ue_id = enb, enb_ue_id, wt_ue_id
        self.idi, self.deadline = idi, deadline
        self.psk: KeyMaterial | None = psk
        self.state = TunnelState.WAITING_IKE
        # LWIP RELEASE REQUIRED sent: PSK gone, the ids wait for LWIP RELEASE CONFIRM (8.17.2)
        self.releasing = False
        self.answer_pending = False  # the answer to its addition is held back (a fault knob)
        self.answer_due = 0.0
        self.after_answer: list[Output] = []  # what must not overtake that answer
        self.mobility_set: tuple[WlanIdentifiers, ...] = ()
        self.serving_plmn: bytes | None = None


class _Update:
    """A WT Configuration Update of the SeGW to one eNB, waiting for its answer (8.3)."""

    __slots__ = ("wlans",)

    def __init__(self, wlans: tuple[WlanInformation, ...]) -> None:
        self.wlans = wlans


_Timer: TypeAlias = tuple[float, int, Callable[[], bool], Callable[[float], list[Output]]]


class SegwModel:
    """One LWIP-SeGW serving any number of eNBs."""

    def __init__(self, config: SegwConfig | None = None) -> None:
        self.config = config or SegwConfig()
        self._enbs: dict[str, EnbInterface] = {}
        self._ready: set[str] = set()
        self._by_idi: dict[bytes, _Tunnel] = {}  # tunnels holding a PSK
        self._by_wt_id: dict[int, _Tunnel] = {}  # every connection, releasing ones too
        self._by_enb_ue: dict[tuple[str, int], _Tunnel] = {}
        self._next_wt_id = 0
        self._timers: list[_Timer] = []
        self._seq = 0
        self._nonces: dict[bytes, float] = {}  # IKE_SA_INIT nonce -> when it expires
        self._ike = ModelIke()
        self._wlans = self.config.wlan_identifiers
        self._enb_wlans: dict[str, tuple[WlanInformation, ...]] = {}  # what each eNB was given
        self._updates: dict[str, _Update] = {}
        self._update_wait_until: dict[str, float] = {}
        self._epoch: dict[str, int] = {}  # bumped by Xw Setup, Reset, loss: stale timers die
        self._resetting: set[str] = set()
        self._refusals_left: dict[str, int] = {}
        self._refused_until: dict[str, float] = {}
        if self.config.require_release_at is not None:
            self._at(self.config.require_release_at, self._release_all, lambda: True)

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
            TunnelInfo(t.idi, t.enb, t.enb_ue_id, t.wt_ue_id, t.state, t.deadline, t.answer_pending)
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

    def wlans(self, enb: str | None = None) -> tuple[WlanInformation, ...]:
        """The SeGW's WLANs; with ``enb``, the list that eNB has (from XW SETUP RESPONSE or the
        last acknowledged WT CONFIGURATION UPDATE), empty before Xw Setup."""
        return self._wlans if enb is None else self._enb_wlans.get(enb, ())

    def pending_ike_exchanges(self) -> int:
        """IKE_SA_INITs whose IKE_AUTH has not come yet (each expires, see
        :attr:`SegwConfig.ike_sa_init_lifetime_s`)."""
        return len(self._nonces)

    # ---- eNBs ----------------------------------------------------------------------------

    def add_enb(self, name: str, lwip_interface: EnbInterface) -> None:
        """Accept an eNB whose LWIP traffic may go to ``lwip_interface`` only (R7)."""
        self._enbs[name] = lwip_interface
        self._refusals_left[name] = self.config.xw_setup_refusals

    def enb_lost(self, enb: str, now: float) -> list[Output]:
        """The Xw association to ``enb`` is gone: all its tunnels and PSKs go (R5)."""
        self._ready.discard(enb)
        self._enb_wlans.pop(enb, None)
        return self._drop_enb(enb, _ENB_LOST)

    def _drop_enb(self, enb: str, reason: ReleaseReason) -> list[Output]:
        """Every connection with ``enb`` released and every procedure with it aborted (8.7.2;
        8.2.1 for Xw Setup)."""
        self._epoch[enb] = self._epoch.get(enb, 0) + 1  # held-back answers and guards die
        self._resetting.discard(enb)
        out: list[Output] = []
        for t in [t for t in self._by_wt_id.values() if t.enb == enb]:
            out += self._delete(t, reason)
        if self._updates.pop(enb, None) is not None:
            out.append(ConfigurationUpdateEnded(enb, UpdateResult.ABORTED))
        return out

    def reset(self, enb: str, cause: Cause, now: float) -> list[Output]:
        """WT-initiated Reset (36.463 8.7.2): the SeGW drops every context of ``enb`` and sends
        RESET; RESET RESPONSE is awaited for ``release_confirm_guard_s``."""
        self._known(enb)
        out = self._drop_enb(enb, ReleaseReason(ReleaseTrigger.RESET_BY_SEGW, cause))
        self._resetting.add(enb)
        epoch = self._epoch[enb]

        def no_answer(now: float) -> list[Output]:
            self._resetting.discard(enb)
            return [NoAnswer(enb, "Reset")]

        self._at(
            now + self.config.release_confirm_guard_s,
            no_answer,
            lambda: enb in self._resetting and self._epoch.get(enb) == epoch,
        )
        return [*out, self._send(enb, xwap.Reset(cause))]

    def _known(self, enb: str) -> None:
        if enb not in self._enbs:
            raise InvalidFieldError("enb", f"unknown eNB {enb!r}")

    # ---- XwAP ----------------------------------------------------------------------------

    def receive_xwap(self, enb: str, data: bytes, now: float) -> list[Output]:
        self._known(enb)
        try:
            msg = xwap.decode(data)
        except DecodeError as exc:
            return self._undecodable(enb, data, exc)
        if isinstance(msg, xwap.XwSetupRequest):
            return self._on_setup(enb, now)
        if enb not in self._ready:
            return self._before_setup(enb, msg)
        handler = self._HANDLERS.get(type(msg))
        if handler is None:
            return self._unexpected(enb, msg, "a message only a WT sends")
        return handler(self, enb, msg, now)

    # -- Xw Setup (8.2), Reset (8.7), WT Configuration Update (8.3) --

    def _on_setup(self, enb: str, now: float) -> list[Output]:
        # 8.2.1 and clause 7: Xw Setup erases the application level data and resets the Xw
        # interface. Strictest reading: it does so whether or not the SeGW accepts it, so every
        # tunnel of the eNB and its PSK go first (R5).
        out = self._drop_enb(enb, _XW_SETUP)
        self._ready.discard(enb)
        self._enb_wlans.pop(enb, None)
        ttw = self.config.xw_setup_time_to_wait_s
        if now < self._refused_until.get(enb, now):
            # 8.2.3: the eNB "shall wait at least for the indicated time before reinitiating".
            out.append(
                InputRejected(
                    enb,
                    Rejection.EARLY_XW_SETUP,
                    f"Xw Setup from {enb} before its Time To Wait ran out",
                )
            )
            return [*out, *self._refuse_setup(enb, now, ttw)]
        if self._refusals_left.get(enb, 0) > 0:  # fault knob
            self._refusals_left[enb] -= 1
            return [*out, *self._refuse_setup(enb, now, ttw)]
        self._ready.add(enb)
        self._enb_wlans[enb] = self._wlans
        return [*out, self._send(enb, xwap.XwSetupResponse(self.config.wt_id, self._wlans))]

    def _refuse_setup(self, enb: str, now: float, ttw: int | None) -> list[Output]:
        if ttw is not None:
            self._refused_until[enb] = now + ttw
        failure = xwap.XwSetupFailure(self.config.xw_setup_failure_cause, time_to_wait_s=ttw)
        return [self._send(enb, failure)]

    def _before_setup(self, enb: str, msg: xwap.XwapMessage) -> list[Output]:
        # 8.2.4: a first message other than Xw Setup is a logical error (TS 36.413 10.4): a
        # request with an unsuccessful outcome gets it, anything else an Error Indication; an
        # Error Indication itself is not answered.
        why = f"{msg.MESSAGE} from {enb} before Xw Setup"
        if isinstance(msg, xwap.LwipAdditionRequest):
            msg.security.psk.wipe()
            reject = xwap.LwipAdditionRequestReject(msg.enb_ue_id, _not_compatible())
            rejected = self._rejected(enb, Rejection.UNEXPECTED_MESSAGE, why)
            return [self._send(enb, reject), rejected]
        if isinstance(msg, xwap.LwipModificationRequest):
            reject2 = xwap.LwipModificationRequestReject(
                msg.enb_ue_id, msg.wt_ue_id, _not_compatible()
            )
            return [
                self._send(enb, reject2),
                self._rejected(enb, Rejection.UNEXPECTED_MESSAGE, why),
            ]
        if isinstance(msg, xwap.ErrorIndication):
            return [self._rejected(enb, Rejection.ERROR_INDICATION, why, msg)]
        return self._unexpected(enb, msg, "before Xw Setup")

    def _on_reset(self, enb: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        # 8.7.2: abort every other procedure with the eNB, delete all its contexts (here: every
        # tunnel and PSK, R5) but not the Xw Setup data, then RESET RESPONSE. 8.7.4: also while
        # the SeGW's own Reset is under way.
        out = self._drop_enb(enb, _XW_RESET)
        return [*out, self._send(enb, xwap.ResetResponse())]

    def _on_reset_response(self, enb: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        if enb in self._resetting:
            self._resetting.discard(enb)
            return []
        return [self._rejected(enb, Rejection.UNEXPECTED_MESSAGE, "RESET RESPONSE to no RESET")]

    def update_wlans(self, wlans: Iterable[WlanIdentifiers], now: float) -> list[Output]:
        """The SeGW's WLANs change: WT Configuration Update (36.463 8.3) to every eNB after Xw
        Setup. A bare WlanIdentifiers is offered for LWIP only (as in :class:`SegwConfig`).

        One update per eNB at a time: a change while one waits for its answer is sent after it;
        after WT CONFIGURATION UPDATE FAILURE with Time To Wait, nothing is sent to that eNB
        before the time has passed (8.3.3), and what changed is sent then. After a failure
        without it, the next call sends again.
        """
        new = _lwip_wlans(wlans)
        if not new:  # XW SETUP RESPONSE lists at least one WLAN (9.1.2)
            raise InvalidFieldError("wlans", "at least one WLAN")
        self._wlans = new
        out: list[Output] = []
        for enb in sorted(self._ready):
            out += self._send_update(enb, now)
        return out

    def _send_update(self, enb: str, now: float) -> list[Output]:
        if enb not in self._ready or enb in self._updates:
            return []
        wait_until = self._update_wait_until.get(enb)
        if wait_until is not None and now < wait_until:
            epoch = self._epoch.get(enb, 0)
            self._at(
                wait_until,
                lambda now: self._send_update(enb, now),
                lambda: self._epoch.get(enb, 0) == epoch,
            )
            return []
        old = {_identifiers(w): w for w in self._enb_wlans.get(enb, ())}
        new = {_identifiers(w): w for w in self._wlans}
        gone = [ids for ids in old if ids not in new]
        update = xwap.WtConfigurationUpdate(
            to_add=[w for ids, w in new.items() if ids not in old],
            to_modify=[w for ids, w in new.items() if ids in old and old[ids] != w],
            # a WLAN is deleted by its BSSID, or without one by SSID and HESSID (9.1.4)
            to_delete=[ids.bssid for ids in gone if ids.bssid is not None],
            to_delete_extension=[ids for ids in gone if ids.bssid is None],
        )
        if update == xwap.WtConfigurationUpdate():
            return []
        pending = self._updates[enb] = _Update(self._wlans)

        def no_answer(now: float) -> list[Output]:
            del self._updates[enb]
            return [ConfigurationUpdateEnded(enb, UpdateResult.NO_ANSWER)]

        self._at(
            now + self.config.configuration_update_guard_s,
            no_answer,
            lambda: self._updates.get(enb) is pending,
        )
        return [self._send(enb, update)]

    def _on_update_acknowledge(self, enb: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        pending = self._updates.pop(enb, None)
        if pending is None:
            # TS 36.413 10.4: a response of a class 1 procedure that is not under way: local
            # error handling only.
            why = f"{msg.MESSAGE} from {enb} to no WT CONFIGURATION UPDATE"
            return [self._rejected(enb, Rejection.UNEXPECTED_MESSAGE, why, msg)]
        self._update_wait_until.pop(enb, None)
        if isinstance(msg, xwap.WtConfigurationUpdateFailure):
            # 8.3.3: both nodes keep their configuration; Time To Wait holds back the next one.
            if msg.time_to_wait_s is not None:
                self._update_wait_until[enb] = now + msg.time_to_wait_s
            ended = ConfigurationUpdateEnded(
                enb, UpdateResult.FAILED, msg.cause, msg.time_to_wait_s
            )
            return [ended]
        self._enb_wlans[enb] = pending.wlans  # 8.3.2
        return [
            ConfigurationUpdateEnded(enb, UpdateResult.ACKNOWLEDGED),
            *self._send_update(enb, now),
        ]

    # -- LWIP Addition Preparation (8.14) --

    def _on_addition(self, enb: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipAdditionRequest)
        try:
            return self._addition(enb, msg, now)
        finally:
            msg.security.psk.wipe()  # the decoded copy; a stored PSK is a copy of its own

    def _addition(self, enb: str, msg: xwap.LwipAdditionRequest, now: float) -> list[Output]:
        dropped = self._dropped(enb, msg, None)
        if dropped is not None:
            return dropped
        idi = msg.security.idi
        old = self._by_enb_ue.get((enb, msg.enb_ue_id))
        if old is not None:
            # TS 36.413 10.6: a first message whose remote AP ID is already stored for another
            # connection with the same peer: Error Indication with that AP ID, and local release
            # of the connection that has it (its PSK deleted, R5). No second tunnel for the UE.
            cause = Cause.radio_network("unknown-eNB-UE-XwAP-ID")
            return self._id_error(enb, msg, msg.enb_ue_id, None, cause, release=[old])
        if self.config.reject_additions is not None:  # fault knob
            reject = xwap.LwipAdditionRequestReject(msg.enb_ue_id, self.config.reject_additions)
            return self._answer(enb, [reject], now)
        if idi in self._by_idi:
            # An IDi must name one PSK only (R3); refuse rather than overwrite.
            cause = Cause.radio_network("security-failure")
            return self._answer(enb, [xwap.LwipAdditionRequestReject(msg.enb_ue_id, cause)], now)
        if not self._serves_all(msg.mobility_set):
            # 8.14.2: the WT "shall use" the Mobility Set; it cannot with a WLAN that is not one
            # of its own offered for LWIP (9.2.31), so 8.14.3: reject.
            cause = Cause.radio_network("wLAN-not-available")
            return self._answer(enb, [xwap.LwipAdditionRequestReject(msg.enb_ue_id, cause)], now)
        wt_id = self._allocate_wt_id()
        if wt_id is None:
            # Every WT UE XwAP ID (24 bits) names a live connection: 8.14.3, reject.
            cause = Cause.misc("control-processing-overload")
            return self._answer(enb, [xwap.LwipAdditionRequestReject(msg.enb_ue_id, cause)], now)
        psk = KeyMaterial(msg.security.psk.view())
        t = _Tunnel(enb, msg.enb_ue_id, wt_id, idi, psk, now + self.config.ike_window_s)
        t.mobility_set, t.serving_plmn = msg.mobility_set, msg.serving_plmn
        self._by_idi[idi] = t
        self._by_wt_id[wt_id] = t
        self._by_enb_ue[enb, msg.enb_ue_id] = t
        self._at(
            t.deadline,
            lambda now: self._window_expired(t),
            lambda: self._by_idi.get(t.idi) is t and t.state is TunnelState.WAITING_IKE,
        )
        ack = xwap.LwipAdditionRequestAcknowledge(msg.enb_ue_id, wt_id)
        return [PskStored(idi, PskPhase.WINDOW), *self._answer(enb, [ack], now, t)]

    def _serves_all(self, mobility_set: tuple[WlanIdentifiers, ...]) -> bool:
        """Does each WLAN of ``mobility_set`` name one the SeGW offers for LWIP: every
        identifier it gives equal to that WLAN's?"""
        return all(
            any(
                w.for_lwip and WlanInformation(given.ssid, given.bssid, given.hessid).covers(w)
                for w in self._wlans
            )
            for given in mobility_set
        )

    def _allocate_wt_id(self) -> int | None:
        size = xwap.UE_XWAP_ID_MAX + 1
        for _ in range(size):
            candidate = self._next_wt_id
            self._next_wt_id = (candidate + 1) % size
            if candidate not in self._by_wt_id:
                return candidate
        return None

    # -- eNB initiated LWIP Modification (8.15) --

    def _on_modification(self, enb: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipModificationRequest)
        dropped = self._dropped(enb, msg, msg.wt_ue_id)
        if dropped is not None:
            return dropped
        t = self._pair(enb, msg.enb_ue_id, msg.wt_ue_id)
        if t is None:
            # TS 36.413 10.6: neither the first nor the last message of its connection, with
            # AP IDs that name no connection: Error Indication with the received IDs, and local
            # release of any connection that has one of them.
            return self._id_error(enb, msg, msg.enb_ue_id, msg.wt_ue_id)

        def reject(cause: Cause) -> list[Output]:
            answer = xwap.LwipModificationRequestReject(t.enb_ue_id, t.wt_ue_id, cause)
            return self._answer(enb, [answer], now)

        if t.releasing:
            # The SeGW's LWIP RELEASE REQUIRED for the UE is under way (8.17): nothing of the UE
            # context is left to modify.
            return reject(_not_compatible())
        # 8.15.2: the WT may take the Serving PLMN into account and "shall use" the Mobility
        # Set; a Mobility Set naming a WLAN that is not one of the SeGW's LWIP WLANs is not
        # admitted. 8.15.3, strictest reading: no modification admitted (none requested
        # counts) -> LWIP MODIFICATION REQUEST REJECT.
        admitted = False
        if msg.serving_plmn is not None:
            t.serving_plmn, admitted = msg.serving_plmn, True
        mobility_refused = bool(msg.mobility_set) and not self._serves_all(msg.mobility_set)
        if msg.mobility_set and not mobility_refused:
            t.mobility_set, admitted = msg.mobility_set, True
        if not admitted:
            if mobility_refused:
                return reject(Cause.radio_network("wLAN-not-available"))
            return reject(Cause.protocol("semantic-error"))
        ack = xwap.LwipModificationRequestAcknowledge(t.enb_ue_id, t.wt_ue_id)
        return self._answer(enb, [ack], now)

    # -- eNB initiated LWIP Release (8.16), WT initiated LWIP Release (8.17) --

    def _on_release_request(self, enb: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipReleaseRequest)
        t = self._pair(enb, msg.enb_ue_id, msg.wt_ue_id)
        if t is None:
            return self._last_message_unknown(enb, msg, msg.enb_ue_id, msg.wt_ue_id, msg.cause)
        # 8.16.2: release the UE's tunnel resources; its PSK goes (R5). If the SeGW's own
        # release is under way (8.17), this ends the connection as the confirm would.
        return self._delete(t, ReleaseReason(ReleaseTrigger.RELEASED_BY_ENB, msg.cause))

    def _on_release_confirm(self, enb: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.LwipReleaseConfirm)
        t = self._pair(enb, msg.enb_ue_id, msg.wt_ue_id)
        if t is None:
            return self._last_message_unknown(enb, msg, msg.enb_ue_id, msg.wt_ue_id, None)
        if t.releasing:
            self._forget(t)  # 8.17.2: the release is complete (the PSK went with the REQUIRED)
            return []
        # The last message of a connection whose release the SeGW did not require: the eNB has
        # ended it, so the SeGW does too (R5), and says the confirm was not expected.
        why = f"LWIP RELEASE CONFIRM from {enb} without LWIP RELEASE REQUIRED"
        rejected = self._rejected(enb, Rejection.UNEXPECTED_MESSAGE, why, msg)
        return [*self._delete(t, _UNEXPECTED_CONFIRM), rejected]

    def release(self, idi: bytes, cause: Cause, now: float) -> list[Output]:
        """WT-initiated release (36.463 8.17): e.g. the tunnel died because WLAN dropped (R11)."""
        t = self._by_idi.get(idi)
        if t is None:
            return []
        reason = ReleaseReason(ReleaseTrigger.RELEASED_BY_SEGW, cause)
        return self._release_required(t, cause, reason, now)

    def _release_required(
        self, t: _Tunnel, cause: Cause, reason: ReleaseReason, now: float
    ) -> list[Output]:
        """8.17.2: LWIP RELEASE REQUIRED. The PSK goes now (R5); the connection, and so its UE
        XwAP IDs, lasts until LWIP RELEASE CONFIRM, its last message (TS 36.413 10.6), or the
        guard time."""
        out = self._drop_psk(t, reason)
        t.releasing = True

        def no_confirm(now: float) -> list[Output]:
            self._forget(t)
            return [NoAnswer(t.enb, "LWIPReleaseRequired", t.enb_ue_id, t.wt_ue_id)]

        required = self._send(t.enb, xwap.LwipReleaseRequired(t.enb_ue_id, t.wt_ue_id, cause))
        sent_at = now
        if t.answer_pending:
            # The acknowledge of the addition is held back (a fault knob): the release must not
            # overtake it. One procedure at a time per UE (36.463 5.3), in sequence (clause 6).
            t.after_answer.append(required)
            sent_at = max(now, t.answer_due)
        else:
            out.append(required)
        self._at(
            sent_at + self.config.release_confirm_guard_s,
            no_confirm,
            lambda: self._by_wt_id.get(t.wt_ue_id) is t and t.releasing,
        )
        return out

    def _release_all(self, now: float) -> list[Output]:
        """Fault knob ``require_release_at``: LWIP RELEASE REQUIRED for every tunnel."""
        out: list[Output] = []
        cause = Cause.misc("om-intervention")
        reason = ReleaseReason(ReleaseTrigger.RELEASED_BY_SEGW, cause)
        for t in list(self._by_idi.values()):
            out += self._release_required(t, cause, reason, now)
        return out

    # -- Error Indication (8.6) --

    def _on_error_indication(self, enb: str, msg: xwap.XwapMessage, now: float) -> list[Output]:
        assert isinstance(msg, xwap.ErrorIndication)
        # An Error Indication is never answered with one (two peers could bounce them forever).
        if msg.enb_ue_id is None and msg.wt_ue_id is None:
            diag = msg.criticality_diagnostics
            update_code = xwap.WtConfigurationUpdate().procedure_code
            if diag is not None and diag.procedure_code == update_code and enb in self._updates:
                # 8.6.1: the eNB reports an error in the SeGW's WT CONFIGURATION UPDATE, which
                # then has no other outcome: it failed, and the eNB keeps its WLAN list (8.3.3).
                del self._updates[enb]
                return [ConfigurationUpdateEnded(enb, UpdateResult.FAILED, msg.cause)]
            return [self._rejected(enb, Rejection.ERROR_INDICATION, "", msg)]
        t = self._pair(enb, msg.enb_ue_id, msg.wt_ue_id)
        if t is not None:
            cause = msg.cause
            if (
                cause is not None
                and cause.group is CauseGroup.RADIO_NETWORK
                and cause.value in _ID_ERROR_CAUSE_VALUES
            ):
                # TS 36.413 10.6: the eNB found the IDs of this connection in error and releases
                # it locally; so does the SeGW ("both nodes"), and the PSK goes (R5).
                return self._delete(t, ReleaseReason(ReleaseTrigger.ENB_ERROR, msg.cause))
            # 36.463 8.6: an Error Indication reports an error in one message and mandates no
            # release: the tunnel stays (strictest reading: the SeGW does nothing the text does
            # not ask for).
            return [self._rejected(enb, Rejection.ERROR_INDICATION, "", msg)]
        # One ID, or a pair that names no connection: TS 36.413 10.6 local release of any
        # connection having one of the IDs as local or remote identifier.
        reason = ReleaseReason(ReleaseTrigger.XWAP_ID_ERROR, msg.cause)
        out: list[Output] = []
        for victim in self._having(enb, msg.enb_ue_id, msg.wt_ue_id):
            out += self._delete(victim, reason)
        return [*out, self._rejected(enb, Rejection.ERROR_INDICATION, "", msg)]

    # ---- TS 36.413 clause 10 helpers ----------------------------------------------------

    def _pair(self, enb: str, enb_ue_id: int | None, wt_ue_id: int | None) -> _Tunnel | None:
        """The connection that the pair names (36.463 3.1), or None (also for a missing ID)."""
        if enb_ue_id is None or wt_ue_id is None:
            return None
        t = self._by_wt_id.get(wt_ue_id)
        return t if t is not None and t.enb == enb and t.enb_ue_id == enb_ue_id else None

    def _having(self, enb: str, enb_ue_id: int | None, wt_ue_id: int | None) -> list[_Tunnel]:
        """The connections with ``enb`` that have either ID (TS 36.413 10.6)."""
        found: list[_Tunnel] = []
        if enb_ue_id is not None and (t := self._by_enb_ue.get((enb, enb_ue_id))) is not None:
            found.append(t)
        t = self._by_wt_id.get(wt_ue_id) if wt_ue_id is not None else None
        if t is not None and t.enb == enb and t not in found:
            found.append(t)
        return found

    def _id_error(
        self,
        enb: str,
        msg: xwap.XwapMessage,
        enb_ue_id: int | None,
        wt_ue_id: int | None,
        cause: Cause | None = None,
        release: list[_Tunnel] | None = None,
    ) -> list[Output]:
        """TS 36.413 10.6, a message that is not the last of its connection: ERROR INDICATION
        with the received AP IDs (36.463 8.6.2: the cause says which ID is wrong), and local
        release of every connection having one of them."""
        victims = self._having(enb, enb_ue_id, wt_ue_id) if release is None else release
        if cause is None:
            by_enb = enb_ue_id is not None and (enb, enb_ue_id) in self._by_enb_ue
            t_wt = self._by_wt_id.get(wt_ue_id) if wt_ue_id is not None else None
            by_wt = t_wt is not None and t_wt.enb == enb
            value = (
                "unknown-pair-of-UE-XwAP-ID"
                if by_enb == by_wt
                else "unknown-WT-UE-XwAP-ID"
                if by_enb
                else "unknown-eNB-UE-XwAP-ID"
            )
            cause = Cause.radio_network(value)
        reason = ReleaseReason(ReleaseTrigger.XWAP_ID_ERROR, cause)
        out: list[Output] = []
        for t in victims:
            out += self._delete(t, reason)
        diag = CriticalityDiagnostics(msg.procedure_code, msg.kind)
        indication = xwap.ErrorIndication(enb_ue_id, wt_ue_id, cause, diag)
        why = f"{msg.MESSAGE} from {enb}: {cause}"
        return [
            *out,
            self._send(enb, indication),
            self._rejected(enb, Rejection.UNKNOWN_XWAP_IDS, why, msg, cause),
        ]

    def _last_message_unknown(
        self,
        enb: str,
        msg: xwap.XwapMessage,
        enb_ue_id: int | None,
        wt_ue_id: int | None,
        cause: Cause | None,
    ) -> list[Output]:
        """TS 36.413 10.6: the last message of a connection, with AP IDs that name none: local
        release of any connection having one of the IDs, and no Error Indication."""
        reason = ReleaseReason(ReleaseTrigger.XWAP_ID_ERROR, cause)
        out: list[Output] = []
        for t in self._having(enb, enb_ue_id, wt_ue_id):
            out += self._delete(t, reason)
        why = f"{msg.MESSAGE} from {enb} for no connection ({enb_ue_id}, {wt_ue_id})"
        return [*out, self._rejected(enb, Rejection.UNKNOWN_XWAP_IDS, why, msg, cause)]

    def _unexpected(self, enb: str, msg: xwap.XwapMessage, why: str) -> list[Output]:
        """TS 36.413 10.4: a message not compatible with the receiver state gets an Error
        Indication with that cause; a UE-associated one names its IDs (36.463 8.6.1)."""
        enb_ue_id = getattr(msg, "enb_ue_id", None)
        wt_ue_id = getattr(msg, "wt_ue_id", None)
        diag = CriticalityDiagnostics(msg.procedure_code, msg.kind)
        indication = xwap.ErrorIndication(enb_ue_id, wt_ue_id, _not_compatible(), diag)
        text = f"{msg.MESSAGE} from {enb}: {why}"
        rejected = self._rejected(enb, Rejection.UNEXPECTED_MESSAGE, text, msg, _not_compatible())
        return [self._send(enb, indication), rejected]

    def _undecodable(self, enb: str, data: bytes, exc: DecodeError) -> list[Output]:
        """TS 36.413 10.2-10.3 and 10.5: what could not be understood is reported, unless its
        criticality says ignore."""
        if exc.criticality == "ignore":
            return [InputRejected(enb, Rejection.UNDECODABLE, f"ignored: {exc}", error=exc)]
        # 36.463 8.6.1/8.6.2: about a UE-associated message, the Error Indication carries its
        # UE XwAP IDs, as far as they can be read.
        enb_ue_id, wt_ue_id = xwap.read_ue_ids(data)
        cause = Cause.protocol(exc.cause)
        diag = _diagnostics(exc)
        rejected = InputRejected(
            enb, Rejection.UNDECODABLE, str(exc), cause, enb_ue_id, wt_ue_id, exc
        )
        answer = _unsuccessful_outcome(exc, enb_ue_id, wt_ue_id, cause, diag)
        if answer is None:
            answer = xwap.ErrorIndication(enb_ue_id, wt_ue_id, cause, diag)
        return [self._send(enb, answer), rejected]

    def _rejected(
        self,
        enb: str,
        kind: Rejection,
        detail: str,
        msg: xwap.XwapMessage | None = None,
        cause: Cause | None = None,
    ) -> InputRejected:
        if isinstance(msg, xwap.ErrorIndication):
            cause = msg.cause
            detail = detail or f"Error Indication from {enb}: {msg.cause}"
        return InputRejected(
            enb,
            kind,
            detail,
            cause,
            getattr(msg, "enb_ue_id", None),
            getattr(msg, "wt_ue_id", None),
        )

    # ---- answers and the fault knobs ---------------------------------------------------

    def _dropped(
        self,
        enb: str,
        msg: xwap.LwipAdditionRequest | xwap.LwipModificationRequest,
        wt_ue_id: int | None,
    ) -> list[Output] | None:
        """Fault knob ``answer_fault``: a request the SeGW drops, and what it sends instead."""
        fault = self.config.answer_fault
        if fault is AnswerFault.SILENT:
            return []
        if fault is AnswerFault.GARBAGE:
            return [SendXwap(enb, msg, _GARBAGE, garbled=True)]
        if fault is AnswerFault.ERROR_INDICATION:
            diag = CriticalityDiagnostics(msg.procedure_code, msg.kind)
            indication = xwap.ErrorIndication(msg.enb_ue_id, wt_ue_id, Cause.misc("unspecified"))
            return [self._send(enb, attrs.evolve(indication, criticality_diagnostics=diag))]
        return None

    def _answer(
        self, enb: str, answers: list[xwap.XwapMessage], now: float, t: _Tunnel | None = None
    ) -> list[Output]:
        """Send the answer to a request, as the knobs ``answer_fault`` (TWICE) and
        ``answer_delay_s`` say."""
        sends: list[Output] = [self._send(enb, m) for m in answers]
        if self.config.answer_fault is AnswerFault.TWICE:
            sends += sends
        if self.config.answer_delay_s <= 0:
            return sends
        epoch = self._epoch.get(enb, 0)
        due = now + self.config.answer_delay_s
        if t is not None:
            t.answer_pending, t.answer_due = True, due

        def deliver(now: float) -> list[Output]:
            if t is None:
                return sends
            # what the SeGW held back behind the answer goes after it
            t.answer_pending, after, t.after_answer = False, t.after_answer, []
            return [*sends, *after]

        # Xw Setup, Reset or the loss of the association in between abort the procedure (8.7.2)
        self._at(due, deliver, lambda: self._epoch.get(enb, 0) == epoch)
        return []

    def _send(self, enb: str, msg: xwap.XwapMessage) -> SendXwap:
        return SendXwap(enb, msg, xwap.encode(msg))

    # ---- contexts ----------------------------------------------------------------------

    def _drop_psk(self, t: _Tunnel, reason: ReleaseReason) -> list[Output]:
        """The tunnel and its PSK go (PSK wiped, IDi forgotten, R5); the ids stay."""
        out: list[Output] = []
        if t.psk is None:
            return out
        if self._by_idi.get(t.idi) is t:
            del self._by_idi[t.idi]
        t.psk.wipe()
        t.psk = None
        if t.state is TunnelState.UP:
            out.append(TunnelReleased(t.idi, reason))
        out.append(PskDeleted(t.idi, reason))
        return out

    def _forget(self, t: _Tunnel) -> None:
        """The connection is over: its UE XwAP IDs are free."""
        if self._by_wt_id.get(t.wt_ue_id) is t:
            del self._by_wt_id[t.wt_ue_id]
        if self._by_enb_ue.get((t.enb, t.enb_ue_id)) is t:
            del self._by_enb_ue[t.enb, t.enb_ue_id]
        t.releasing = False

    def _delete(self, t: _Tunnel, reason: ReleaseReason) -> list[Output]:
        out = self._drop_psk(t, reason)
        self._forget(t)
        return out

    # ---- IKE (R1, R3, R4) ----------------------------------------------------------------

    def ike_sa_init(self, now: float) -> bytes:
        """First exchange: the SeGW's nonce. It waits ``ike_sa_init_lifetime_s`` for its
        IKE_AUTH, then it is forgotten (a half-open exchange holds nothing for ever)."""
        nonce = self._ike.new_nonce()
        expires = self._nonces[nonce] = now + self.config.ike_sa_init_lifetime_s

        def expire(now: float) -> list[Output]:
            del self._nonces[nonce]
            return []

        self._at(expires, expire, lambda: self._nonces.get(nonce) == expires)
        return nonce

    def ike_auth(self, request: IkeAuthRequest, now: float) -> tuple[IkeAuthResponse, list[Output]]:
        """Second exchange: find the PSK by IDi (R3) and check the UE's proof of it (R1)."""
        expires = self._nonces.pop(request.nonce_r, None)
        if expires is None or now >= expires:
            return IkeAuthResponse(False, reason="unknown exchange"), [
                IkeRejected(request.idi, IkeRejection.NO_SA_INIT)
            ]
        t = self._by_idi.get(request.idi)
        if t is None:
            return IkeAuthResponse(False, reason="unknown IDi"), [
                IkeRejected(request.idi, IkeRejection.UNKNOWN_IDI)
            ]
        if t.state is TunnelState.UP:
            return IkeAuthResponse(False, reason="tunnel exists"), [
                IkeRejected(request.idi, IkeRejection.TUNNEL_EXISTS)
            ]
        if self._window_closed(t, now):
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
        assert t.psk is not None  # a tunnel in _by_idi holds its PSK
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
        if self._window_closed(t, now):
            return [IkeRejected(idi, IkeRejection.WINDOW_EXPIRED), *self._window_expired(t)]
        t.state = TunnelState.UP
        return [TunnelUp(t.idi), PskStored(t.idi, PskPhase.TUNNEL)]

    @staticmethod
    def _window_closed(t: _Tunnel, now: float) -> bool:
        # R4, strictest reading: the window is [addition, deadline); at the deadline it is
        # closed, as the window timer (due at the deadline) has it.
        return now >= t.deadline

    # ---- traffic policy (R6, R7) ---------------------------------------------------------

    def allows(self, idi: bytes, dst: IpAddress | str, protocol: int, port: int | None) -> bool:
        """May the UE of tunnel ``idi`` send to ``dst``? Only to its eNB's LWIP interface."""
        t = self._by_idi.get(idi)
        if t is None or t.state is not TunnelState.UP:
            return False
        return self._enbs[t.enb].allows(ipaddress.ip_address(dst), protocol, port)

    # ---- timers --------------------------------------------------------------------------

    def _window_expired(self, t: _Tunnel) -> list[Output]:
        if not self.config.release_on_window_expiry:
            return self._delete(t, _WINDOW_EXPIRED)
        # R4 lets the SeGW delete PSK and IDi; the eNB and the UE still hold the tunnel's
        # configuration, so the SeGW releases it (8.17) rather than leave them waiting.
        out = self._drop_psk(t, _WINDOW_EXPIRED)
        cause = Cause.radio_network("unspecified")
        required = self._release_required(t, cause, _WINDOW_EXPIRED, t.deadline)
        return [*out, *required]

    def _at(
        self, due: float, action: Callable[[float], list[Output]], live: Callable[[], bool]
    ) -> None:
        """Run ``action`` at ``due`` if ``live()`` still holds then."""
        self._seq += 1
        heapq.heappush(self._timers, (due, self._seq, live, action))

    def next_timer(self) -> float | None:
        while self._timers:
            due, _, live, _ = self._timers[0]
            if live():
                return due
            heapq.heappop(self._timers)
        return None

    def handle_timer(self, now: float) -> list[Output]:
        out: list[Output] = []
        while (due := self.next_timer()) is not None and due <= now:
            _, _, _, action = heapq.heappop(self._timers)
            out += action(now)
        return out

    _HANDLERS: Final[
        dict[type, Callable[[SegwModel, str, xwap.XwapMessage, float], list[Output]]]
    ] = {
        xwap.Reset: _on_reset,
        xwap.ResetResponse: _on_reset_response,
        xwap.LwipAdditionRequest: _on_addition,
        xwap.LwipModificationRequest: _on_modification,
        xwap.LwipReleaseRequest: _on_release_request,
        xwap.LwipReleaseConfirm: _on_release_confirm,
        xwap.ErrorIndication: _on_error_indication,
        xwap.WtConfigurationUpdateAcknowledge: _on_update_acknowledge,
        xwap.WtConfigurationUpdateFailure: _on_update_acknowledge,
    }


# --- reading what did not decode ----------------------------------------------------------


def _diagnostics(exc: DecodeError) -> CriticalityDiagnostics | None:
    """The Criticality Diagnostics of a decoding error (TS 36.413 10.3.4.2, 10.3.5)."""
    if exc.procedure_code is None:
        return None
    ies: tuple[xwap.IeDiagnostic, ...] = ()
    if exc.ie_id is not None and exc.criticality is not None and exc.type_of_error:
        ies = (xwap.IeDiagnostic(exc.criticality, exc.ie_id, exc.type_of_error),)
    return CriticalityDiagnostics(
        exc.procedure_code,
        MessageKind(exc.triggering_message) if exc.triggering_message else None,
        xwap.Criticality(exc.procedure_criticality) if exc.procedure_criticality else None,
        ies,
    )


def _unsuccessful_outcome(
    exc: DecodeError,
    enb_ue_id: int | None,
    wt_ue_id: int | None,
    cause: Cause,
    diag: CriticalityDiagnostics | None,
) -> xwap.XwapMessage | None:
    """TS 36.413 10.3.4.2 and 10.3.5: an IE with criticality reject not comprehended, or
    missing, in a message that initiates a procedure with an unsuccessful outcome: that
    message, with the Criticality Diagnostics, if the IDs it must carry could be read."""
    if (
        exc.ie_id is None
        or exc.criticality != "reject"
        or exc.triggering_message != MessageKind.INITIATING.value
        or exc.procedure_code is None
    ):
        return None
    try:
        failure = asn1.xwap_procedures()[exc.procedure_code].unsuccessful
    except (KeyError, Asn1Error):
        return None
    if failure == xwap.XwSetupFailure.MESSAGE:
        return xwap.XwSetupFailure(cause, diag)
    if failure == xwap.LwipAdditionRequestReject.MESSAGE and enb_ue_id is not None:
        return xwap.LwipAdditionRequestReject(enb_ue_id, cause, diag)
    if (
        failure == xwap.LwipModificationRequestReject.MESSAGE
        and enb_ue_id is not None
        and wt_ue_id is not None
    ):
        return xwap.LwipModificationRequestReject(enb_ue_id, wt_ue_id, cause, diag)
    return None
