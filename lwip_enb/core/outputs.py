"""What the eNB controller outputs: messages to send and events for its caller.

Every input of :class:`~lwip_enb.core.controller.EnbController` returns a list of these. The
reference peers have outputs of the same shape, named with the same words where they mean the
same (:mod:`lwip_enb.peers.segw_outputs`, :mod:`lwip_enb.peers.ue_outputs`): ``SendXwap`` and
``SendRrc`` carry a message with its encoded bytes, ``PskStored``/``PskDeleted`` and
``TunnelUp``/``TunnelReleased`` follow the key and the tunnel, and ``InputRejected`` reports an
input the node did not act on. None of them is an exception: the core never raises on input from
the network.

Releases and failed activations carry a typed reason (:class:`ReleaseReason`,
:class:`ActivationFailure`) with the XwAP ``Cause`` where the SeGW gave one; ``describe()`` (also
``str()``) renders it for humans, as the trace does.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable
from typing import TypeAlias

import attrs

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.codec.xwap import Cause, CriticalityDiagnostics, GtpTunnelEndpoint, WlanInformation
from lwip_enb.core.fsm import Event, State
from lwip_enb.errors import DecodeError

__all__ = [
    "ActivationFailed",
    "ActivationFailure",
    "ErrorIndicationReceived",
    "InputRejected",
    "KenbRefreshNeeded",
    "LwipModified",
    "ModificationFailed",
    "ModificationFailure",
    "Output",
    "PeerPdu",
    "PskDeleted",
    "Rejection",
    "ReleaseReason",
    "ReleaseTrigger",
    "ResetAcknowledged",
    "SegwReady",
    "SegwWlansUpdated",
    "SendRrc",
    "SendXwap",
    "StateChanged",
    "TunnelReleased",
    "TunnelUp",
    "UeKey",
    "WlanMeasurementReported",
    "WlanResumed",
    "WlanSuspended",
    "XwSetupFailed",
]

#: The caller's key for a UE: anything hashable.
UeKey: TypeAlias = Hashable


# --- reasons ---------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class PeerPdu:
    """Enough of a PDU from the SeGW to find it in a trace: the message, its procedure code, the
    UE XwAP ids and the cause it carried (each None where the PDU had none or did not decode)."""

    message: str | None
    procedure: int | None
    enb_ue_id: int | None = None
    wt_ue_id: int | None = None
    cause: Cause | None = None

    def describe(self) -> str:
        ids = f"eNB UE XwAP ID {self.enb_ue_id}, WT UE XwAP ID {self.wt_ue_id}"
        return f"{self.message or f'procedure {self.procedure}'} ({ids})"


class ReleaseTrigger(enum.Enum):
    """What ended LWIP for a UE (:attr:`ReleaseReason.trigger`)."""

    DEACTIVATED = "deactivated"
    """The caller's :meth:`~lwip_enb.core.controller.EnbController.deactivate` or ``forget``."""
    S1_HANDOVER = "s1-handover"
    """An S1 handover of the UE (R9)."""
    X2_HANDOVER = "x2-handover"
    """An X2 handover of the UE (R9)."""
    KENB_REFRESH = "kenb-refresh"
    """An intra-eNB handover / KeNB refresh: the tunnel under the old KeNB was released at the
    SeGW; a new one is being set up under the new KeNB (TS 36.331 5.3.5.4)."""
    RADIO_LINK_FAILURE = "radio-link-failure"
    """The eNB detected an LTE radio link failure (R10)."""
    UE_RADIO_LINK_FAILURE = "ue-radio-link-failure"
    """The UE detected one: its RRCConnectionReestablishmentRequest (R10)."""
    WLAN_LOST = "wlan-lost"
    """The UE reported a WLAN failure; :attr:`ReleaseReason.wlan_status` says which (R11)."""
    UE_NO_ANSWER = "ue-no-answer"
    """The UE did not complete the RRC reconfiguration with the tunnel before the guard timer."""
    ASSOCIATION_TIMEOUT = "association-timeout"
    """The UE neither reported its WLAN association nor failureTimeout before the eNB's
    association guard (T351 plus a margin, TS 36.331 5.6.15.3) expired."""
    TUNNEL_TIMEOUT = "tunnel-timeout"
    """The UE reported its WLAN association but the tunnel was not reported established
    (:meth:`~lwip_enb.core.controller.EnbController.tunnel_established`: its IKEv2 with the
    SeGW never succeeded) before the eNB's tunnel guard (``EnbConfig.tunnel_guard_s``)."""
    RRC_CONNECTION_RELEASED = "rrc-connection-released"
    """The UE left RRC_CONNECTED (TS 36.331 5.3.12): it released LWIP itself; the SeGW only
    was told."""
    SEGW_RELEASED = "segw-released"
    """The SeGW asked for the release (LWIP RELEASE REQUIRED, with its cause)."""
    SEGW_ERROR = "segw-error"
    """The SeGW sent an Error Indication about the UE (with its cause)."""
    SEGW_LOST = "segw-lost"
    """The Xw association to the SeGW was lost or reset."""
    XWAP_ID_ERROR = "xwap-id-error"
    """The SeGW sent UE XwAP ids that do not match the UE's (TS 36.413 10.6): the eNB sent an
    Error Indication and released the UE at both ends."""
    ENB_RESET = "enb-reset"
    """The caller reset the Xw interface (:meth:`~lwip_enb.core.controller.EnbController.reset`)."""


