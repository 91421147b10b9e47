"""Hypothesis strategies for valid typed messages (shared by the codec tests)."""

from __future__ import annotations

import ipaddress

from hypothesis import strategies as st

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.keys import KeyMaterial

CAUSES = {
    xwap.CauseGroup.RADIO_NETWORK: [
        "unknown-eNB-UE-XwAP-ID", "unknown-WT-UE-XwAP-ID", "unknown-pair-of-UE-XwAP-ID",
        "wLAN-not-available", "security-failure", "reportCharacteristicsEmpty",
        "existing-Measurement-ID", "unknown-Measurement-ID",
        "measurement-temporarily-not-available", "unspecified", "multiple-E-RAB-ID-instances",
        "switch-off-ongoing", "not-supported-QCI-value", "measurement-not-supported-for-the-object",
        "reduce-load", "resource-optimisation", "target-not-allowed",
        "no-radio-resources-available", "invalid-QoS-combination", "procedure-cancelled",
        "radio-connection-with-UE-lost", "failure-in-the-radio-interface-procedure",
        "no-report-periodicity", "wrong-wlan-interworking-mode",
    ],
    xwap.CauseGroup.TRANSPORT: ["transport-resource-unavailable", "unspecified"],
    xwap.CauseGroup.PROTOCOL: [
        "transfer-syntax-error", "abstract-syntax-error-reject",
        "abstract-syntax-error-ignore-and-notify", "message-not-compatible-with-receiver-state",
        "semantic-error", "unspecified", "abstract-syntax-error-falsely-constructed-message",
    ],
    xwap.CauseGroup.MISC: [
        "control-processing-overload", "hardware-failure", "om-intervention",
        "not-enough-user-plane-processing-resources", "unspecified",
    ],
}  # fmt: skip  # TS 36.463 V17.0.0 9.2.6, copied from the spec text

