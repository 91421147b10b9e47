"""The general RRC codec: every message of TS 36.331, through asn1tools and the compiled modules.

:func:`to_value` and the parsers translate between the typed messages of :mod:`.messages` and
asn1tools' values; :func:`encode` and :func:`decode` run those through UPER with every
constraint checked, and raise :class:`~lwip_enb.errors.EncodeError` /
:class:`~lwip_enb.errors.DecodeError`. A message it does not model decodes to
:class:`~lwip_enb.codec.rrc.messages.OtherRrcMessage`.

This is the reference the fast path (:mod:`.fast`) is held to, and what the public functions of
:mod:`lwip_enb.codec.rrc` fall back to, or use alone with ``fast=False``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Final

import asn1tools  # type: ignore[import-untyped]
from asn1tools.codecs import uper as _uper  # type: ignore[import-untyped]

from lwip_enb import asn1
from lwip_enb.codec.fields import WlanIdentifiers, bits_to_uint, uint_to_bits
from lwip_enb.codec.rrc.messages import (
    FILTER_COEFFICIENTS,
    REPORT_AMOUNTS,
    REPORT_INTERVALS_MS,
    DrbLwip,
    HandoverCommand,
    IpAddress,
    LwipRelease,
    LwipSetup,
    MeasIdentity,
    MeasurementReport,
    OtherRrcMessage,
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
    Value,
    WlanBand,
    WlanConnectionStatusReport,
    WlanEvent,
    WlanMeasConfig,
    WlanMeasObject,
    WlanMeasResult,
    WlanMobilityConfig,
    WlanReportConfig,
    WlanSuspendConfig,
    to_channel,
)
from lwip_enb.errors import DecodeError, EncodeError, InvalidFieldError

__all__ = ["decode", "decode_eutra_capability", "decode_value", "encode", "to_value"]

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
    if m.suspend is not None:
        suspend: dict[str, bool] = {}
        if m.suspend.resume_allowed is not None:
            suspend["wlan-SuspendResumeAllowed-r14"] = m.suspend.resume_allowed
        if m.suspend.triggers_status_report is not None:
            suspend["wlan-SuspendTriggersStatusReport-r14"] = m.suspend.triggers_status_report
        # the extension addition group [[ wlan-SuspendConfig-r14 ]]: asn1tools names its
        # component like a root one
        out["wlan-SuspendConfig-r14"] = suspend
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


#: ReportInterval's names, in the order of REPORT_INTERVALS_MS
_REPORT_INTERVAL_NAMES: Final = (
    "ms120", "ms240", "ms480", "ms640", "ms1024", "ms2048", "ms5120", "ms10240",
    "min1", "min6", "min12", "min30", "min60",
)  # fmt: skip
_INTERVAL_NAME: Final = dict(zip(REPORT_INTERVALS_MS, _REPORT_INTERVAL_NAMES, strict=True))
_INTERVAL_MS: Final = dict(zip(_REPORT_INTERVAL_NAMES, REPORT_INTERVALS_MS, strict=True))
_AMOUNT_NAMES: Final = ("r1", "r2", "r4", "r8", "r16", "r32", "r64", "infinity")
_AMOUNT_NAME: Final = dict(zip(REPORT_AMOUNTS, _AMOUNT_NAMES, strict=True))
_AMOUNT: Final = dict(zip(_AMOUNT_NAMES, REPORT_AMOUNTS, strict=True))
#: the DEFAULT of QuantityConfigWLAN-r13.filterCoefficient-r13
_DEFAULT_FILTER: Final = 4
_FILTERS: Final = {f"fc{k}": k for k in FILTER_COEFFICIENTS}


def _wlan_object_value(o: WlanMeasObject) -> dict[str, Value]:
    out: dict[str, Value] = {}
    if o.bands:
        out["carrierFreq-r13"] = ("bandIndicatorListWLAN-r13", [b.value for b in o.bands])
    if o.wlans:
        out["wlan-ToAddModList-r13"] = [_wlan_ids_value(i) for i in o.wlans]
    if o.wlans_to_remove:
        out["wlan-ToRemoveList-r13"] = [_wlan_ids_value(i) for i in o.wlans_to_remove]
    return out


def _report_config_value(r: WlanReportConfig) -> dict[str, Value]:
    event: dict[str, Value]
    if r.event is WlanEvent.W1:
        event = {"w1-Threshold-r13": r.threshold}
    elif r.event is WlanEvent.W2:
        event = {"w2-Threshold1-r13": r.threshold, "w2-Threshold2-r13": r.threshold2}
    else:
        event = {"w3-Threshold-r13": r.threshold}
    trigger = {
        "eventId": (r.event.value, event),
        "hysteresis": r.hysteresis_half_db,
        "timeToTrigger": f"ms{r.time_to_trigger_ms}",
    }
    return {
        "triggerType": ("event", trigger),
        "maxReportCells": r.max_report_cells,
        "reportInterval": _INTERVAL_NAME[r.report_interval_ms],
        "reportAmount": _AMOUNT_NAME[r.report_amount],
    }


def _meas_config_value(mc: WlanMeasConfig) -> dict[str, Value]:
    out: dict[str, Value] = {}
    if mc.meas_objects:
        out["measObjectToAddModList"] = [
            {
                "measObjectId": o.meas_object_id,
                "measObject": ("measObjectWLAN-r13", _wlan_object_value(o)),
            }
            for o in mc.meas_objects
        ]
    if mc.report_configs:
        out["reportConfigToAddModList"] = [
            {
                "reportConfigId": r.report_config_id,
                "reportConfig": ("reportConfigInterRAT", _report_config_value(r)),
            }
            for r in mc.report_configs
        ]
    if mc.meas_ids_to_remove:
        out["measIdToRemoveList"] = list(mc.meas_ids_to_remove)
    if mc.meas_ids:
        out["measIdToAddModList"] = [
            {
                "measId": m.meas_id,
                "measObjectId": m.meas_object_id,
                "reportConfigId": m.report_config_id,
            }
            for m in mc.meas_ids
        ]
    if mc.wlan_filter_coefficient is not None:
        wlan: dict[str, str] = {"measQuantityWLAN-r13": "rssiWLAN"}
        if mc.wlan_filter_coefficient != _DEFAULT_FILTER:
            wlan["filterCoefficient-r13"] = f"fc{mc.wlan_filter_coefficient}"
        out["quantityConfig"] = {"quantityConfigWLAN-r13": wlan}
    return out


def _reconfiguration_value(msg: RrcConnectionReconfiguration) -> Value:
    r8: dict[str, Value] = {}
    if msg.meas_config is not None:
        r8["measConfig"] = _meas_config_value(msg.meas_config)
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
            "wlan-Status-r13": msg.status.r13.value,
            "nonCriticalExtension": {"wlan-Status-v1430": msg.status.value},
        }
    else:
        ies = {"wlan-Status-r13": msg.status.value}
    report = {"criticalExtensions": ("c1", ("wlanConnectionStatusReport-r13", ies))}
    return {
        "message": ("messageClassExtension", ("c2", ("wlanConnectionStatusReport-r13", report)))
    }


def _measurement_report_value(msg: MeasurementReport) -> Value:
    results: dict[str, Value] = {
        "measId": msg.meas_id,
        "measResultPCell": {"rsrpResult": msg.pcell_rsrp, "rsrqResult": msg.pcell_rsrq},
    }
    if msg.wlan_results:
        wlans = []
        for r in msg.wlan_results:
            w: dict[str, Value] = {
                "wlan-Identifiers-r13": _wlan_ids_value(r.wlan),
                "rssiWLAN-r13": r.rssi,
            }
            if r.connected:
                w["connectedWLAN-r13"] = "true"
            wlans.append(w)
        results["measResultListWLAN-r13"] = wlans
    body = {"criticalExtensions": ("c1", ("measurementReport-r8", {"measResults": results}))}
    return {"message": ("c1", ("measurementReport", body))}


def _enquiry_value(msg: UeCapabilityEnquiry) -> Value:
    ies = {"ue-CapabilityRequest": [r.value for r in msg.rat_types]}
    body = {
        "rrc-TransactionIdentifier": msg.transaction_id,
        "criticalExtensions": ("c1", ("ueCapabilityEnquiry-r8", ies)),
    }
    return {"message": ("c1", ("ueCapabilityEnquiry", body))}


def _information_value(msg: UeCapabilityInformation) -> Value:
    containers = [
        {"rat-Type": c.rat_type.value, "ueCapabilityRAT-Container": c.octets}
        for c in msg.containers
    ]
    body = {
        "rrc-TransactionIdentifier": msg.transaction_id,
        "criticalExtensions": (
            "c1",
            ("ueCapabilityInformation-r8", {"ue-CapabilityRAT-ContainerList": containers}),
        ),
    }
    return {"message": ("c1", ("ueCapabilityInformation", body))}


def to_value(msg: RrcMessage) -> Value:
    """The value of ``msg`` in asn1tools' form, as a message of its logical channel."""
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
    if isinstance(msg, MeasurementReport):
        return _measurement_report_value(msg)
    if isinstance(msg, UeCapabilityEnquiry):
        return _enquiry_value(msg)
    if isinstance(msg, UeCapabilityInformation):
        return _information_value(msg)
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