_TRIGGER_TEXT: dict[ReleaseTrigger, str] = {
    ReleaseTrigger.DEACTIVATED: "deactivated",
    ReleaseTrigger.S1_HANDOVER: "s1 handover",
    ReleaseTrigger.X2_HANDOVER: "x2 handover",
    ReleaseTrigger.KENB_REFRESH: "intra-eNB handover (KeNB refresh)",
    ReleaseTrigger.RADIO_LINK_FAILURE: "radio link failure",
    ReleaseTrigger.UE_RADIO_LINK_FAILURE: "radio link failure",
    ReleaseTrigger.WLAN_LOST: "WLAN lost",
    ReleaseTrigger.UE_NO_ANSWER: "no answer from UE",
    ReleaseTrigger.ASSOCIATION_TIMEOUT: "no WLAN association before the guard",
    ReleaseTrigger.TUNNEL_TIMEOUT: "associated, but no tunnel (IKEv2) before the guard",
    ReleaseTrigger.RRC_CONNECTION_RELEASED: "RRC connection released",
    ReleaseTrigger.SEGW_RELEASED: "SeGW released",
    ReleaseTrigger.SEGW_ERROR: "SeGW error",
    ReleaseTrigger.SEGW_LOST: "SeGW lost",
    ReleaseTrigger.XWAP_ID_ERROR: "inconsistent XwAP ids",
    ReleaseTrigger.ENB_RESET: "Xw reset by the eNB",
}


@attrs.frozen(slots=True)
class ReleaseReason:
    """Why LWIP ended for a UE: the trigger and what came with it."""

    trigger: ReleaseTrigger
    cause: Cause | None = None
    """The SeGW's XwAP cause, for :attr:`~ReleaseTrigger.SEGW_RELEASED` and ``SEGW_ERROR``."""
    wlan_status: WlanStatus | None = None
    """The status the UE reported, for :attr:`~ReleaseTrigger.WLAN_LOST`."""
    cancelled: bool = False
    """True when the LWIP addition was still outstanding: nothing had reached the UE."""
    pdu: PeerPdu | None = None
    """The SeGW's PDU that caused the release, for the triggers that come from one."""
    error: DecodeError | None = None
    """Why that PDU did not decode, when it did not."""

    def describe(self) -> str:
        """For humans and the trace, e.g. ``x2 handover`` or ``SeGW released (misc:...)``."""
        text = _TRIGGER_TEXT[self.trigger]
        if self.pdu is not None and self.trigger is ReleaseTrigger.XWAP_ID_ERROR:
            text = f"{text} in {self.pdu.describe()}"
        if self.cause is not None:
            text = f"{text} ({self.cause})"
        elif self.wlan_status is not None:
            text = f"{text} ({self.wlan_status.value})"
        return f"cancelled before set-up ({text})" if self.cancelled else text

    def __str__(self) -> str:
        return self.describe()


