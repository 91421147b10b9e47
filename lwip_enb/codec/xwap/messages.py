"""The typed XwAP messages (TS 36.463) of LWIP, Xw Setup, Reset and Error Indication, with their
IE value types and the validation of their fields.

Every message class names its ASN.1 type (``MESSAGE``) and maps its attributes to IEs by the IE id
names of the spec (``id-ENB-UE-XwAP-ID`` ...). Procedure code, message kind, IE ids, criticality and
presence are read from the modules' own object sets (:mod:`lwip_enb.asn1`, :func:`message_info`),
not written here. Nothing here encodes or decodes: :mod:`.general` and :mod:`.fast` do.
"""

from __future__ import annotations

import enum
import functools
import ipaddress
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Final, TypeAlias

import attrs

from lwip_enb import asn1
from lwip_enb.codec.fields import (
    WlanIdentifiers,
    int_in,
    ip_address,
    mac_address,
    octets_len,
    wlan_tuple,
)
from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import LWIP_PSK_LENGTH, KeyMaterial

__all__ = [
    "MESSAGE_CLASSES",
    "TIME_TO_WAIT_S",
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
    "IpAddress",
    "LwipAdditionRequest",
    "LwipAdditionRequestAcknowledge",
    "LwipAdditionRequestReject",
    "LwipModificationRequest",
    "LwipModificationRequestAcknowledge",
    "LwipModificationRequestReject",
    "LwipReleaseConfirm",
    "LwipReleaseRequest",
    "LwipReleaseRequired",
    "MessageInfo",
    "MessageKind",
    "RawIe",
    "Reset",
    "ResetResponse",
    "SeGwSecurityInfo",
    "Value",
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
    "enumeration",
    "message_info",
    "time_to_wait",
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
        allowed = enumeration(self.group.asn1_type)
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


class WlanUsage(enum.Enum):
    """``WLANUsage`` (36.463 9.2.31): what the WT offers a WLAN for, besides LWA."""

    LWA_AND_LWIP = "lWAandLWIP"
    LWIP_ONLY = "lWIPonly"


@attrs.frozen(slots=True)
class WlanInformation(WlanIdentifiers):
    """``WLANInformation`` (36.463 9.2.7): a WLAN's identifiers and its ``WLAN Usage``.

    8.2.2 / 8.3.2: with WLAN Usage the WLAN "may be used for both LWA and LWIP, or for LWIP
    only"; without it, "for LWA only". The BSS Item's optional fields (operating class, country
    code, capacity, bands) are not kept.
    """

    usage: WlanUsage | None = attrs.field(
        default=None, converter=attrs.converters.optional(WlanUsage)
    )

    @property
    def for_lwip(self) -> bool:
        """May the eNB configure LWIP on this WLAN (36.463 8.2.2)?"""
        return self.usage is not None

    def covers(self, wlan: WlanIdentifiers) -> bool:
        """Does this entry name ``wlan``: every identifier given here equals ``wlan``'s?"""
        given = [(mine, theirs) for mine, theirs in self._pairs(wlan) if mine is not None]
        return bool(given) and all(mine == theirs for mine, theirs in given)

    def _pairs(self, wlan: WlanIdentifiers) -> tuple[tuple[bytes | None, bytes | None], ...]:
        return ((self.ssid, wlan.ssid), (self.bssid, wlan.bssid), (self.hessid, wlan.hessid))


def _wlan_information(value: WlanIdentifiers) -> WlanInformation:
    if isinstance(value, WlanInformation):
        return value
    if isinstance(value, WlanIdentifiers):
        return WlanInformation(value.ssid, value.bssid, value.hessid)
    raise InvalidFieldError("wlan_identifiers", f"not WLAN identifiers: {value!r}")


def _wlan_info_tuple(value: Iterable[WlanIdentifiers]) -> tuple[WlanInformation, ...]:
    """attrs converter: WLAN identifiers as ``WlanInformation`` (plain ones without a usage)."""
    return tuple(_wlan_information(v) for v in value)


def _bssid_tuple(value: Iterable[bytes]) -> tuple[bytes, ...]:
    out = tuple(bytes(v) for v in value)
    for v in out:
        if len(v) != 6:
            raise InvalidFieldError("bssid", f"must be 6 octets, got {len(v)}")
    return out


# --- messages --------------------------------------------------------------------------------


def _raw_tuple(value: Iterable[RawIe]) -> tuple[RawIe, ...]:
    return tuple(value)


def _other_ies() -> Any:
    return attrs.field(default=(), converter=_raw_tuple, kw_only=True)


class XwapMessage:
    """Base of the typed XwAP messages.

    A mandatory IE whose criticality is ``ignore`` (e.g. the Cause of RESET, the UE XwAP IDs of
    a response) is typed ``X | None``: a decoded message that lacked it, or held a value this
    version cannot read, carries None and the receiver goes on without it (TS 36.413 10.3.4.2,
    10.3.5). Encoding refuses None for a mandatory IE, so nothing sent lacks one.
    """

    __slots__ = ()
    MESSAGE: ClassVar[str]
    #: (attribute, IE id name) in the order the IEs are encoded
    FIELDS: ClassVar[tuple[tuple[str, str], ...]]

    @property
    def procedure_code(self) -> int:
        return message_info(self.MESSAGE).procedure_code

    @property
    def kind(self) -> MessageKind:
        return message_info(self.MESSAGE).kind


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

    enb_ue_id: int | None = attrs.field(validator=_opt_ue_id)  # None: XwapMessage
    wt_ue_id: int | None = attrs.field(validator=_opt_ue_id)
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

    enb_ue_id: int | None = attrs.field(validator=_opt_ue_id)  # None: XwapMessage
    cause: Cause | None
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
    cause: Cause | None  # None: XwapMessage
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

    enb_ue_id: int | None = attrs.field(validator=_opt_ue_id)  # None: XwapMessage
    wt_ue_id: int | None = attrs.field(validator=_opt_ue_id)
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

    enb_ue_id: int | None = attrs.field(validator=_opt_ue_id)  # None: XwapMessage
    wt_ue_id: int | None = attrs.field(validator=_opt_ue_id)
    cause: Cause | None  # None: XwapMessage
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
    cause: Cause | None  # None: XwapMessage
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class LwipReleaseConfirm(XwapMessage):
    MESSAGE: ClassVar[str] = "LWIPReleaseConfirm"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("enb_ue_id", "id-ENB-UE-XwAP-ID"),
        ("wt_ue_id", "id-WT-UE-XwAP-ID"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    enb_ue_id: int | None = attrs.field(validator=_opt_ue_id)  # None: XwapMessage
    wt_ue_id: int | None = attrs.field(validator=_opt_ue_id)
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
    """WT -> eNB (36.463 9.1.2). ``wlan_identifiers`` keeps each ``WLANInformation``'s BSSID,
    SSID, HESSID and WLAN Usage (9.2.7)."""

    MESSAGE: ClassVar[str] = "XwSetupResponse"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("wt_id", "id-WTID"),
        ("wlan_identifiers", "id-WLANIdentifier-List"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    wt_id: WtId
    #: Plain :class:`WlanIdentifiers` are taken as WLAN Information without a WLAN Usage.
    wlan_identifiers: tuple[WlanInformation, ...] = attrs.field(converter=_wlan_info_tuple)
    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()

    @wlan_identifiers.validator
    def _check(self, _attr: attrs.Attribute[Any], value: tuple[WlanInformation, ...]) -> None:
        if not value:
            raise InvalidFieldError("wlan_identifiers", "at least one WLAN identifier")


#: TimeToWait ::= ENUMERATED {v1s, v2s, v5s, v10s, v20s, v60s, ...}, in seconds, in the ASN.1 order
TIME_TO_WAIT_S: Final = (1, 2, 5, 10, 20, 60)


def time_to_wait(field: str) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """Validator of an optional Time To Wait in seconds (36.463 9.2.29), naming ``field``."""

    def check(_inst: object, _attr: attrs.Attribute[Any], value: int | None) -> None:
        if value is not None and value not in TIME_TO_WAIT_S:
            raise InvalidFieldError(field, f"must be one of {TIME_TO_WAIT_S}")

    return check


@attrs.frozen(slots=True)
class XwSetupFailure(XwapMessage):
    MESSAGE: ClassVar[str] = "XwSetupFailure"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("cause", "id-Cause"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
        ("time_to_wait_s", "id-TimeToWait"),
    )

    cause: Cause | None  # None: XwapMessage
    criticality_diagnostics: CriticalityDiagnostics | None = None
    time_to_wait_s: int | None = attrs.field(default=None, validator=time_to_wait("time_to_wait_s"))
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class Reset(XwapMessage):
    MESSAGE: ClassVar[str] = "Reset"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (("cause", "id-Cause"),)

    cause: Cause | None  # None: XwapMessage
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
class WtConfigurationUpdate(XwapMessage):
    """WT -> eNB: the WLANs the WT added, modified or deleted (36.463 8.3, 9.1.4).

    ``to_delete`` names WLANs by BSSID, ``to_delete_extension`` by SSID and/or HESSID. The eNB
    Neighbour Information list is not modelled (kept in ``other_ies``).
    """

    MESSAGE: ClassVar[str] = "WTConfigurationUpdate"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("to_add", "id-WLANIdentifiersToAdd-List"),
        ("to_modify", "id-WLANIdentifiersToModify-List"),
        ("to_delete", "id-WLANIdentifiersToDelete-List"),
        ("to_delete_extension", "id-WLANIdentifiersToDeleteExtension-List"),
    )

    to_add: tuple[WlanInformation, ...] = attrs.field(default=(), converter=_wlan_info_tuple)
    to_modify: tuple[WlanInformation, ...] = attrs.field(default=(), converter=_wlan_info_tuple)
    to_delete: tuple[bytes, ...] = attrs.field(default=(), converter=_bssid_tuple)
    to_delete_extension: tuple[WlanIdentifiers, ...] = attrs.field(default=(), converter=wlan_tuple)
    other_ies: tuple[RawIe, ...] = _other_ies()

    @to_delete_extension.validator
    def _check(self, _attr: attrs.Attribute[Any], value: tuple[WlanIdentifiers, ...]) -> None:
        # WLANIdentifiersToDeleteExtension-Item has an SSID and a HESSID only (9.1.4)
        if any(w.bssid is not None for w in value):
            raise InvalidFieldError("to_delete_extension", "names WLANs by SSID / HESSID only")


@attrs.frozen(slots=True)
class WtConfigurationUpdateAcknowledge(XwapMessage):
    """eNB -> WT: the update is applied (36.463 8.3.2, 9.1.5)."""

    MESSAGE: ClassVar[str] = "WTConfigurationUpdateAcknowledge"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
    )

    criticality_diagnostics: CriticalityDiagnostics | None = None
    other_ies: tuple[RawIe, ...] = _other_ies()


@attrs.frozen(slots=True)
class WtConfigurationUpdateFailure(XwapMessage):
    """eNB -> WT: the update is refused; both keep their data (36.463 8.3.3, 9.1.6)."""

    MESSAGE: ClassVar[str] = "WTConfigurationUpdateFailure"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("cause", "id-Cause"),
        ("criticality_diagnostics", "id-CriticalityDiagnostics"),
        ("time_to_wait_s", "id-TimeToWait"),
    )

    cause: Cause | None  # None: XwapMessage
    criticality_diagnostics: CriticalityDiagnostics | None = None
    time_to_wait_s: int | None = attrs.field(default=None, validator=time_to_wait("time_to_wait_s"))
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
    WtConfigurationUpdate,
    WtConfigurationUpdateAcknowledge,
    WtConfigurationUpdateFailure,
    ErrorIndication,
)


# --- what the modules say about each message -----------------------------------------------------


@functools.cache
def enumeration(type_name: str) -> frozenset[str]:
    """The values of an XwAP ENUMERATED type, root and extensions, from the compiled module."""
    return frozenset(asn1.xwap_enumeration(type_name))


@attrs.frozen(slots=True)
class MessageInfo:
    """What the modules say about one message type: its procedure, kind and IEs by id and name."""

    procedure_code: int
    procedure_criticality: str
    kind: MessageKind
    ies: dict[int, asn1.IeSpec]
    by_name: dict[str, asn1.IeSpec]


@functools.cache
def message_info(message: str) -> MessageInfo:
    """Procedure code, kind and IE set of an XwAP message type, from the modules' object sets."""
    spec = asn1.xwap_message(message)
    ies = asn1.xwap_ies(message)
    by_name = {ie.name: ie for ie in ies.values()}
    return MessageInfo(
        spec.procedure_code, spec.procedure.criticality, MessageKind(spec.kind), ies, by_name
    )
