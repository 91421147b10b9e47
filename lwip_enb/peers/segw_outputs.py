"""What the reference LWIP-SeGW (:class:`~lwip_enb.peers.segw.SegwModel`) outputs.

The names are those of the eNB's outputs (:mod:`lwip_enb.core.outputs`) where the meaning is the
same: ``SendXwap`` to an eNB, ``PskStored``/``PskDeleted``, ``TunnelUp``/``TunnelReleased``,
``InputRejected``. Deletions and releases carry a typed :class:`ReleaseReason`; rejected IKE
initiations an :class:`IkeRejection`; the end of a WT Configuration Update an
:class:`UpdateResult`.
"""

from __future__ import annotations

import enum
from typing import TypeAlias

import attrs

from lwip_enb.codec import xwap
from lwip_enb.codec.xwap import Cause
from lwip_enb.errors import DecodeError

__all__ = [
    "ConfigurationUpdateEnded",
    "IkeRejected",
    "IkeRejection",
    "InputRejected",
    "NoAnswer",
    "Output",
    "PskDeleted",
    "PskPhase",
    "PskStored",
    "Rejection",
    "ReleaseReason",
    "ReleaseTrigger",
    "SendXwap",
    "TunnelReleased",
    "TunnelUp",
    "UpdateResult",
]


# --- reasons ---------------------------------------------------------------------------------


class PskPhase(enum.Enum):
    """Why the SeGW holds an LWIP-PSK (R5)."""

    WINDOW = "window"
    """From the LWIP ADDITION REQUEST: waiting for the UE's IKE initiation (R4)."""
    TUNNEL = "tunnel"
    """IKE succeeded: kept for the tunnel's life."""


class ReleaseTrigger(enum.Enum):
    """What made the SeGW delete a PSK and release its tunnel (:attr:`ReleaseReason.trigger`)."""

    ENB_LOST = "enb-lost"
    """The Xw association to the eNB was lost."""
    XW_RESET = "xw-reset"
    """The eNB reset the Xw association."""
    ENB_ERROR = "enb-error"
    """The eNB sent an Error Indication about the UE (with its cause)."""
    RELEASED_BY_ENB = "released-by-enb"
    """LWIP RELEASE REQUEST from the eNB (with its cause)."""
    RELEASED_BY_SEGW = "released-by-segw"
    """The SeGW's own release (:meth:`~lwip_enb.peers.segw.SegwModel.release`, with a cause)."""
    IKE_WINDOW_EXPIRED = "ike-window-expired"
    """The UE did not initiate IKE within the window (R4)."""
    XW_SETUP = "xw-setup"
    """The eNB ran Xw Setup again, which resets the Xw interface (TS 36.463 8.2.1, clause 7)."""
    RESET_BY_SEGW = "reset-by-segw"
    """The SeGW reset the Xw interface to the eNB (:meth:`~lwip_enb.peers.segw.SegwModel.reset`,
    TS 36.463 8.7)."""
    XWAP_ID_ERROR = "xwap-id-error"
    """A message from the eNB named the tunnel's UE XwAP ID in an unknown or inconsistent pair:
    local release as TS 36.413 10.6 says (with the cause of the Error Indication, if one was
    sent)."""
    UNEXPECTED_CONFIRM = "unexpected-confirm"
    """LWIP RELEASE CONFIRM, the last message of the connection, for a tunnel whose release the
    SeGW had not required: the eNB has ended the connection."""


