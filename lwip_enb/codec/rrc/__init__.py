"""Typed RRC messages of LWIP (TS 36.331) and their UPER encoding.

Downlink (DL-DCCH): :class:`RrcConnectionReconfiguration` carrying ``lwip-Configuration-r13``
(setup with the tunnel configuration, or release), per-DRB ``drb-TypeLWIP-r13`` and, for a handover
command, ``mobilityControlInfo``. Uplink: :class:`RrcConnectionReconfigurationComplete` and
:class:`WlanConnectionStatusReport` (UL-DCCH), :class:`RrcConnectionReestablishmentRequest`
(UL-CCCH). Any other message decodes to :class:`OtherRrcMessage` with its raw value.

Use :func:`encode` and :func:`decode`; every message validates its fields when it is made.
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Final, TypeAlias

import asn1tools  # type: ignore[import-untyped]
import attrs
from asn1tools.codecs import uper as _uper  # type: ignore[import-untyped]

from lwip_enb import asn1
from lwip_enb.codec.fields import (
    WlanIdentifiers,
    bits_to_uint,
    int_in,
    ip_address,
    octets_len,
    uint_to_bits,
    wlan_tuple,
)
from lwip_enb.errors import DecodeError, EncodeError, InvalidFieldError
from lwip_enb.keys import LWIP_COUNTER_MAX

__all__ = [
    "DrbLwip",
    "DrbTypeLwip",
    "HandoverCommand",
    "LwipRelease",
    "LwipSetup",
    "OtherRrcMessage",
    "ReestablishmentCause",
    "RrcChannel",
    "RrcConnectionReconfiguration",
    "RrcConnectionReconfigurationComplete",
    "RrcConnectionReestablishmentRequest",
    "RrcMessage",
    "TunnelConfig",
    "WlanConnectionStatusReport",
    "WlanIdentifiers",
    "WlanMobilityConfig",
    "WlanStatus",
    "decode",
    "encode",
]

IpAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address
Value: TypeAlias = Any  # a value in asn1tools' Python representation


class RrcChannel(enum.Enum):
    """Logical channel, which selects the top-level ASN.1 type."""

    DL_DCCH = "dl-dcch"
    UL_DCCH = "ul-dcch"
    UL_CCCH = "ul-ccch"

    @property
    def pdu_type(self) -> str:
        return _PDU_TYPES[self]


_PDU_TYPES: Final = {
    RrcChannel.DL_DCCH: "DL-DCCH-Message",
    RrcChannel.UL_DCCH: "UL-DCCH-Message",
    RrcChannel.UL_CCCH: "UL-CCCH-Message",
}


# --- validation helpers ----------------------------------------------------------------------


def _to_address(value: Any) -> IpAddress:
    return ip_address(value, "segw_address")


_tid: Final = int_in("transaction_id", 0, 3)


# --- downlink: LWIP configuration ------------------------------------------------------------


@attrs.frozen(slots=True)
class TunnelConfig:
    """``TunnelConfigLWIP-r13``: where and as whom the UE sets up the IPsec tunnel (R2).

    ``counter`` is ``lwip-Counter-r13``, mandatory when a tunnel is set up (Cond LWIP-Setup).
    """

    segw_address: IpAddress = attrs.field(converter=_to_address)
    idi: bytes = attrs.field(converter=bytes, validator=octets_len("idi", 1, 255))
    counter: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(int_in("lwip_counter", 0, LWIP_COUNTER_MAX)),
    )


_ASSOCIATION_TIMERS: Final = (10, 30, 60, 120, 240)  # associationTimer-r13 {s10 .. s240}
MAX_WLAN_ID: Final = 32  # maxWLAN-Id-r13


def _wlan_list(field: str) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    def check(_inst: object, _attr: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        if len(value) > MAX_WLAN_ID:
            raise InvalidFieldError(field, f"at most {MAX_WLAN_ID} entries, got {len(value)}")
        for item in value:
            if not isinstance(item, WlanIdentifiers):
                raise InvalidFieldError(field, f"entries must be WlanIdentifiers, got {item!r}")

    return check


@attrs.frozen(slots=True)
class WlanMobilityConfig:
    """``WLAN-MobilityConfig-r13``: the WLAN mobility set and the association timer T351."""

    to_release: tuple[WlanIdentifiers, ...] = attrs.field(
        default=(), converter=wlan_tuple, validator=_wlan_list("wlan_to_release")
    )
    to_add: tuple[WlanIdentifiers, ...] = attrs.field(
        default=(), converter=wlan_tuple, validator=_wlan_list("wlan_to_add")
    )
    association_timer_s: int | None = attrs.field(default=None)
    success_report_requested: bool = False

    @association_timer_s.validator
    def _check_timer(self, _attr: attrs.Attribute[Any], value: int | None) -> None:
        if value is not None and value not in _ASSOCIATION_TIMERS:
            raise InvalidFieldError(
                "association_timer_s", f"must be one of {_ASSOCIATION_TIMERS}, got {value}"
            )


@attrs.frozen(slots=True)
class LwipSetup:
    """``lwip-Configuration-r13 = setup``."""

    tunnel: TunnelConfig | None = None
    mobility: WlanMobilityConfig | None = None


@attrs.frozen(slots=True)
class LwipRelease:
    """``lwip-Configuration-r13 = release`` (36.331 5.6.17.3)."""


class DrbTypeLwip(enum.Enum):
    """``drb-TypeLWIP-r13``: which directions of a DRB use the LWIP tunnel."""

    LWIP = "lwip"
    LWIP_DL_ONLY = "lwip-DL-only"
    LWIP_UL_ONLY = "lwip-UL-only"
    EUTRAN = "eutran"


@attrs.frozen(slots=True)
class DrbLwip:
    """A ``DRB-ToAddMod`` that only (re)sets ``drb-TypeLWIP-r13`` of an existing DRB."""

    drb_identity: int = attrs.field(validator=int_in("drb_identity", 1, 32))
    lwip_type: DrbTypeLwip = attrs.field(converter=DrbTypeLwip)


_T304_MS: Final = (50, 100, 150, 200, 500, 1000, 2000, 10000)


@attrs.frozen(slots=True)
class HandoverCommand:
    """``mobilityControlInfo``: makes the reconfiguration a handover command (36.331 5.3.5.4).

    On it the UE releases LWIP by itself. The radio part is a fixed minimal
    ``RadioResourceConfigCommon``: enough for a simulated UE, not for a real radio.
    """

    target_pci: int = attrs.field(validator=int_in("target_pci", 0, 503))
    new_crnti: int = attrs.field(validator=int_in("new_crnti", 0, 0xFFFF))
    t304_ms: int = attrs.field(default=1000)

    @t304_ms.validator
    def _check_t304(self, _attr: attrs.Attribute[Any], value: int) -> None:
        if value not in _T304_MS:
            raise InvalidFieldError("t304_ms", f"must be one of {_T304_MS}, got {value}")


def _drb_tuple(value: Iterable[DrbLwip]) -> tuple[DrbLwip, ...]:
    return tuple(value)


def _check_drbs(_inst: object, _attr: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if len(value) > 11:  # maxDRB
        raise InvalidFieldError("drbs", f"at most 11 DRBs, got {len(value)}")
    ids = [d.drb_identity for d in value if isinstance(d, DrbLwip)]
    if len(ids) != len(value):
        raise InvalidFieldError("drbs", "entries must be DrbLwip")
    if len(set(ids)) != len(ids):
        raise InvalidFieldError("drbs", "a DRB appears twice")


@attrs.frozen(slots=True)
class RrcConnectionReconfiguration:
    """DL-DCCH ``RRCConnectionReconfiguration`` with the LWIP parts this library uses."""

    CHANNEL: ClassVar[RrcChannel] = RrcChannel.DL_DCCH
    MESSAGE: ClassVar[str] = "RRCConnectionReconfiguration"

    transaction_id: int = attrs.field(validator=_tid)
    lwip: LwipSetup | LwipRelease | None = None
    drbs: tuple[DrbLwip, ...] = attrs.field(default=(), converter=_drb_tuple, validator=_check_drbs)
    handover: HandoverCommand | None = None

    @classmethod
    def lwip_setup(
        cls,
        transaction_id: int,
        segw_address: IpAddress | str,
        idi: bytes,
        counter: int,
        *,
        mobility: WlanMobilityConfig | None = None,
        drbs: tuple[DrbLwip, ...] = (),
    ) -> RrcConnectionReconfiguration:
        """The reconfiguration that starts an LWIP tunnel (36.331 5.6.17.2, TS 33.401)."""
        tunnel = TunnelConfig(_to_address(segw_address), idi, counter)
        return cls(transaction_id, LwipSetup(tunnel, mobility), drbs)

    @classmethod
    def lwip_release(cls, transaction_id: int) -> RrcConnectionReconfiguration:
        """The reconfiguration that releases LWIP (36.331 5.6.17.3)."""
        return cls(transaction_id, LwipRelease())


# --- uplink ---------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class RrcConnectionReconfigurationComplete:
    CHANNEL: ClassVar[RrcChannel] = RrcChannel.UL_DCCH
    MESSAGE: ClassVar[str] = "RRCConnectionReconfigurationComplete"

    transaction_id: int = attrs.field(validator=_tid)


class WlanStatus(enum.Enum):
    """``WLAN-Status-r13`` and, for suspended/resumed, ``WLAN-Status-v1430``."""

    SUCCESSFUL_ASSOCIATION = "successfulAssociation"
    FAILURE_WLAN_RADIO_LINK = "failureWlanRadioLink"
    FAILURE_WLAN_UNAVAILABLE = "failureWlanUnavailable"
    FAILURE_TIMEOUT = "failureTimeout"
    SUSPENDED = "suspended"
    RESUMED = "resumed"

    @property
    def is_failure(self) -> bool:
        return self.value.startswith("failure")

    @property
    def is_v1430(self) -> bool:
        return self in (WlanStatus.SUSPENDED, WlanStatus.RESUMED)


#: What goes in the mandatory wlan-Status-r13 beside a v1430 status; E-UTRAN ignores it then
#: (36.331 WLANConnectionStatusReport field descriptions).
_R13_BESIDE_V1430: Final = {
    WlanStatus.SUSPENDED: "failureWlanUnavailable",
    WlanStatus.RESUMED: "successfulAssociation",
}


@attrs.frozen(slots=True)
class WlanConnectionStatusReport:
    CHANNEL: ClassVar[RrcChannel] = RrcChannel.UL_DCCH
    MESSAGE: ClassVar[str] = "WLANConnectionStatusReport-r13"

    status: WlanStatus = attrs.field(converter=WlanStatus)


class ReestablishmentCause(enum.Enum):
    RECONFIGURATION_FAILURE = "reconfigurationFailure"
    HANDOVER_FAILURE = "handoverFailure"
    OTHER_FAILURE = "otherFailure"
    SPARE1 = "spare1"


@attrs.frozen(slots=True)
class RrcConnectionReestablishmentRequest:
    """UL-CCCH ``RRCConnectionReestablishmentRequest``: the UE saw a radio link failure."""

    CHANNEL: ClassVar[RrcChannel] = RrcChannel.UL_CCCH
    MESSAGE: ClassVar[str] = "RRCConnectionReestablishmentRequest"

    c_rnti: int = attrs.field(validator=int_in("c_rnti", 0, 0xFFFF))
    phys_cell_id: int = attrs.field(validator=int_in("phys_cell_id", 0, 503))
    short_mac_i: int = attrs.field(validator=int_in("short_mac_i", 0, 0xFFFF))
    cause: ReestablishmentCause = attrs.field(
        default=ReestablishmentCause.OTHER_FAILURE, converter=ReestablishmentCause
    )


@attrs.frozen(slots=True)
class OtherRrcMessage:
    """A message this library does not model; ``value`` is the decoded ASN.1 value."""

    channel: RrcChannel
    name: str
    value: Value = attrs.field(eq=False)

    @property
    def MESSAGE(self) -> str:
        return self.name


RrcMessage: TypeAlias = (
    RrcConnectionReconfiguration
    | RrcConnectionReconfigurationComplete
    | WlanConnectionStatusReport
    | RrcConnectionReestablishmentRequest
    | OtherRrcMessage
)


# --- to asn1tools values ---------------------------------------------------------------------


def _address_value(addr: IpAddress) -> tuple[str, tuple[bytes, int]]:
    if isinstance(addr, ipaddress.IPv4Address):
        return "ipv4-r13", (addr.packed, 32)
    return "ipv6-r13", (addr.packed, 128)


def _wlan_ids_value(ids: WlanIdentifiers) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    if ids.ssid is not None:
        out["ssid-r12"] = ids.ssid
    if ids.bssid is not None:
        out["bssid-r12"] = ids.bssid
    if ids.hessid is not None:
        out["hessid-r12"] = ids.hessid
    return out


def _mobility_value(m: WlanMobilityConfig) -> dict[str, Value]:
    out: dict[str, Value] = {}
    if m.to_release:
        out["wlan-ToReleaseList-r13"] = [_wlan_ids_value(i) for i in m.to_release]
    if m.to_add:
        out["wlan-ToAddList-r13"] = [_wlan_ids_value(i) for i in m.to_add]
    if m.association_timer_s is not None:
        out["associationTimer-r13"] = f"s{m.association_timer_s}"
    if m.success_report_requested:
        out["successReportRequested-r13"] = "true"
    return out


def _lwip_value(lwip: LwipSetup | LwipRelease) -> tuple[str, Value]:
    if isinstance(lwip, LwipRelease):
        return "release", None
    config: dict[str, Value] = {}
    if lwip.mobility is not None:
        config["lwip-MobilityConfig-r13"] = _mobility_value(lwip.mobility)
    if lwip.tunnel is not None:
        tunnel: dict[str, Value] = {
            "ip-Address-r13": _address_value(lwip.tunnel.segw_address),
            "ike-Identity-r13": {"idI-r13": lwip.tunnel.idi},
        }
        if lwip.tunnel.counter is not None:
            tunnel["lwip-Counter-r13"] = lwip.tunnel.counter
        config["tunnelConfigLWIP-r13"] = tunnel
    return "setup", {"lwip-Config-r13": config}


# The nonCriticalExtension chain from the r8 IEs to the v1310 IEs that hold lwip-Configuration-r13.
_CHAIN_TO_V1310: Final = ("v890", "v920", "v1020", "v1130", "v1250", "v1310")


def _handover_value(ho: HandoverCommand) -> dict[str, Value]:
    return {
        "targetPhysCellId": ho.target_pci,
        "t304": "ms10000-v1310" if ho.t304_ms == 10000 else f"ms{ho.t304_ms}",
        "newUE-Identity": uint_to_bits(ho.new_crnti, 16),
        "radioResourceConfigCommon": {
            "prach-Config": {"rootSequenceIndex": 0},
            "pusch-ConfigCommon": {
                "pusch-ConfigBasic": {
                    "n-SB": 1,
                    "hoppingMode": "interSubFrame",
                    "pusch-HoppingOffset": 0,
                    "enable64QAM": False,
                },
                "ul-ReferenceSignalsPUSCH": {
                    "groupHoppingEnabled": False,
                    "groupAssignmentPUSCH": 0,
                    "sequenceHoppingEnabled": False,
                    "cyclicShift": 0,
                },
            },
            "ul-CyclicPrefixLength": "len1",
        },
    }


def _reconfiguration_value(msg: RrcConnectionReconfiguration) -> Value:
    r8: dict[str, Value] = {}
    if msg.handover is not None:
        r8["mobilityControlInfo"] = _handover_value(msg.handover)
    if msg.drbs:
        r8["radioResourceConfigDedicated"] = {
            "drb-ToAddModList": [
                {"drb-Identity": d.drb_identity, "drb-TypeLWIP-r13": d.lwip_type.value}
                for d in msg.drbs
            ]
        }
    if msg.lwip is not None:
        ext: dict[str, Value] = {"lwip-Configuration-r13": _lwip_value(msg.lwip)}
        for _ in _CHAIN_TO_V1310[:-1]:
            ext = {"nonCriticalExtension": ext}
        r8["nonCriticalExtension"] = ext
    body = {
        "rrc-TransactionIdentifier": msg.transaction_id,
        "criticalExtensions": ("c1", ("rrcConnectionReconfiguration-r8", r8)),
    }
    return {"message": ("c1", ("rrcConnectionReconfiguration", body))}


def _status_report_value(msg: WlanConnectionStatusReport) -> Value:
    ies: dict[str, Value]
    if msg.status.is_v1430:
        ies = {
            "wlan-Status-r13": _R13_BESIDE_V1430[msg.status],
            "nonCriticalExtension": {"wlan-Status-v1430": msg.status.value},
        }
    else:
        ies = {"wlan-Status-r13": msg.status.value}
    report = {"criticalExtensions": ("c1", ("wlanConnectionStatusReport-r13", ies))}
    return {
        "message": ("messageClassExtension", ("c2", ("wlanConnectionStatusReport-r13", report)))
    }


def _to_value(msg: RrcMessage) -> Value:
    if isinstance(msg, RrcConnectionReconfiguration):
        return _reconfiguration_value(msg)
    if isinstance(msg, RrcConnectionReconfigurationComplete):
        body = {
            "rrc-TransactionIdentifier": msg.transaction_id,
            "criticalExtensions": ("rrcConnectionReconfigurationComplete-r8", {}),
        }
        return {"message": ("c1", ("rrcConnectionReconfigurationComplete", body))}
    if isinstance(msg, WlanConnectionStatusReport):
        return _status_report_value(msg)
    if isinstance(msg, RrcConnectionReestablishmentRequest):
        ies = {
            "ue-Identity": {
                "c-RNTI": uint_to_bits(msg.c_rnti, 16),
                "physCellId": msg.phys_cell_id,
                "shortMAC-I": uint_to_bits(msg.short_mac_i, 16),
            },
            "reestablishmentCause": msg.cause.value,
            "spare": (b"\x00", 2),
        }
        body = {"criticalExtensions": ("rrcConnectionReestablishmentRequest-r8", ies)}
        return {"message": ("c1", ("rrcConnectionReestablishmentRequest", body))}
    if isinstance(msg, OtherRrcMessage):
        return msg.value
    raise EncodeError(f"not an RRC message: {type(msg).__name__}")


# The hand-specialised fast path imports the message classes above, hence its place here.
from lwip_enb.codec.rrc import fast as _uper_fast  # noqa: E402


def encode(msg: RrcMessage) -> bytes:
    """UPER-encode ``msg`` as a message of its logical channel."""
    fast = _uper_fast.encode(msg)
    if fast is not None:
        return fast
    return _encode_general(msg)


def _encode_general(msg: RrcMessage) -> bytes:
    """:func:`encode` through asn1tools, for every message (the fast path's reference)."""
    channel = msg.channel if isinstance(msg, OtherRrcMessage) else msg.CHANNEL
    value = _to_value(msg)
    try:
        return bytes(asn1.rrc().encode(channel.pdu_type, value, check_constraints=True))
    except asn1tools.Error as exc:
        raise EncodeError(f"{msg.MESSAGE}: {exc}") from None


# --- from asn1tools values -------------------------------------------------------------------


def _parse_address(choice: tuple[str, tuple[bytes, int]]) -> IpAddress:
    kind, (data, _width) = choice
    if kind == "ipv4-r13":
        return ipaddress.IPv4Address(data)
    return ipaddress.IPv6Address(data)


def _parse_wlan_ids(v: dict[str, bytes]) -> WlanIdentifiers:
    return WlanIdentifiers(v.get("ssid-r12"), v.get("bssid-r12"), v.get("hessid-r12"))


def _parse_mobility(v: dict[str, Value]) -> WlanMobilityConfig:
    timer = v.get("associationTimer-r13")
    return WlanMobilityConfig(
        tuple(_parse_wlan_ids(i) for i in v.get("wlan-ToReleaseList-r13", ())),
        tuple(_parse_wlan_ids(i) for i in v.get("wlan-ToAddList-r13", ())),
        None if timer is None else int(timer[1:]),
        "successReportRequested-r13" in v,
    )


def _parse_lwip(choice: tuple[str, Value]) -> LwipSetup | LwipRelease:
    kind, body = choice
    if kind == "release":
        return LwipRelease()
    config = body["lwip-Config-r13"]
    tunnel = None
    if "tunnelConfigLWIP-r13" in config:
        t = config["tunnelConfigLWIP-r13"]
        tunnel = TunnelConfig(
            _parse_address(t["ip-Address-r13"]),
            t["ike-Identity-r13"]["idI-r13"],
            t.get("lwip-Counter-r13"),
        )
    mobility = None
    if "lwip-MobilityConfig-r13" in config:
        mobility = _parse_mobility(config["lwip-MobilityConfig-r13"])
    return LwipSetup(tunnel, mobility)


def _parse_handover(v: dict[str, Value]) -> HandoverCommand:
    t304 = v["t304"].removeprefix("ms").removesuffix("-v1310")
    return HandoverCommand(v["targetPhysCellId"], bits_to_uint(v["newUE-Identity"]), int(t304))


def _parse_reconfiguration(body: dict[str, Value]) -> RrcMessage | None:
    ext = body["criticalExtensions"]
    if ext[0] != "c1" or ext[1][0] != "rrcConnectionReconfiguration-r8":
        return None
    r8 = ext[1][1]
    lwip = None
    node: dict[str, Value] | None = r8
    for _ in _CHAIN_TO_V1310:
        node = node.get("nonCriticalExtension") if node is not None else None
    if node is not None and "lwip-Configuration-r13" in node:
        lwip = _parse_lwip(node["lwip-Configuration-r13"])
    drbs = tuple(
        DrbLwip(d["drb-Identity"], d["drb-TypeLWIP-r13"])
        for d in r8.get("radioResourceConfigDedicated", {}).get("drb-ToAddModList", ())
        if "drb-TypeLWIP-r13" in d
    )
    handover = None
    if "mobilityControlInfo" in r8:
        handover = _parse_handover(r8["mobilityControlInfo"])
    return RrcConnectionReconfiguration(body["rrc-TransactionIdentifier"], lwip, drbs, handover)


def _parse_status_report(report: dict[str, Value]) -> RrcMessage | None:
    ext = report["criticalExtensions"]
    if ext[0] != "c1" or ext[1][0] != "wlanConnectionStatusReport-r13":
        return None
    ies = ext[1][1]
    v1430 = ies.get("nonCriticalExtension", {}).get("wlan-Status-v1430")
    # 36.331: when wlan-Status-v1430 is present, E-UTRAN ignores wlan-Status-r13.
    return WlanConnectionStatusReport(v1430 if v1430 is not None else ies["wlan-Status-r13"])


def _parse_reestablishment(body: dict[str, Value]) -> RrcMessage | None:
    ext = body["criticalExtensions"]
    if ext[0] != "rrcConnectionReestablishmentRequest-r8":
        return None
    ies = ext[1]
    ue = ies["ue-Identity"]
    return RrcConnectionReestablishmentRequest(
        bits_to_uint(ue["c-RNTI"]),
        ue["physCellId"],
        bits_to_uint(ue["shortMAC-I"]),
        ies["reestablishmentCause"],
    )


def _message_choice(value: Value) -> tuple[str, Value]:
    """Unwrap ``message`` down to (message name, body) through c1/c2/messageClassExtension."""
    node = value["message"]
    while isinstance(node, tuple) and node[0] in ("c1", "c2", "messageClassExtension"):
        node = node[1]
    if isinstance(node, tuple):
        return node[0], node[1]
    return "messageClassExtension", node


_PARSERS: Final[dict[tuple[RrcChannel, str], Callable[[Value], RrcMessage | None]]] = {
    (RrcChannel.DL_DCCH, "rrcConnectionReconfiguration"): _parse_reconfiguration,
    (RrcChannel.UL_DCCH, "rrcConnectionReconfigurationComplete"): lambda b: (
        RrcConnectionReconfigurationComplete(b["rrc-TransactionIdentifier"])
    ),
    (RrcChannel.UL_DCCH, "wlanConnectionStatusReport-r13"): _parse_status_report,
    (RrcChannel.UL_CCCH, "rrcConnectionReestablishmentRequest"): _parse_reestablishment,
}


def decode_value(channel: RrcChannel | str, data: bytes) -> Value:
    """Strictly decode ``data`` to asn1tools' value of the channel's message type.

    Exactly one message must fill ``data``: after it only the zero to seven padding bits of the
    last octet may follow (X.691 10.1.3), and every constraint must hold.
    """
    channel = RrcChannel(channel)
    try:
        channel_type = channel.pdu_type
    except KeyError:
        raise InvalidFieldError("channel", f"unknown RRC channel {channel!r}") from None
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DecodeError(f"expected bytes, got {type(data).__name__}")
    compiled = asn1.rrc().types[channel_type]
    decoder = _uper.Decoder(bytearray(data))
    try:
        value = compiled._type.decode(decoder)
        compiled.check_constraints(value)
    except Exception as exc:  # asn1tools raises several types on hostile input
        raise DecodeError(f"{channel_type}: {exc or type(exc).__name__}") from None
    if decoder.number_of_bits >= 8:
        raise DecodeError(
            f"{channel_type}: {decoder.number_of_bits // 8} octet(s) after the message"
        )
    return value


def decode(channel: RrcChannel | str, data: bytes) -> RrcMessage:
    """Strictly decode a UPER message of ``channel`` into a typed message.

    Raises :class:`~lwip_enb.errors.DecodeError` for anything that is not exactly one valid
    message: truncated input, trailing octets, constraint violations.
    """
    channel = _channel(channel)
    fast = _uper_fast.decode(channel, data)
    if fast is not None:
        return fast
    return _decode_general(channel, data)


def _channel(channel: RrcChannel | str) -> RrcChannel:
    if type(channel) is RrcChannel:
        return channel
    try:
        return RrcChannel(channel)
    except ValueError:
        raise InvalidFieldError("channel", f"unknown RRC channel {channel!r}") from None


def _decode_general(channel: RrcChannel | str, data: bytes) -> RrcMessage:
    """:func:`decode` through asn1tools, for every input (the fast path's reference)."""
    channel = _channel(channel)
    value = decode_value(channel, data)
    name, body = _message_choice(value)
    parser = _PARSERS.get((channel, name))
    try:
        parsed = parser(body) if parser is not None else None
    except InvalidFieldError as exc:
        raise DecodeError(f"{name}: {exc}", cause="abstract-syntax-error-reject") from None
    return parsed if parsed is not None else OtherRrcMessage(channel, name, value)