class ActivationFailure(enum.Enum):
    """Why an activation ended before the UE was configured (:class:`ActivationFailed`)."""

    NO_XW_ASSOCIATION = "no-xw-association"
    """The SeGW has no Xw association (never up, or lost): nothing was sent."""
    XW_SETUP_PENDING = "xw-setup-pending"
    """The association is up but Xw Setup has not completed yet: nothing was sent."""
    XW_SETUP_FAILED = "xw-setup-failed"
    """The association is up but the SeGW refused Xw Setup (a retry is scheduled)."""
    XW_RESET_ONGOING = "xw-reset-ongoing"
    """The eNB reset the Xw interface and the RESET RESPONSE has not come yet."""
    NO_WLAN = "no-wlan"
    """No WLAN mobility set was given and the SeGW offered no WLAN for LWIP: a set-up without a
    WLAN could never succeed (TS 36.331 WLAN-MobilityConfig, 5.6.15.4); nothing was sent."""
    WLAN_NOT_OFFERED = "wlan-not-offered"
    """A WLAN of the mobility set is not one the SeGW offered for LWIP (TS 36.463 8.2.2: a WLAN
    without WLAN Usage is for LWA only): nothing was sent."""
    ANSWER_NOT_UNDERSTOOD = "answer-not-understood"
    """The SeGW's answer did not decode (TS 36.413 10.3.4.2: an IE of criticality reject not
    comprehended in a response fails the procedure); the addition was undone at the SeGW."""
    XWAP_ID_ERROR = "xwap-id-error"
    """The SeGW's answer or message had UE XwAP ids that do not fit (TS 36.413 10.6)."""
    ENB_RESET = "enb-reset"
    """The caller reset the Xw interface while the addition was outstanding."""
    REJECTED = "rejected"
    """The SeGW answered LWIP ADDITION REQUEST REJECT (with its cause)."""
    SEGW_ERROR = "segw-error"
    """The SeGW answered the addition with an Error Indication (with its cause)."""
    NO_ANSWER = "no-answer"
    """No answer from the SeGW before the guard timer."""
    SEGW_LOST = "segw-lost"
    """The Xw association was lost or reset while the addition was outstanding."""
    UE_NOT_CAPABLE = "ue-not-capable"
    """The UE's capability given to ``activate`` has no ``lwip-r13`` (TS 36.331 6.3.6
    LWIP-Parameters): LWIP is not configured for it; nothing was sent."""
    OTHER_INTERWORKING_CONFIGURED = "other-interworking-configured"
    """The caller said DC, LWA or RCLWI is configured for the UE: "E-UTRAN does not
    simultaneously configure LWIP with DC, LWA or RCLWI for a UE" (TS 36.331 6.2.2,
    lwip-Configuration); nothing was sent."""

    def describe(self) -> str:
        return _FAILURE_TEXT[self]

    def __str__(self) -> str:
        return self.describe()


_FAILURE_TEXT: dict[ActivationFailure, str] = {
    ActivationFailure.NO_WLAN: "no WLAN for the mobility set",
    ActivationFailure.NO_XW_ASSOCIATION: "SeGW has no Xw association",
    ActivationFailure.XW_SETUP_PENDING: "Xw Setup with the SeGW not completed yet",
    ActivationFailure.XW_SETUP_FAILED: "Xw Setup failed",
    ActivationFailure.XW_RESET_ONGOING: "Xw reset ongoing",
    ActivationFailure.WLAN_NOT_OFFERED: "WLAN not offered for LWIP by the SeGW",
    ActivationFailure.ANSWER_NOT_UNDERSTOOD: "SeGW answer not understood",
    ActivationFailure.XWAP_ID_ERROR: "inconsistent XwAP ids",
    ActivationFailure.ENB_RESET: "Xw reset by the eNB",
    ActivationFailure.REJECTED: "rejected by SeGW",
    ActivationFailure.SEGW_ERROR: "Error Indication from SeGW",
    ActivationFailure.NO_ANSWER: "no answer from SeGW",
    ActivationFailure.SEGW_LOST: "SeGW lost",
    ActivationFailure.UE_NOT_CAPABLE: "UE without lwip-r13 capability",
    ActivationFailure.OTHER_INTERWORKING_CONFIGURED: "DC, LWA or RCLWI configured for the UE",
}


