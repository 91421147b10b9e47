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
    "FILTER_COEFFICIENTS",
    "MAX_CELL_REPORT",
    "MAX_MEAS_ID",
    "MAX_OBJECT_ID",
    "MAX_RAT_CAPABILITIES",
    "MAX_REPORT_CONFIG_ID",
    "MAX_WLAN_BANDS",
    "MAX_WLAN_ID",
    "MESSAGE_CLASSES",
    "REPORT_AMOUNTS",
    "REPORT_INTERVALS_MS",
    "T304_MS",
    "TIME_TO_TRIGGER_MS",
    "WLAN_RSSI_MAX",
    "DrbLwip",
    "DrbTypeLwip",
    "HandoverCommand",
    "IpAddress",
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
    "Value",
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
    "to_channel",
    "wlan_rssi_dbm",
    "wlan_rssi_value",
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


# --- downlink: WLAN measurements (36.331 5.5, 6.3.5) ----------------------------------------

MAX_MEAS_ID: Final = 32  # maxMeasId: MeasId INTEGER (1..maxMeasId)
MAX_OBJECT_ID: Final = 32  # maxObjectId: MeasObjectId INTEGER (1..maxObjectId)
MAX_REPORT_CONFIG_ID: Final = 32  # maxReportConfigId: ReportConfigId INTEGER (1..maxReportConfigId)
MAX_CELL_REPORT: Final = 8  # maxCellReport: maxReportCells and MeasResultListWLAN-r13
MAX_WLAN_BANDS: Final = 8  # maxWLAN-Bands-r13
#: WLAN-RSSI-Range-r13 INTEGER (0..141): 0 is -infinity, 1 is -100 dBm ... 140 is 39 dBm in
#: steps of 1 dB, 141 is +infinity (36.331 6.3.5 WLAN-RSSI-Range)
WLAN_RSSI_MAX: Final = 141
#: TimeToTrigger ENUMERATED {ms0, ms40, ..., ms5120}, in milliseconds, in the ASN.1 order
TIME_TO_TRIGGER_MS: Final = (
    0, 40, 64, 80, 100, 128, 160, 256, 320, 480, 512, 640, 1024, 1280, 2560, 5120
)  # fmt: skip
#: ReportInterval ENUMERATED {ms120, ..., ms10240, min1, min6, min12, min30, min60, spare3..1},
#: in milliseconds, in the ASN.1 order (the spares left out)
REPORT_INTERVALS_MS: Final = (
    120, 240, 480, 640, 1024, 2048, 5120, 10240, 60_000, 360_000, 720_000, 1_800_000, 3_600_000
)  # fmt: skip
#: ReportConfigInterRAT.reportAmount ENUMERATED {r1, r2, r4, r8, r16, r32, r64, infinity};
#: ``None`` stands for infinity
REPORT_AMOUNTS: Final = (1, 2, 4, 8, 16, 32, 64, None)
#: FilterCoefficient ENUMERATED {fc0, ..., fc9, fc11, fc13, fc15, fc17, fc19, spare1, ...} in the
#: ASN.1 order (the spare left out); fc4 is the DEFAULT of filterCoefficient-r13
FILTER_COEFFICIENTS: Final = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 15, 17, 19)


def wlan_rssi_dbm(value: int) -> float:
    """The RSSI in dBm of a ``WLAN-RSSI-Range-r13`` value: ``-inf`` for 0, ``value - 101`` for
    1..140, ``+inf`` for 141 (36.331 6.3.5)."""
    if value <= 0:
        return float("-inf")
    if value >= WLAN_RSSI_MAX:
        return float("inf")
    return float(value - 101)