addresses = st.one_of(
    st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address),
    st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address),
)
idis = st.binary(min_size=1, max_size=255)
counters = st.integers(0, 65535)
octets6 = st.binary(min_size=6, max_size=6)
wlan_ids = st.builds(
    WlanIdentifiers,
    ssid=st.none() | st.binary(min_size=1, max_size=32),
    bssid=st.none() | octets6,
    hessid=st.none() | octets6,
)
wlan_information = st.builds(
    xwap.WlanInformation,
    ssid=st.none() | st.binary(min_size=1, max_size=32),
    bssid=st.none() | octets6,
    hessid=st.none() | octets6,
    usage=st.none() | st.sampled_from(list(xwap.WlanUsage)),
)
mobility = st.builds(
    rrc.WlanMobilityConfig,
    to_release=st.lists(wlan_ids, max_size=3),
    to_add=st.lists(wlan_ids, max_size=3),
    association_timer_s=st.none() | st.sampled_from([10, 30, 60, 120, 240]),
    success_report_requested=st.booleans(),
    suspend=st.none()
    | st.builds(rrc.WlanSuspendConfig, st.none() | st.booleans(), st.none() | st.booleans()),
)
drbs = st.lists(
    st.builds(rrc.DrbLwip, st.integers(1, 32), st.sampled_from(list(rrc.DrbTypeLwip))),
    max_size=4,
    unique_by=lambda d: d.drb_identity,
)
tunnels = st.builds(rrc.TunnelConfig, addresses, idis, st.none() | counters)
lwip_parts = st.one_of(
    st.none(),
    st.just(rrc.LwipRelease()),
    st.builds(rrc.LwipSetup, st.none() | tunnels, st.none() | mobility),
)
handovers = st.none() | st.builds(
    rrc.HandoverCommand,
    st.integers(0, 503),
    st.integers(0, 65535),
    st.sampled_from([50, 100, 150, 200, 500, 1000, 2000, 10000]),
)
rssi = st.integers(0, rrc.WLAN_RSSI_MAX)
wlan_objects = st.builds(
    rrc.WlanMeasObject,
    st.integers(1, 32),
    st.lists(st.sampled_from(list(rrc.WlanBand)), max_size=8),
    st.lists(wlan_ids, max_size=3),
    st.lists(wlan_ids, max_size=2),
)
_reporting = {
    "hysteresis_half_db": st.integers(0, 30),
    "time_to_trigger_ms": st.sampled_from(rrc.TIME_TO_TRIGGER_MS),
    "max_report_cells": st.integers(1, 8),
    "report_interval_ms": st.sampled_from(rrc.REPORT_INTERVALS_MS),
    "report_amount": st.sampled_from(rrc.REPORT_AMOUNTS),
}
report_configs = st.one_of(
    st.builds(rrc.WlanReportConfig.w1, st.integers(1, 32), rssi, **_reporting),
    st.builds(rrc.WlanReportConfig.w2, st.integers(1, 32), rssi, rssi, **_reporting),
    st.builds(rrc.WlanReportConfig.w3, st.integers(1, 32), rssi, **_reporting),
)
meas_identities = st.builds(
    rrc.MeasIdentity, st.integers(1, 32), st.integers(1, 32), st.integers(1, 32)
)
meas_configs = st.builds(
    rrc.WlanMeasConfig,
    st.lists(wlan_objects, max_size=2, unique_by=lambda o: o.meas_object_id),
    st.lists(report_configs, max_size=3, unique_by=lambda r: r.report_config_id),
    st.lists(meas_identities, max_size=3, unique_by=lambda m: m.meas_id),
    st.none() | st.sampled_from(rrc.FILTER_COEFFICIENTS),
    st.lists(st.integers(1, 32), max_size=3, unique=True),
) | st.builds(
    lambda o, rs, fc: rrc.WlanMeasConfig.for_events(o, *rs, wlan_filter_coefficient=fc),
    wlan_objects,
    st.lists(report_configs, min_size=1, max_size=3, unique_by=lambda r: r.report_config_id),
    st.none() | st.sampled_from(rrc.FILTER_COEFFICIENTS),
)
reconfigurations = st.builds(
    rrc.RrcConnectionReconfiguration,
    st.integers(0, 3),
    lwip_parts,
    drbs,
    handovers,
    st.none() | meas_configs,
)
wlan_results = st.builds(rrc.WlanMeasResult, wlan_ids, rssi, st.booleans())
measurement_reports = st.builds(
    rrc.MeasurementReport,
    st.integers(1, 32),
    st.integers(0, 97),
    st.integers(0, 34),
    st.lists(wlan_results, max_size=8),
)
ul_dcch = st.one_of(
    st.builds(rrc.RrcConnectionReconfigurationComplete, st.integers(0, 3)),
    st.builds(rrc.WlanConnectionStatusReport, st.sampled_from(list(rrc.WlanStatus))),
    measurement_reports,
)
rat_types = st.sampled_from(list(rrc.RatType))
capability_enquiries = st.builds(
    rrc.UeCapabilityEnquiry, st.integers(0, 3), st.lists(rat_types, min_size=1, max_size=8)
)
dl_dcch = st.one_of(reconfigurations, capability_enquiries)
#: UL-DCCH messages the general codec alone handles (fast.GENERAL_ONLY)
capability_informations = st.builds(
    rrc.UeCapabilityInformation,
    st.integers(0, 3),
    st.lists(st.builds(rrc.UeCapabilityContainer, rat_types, st.binary(max_size=200)), max_size=8),
)
ul_ccch = st.builds(
    rrc.RrcConnectionReestablishmentRequest,
    st.integers(0, 65535),
    st.integers(0, 503),
    st.integers(0, 65535),
    st.sampled_from(list(rrc.ReestablishmentCause)),
)

# --- XwAP ----------------------------------------------------------------------------------