_TRIGGER_TEXT: dict[ReleaseTrigger, str] = {
    ReleaseTrigger.ENB_LOST: "Xw association lost",
    ReleaseTrigger.XW_RESET: "Xw Reset",
    ReleaseTrigger.ENB_ERROR: "Error Indication",
    ReleaseTrigger.RELEASED_BY_ENB: "LWIP RELEASE REQUEST",
    ReleaseTrigger.RELEASED_BY_SEGW: "released by SeGW",
    ReleaseTrigger.IKE_WINDOW_EXPIRED: "IKE window expired",
    ReleaseTrigger.XW_SETUP: "Xw Setup",
    ReleaseTrigger.RESET_BY_SEGW: "Xw Reset by SeGW",
    ReleaseTrigger.XWAP_ID_ERROR: "unknown or inconsistent UE XwAP IDs",
    ReleaseTrigger.UNEXPECTED_CONFIRM: "LWIP RELEASE CONFIRM without LWIP RELEASE REQUIRED",
}


@attrs.frozen(slots=True)
class ReleaseReason:
    """Why the SeGW let go of a PSK (and of its tunnel, if it was up)."""

    trigger: ReleaseTrigger
    cause: Cause | None = None
    """The XwAP cause of the release or Error Indication, where there was one."""

    def describe(self) -> str:
        """For humans and the trace, e.g. ``LWIP RELEASE REQUEST (radioNetwork:unspecified)``."""
        text = _TRIGGER_TEXT[self.trigger]
        return text if self.cause is None else f"{text} ({self.cause})"

    def __str__(self) -> str:
        return self.describe()


class IkeRejection(enum.Enum):
    """Why the SeGW refused an IKE initiation (:class:`IkeRejected`)."""

    NO_SA_INIT = "no-sa-init"
    """IKE_AUTH without a preceding IKE_SA_INIT of this SeGW."""
    UNKNOWN_IDI = "unknown-idi"
    """No PSK is stored for the IDi (R3)."""
    TUNNEL_EXISTS = "tunnel-exists"
    """The IDi's tunnel is already up."""
    WINDOW_EXPIRED = "window-expired"
    """The initiation came after the IKE window (R4); PSK and IDi are deleted with it."""
    NO_PROPOSAL_CHOSEN = "no-proposal-chosen"
    """No proposal of the 3GPP profile was offered (R8)."""
    AUTHENTICATION_FAILED = "authentication-failed"
    """The UE's proof does not match the LWIP-PSK (R1)."""

    def describe(self) -> str:
        return _IKE_TEXT[self]

    def __str__(self) -> str:
        return self.describe()


_IKE_TEXT: dict[IkeRejection, str] = {
    IkeRejection.NO_SA_INIT: "no IKE_SA_INIT",
    IkeRejection.UNKNOWN_IDI: "unknown IDi",
    IkeRejection.TUNNEL_EXISTS: "tunnel already up",
    IkeRejection.WINDOW_EXPIRED: "IKE window expired",
    IkeRejection.NO_PROPOSAL_CHOSEN: "no proposal of the 3GPP profile offered",
    IkeRejection.AUTHENTICATION_FAILED: "authentication failed",
}


class Rejection(enum.Enum):
    """What was wrong with an XwAP input the SeGW did not act on (:class:`InputRejected`)."""

    UNDECODABLE = "undecodable"
    """Bytes that did not decode (:attr:`InputRejected.error`)."""
    ERROR_INDICATION = "error-indication"
    """An Error Indication from the eNB that names no tunnel of that eNB."""
    UNKNOWN_XWAP_IDS = "unknown-xwap-ids"
    """A UE-associated message whose UE XwAP IDs are unknown or do not form the pair of one
    tunnel (TS 36.463 clause 10, TS 36.413 10.6); a duplicate eNB UE XwAP ID in an LWIP
    ADDITION REQUEST is one too."""
    UNEXPECTED_MESSAGE = "unexpected-message"
    """A message the SeGW does not take in its state (TS 36.413 10.4): one only a WT sends, one
    before Xw Setup (TS 36.463 8.2.4), an answer to no procedure of the SeGW."""
    EARLY_XW_SETUP = "early-xw-setup"
    """Xw Setup again before the Time To Wait of the SeGW's XW SETUP FAILURE had passed
    (TS 36.463 8.2.3): refused again."""