def encode(msg: RrcMessage) -> bytes:
    """UPER-encode ``msg`` as a message of its logical channel, through asn1tools."""
    channel = msg.channel if isinstance(msg, OtherRrcMessage) else msg.CHANNEL
    value = to_value(msg)
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
    suspend = v.get("wlan-SuspendConfig-r14")
    return WlanMobilityConfig(
        tuple(_parse_wlan_ids(i) for i in v.get("wlan-ToReleaseList-r13", ())),
        tuple(_parse_wlan_ids(i) for i in v.get("wlan-ToAddList-r13", ())),
        None if timer is None else int(timer[1:]),
        "successReportRequested-r13" in v,
        None
        if suspend is None
        else WlanSuspendConfig(
            suspend.get("wlan-SuspendResumeAllowed-r14"),
            suspend.get("wlan-SuspendTriggersStatusReport-r14"),
        ),
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


def _parse_wlan_object(object_id: int, v: dict[str, Value]) -> WlanMeasObject:
    carrier = v.get("carrierFreq-r13")
    bands = carrier[1] if carrier is not None and carrier[0] == "bandIndicatorListWLAN-r13" else ()
    return WlanMeasObject(
        object_id,
        bands,
        tuple(_parse_wlan_ids(i) for i in v.get("wlan-ToAddModList-r13", ())),
        tuple(_parse_wlan_ids(i) for i in v.get("wlan-ToRemoveList-r13", ())),
    )


def _parse_report_config(report_config_id: int, v: dict[str, Value]) -> WlanReportConfig | None:
    """The reporting configuration if it is one of the WLAN events, else ``None``."""
    kind, trigger = v["triggerType"]
    if kind != "event":
        return None
    event_name, event = trigger["eventId"]
    if event_name == "eventW1-r13":
        thresholds = event["w1-Threshold-r13"], None
    elif event_name == "eventW2-r13":
        thresholds = event["w2-Threshold1-r13"], event["w2-Threshold2-r13"]
    elif event_name == "eventW3-r13":
        thresholds = event["w3-Threshold-r13"], None
    else:
        return None
    interval = _INTERVAL_MS.get(v["reportInterval"])
    if interval is None:  # spare3 .. spare1
        raise InvalidFieldError("report_interval_ms", f"no interval: {v['reportInterval']}")
    return WlanReportConfig(
        report_config_id,
        event_name,
        *thresholds,
        trigger["hysteresis"],
        int(trigger["timeToTrigger"].removeprefix("ms")),
        v["maxReportCells"],
        interval,
        _AMOUNT[v["reportAmount"]],
    )


def _parse_meas_config(v: dict[str, Value]) -> WlanMeasConfig:
    objects = tuple(
        _parse_wlan_object(o["measObjectId"], o["measObject"][1])
        for o in v.get("measObjectToAddModList", ())
        if o["measObject"][0] == "measObjectWLAN-r13"
    )
    reports = []
    for r in v.get("reportConfigToAddModList", ()):
        kind, config = r["reportConfig"]
        if kind == "reportConfigInterRAT":
            report = _parse_report_config(r["reportConfigId"], config)
            if report is not None:
                reports.append(report)
    quantity = v.get("quantityConfig", {}).get("quantityConfigWLAN-r13")
    filter_coefficient = None
    if quantity is not None:
        name = quantity.get("filterCoefficient-r13", f"fc{_DEFAULT_FILTER}")
        filter_coefficient = _FILTERS.get(name)
        if filter_coefficient is None:  # spare1, or an extension value of a later version
            raise InvalidFieldError("wlan_filter_coefficient", f"no filter coefficient: {name}")
    return WlanMeasConfig(
        objects,
        tuple(reports),
        tuple(
            MeasIdentity(m["measId"], m["measObjectId"], m["reportConfigId"])
            for m in v.get("measIdToAddModList", ())
        ),
        filter_coefficient,
        tuple(v.get("measIdToRemoveList", ())),
    )


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
    meas_config = None
    if "measConfig" in r8:
        meas_config = _parse_meas_config(r8["measConfig"])
    return RrcConnectionReconfiguration(
        body["rrc-TransactionIdentifier"], lwip, drbs, handover, meas_config
    )


def _parse_status_report(report: dict[str, Value]) -> RrcMessage | None:
    ext = report["criticalExtensions"]
    if ext[0] != "c1" or ext[1][0] != "wlanConnectionStatusReport-r13":
        return None
    ies = ext[1][1]
    v1430 = ies.get("nonCriticalExtension", {}).get("wlan-Status-v1430")
    # 36.331: when wlan-Status-v1430 is present, E-UTRAN ignores wlan-Status-r13.
    return WlanConnectionStatusReport(v1430 if v1430 is not None else ies["wlan-Status-r13"])


def _parse_measurement_report(body: dict[str, Value]) -> RrcMessage | None:
    ext = body["criticalExtensions"]
    if ext[0] != "c1" or ext[1][0] != "measurementReport-r8":
        return None
    results = ext[1][1]["measResults"]
    pcell = results["measResultPCell"]
    return MeasurementReport(
        results["measId"],
        pcell["rsrpResult"],
        pcell["rsrqResult"],
        tuple(
            WlanMeasResult(
                _parse_wlan_ids(r["wlan-Identifiers-r13"]),
                r["rssiWLAN-r13"],
                "connectedWLAN-r13" in r,
            )
            for r in results.get("measResultListWLAN-r13", ())
        ),
    )


def _parse_enquiry(body: dict[str, Value]) -> RrcMessage | None:
    ext = body["criticalExtensions"]
    if ext[0] != "c1" or ext[1][0] != "ueCapabilityEnquiry-r8":
        return None
    return UeCapabilityEnquiry(
        body["rrc-TransactionIdentifier"], tuple(ext[1][1]["ue-CapabilityRequest"])
    )


def _parse_information(body: dict[str, Value]) -> RrcMessage | None:
    ext = body["criticalExtensions"]
    if ext[0] != "c1" or ext[1][0] != "ueCapabilityInformation-r8":
        return None
    # asn1tools gives None for a rat-Type of a later release (an extension value this one does
    # not know): such a container is of no use here and is left out, not the whole message
    return UeCapabilityInformation(
        body["rrc-TransactionIdentifier"],
        tuple(
            UeCapabilityContainer(c["rat-Type"], c["ueCapabilityRAT-Container"])
            for c in ext[1][1]["ue-CapabilityRAT-ContainerList"]
            if c["rat-Type"] is not None
        ),
    )


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
    (RrcChannel.UL_DCCH, "measurementReport"): _parse_measurement_report,
    (RrcChannel.DL_DCCH, "ueCapabilityEnquiry"): _parse_enquiry,
    (RrcChannel.UL_DCCH, "ueCapabilityInformation"): _parse_information,
    (RrcChannel.UL_CCCH, "rrcConnectionReestablishmentRequest"): _parse_reestablishment,
}


