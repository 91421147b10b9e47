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
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.codec.xwap import Cause
from lwip_enb.core.fsm import Event, State
from lwip_enb.errors import DecodeError

__all__ = [
    "ActivationFailed",
    "ActivationFailure",
    "InputRejected",
    "KenbRefreshNeeded",
    "Output",
    "PskDeleted",
    "Rejection",
    "ReleaseReason",
    "ReleaseTrigger",
    "SegwReady",
    "SendRrc",
    "SendXwap",
    "StateChanged",
    "TunnelReleased",
    "TunnelUp",
    "UeKey",
]

#: The caller's key for a UE: anything hashable.
UeKey: TypeAlias = Hashable


# --- reasons ---------------------------------------------------------------------------------


class ReleaseTrigger(enum.Enum):
    """What ended LWIP for a UE (:attr:`ReleaseReason.trigger`)."""

    DEACTIVATED = "deactivated"
    """The caller's :meth:`~lwip_enb.core.controller.EnbController.deactivate` or ``forget``."""
    S1_HANDOVER = "s1-handover"
    """An S1 handover of the UE (R9)."""
    X2_HANDOVER = "x2-handover"
    """An X2 handover of the UE (R9)."""
    RADIO_LINK_FAILURE = "radio-link-failure"
    """The eNB detected an LTE radio link failure (R10)."""
    UE_RADIO_LINK_FAILURE = "ue-radio-link-failure"
    """The UE detected one: its RRCConnectionReestablishmentRequest (R10)."""
    WLAN_LOST = "wlan-lost"
    """The UE reported a WLAN failure; :attr:`ReleaseReason.wlan_status` says which (R11)."""
    UE_NO_ANSWER = "ue-no-answer"
    """The UE did not complete the RRC reconfiguration with the tunnel before the guard timer."""
    SEGW_RELEASED = "segw-released"
    """The SeGW asked for the release (LWIP RELEASE REQUIRED, with its cause)."""
    SEGW_ERROR = "segw-error"
    """The SeGW sent an Error Indication about the UE (with its cause)."""
    SEGW_LOST = "segw-lost"
    """The Xw association to the SeGW was lost or reset."""


_TRIGGER_TEXT: dict[ReleaseTrigger, str] = {
    ReleaseTrigger.DEACTIVATED: "deactivated",
    ReleaseTrigger.S1_HANDOVER: "s1 handover",
    ReleaseTrigger.X2_HANDOVER: "x2 handover",
    ReleaseTrigger.RADIO_LINK_FAILURE: "radio link failure",
    ReleaseTrigger.UE_RADIO_LINK_FAILURE: "radio link failure",
    ReleaseTrigger.WLAN_LOST: "WLAN lost",
    ReleaseTrigger.UE_NO_ANSWER: "no answer from UE",
    ReleaseTrigger.SEGW_RELEASED: "SeGW released",
    ReleaseTrigger.SEGW_ERROR: "SeGW error",
    ReleaseTrigger.SEGW_LOST: "SeGW lost",
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

    def describe(self) -> str:
        """For humans and the trace, e.g. ``x2 handover`` or ``SeGW released (misc:...)``."""
        text = _TRIGGER_TEXT[self.trigger]
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
    """The SeGW has no Xw association with Xw Setup done: nothing was sent."""
    REJECTED = "rejected"
    """The SeGW answered LWIP ADDITION REQUEST REJECT (with its cause)."""
    SEGW_ERROR = "segw-error"
    """The SeGW answered the addition with an Error Indication (with its cause)."""
    NO_ANSWER = "no-answer"
    """No answer from the SeGW before the guard timer."""
    SEGW_LOST = "segw-lost"
    """The Xw association was lost or reset while the addition was outstanding."""

    def describe(self) -> str:
        return _FAILURE_TEXT[self]

    def __str__(self) -> str:
        return self.describe()


_FAILURE_TEXT: dict[ActivationFailure, str] = {
    ActivationFailure.NO_XW_ASSOCIATION: "SeGW has no Xw association",
    ActivationFailure.REJECTED: "rejected by SeGW",
    ActivationFailure.SEGW_ERROR: "Error Indication from SeGW",
    ActivationFailure.NO_ANSWER: "no answer from SeGW",
    ActivationFailure.SEGW_LOST: "SeGW lost",
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
    :attr:`~ActivationFailure.SEGW_ERROR`; ``segw`` the SeGW the addition was for.
    """

    ue: UeKey
    reason: ActivationFailure
    cause: Cause | None = None
    segw: str = ""

    def describe(self) -> str:
        """For humans and the trace, e.g. ``no answer from SeGW``."""
        if self.reason is ActivationFailure.NO_XW_ASSOCIATION:
            return f"SeGW {self.segw} has no Xw association"
        return self.reason.describe()


@attrs.frozen(slots=True)
class TunnelUp:
    """The UE reported a successful WLAN association: the LWIP tunnel carries traffic (R1)."""

    ue: UeKey


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
    """Xw Setup with ``segw`` succeeded (``setup`` True), or failed or the SeGW was lost
    (False); activations toward it fail until it is ready again."""

    segw: str
    setup: bool


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
    | InputRejected
)