class Rejection(enum.Enum):
    """What was wrong with an input the controller did not act on (:class:`InputRejected`)."""

    NO_TRANSITION = "no-transition"
    """The state table has no row for the UE's ``state`` and the ``event``."""
    UNKNOWN_UE = "unknown-ue"
    """A command or an RRC message for a UE the controller has no context of."""
    UNDECODABLE = "undecodable"
    """Bytes that did not decode (:attr:`InputRejected.error`)."""
    BAD_CHANNEL = "bad-channel"
    """RRC bytes given with a channel that is not an uplink channel."""
    NOT_LWIP = "not-lwip"
    """An RRC message that has no part in LWIP."""
    UNEXPECTED_MESSAGE = "unexpected-message"
    """An XwAP message an eNB does not receive; answered with an Error Indication."""
    UNKNOWN_XWAP_IDS = "unknown-xwap-ids"
    """XwAP for UE XwAP ids the eNB does not know; answered with an Error Indication."""
    ERROR_INDICATION = "error-indication"
    """An Error Indication from the SeGW that names no UE of this eNB."""
    BEFORE_XW_SETUP = "before-xw-setup"
    """A message other than the Xw Setup answer on an association without Xw Setup done: a
    logical error (TS 36.463 8.2.4), answered with an Error Indication."""
    UNEXPECTED_ANSWER = "unexpected-answer"
    """An answer for a UE that has no such procedure outstanding (TS 36.413 10.4), answered with
    an Error Indication."""
    UNEXPECTED_REPORT = "unexpected-report"
    """A WLANConnectionStatusReport the UE was not configured to send (TS 36.331 5.6.15.4):
    ``suspended`` or ``resumed`` from a UE not given ``wlan-SuspendResumeAllowed``, or
    ``resumed`` without a ``suspended`` before it. Nothing changed."""
    UNKNOWN_MEAS_ID = "unknown-meas-id"
    """A MeasurementReport for a ``measId`` the library did not configure for the UE (TS 36.331
    5.5.2.3, 5.5.5). Nothing changed."""
    NOT_NOTIFIED = "not-notified"
    """IEs of criticality notify that were not comprehended (TS 36.413 10.3.4.2, 10.3.5): the
    message was taken without them and they were reported to the SeGW."""


# --- messages to send ------------------------------------------------------------------------


@attrs.frozen(slots=True)
class SendXwap:
    """Send ``pdu`` (the APER encoding of ``message``) to the SeGW named ``segw``.

    ``ue`` is the UE the message is about, if any. For an LWIP ADDITION REQUEST the PDU carries
    the LWIP-PSK (the message object holds the wiped copy).
    """

    segw: str
    message: xwap.XwapMessage
    pdu: bytes = attrs.field(repr=False)
    ue: UeKey | None = None


@attrs.frozen(slots=True)
class SendRrc:
    """Send ``pdu`` (the UPER encoding of ``message``) to the UE on ``channel``."""

    ue: UeKey
    channel: RrcChannel
    message: rrc.RrcMessage
    pdu: bytes = attrs.field(repr=False)


# --- events ----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class StateChanged:
    """The UE's state went from ``old`` to ``new`` on ``event``; emitted first among the
    outputs of that input, and only when the state actually changed."""

    ue: UeKey
    old: State
    new: State
    event: Event


@attrs.frozen(slots=True)
class ActivationFailed:
    """An activation ended before anything reached the UE; the UE is idle and holds no ids.

    ``cause`` is the SeGW's XwAP cause for :attr:`~ActivationFailure.REJECTED` and
    :attr:`~ActivationFailure.SEGW_ERROR`, and for :attr:`~ActivationFailure.XWAP_ID_ERROR` the
    cause of the Error Indication about the ids (the SeGW's, or the one the eNB sent when it
    found them inconsistent, TS 36.413 10.6); ``segw`` the SeGW the addition was for.
    """

    ue: UeKey
    reason: ActivationFailure
    cause: Cause | None = None
    segw: str = ""
    pdu: PeerPdu | None = None
    """The SeGW's PDU that ended the addition, where one did."""
    error: DecodeError | None = None
    """Why the SeGW's answer did not decode (:attr:`~ActivationFailure.ANSWER_NOT_UNDERSTOOD`)."""

    def describe(self) -> str:
        """For humans and the trace, e.g. ``no answer from SeGW``."""
        if self.reason is ActivationFailure.NO_XW_ASSOCIATION:
            return f"SeGW {self.segw} has no Xw association"
        if self.error is not None:
            return f"{self.reason.describe()}: {self.error}"
        return self.reason.describe()