def decode_value(channel: RrcChannel | str, data: bytes) -> Value:
    """Strictly decode ``data`` to asn1tools' value of the channel's message type.

    Exactly one message must fill ``data``: after it only the zero to seven padding bits of the
    last octet may follow (X.691 10.1.3), and every constraint must hold.
    """
    return _decode_type(to_channel(channel).pdu_type, data, "message")


def _decode_type(type_name: str, data: bytes, what: str) -> Value:
    """:func:`decode_value` for any type of the RRC module; ``what`` names it in errors."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DecodeError(f"expected bytes, got {type(data).__name__}")
    compiled = asn1.rrc().types[type_name]
    decoder = _uper.Decoder(bytearray(data))
    try:
        value = compiled._type.decode(decoder)
        compiled.check_constraints(value)
    except Exception as exc:  # asn1tools raises several types on hostile input
        raise DecodeError(f"{type_name}: {exc or type(exc).__name__}") from None
    if decoder.number_of_bits >= 8:
        raise DecodeError(f"{type_name}: {decoder.number_of_bits // 8} octet(s) after the {what}")
    return value


#: The UE-EUTRA-Capability-vXXX-IEs of the nonCriticalExtension chain from the root up to the
#: v1430 IEs, in order: LWIP's fields are in v1250 (DC), v1310 and v1430.
_CAPABILITY_CHAIN: Final = (
    "v920", "v940", "v1020", "v1060", "v1090", "v1130", "v1170", "v1180", "v11a0", "v1250",
    "v1260", "v1270", "v1280", "v1310", "v1320", "v1330", "v1340", "v1350", "v1360", "v1430",
)  # fmt: skip
_WLAN_BANDS: Final = {b.value: b for b in WlanBand}


def decode_eutra_capability(container: bytes) -> UeLwipCapability:
    """The LWIP view (:class:`~.messages.UeLwipCapability`) of a ``UE-EUTRA-Capability``: the
    octets of an E-UTRA ``ueCapabilityRAT-Container`` (36.331 6.3.6), from
    ``UECapabilityInformation`` or from the MME.

    The general codec decodes the whole container strictly (one value filling the octets, every
    constraint), then the fields are read where :class:`~.messages.UeLwipCapability` says.
    Raises :class:`~lwip_enb.errors.DecodeError`. This is a container value, not a DCCH
    message: it has no class in ``MESSAGE_CLASSES`` nor an entry in the fast registry.
    """
    cap = _decode_type("UE-EUTRA-Capability", container, "container")
    ies: dict[str, dict[str, Value]] = {}
    node = cap
    for name in _CAPABILITY_CHAIN:
        node = node.get("nonCriticalExtension")
        if node is None:
            break
        ies[name] = node
    v1250, v1310 = ies.get("v1250", {}), ies.get("v1310", {})
    dc = v1250.get("dc-Parameters-r12", {})
    lwip = v1310.get("lwip-Parameters-r13", {})
    aggregation = ies.get("v1430", {}).get("lwip-Parameters-v1430", {})
    bands = v1310.get("interRAT-ParametersWLAN-r13", {}).get("supportedBandListWLAN-r13", ())
    return UeLwipCapability(
        cap["accessStratumRelease"],
        lwip_r13="lwip-r13" in lwip,
        lwip_aggregation_dl="lwip-Aggregation-DL-r14" in aggregation,
        lwip_aggregation_ul="lwip-Aggregation-UL-r14" in aggregation,
        wlan_bands=tuple(_WLAN_BANDS[b] for b in bands if b in _WLAN_BANDS),
        dc="drb-TypeSCG-r12" in dc or "drb-TypeSplit-r12" in dc,
        lwa="lwa-r13" in v1310.get("lwa-Parameters-r13", {}),
        rclwi="rclwi-r13" in v1310.get("wlan-IW-Parameters-v1310", {}),
    )


def decode(channel: RrcChannel | str, data: bytes) -> RrcMessage:
    """Strictly decode a UPER message of ``channel`` into a typed message, through asn1tools.

    Raises :class:`~lwip_enb.errors.DecodeError` for anything that is not exactly one valid
    message: truncated input, trailing octets, constraint violations.
    """
    channel = to_channel(channel)
    value = decode_value(channel, data)
    name, body = _message_choice(value)
    parser = _PARSERS.get((channel, name))
    try:
        parsed = parser(body) if parser is not None else None
    except InvalidFieldError as exc:
        raise DecodeError(f"{name}: {exc}", cause="abstract-syntax-error-reject") from None
    return parsed if parsed is not None else OtherRrcMessage(channel, name, value)
