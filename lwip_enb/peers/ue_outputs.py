"""What the reference UE (:class:`~lwip_enb.peers.ue.UeModel`) outputs.

The names are those of the eNB's outputs (:mod:`lwip_enb.core.outputs`) where the meaning is the
same: ``SendRrc`` to the eNB, ``PskStored``/``PskDeleted``, ``TunnelUp``/``TunnelReleased``,
``InputRejected``. Deletions and releases carry a typed :class:`ReleaseReason`.
"""

from __future__ import annotations

import enum
import ipaddress
from typing import TypeAlias

import attrs

from lwip_enb.codec import rrc
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.errors import DecodeError

__all__ = [
    "IkeFailed",
    "IkeFailure",
    "IkeStart",
    "InputRejected",
    "Output",
    "PskDeleted",
    "PskStored",
    "Rejection",
    "ReleaseReason",
    "ReleaseTrigger",
    "SendRrc",
    "TunnelReleased",
    "TunnelUp",
]

IpAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address


# --- reasons ---------------------------------------------------------------------------------


class ReleaseTrigger(enum.Enum):
    """What made the UE release LWIP and delete its PSK (:attr:`ReleaseReason.trigger`)."""

    HANDOVER_COMMAND = "handover-command"
    """A reconfiguration with mobilityControlInfo (TS 36.331 5.3.5.4, R9)."""
    LWIP_RELEASE = "lwip-release"
    """``lwip-Configuration release`` from the eNB (TS 36.331 5.6.17.3)."""
    RECONFIGURED = "reconfigured"
    """A new tunnel configuration replaced the one held."""
    WLAN_LOST = "wlan-lost"
    """The UE lost WLAN (R11)."""
    RADIO_LINK_FAILURE = "radio-link-failure"
    """The UE detected an LTE radio link failure (R10)."""
    RRC_CONNECTION_RELEASED = "rrc-connection-released"
    """The UE left RRC_CONNECTED (TS 36.331 5.3.12)."""


_TRIGGER_TEXT: dict[ReleaseTrigger, str] = {
    ReleaseTrigger.HANDOVER_COMMAND: "handover command",
    ReleaseTrigger.LWIP_RELEASE: "lwip-Configuration release",
    ReleaseTrigger.RECONFIGURED: "reconfigured",
    ReleaseTrigger.WLAN_LOST: "WLAN lost",
    ReleaseTrigger.RADIO_LINK_FAILURE: "radio link failure",
    ReleaseTrigger.RRC_CONNECTION_RELEASED: "RRC connection released",
}


@attrs.frozen(slots=True)
class ReleaseReason:
    """Why the UE released LWIP."""

    trigger: ReleaseTrigger

    def describe(self) -> str:
        """For humans and the trace, e.g. ``handover command``."""
        return _TRIGGER_TEXT[self.trigger]

    def __str__(self) -> str:
        return self.describe()


class IkeFailure(enum.Enum):
    """Why the UE's IKE exchange failed (:class:`IkeFailed`)."""

    REJECTED = "rejected"
    """The SeGW refused the initiation (its words in :attr:`IkeFailed.segw_reason`)."""
    SEGW_NOT_AUTHENTICATED = "segw-not-authenticated"
    """The SeGW's answer does not prove the LWIP-PSK."""


class Rejection(enum.Enum):
    """What was wrong with an input the UE did not act on (:class:`InputRejected`)."""

    UNDECODABLE = "undecodable"
    """DL-DCCH bytes that did not decode (:attr:`InputRejected.error`)."""


# --- outputs ---------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class SendRrc:
    """Send ``pdu`` (the UPER encoding of ``message``) to the eNB on ``channel``."""

    channel: RrcChannel
    message: rrc.RrcMessage
    pdu: bytes = attrs.field(repr=False)


@attrs.frozen(slots=True)
class IkeStart:
    """The UE received a tunnel configuration and wants to run IKE to ``segw_address`` as
    ``idi`` (R2); the harness drives the exchange."""

    segw_address: IpAddress
    idi: bytes


@attrs.frozen(slots=True)
class IkeFailed:
    """The UE's IKE exchange for ``idi`` failed: no tunnel, no PSK stored."""

    idi: bytes
    reason: IkeFailure
    segw_reason: str = ""

    def describe(self) -> str:
        """For humans and the trace, e.g. ``IKE failed: window expired``."""
        if self.reason is IkeFailure.SEGW_NOT_AUTHENTICATED:
            return "IKE failed: SeGW authentication failed"
        return f"IKE failed: {self.segw_reason or 'rejected by SeGW'}"


@attrs.frozen(slots=True)
class PskStored:
    """IKE succeeded: the UE keeps the LWIP-PSK of ``idi`` while the tunnel lives (R5)."""

    idi: bytes


@attrs.frozen(slots=True)
class PskDeleted:
    """The UE wiped the LWIP-PSK of ``idi`` (R5, R9, R10)."""

    idi: bytes
    reason: ReleaseReason


@attrs.frozen(slots=True)
class TunnelUp:
    """IKE succeeded: the tunnel of ``idi`` is up."""

    idi: bytes


@attrs.frozen(slots=True)
class TunnelReleased:
    """The tunnel of ``idi``, which was up, is gone; :class:`PskDeleted` follows."""

    idi: bytes
    reason: ReleaseReason


@attrs.frozen(slots=True)
class InputRejected:
    """Downlink bytes the UE did not act on; ``detail`` says why for humans."""

    kind: Rejection
    detail: str
    error: DecodeError | None = None


#: Every output of the reference UE.
Output: TypeAlias = (
    SendRrc
    | IkeStart
    | IkeFailed
    | PskStored
    | PskDeleted
    | TunnelUp
    | TunnelReleased
    | InputRejected
)
