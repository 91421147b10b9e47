"""Typed XwAP messages (TS 36.463) of LWIP, Xw Setup, Reset and Error Indication; APER coding.

Every message class names its ASN.1 type (``MESSAGE``) and maps its attributes to IEs by the IE id
names of the spec (``id-ENB-UE-XwAP-ID`` ...). Procedure code, message kind, IE ids, criticality and
presence are read from the modules' own object sets (:mod:`lwip_enb.asn1`), not written here.

Use :func:`encode` and :func:`decode`. Decoding is strict: it raises
:class:`~lwip_enb.errors.DecodeError` carrying the procedure code, IE id, criticality and cause that
an Error Indication needs (36.463 clause 10).
"""

from __future__ import annotations

import enum
import functools
import ipaddress
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Final, TypeAlias

import asn1tools  # type: ignore[import-untyped]
import attrs

from lwip_enb import asn1
from lwip_enb.codec.fields import (
    WlanIdentifiers,
    bits_to_uint,
    int_in,
    ip_address,
    mac_address,
    octets_len,
    uint_to_bits,
    wlan_tuple,
)
from lwip_enb.errors import DecodeError, EncodeError, InvalidFieldError
from lwip_enb.keys import LWIP_PSK_LENGTH, KeyMaterial

__all__ = [
    "Cause",
    "CauseGroup",
    "Criticality",
    "CriticalityDiagnostics",
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
    "WtId",
    "XwSetupFailure",
    "XwSetupRequest",
    "XwSetupResponse",
    "XwapMessage",
    "decode",
    "encode",
]

Value: TypeAlias = Any  # a value in asn1tools' Python representation
IpAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address

UE_XWAP_ID_MAX: Final = 0xFFFFFF  # UE-XwAP-ID ::= OCTET STRING (SIZE (3))


class Criticality(enum.Enum):
    REJECT = "reject"
    IGNORE = "ignore"
    NOTIFY = "notify"


class MessageKind(enum.Enum):
    """The three alternatives of ``XwAP-PDU``; values are the spec's names."""

    INITIATING = "initiatingMessage"
    SUCCESSFUL = "successfulOutcome"
    UNSUCCESSFUL = "unsuccessfulOutcome"

    @property
    def triggering_message(self) -> str:
        """The matching ``TriggeringMessage`` value (CriticalityDiagnostics)."""
        return _TRIGGERING_MESSAGES[self._value_]


_TRIGGERING_MESSAGES: Final = {
    "initiatingMessage": "initiating-message",
    "successfulOutcome": "successful-outcome",
    "unsuccessfulOutcome": "unsuccessful-outcome",
}


# --- IE value types --------------------------------------------------------------------------


class CauseGroup(enum.Enum):
    RADIO_NETWORK = "radioNetwork"
    TRANSPORT = "transport"
    PROTOCOL = "protocol"
    MISC = "misc"

    @property
    def asn1_type(self) -> str:
        return _CAUSE_TYPES[self._value_]


_CAUSE_TYPES: Final = {
    "radioNetwork": "CauseRadioNetwork",
    "transport": "CauseTransport",
    "protocol": "CauseProtocol",
    "misc": "CauseMisc",
}


@attrs.frozen(slots=True)
class Cause:
    """XwAP ``Cause`` (36.463 9.2.6): a group and one of its enumerated values, as spelt there."""

    group: CauseGroup = attrs.field(converter=CauseGroup)
    value: str = attrs.field()

    @value.validator
    def _check(self, _attr: attrs.Attribute[Any], value: str) -> None:
        allowed = _enumeration(self.group.asn1_type)
        if value not in allowed:
            raise InvalidFieldError("cause", f"{value!r} is not a {self.group.asn1_type} value")

    @classmethod
    def radio_network(cls, value: str) -> Cause:
        return cls(CauseGroup.RADIO_NETWORK, value)

    @classmethod
    def transport(cls, value: str) -> Cause:
        return cls(CauseGroup.TRANSPORT, value)

    @classmethod
    def protocol(cls, value: str) -> Cause:
        return cls(CauseGroup.PROTOCOL, value)

    @classmethod
    def misc(cls, value: str) -> Cause:
        return cls(CauseGroup.MISC, value)

    def __str__(self) -> str:
        return f"{self.group.value}:{self.value}"


