"""Typed XwAP messages (TS 36.463) of LWIP, Xw Setup, Reset and Error Indication; APER coding:
the public API.

Every message class names its ASN.1 type (``MESSAGE``) and maps its attributes to IEs by the IE id
names of the spec (``id-ENB-UE-XwAP-ID`` ...). Procedure code, message kind, IE ids, criticality and
presence are read from the modules' own object sets (:mod:`lwip_enb.asn1`), not written here.

Use :func:`encode` and :func:`decode`. Decoding is strict: it raises
:class:`~lwip_enb.errors.DecodeError` carrying the procedure code, IE id, criticality and cause that
an Error Indication needs (36.463 clause 10).

The package holds three parts, imported here and not the other way round: :mod:`.messages`
(the typed classes), :mod:`.general` (asn1tools, any PDU, the errors and diagnostics) and
:mod:`.fast` (hand-specialised APER for the typed messages, registry :data:`.fast.FAST_CODECS`).
:func:`encode`, :func:`decode` and :func:`decode_with_notify` try the fast path first and give
anything it leaves to the general codec; with ``fast=False`` they use the general codec alone.
Both paths give the same octets and the same messages.
"""

from __future__ import annotations

from typing import Final

from lwip_enb.codec.xwap import fast as _fast_path
from lwip_enb.codec.xwap import general as _general
from lwip_enb.codec.xwap.general import decode_value, read_ue_ids, to_value
from lwip_enb.codec.xwap.messages import (
    MESSAGE_CLASSES,
    UE_XWAP_ID_MAX,
    Cause,
    CauseGroup,
    Criticality,
    CriticalityDiagnostics,
    EnbIdKind,
    ErrorIndication,
    GlobalEnbId,
    GtpTunnelEndpoint,
    IeDiagnostic,
    LwipAdditionRequest,
    LwipAdditionRequestAcknowledge,
    LwipAdditionRequestReject,
    LwipModificationRequest,
    LwipModificationRequestAcknowledge,
    LwipModificationRequestReject,
    LwipReleaseConfirm,
    LwipReleaseRequest,
    LwipReleaseRequired,
    MessageKind,
    RawIe,
    Reset,
    ResetResponse,
    SeGwSecurityInfo,
    WlanIdentifiers,
    WlanInformation,
    WlanUsage,
    WtConfigurationUpdate,
    WtConfigurationUpdateAcknowledge,
    WtConfigurationUpdateFailure,
    WtId,
    XwapMessage,
    XwSetupFailure,
    XwSetupRequest,
    XwSetupResponse,
)

__all__ = [
    "MESSAGE_CLASSES",
    "UE_XWAP_ID_MAX",
    "Cause",
    "CauseGroup",
    "Criticality",
    "CriticalityDiagnostics",
    "EnbIdKind",
    "ErrorIndication",
    "GlobalEnbId",
    "GtpTunnelEndpoint",
    "IeDiagnostic",
    "LwipAdditionRequest",
    "LwipAdditionRequestAcknowledge",
    "LwipAdditionRequestReject",
    "LwipModificationRequest",
    "LwipModificationRequestAcknowledge",
    "LwipModificationRequestReject",
    "LwipReleaseConfirm",
    "LwipReleaseRequest",
    "LwipReleaseRequired",
    "MessageKind",
    "RawIe",
    "Reset",
    "ResetResponse",
    "SeGwSecurityInfo",
    "WlanIdentifiers",
    "WlanInformation",
    "WlanUsage",
    "WtConfigurationUpdate",
    "WtConfigurationUpdateAcknowledge",
    "WtConfigurationUpdateFailure",
    "WtId",
    "XwSetupFailure",
    "XwSetupRequest",
    "XwSetupResponse",
    "XwapMessage",
    "decode",
    "decode_value",
    "decode_with_notify",
    "encode",
    "read_ue_ids",
    "to_value",
]

#: The fast encoder of each typed message class, from the registry: one dict subscript a call.
_FAST_ENCODERS: Final = {cls: codec.encode for cls, codec in _fast_path.FAST_CODECS.items()}


def encode(msg: XwapMessage, *, fast: bool = True) -> bytes:
    """APER-encode a typed XwAP message as an ``XwAP-PDU``.

    ``fast=False`` skips the hand-specialised path and encodes through asn1tools (same octets,
    slower: for cross-checks and measurements). Raises
    :class:`~lwip_enb.errors.EncodeError` when a value breaks its ASN.1 type or a mandatory IE
    is missing.
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


def decode(data: bytes, *, fast: bool = True) -> XwapMessage:
    """Strictly decode one XwAP PDU into its typed message (see :func:`decode_with_notify`)."""
    if fast:
        msg = _fast_path.decode(data)
        if msg is not None:
            return msg
    return _general.decode_with_notify(data)[0]


def decode_with_notify(
    data: bytes, *, fast: bool = True
) -> tuple[XwapMessage, tuple[IeDiagnostic, ...]]:
    """Decode, and also return the IEs with criticality ``notify`` that were not understood.

    36.463 clause 10: an IE not comprehended with criticality ``reject`` and a missing mandatory
    IE with criticality ``reject`` raise :class:`~lwip_enb.errors.DecodeError`; ``ignore`` IEs
    are skipped; ``notify`` IEs are skipped and reported in the second element. The fast path
    takes only messages without such IEs. ``fast=False`` decodes through asn1tools alone (same
    result, slower).
    """
    if fast:
        msg = _fast_path.decode(data)
        if msg is not None:
            return msg, ()
    return _general.decode_with_notify(data)