class UpdateResult(enum.Enum):
    """How a WT Configuration Update of the SeGW ended (:class:`ConfigurationUpdateEnded`)."""

    ACKNOWLEDGED = "acknowledged"
    """WT CONFIGURATION UPDATE ACKNOWLEDGE: the eNB uses the new WLAN list (36.463 8.3.2)."""
    FAILED = "failed"
    """WT CONFIGURATION UPDATE FAILURE (with its cause and any Time To Wait), or an Error
    Indication about the update: both nodes keep the old configuration (8.3.3)."""
    NO_ANSWER = "no-answer"
    """No answer within the SeGW's guard time."""
    ABORTED = "aborted"
    """Xw Setup, Reset or the loss of the association ended it (8.7.2)."""


# --- outputs ---------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class SendXwap:
    """Send ``pdu`` (the APER encoding of ``message``) to the eNB named ``enb``.

    ``garbled``: the fault knob :attr:`~lwip_enb.peers.segw.AnswerFault.GARBAGE` replaced the
    encoding of ``message`` (the answer due) with octets that are no XwAP PDU.
    """

    enb: str
    message: xwap.XwapMessage
    pdu: bytes = attrs.field(repr=False)
    garbled: bool = False


@attrs.frozen(slots=True)
class PskStored:
    """The SeGW holds the LWIP-PSK of ``idi`` (R5): emitted when the LWIP ADDITION REQUEST
    stores it (``phase`` WINDOW) and again when IKE succeeds (TUNNEL)."""

    idi: bytes
    phase: PskPhase


@attrs.frozen(slots=True)
class PskDeleted:
    """The SeGW wiped the LWIP-PSK of ``idi`` and forgot the IDi (R4, R5)."""

    idi: bytes
    reason: ReleaseReason


@attrs.frozen(slots=True)
class IkeRejected:
    """The SeGW refused the UE's IKE initiation as ``idi``; no tunnel (R1, R4, R8)."""

    idi: bytes
    reason: IkeRejection


@attrs.frozen(slots=True)
class TunnelUp:
    """IKE with the UE succeeded: the tunnel of ``idi`` is up (R1)."""

    idi: bytes


@attrs.frozen(slots=True)
class TunnelReleased:
    """The tunnel of ``idi``, which was up, is gone; its :class:`PskDeleted` follows (R5)."""

    idi: bytes
    reason: ReleaseReason


@attrs.frozen(slots=True)
class InputRejected:
    """XwAP the SeGW did not act on as asked (:class:`Rejection` says why): bytes that did not
    decode, UE XwAP IDs that name no tunnel, a message the SeGW does not take in its state.
    What the SeGW sent about it, if anything, is in a :class:`SendXwap` beside it. ``detail``
    says it for humans; the other fields as far as they are known."""

    enb: str
    kind: Rejection
    detail: str
    cause: Cause | None = None
    enb_ue_id: int | None = None
    wt_ue_id: int | None = None
    error: DecodeError | None = None


@attrs.frozen(slots=True)
class ConfigurationUpdateEnded:
    """The SeGW's WT Configuration Update to ``enb`` (36.463 8.3) is over."""

    enb: str
    result: UpdateResult
    cause: Cause | None = None
    time_to_wait_s: int | None = None


@attrs.frozen(slots=True)
class NoAnswer:
    """``enb`` did not answer the SeGW's ``message`` within the guard time: LWIP RELEASE
    REQUIRED (TS 36.463 8.17.2: the eNB replies with LWIP RELEASE CONFIRM; the UE XwAP IDs
    are freed now) or RESET (8.7.2: answered with RESET RESPONSE)."""

    enb: str
    message: str
    enb_ue_id: int | None = None
    wt_ue_id: int | None = None


#: Every output of the reference SeGW.
Output: TypeAlias = (
    SendXwap
    | PskStored
    | PskDeleted
    | IkeRejected
    | TunnelUp
    | TunnelReleased
    | InputRejected
    | ConfigurationUpdateEnded
    | NoAnswer
)
