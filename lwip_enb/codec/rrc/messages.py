"""The typed RRC messages of LWIP (TS 36.331) and the validation of their fields.

Downlink (DL-DCCH): :class:`RrcConnectionReconfiguration` carrying ``lwip-Configuration-r13``
(setup with the tunnel configuration, or release), per-DRB ``drb-TypeLWIP-r13`` and, for a handover
command, ``mobilityControlInfo``. Uplink: :class:`RrcConnectionReconfigurationComplete` and
:class:`WlanConnectionStatusReport` (UL-DCCH), :class:`RrcConnectionReestablishmentRequest`
(UL-CCCH). Any other message decodes to :class:`OtherRrcMessage` with its raw value.

Every message validates its fields when it is made, so the coders (:mod:`.general`,
:mod:`.fast`) trust them. Nothing here encodes or decodes.
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Final, TypeAlias

import attrs

from lwip_enb.codec.fields import WlanIdentifiers, int_in, ip_address, octets_len, wlan_tuple
from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import LWIP_COUNTER_MAX

__all__ = [
    "ASSOCIATION_TIMERS_S",
    "MAX_WLAN_ID",
    "MESSAGE_CLASSES",
    "T304_MS",
    "DrbLwip",
    "DrbTypeLwip",
    "HandoverCommand",
    "IpAddress",
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
    "Value",
    "WlanConnectionStatusReport",
    "WlanIdentifiers",
    "WlanMobilityConfig",
    "WlanStatus",
    "to_channel",
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


def to_channel(channel: RrcChannel | str) -> RrcChannel:
    """``channel`` as an :class:`RrcChannel`; its value (``"dl-dcch"`` ...) is accepted too."""
    if type(channel) is RrcChannel:
        return channel
    try:
        return RrcChannel(channel)
    except ValueError:
        raise InvalidFieldError("channel", f"unknown RRC channel {channel!r}") from None


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


#: associationTimer-r13 ENUMERATED {s10, s30, s60, s120, s240}, in seconds, in the ASN.1 order
ASSOCIATION_TIMERS_S: Final = (10, 30, 60, 120, 240)
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
        if value is not None and value not in ASSOCIATION_TIMERS_S:
            raise InvalidFieldError(
                "association_timer_s", f"must be one of {ASSOCIATION_TIMERS_S}, got {value}"
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


#: MobilityControlInfo t304 ENUMERATED {ms50, ms100, ms150, ms200, ms500, ms1000, ms2000,
#: ms10000-v1310}, in milliseconds, in the ASN.1 order
T304_MS: Final = (50, 100, 150, 200, 500, 1000, 2000, 10000)


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
        if value not in T304_MS:
            raise InvalidFieldError("t304_ms", f"must be one of {T304_MS}, got {value}")


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

    @property
    def r13(self) -> WlanStatus:
        """What the report carries in its mandatory ``wlan-Status-r13``: the status itself, or
        beside a v1430 status the r13 value chosen here, which E-UTRAN then ignores (36.331
        WLANConnectionStatusReport field descriptions)."""
        return _R13_BESIDE_V1430.get(self, self)


_R13_BESIDE_V1430: Final = {
    WlanStatus.SUSPENDED: WlanStatus.FAILURE_WLAN_UNAVAILABLE,
    WlanStatus.RESUMED: WlanStatus.SUCCESSFUL_ASSOCIATION,
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

#: The typed messages, each with its logical channel (``CHANNEL``) and ASN.1 name (``MESSAGE``);
#: :class:`OtherRrcMessage` is not one of them.
MESSAGE_CLASSES: Final[tuple[type[RrcMessage], ...]] = (
    RrcConnectionReconfiguration,
    RrcConnectionReconfigurationComplete,
    WlanConnectionStatusReport,
    RrcConnectionReestablishmentRequest,
)
