"""Hand-specialised UPER (X.691, unaligned) for the typed RRC messages of :mod:`.messages`.

The general codec (:mod:`.general`) runs every message through asn1tools: correct for all of
TS 36.331, but slow.  This module writes and reads the few shapes the typed messages can take
directly as bit fields of one Python ``int`` (the convention of :mod:`lwip_enb.codec.per`):

* DL-DCCH ``RRCConnectionReconfiguration`` (``-r8-IEs``) with, as the message allows,
  ``measConfig`` (WLAN objects, W1/W2/W3 reporting configurations, measurement identities,
  ``quantityConfigWLAN-r13``), ``mobilityControlInfo`` (the fixed minimal
  ``RadioResourceConfigCommon`` of :class:`~.messages.HandoverCommand`),
  ``radioResourceConfigDedicated`` holding only a ``drb-ToAddModList`` whose entries carry only
  ``drb-Identity`` and ``drb-TypeLWIP-r13``, and the ``nonCriticalExtension`` chain v890 ..
  v1310 down to ``lwip-Configuration-r13`` (its ``WLAN-MobilityConfig-r13`` with
  ``wlan-SuspendConfig-r14``);
* UL-DCCH ``RRCConnectionReconfigurationComplete``, ``WLANConnectionStatusReport-r13`` (through
  ``messageClassExtension``/``c2``, with ``wlan-Status-v1430`` for suspended/resumed) and
  ``MeasurementReport`` with ``measResultListWLAN-r13``;
* DL-DCCH ``UECapabilityEnquiry`` without non-critical extensions;
* UL-CCCH ``RRCConnectionReestablishmentRequest``.

``UECapabilityInformation`` has an entry that hands it to the general codec
(:data:`GENERAL_ONLY`).

:data:`FAST_CODECS` holds the encoder and decoder of each typed message class. Contract, relied
on by :func:`lwip_enb.codec.rrc.encode` and :func:`lwip_enb.codec.rrc.decode`, which try this
module first and hand everything else to the general codec:

* :func:`encode` returns the very octets the general encoder writes, or ``None`` for anything it
  does not handle (:class:`~.messages.OtherRrcMessage`, objects that are no message).
* :func:`decode` is strict: it returns a message only for the canonical encodings :func:`encode`
  writes (the padding bits of the last octet may hold anything, as for the general decoder,
  which ignores them), so that the general decoder would return the very same message for those
  octets.  For every other input (other CHOICE alternatives, extension bits, OPTIONAL fields it
  does not model, other extension bit-maps or lengths, constraint violations, truncation,
  trailing octets, non-canonical lengths, non-zero spare bits) it returns ``None`` and never
  raises; the general decoder then decides, and raises the proper ``DecodeError``.

``tests/codec/test_rrc_fast_path.py`` holds both paths to pycrate's octets and checks the strictness
differentially against the general decoder on random and mutated input.

The encoder trusts the fields: the (frozen) message classes validate every one when made.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Final

from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.per import (
    EMPTY,
    FastCodec,
    Unhandled,
    end_padded,
    put_octet_string,
    put_octets,
    take_octet_string,
    take_octets,
    take_window,
    to_bytes,
)
from lwip_enb.codec.rrc.messages import (
    ASSOCIATION_TIMERS_S,
    FILTER_COEFFICIENTS,
    REPORT_AMOUNTS,
    REPORT_INTERVALS_MS,
    T304_MS,
    TIME_TO_TRIGGER_MS,
    DrbLwip,
    DrbTypeLwip,
    HandoverCommand,
    LwipRelease,
    LwipSetup,
    MeasIdentity,
    MeasurementReport,
    RatType,
    ReestablishmentCause,
    RrcChannel,
    RrcConnectionReconfiguration,
    RrcConnectionReconfigurationComplete,
    RrcConnectionReestablishmentRequest,
    RrcMessage,
    TunnelConfig,
    UeCapabilityEnquiry,
    UeCapabilityInformation,
    WlanBand,
    WlanConnectionStatusReport,
    WlanEvent,
    WlanMeasConfig,
    WlanMeasObject,
    WlanMeasResult,
    WlanMobilityConfig,
    WlanReportConfig,
    WlanStatus,
    WlanSuspendConfig,
)

__all__ = ["FAST_CODECS", "GENERAL_ONLY", "decode", "encode"]


# --- ENUMERATED values in the order of their ASN.1 definitions ------------------------------

#: MobilityControlInfo.t304 and WLAN-MobilityConfig-r13.associationTimer-r13: the tuples of
#: :mod:`.messages` list them in the ASN.1 order.
_T304_INDEX: Final = {ms: i for i, ms in enumerate(T304_MS)}
_TIMER_INDEX: Final = {s: i for i, s in enumerate(ASSOCIATION_TIMERS_S)}
#: DRB-ToAddMod.drb-TypeLWIP-r13 {lwip, lwip-DL-only, lwip-UL-only, eutran}
_DRB_TYPES: Final = tuple(
    DrbTypeLwip(n) for n in ("lwip", "lwip-DL-only", "lwip-UL-only", "eutran")
)
_DRB_TYPE_INDEX: Final = {t: i for i, t in enumerate(_DRB_TYPES)}
#: ReestablishmentCause {reconfigurationFailure, handoverFailure, otherFailure, spare1}
_CAUSES: Final = tuple(
    ReestablishmentCause(n)
    for n in ("reconfigurationFailure", "handoverFailure", "otherFailure", "spare1")
)
_CAUSE_INDEX: Final = {c: i for i, c in enumerate(_CAUSES)}
#: WLAN-Status-r13 and WLAN-Status-v1430
_WLAN_STATUS_R13: Final = (
    "successfulAssociation",
    "failureWlanRadioLink",
    "failureWlanUnavailable",
    "failureTimeout",
)
_WLAN_STATUS_V1430: Final = ("suspended", "resumed")
#: WLAN-BandIndicator-r13 {band2dot4, band5, band60-v1430, spare5 .. spare1, ...}
_BANDS: Final = tuple(WlanBand(n) for n in ("band2dot4", "band5", "band60-v1430"))
_BAND_INDEX: Final = {b: i for i, b in enumerate(_BANDS)}
#: ReportConfigInterRAT eventId: the alternatives after the extension marker, in order
_EVENTS: Final = tuple(WlanEvent(n) for n in ("eventW1-r13", "eventW2-r13", "eventW3-r13"))
_EVENT_INDEX: Final = {e: i for i, e in enumerate(_EVENTS)}
#: RAT-Type {eutra, utra, geran-cs, geran-ps, cdma2000-1XRTT, nr, eutra-nr, spare1, ...}
_RAT_TYPES: Final = tuple(
    RatType(n)
    for n in ("eutra", "utra", "geran-cs", "geran-ps", "cdma2000-1XRTT", "nr", "eutra-nr", "spare1")
)
_RAT_INDEX: Final = {r: i for i, r in enumerate(_RAT_TYPES)}
#: TimeToTrigger, ReportInterval, reportAmount, FilterCoefficient: :mod:`.messages` lists them
#: in the ASN.1 order
_TTT_INDEX: Final = {ms: i for i, ms in enumerate(TIME_TO_TRIGGER_MS)}
_INTERVAL_INDEX: Final = {ms: i for i, ms in enumerate(REPORT_INTERVALS_MS)}
_AMOUNT_INDEX: Final = {n: i for i, n in enumerate(REPORT_AMOUNTS)}
_FILTER_INDEX: Final = {fc: i for i, fc in enumerate(FILTER_COEFFICIENTS)}

# --- constant bit patterns -----------------------------------------------------------------

#: DL-DCCH-MessageType c1 (1 bit: 0), c1 rrcConnectionReconfiguration (4 bits: 4).
_RECONF_HEAD: Final = EMPTY << 5 | 0b0_0100
#: The first 17 bits of a reconfiguration (message type 5, rrc-TransactionIdentifier 2,
#: criticalExtensions 1 + 3, the OPTIONAL bit-map of RRCConnectionReconfiguration-r8-IEs 6):
#: mask and value of those that are fixed; free are the transaction id and the OPTIONAL bits of
#: measConfig, mobilityControlInfo, radioResourceConfigDedicated and nonCriticalExtension.
_RECONF_MASK: Final = 0b11111_00_1111_001010
_RECONF_BITS: Final = 0b00100_00_0000_000000
#: The 17 bits up to the OPTIONAL bit-map included, by transaction id, with the bit-map zero.
_RECONF_START: Final = tuple((_RECONF_HEAD << 2 | tid) << 10 for tid in range(4))
#: RadioResourceConfigCommon of HandoverCommand: every one of its 43 bits is zero (extension
#: bit, 9 OPTIONAL bits, PRACH-Config 1 + 10, pusch-ConfigBasic 2 + 1 + 7 + 1,
#: UL-ReferenceSignalsPUSCH 1 + 5 + 1 + 3, ul-CyclicPrefixLength 1).
_RR_COMMON_WIDTH: Final = 43
#: RadioResourceConfigDedicated: extension bit 0, OPTIONAL bit-map 010000 (drb-ToAddModList).
_RR_DEDICATED_HEAD: Final = 0b0_010000
#: DRB-ToAddMod after drb-Identity: extension bit-map length 7 (normally small number 6: 7 bits),
#: bit-map 0100000 (only the r13 group), open type length 1 (8 bits), then the group
#: (rlc-Config-v1310, drb-TypeLWA-r13 absent, drb-TypeLWIP-r13 present, 2 bits, 3 padding bits).
_DRB_EXT: Final = 0b0000110_0100000_00000001_001_00_000
_DRB_EXT_WIDTH: Final = 30
#: A whole DRB-ToAddMod: extension bit 1, 5 OPTIONAL bits 0, drb-Identity (5 bits), _DRB_EXT.
_DRB_WIDTH: Final = 11 + _DRB_EXT_WIDTH
_DRB_FIXED: Final = 1 << 40 | _DRB_EXT
_DRB_VARIABLE: Final = 0x1F << 30 | 0b11 << 3
#: OPTIONAL bit-maps of the r8 .. v1310 IEs down to lwip-Configuration-r13 (22 bits):
#: v890 01, v920 001, v1020 001, v1130 01, v1250 000001, v1310 000100.
_CHAIN: Final = 0b01_001_001_01_000001_000100
_CHAIN_WIDTH: Final = 22
#: TunnelConfigLWIP-r13 extension: bit-map length 1 (0000000), bit-map 1, open type length 3,
#: the group (lwip-Counter-r13 present: 1, counter 16 bits, 7 padding bits); 40 bits in all.
_COUNTER_FIXED: Final = 0b0000000_1_00000011_1 << 23
_COUNTER_WIDTH: Final = 40
#: WLAN-MobilityConfig-r13 extension, before the addition group [[ wlan-SuspendConfig-r14 ]]:
#: bit-map length 1 (0000000), bit-map 1, open type length 1 (the group fits one octet).
_SUSPEND_HEAD: Final = 0b0000000_1_00000001


def _suspend_octet(c: WlanSuspendConfig) -> int:
    """The one octet of the group ``[[ wlan-SuspendConfig-r14 ]]``: its OPTIONAL bit (1), then
    ``WLAN-SuspendConfig-r14``: 2 OPTIONAL bits and the BOOLEANs present; zero padding."""
    allowed, report = c.resume_allowed, c.triggers_status_report
    bits = 0b100 | (allowed is not None) << 1 | (report is not None)
    width = 3
    if allowed is not None:
        bits, width = bits << 1 | allowed, width + 1
    if report is not None:
        bits, width = bits << 1 | report, width + 1
    return bits << 8 - width


#: MeasConfig: the OPTIONAL bits the fast path writes (extension bit 0, then 11 OPTIONAL bits:
#: measObjectToAddModList, reportConfigToAddModList, measIdToRemoveList, measIdToAddModList,
#: quantityConfig may be present; measObjectToRemoveList, reportConfigToRemoveList,
#: measGapConfig, s-Measure, preRegistrationInfoHRPD, speedStatePars never).
_MEAS_CONFIG_FREE: Final = 1 << 9 | 1 << 7 | 1 << 6 | 1 << 5 | 1 << 4
#: MeasObjectToAddMod.measObject: extension bit 1, then the normally small index 0 of
#: measObjectWLAN-r13 (0 and 6 bits), before the open type.
_WLAN_OBJECT_CHOICE: Final = 0b1_0000000
#: ReportConfigToAddMod after reportConfigId: reportConfig CHOICE reportConfigInterRAT (1);
#: ReportConfigInterRAT: extension bit 0, triggerType event (0); eventId: extension bit 1, then
#: the normally small index of the W event (0 and 6 bits), before the open type. 11 bits.
_INTER_RAT_EVENT: Final = 0b1_0_0_1_0000000
_INTER_RAT_EVENT_MASK: Final = 0b1_1_1_1_1_000000
#: QuantityConfig with only quantityConfigWLAN-r13: extension bit 1, 4 OPTIONAL bits 0,
#: bit-map length 4 (0000011), bit-map 0010 (the group [[ quantityConfigEUTRA-v1310,
#: quantityConfigWLAN-r13 ]]), open type length 1; 24 bits, then the group's octet.
_QUANTITY_HEAD: Final = 0b1_0000_0000011_0010_00000001


def _quantity_octet(fc: int) -> int:
    """The group's octet: its 2 OPTIONAL bits (01), ``QuantityConfigWLAN-r13``'s OPTIONAL bit
    (``filterCoefficient-r13``, DEFAULT fc4: left out for fc4), ``measQuantityWLAN-r13`` (one
    value: no bits), ``FilterCoefficient`` (extension bit 0, 4 bits)."""
    if fc == 4:
        return 0b010_00000
    return 0b011_0_0000 | _FILTER_INDEX[fc]


_QUANTITY_OCTETS: Final = {fc: _quantity_octet(fc) for fc in FILTER_COEFFICIENTS}
_FILTER_BY_OCTET: Final = {octet: fc for fc, octet in _QUANTITY_OCTETS.items()}

#: UL-DCCH c1 (0), c1 measurementReport (4 bits: 1), criticalExtensions c1 (0), c1
#: measurementReport-r8 (3 bits: 0), r8 IEs' OPTIONAL nonCriticalExtension absent (0): 10 bits.
_REPORT_TYPE: Final = 0b0_0001_0_000_0
#: MeasResults extension: bit-map length 10 (0001001), bit-map 0001000000 (the group
#: [[ measResultForRSSI-r13, ..., measResultListWLAN-r13 ]]); 17 bits, then the open type.
_REPORT_EXT: Final = 0b0001001_0001000000
#: That group: 6 OPTIONAL bits, only measResultListWLAN-r13 present.
_REPORT_GROUP: Final = 0b000001

#: The nine suspend configurations by their octet, for the decoder.
_SUSPEND_BY_OCTET: Final = {
    _suspend_octet(c): c
    for c in (WlanSuspendConfig(a, b) for a in (None, False, True) for b in (None, False, True))
}


# --- encoding -------------------------------------------------------------------------------


def _put_handover(acc: int, ho: HandoverCommand) -> int:
    """``MobilityControlInfo``: extension bit 0, 4 OPTIONAL bits 0, ``targetPhysCellId``
    (``PhysCellId`` 0..503, 9 bits), ``t304`` (3 bits), ``newUE-Identity`` (``C-RNTI``, 16 bits),
    then the all-zero ``RadioResourceConfigCommon``."""
    acc = acc << 14 | ho.target_pci
    acc = acc << 3 | _T304_INDEX[ho.t304_ms]
    return (acc << 16 | ho.new_crnti) << _RR_COMMON_WIDTH


def _put_drbs(acc: int, drbs: tuple[DrbLwip, ...]) -> int:
    """``RadioResourceConfigDedicated`` with a ``DRB-ToAddModList`` (SIZE 1..maxDRB: 4 bits)."""
    acc = (acc << 7 | _RR_DEDICATED_HEAD) << 4 | len(drbs) - 1
    for d in drbs:
        acc = (acc << 11 | 1 << 10 | d.drb_identity - 1) << _DRB_EXT_WIDTH | _DRB_EXT
        acc |= _DRB_TYPE_INDEX[d.lwip_type] << 3
    return acc


_WLAN_ID_HEAD: Final = EMPTY << 4


def _wlan_id_bits(w: WlanIdentifiers) -> int:
    """``WLAN-Identifiers-r12`` as an encoding of its own: extension bit 0, 3 OPTIONAL bits,
    ``ssid-r12`` (SIZE 1..32: 5-bit length), ``bssid-r12`` and ``hessid-r12`` (SIZE 6: no
    length)."""
    ssid, bssid, hessid = w.ssid, w.bssid, w.hessid
    e = _WLAN_ID_HEAD | (ssid is not None) << 2 | (bssid is not None) << 1 | (hessid is not None)
    if ssid is not None:
        e = put_octets(e << 5 | len(ssid) - 1, ssid)
    if bssid is not None:
        e = e << 48 | int.from_bytes(bssid, "big")
    if hessid is not None:
        e = e << 48 | int.from_bytes(hessid, "big")
    return e


def _put_wlan_ids(acc: int, ids: tuple[WlanIdentifiers, ...]) -> int:
    """``WLAN-Id-List-r13`` (SIZE 1..maxWLAN-Id-r13: 5-bit count) of ``WLAN-Identifiers-r12``.

    Each entry is built apart and appended at once: one operation on the long ``acc`` per entry
    rather than per field keeps long lists linear."""
    acc = acc << 5 | len(ids) - 1
    for w in ids:
        e = _wlan_id_bits(w)
        width = e.bit_length() - 1
        acc = acc << width | (e ^ (1 << width))
    return acc


def _put_mobility(acc: int, m: WlanMobilityConfig) -> int:
    """``WLAN-MobilityConfig-r13``: extension bit (set with ``wlan-SuspendConfig-r14``), 4
    OPTIONAL bits, the two lists, ``associationTimer-r13`` (3 bits);
    ``successReportRequested-r13`` (ENUMERATED {true}) has no bits of its own; then the
    extension (24 bits)."""
    rel, add, timer, suspend = m.to_release, m.to_add, m.association_timer_s, m.suspend
    # the lists are tuples: != () is cheaper than a call of bool()
    present = (suspend is not None) << 4 | (rel != ()) << 3 | (add != ()) << 2
    acc = acc << 5 | present | (timer is not None) << 1 | m.success_report_requested
    if rel:
        acc = _put_wlan_ids(acc, rel)
    if add:
        acc = _put_wlan_ids(acc, add)
    if timer is not None:
        acc = acc << 3 | _TIMER_INDEX[timer]
    if suspend is not None:
        acc = (acc << 16 | _SUSPEND_HEAD) << 8 | _suspend_octet(suspend)
    return acc


def _put_tunnel(acc: int, t: TunnelConfig) -> int:
    """``TunnelConfigLWIP-r13``: extension bit (set when ``lwip-Counter-r13`` is present),
    ``IP-Address-r13`` (CHOICE, 1 bit, then 32 or 128 bits), ``IKE-Identity-r13`` (``idI-r13``,
    unconstrained OCTET STRING: 1- or 2-octet length determinant), then the extension."""
    counter, addr = t.counter, t.segw_address
    acc = acc << 1 | (counter is not None)
    if isinstance(addr, ipaddress.IPv4Address):
        acc = acc << 33 | int(addr)
    else:
        acc = acc << 129 | 1 << 128 | int(addr)
    acc = put_octet_string(acc, t.idi)
    if counter is not None:
        acc = acc << _COUNTER_WIDTH | _COUNTER_FIXED | counter << 7
    return acc


def _put_lwip(acc: int, lwip: LwipSetup | LwipRelease) -> int:
    """The nonCriticalExtension chain to ``RRCConnectionReconfiguration-v1310-IEs``, then
    ``LWIP-Configuration-r13`` (CHOICE release/setup, 1 bit) and, for setup, ``LWIP-Config-r13``:
    extension bit 0 and 2 OPTIONAL bits."""
    acc = acc << _CHAIN_WIDTH | _CHAIN
    if isinstance(lwip, LwipRelease):
        return acc << 1
    m, t = lwip.mobility, lwip.tunnel
    acc = acc << 4 | 0b1000 | (m is not None) << 1 | (t is not None)
    if m is not None:
        acc = _put_mobility(acc, m)
    if t is not None:
        acc = _put_tunnel(acc, t)
    return acc


def _wlan_object_bits(o: WlanMeasObject) -> int:
    """``MeasObjectWLAN-r13`` as an encoding of its own (an open type's value): extension bit 0,
    3 OPTIONAL bits, ``carrierFreq-r13`` as ``bandIndicatorListWLAN-r13`` (CHOICE 0, SIZE
    1..8: 3 bits, each ``WLAN-BandIndicator-r13`` extension bit 0 and 3 bits), the two
    ``WLAN-Id-List-r13``."""
    bands, add, remove = o.bands, o.wlans, o.wlans_to_remove
    e = EMPTY << 4 | bool(bands) << 2 | bool(add) << 1 | bool(remove)
    if bands:
        e = e << 4 | len(bands) - 1
        for b in bands:
            e = e << 4 | _BAND_INDEX[b]
    if add:
        e = _put_wlan_ids(e, add)
    if remove:
        e = _put_wlan_ids(e, remove)
    return e


def _put_report_config(acc: int, r: WlanReportConfig) -> int:
    """``ReportConfigToAddMod``: ``reportConfigId`` (5 bits), then ``reportConfigInterRAT``
    with an event W1/W2/W3 (see :data:`_INTER_RAT_EVENT`); the event's SEQUENCE as an open
    type (one octet per threshold); ``hysteresis`` (0..30: 5 bits), ``timeToTrigger`` (4 bits),
    ``maxReportCells`` (1..8: 3 bits), ``reportInterval`` (4 bits), ``reportAmount`` (3 bits)."""
    acc = (acc << 5 | r.report_config_id - 1) << 11 | _INTER_RAT_EVENT | _EVENT_INDEX[r.event]
    if r.threshold2 is not None:  # W2
        acc = ((acc << 8 | 2) << 8 | r.threshold) << 8 | r.threshold2
    else:
        acc = (acc << 8 | 1) << 8 | r.threshold
    acc = (acc << 5 | r.hysteresis_half_db) << 4 | _TTT_INDEX[r.time_to_trigger_ms]
    acc = (acc << 3 | r.max_report_cells - 1) << 4 | _INTERVAL_INDEX[r.report_interval_ms]
    return acc << 3 | _AMOUNT_INDEX[r.report_amount]


def _put_meas_config(acc: int, mc: WlanMeasConfig) -> int:
    """``MeasConfig``: extension bit 0, 11 OPTIONAL bits (:data:`_MEAS_CONFIG_FREE`), then the
    lists (SIZE 1..32: 5-bit counts) and ``quantityConfig``."""
    objects, reports, ids = mc.meas_objects, mc.report_configs, mc.meas_ids
    remove, fc = mc.meas_ids_to_remove, mc.wlan_filter_coefficient
    acc = acc << 12 | bool(objects) << 9 | bool(reports) << 7 | bool(remove) << 6
    acc |= bool(ids) << 5 | (fc is not None) << 4
    if objects:
        acc = acc << 5 | len(objects) - 1
        for o in objects:
            acc = (acc << 5 | o.meas_object_id - 1) << 8 | _WLAN_OBJECT_CHOICE
            acc = put_octet_string(acc, to_bytes(_wlan_object_bits(o)))
    if reports:
        acc = acc << 5 | len(reports) - 1
        for r in reports:
            acc = _put_report_config(acc, r)
    if remove:
        acc = acc << 5 | len(remove) - 1
        for meas_id in remove:
            acc = acc << 5 | meas_id - 1
    if ids:
        acc = acc << 5 | len(ids) - 1
        for m in ids:
            acc = (acc << 10 | m.meas_id - 1 << 5 | m.meas_object_id - 1) << 5
            acc |= m.report_config_id - 1
    if fc is not None:
        acc = (acc << 24 | _QUANTITY_HEAD) << 8 | _QUANTITY_OCTETS[fc]
    return acc


def _encode_reconfiguration(msg: RrcConnectionReconfiguration) -> bytes | None:
    """DL-DCCH ``RRCConnectionReconfiguration``: ``rrc-TransactionIdentifier`` (2 bits),
    criticalExtensions c1 (1 bit), c1 ``rrcConnectionReconfiguration-r8`` (3 bits), then the 6
    OPTIONAL bits of the r8 IEs and the present fields."""
    ho, drbs, lwip, mc = msg.handover, msg.drbs, msg.lwip, msg.meas_config
    # drbs is a tuple: != () is cheaper than a call of bool()
    present = (mc is not None) << 5 | (ho is not None) << 4 | (drbs != ()) << 2
    acc = _RECONF_START[msg.transaction_id] | present | (lwip is not None)
    try:
        if mc is not None:
            acc = _put_meas_config(acc, mc)
        if ho is not None:
            acc = _put_handover(acc, ho)
        if drbs:
            acc = _put_drbs(acc, drbs)
        if lwip is not None:
            acc = _put_lwip(acc, lwip)
    except (Unhandled, LookupError):
        return None
    return to_bytes(acc)


def _complete_bits(tid: int) -> int:
    """UL-DCCH c1 (0), c1 ``rrcConnectionReconfigurationComplete`` (4 bits: 2), transaction id,
    criticalExtensions ``-r8`` (0), r8 IEs' OPTIONAL ``nonCriticalExtension`` absent (0)."""
    return (EMPTY << 5 | 0b0_0010) << 4 | tid << 2


def _status_report_bits(status: WlanStatus) -> int:
    """UL-DCCH ``messageClassExtension`` (1), ``c2`` (0), c2 ``wlanConnectionStatusReport-r13``
    (4 bits: 5), criticalExtensions c1 (0), c1 alternative 0 (2 bits), the 2 OPTIONAL bits of the
    r13 IEs (``lateNonCriticalExtension`` 0, ``nonCriticalExtension``), ``WLAN-Status-r13``
    (2 bits) and, for v1430 statuses, ``WLANConnectionStatusReport-v1430-IEs``: OPTIONAL bit 0
    and ``WLAN-Status-v1430`` (1 bit)."""
    acc = EMPTY << 10 | 0b1_0_0101_0_00_0
    r13 = _WLAN_STATUS_R13.index(status.r13.value)
    if status.is_v1430:
        v1430 = _WLAN_STATUS_V1430.index(status.value)
        return ((acc << 1 | 1) << 2 | r13) << 2 | v1430
    return (acc << 1) << 2 | r13


#: The few UL-DCCH messages, all two octets: their encodings.
_COMPLETE_OCTETS: Final = {tid: to_bytes(_complete_bits(tid)) for tid in range(4)}
_STATUS_OCTETS: Final = {s: to_bytes(_status_report_bits(s)) for s in WlanStatus}


def _encode_complete(msg: RrcConnectionReconfigurationComplete) -> bytes | None:
    return _COMPLETE_OCTETS.get(msg.transaction_id)


def _encode_status_report(msg: WlanConnectionStatusReport) -> bytes | None:
    return _STATUS_OCTETS.get(msg.status)


def _put_wlan_result(acc: int, r: WlanMeasResult) -> int:
    """``MeasResultWLAN-r13``: extension bit 0, 8 OPTIONAL bits (only ``connectedWLAN-r13``, an
    ENUMERATED {true} with no bits of its own, may be present), ``wlan-Identifiers-r13``,
    ``rssiWLAN-r13`` (0..141: 8 bits)."""
    acc = acc << 9 | r.connected
    e = _wlan_id_bits(r.wlan)
    width = e.bit_length() - 1
    return (acc << width | (e ^ (1 << width))) << 8 | r.rssi


def _encode_measurement_report(msg: MeasurementReport) -> bytes | None:
    """UL-DCCH ``MeasurementReport`` (:data:`_REPORT_TYPE`), then ``MeasResults``: extension
    bit, OPTIONAL ``measResultNeighCells`` absent (0), ``measId`` (5 bits),
    ``measResultPCell`` (``rsrpResult`` 7 bits, ``rsrqResult`` 6 bits) and, with WLAN results,
    the extension (:data:`_REPORT_EXT`) and the group's open type: :data:`_REPORT_GROUP`,
    ``MeasResultListWLAN-r13`` (SIZE 1..8: 3 bits) of ``MeasResultWLAN-r13``."""
    results = msg.wlan_results
    acc = (EMPTY << 10 | _REPORT_TYPE) << 2 | bool(results) << 1
    acc = ((acc << 5 | msg.meas_id - 1) << 7 | msg.pcell_rsrp) << 6 | msg.pcell_rsrq
    if results:
        group = (EMPTY << 6 | _REPORT_GROUP) << 3 | len(results) - 1
        for r in results:
            group = _put_wlan_result(group, r)
        acc = put_octet_string(acc << 17 | _REPORT_EXT, to_bytes(group))
    return to_bytes(acc)


#: DL-DCCH c1 (0), c1 ueCapabilityEnquiry (4 bits: 7).
_ENQUIRY_TYPE: Final = 0b0_0111


def _encode_enquiry(msg: UeCapabilityEnquiry) -> bytes | None:
    """DL-DCCH ``UECapabilityEnquiry`` (:data:`_ENQUIRY_TYPE`): ``rrc-TransactionIdentifier``
    (2 bits), criticalExtensions c1 (0), c1 ``ueCapabilityEnquiry-r8`` (2 bits: 0), the r8 IEs'
    OPTIONAL ``nonCriticalExtension`` absent (0), ``UE-CapabilityRequest`` (SIZE 1..8: 3 bits)
    of ``RAT-Type`` (extension bit 0, 3 bits)."""
    rats = msg.rat_types
    acc = ((EMPTY << 5 | _ENQUIRY_TYPE) << 2 | msg.transaction_id) << 7 | len(rats) - 1
    for r in rats:
        acc = acc << 4 | _RAT_INDEX[r]
    return to_bytes(acc)


def _general_only(_msg: object) -> None:
    """The fast entry of a class the general codec alone encodes and decodes (see
    :data:`GENERAL_ONLY`): ``None`` for any message and any octets."""
    return None


def _encode_reestablishment(msg: RrcConnectionReestablishmentRequest) -> bytes | None:
    """UL-CCCH c1 (0), c1 ``rrcConnectionReestablishmentRequest`` (0), criticalExtensions ``-r8``
    (0), ``ReestabUE-Identity`` (``C-RNTI`` 16 bits, ``PhysCellId`` 9 bits, ``ShortMAC-I`` 16
    bits), ``ReestablishmentCause`` (2 bits), ``spare`` (BIT STRING SIZE 2, zero): 48 bits."""
    cause = _CAUSE_INDEX.get(msg.cause)
    if cause is None:
        return None
    acc = (EMPTY << 3 | 0b000) << 16 | msg.c_rnti
    acc = ((acc << 9 | msg.phys_cell_id) << 16 | msg.short_mac_i) << 2 | cause
    return to_bytes(acc << 2)


# --- decoding -------------------------------------------------------------------------------


def _take_handover(v: int, rest: int) -> tuple[HandoverCommand, int]:
    """``MobilityControlInfo`` with no extension, no OPTIONAL field and the all-zero
    ``RadioResourceConfigCommon`` of :class:`HandoverCommand` (see :func:`_put_handover`)."""
    rest -= 33
    f = v >> rest & (1 << 33) - 1
    pci = f >> 19
    if pci > 503:  # also catches the extension bit and the OPTIONAL bits
        raise Unhandled
    rest -= _RR_COMMON_WIDTH
    if v >> rest & (1 << _RR_COMMON_WIDTH) - 1:
        raise Unhandled
    return HandoverCommand(pci, f & 0xFFFF, T304_MS[f >> 16 & 7]), rest


def _take_drbs(v: int, rest: int) -> tuple[tuple[DrbLwip, ...], int]:
    """``RadioResourceConfigDedicated`` holding only a ``DRB-ToAddModList`` whose entries hold
    only ``drb-Identity`` and ``drb-TypeLWIP-r13`` (see :func:`_put_drbs`)."""
    rest -= 11
    f = v >> rest & 0x7FF
    count = (f & 0xF) + 1
    if f >> 4 != _RR_DEDICATED_HEAD or count > 11:  # maxDRB
        raise Unhandled
    drbs = []
    for _ in range(count):
        rest -= _DRB_WIDTH
        f = v >> rest & (1 << _DRB_WIDTH) - 1
        if f & ~_DRB_VARIABLE != _DRB_FIXED:
            raise Unhandled
        drbs.append(DrbLwip((f >> 30 & 0x1F) + 1, _DRB_TYPES[f >> 3 & 3]))
    return tuple(drbs), rest


#: The longest WLAN-Identifiers-r12 without extensions: 4 + 5 + 8 * 32 + 48 + 48 bits.
_WLAN_ID_MAX_WIDTH: Final = 361


def _take_wlan_id(v: int, rest: int) -> tuple[WlanIdentifiers, int]:
    """``WLAN-Identifiers-r12`` without extensions."""
    rest -= 4
    f = v >> rest & 0xF
    if f & 0b1000:
        raise Unhandled
    ssid = bssid = hessid = None
    if f & 0b100:
        rest -= 5
        ssid, rest = take_octets(v, rest, (v >> rest & 0x1F) + 1)
    if f & 0b10:
        bssid, rest = take_octets(v, rest, 6)
    if f & 0b1:
        hessid, rest = take_octets(v, rest, 6)
    return WlanIdentifiers(ssid, bssid, hessid), rest


def _take_wlan_ids(data: bytes, v: int, rest: int) -> tuple[tuple[WlanIdentifiers, ...], int]:
    """``WLAN-Id-List-r13`` of ``WLAN-Identifiers-r12``.

    Each entry is read from a window of ``data`` (:func:`~lwip_enb.codec.per.take_window`), not
    from the long ``v``, which keeps long lists linear."""
    rest -= 5
    count = (v >> rest & 0x1F) + 1
    out = []
    for _ in range(count):
        w, wrest = take_window(data, rest, _WLAN_ID_MAX_WIDTH)
        ident, wrest_after = _take_wlan_id(w, wrest)
        rest -= wrest - wrest_after
        out.append(ident)
    return tuple(out), rest


def _take_mobility(data: bytes, v: int, rest: int) -> tuple[WlanMobilityConfig, int]:
    """``WLAN-MobilityConfig-r13``; its extension only as the canonical
    ``[[ wlan-SuspendConfig-r14 ]]`` group (see :func:`_put_mobility`)."""
    rest -= 5
    f = v >> rest & 0x1F
    rel: tuple[WlanIdentifiers, ...] = ()
    add: tuple[WlanIdentifiers, ...] = ()
    if f & 0b1000:
        rel, rest = _take_wlan_ids(data, v, rest)
    if f & 0b100:
        add, rest = _take_wlan_ids(data, v, rest)
    timer = None
    if f & 0b10:
        rest -= 3
        index = v >> rest & 0b111
        if index >= len(ASSOCIATION_TIMERS_S):
            raise Unhandled
        timer = ASSOCIATION_TIMERS_S[index]
    suspend = None
    if f & 0b10000:
        rest -= 24
        g = v >> rest & 0xFFFFFF
        suspend = _SUSPEND_BY_OCTET.get(g & 0xFF)
        if g >> 8 != _SUSPEND_HEAD or suspend is None:
            raise Unhandled
    return WlanMobilityConfig(rel, add, timer, bool(f & 1), suspend), rest


def _take_tunnel(v: int, rest: int) -> tuple[TunnelConfig, int]:
    """``TunnelConfigLWIP-r13``; its extension only as the canonical ``lwip-Counter-r13`` group,
    ``idI-r13``'s length only in its shortest form."""
    rest -= 2
    f = v >> rest & 0b11
    addr: ipaddress.IPv4Address | ipaddress.IPv6Address
    if f & 1:
        rest -= 128
        addr = ipaddress.IPv6Address(v >> rest & (1 << 128) - 1)
    else:
        rest -= 32
        addr = ipaddress.IPv4Address(v >> rest & 0xFFFFFFFF)
    idi, rest = take_octet_string(v, rest)
    counter = None
    if f & 0b10:
        rest -= _COUNTER_WIDTH
        g = v >> rest & (1 << _COUNTER_WIDTH) - 1
        if g & ~(0xFFFF << 7) != _COUNTER_FIXED:
            raise Unhandled
        counter = g >> 7 & 0xFFFF
    return TunnelConfig(addr, idi, counter), rest


_RELEASE: Final = LwipRelease()


def _take_lwip(data: bytes, v: int, rest: int) -> tuple[LwipSetup | LwipRelease, int]:
    """The chain v890 .. v1310 with nothing but its ``nonCriticalExtension`` links, then
    ``LWIP-Configuration-r13``."""
    rest -= _CHAIN_WIDTH + 1
    f = v >> rest & (1 << _CHAIN_WIDTH + 1) - 1
    if f >> 1 != _CHAIN:
        raise Unhandled
    if not f & 1:
        return _RELEASE, rest
    rest -= 3
    f = v >> rest & 0b111
    if f & 0b100:  # LWIP-Config-r13 extension bit
        raise Unhandled
    mobility = tunnel = None
    if f & 0b10:
        mobility, rest = _take_mobility(data, v, rest)
    if f & 0b1:
        tunnel, rest = _take_tunnel(v, rest)
    return LwipSetup(tunnel, mobility), rest


def _take_wlan_object(object_id: int, content: bytes) -> WlanMeasObject:
    """``MeasObjectWLAN-r13`` as the whole of an open type's value ``content``, written as
    :func:`_wlan_object_bits` writes it."""
    w = int.from_bytes(content, "big")
    wrest = 8 * len(content) - 4
    f = w >> wrest & 0xF
    if f & 0b1000:
        raise Unhandled
    bands: tuple[WlanBand, ...] = ()
    add: tuple[WlanIdentifiers, ...] = ()
    remove: tuple[WlanIdentifiers, ...] = ()
    if f & 0b100:
        wrest -= 4
        g = w >> wrest & 0xF
        if g & 0b1000:  # carrierInfoListWLAN-r13
            raise Unhandled
        found = []
        for _ in range((g & 0b111) + 1):
            wrest -= 4
            found.append(_BANDS[w >> wrest & 0xF])  # an extension bit or a spare: IndexError
        bands = tuple(found)
    if f & 0b10:
        add, wrest = _take_wlan_ids(content, w, wrest)
    if f & 0b1:
        remove, wrest = _take_wlan_ids(content, w, wrest)
    end_padded(w, wrest)
    return WlanMeasObject(object_id, bands, add, remove)


def _take_report_config(v: int, rest: int) -> tuple[WlanReportConfig, int]:
    """``ReportConfigToAddMod`` as :func:`_put_report_config` writes it."""
    rest -= 16
    f = v >> rest & 0xFFFF
    if f & _INTER_RAT_EVENT_MASK != _INTER_RAT_EVENT:
        raise Unhandled
    event = _EVENTS[f & 0x3F]
    if event is WlanEvent.W2:
        rest -= 24
        g = v >> rest & 0xFFFFFF
        if g >> 16 != 2:
            raise Unhandled
        threshold, threshold2 = g >> 8 & 0xFF, g & 0xFF
    else:
        rest -= 16
        g = v >> rest & 0xFFFF
        if g >> 8 != 1:
            raise Unhandled
        threshold, threshold2 = g & 0xFF, None
    rest -= 19
    g = v >> rest & 0x7FFFF
    config = WlanReportConfig(
        (f >> 11) + 1,
        event,
        threshold,
        threshold2,
        g >> 14,
        TIME_TO_TRIGGER_MS[g >> 10 & 0xF],
        (g >> 7 & 0b111) + 1,
        REPORT_INTERVALS_MS[g >> 3 & 0xF],  # the spares: IndexError
        REPORT_AMOUNTS[g & 0b111],
    )
    return config, rest


def _take_meas_config(v: int, rest: int) -> tuple[WlanMeasConfig, int]:
    """``MeasConfig`` as :func:`_put_meas_config` writes it."""
    rest -= 12
    f = v >> rest & 0xFFF
    if f & ~_MEAS_CONFIG_FREE:
        raise Unhandled
    objects = []
    reports = []
    remove = []
    ids = []
    fc = None
    if f & 1 << 9:
        rest -= 5
        for _ in range((v >> rest & 0x1F) + 1):
            rest -= 13
            g = v >> rest & 0x1FFF
            if g & 0xFF != _WLAN_OBJECT_CHOICE:
                raise Unhandled
            content, rest = take_octet_string(v, rest)
            objects.append(_take_wlan_object((g >> 8) + 1, content))
    if f & 1 << 7:
        rest -= 5
        for _ in range((v >> rest & 0x1F) + 1):
            report, rest = _take_report_config(v, rest)
            reports.append(report)
    if f & 1 << 6:
        rest -= 5
        for _ in range((v >> rest & 0x1F) + 1):
            rest -= 5
            remove.append((v >> rest & 0x1F) + 1)
    if f & 1 << 5:
        rest -= 5
        for _ in range((v >> rest & 0x1F) + 1):
            rest -= 15
            g = v >> rest & 0x7FFF
            ids.append(MeasIdentity((g >> 10) + 1, (g >> 5 & 0x1F) + 1, (g & 0x1F) + 1))
    if f & 1 << 4:
        rest -= 32
        g = v >> rest & 0xFFFFFFFF
        fc = _FILTER_BY_OCTET.get(g & 0xFF)
        if g >> 8 != _QUANTITY_HEAD or fc is None:
            raise Unhandled
    return WlanMeasConfig(tuple(objects), tuple(reports), tuple(ids), fc, tuple(remove)), rest


def _decode_reconfiguration(data: bytes) -> RrcConnectionReconfiguration | None:
    """DL-DCCH: only ``RRCConnectionReconfiguration`` as :func:`_encode_reconfiguration` writes
    it."""
    try:
        v = int.from_bytes(data, "big")
        rest = 8 * len(data) - 17
        head = v >> rest
        if head & _RECONF_MASK != _RECONF_BITS:
            return None
        meas_config = handover = None
        drbs: tuple[DrbLwip, ...] = ()
        lwip = None
        if head & 0b100000:
            meas_config, rest = _take_meas_config(v, rest)
        if head & 0b10000:
            handover, rest = _take_handover(v, rest)
        if head & 0b100:
            drbs, rest = _take_drbs(v, rest)
        if head & 0b1:
            lwip, rest = _take_lwip(data, v, rest)
        if rest >= 8:  # whole octets after the message
            return None
        return RrcConnectionReconfiguration(head >> 10 & 0b11, lwip, drbs, handover, meas_config)
    except (Unhandled, ValueError, LookupError):
        # ValueError: a negative shift count (input too short) or a field validator
        # (InvalidFieldError), e.g. an empty idI-r13 or a DRB listed twice.
        return None


def _decode_enquiry(data: bytes) -> UeCapabilityEnquiry | None:
    """DL-DCCH: only ``UECapabilityEnquiry`` as :func:`_encode_enquiry` writes it."""
    try:
        v = int.from_bytes(data, "big")
        rest = 8 * len(data) - 14
        head = v >> rest
        # the message type (5 bits), the transaction id, then criticalExtensions, r8 and the
        # OPTIONAL bit (4 bits, all zero), the count (3 bits)
        if head >> 9 != _ENQUIRY_TYPE or head & 0b1111000:
            return None
        rats = []
        for _ in range((head & 0b111) + 1):
            rest -= 4
            rats.append(_RAT_TYPES[v >> rest & 0xF])  # an extension bit: IndexError
        if rest >= 8:
            return None
        return UeCapabilityEnquiry(head >> 7 & 0b11, tuple(rats))
    except (ValueError, LookupError):  # too short: a negative shift count
        return None


#: Two-octet UL-DCCH encodings with their padding bits cleared -> message.
_UL_DCCH: Final[dict[int, RrcMessage]] = {
    **{
        int.from_bytes(octets, "big"): RrcConnectionReconfigurationComplete(tid)
        for tid, octets in _COMPLETE_OCTETS.items()
    },
    **{
        int.from_bytes(octets, "big"): WlanConnectionStatusReport(status)
        for status, octets in _STATUS_OCTETS.items()
    },
}


def _take_wlan_results(content: bytes) -> tuple[WlanMeasResult, ...]:
    """The group of ``MeasResults`` with only ``measResultListWLAN-r13``: the whole of an open
    type's value ``content``, as :func:`_encode_measurement_report` writes it."""
    w = int.from_bytes(content, "big")
    wrest = 8 * len(content) - 9
    f = w >> wrest & 0x1FF
    if f >> 3 != _REPORT_GROUP:
        raise Unhandled
    results = []
    for _ in range((f & 0b111) + 1):
        wrest -= 9
        g = w >> wrest & 0x1FF
        if g & 0x1FE:  # the extension bit, OPTIONAL fields other than connectedWLAN-r13
            raise Unhandled
        wlan, wrest = _take_wlan_id(w, wrest)
        wrest -= 8
        results.append(WlanMeasResult(wlan, w >> wrest & 0xFF, bool(g)))
    end_padded(w, wrest)
    return tuple(results)


def _decode_measurement_report(data: bytes) -> MeasurementReport | None:
    """UL-DCCH: only ``MeasurementReport`` as :func:`_encode_measurement_report` writes it."""
    try:
        v = int.from_bytes(data, "big")
        rest = 8 * len(data) - 30
        head = v >> rest
        # the message type and criticalExtensions, then (the extension bit aside)
        # measResultNeighCells absent
        if head >> 18 | 0b10 != _REPORT_TYPE << 2 | 0b10:
            return None
        results: tuple[WlanMeasResult, ...] = ()
        if head >> 19 & 1:
            rest -= 17
            if v >> rest & 0x1FFFF != _REPORT_EXT:
                return None
            content, rest = take_octet_string(v, rest)
            results = _take_wlan_results(content)
        if rest >= 8:
            return None
        return MeasurementReport((head >> 13 & 0x1F) + 1, head >> 6 & 0x7F, head & 0x3F, results)
    except (Unhandled, ValueError, LookupError):
        # ValueError: a negative shift count (input too short) or a field validator
        # (InvalidFieldError), e.g. an RSRP or RSSI out of range.
        return None


def _decode_ul_dcch(data: bytes) -> RrcMessage | None:
    """UL-DCCH: the two-octet messages, where the padding after the 9 (complete), 13 (r13
    report) or 15 (v1430 report) bits may hold anything; longer input may be a
    ``MeasurementReport``."""
    if len(data) != 2:
        return _decode_measurement_report(data)
    v = data[0] << 8 | data[1]
    if not v & 0x8000:
        key = v & 0xFF80
    elif v & 0x0020:  # the report's nonCriticalExtension (v1430) is present
        key = v & 0xFFFE
    else:
        key = v & 0xFFF8
    return _UL_DCCH.get(key)


def _decode_complete(data: bytes) -> RrcConnectionReconfigurationComplete | None:
    msg = _decode_ul_dcch(data)
    return msg if type(msg) is RrcConnectionReconfigurationComplete else None


def _decode_status_report(data: bytes) -> WlanConnectionStatusReport | None:
    msg = _decode_ul_dcch(data)
    return msg if type(msg) is WlanConnectionStatusReport else None


def _decode_reestablishment(data: bytes) -> RrcConnectionReestablishmentRequest | None:
    """UL-CCCH: ``RRCConnectionReestablishmentRequest`` (six octets, no padding) with zero
    ``spare`` bits."""
    if len(data) != 6:
        return None
    v = int.from_bytes(data, "big")
    pci = v >> 20 & 0x1FF
    if v >> 45 or v & 0b11 or pci > 503:
        return None
    return RrcConnectionReestablishmentRequest(
        v >> 29 & 0xFFFF, pci, v >> 4 & 0xFFFF, _CAUSES[v >> 2 & 0b11]
    )


# --- the registry and the two entry points --------------------------------------------------

#: The typed classes whose entry in :data:`FAST_CODECS` hands everything to the general codec
#: (:func:`_general_only`): ``UECapabilityInformation`` comes once per RRC connection, and what
#: matters in it, the ``UE-EUTRA-Capability`` container, is decoded by asn1tools anyway
#: (:func:`~.general.decode_eutra_capability`); a hand-specialised wrapper would save
#: microseconds beside milliseconds. ``tests/codec/test_codec_structure.py`` holds the same set
#: with the same reason.
GENERAL_ONLY: Final[frozenset[type[RrcMessage]]] = frozenset({UeCapabilityInformation})

#: The fast path of every typed message class (:data:`~.messages.MESSAGE_CLASSES`); the test
#: suite checks that none is missing.
FAST_CODECS: Final[Mapping[type[RrcMessage], FastCodec]] = {
    RrcConnectionReconfiguration: FastCodec(_encode_reconfiguration, _decode_reconfiguration),
    RrcConnectionReconfigurationComplete: FastCodec(_encode_complete, _decode_complete),
    WlanConnectionStatusReport: FastCodec(_encode_status_report, _decode_status_report),
    MeasurementReport: FastCodec(_encode_measurement_report, _decode_measurement_report),
    UeCapabilityEnquiry: FastCodec(_encode_enquiry, _decode_enquiry),
    UeCapabilityInformation: FastCodec(_general_only, _general_only),
    RrcConnectionReestablishmentRequest: FastCodec(
        _encode_reestablishment, _decode_reestablishment
    ),
}


#: The encoders of :data:`FAST_CODECS` by class, for :func:`encode`: one dict subscript a call.
_ENCODERS: Final = {cls: codec.encode for cls, codec in FAST_CODECS.items()}


def encode(msg: RrcMessage) -> bytes | None:
    """The UPER octets of a typed message, or ``None`` if it is not one handled here."""
    try:
        encoder = _ENCODERS[type(msg)]
    except KeyError:
        return None
    return encoder(msg)


def decode(channel: RrcChannel, data: bytes | bytearray | memoryview) -> RrcMessage | None:
    """The typed message ``data`` holds, or ``None`` unless it is a canonical encoding of one
    (then the general decoder decides); never raises."""
    if not isinstance(data, bytes):
        if not isinstance(data, bytearray | memoryview):
            return None
        try:
            data = bytes(data)
        except ValueError:  # a released memoryview
            return None
    if channel is RrcChannel.DL_DCCH:
        # a message object is always true: ``or`` falls through on None only
        return _decode_reconfiguration(data) or _decode_enquiry(data)
    if channel is RrcChannel.UL_DCCH:
        return _decode_ul_dcch(data)
    if channel is RrcChannel.UL_CCCH:
        return _decode_reestablishment(data)
    return None