def wlan_rssi_value(dbm: float) -> int:
    """The ``WLAN-RSSI-Range-r13`` value of an RSSI in dBm (a threshold): the step of 1 dB at or
    below ``dbm``, 0 below -100 dBm, 141 from 40 dBm."""
    if dbm < -100:
        return 0
    if dbm >= 40:
        return WLAN_RSSI_MAX
    return int(dbm // 1) + 101


def _one_of(
    field: str, values: tuple[Any, ...]
) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """attrs validator: one of ``values`` (an int, not a bool); errors name ``field``."""

    def check(_inst: object, _attr: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or value not in values:
            raise InvalidFieldError(field, f"must be one of {values}, got {value!r}")

    return check


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


def _items(
    field: str, kind: type | tuple[type, ...], lo: int, hi: int
) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """attrs validator: a tuple of ``lo..hi`` entries of ``kind``; errors name ``field``."""

    def check(_inst: object, _attr: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        if not lo <= len(value) <= hi:
            raise InvalidFieldError(field, f"must hold {lo}..{hi} entries, got {len(value)}")
        for item in value:
            if isinstance(item, bool) or not isinstance(item, kind):
                raise InvalidFieldError(field, f"entries must be {kind}, got {item!r}")

    return check


def _unique(field: str, ids: Iterable[int]) -> None:
    seen = list(ids)
    if len(set(seen)) != len(seen):
        raise InvalidFieldError(field, f"an identity appears twice: {seen}")


class WlanBand(enum.Enum):
    """``WLAN-BandIndicator-r13`` (its spares left out)."""

    BAND_2_4_GHZ = "band2dot4"
    BAND_5_GHZ = "band5"
    BAND_60_GHZ = "band60-v1430"


def _bands(value: Iterable[WlanBand | str]) -> tuple[WlanBand, ...]:
    try:
        return tuple(WlanBand(b) for b in value)
    except ValueError as exc:
        raise InvalidFieldError("wlan_bands", str(exc)) from None


@attrs.frozen(slots=True)
class WlanMeasObject:
    """A ``MeasObjectToAddMod`` whose ``measObject`` is ``measObjectWLAN-r13`` (36.331 6.3.5
    MeasObjectWLAN): which WLANs the UE measures.

    * ``meas_object_id``: ``measObjectId`` (1..32);
    * ``bands``: ``carrierFreq-r13`` as ``bandIndicatorListWLAN-r13`` (1..8 bands; empty leaves
      ``carrierFreq-r13`` out);
    * ``wlans`` / ``wlans_to_remove``: ``wlan-ToAddModList-r13`` / ``wlan-ToRemoveList-r13``
      (``WLAN-Id-List-r13``; empty leaves a list out). With no WLAN listed the UE measures any
      WLAN of the bands.

    Left out: ``carrierInfoListWLAN-r13`` (operating class, country, channels), the other
    alternative of ``carrierFreq-r13``; a decoder drops it.
    """

    meas_object_id: int = attrs.field(validator=int_in("meas_object_id", 1, MAX_OBJECT_ID))
    bands: tuple[WlanBand, ...] = attrs.field(
        default=(), converter=_bands, validator=_items("wlan_bands", WlanBand, 0, MAX_WLAN_BANDS)
    )
    wlans: tuple[WlanIdentifiers, ...] = attrs.field(
        default=(), converter=wlan_tuple, validator=_wlan_list("wlan_to_add_mod")
    )
    wlans_to_remove: tuple[WlanIdentifiers, ...] = attrs.field(
        default=(), converter=wlan_tuple, validator=_wlan_list("wlan_to_remove")
    )


class WlanEvent(enum.Enum):
    """The WLAN events of ``ReportConfigInterRAT`` (36.331 5.5.4.11-13), by their ``eventId``
    alternative."""

    #: WLAN becomes better than a threshold (only while the WLAN mobility set is empty)
    W1 = "eventW1-r13"
    #: all WLANs inside the mobility set become worse than threshold1 and a WLAN outside it
    #: becomes better than threshold2
    W2 = "eventW2-r13"
    #: all WLANs inside the mobility set become worse than a threshold
    W3 = "eventW3-r13"


def _event(value: WlanEvent | str) -> WlanEvent:
    try:
        return WlanEvent(value)
    except ValueError as exc:
        raise InvalidFieldError("event", str(exc)) from None


@attrs.frozen(slots=True)
class WlanReportConfig:
    """A ``ReportConfigToAddMod`` whose ``reportConfig`` is ``reportConfigInterRAT`` with
    ``triggerType`` ``event`` and ``eventId`` W1, W2 or W3 (36.331 6.3.5 ReportConfigInterRAT).

    * ``report_config_id``: ``reportConfigId`` (1..32);
    * ``event``: :class:`WlanEvent`;
    * ``threshold``: ``w1-Threshold-r13``, ``w2-Threshold1-r13`` or ``w3-Threshold-r13``;
      ``threshold2``: ``w2-Threshold2-r13``, for W2 only. Both ``WLAN-RSSI-Range-r13`` values
      (0..141, see :func:`wlan_rssi_value`);
    * ``hysteresis_half_db``: ``hysteresis`` (0..30, in steps of 0.5 dB);
    * ``time_to_trigger_ms``: ``timeToTrigger`` (:data:`TIME_TO_TRIGGER_MS`);
    * ``max_report_cells``: ``maxReportCells``, for WLAN the most WLANs in a report (1..8);
    * ``report_interval_ms``: ``reportInterval`` (:data:`REPORT_INTERVALS_MS`);
    * ``report_amount``: ``reportAmount`` (1, 2, 4, ..., 64, or ``None`` for infinity).

    Left out: ``triggerType`` ``periodical``, the other events, and the extension additions of
    ``ReportConfigInterRAT`` (``reportQuantityWLAN-r13``, which asks for band, carrier,
    admission capacity, backhaul rates, channel utilisation and station count;
    ``reportAnyWLAN-r14``; the others are not for WLAN); a decoder drops them.
    Use :meth:`w1`, :meth:`w2` and :meth:`w3`.
    """

    report_config_id: int = attrs.field(
        validator=int_in("report_config_id", 1, MAX_REPORT_CONFIG_ID)
    )
    event: WlanEvent = attrs.field(converter=_event)
    threshold: int = attrs.field(validator=int_in("threshold", 0, WLAN_RSSI_MAX))
    threshold2: int | None = attrs.field(default=None)
    hysteresis_half_db: int = attrs.field(default=0, validator=int_in("hysteresis_half_db", 0, 30))
    time_to_trigger_ms: int = attrs.field(
        default=0, validator=_one_of("time_to_trigger_ms", TIME_TO_TRIGGER_MS)
    )
    max_report_cells: int = attrs.field(
        default=MAX_CELL_REPORT, validator=int_in("max_report_cells", 1, MAX_CELL_REPORT)
    )
    report_interval_ms: int = attrs.field(
        default=1024, validator=_one_of("report_interval_ms", REPORT_INTERVALS_MS)
    )
    report_amount: int | None = attrs.field(
        default=1, validator=_one_of("report_amount", REPORT_AMOUNTS)
    )

    @threshold2.validator
    def _check_threshold2(self, _attr: attrs.Attribute[Any], value: int | None) -> None:
        if self.event is WlanEvent.W2:
            if value is None:
                raise InvalidFieldError("threshold2", "event W2 needs w2-Threshold2-r13")
            int_in("threshold2", 0, WLAN_RSSI_MAX)(self, _attr, value)
        elif value is not None:
            raise InvalidFieldError("threshold2", "only event W2 has a second threshold")

    @classmethod
    def w1(cls, report_config_id: int, threshold: int, **reporting: Any) -> WlanReportConfig:
        """Event W1: a WLAN of the measurement object becomes better than ``threshold``."""
        return cls(report_config_id, WlanEvent.W1, threshold, None, **reporting)

    @classmethod
    def w2(
        cls, report_config_id: int, threshold1: int, threshold2: int, **reporting: Any
    ) -> WlanReportConfig:
        """Event W2: every WLAN of the mobility set worse than ``threshold1`` and a WLAN outside
        it better than ``threshold2``."""
        return cls(report_config_id, WlanEvent.W2, threshold1, threshold2, **reporting)

    @classmethod
    def w3(cls, report_config_id: int, threshold: int, **reporting: Any) -> WlanReportConfig:
        """Event W3: every WLAN of the mobility set becomes worse than ``threshold``."""
        return cls(report_config_id, WlanEvent.W3, threshold, None, **reporting)


@attrs.frozen(slots=True)
class MeasIdentity:
    """``MeasIdToAddMod``: ``measId`` links a measurement object to a reporting configuration
    (36.331 5.5.2.3); a ``MeasurementReport`` names the ``measId`` it is for."""

    meas_id: int = attrs.field(validator=int_in("meas_id", 1, MAX_MEAS_ID))
    meas_object_id: int = attrs.field(validator=int_in("meas_object_id", 1, MAX_OBJECT_ID))
    report_config_id: int = attrs.field(
        validator=int_in("report_config_id", 1, MAX_REPORT_CONFIG_ID)
    )


def _check_meas_config(inst: WlanMeasConfig) -> None:
    _unique("meas_objects", (o.meas_object_id for o in inst.meas_objects))
    _unique("report_configs", (r.report_config_id for r in inst.report_configs))
    _unique("meas_ids", (m.meas_id for m in inst.meas_ids))
    _unique("meas_ids_to_remove", inst.meas_ids_to_remove)


@attrs.frozen(slots=True)
class WlanMeasConfig:
    """``measConfig`` of a reconfiguration, as far as WLAN measurements for LWIP go (36.331
    5.5.2, 6.3.5 MeasConfig).

    * ``meas_objects``: ``measObjectToAddModList`` of :class:`WlanMeasObject` (for LWIP one);
    * ``report_configs``: ``reportConfigToAddModList`` of :class:`WlanReportConfig` (W1, W2,
      W3);
    * ``meas_ids``: ``measIdToAddModList`` of :class:`MeasIdentity`;
    * ``wlan_filter_coefficient``: ``quantityConfig`` with ``quantityConfigWLAN-r13``
      (``measQuantityWLAN-r13`` rssiWLAN, ``filterCoefficient-r13``, :data:`FILTER_COEFFICIENTS`:
      4 is fc4, its DEFAULT); ``None`` leaves ``quantityConfig`` out;
    * ``meas_ids_to_remove``: ``measIdToRemoveList``, to stop measurements.

    Empty tuples leave their lists out. Identities are unique within each list; a ``measId``
    may refer to objects and reporting configurations set up by an earlier message.

    Left out: the removal of objects and reporting configurations, measurement objects and
    reporting configurations of other RATs, ``measGapConfig`` (WLAN needs no gaps),
    ``s-Measure``, ``preRegistrationInfoHRPD``, ``speedStatePars`` and the extension additions
    of ``MeasConfig``; a decoder drops them. :meth:`for_events` builds the usual configuration.
    """

    meas_objects: tuple[WlanMeasObject, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=_items("meas_objects", WlanMeasObject, 0, MAX_OBJECT_ID),
    )
    report_configs: tuple[WlanReportConfig, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=_items("report_configs", WlanReportConfig, 0, MAX_REPORT_CONFIG_ID),
    )
    meas_ids: tuple[MeasIdentity, ...] = attrs.field(
        default=(), converter=_tuple, validator=_items("meas_ids", MeasIdentity, 0, MAX_MEAS_ID)
    )
    wlan_filter_coefficient: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            _one_of("wlan_filter_coefficient", FILTER_COEFFICIENTS)
        ),
    )
    meas_ids_to_remove: tuple[int, ...] = attrs.field(
        default=(), converter=_tuple, validator=_items("meas_ids_to_remove", int, 0, MAX_MEAS_ID)
    )

    def __attrs_post_init__(self) -> None:
        for m in self.meas_ids_to_remove:
            if not 1 <= m <= MAX_MEAS_ID:
                raise InvalidFieldError("meas_ids_to_remove", f"must be 1..{MAX_MEAS_ID}, got {m}")
        _check_meas_config(self)

    @classmethod
    def for_events(
        cls,
        meas_object: WlanMeasObject,
        *report_configs: WlanReportConfig,
        wlan_filter_coefficient: int | None = 4,
    ) -> WlanMeasConfig:
        """One WLAN object and its events: each reporting configuration is linked to the
        object by a ``measId`` equal to its ``reportConfigId``, so a report's ``measId`` names
        its event (:meth:`event_of`)."""
        ids = tuple(
            MeasIdentity(r.report_config_id, meas_object.meas_object_id, r.report_config_id)
            for r in report_configs
        )
        return cls((meas_object,), report_configs, ids, wlan_filter_coefficient)

    def event_of(self, meas_id: int) -> WlanEvent | None:
        """The WLAN event ``meas_id`` reports, if this configuration links it to one."""
        for m in self.meas_ids:
            if m.meas_id == meas_id:
                for r in self.report_configs:
                    if r.report_config_id == m.report_config_id:
                        return r.event
        return None


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
    """DL-DCCH ``RRCConnectionReconfiguration`` (36.331 6.2.2) with the LWIP parts this library
    uses.

    * ``transaction_id``: ``rrc-TransactionIdentifier`` (0..3);
    * ``lwip``: ``lwip-Configuration-r13`` in ``RRCConnectionReconfiguration-v1310-IEs``
      (:class:`LwipSetup` or :class:`LwipRelease`);
    * ``drbs``: ``drb-TypeLWIP-r13`` of DRBs in ``radioResourceConfigDedicated``;
    * ``handover``: ``mobilityControlInfo`` (:class:`HandoverCommand`);
    * ``meas_config``: ``measConfig`` with WLAN measurements (:class:`WlanMeasConfig`).

    Constructors: :meth:`lwip_setup`, :meth:`lwip_release`, :meth:`handover_command`. Anything
    else a decoded reconfiguration holds is dropped.
    """

    CHANNEL: ClassVar[RrcChannel] = RrcChannel.DL_DCCH
    MESSAGE: ClassVar[str] = "RRCConnectionReconfiguration"

    transaction_id: int = attrs.field(validator=_tid)
    lwip: LwipSetup | LwipRelease | None = None
    drbs: tuple[DrbLwip, ...] = attrs.field(default=(), converter=_drb_tuple, validator=_check_drbs)
    handover: HandoverCommand | None = None
    # Like lwip and handover, meas_config has no validator of its own: its value validated
    # itself when it was made, and a validator call would cost every decoded reconfiguration.
    meas_config: WlanMeasConfig | None = None

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
        meas_config: WlanMeasConfig | None = None,
    ) -> RrcConnectionReconfiguration:
        """The reconfiguration that starts an LWIP tunnel (36.331 5.6.17.2, TS 33.401)."""
        tunnel = TunnelConfig(_to_address(segw_address), idi, counter)
        return cls(transaction_id, LwipSetup(tunnel, mobility), drbs, None, meas_config)

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
        meas_config: WlanMeasConfig | None = None,
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
        are applied after the release too, as in any reconfiguration; so is ``meas_config``
        (5.5.6.1 first, then 5.5.2).
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
        handover = HandoverCommand(target_pci, new_crnti, t304_ms)
        return cls(transaction_id, lwip, drbs, handover, meas_config)


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