@attrs.frozen(slots=True)
class TunnelUp:
    """The UE reported a successful WLAN association: the LWIP tunnel carries traffic (R1).

    ``segw_gtp_endpoint`` is the LWIP-SeGW GTP Tunnel Endpoint of the SeGW's LWIP ADDITION
    REQUEST ACKNOWLEDGE, which the eNB "shall use ... to configure the LWIP user plane for the
    UE" (TS 36.463 8.14.2); None when the SeGW gave none.
    """

    ue: UeKey
    segw_gtp_endpoint: GtpTunnelEndpoint | None = None


@attrs.frozen(slots=True)
class TunnelReleased:
    """LWIP ended for the UE: the SeGW and the UE were told as the reason requires (R9-R11).

    Also emitted when an activation is cancelled while the SeGW's answer is still due
    (``reason.cancelled``); the addition is undone when that answer comes.
    """

    ue: UeKey
    reason: ReleaseReason


@attrs.frozen(slots=True)
class PskDeleted:
    """The eNB's copy of an LWIP-PSK has been wiped, right after the LWIP ADDITION REQUEST that
    carries it was encoded (R5). ``counter`` is the LWIP counter it was derived with."""

    ue: UeKey
    counter: int


@attrs.frozen(slots=True)
class KenbRefreshNeeded:
    """All LWIP counters of the UE's KeNB are used: refresh KeNB before activating again."""

    ue: UeKey


@attrs.frozen(slots=True)
class SegwReady:
    """Xw Setup with ``segw`` succeeded, or the eNB's Xw Reset was answered (``setup`` True);
    or the association was lost (False): activations toward it fail until it is ready again.
    A failed Xw Setup is :class:`XwSetupFailed`."""

    segw: str
    setup: bool


@attrs.frozen(slots=True)
class XwSetupFailed:
    """Xw Setup with ``segw`` failed: XW SETUP FAILURE with ``cause`` (and the SeGW's Time To
    Wait), or no answer before the guard (``no_answer``). The association itself is up; the eNB
    sends XW SETUP REQUEST again at ``retry_at`` (TS 36.463 8.2.3: not before Time To Wait)."""

    segw: str
    retry_at: float
    cause: Cause | None = None
    time_to_wait_s: int | None = None
    no_answer: bool = False
    diagnostics: CriticalityDiagnostics | None = None


@attrs.frozen(slots=True)
class ResetAcknowledged:
    """The SeGW answered the eNB's RESET (TS 36.463 8.7): activations toward it work again."""

    segw: str


@attrs.frozen(slots=True)
class SegwWlansUpdated:
    """The WLANs ``segw`` offers, after Xw Setup or a WT Configuration Update (TS 36.463 8.2.2,
    8.3.2), each with its WLAN Usage: only those with one may carry LWIP."""

    segw: str
    wlans: tuple[WlanInformation, ...]


@attrs.frozen(slots=True)
class LwipModified:
    """The SeGW acknowledged the eNB Initiated LWIP Modification (TS 36.463 8.15.2): the UE's
    WLAN mobility set and serving PLMN are now these (the UE was sent the new mobility set)."""

    ue: UeKey
    mobility_set: tuple[WlanIdentifiers, ...]
    serving_plmn: bytes | None


@attrs.frozen(slots=True)
class WlanSuspended:
    """The UE reported its WLAN ``suspended`` (TS 36.331 5.6.15.4, WLAN-Status-v1430): every WLAN
    of its mobility set is temporarily unavailable. Nothing was released: the UE keeps its LWIP
    configuration and tunnel, and reports ``resumed`` (:class:`WlanResumed`) when it is back, or
    a failure, which releases LWIP (R11). What to carry over LTE meanwhile is the caller's call
    (with ``wlan-SuspendTriggersStatusReport`` the UE also sends a PDCP status report, TS
    36.323)."""

    ue: UeKey


@attrs.frozen(slots=True)
class WlanResumed:
    """The UE's WLAN is back after a suspension (TS 36.331 5.6.15.4 ``resumed``, or a
    ``successfulAssociation`` after a new mobility set ends the suspension too)."""

    ue: UeKey


