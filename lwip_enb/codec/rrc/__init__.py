"""Typed RRC messages of LWIP (TS 36.331) and their UPER encoding: the public API.

Downlink (DL-DCCH): :class:`RrcConnectionReconfiguration` carrying ``lwip-Configuration-r13``
(setup with the tunnel configuration and the WLAN mobility set, or release), per-DRB
``drb-TypeLWIP-r13``, WLAN measurements (:class:`WlanMeasConfig`: ``MeasObjectWLAN-r13``, events
W1/W2/W3) and, for a handover command, ``mobilityControlInfo``
(:meth:`RrcConnectionReconfiguration.handover_command`, with or without an LWIP set-up).
:class:`UeCapabilityEnquiry`. Uplink: :class:`RrcConnectionReconfigurationComplete`,
:class:`WlanConnectionStatusReport`, :class:`MeasurementReport` and
:class:`UeCapabilityInformation` (UL-DCCH), :class:`RrcConnectionReestablishmentRequest`
(UL-CCCH). Any other message decodes to :class:`OtherRrcMessage` with its raw value.
:func:`decode_eutra_capability` reads what LWIP needs (:class:`UeLwipCapability`) out of a
``UE-EUTRA-Capability`` container.

Use :func:`encode` and :func:`decode`; every message validates its fields when it is made.

The package holds three parts, imported here and not the other way round: :mod:`.messages`
(the typed classes), :mod:`.general` (asn1tools, every message, the errors) and :mod:`.fast`
(hand-specialised UPER for the typed messages, registry :data:`.fast.FAST_CODECS`).
:func:`encode` and :func:`decode` try the fast path first and give anything it leaves to the
general codec; with ``fast=False`` they use the general codec alone. Both paths give the same
octets and the same messages.
"""

from __future__ import annotations

from typing import Final

from lwip_enb.codec.rrc import fast as _fast_path
from lwip_enb.codec.rrc import general as _general
from lwip_enb.codec.rrc.general import decode_eutra_capability, decode_value
from lwip_enb.codec.rrc.messages import (
    FILTER_COEFFICIENTS,
    MAX_WLAN_ID,
    MESSAGE_CLASSES,
    REPORT_AMOUNTS,
    REPORT_INTERVALS_MS,
    TIME_TO_TRIGGER_MS,
    WLAN_RSSI_MAX,
    DrbLwip,
    DrbTypeLwip,
    HandoverCommand,
    LwipRelease,
    LwipSetup,
    MeasIdentity,
    MeasurementReport,
    OtherRrcMessage,
    RatType,
    ReestablishmentCause,
    RrcChannel,
    RrcConnectionReconfiguration,
    RrcConnectionReconfigurationComplete,
    RrcConnectionReestablishmentRequest,
    RrcMessage,
    TunnelConfig,
    UeCapabilityContainer,
    UeCapabilityEnquiry,
    UeCapabilityInformation,
    UeLwipCapability,
    WlanBand,
    WlanConnectionStatusReport,
    WlanEvent,
    WlanIdentifiers,
    WlanMeasConfig,
    WlanMeasObject,
    WlanMeasResult,
    WlanMobilityConfig,
    WlanReportConfig,
    WlanStatus,
    WlanSuspendConfig,
    to_channel,
    wlan_rssi_dbm,
    wlan_rssi_value,
)

__all__ = [
    "FILTER_COEFFICIENTS",
    "MAX_WLAN_ID",
    "MESSAGE_CLASSES",
    "REPORT_AMOUNTS",
    "REPORT_INTERVALS_MS",
    "TIME_TO_TRIGGER_MS",
    "WLAN_RSSI_MAX",
    "DrbLwip",
    "DrbTypeLwip",
    "HandoverCommand",
    "LwipRelease",
    "LwipSetup",
    "MeasIdentity",
    "MeasurementReport",
    "OtherRrcMessage",
    "RatType",
    "ReestablishmentCause",
    "RrcChannel",
    "RrcConnectionReconfiguration",
    "RrcConnectionReconfigurationComplete",
    "RrcConnectionReestablishmentRequest",
    "RrcMessage",
    "TunnelConfig",
    "UeCapabilityContainer",
    "UeCapabilityEnquiry",
    "UeCapabilityInformation",
    "UeLwipCapability",
    "WlanBand",
    "WlanConnectionStatusReport",
    "WlanEvent",
    "WlanIdentifiers",
    "WlanMeasConfig",
    "WlanMeasObject",
    "WlanMeasResult",
    "WlanMobilityConfig",
    "WlanReportConfig",
    "WlanStatus",
    "WlanSuspendConfig",
    "decode",
    "decode_eutra_capability",
    "decode_value",
    "encode",
    "wlan_rssi_dbm",
    "wlan_rssi_value",
]

#: The fast encoder of each typed message class, from the registry: one dict subscript a call.
_FAST_ENCODERS: Final = {cls: codec.encode for cls, codec in _fast_path.FAST_CODECS.items()}


def encode(msg: RrcMessage, *, fast: bool = True) -> bytes:
    """UPER-encode ``msg`` as a message of its logical channel.

    ``fast=False`` skips the hand-specialised path and encodes through asn1tools (same octets,
    slower: for cross-checks and measurements). Raises
    :class:`~lwip_enb.errors.EncodeError` when a value breaks its ASN.1 type.
    """
    if fast:
        try:
            encoder = _FAST_ENCODERS[type(msg)]
        except KeyError:  # not a typed message: the general codec's
            pass
        else:
            data = encoder(msg)
            if data is not None:
                return data
    return _general.encode(msg)


def decode(channel: RrcChannel | str, data: bytes, *, fast: bool = True) -> RrcMessage:
    """Strictly decode a UPER message of ``channel`` into a typed message.

    Raises :class:`~lwip_enb.errors.DecodeError` for anything that is not exactly one valid
    message: truncated input, trailing octets, constraint violations; and
    :class:`~lwip_enb.errors.InvalidFieldError` for an unknown channel. ``fast=False`` decodes
    through asn1tools alone (same result, slower).
    """
    channel = to_channel(channel)
    if fast:
        msg = _fast_path.decode(channel, data)
        if msg is not None:
            return msg
    return _general.decode(channel, data)