@attrs.frozen(slots=True)
class WlanMeasResult:
    """``MeasResultWLAN-r13`` (36.331 6.3.5 MeasResults): one measured WLAN.

    * ``wlan``: ``wlan-Identifiers-r13``, all identifiers the UE could acquire;
    * ``rssi``: ``rssiWLAN-r13``, a ``WLAN-RSSI-Range-r13`` value (0..141; :attr:`rssi_dbm`);
    * ``connected``: ``connectedWLAN-r13``, the UE is connected to this WLAN.

    Left out: what ``reportQuantityWLAN-r13`` asks for (``carrierInfoWLAN-r13``,
    ``bandWLAN-r13``, ``availableAdmissionCapacityWLAN-r13``, the backhaul rates,
    ``channelUtilizationWLAN-r13``, ``stationCountWLAN-r13``) and extension additions; a decoder
    drops them.
    """

    wlan: WlanIdentifiers = attrs.field()
    rssi: int = attrs.field(validator=int_in("rssi", 0, WLAN_RSSI_MAX))
    connected: bool = attrs.field(default=False)

    @wlan.validator
    def _check_wlan(self, _attr: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, WlanIdentifiers):
            raise InvalidFieldError("wlan", f"must be WlanIdentifiers, got {value!r}")

    @connected.validator
    def _check_connected(self, _attr: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, bool):
            raise InvalidFieldError("connected", f"must be a bool, got {value!r}")

    @property
    def rssi_dbm(self) -> float:
        """The RSSI in dBm (:func:`wlan_rssi_dbm`)."""
        return wlan_rssi_dbm(self.rssi)