@attrs.frozen(slots=True)
class WlanMeasurementReported:
    """A MeasurementReport for a WLAN measurement the library configured
    (:meth:`~lwip_enb.core.controller.EnbController.configure_wlan_measurements`; TS 36.331
    5.5.4.11-13, 5.5.5): ``event`` is W1, W2 or W3 by the report's ``meas_id``, ``results`` the
    WLANs reported (best first) and ``in_mobility_set`` those of them inside the UE's WLAN
    mobility set (all identifiers of a set entry match, 5.6.15.1). A W1 or W2 report of a WLAN
    of the set while the UE is WLAN_LOST also sets up a fresh tunnel (R11), as
    :meth:`~lwip_enb.core.controller.EnbController.wlan_available` does; any other report is
    only this event (docs/rrc.md)."""

    ue: UeKey
    event: rrc.WlanEvent
    meas_id: int
    results: tuple[rrc.WlanMeasResult, ...]
    in_mobility_set: tuple[WlanIdentifiers, ...] = ()


class ModificationFailure(enum.Enum):
    """Why an eNB Initiated LWIP Modification failed (:class:`ModificationFailed`)."""

    REJECTED = "rejected"
    """LWIP MODIFICATION REQUEST REJECT (TS 36.463 8.15.3), with its cause."""
    SEGW_ERROR = "segw-error"
    """An Error Indication about the modification, or its answer did not decode."""
    NO_ANSWER = "no-answer"
    """No answer before the guard timer."""
    NOT_OFFERED = "wlan-not-offered"
    """A WLAN of the new mobility set is not offered for LWIP by the SeGW; nothing was sent."""

    def describe(self) -> str:
        return self.value.replace("-", " ")


@attrs.frozen(slots=True)
class ModificationFailed:
    """The modification did not happen; the UE keeps its tunnel and its former mobility set."""

    ue: UeKey
    reason: ModificationFailure
    cause: Cause | None = None
    pdu: PeerPdu | None = None
    error: DecodeError | None = None


@attrs.frozen(slots=True)
class ErrorIndicationReceived:
    """An ERROR INDICATION from ``segw``, with all it carried. ``ue`` is the UE its ids name,
    if any; ``released`` says whether the eNB released it (TS 36.413 10.6 AP ID causes) and
    ``failed`` whether it ended the UE's outstanding procedure. Receiving one mandates nothing
    else (TS 36.463 8.6), so an Error Indication about an IE the SeGW ignored changes nothing."""

    segw: str
    ue: UeKey | None
    cause: Cause | None
    diagnostics: CriticalityDiagnostics | None
    enb_ue_id: int | None
    wt_ue_id: int | None
    released: bool = False
    failed: bool = False

    @property
    def procedure(self) -> int | None:
        """The procedure code the SeGW's diagnostics name, if any."""
        return self.diagnostics.procedure_code if self.diagnostics is not None else None


@attrs.frozen(slots=True)
class InputRejected:
    """An input the controller did not act on: a (state, event) pair without a row in the state
    table, bytes that did not decode, a message for no known UE. Nothing changed; an Error
    Indication to the SeGW, where one is due, is among the same outputs.

    ``kind`` says what was wrong and ``detail`` says it for humans; the other fields are filled
    in as far as they are known: the UE's ``state`` and the ``event`` it could not take, the
    ``segw`` and the XwAP ``procedure`` code and UE XwAP ids, the ``message`` name, the XwAP
    ``cause`` (of the Error Indication sent or received) and the decoder's ``error``.
    """

    ue: UeKey | None
    kind: Rejection
    detail: str
    state: State | None = None
    event: Event | None = None
    segw: str | None = None
    message: str | None = None
    procedure: int | None = None
    enb_ue_id: int | None = None
    wt_ue_id: int | None = None
    cause: Cause | None = None
    error: DecodeError | None = None


#: Every output of the eNB controller.
Output: TypeAlias = (
    SendXwap
    | SendRrc
    | StateChanged
    | ActivationFailed
    | TunnelUp
    | TunnelReleased
    | PskDeleted
    | KenbRefreshNeeded
    | SegwReady
    | XwSetupFailed
    | ResetAcknowledged
    | SegwWlansUpdated
    | LwipModified
    | ModificationFailed
    | ErrorIndicationReceived
    | InputRejected
    | WlanSuspended
    | WlanResumed
    | WlanMeasurementReported
)
