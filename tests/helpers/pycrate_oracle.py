"""pycrate, the independent oracle: values written here from the spec's ASN.1, not from our code.

Each ``*_value`` function turns a typed message into the value pycrate expects, following the
structure of TS 36.331 / TS 36.463 by hand; the tests then compare pycrate's bytes with ours.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from pycrate_asn1dir import RRCLTE, XwAP

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers

_RRC = RRCLTE.EUTRA_RRC_Definitions
_PDU = XwAP.XwAP_PDU_Descriptions.XwAP_PDU
RRC_TYPES = {
    "dl-dcch": _RRC.DL_DCCH_Message,
    "ul-dcch": _RRC.UL_DCCH_Message,
    "ul-ccch": _RRC.UL_CCCH_Message,
}


def rrc_encode(channel: str, value: Any) -> bytes:
    t = RRC_TYPES[channel]
    t.set_val(value)
    return bytes(t.to_uper())


def rrc_decode(channel: str, data: bytes) -> Any:
    t = RRC_TYPES[channel]
    t.from_uper(data)
    return t.get_val()


def xwap_encode(value: Any) -> bytes:
    _PDU.set_val(value)
    return bytes(_PDU.to_aper())


def xwap_decode(data: bytes) -> Any:
    _PDU.from_aper(data)
    return _PDU.get_val()


def find(value: Any, key: str) -> Any:
    """The first value under ``key`` anywhere in a pycrate value (dicts, CHOICE tuples, lists),
    depth first; None when there is none."""
    if isinstance(value, dict):
        if key in value:
            return value[key]
        items = list(value.values())
    elif isinstance(value, tuple | list):
        items = list(value)
    else:
        return None
    for item in items:
        found = find(item, key)
        if found is not None:
            return found
    return None


def _ip(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple[str, tuple[int, int]]:
    if addr.version == 4:
        return ("ipv4-r13", (int(addr), 32))
    return ("ipv6-r13", (int(addr), 128))


def _wlan_r12(w: WlanIdentifiers) -> dict[str, bytes]:
    d = {}
    if w.ssid is not None:
        d["ssid-r12"] = w.ssid
    if w.bssid is not None:
        d["bssid-r12"] = w.bssid
    if w.hessid is not None:
        d["hessid-r12"] = w.hessid
    return d


# ReportInterval / reportAmount / TimeToTrigger / FilterCoefficient names, typed in from 36.331
# 6.3.5 and 6.3.6 (the values of each in the order the typed fields take them)
_INTERVALS = {
    120: "ms120", 240: "ms240", 480: "ms480", 640: "ms640", 1024: "ms1024", 2048: "ms2048",
    5120: "ms5120", 10240: "ms10240", 60_000: "min1", 360_000: "min6", 720_000: "min12",
    1_800_000: "min30", 3_600_000: "min60",
}  # fmt: skip
_AMOUNTS = {1: "r1", 2: "r2", 4: "r4", 8: "r8", 16: "r16", 32: "r32", 64: "r64", None: "infinity"}


def _wlan_list(ids: tuple[WlanIdentifiers, ...]) -> list[dict[str, bytes]]:
    return [_wlan_r12(w) for w in ids]


def _meas_config(mc: rrc.WlanMeasConfig) -> dict[str, Any]:
    """MeasConfig (36.331 6.3.5) with measObjectWLAN-r13 and reportConfigInterRAT W1/W2/W3."""
    out: dict[str, Any] = {}
    if mc.meas_objects:
        objects = []
        for o in mc.meas_objects:
            wlan: dict[str, Any] = {}
            if o.bands:
                wlan["carrierFreq-r13"] = (
                    "bandIndicatorListWLAN-r13",
                    [b.value for b in o.bands],
                )
            if o.wlans:
                wlan["wlan-ToAddModList-r13"] = _wlan_list(o.wlans)
            if o.wlans_to_remove:
                wlan["wlan-ToRemoveList-r13"] = _wlan_list(o.wlans_to_remove)
            # measObjectWLAN-r13 is the first alternative after the extension marker
            objects.append(
                {"measObjectId": o.meas_object_id, "measObject": ("measObjectWLAN-r13", wlan)}
            )
        out["measObjectToAddModList"] = objects
    if mc.report_configs:
        reports = []
        for r in mc.report_configs:
            if r.event is rrc.WlanEvent.W1:
                event: Any = ("eventW1-r13", {"w1-Threshold-r13": r.threshold})
            elif r.event is rrc.WlanEvent.W2:
                event = (
                    "eventW2-r13",
                    {"w2-Threshold1-r13": r.threshold, "w2-Threshold2-r13": r.threshold2},
                )
            else:
                event = ("eventW3-r13", {"w3-Threshold-r13": r.threshold})
            inter_rat = {
                "triggerType": (
                    "event",
                    {
                        "eventId": event,
                        "hysteresis": r.hysteresis_half_db,
                        "timeToTrigger": f"ms{r.time_to_trigger_ms}",
                    },
                ),
                "maxReportCells": r.max_report_cells,
                "reportInterval": _INTERVALS[r.report_interval_ms],
                "reportAmount": _AMOUNTS[r.report_amount],
            }
            reports.append(
                {
                    "reportConfigId": r.report_config_id,
                    "reportConfig": ("reportConfigInterRAT", inter_rat),
                }
            )
        out["reportConfigToAddModList"] = reports
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
        q: dict[str, Any] = {"measQuantityWLAN-r13": "rssiWLAN"}
        if mc.wlan_filter_coefficient != 4:  # filterCoefficient-r13 DEFAULT fc4
            q["filterCoefficient-r13"] = f"fc{mc.wlan_filter_coefficient}"
        # QuantityConfig ..., [[ quantityConfigEUTRA-v1310, quantityConfigWLAN-r13 ]]
        out["quantityConfig"] = {"quantityConfigWLAN-r13": q}
    return out


def rrc_value(msg: rrc.RrcMessage) -> Any:
    """TS 36.331 V17.4.0 structure, by hand."""
    if isinstance(msg, rrc.RrcConnectionReconfiguration):
        r8: dict[str, Any] = {}
        if msg.meas_config is not None:
            r8["measConfig"] = _meas_config(msg.meas_config)
        if msg.handover is not None:
            ho = msg.handover
            r8["mobilityControlInfo"] = {
                "targetPhysCellId": ho.target_pci,
                "t304": "ms10000-v1310" if ho.t304_ms == 10000 else f"ms{ho.t304_ms}",
                "newUE-Identity": (ho.new_crnti, 16),
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
        if msg.drbs:
            r8["radioResourceConfigDedicated"] = {
                "drb-ToAddModList": [
                    {"drb-Identity": d.drb_identity, "drb-TypeLWIP-r13": d.lwip_type.value}
                    for d in msg.drbs
                ]
            }
        if msg.lwip is not None:
            if isinstance(msg.lwip, rrc.LwipRelease):
                lwip: Any = ("release", 0)
            else:
                cfg: dict[str, Any] = {}
                m = msg.lwip.mobility
                if m is not None:
                    mc: dict[str, Any] = {}
                    if m.to_release:
                        mc["wlan-ToReleaseList-r13"] = [_wlan_r12(w) for w in m.to_release]
                    if m.to_add:
                        mc["wlan-ToAddList-r13"] = [_wlan_r12(w) for w in m.to_add]
                    if m.association_timer_s is not None:
                        mc["associationTimer-r13"] = f"s{m.association_timer_s}"
                    if m.success_report_requested:
                        mc["successReportRequested-r13"] = "true"
                    if m.suspend is not None:
                        # WLAN-MobilityConfig-r13 ..., [[ wlan-SuspendConfig-r14 ]]
                        sc: dict[str, bool] = {}
                        if m.suspend.resume_allowed is not None:
                            sc["wlan-SuspendResumeAllowed-r14"] = m.suspend.resume_allowed
                        if m.suspend.triggers_status_report is not None:
                            sc["wlan-SuspendTriggersStatusReport-r14"] = (
                                m.suspend.triggers_status_report
                            )
                        mc["wlan-SuspendConfig-r14"] = sc
                    cfg["lwip-MobilityConfig-r13"] = mc
                t = msg.lwip.tunnel
                if t is not None:
                    tc: dict[str, Any] = {
                        "ip-Address-r13": _ip(t.segw_address),
                        "ike-Identity-r13": {"idI-r13": t.idi},
                    }
                    if t.counter is not None:
                        tc["lwip-Counter-r13"] = t.counter
                    cfg["tunnelConfigLWIP-r13"] = tc
                lwip = ("setup", {"lwip-Config-r13": cfg})
            # r8 -> v890 -> v920 -> v1020 -> v1130 -> v1250 -> v1310 (lwip-Configuration-r13)
            v1310 = {"lwip-Configuration-r13": lwip}
            r8["nonCriticalExtension"] = {
                "nonCriticalExtension": {
                    "nonCriticalExtension": {
                        "nonCriticalExtension": {
                            "nonCriticalExtension": {"nonCriticalExtension": v1310}
                        }
                    }
                }
            }
        return {
            "message": (
                "c1",
                (
                    "rrcConnectionReconfiguration",
                    {
                        "rrc-TransactionIdentifier": msg.transaction_id,
                        "criticalExtensions": ("c1", ("rrcConnectionReconfiguration-r8", r8)),
                    },
                ),
            )
        }
    if isinstance(msg, rrc.RrcConnectionReconfigurationComplete):
        return {
            "message": (
                "c1",
                (
                    "rrcConnectionReconfigurationComplete",
                    {
                        "rrc-TransactionIdentifier": msg.transaction_id,
                        "criticalExtensions": ("rrcConnectionReconfigurationComplete-r8", {}),
                    },
                ),
            )
        }
    if isinstance(msg, rrc.WlanConnectionStatusReport):
        s = msg.status.value
        if s in ("suspended", "resumed"):
            r13 = "failureWlanUnavailable" if s == "suspended" else "successfulAssociation"
            ies: dict[str, Any] = {
                "wlan-Status-r13": r13,
                "nonCriticalExtension": {"wlan-Status-v1430": s},
            }
        else:
            ies = {"wlan-Status-r13": s}
        return {
            "message": (
                "messageClassExtension",
                (
                    "c2",
                    (
                        "wlanConnectionStatusReport-r13",
                        {"criticalExtensions": ("c1", ("wlanConnectionStatusReport-r13", ies))},
                    ),
                ),
            )
        }
    if isinstance(msg, rrc.MeasurementReport):
        results: dict[str, Any] = {
            "measId": msg.meas_id,
            "measResultPCell": {"rsrpResult": msg.pcell_rsrp, "rsrqResult": msg.pcell_rsrq},
        }
        if msg.wlan_results:
            wlans = []
            for w in msg.wlan_results:
                item: dict[str, Any] = {
                    "wlan-Identifiers-r13": _wlan_r12(w.wlan),
                    "rssiWLAN-r13": w.rssi,
                }
                if w.connected:
                    item["connectedWLAN-r13"] = "true"
                wlans.append(item)
            # MeasResults ..., [[ measResultForRSSI-r13, ..., measResultListWLAN-r13 ]]
            results["measResultListWLAN-r13"] = wlans
        return {
            "message": (
                "c1",
                (
                    "measurementReport",
                    {
                        "criticalExtensions": (
                            "c1",
                            ("measurementReport-r8", {"measResults": results}),
                        )
                    },
                ),
            )
        }
    if isinstance(msg, rrc.UeCapabilityEnquiry):
        return {
            "message": (
                "c1",
                (
                    "ueCapabilityEnquiry",
                    {
                        "rrc-TransactionIdentifier": msg.transaction_id,
                        "criticalExtensions": (
                            "c1",
                            (
                                "ueCapabilityEnquiry-r8",
                                {"ue-CapabilityRequest": [r.value for r in msg.rat_types]},
                            ),
                        ),
                    },
                ),
            )
        }
    if isinstance(msg, rrc.UeCapabilityInformation):
        containers = [
            {"rat-Type": c.rat_type.value, "ueCapabilityRAT-Container": c.octets}
            for c in msg.containers
        ]
        return {
            "message": (
                "c1",
                (
                    "ueCapabilityInformation",
                    {
                        "rrc-TransactionIdentifier": msg.transaction_id,
                        "criticalExtensions": (
                            "c1",
                            (
                                "ueCapabilityInformation-r8",
                                {"ue-CapabilityRAT-ContainerList": containers},
                            ),
                        ),
                    },
                ),
            )
        }
    if isinstance(msg, rrc.RrcConnectionReestablishmentRequest):
        return {
            "message": (
                "c1",
                (
                    "rrcConnectionReestablishmentRequest",
                    {
                        "criticalExtensions": (
                            "rrcConnectionReestablishmentRequest-r8",
                            {
                                "ue-Identity": {
                                    "c-RNTI": (msg.c_rnti, 16),
                                    "physCellId": msg.phys_cell_id,
                                    "shortMAC-I": (msg.short_mac_i, 16),
                                },
                                "reestablishmentCause": msg.cause.value,
                                "spare": (0, 2),
                            },
                        )
                    },
                ),
            )
        }
    raise TypeError(msg)


# --- UE-EUTRA-Capability (36.331 6.3.6), built by hand from the ASN.1 -------------------------

_CAPABILITY = _RRC.UE_EUTRA_Capability
_ROHC = (
    "profile0x0001-r15", "profile0x0002-r15", "profile0x0003-r15", "profile0x0004-r15",
    "profile0x0006-r15", "profile0x0101-r15", "profile0x0102-r15", "profile0x0103-r15",
    "profile0x0104-r15",
)  # fmt: skip


def ue_eutra_capability(
    *,
    release: str = "rel14",
    last_ies: str = "v1430",
    lwip: bool = False,
    lwip_aggregation_dl: bool = False,
    lwip_aggregation_ul: bool = False,
    wlan_bands: tuple[str, ...] = (),
    drb_type_scg: bool = False,
    drb_type_split: bool = False,
    lwa: bool = False,
    rclwi: bool = False,
) -> bytes:
    """A UE-EUTRA-Capability, encoded by pycrate: the mandatory fields with the least content,
    the nonCriticalExtension chain up to ``last_ies`` ("root", "v1250", "v1310" or "v1430")
    and the LWIP, DC, LWA and RCLWI fields as asked (each where 36.331 V17.4.0 puts it)."""
    supported = "supported"
    chain: list[tuple[str, dict[str, Any]]] = [
        (
            "v920",
            {
                "phyLayerParameters-v920": {},
                "interRAT-ParametersGERAN-v920": {},
                "csg-ProximityIndicationParameters-r9": {},
                "neighCellSI-AcquisitionParameters-r9": {},
                "son-Parameters-r9": {},
            },
        ),
        ("v940", {}),
        ("v1020", {}),
        ("v1060", {}),
        ("v1090", {}),
        (
            "v1130",
            {
                "pdcp-Parameters-v1130": {},
                "rf-Parameters-v1130": {},
                "measParameters-v1130": {},
                "interRAT-ParametersCDMA2000-v1130": {},
                "otherParameters-r11": {},
            },
        ),
        ("v1170", {}),
        ("v1180", {}),
        ("v11a0", {}),
        ("v1250", {}),
        ("v1260", {}),
        ("v1270", {}),
        ("v1280", {}),
        (
            "v1310",
            {
                "pdcp-Parameters-v1310": {},
                "rlc-Parameters-v1310": {},
                "interRAT-ParametersWLAN-r13": {},
                "wlan-IW-Parameters-v1310": {},
                "lwip-Parameters-r13": {},
            },
        ),
        ("v1320", {}),
        ("v1330", {}),
        ("v1340", {}),
        ("v1350", {"ce-Parameters-v1350": {}}),
        ("v1360", {}),
        (
            "v1430",
            {
                "phyLayerParameters-v1430": {},
                "rlc-Parameters-v1430": {},
                "otherParameters-v1430": {},
                "ce-Parameters-v1430": {},
            },
        ),
    ]
    ies = dict(chain)
    dc: dict[str, str] = {}
    if drb_type_split:
        dc["drb-TypeSplit-r12"] = supported
    if drb_type_scg:
        dc["drb-TypeSCG-r12"] = supported
    if dc:
        ies["v1250"]["dc-Parameters-r12"] = dc
    v1310 = ies["v1310"]
    if wlan_bands:
        v1310["interRAT-ParametersWLAN-r13"]["supportedBandListWLAN-r13"] = list(wlan_bands)
    if lwa:
        v1310["lwa-Parameters-r13"] = {"lwa-r13": supported}
    if rclwi:
        v1310["wlan-IW-Parameters-v1310"]["rclwi-r13"] = supported
    if lwip:
        v1310["lwip-Parameters-r13"]["lwip-r13"] = supported
    aggregation: dict[str, str] = {}
    if lwip_aggregation_dl:
        aggregation["lwip-Aggregation-DL-r14"] = supported
    if lwip_aggregation_ul:
        aggregation["lwip-Aggregation-UL-r14"] = supported
    if aggregation:
        ies["v1430"]["lwip-Parameters-v1430"] = aggregation
    # link the chain from the root down to last_ies
    names = [name for name, _ in chain]
    upto = 0 if last_ies == "root" else names.index(last_ies) + 1
    node: dict[str, Any] | None = None
    for name in reversed(names[:upto]):
        if node is not None:
            ies[name]["nonCriticalExtension"] = node
        node = ies[name]
    root: dict[str, Any] = {
        "accessStratumRelease": release,
        "ue-Category": 4,
        "pdcp-Parameters": {"supportedROHC-Profiles": dict.fromkeys(_ROHC, False)},
        "phyLayerParameters": {
            "ue-TxAntennaSelectionSupported": False,
            "ue-SpecificRefSigsSupported": False,
        },
        "rf-Parameters": {"supportedBandListEUTRA": [{"bandEUTRA": 7, "halfDuplex": False}]},
        "measParameters": {
            "bandListEUTRA": [{"interFreqBandList": [{"interFreqNeedForGaps": True}]}]
        },
        "interRAT-Parameters": {},
    }
    if node is not None:
        root["nonCriticalExtension"] = node
    _CAPABILITY.set_val(root)
    return bytes(_CAPABILITY.to_uper())


# --- XwAP: TS 36.463 V17.0.0, ids and criticalities typed in from clause 9.3 -----------------

# message -> (PDU alternative, procedure code, procedure criticality)
PROCEDURES = {
    "LWIPAdditionRequest": ("initiatingMessage", 13, "reject"),
    "LWIPAdditionRequestAcknowledge": ("successfulOutcome", 13, "reject"),
    "LWIPAdditionRequestReject": ("unsuccessfulOutcome", 13, "reject"),
    "LWIPModificationRequest": ("initiatingMessage", 14, "reject"),
    "LWIPModificationRequestAcknowledge": ("successfulOutcome", 14, "reject"),
    "LWIPModificationRequestReject": ("unsuccessfulOutcome", 14, "reject"),
    "LWIPReleaseRequest": ("initiatingMessage", 15, "ignore"),
    "LWIPReleaseRequired": ("initiatingMessage", 16, "reject"),
    "LWIPReleaseConfirm": ("successfulOutcome", 16, "reject"),
    "XwSetupRequest": ("initiatingMessage", 0, "reject"),
    "XwSetupResponse": ("successfulOutcome", 0, "reject"),
    "XwSetupFailure": ("unsuccessfulOutcome", 0, "reject"),
    "Reset": ("initiatingMessage", 5, "reject"),
    "ResetResponse": ("successfulOutcome", 5, "reject"),
    "ErrorIndication": ("initiatingMessage", 4, "ignore"),
    "WTConfigurationUpdate": ("initiatingMessage", 1, "reject"),
    "WTConfigurationUpdateAcknowledge": ("successfulOutcome", 1, "reject"),
    "WTConfigurationUpdateFailure": ("unsuccessfulOutcome", 1, "reject"),
}

# (message, attribute) -> (IE id, criticality, IE type), clause 9.3.4
IES = {
    "LWIPAdditionRequest": [
        ("enb_ue_id", 25, "reject", "UE-XwAP-ID"),
        ("wlan_mac", 30, "reject", "UE-Identity"),
        ("security", 69, "reject", "LWIP-SeGWSecurityInfo"),
        ("serving_plmn", 55, "ignore", "PLMN-Identity"),
        ("enb_gtp_endpoint", 70, "reject", "GTPtunnelEndpoint"),
        ("mobility_set", 54, "reject", "MobilitySet"),
    ],
    "LWIPAdditionRequestAcknowledge": [
        ("enb_ue_id", 25, "ignore", "UE-XwAP-ID"),
        ("wt_ue_id", 26, "ignore", "UE-XwAP-ID"),
        ("segw_gtp_endpoint", 71, "reject", "GTPtunnelEndpoint"),
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
    ],
    "LWIPAdditionRequestReject": [
        ("enb_ue_id", 25, "ignore", "UE-XwAP-ID"),
        ("cause", 4, "ignore", "Cause"),
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
    ],
    "LWIPModificationRequest": [
        ("enb_ue_id", 25, "reject", "UE-XwAP-ID"),
        ("wt_ue_id", 26, "reject", "UE-XwAP-ID"),
        ("cause", 4, "ignore", "Cause"),
        ("serving_plmn", 55, "ignore", "PLMN-Identity"),
        ("mobility_set", 54, "reject", "MobilitySet"),
    ],
    "LWIPModificationRequestAcknowledge": [
        ("enb_ue_id", 25, "ignore", "UE-XwAP-ID"),
        ("wt_ue_id", 26, "ignore", "UE-XwAP-ID"),
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
    ],
    "LWIPModificationRequestReject": [
        ("enb_ue_id", 25, "ignore", "UE-XwAP-ID"),
        ("wt_ue_id", 26, "ignore", "UE-XwAP-ID"),
        ("cause", 4, "ignore", "Cause"),
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
    ],
    "LWIPReleaseRequest": [
        ("enb_ue_id", 25, "reject", "UE-XwAP-ID"),
        ("wt_ue_id", 26, "reject", "UE-XwAP-ID"),
        ("cause", 4, "ignore", "Cause"),
    ],
    "LWIPReleaseRequired": [
        ("enb_ue_id", 25, "reject", "UE-XwAP-ID"),
        ("wt_ue_id", 26, "reject", "UE-XwAP-ID"),
        ("cause", 4, "ignore", "Cause"),
    ],
    "LWIPReleaseConfirm": [
        ("enb_ue_id", 25, "ignore", "UE-XwAP-ID"),
        ("wt_ue_id", 26, "ignore", "UE-XwAP-ID"),
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
    ],
    "XwSetupRequest": [("global_enb_id", 9, "reject", "Global-ENB-ID")],
    "XwSetupResponse": [
        ("wt_id", 23, "reject", "WTID"),
        ("wlan_identifiers", 18, "reject", "WLANIdentifier-List"),
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
    ],
    "XwSetupFailure": [
        ("cause", 4, "ignore", "Cause"),
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
        ("time_to_wait_s", 63, "ignore", "TimeToWait"),
    ],
    "Reset": [("cause", 4, "ignore", "Cause")],
    "ResetResponse": [("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics")],
    "WTConfigurationUpdate": [
        ("to_add", 19, "reject", "WLANIdentifier-List"),
        ("to_modify", 22, "reject", "WLANIdentifier-List"),
        ("to_delete", 21, "reject", "WLANIdentifiersToDelete-List"),
        ("to_delete_extension", 62, "reject", "WLANIdentifiersToDeleteExtension-List"),
    ],
    "WTConfigurationUpdateAcknowledge": [
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
    ],
    "WTConfigurationUpdateFailure": [
        ("cause", 4, "ignore", "Cause"),
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
        ("time_to_wait_s", 63, "ignore", "TimeToWait"),
    ],
    "ErrorIndication": [
        ("enb_ue_id", 25, "ignore", "UE-XwAP-ID"),
        ("wt_ue_id", 26, "ignore", "UE-XwAP-ID"),
        ("cause", 4, "ignore", "Cause"),
        ("criticality_diagnostics", 7, "ignore", "CriticalityDiagnostics"),
    ],
}


def _ie_value(type_name: str, v: Any) -> Any:
    if type_name == "UE-XwAP-ID":
        return v.to_bytes(3, "big")
    if type_name in ("UE-Identity", "PLMN-Identity"):
        return v
    if type_name == "LWIP-SeGWSecurityInfo":
        return {
            "lWIP-PSK": (int.from_bytes(v.psk.reveal(), "big"), 256),
            "iKE-Initiator-Identity": v.idi,
        }
    if type_name == "GTPtunnelEndpoint":
        return {
            "transportLayerAddress": (int(v.address), 32 if v.address.version == 4 else 128),
            "gTP-TEID": v.teid,
        }
    if type_name == "MobilitySet":
        out = []
        for w in v:
            d = {}
            if w.bssid is not None:
                d["bSSID"] = w.bssid
            if w.ssid is not None:
                d["sSID"] = w.ssid
            if w.hessid is not None:
                d["hESSID"] = w.hessid
            out.append(d)
        return out
    if type_name == "Cause":
        return (v.group.value, v.value)
    if type_name == "CriticalityDiagnostics":
        d: dict[str, Any] = {}
        if v.procedure_code is not None:
            d["procedureCode"] = v.procedure_code
        if v.triggering_message is not None:
            d["triggeringMessage"] = {
                "initiatingMessage": "initiating-message",
                "successfulOutcome": "successful-outcome",
                "unsuccessfulOutcome": "unsuccessful-outcome",
            }[v.triggering_message.value]
        if v.procedure_criticality is not None:
            d["procedureCriticality"] = v.procedure_criticality.value
        if v.ies:
            d["iEsCriticalityDiagnostics"] = [
                {
                    "iECriticality": i.criticality.value,
                    "iE-ID": i.ie_id,
                    "typeOfError": i.type_of_error,
                }
                for i in v.ies
            ]
        return d
    if type_name == "Global-ENB-ID":
        return {"pLMNidentity": v.plmn, "eNB-ID": (v.kind.asn1_name, (v.enb_id, v.kind.bits))}
    if type_name == "WTID":
        if v.plmn is not None:
            return ("wTID-Type1", {"pLMN-Identity": v.plmn, "shortWTID": (v.value, 24)})
        return ("wTID-Type2", (v.value, 48))
    if type_name == "WLANIdentifier-List":
        items = []
        for w in v:
            info: dict[str, Any] = {}
            if w.bssid is not None:
                info["bSS-Item"] = {"bSSID": w.bssid}
            if w.ssid is not None:
                info["sSID"] = w.ssid
            if w.hessid is not None:
                info["hESSID"] = w.hessid
            if w.usage is not None:
                # WLANInformation-ExtIEs: id-WLANUsage = 72, criticality reject (9.2.7, 9.2.31)
                info["iE-Extensions"] = [
                    {
                        "id": 72,
                        "criticality": "reject",
                        "extensionValue": ("WLANUsage", w.usage.value),
                    }
                ]
            # id-WLANIdentifier-Item = 17, criticality ignore (WLANIdentifier-ItemIEs)
            items.append(
                {
                    "id": 17,
                    "criticality": "ignore",
                    "value": ("WLANIdentifier-Item", {"wLANInformation": info}),
                }
            )
        return items
    if type_name == "WLANIdentifiersToDelete-List":
        # id-WLANIdentifiersToDelete-Item = 20, criticality ignore
        return [
            {
                "id": 20,
                "criticality": "ignore",
                "value": ("WLANIdentifiersToDelete-Item", {"bSSID": bssid}),
            }
            for bssid in v
        ]
    if type_name == "WLANIdentifiersToDeleteExtension-List":
        # id-WLANIdentifiersToDeleteExtension-Item = 61, criticality ignore
        items = []
        for w in v:
            item: dict[str, Any] = {}
            if w.ssid is not None:
                item["sSID"] = w.ssid
            if w.hessid is not None:
                item["hESSID"] = w.hessid
            items.append(
                {
                    "id": 61,
                    "criticality": "ignore",
                    "value": ("WLANIdentifiersToDeleteExtension-Item", item),
                }
            )
        return items
    if type_name == "TimeToWait":
        return f"v{v}s"
    raise TypeError(type_name)


def xwap_value(msg: xwap.XwapMessage) -> Any:
    kind, code, crit = PROCEDURES[msg.MESSAGE]
    ies = []
    for attr, ie_id, ie_crit, type_name in IES[msg.MESSAGE]:
        v = getattr(msg, attr)
        if v is None or v == ():
            continue
        ies.append(
            {"id": ie_id, "criticality": ie_crit, "value": (type_name, _ie_value(type_name, v))}
        )
    return (
        kind,
        {"procedureCode": code, "criticality": crit, "value": (msg.MESSAGE, {"protocolIEs": ies})},
    )