@attrs.frozen(slots=True)
class MeasurementReport:
    """UL-DCCH ``MeasurementReport`` (36.331 6.2.2, 5.5.5) with WLAN results.

    * ``meas_id``: ``measId`` (1..32) of the measurement that triggered the report: with
      :meth:`WlanMeasConfig.event_of` it tells W1, W2 and W3 apart;
    * ``pcell_rsrp`` / ``pcell_rsrq``: ``measResultPCell`` (``RSRP-Range`` 0..97,
      ``RSRQ-Range`` 0..34), mandatory in every report;
    * ``wlan_results``: ``measResultListWLAN-r13`` (up to 8, best first; empty leaves it out),
      in the extension addition group of ``MeasResults`` that starts with
      ``measResultForRSSI-r13``.

    Left out: ``measResultNeighCells`` (E-UTRA and other RATs), ``measResultListWLAN-r14``
    (reports of ``reportAnyWLAN-r14``) and the other extension additions of ``MeasResults``; a
    decoder drops them, so a report for a non-WLAN ``measId`` decodes to its ``measId`` and
    PCell results only.
    """

    CHANNEL: ClassVar[RrcChannel] = RrcChannel.UL_DCCH
    MESSAGE: ClassVar[str] = "MeasurementReport"

    meas_id: int = attrs.field(validator=int_in("meas_id", 1, MAX_MEAS_ID))
    pcell_rsrp: int = attrs.field(validator=int_in("pcell_rsrp", 0, 97))
    pcell_rsrq: int = attrs.field(validator=int_in("pcell_rsrq", 0, 34))
    wlan_results: tuple[WlanMeasResult, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=_items("wlan_results", WlanMeasResult, 0, MAX_CELL_REPORT),
    )


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