def _opt_int_in(
    field: str, lo: int, hi: int
) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    inner = int_in(field, lo, hi)

    def check(inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            inner(inst, attr, value)

    return check


_ue_id = int_in("ue_xwap_id", 0, UE_XWAP_ID_MAX)
_opt_ue_id = _opt_int_in("ue_xwap_id", 0, UE_XWAP_ID_MAX)


def _address(value: Any) -> IpAddress:
    return ip_address(value, "address")


@attrs.frozen(slots=True)
class GtpTunnelEndpoint:
    """``GTPtunnelEndpoint``: transport address and 4-octet TEID."""

    address: IpAddress = attrs.field(converter=_address)
    teid: bytes = attrs.field(converter=bytes, validator=octets_len("gtp_teid", 4, 4))


@attrs.frozen(slots=True, repr=False)
class SeGwSecurityInfo:
    """``LWIP-SeGWSecurityInfo`` (36.463 9.2.30): LWIP-PSK (256 bits) and the IDi it belongs to."""

    psk: KeyMaterial = attrs.field()
    idi: bytes = attrs.field(converter=bytes, validator=octets_len("idi", 1, 255))

    @psk.validator
    def _check_psk(self, _attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, KeyMaterial):
            raise InvalidFieldError("psk", "must be KeyMaterial")
        if len(value) != LWIP_PSK_LENGTH:
            raise InvalidFieldError("psk", f"must be {LWIP_PSK_LENGTH} octets, got {len(value)}")

    def __repr__(self) -> str:
        return f"SeGwSecurityInfo(psk={self.psk!r}, idi={self.idi.hex()})"


class EnbIdKind(enum.Enum):
    MACRO = ("macroENB-ID", 20)
    SHORT_MACRO = ("short-macroENB-ID", 18)
    LONG_MACRO = ("long-macroENB-ID", 21)

    @property
    def asn1_name(self) -> str:
        return self.value[0]

    @property
    def bits(self) -> int:
        return self.value[1]


@attrs.frozen(slots=True)
class GlobalEnbId:
    """``Global-ENB-ID``: PLMN identity (3 octets, BCD as in TS 36.413) and the eNB ID."""

    plmn: bytes = attrs.field(converter=bytes, validator=octets_len("plmn", 3, 3))
    enb_id: int = attrs.field()
    kind: EnbIdKind = EnbIdKind.MACRO

    @enb_id.validator
    def _check(self, attr: attrs.Attribute[Any], value: int) -> None:
        int_in("enb_id", 0, (1 << self.kind.bits) - 1)(self, attr, value)


@attrs.frozen(slots=True)
class WtId:
    """``WTID``: type 1 (PLMN + 24-bit short WT ID) when ``plmn`` is set, else type 2 (48 bits)."""

    value: int = attrs.field()
    plmn: bytes | None = attrs.field(default=None, validator=octets_len("plmn", 3, 3))

    @value.validator
    def _check(self, attr: attrs.Attribute[Any], value: int) -> None:
        bits = 48 if self.plmn is None else 24
        int_in("wt_id", 0, (1 << bits) - 1)(self, attr, value)


@attrs.frozen(slots=True)
class IeDiagnostic:
    """One ``CriticalityDiagnostics-IE-Item``."""

    criticality: Criticality = attrs.field(converter=Criticality)
    ie_id: int = attrs.field(validator=int_in("ie_id", 0, 65535))
    type_of_error: str = attrs.field()

    @type_of_error.validator
    def _check(self, _attr: attrs.Attribute[Any], value: str) -> None:
        if value not in ("not-understood", "missing"):
            raise InvalidFieldError("type_of_error", f"must be not-understood or missing: {value}")


def _diag_tuple(value: Iterable[IeDiagnostic]) -> tuple[IeDiagnostic, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class CriticalityDiagnostics:
    """``CriticalityDiagnostics``: what a receiver could not understand (36.463 9.2.7)."""

    procedure_code: int | None = attrs.field(default=None, validator=_opt_int_in("pc", 0, 255))
    triggering_message: MessageKind | None = attrs.field(
        default=None, converter=attrs.converters.optional(MessageKind)
    )
    procedure_criticality: Criticality | None = attrs.field(
        default=None, converter=attrs.converters.optional(Criticality)
    )
    ies: tuple[IeDiagnostic, ...] = attrs.field(default=(), converter=_diag_tuple)


@attrs.frozen(slots=True)
class RawIe:
    """An IE this library does not model, kept as decoded so nothing is lost on re-encoding."""

    ie_id: int
    criticality: Criticality
    value: Value = attrs.field(eq=False)


# --- messages --------------------------------------------------------------------------------


def _raw_tuple(value: Iterable[RawIe]) -> tuple[RawIe, ...]:
    return tuple(value)


def _other_ies() -> Any:
    return attrs.field(default=(), converter=_raw_tuple, kw_only=True)


class XwapMessage:
    """Base of the typed XwAP messages."""

    __slots__ = ()
    MESSAGE: ClassVar[str]
    #: (attribute, IE id name) in the order the IEs are encoded
    FIELDS: ClassVar[tuple[tuple[str, str], ...]]

    @property
    def procedure_code(self) -> int:
        return _message_info(self.MESSAGE).procedure_code

    @property
    def kind(self) -> MessageKind:
        return _message_info(self.MESSAGE).kind


@attrs.frozen(slots=True)
class LwipAdditionRequest(XwapMessage):
    """eNB -> WT: prepare an LWIP tunnel for a UE, with the LWIP-PSK and IDi (36.463 9.1.27)."""

    MESSAGE: ClassVar[str] = "LWIPAdditionRequest"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wlan_mac", "id-UE-Identity"),
        ("security", "id-LWIP-SeGWSecurityInfo"),
        ("serving_plmn", "id-ServingPLMN"),
        ("enb_gtp_endpoint", "id-eNBGTPtunnelEndpoint"),
        ("mobility_set", "id-MobilitySet"),
    )

    enb_ue_id: int = attrs.field(validator=_ue_id)
    wlan_mac: bytes = attrs.field(converter=mac_address)
    security: SeGwSecurityInfo
    serving_plmn: bytes | None = attrs.field(default=None, validator=octets_len("plmn", 3, 3))
    enb_gtp_endpoint: GtpTunnelEndpoint | None = None
    mobility_set: tuple[WlanIdentifiers, ...] = attrs.field(default=(), converter=wlan_tuple)
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class LwipAdditionRequestAcknowledge(XwapMessage):
    MESSAGE: ClassVar[str] = "LWIPAdditionRequestAcknowledge"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wt_ue_id", "id-WT-UE-XwAP-ID"),
        ("segw_gtp_endpoint", "id-LWIP-SeGWGTPtunnelEndpoint"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    enb_ue_id: int = attrs.field(validator=_ue_id)
    wt_ue_id: int = attrs.field(validator=_ue_id)
    segw_gtp_endpoint: GtpTunnelEndpoint | None = None
    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class LwipAdditionRequestReject(XwapMessage):
    MESSAGE: ClassVar[str] = "LWIPAdditionRequestReject"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("cause", "id-Cause"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    enb_ue_id: int = attrs.field(validator=_ue_id)
    cause: Cause
    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class LwipModificationRequest(XwapMessage):
    MESSAGE: ClassVar[str] = "LWIPModificationRequest"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wt_ue_id", "id-WT-UE-XwAP-ID"),
        ("cause", "id-Cause"),
        ("serving_plmn", "id-ServingPLMN"),
        ("mobility_set", "id-MobilitySet"),
    )

    enb_ue_id: int = attrs.field(validator=_ue_id)
    wt_ue_id: int = attrs.field(validator=_ue_id)
    cause: Cause
    serving_plmn: bytes | None = attrs.field(default=None, validator=octets_len("plmn", 3, 3))
    mobility_set: tuple[WlanIdentifiers, ...] = attrs.field(default=(), converter=wlan_tuple)
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class LwipModificationRequestAcknowledge(XwapMessage):
    MESSAGE: ClassVar[str] = "LWIPModificationRequestAcknowledge"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wt_ue_id", "id-WT-UE-XwAP-ID"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    enb_ue_id: int = attrs.field(validator=_ue_id)
    wt_ue_id: int = attrs.field(validator=_ue_id)
    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class LwipModificationRequestReject(XwapMessage):
    MESSAGE: ClassVar[str] = "LWIPModificationRequestReject"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wt_ue_id", "id-WT-UE-XwAP-ID"),
        ("cause", "id-Cause"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    enb_ue_id: int = attrs.field(validator=_ue_id)
    wt_ue_id: int = attrs.field(validator=_ue_id)
    cause: Cause
    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class LwipReleaseRequest(XwapMessage):
    """eNB -> WT: release the UE's LWIP tunnel resources; class 2, no answer (36.463 8.16)."""

    MESSAGE: ClassVar[str] = "LWIPReleaseRequest"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wt_ue_id", "id-WT-UE-XwAP-ID"),
        ("cause", "id-Cause"),
    )

    enb_ue_id: int = attrs.field(validator=_ue_id)
    wt_ue_id: int = attrs.field(validator=_ue_id)
    cause: Cause | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class LwipReleaseRequired(XwapMessage):
    """WT -> eNB: the WT wants the UE's LWIP tunnel released (36.463 8.17)."""

    MESSAGE: ClassVar[str] = "LWIPReleaseRequired"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wt_ue_id", "id-WT-UE-XwAP-ID"),
        ("cause", "id-Cause"),
    )

    enb_ue_id: int = attrs.field(validator=_ue_id)
    wt_ue_id: int = attrs.field(validator=_ue_id)
    cause: Cause
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class LwipReleaseConfirm(XwapMessage):
    MESSAGE: ClassVar[str] = "LWIPReleaseConfirm"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wt_ue_id", "id-WT-UE-XwAP-ID"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    enb_ue_id: int = attrs.field(validator=_ue_id)
    wt_ue_id: int = attrs.field(validator=_ue_id)
    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class XwSetupRequest(XwapMessage):
    MESSAGE: ClassVar[str] = "XwSetupRequest"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (("global_enb_id", "id-Global-ENB-ID"),)

    global_enb_id: GlobalEnbId
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class XwSetupResponse(XwapMessage):
    """WT -> eNB. ``wlan_identifiers`` keeps each ``WLANInformation``'s BSSID, SSID and HESSID."""

    MESSAGE: ClassVar[str] = "XwSetupResponse"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("wt_id", "id-WTID"),
        ("wlan_identifiers", "id-WLANIdentifier-List"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    wt_id: WtId
    wlan_identifiers: tuple[WlanIdentifiers, ...] = attrs.field(converter=wlan_tuple)
    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()

    @wlan_identifiers.validator
    def _check(self, _attr: attrs.Attribute[Any], value: tuple[WlanIdentifiers, ...]) -> None:
        if not value:
            raise InvalidFieldError("wlan_identifiers", "at least one WLAN identifier")


_TIME_TO_WAIT_S: Final = (1, 2, 5, 10, 20, 60)


@attrs.frozen(slots=True)
class XwSetupFailure(XwapMessage):
    MESSAGE: ClassVar[str] = "XwSetupFailure"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("cause", "id-Cause"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
        ("time_to_wait_s", "id-TimeToWait"),
    )

    cause: Cause
    criticality_diagnostics: CriticalityDiagnostics | None = None
    time_to_wait_s: int | None = attrs.field(default=None)
    other_ies: tuple[RawIe, ...] = _other_ies()

    @time_to_wait_s.validator
    def _check(self, _attr: attrs.Attribute[Any], value: int | None) -> None:
        if value is not None and value not in _TIME_TO_WAIT_S:
            raise InvalidFieldError("time_to_wait_s", f"must be one of {_TIME_TO_WAIT_S}")


@attrs.frozen(slots=True)
class Reset(XwapMessage):
    MESSAGE: ClassVar[str] = "Reset"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (("cause", "id-Cause"),)

    cause: Cause
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class ResetResponse(XwapMessage):
    MESSAGE: ClassVar[str] = "ResetResponse"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class ErrorIndication(XwapMessage):
    MESSAGE: ClassVar[str] = "ErrorIndication"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wt_ue_id", "id-WT-UE-XwAP-ID"),
        ("cause", "id-Cause"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    enb_ue_id: int | None = attrs.field(default=None, validator=_opt_ue_id)
    wt_ue_id: int | None = attrs.field(default=None, validator=_opt_ue_id)
    cause: Cause | None = None
    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()


MESSAGE_CLASSES: Final[tuple[type[XwapMessage], ...]] = (
    LwipAdditionRequest,
    LwipAdditionRequestAcknowledge,
    LwipAdditionRequestReject,
    LwipModificationRequest,
    LwipModificationRequestAcknowledge,
    LwipModificationRequestReject,
    LwipReleaseRequest,
    LwipReleaseRequired,
    LwipReleaseConfirm,
    XwSetupRequest,
    XwSetupResponse,
    XwSetupFailure,
    Reset,
    ResetResponse,
    ErrorIndication,
)
_BY_MESSAGE: Final = {cls.MESSAGE: cls for cls in MESSAGE_CLASSES}


# --- what the modules say about each message -----------------------------------------------------


@functools.cache
def _enumeration(type_name: str) -> frozenset[str]:
    """The values of an XwAP ENUMERATED type, root and extensions, from the compiled module."""
    return frozenset(asn1.xwap_enumeration(type_name))


@attrs.frozen(slots=True)
class _MessageInfo:
    procedure_code: int
    procedure_criticality: str
    kind: MessageKind
    ies: dict[int, asn1.IeSpec]
    by_name: dict[str, asn1.IeSpec]


@functools.cache
def _message_info(message: str) -> _MessageInfo:
    """Procedure code, kind and IE set of an XwAP message type, from the modules' object sets."""
    spec = asn1.xwap_message(message)
    ies = asn1.xwap_ies(message)
    by_name = {ie.name: ie for ie in ies.values()}
    return _MessageInfo(
        spec.procedure_code, spec.procedure.criticality, MessageKind(spec.kind), ies, by_name
    )


# --- IE values <-> asn1tools values -------------------------------------------------------------


def _ue_id_to(v: int) -> bytes:
    return v.to_bytes(3, "big")


def _ue_id_from(v: bytes) -> int:
    return int.from_bytes(v, "big")


def _address_bits(addr: IpAddress) -> tuple[bytes, int]:
    return addr.packed, len(addr.packed) * 8


def _address_from_bits(v: tuple[bytes, int]) -> IpAddress:
    data, width = v
    if width == 32:
        return ipaddress.IPv4Address(data[:4])
    if width == 128:
        return ipaddress.IPv6Address(data[:16])
    raise InvalidFieldError("address", f"transport address of {width} bits is not supported")


def _gtp_to(v: GtpTunnelEndpoint) -> Value:
    return {"transportLayerAddress": _address_bits(v.address), "gTP-TEID": v.teid}


def _gtp_from(v: Value) -> GtpTunnelEndpoint:
    return GtpTunnelEndpoint(_address_from_bits(v["transportLayerAddress"]), v["gTP-TEID"])


def _security_to(v: SeGwSecurityInfo) -> Value:
    return {"lWIP-PSK": (v.psk.reveal(), 256), "iKE-Initiator-Identity": v.idi}


def _security_from(v: Value) -> SeGwSecurityInfo:
    data, _width = v["lWIP-PSK"]
    return SeGwSecurityInfo(KeyMaterial(data), v["iKE-Initiator-Identity"])


def _mobility_set_to(v: tuple[WlanIdentifiers, ...]) -> Value:
    out = []
    for w in v:
        item: dict[str, bytes] = {}
        if w.bssid is not None:
            item["bSSID"] = w.bssid
        if w.ssid is not None:
            item["sSID"] = w.ssid
        if w.hessid is not None:
            item["hESSID"] = w.hessid
        out.append(item)
    return out


def _mobility_set_from(v: Value) -> tuple[WlanIdentifiers, ...]:
    return tuple(WlanIdentifiers(i.get("sSID"), i.get("bSSID"), i.get("hESSID")) for i in v)


def _cause_to(v: Cause) -> Value:
    return (v.group.value, v.value)


def _cause_from(v: Value) -> Cause:
    return Cause(v[0], v[1])


def _diagnostics_to(v: CriticalityDiagnostics) -> Value:
    out: dict[str, Value] = {}
    if v.procedure_code is not None:
        out["procedureCode"] = v.procedure_code
    if v.triggering_message is not None:
        out["triggeringMessage"] = v.triggering_message.triggering_message
    if v.procedure_criticality is not None:
        out["procedureCriticality"] = v.procedure_criticality.value
    if v.ies:
        out["iEsCriticalityDiagnostics"] = [
            {"iECriticality": i.criticality.value, "iE-ID": i.ie_id, "typeOfError": i.type_of_error}
            for i in v.ies
        ]
    return out


_TRIGGERING: Final = {k.triggering_message: k for k in MessageKind}
_KINDS: Final = {k.value: k for k in MessageKind}


def _diagnostics_from(v: Value) -> CriticalityDiagnostics:
    trig = v.get("triggeringMessage")
    crit = v.get("procedureCriticality")
    return CriticalityDiagnostics(
        v.get("procedureCode"),
        _TRIGGERING[trig] if trig is not None else None,
        Criticality(crit) if crit is not None else None,
        tuple(
            IeDiagnostic(i["iECriticality"], i["iE-ID"], i["typeOfError"])
            for i in v.get("iEsCriticalityDiagnostics", ())
        ),
    )


def _enb_id_to(v: GlobalEnbId) -> Value:
    bits = v.kind.bits
    return {
        "pLMNidentity": v.plmn,
        "eNB-ID": (v.kind.asn1_name, uint_to_bits(v.enb_id, bits)),
    }


def _enb_id_from(v: Value) -> GlobalEnbId:
    name, bits = v["eNB-ID"]
    kinds = {k.asn1_name: k for k in EnbIdKind}
    if name not in kinds:
        raise InvalidFieldError("enb_id", f"{name} is not supported")
    return GlobalEnbId(v["pLMNidentity"], bits_to_uint(bits), kinds[name])


def _wt_id_to(v: WtId) -> Value:
    if v.plmn is not None:
        return (
            "wTID-Type1",
            {"pLMN-Identity": v.plmn, "shortWTID": uint_to_bits(v.value, 24)},
        )
    return ("wTID-Type2", uint_to_bits(v.value, 48))


def _wt_id_from(v: Value) -> WtId:
    name, body = v
    if name == "wTID-Type1":
        return WtId(bits_to_uint(body["shortWTID"]), body["pLMN-Identity"])
    return WtId(bits_to_uint(body))


def _wlan_list_to(v: tuple[WlanIdentifiers, ...]) -> Value:
    item_spec = asn1.xwap_ies("WLANIdentifier-ItemIEs")
    (spec,) = item_spec.values()
    out = []
    for w in v:
        info: dict[str, Value] = {}
        if w.bssid is not None:
            info["bSS-Item"] = {"bSSID": w.bssid}
        if w.ssid is not None:
            info["sSID"] = w.ssid
        if w.hessid is not None:
            info["hESSID"] = w.hessid
        out.append(
            {
                "id": spec.id,
                "criticality": spec.criticality,
                "value": (spec.type_name, {"wLANInformation": info}),
            }
        )
    return out


def _wlan_list_from(v: Value) -> tuple[WlanIdentifiers, ...]:
    out = []
    for field in v:
        value = field["value"]
        if not isinstance(value, tuple):
            continue  # an item of an id this version does not know
        info = value[1]["wLANInformation"]
        bss = info.get("bSS-Item")
        out.append(
            WlanIdentifiers(info.get("sSID"), bss["bSSID"] if bss else None, info.get("hESSID"))
        )
    return tuple(out)


_TIME_TO_WAIT_NAMES: Final = {s: f"v{s}s" for s in _TIME_TO_WAIT_S}


_CODECS: Final[dict[str, tuple[Callable[[Any], Value], Callable[[Value], Any]]]] = {
    "UE-XwAP-ID": (_ue_id_to, _ue_id_from),
    "UE-Identity": (bytes, bytes),
    "PLMN-Identity": (bytes, bytes),
    "LWIP-SeGWSecurityInfo": (_security_to, _security_from),
    "GTPtunnelEndpoint": (_gtp_to, _gtp_from),
    "MobilitySet": (_mobility_set_to, _mobility_set_from),
    "Cause": (_cause_to, _cause_from),
    "CriticalityDiagnostics": (_diagnostics_to, _diagnostics_from),
    "Global-ENB-ID": (_enb_id_to, _enb_id_from),
    "WTID": (_wt_id_to, _wt_id_from),
    "WLANIdentifier-List": (_wlan_list_to, _wlan_list_from),
    "TimeToWait": (lambda s: _TIME_TO_WAIT_NAMES[s], lambda v: int(v[1:-1])),
}


# --- encode / decode -------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == ()


def to_value(msg: XwapMessage) -> Value:
    """The ``XwAP-PDU`` value of ``msg`` in asn1tools' form, open types as ``(type, value)``."""
    info = _message_info(msg.MESSAGE)
    ies: list[Value] = []
    for attr, id_name in msg.FIELDS:
        value = getattr(msg, attr)
        spec = info.by_name[id_name]
        if _empty(value):
            if spec.presence == "mandatory":
                raise EncodeError(f"{msg.MESSAGE}: {attr} is mandatory")
            continue
        to_asn1, _ = _CODECS[spec.type_name]
        ies.append(
            {
                "id": spec.id,
                "criticality": spec.criticality,
                "value": (spec.type_name, to_asn1(value)),
            }
        )
    for raw in getattr(msg, "other_ies", ()):
        ies.append({"id": raw.ie_id, "criticality": raw.criticality.value, "value": raw.value})
    body = {
        "procedureCode": info.procedure_code,
        "criticality": info.procedure_criticality,
        "value": (msg.MESSAGE, {"protocolIEs": ies}),
    }
    return (info.kind.value, body)


def encode(msg: XwapMessage) -> bytes:
    """APER-encode a typed XwAP message as an ``XwAP-PDU``."""
    data = _aper_fast.encode(msg)
    return data if data is not None else _encode_general(msg)


def _encode_general(msg: XwapMessage) -> bytes:
    """:func:`encode` through the general codec (any value, and the errors)."""
    value = to_value(msg)
    try:
        return bytes(asn1.xwap().encode_pdu(value, check_constraints=True))
    except (asn1tools.Error, asn1.Asn1Error) as exc:
        raise EncodeError(f"{msg.MESSAGE}: {exc}") from None


def decode_value(data: bytes) -> Value:
    """Decode an ``XwAP-PDU`` to asn1tools' form; raises DecodeError (transfer syntax)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DecodeError(f"expected bytes, got {type(data).__name__}")
    try:
        return asn1.xwap().decode_pdu(bytes(data), check_constraints=True)
    except Exception as exc:  # asn1tools raises several types on hostile input
        raise DecodeError(f"XwAP-PDU: {exc or type(exc).__name__}") from None


def decode(data: bytes) -> XwapMessage:
    """Strictly decode one XwAP PDU into its typed message (see :func:`decode_with_notify`)."""
    return decode_with_notify(data)[0]


def decode_with_notify(data: bytes) -> tuple[XwapMessage, tuple[IeDiagnostic, ...]]:
    """Decode, and also return the IEs with criticality ``notify`` that were not understood.

    36.463 clause 10: an IE not comprehended with criticality ``reject`` and a missing mandatory
    IE with criticality ``reject`` raise :class:`DecodeError`; ``ignore`` IEs are skipped;
    ``notify`` IEs are skipped and reported in the second element.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        msg = _aper_fast.decode(data)
        if msg is not None:
            return msg, ()
    return _decode_general(data)


def _decode_general(data: bytes) -> tuple[XwapMessage, tuple[IeDiagnostic, ...]]:
    """:func:`decode_with_notify` through the general codec (any PDU, and the diagnostics)."""
    value = decode_value(data)
    kind_name, body = value
    if kind_name not in _KINDS:
        raise DecodeError(
            f"XwAP-PDU alternative {kind_name!r} is not known", cause="abstract-syntax-error-reject"
        )
    kind = _KINDS[kind_name]
    code = body["procedureCode"]
    proc_crit = body["criticality"]
    context: dict[str, Any] = {
        "procedure_code": code,
        "triggering_message": kind.value,
        "procedure_criticality": proc_crit,
    }
    content = body["value"]
    if not isinstance(content, tuple):
        raise DecodeError(
            f"procedure code {code} is not known",
            criticality=proc_crit,
            cause=(  # 36.463 9.2.6: the cause names the criticality
                "abstract-syntax-error-ignore-and-notify"
                if proc_crit == "notify"
                else "abstract-syntax-error-reject"
            ),
            **context,
        )
    name, message = content
    cls = _BY_MESSAGE.get(name)
    if cls is None:
        raise DecodeError(
            f"{name} is not supported here",
            criticality=proc_crit,
            cause="message-not-compatible-with-receiver-state",
            **context,
        )
    info = _message_info(name)
    by_id = {spec.id: attr for attr, id_name in cls.FIELDS for spec in (info.by_name[id_name],)}
    fields: dict[str, Any] = {}
    other: list[RawIe] = []
    notify: list[IeDiagnostic] = []
    seen: set[int] = set()
    for ie in message["protocolIEs"]:
        ie_id, crit, ie_value = ie["id"], ie["criticality"], ie["value"]
        if ie_id in seen:
            raise DecodeError(
                f"{name}: IE {ie_id} twice",
                ie_id=ie_id,
                criticality=crit,
                cause="abstract-syntax-error-falsely-constructed-message",
                **context,
            )
        seen.add(ie_id)
        spec = info.ies.get(ie_id)
        if spec is None:
            if crit == "reject":
                raise DecodeError(
                    f"{name}: IE {ie_id} not comprehended",
                    ie_id=ie_id,
                    criticality=crit,
                    type_of_error="not-understood",
                    cause="abstract-syntax-error-reject",
                    **context,
                )
            if crit == "notify":
                notify.append(IeDiagnostic(crit, ie_id, "not-understood"))
            continue
        attr = by_id.get(ie_id)
        if attr is None:
            other.append(RawIe(ie_id, Criticality(crit), ie_value))
            continue
        try:
            fields[attr] = _CODECS[spec.type_name][1](ie_value[1])
        except (InvalidFieldError, KeyError, ValueError, TypeError, IndexError) as exc:
            raise DecodeError(
                f"{name}: IE {spec.name}: {exc}",
                ie_id=ie_id,
                criticality=crit,
                cause="abstract-syntax-error-reject",
                **context,
            ) from None
    for spec in info.ies.values():
        if spec.presence == "mandatory" and spec.id not in seen:
            raise DecodeError(
                f"{name}: mandatory IE {spec.name} missing",
                ie_id=spec.id,
                criticality=spec.criticality,
                type_of_error="missing",
                cause="abstract-syntax-error-reject",
                **context,
            )
    try:
        msg = cls(**fields, other_ies=tuple(other))  # type: ignore[call-arg]
    except (InvalidFieldError, TypeError) as exc:
        raise DecodeError(
            f"{name}: {exc}", criticality=proc_crit, cause="abstract-syntax-error-reject", **context
        ) from None
    return msg, tuple(notify)


# The hand-specialised fast path; it reads this module's classes, so it is imported last.
from lwip_enb.codec.xwap import fast as _aper_fast  # noqa: E402