ue_ids = st.integers(0, 0xFFFFFF)
causes = st.sampled_from([(g, v) for g, vs in CAUSES.items() for v in vs]).map(
    lambda gv: xwap.Cause(*gv)
)
plmns = st.binary(min_size=3, max_size=3)
gtp = st.builds(xwap.GtpTunnelEndpoint, addresses, st.binary(min_size=4, max_size=4))
psks = st.binary(min_size=32, max_size=32).map(KeyMaterial)
diagnostics = st.none() | st.builds(
    xwap.CriticalityDiagnostics,
    st.none() | st.integers(0, 255),
    st.none() | st.sampled_from(list(xwap.MessageKind)),
    st.none() | st.sampled_from(list(xwap.Criticality)),
    st.lists(
        st.builds(
            xwap.IeDiagnostic,
            st.sampled_from(list(xwap.Criticality)),
            st.integers(0, 65535),
            st.sampled_from(["not-understood", "missing"]),
        ),
        max_size=3,
    ),
)
xwap_messages = st.one_of(
    st.builds(
        xwap.LwipAdditionRequest,
        ue_ids,
        octets6,
        st.builds(xwap.SeGwSecurityInfo, psks, idis),
        st.none() | plmns,
        st.none() | gtp,
        st.lists(wlan_ids, max_size=3),
    ),
    st.builds(xwap.LwipAdditionRequestAcknowledge, ue_ids, ue_ids, st.none() | gtp, diagnostics),
    st.builds(xwap.LwipAdditionRequestReject, ue_ids, causes, diagnostics),
    st.builds(
        xwap.LwipModificationRequest,
        ue_ids,
        ue_ids,
        causes,
        st.none() | plmns,
        st.lists(wlan_ids, max_size=3),
    ),
    st.builds(xwap.LwipModificationRequestAcknowledge, ue_ids, ue_ids, diagnostics),
    st.builds(xwap.LwipModificationRequestReject, ue_ids, ue_ids, causes, diagnostics),
    st.builds(xwap.LwipReleaseRequest, ue_ids, ue_ids, st.none() | causes),
    st.builds(xwap.LwipReleaseRequired, ue_ids, ue_ids, causes),
    st.builds(xwap.LwipReleaseConfirm, ue_ids, ue_ids, diagnostics),
    st.builds(
        xwap.XwSetupRequest,
        st.builds(
            lambda plmn, kind, v: xwap.GlobalEnbId(plmn, v & ((1 << kind.bits) - 1), kind),
            plmns,
            st.sampled_from(list(xwap.EnbIdKind)),
            st.integers(0, 2**21 - 1),
        ),
    ),
    st.builds(
        xwap.XwSetupResponse,
        st.one_of(
            st.builds(xwap.WtId, st.integers(0, 2**24 - 1), plmns),
            st.builds(xwap.WtId, st.integers(0, 2**48 - 1)),
        ),
        st.lists(wlan_information, min_size=1, max_size=3),
        diagnostics,
    ),
    st.builds(
        xwap.XwSetupFailure, causes, diagnostics, st.none() | st.sampled_from([1, 2, 5, 10, 20, 60])
    ),
    st.builds(xwap.Reset, causes),
    st.builds(xwap.ResetResponse, diagnostics),
    st.builds(
        xwap.WtConfigurationUpdate,
        st.lists(wlan_information, max_size=3),
        st.lists(wlan_information, max_size=3),
        st.lists(octets6, max_size=3),
        st.lists(
            st.builds(
                WlanIdentifiers,
                ssid=st.none() | st.binary(min_size=1, max_size=32),
                hessid=st.none() | octets6,
            ),
            max_size=3,
        ),
    ),
    st.builds(xwap.WtConfigurationUpdateAcknowledge, diagnostics),
    st.builds(
        xwap.WtConfigurationUpdateFailure,
        causes,
        diagnostics,
        st.none() | st.sampled_from([1, 2, 5, 10, 20, 60]),
    ),
    st.builds(
        xwap.ErrorIndication,
        st.none() | ue_ids,
        st.none() | ue_ids,
        st.none() | causes,
        diagnostics,
    ),
)