# --- UE capabilities (36.331 5.6.3, 6.2.2, 6.3.6) -------------------------------------------

MAX_RAT_CAPABILITIES: Final = 8  # maxRAT-Capabilities


class RatType(enum.Enum):
    """``RAT-Type`` (36.331 6.3.6)."""

    EUTRA = "eutra"
    UTRA = "utra"
    GERAN_CS = "geran-cs"
    GERAN_PS = "geran-ps"
    CDMA2000_1XRTT = "cdma2000-1XRTT"
    NR = "nr"
    EUTRA_NR = "eutra-nr"
    SPARE1 = "spare1"


def _rat_types(value: Iterable[RatType | str]) -> tuple[RatType, ...]:
    try:
        return tuple(RatType(r) for r in value)
    except ValueError as exc:
        raise InvalidFieldError("rat_types", str(exc)) from None


def _rat_type(value: RatType | str) -> RatType:
    try:
        return RatType(value)
    except ValueError as exc:
        raise InvalidFieldError("rat_type", str(exc)) from None


@attrs.frozen(slots=True)
class UeCapabilityEnquiry:
    """DL-DCCH ``UECapabilityEnquiry`` (36.331 6.2.2, 5.6.3): ``ue-CapabilityRequest``, the RATs
    whose capabilities the UE sends (1..8).

    Left out: the non-critical extensions (``requestedFrequencyBands-r11`` and later); a
    decoder drops them.
    """

    CHANNEL: ClassVar[RrcChannel] = RrcChannel.DL_DCCH
    MESSAGE: ClassVar[str] = "UECapabilityEnquiry"

    transaction_id: int = attrs.field(validator=_tid)
    rat_types: tuple[RatType, ...] = attrs.field(
        default=(RatType.EUTRA,),
        converter=_rat_types,
        validator=_items("rat_types", RatType, 1, MAX_RAT_CAPABILITIES),
    )


