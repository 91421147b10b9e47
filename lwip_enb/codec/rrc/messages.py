"""The typed RRC messages of LWIP (TS 36.331) and the validation of their fields.

Downlink (DL-DCCH): :class:`RrcConnectionReconfiguration` carrying ``lwip-Configuration-r13``
(setup with the tunnel configuration and the WLAN mobility set, or release), per-DRB
``drb-TypeLWIP-r13``, a WLAN measurement configuration (``measConfig``) and, for a handover
command, ``mobilityControlInfo``; :class:`UeCapabilityEnquiry`. Uplink (UL-DCCH):
:class:`RrcConnectionReconfigurationComplete`, :class:`WlanConnectionStatusReport`,
:class:`MeasurementReport` (WLAN results) and :class:`UeCapabilityInformation`; (UL-CCCH)
:class:`RrcConnectionReestablishmentRequest`. Any other message decodes to
:class:`OtherRrcMessage` with its raw value.

:class:`UeLwipCapability` is not a message: it is what the eNB reads, for LWIP, out of a
``UE-EUTRA-Capability`` container (36.331 6.3.6).

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
    "WlanSuspendConfig",
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


def _optional_bool(field: str) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """attrs validator: ``None`` or a bool; errors name ``field``."""

    def check(_inst: object, _attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and not isinstance(value, bool):
            raise InvalidFieldError(field, f"must be a bool or None, got {value!r}")

    return check


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
class WlanSuspendConfig:
    """``WLAN-SuspendConfig-r14`` (36.331 6.3.5): may the UE report WLAN as suspended/resumed.

    ``resume_allowed`` is ``wlan-SuspendResumeAllowed-r14`` (the UE may report WLAN as
    temporarily unavailable and available again, 5.6.15.4); ``triggers_status_report`` is
    ``wlan-SuspendTriggersStatusReport-r14`` (a suspension also triggers a PDCP status report,
    TS 36.323). Both are BOOLEAN OPTIONAL, Need ON: ``None`` leaves the UE's value as it was.
    """

    resume_allowed: bool | None = attrs.field(
        default=None, validator=_optional_bool("suspend_resume_allowed")
    )
    triggers_status_report: bool | None = attrs.field(
        default=None, validator=_optional_bool("suspend_triggers_status_report")
    )


@attrs.frozen(slots=True)
class WlanMobilityConfig:
    """``WLAN-MobilityConfig-r13`` (36.331 6.3.2), the ``lwip-MobilityConfig-r13`` of LWIP.

    * ``to_release`` / ``to_add``: ``wlan-ToReleaseList-r13`` / ``wlan-ToAddList-r13``, WLANs
      leaving / joining the WLAN mobility set (``WLAN-Id-List-r13``, SIZE 1..32: an empty tuple
      leaves the list out, so a list on the air is never empty);
    * ``association_timer_s``: ``associationTimer-r13``, the value of T351 in seconds (10, 30,
      60, 120 or 240; the UE reports a failure when it is not connected to a WLAN of the set in
      that time, 5.6.15.3). E-UTRAN includes it only when the mobility set or the LWIP counter
      changes;
    * ``success_report_requested``: ``successReportRequested-r13``, the UE reports a successful
      association (``WLANConnectionStatusReport``);
    * ``suspend``: ``wlan-SuspendConfig-r14``, in the extension addition group
      ``[[ wlan-SuspendConfig-r14 ]]`` of ``WLAN-MobilityConfig-r13`` itself (neither
      ``LWIP-Config-r13``, whose extension marker has no additions, nor the v1430 IEs of
      ``RRCConnectionReconfiguration`` carry it). 36.331 V17.4.0 5.6.17.2 does not list it among
      what the UE stores from ``lwip-MobilityConfig`` (5.6.14.2 does, for LWA); the codec
      carries it as the ASN.1 allows.

    :meth:`mobility_set` makes the configuration of an LWIP set-up: a non-empty
    ``wlan-ToAddList-r13``.
    """

    to_release: tuple[WlanIdentifiers, ...] = attrs.field(
        default=(), converter=wlan_tuple, validator=_wlan_list("wlan_to_release")
    )
    to_add: tuple[WlanIdentifiers, ...] = attrs.field(
        default=(), converter=wlan_tuple, validator=_wlan_list("wlan_to_add")
    )
    association_timer_s: int | None = attrs.field(default=None)
    success_report_requested: bool = False
    suspend: WlanSuspendConfig | None = attrs.field(default=None)

    @association_timer_s.validator
    def _check_timer(self, _attr: attrs.Attribute[Any], value: int | None) -> None:
        if value is not None and value not in ASSOCIATION_TIMERS_S:
            raise InvalidFieldError(
                "association_timer_s", f"must be one of {ASSOCIATION_TIMERS_S}, got {value}"
            )

    @suspend.validator
    def _check_suspend(self, _attr: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, WlanSuspendConfig):
            raise InvalidFieldError("suspend", f"must be a WlanSuspendConfig, got {value!r}")

    @classmethod
    def mobility_set(
        cls,
        wlans: Iterable[WlanIdentifiers],
        *,
        association_timer_s: int | None = None,
        success_report_requested: bool = True,
        suspend: WlanSuspendConfig | None = None,
    ) -> WlanMobilityConfig:
        """The mobility set of an LWIP set-up (36.331 5.6.17.2): the WLANs the UE may connect to,
        at least one, with T351 and the success report as asked."""
        to_add = wlan_tuple(wlans)
        if not to_add:
            raise InvalidFieldError("wlan_to_add", "an LWIP mobility set needs at least one WLAN")
        return cls((), to_add, association_timer_s, success_report_requested, suspend)


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

    On it the UE releases LWIP by itself (5.6.17.3), then applies any ``lwip-Configuration`` of
    the same message (see :meth:`RrcConnectionReconfiguration.handover_command`). The radio part
    is a fixed minimal ``RadioResourceConfigCommon``: enough for a simulated UE, not for a real
    radio.
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

    @classmethod
    def handover_command(
        cls,
        transaction_id: int,
        target_pci: int,
        new_crnti: int,
        *,
        t304_ms: int = 1000,
        lwip: LwipSetup | None = None,
        drbs: tuple[DrbLwip, ...] = (),
    ) -> RrcConnectionReconfiguration:
        """A handover command: ``mobilityControlInfo`` and, with ``lwip``, an LWIP set-up in the
        same message.

        36.331 5.3.5.4: on a reconfiguration with ``mobilityControlInfo`` the UE releases the
        LWIP configuration, if configured (5.6.17.3), and then, if the message includes
        ``lwip-Configuration``, performs the LWIP reconfiguration of 5.6.17.2. So ``lwip`` sets
        LWIP up afresh towards the target cell: it must be a set-up (a release would be a no-op)
        with ``tunnelConfigLWIP-r13`` carrying ``lwip-Counter-r13``, which TunnelConfigLWIP's
        Cond LWIP-Setup makes mandatory when a tunnel is set up, and from which the UE derives
        the LWIP-PSK with the KeNB of the target (TS 33.401). ``drbs`` (``drb-TypeLWIP-r13``)
        are applied after the release too, as in any reconfiguration.
        """
        if lwip is not None:
            if not isinstance(lwip, LwipSetup):
                raise InvalidFieldError(
                    "lwip", "a handover command releases LWIP by itself: only a set-up fits"
                )
            if lwip.tunnel is None or lwip.tunnel.counter is None:
                raise InvalidFieldError(
                    "lwip",
                    "LWIP after a handover is a new tunnel: tunnelConfigLWIP-r13 with "
                    "lwip-Counter-r13 (Cond LWIP-Setup)",
                )
        return cls(transaction_id, lwip, drbs, HandoverCommand(target_pci, new_crnti, t304_ms))


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