@attrs.frozen(slots=True)
class UeCapabilityContainer:
    """``UE-CapabilityRAT-Container`` (36.331 6.3.6): ``rat-Type`` and the octets of
    ``ueCapabilityRAT-Container``; for E-UTRA an encoded ``UE-EUTRA-Capability`` (decode it
    with :func:`lwip_enb.codec.rrc.decode_eutra_capability`)."""

    rat_type: RatType = attrs.field(converter=_rat_type)
    octets: bytes = attrs.field(converter=bytes)


@attrs.frozen(slots=True)
class UeCapabilityInformation:
    """UL-DCCH ``UECapabilityInformation`` (36.331 6.2.2, 5.6.3): ``ue-CapabilityRAT-ContainerList``
    (0..8 containers).

    Left out: the non-critical extensions (``ue-RadioPagingInfo-r12``) and containers of a
    ``rat-Type`` this release does not know (an extension value); a decoder drops them.
    The eNB may get the UE's capability from the MME instead (S1AP UE Radio Capability:
    ``UERadioAccessCapabilityInformation``, 36.331 10.2.2, whose octet string holds a
    ``UECapabilityInformation``; that inter-node wrapper is not decoded here). Either way the
    E-UTRA container (:attr:`eutra`) is what :func:`lwip_enb.codec.rrc.decode_eutra_capability`
    reads.
    """

    CHANNEL: ClassVar[RrcChannel] = RrcChannel.UL_DCCH
    MESSAGE: ClassVar[str] = "UECapabilityInformation"

    transaction_id: int = attrs.field(validator=_tid)
    containers: tuple[UeCapabilityContainer, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=_items("containers", UeCapabilityContainer, 0, MAX_RAT_CAPABILITIES),
    )

    @property
    def eutra(self) -> bytes | None:
        """The octets of the first E-UTRA container, if there is one."""
        for c in self.containers:
            if c.rat_type is RatType.EUTRA:
                return c.octets
        return None


@attrs.frozen(slots=True)
class UeLwipCapability:
    """What a ``UE-EUTRA-Capability`` (36.331 6.3.6) says about LWIP and what excludes it; not a
    message, the result of :func:`lwip_enb.codec.rrc.decode_eutra_capability`.

    Where each field comes from, in the ``nonCriticalExtension`` chain of the capability:

    * ``access_stratum_release``: ``accessStratumRelease`` (``"rel13"`` ...);
    * ``lwip_r13``: ``lwip-r13`` of ``lwip-Parameters-r13`` (``LWIP-Parameters-r13``) in
      ``UE-EUTRA-Capability-v1310-IEs``; not in ``IRAT-ParametersWLAN-r13``, which only lists the
      WLAN bands;
    * ``lwip_aggregation_dl`` / ``lwip_aggregation_ul``: ``lwip-Aggregation-DL-r14`` /
      ``lwip-Aggregation-UL-r14`` of ``lwip-Parameters-v1430`` in
      ``UE-EUTRA-Capability-v1430-IEs``;
    * ``wlan_bands``: ``supportedBandListWLAN-r13`` of ``interRAT-ParametersWLAN-r13`` in the
      v1310 IEs (band indicators this release does not name are skipped);
    * ``dc``: dual connectivity, from ``dc-Parameters-r12`` in the v1250 IEs: ``drb-TypeSCG-r12``
      (SCG bearer) or ``drb-TypeSplit-r12`` (split bearer); the per band combination
      ``dc-Support-r12``/``-r13`` is left out;
    * ``lwa``: ``lwa-r13`` of ``lwa-Parameters-r13`` in the v1310 IEs;
    * ``rclwi``: ``rclwi-r13`` of ``wlan-IW-Parameters-v1310`` in the v1310 IEs.

    A capability whose chain stops before the v1250, v1310 or v1430 IEs (an earlier release)
    has the fields of the missing IEs false. E-UTRAN does not configure LWIP together with DC,
    LWA or RCLWI (36.331 6.2.2, RRCConnectionReconfiguration field descriptions).
    """

    access_stratum_release: str
    lwip_r13: bool = False
    lwip_aggregation_dl: bool = False
    lwip_aggregation_ul: bool = False
    wlan_bands: tuple[WlanBand, ...] = attrs.field(default=(), converter=_bands)
    dc: bool = False
    lwa: bool = False
    rclwi: bool = False


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
    | MeasurementReport
    | UeCapabilityEnquiry
    | UeCapabilityInformation
    | RrcConnectionReestablishmentRequest
    | OtherRrcMessage
)

#: The typed messages, each with its logical channel (``CHANNEL``) and ASN.1 name (``MESSAGE``);
#: :class:`OtherRrcMessage` is not one of them.
MESSAGE_CLASSES: Final[tuple[type[RrcMessage], ...]] = (
    RrcConnectionReconfiguration,
    RrcConnectionReconfigurationComplete,
    WlanConnectionStatusReport,
    MeasurementReport,
    UeCapabilityEnquiry,
    UeCapabilityInformation,
    RrcConnectionReestablishmentRequest,
)
