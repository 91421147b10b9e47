"""RRC (TS 36.331, UPER): our bytes equal pycrate's, and pycrate's bytes decode to our messages."""

from __future__ import annotations

import contextlib
import ipaddress
import json

import pytest
from helpers import pycrate_oracle as oracle
from helpers import strategies as s
from hypothesis import given, settings
from hypothesis import strategies as st

from lwip_enb.codec import rrc
from lwip_enb.errors import DecodeError, EncodeError, InvalidFieldError
from lwip_enb.tools import cli


def _same_as_pycrate(msg: rrc.RrcMessage, channel: str) -> None:
    ours = rrc.encode(msg)
    theirs = oracle.rrc_encode(channel, oracle.rrc_value(msg))
    assert ours.hex() == theirs.hex()
    assert rrc.decode(channel, theirs) == msg


@settings(max_examples=500)
@given(s.reconfigurations)
def test_dl_dcch_reconfiguration_matches_pycrate(msg: rrc.RrcConnectionReconfiguration) -> None:
    _same_as_pycrate(msg, "dl-dcch")


@given(s.ul_dcch)
def test_ul_dcch_matches_pycrate(msg: rrc.RrcMessage) -> None:
    _same_as_pycrate(msg, "ul-dcch")


@given(s.ul_ccch)
def test_ul_ccch_matches_pycrate(msg: rrc.RrcMessage) -> None:
    _same_as_pycrate(msg, "ul-ccch")


@given(s.addresses, s.idis, s.counters, st.integers(0, 3))
def test_lwip_setup_every_counter_and_idi_length(
    addr: ipaddress.IPv4Address | ipaddress.IPv6Address, idi: bytes, counter: int, tid: int
) -> None:
    msg = rrc.RrcConnectionReconfiguration.lwip_setup(tid, addr, idi, counter)
    _same_as_pycrate(msg, "dl-dcch")
    decoded = oracle.rrc_decode("dl-dcch", rrc.encode(msg))
    body = decoded["message"][1][1]["criticalExtensions"][1][1]
    for _ in range(6):
        body = body["nonCriticalExtension"]
    tunnel = body["lwip-Configuration-r13"][1]["lwip-Config-r13"]["tunnelConfigLWIP-r13"]
    assert tunnel["lwip-Counter-r13"] == counter
    assert tunnel["ike-Identity-r13"]["idI-r13"] == idi


def test_release_matches_pycrate() -> None:
    _same_as_pycrate(rrc.RrcConnectionReconfiguration.lwip_release(2), "dl-dcch")


def test_messages_we_do_not_model_decode_to_other() -> None:
    # An RRCConnectionRelease written with pycrate (36.331: DL-DCCH c1 alternative).
    value = {
        "message": (
            "c1",
            (
                "rrcConnectionRelease",
                {
                    "rrc-TransactionIdentifier": 0,
                    "criticalExtensions": (
                        "c1",
                        ("rrcConnectionRelease-r8", {"releaseCause": "other"}),
                    ),
                },
            ),
        )
    }
    data = oracle.rrc_encode("dl-dcch", value)
    msg = rrc.decode("dl-dcch", data)
    assert isinstance(msg, rrc.OtherRrcMessage) and msg.name == "rrcConnectionRelease"
    assert rrc.encode(msg) == data


def test_v1430_status_wins_over_r13() -> None:
    # pycrate-encoded report with r13 = successfulAssociation and v1430 = suspended.
    value = oracle.rrc_value(rrc.WlanConnectionStatusReport(rrc.WlanStatus.SUSPENDED))
    ies = value["message"][1][1][1]["criticalExtensions"][1][1]
    ies["wlan-Status-r13"] = "successfulAssociation"
    msg = rrc.decode("ul-dcch", oracle.rrc_encode("ul-dcch", value))
    assert msg == rrc.WlanConnectionStatusReport(rrc.WlanStatus.SUSPENDED)


# --- strictness -----------------------------------------------------------------------------


def test_trailing_octets_are_refused() -> None:
    data = rrc.encode(rrc.RrcConnectionReconfiguration.lwip_release(0))
    with pytest.raises(DecodeError, match="after the message"):
        rrc.decode("dl-dcch", data + b"\x00")


def test_truncated_message_is_refused() -> None:
    data = rrc.encode(rrc.RrcConnectionReconfiguration.lwip_setup(0, "192.0.2.1", b"x" * 20, 7))
    for cut in range(len(data)):
        with pytest.raises(DecodeError):
            rrc.decode("dl-dcch", data[:cut])


@settings(max_examples=1000)
@given(st.sampled_from(["dl-dcch", "ul-dcch", "ul-ccch"]), st.binary(max_size=64))
def test_random_bytes_raise_only_decode_error(channel: str, data: bytes) -> None:
    with contextlib.suppress(DecodeError):
        rrc.decode(channel, data)


def test_unknown_channel() -> None:
    with pytest.raises(InvalidFieldError):
        rrc.decode("bcch", b"\x00")


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: rrc.TunnelConfig("192.0.2.1", b"", 1), "idi"),
        (lambda: rrc.TunnelConfig("192.0.2.1", b"x" * 256, 1), "idi"),
        (lambda: rrc.TunnelConfig("192.0.2.1", b"x", 65536), "lwip_counter"),
        (lambda: rrc.TunnelConfig("not-an-address", b"x", 1), "segw_address"),
        (lambda: rrc.RrcConnectionReconfiguration(4), "transaction_id"),
        (lambda: rrc.WlanMobilityConfig(association_timer_s=20), "association_timer_s"),
        (lambda: rrc.DrbLwip(0, "lwip"), "drb_identity"),
        (lambda: rrc.HandoverCommand(504, 1), "target_pci"),
        (lambda: rrc.WlanSuspendConfig(1), "suspend_resume_allowed"),
        (lambda: rrc.WlanSuspendConfig(None, "yes"), "suspend_triggers_status_report"),
        (lambda: rrc.WlanMobilityConfig(suspend=True), "suspend"),
        (lambda: rrc.WlanMobilityConfig.mobility_set(()), "wlan_to_add"),
    ],
)
def test_bad_fields_fail_where_made(build: object, field: str) -> None:
    with pytest.raises(InvalidFieldError) as err:
        build()  # type: ignore[operator]
    assert err.value.field == field


def test_encoder_checks_constraints() -> None:
    # WLAN-Identifiers with nothing in it encodes (all optional); an empty SSID cannot be made.
    with pytest.raises(InvalidFieldError):
        rrc.WlanIdentifiers(ssid=b"")
    bad = rrc.OtherRrcMessage(rrc.RrcChannel.DL_DCCH, "x", {"message": ("c1", ("nope", None))})
    with pytest.raises(EncodeError):
        rrc.encode(bad)


# --- WLAN-MobilityConfig-r13 of an LWIP set-up --------------------------------------------------

_AP = rrc.WlanIdentifiers(ssid=b"lwip-ap", bssid=bytes.fromhex("020000000001"))


def _setup_with(mobility: rrc.WlanMobilityConfig) -> rrc.RrcConnectionReconfiguration:
    return rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.1", b"idi", 7, mobility=mobility)


def test_mobility_set_of_a_setup() -> None:
    m = rrc.WlanMobilityConfig.mobility_set(
        [_AP], association_timer_s=30, suspend=rrc.WlanSuspendConfig(True, False)
    )
    assert m.to_add == (_AP,) and m.to_release == ()
    assert m.success_report_requested and m.association_timer_s == 30
    _same_as_pycrate(_setup_with(m), "dl-dcch")


@pytest.mark.parametrize("allowed", [None, False, True])
@pytest.mark.parametrize("report", [None, False, True])
def test_suspend_config_matches_pycrate(allowed: bool | None, report: bool | None) -> None:
    suspend = rrc.WlanSuspendConfig(allowed, report)
    _same_as_pycrate(
        _setup_with(rrc.WlanMobilityConfig.mobility_set([_AP], suspend=suspend)), "dl-dcch"
    )
    # pycrate reads the group back where 36.331 puts it: WLAN-MobilityConfig-r13's extension
    data = rrc.encode(_setup_with(rrc.WlanMobilityConfig(suspend=suspend)))
    body = oracle.rrc_decode("dl-dcch", data)["message"][1][1]["criticalExtensions"][1][1]
    for _ in range(6):
        body = body["nonCriticalExtension"]
    mobility = body["lwip-Configuration-r13"][1]["lwip-Config-r13"]["lwip-MobilityConfig-r13"]
    expected = {}
    if allowed is not None:
        expected["wlan-SuspendResumeAllowed-r14"] = allowed
    if report is not None:
        expected["wlan-SuspendTriggersStatusReport-r14"] = report
    assert mobility["wlan-SuspendConfig-r14"] == expected


def test_cli_decode_shows_the_association_timer(capsys: pytest.CaptureFixture[str]) -> None:
    m = rrc.WlanMobilityConfig.mobility_set(
        [_AP], association_timer_s=120, suspend=rrc.WlanSuspendConfig(True)
    )
    data = oracle.rrc_encode("dl-dcch", oracle.rrc_value(_setup_with(m)))
    assert cli.main(["decode", "rrc-dl-dcch", data.hex()]) == 0
    shown = json.loads(capsys.readouterr().out)
    body = shown["message"]["c1"]["rrcConnectionReconfiguration"]["criticalExtensions"]["c1"]
    node = body["rrcConnectionReconfiguration-r8"]
    for _ in range(6):
        node = node["nonCriticalExtension"]
    mobility = node["lwip-Configuration-r13"]["setup"]["lwip-Config-r13"]
    mobility = mobility["lwip-MobilityConfig-r13"]
    assert mobility["associationTimer-r13"] == "s120"
    assert mobility["successReportRequested-r13"] == "true"
    assert mobility["wlan-SuspendConfig-r14"] == {"wlan-SuspendResumeAllowed-r14": True}


# --- handover command carrying LWIP (36.331 5.3.5.4) --------------------------------------------


@pytest.mark.parametrize("segw", ["192.0.2.1", "2001:db8::1"])
def test_handover_command_with_lwip_setup(segw: str) -> None:
    lwip = rrc.LwipSetup(
        rrc.TunnelConfig(segw, b"ue@target", 0),
        rrc.WlanMobilityConfig.mobility_set([_AP], association_timer_s=10),
    )
    msg = rrc.RrcConnectionReconfiguration.handover_command(
        2, 301, 0x4601, t304_ms=500, lwip=lwip, drbs=(rrc.DrbLwip(1, "lwip"),)
    )
    assert msg.handover == rrc.HandoverCommand(301, 0x4601, 500)
    _same_as_pycrate(msg, "dl-dcch")
    # one message holds both: mobilityControlInfo in the r8 IEs, lwip-Configuration-r13 in v1310
    r8 = oracle.rrc_decode("dl-dcch", rrc.encode(msg))["message"][1][1]["criticalExtensions"][1][1]
    assert r8["mobilityControlInfo"]["targetPhysCellId"] == 301
    node = r8
    for _ in range(6):
        node = node["nonCriticalExtension"]
    assert node["lwip-Configuration-r13"][0] == "setup"
    decoded = rrc.decode("dl-dcch", rrc.encode(msg))
    assert isinstance(decoded, rrc.RrcConnectionReconfiguration)
    assert decoded.handover is not None and decoded.lwip == lwip


def test_handover_command_without_lwip() -> None:
    msg = rrc.RrcConnectionReconfiguration.handover_command(0, 7, 0x1234)
    assert msg == rrc.RrcConnectionReconfiguration(0, handover=rrc.HandoverCommand(7, 0x1234))
    _same_as_pycrate(msg, "dl-dcch")


@pytest.mark.parametrize(
    "lwip",
    [
        rrc.LwipRelease(),
        rrc.LwipSetup(None, rrc.WlanMobilityConfig.mobility_set([_AP])),
        rrc.LwipSetup(rrc.TunnelConfig("192.0.2.1", b"idi")),  # no lwip-Counter-r13
    ],
    ids=["release", "no tunnel", "no counter"],
)
def test_handover_command_refuses_lwip_that_is_no_new_setup(lwip: object) -> None:
    with pytest.raises(InvalidFieldError) as err:
        rrc.RrcConnectionReconfiguration.handover_command(0, 7, 0x1234, lwip=lwip)  # type: ignore[arg-type]
    assert err.value.field == "lwip"


# --- WLAN measurements (36.331 5.5, 6.3.5) ------------------------------------------------------

_AP2 = rrc.WlanIdentifiers(ssid=b"lwip-ap-2", hessid=bytes.fromhex("020000000100"))


def _lwip_measurements() -> rrc.WlanMeasConfig:
    return rrc.WlanMeasConfig.for_events(
        rrc.WlanMeasObject(1, (rrc.WlanBand.BAND_2_4_GHZ, rrc.WlanBand.BAND_5_GHZ), (_AP, _AP2)),
        rrc.WlanReportConfig.w1(1, rrc.wlan_rssi_value(-70), time_to_trigger_ms=320),
        rrc.WlanReportConfig.w2(
            2, rrc.wlan_rssi_value(-85), rrc.wlan_rssi_value(-70), hysteresis_half_db=4
        ),
        rrc.WlanReportConfig.w3(
            3, rrc.wlan_rssi_value(-85), report_interval_ms=60_000, report_amount=None
        ),
    )


def test_wlan_measurement_configuration_matches_pycrate() -> None:
    mc = _lwip_measurements()
    assert [m.meas_id for m in mc.meas_ids] == [1, 2, 3]
    assert [mc.event_of(i) for i in (1, 2, 3, 4)] == [*rrc.WlanEvent, None]
    for msg in (
        rrc.RrcConnectionReconfiguration(0, meas_config=mc),
        rrc.RrcConnectionReconfiguration.lwip_setup(
            1,
            "192.0.2.1",
            b"idi",
            7,
            mobility=rrc.WlanMobilityConfig.mobility_set([_AP]),
            meas_config=mc,
        ),
        rrc.RrcConnectionReconfiguration.handover_command(2, 9, 0x77, meas_config=mc),
        rrc.RrcConnectionReconfiguration(
            3, meas_config=rrc.WlanMeasConfig(meas_ids_to_remove=(1, 2, 3))
        ),
    ):
        _same_as_pycrate(msg, "dl-dcch")
    # pycrate reads the W2 thresholds and the filter where 36.331 puts them
    data = rrc.encode(rrc.RrcConnectionReconfiguration(0, meas_config=mc))
    r8 = oracle.rrc_decode("dl-dcch", data)["message"][1][1]["criticalExtensions"][1][1]
    measure = r8["measConfig"]
    obj = measure["measObjectToAddModList"][0]["measObject"]
    assert obj[0] == "measObjectWLAN-r13"
    assert obj[1]["carrierFreq-r13"] == ("bandIndicatorListWLAN-r13", ["band2dot4", "band5"])
    w2 = measure["reportConfigToAddModList"][1]["reportConfig"][1]["triggerType"][1]["eventId"]
    assert w2 == ("eventW2-r13", {"w2-Threshold1-r13": 16, "w2-Threshold2-r13": 31})
    assert measure["quantityConfig"]["quantityConfigWLAN-r13"]["measQuantityWLAN-r13"] == "rssiWLAN"


def test_measurement_report_of_wlan_results() -> None:
    # A report as a UE writes it, with fields the typed message leaves out: band and channel
    # utilisation of a WLAN, E-UTRA neighbour results. Built with pycrate from 36.331 6.3.5.
    results = {
        "measId": 2,
        "measResultPCell": {"rsrpResult": 40, "rsrqResult": 12},
        "measResultNeighCells": (
            "measResultListEUTRA",
            [{"physCellId": 7, "measResult": {"rsrpResult": 30}}],
        ),
        "measResultListWLAN-r13": [
            {
                "wlan-Identifiers-r13": {"ssid-r12": b"lwip-ap-2", "bssid-r12": b"\x02" * 6},
                "bandWLAN-r13": "band5",
                "rssiWLAN-r13": 41,
                "channelUtilizationWLAN-r13": 80,
            },
            {
                "wlan-Identifiers-r13": {"ssid-r12": b"lwip-ap"},
                "rssiWLAN-r13": 0,
                "connectedWLAN-r13": "true",
            },
        ],
    }
    value = {
        "message": (
            "c1",
            (
                "measurementReport",
                {"criticalExtensions": ("c1", ("measurementReport-r8", {"measResults": results}))},
            ),
        )
    }
    data = oracle.rrc_encode("ul-dcch", value)
    msg = rrc.decode("ul-dcch", data)
    assert msg == rrc.decode("ul-dcch", data, fast=False)
    assert msg == rrc.MeasurementReport(
        2,
        40,
        12,
        (
            rrc.WlanMeasResult(rrc.WlanIdentifiers(b"lwip-ap-2", b"\x02" * 6), 41),
            rrc.WlanMeasResult(rrc.WlanIdentifiers(b"lwip-ap"), 0, connected=True),
        ),
    )
    assert isinstance(msg, rrc.MeasurementReport)
    assert _lwip_measurements().event_of(msg.meas_id) is rrc.WlanEvent.W2
    assert [r.rssi_dbm for r in msg.wlan_results] == [-60.0, float("-inf")]


@given(s.measurement_reports)
def test_measurement_report_matches_pycrate(msg: rrc.MeasurementReport) -> None:
    _same_as_pycrate(msg, "ul-dcch")


def test_wlan_rssi_mapping() -> None:
    # WLAN-RSSI-Range-r13: 0 is -infinity, 1 is -100 dBm, 140 is 39 dBm, 141 is +infinity
    assert [rrc.wlan_rssi_dbm(v) for v in (0, 1, 2, 140, 141)] == [
        float("-inf"),
        -100.0,
        -99.0,
        39.0,
        float("inf"),
    ]
    assert [rrc.wlan_rssi_value(d) for d in (-120, -100, -99.5, 0, 39, 40)] == [
        0,
        1,
        1,
        101,
        140,
        141,
    ]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: rrc.WlanReportConfig.w1(1, 142), "threshold"),
        (lambda: rrc.WlanReportConfig(1, rrc.WlanEvent.W2, 10), "threshold2"),
        (lambda: rrc.WlanReportConfig(1, rrc.WlanEvent.W1, 10, 20), "threshold2"),
        (lambda: rrc.WlanReportConfig.w2(1, 10, 142), "threshold2"),
        (lambda: rrc.WlanReportConfig.w3(33, 10), "report_config_id"),
        (lambda: rrc.WlanReportConfig.w3(1, 10, hysteresis_half_db=31), "hysteresis_half_db"),
        (lambda: rrc.WlanReportConfig(1, "eventA3", 10), "event"),
        (lambda: rrc.WlanReportConfig.w3(1, 10, time_to_trigger_ms=50), "time_to_trigger_ms"),
        (lambda: rrc.WlanReportConfig.w3(1, 10, max_report_cells=9), "max_report_cells"),
        (lambda: rrc.WlanReportConfig.w3(1, 10, report_interval_ms=100), "report_interval_ms"),
        (lambda: rrc.WlanReportConfig.w3(1, 10, report_amount=3), "report_amount"),
        (lambda: rrc.WlanMeasObject(0), "meas_object_id"),
        (lambda: rrc.WlanMeasObject(1, ("band6",)), "wlan_bands"),
        (lambda: rrc.WlanMeasObject(1, (rrc.WlanBand.BAND_5_GHZ,) * 9), "wlan_bands"),
        (lambda: rrc.MeasIdentity(33, 1, 1), "meas_id"),
        (lambda: rrc.WlanMeasConfig(wlan_filter_coefficient=10), "wlan_filter_coefficient"),
        (lambda: rrc.WlanMeasConfig(meas_ids_to_remove=(0,)), "meas_ids_to_remove"),
        (lambda: rrc.WlanMeasConfig(meas_ids_to_remove=(1, 1)), "meas_ids_to_remove"),
        (
            lambda: rrc.WlanMeasConfig((rrc.WlanMeasObject(1), rrc.WlanMeasObject(1))),
            "meas_objects",
        ),
        (
            lambda: rrc.WlanMeasConfig(
                (), (rrc.WlanReportConfig.w1(1, 9), rrc.WlanReportConfig.w3(1, 9))
            ),
            "report_configs",
        ),
        (lambda: rrc.WlanMeasConfig(meas_ids=(rrc.MeasIdentity(1, 1, 1),) * 2), "meas_ids"),
        (lambda: rrc.WlanMeasConfig(report_configs=(object(),)), "report_configs"),
        (lambda: rrc.WlanMeasResult(_AP, 142), "rssi"),
        (lambda: rrc.WlanMeasResult(b"ap", 1), "wlan"),
        (lambda: rrc.WlanMeasResult(_AP, 1, 1), "connected"),
        (lambda: rrc.MeasurementReport(1, 98, 0), "pcell_rsrp"),
        (lambda: rrc.MeasurementReport(1, 0, 35), "pcell_rsrq"),
        (lambda: rrc.MeasurementReport(1, 0, 0, (rrc.WlanMeasResult(_AP, 1),) * 9), "wlan_results"),
    ],
)
def test_bad_measurement_fields_fail_where_made(build: object, field: str) -> None:
    with pytest.raises(InvalidFieldError) as err:
        build()  # type: ignore[operator]
    assert err.value.field == field


def test_measurement_parts_not_modelled_are_dropped() -> None:
    # An E-UTRA measurement object, an A3 report configuration and a WLAN object with
    # carrierInfoListWLAN-r13, written with pycrate: the typed message keeps the WLAN parts.
    measure = {
        "measObjectToAddModList": [
            {"measObjectId": 1, "measObject": ("measObjectEUTRA", {
                "carrierFreq": 100, "allowedMeasBandwidth": "mbw50", "presenceAntennaPort1": False,
                "neighCellConfig": (0, 2),
            })},
            {"measObjectId": 2, "measObject": ("measObjectWLAN-r13", {
                "carrierFreq-r13": ("carrierInfoListWLAN-r13", [{"operatingClass-r13": 81}]),
                "wlan-ToAddModList-r13": [{"ssid-r12": b"lwip-ap"}],
            })},
        ],
        "reportConfigToAddModList": [
            {"reportConfigId": 1, "reportConfig": ("reportConfigEUTRA", {
                "triggerType": ("event", {
                    "eventId": ("eventA3", {"a3-Offset": 2, "reportOnLeave": False}),
                    "hysteresis": 2, "timeToTrigger": "ms320",
                }),
                "triggerQuantity": "rsrp", "reportQuantity": "both", "maxReportCells": 4,
                "reportInterval": "ms240", "reportAmount": "r1",
            })},
            {"reportConfigId": 2, "reportConfig": ("reportConfigInterRAT", {
                "triggerType": ("event", {
                    "eventId": ("eventW3-r13", {"w3-Threshold-r13": 20}),
                    "hysteresis": 0, "timeToTrigger": "ms0",
                }),
                "maxReportCells": 8, "reportInterval": "ms1024", "reportAmount": "r1",
                "reportQuantityWLAN-r13": {"bandRequestWLAN-r13": "true"},
            })},
        ],
        "measIdToAddModList": [
            {"measId": 1, "measObjectId": 1, "reportConfigId": 1},
            {"measId": 2, "measObjectId": 2, "reportConfigId": 2},
        ],
        "s-Measure": 50,
    }  # fmt: skip
    value = {
        "message": (
            "c1",
            (
                "rrcConnectionReconfiguration",
                {
                    "rrc-TransactionIdentifier": 1,
                    "criticalExtensions": (
                        "c1",
                        ("rrcConnectionReconfiguration-r8", {"measConfig": measure}),
                    ),
                },
            ),
        )
    }
    data = oracle.rrc_encode("dl-dcch", value)
    msg = rrc.decode("dl-dcch", data)
    assert msg == rrc.decode("dl-dcch", data, fast=False)
    assert isinstance(msg, rrc.RrcConnectionReconfiguration) and msg.meas_config is not None
    assert msg.meas_config == rrc.WlanMeasConfig(
        (rrc.WlanMeasObject(2, (), (rrc.WlanIdentifiers(b"lwip-ap"),)),),
        (rrc.WlanReportConfig.w3(2, 20),),
        (rrc.MeasIdentity(1, 1, 1), rrc.MeasIdentity(2, 2, 2)),
    )
    assert msg.meas_config.event_of(2) is rrc.WlanEvent.W3
    assert msg.meas_config.event_of(1) is None


# --- UE capabilities (36.331 5.6.3, 6.3.6) ------------------------------------------------------


@settings(max_examples=60)
@given(
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.lists(st.sampled_from(["band2dot4", "band5", "band60-v1430"]), max_size=8),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_lwip_capability_of_a_container_built_by_pycrate(
    lwip: bool,
    dl: bool,
    ul: bool,
    bands: list[str],
    scg: bool,
    split: bool,
    lwa: bool,
    rclwi: bool,
) -> None:
    container = oracle.ue_eutra_capability(
        lwip=lwip,
        lwip_aggregation_dl=dl,
        lwip_aggregation_ul=ul,
        wlan_bands=tuple(bands),
        drb_type_scg=scg,
        drb_type_split=split,
        lwa=lwa,
        rclwi=rclwi,
    )
    assert rrc.decode_eutra_capability(container) == rrc.UeLwipCapability(
        "rel14",
        lwip_r13=lwip,
        lwip_aggregation_dl=dl,
        lwip_aggregation_ul=ul,
        wlan_bands=tuple(rrc.WlanBand(b) for b in bands),
        dc=scg or split,
        lwa=lwa,
        rclwi=rclwi,
    )


@pytest.mark.parametrize(
    ("release", "last_ies", "expected"),
    [
        # a Rel-8 UE: no extension at all
        ("rel8", "root", rrc.UeLwipCapability("rel8")),
        # the chain ends before the v1310 IEs: DC only
        ("rel12", "v1250", rrc.UeLwipCapability("rel12", dc=True)),
        # a Rel-13 UE: lwip-r13 and LWA, but no v1430 IEs, so no LWIP aggregation
        ("rel13", "v1310", rrc.UeLwipCapability("rel13", lwip_r13=True, dc=True, lwa=True)),
        (
            "rel14",
            "v1430",
            rrc.UeLwipCapability(
                "rel14",
                lwip_r13=True,
                lwip_aggregation_dl=True,
                lwip_aggregation_ul=True,
                dc=True,
                lwa=True,
            ),
        ),
    ],
)
def test_lwip_capability_of_each_release(
    release: str, last_ies: str, expected: rrc.UeLwipCapability
) -> None:
    container = oracle.ue_eutra_capability(
        release=release,
        last_ies=last_ies,
        lwip=True,
        lwip_aggregation_dl=True,
        lwip_aggregation_ul=True,
        drb_type_split=True,
        lwa=True,
    )
    assert rrc.decode_eutra_capability(container) == expected


def test_capability_container_is_decoded_strictly() -> None:
    container = oracle.ue_eutra_capability(lwip=True)
    with pytest.raises(DecodeError, match="after the container"):
        rrc.decode_eutra_capability(container + b"\x00")
    for cut in range(len(container)):
        with pytest.raises(DecodeError):
            rrc.decode_eutra_capability(container[:cut])
    with pytest.raises(DecodeError):
        rrc.decode_eutra_capability("00")  # type: ignore[arg-type]


def test_capability_from_ue_capability_information() -> None:
    # UECapabilityInformation as the UE sends it, written with pycrate: an E-UTRA container
    # (built by pycrate) and a UTRA one (opaque here).
    container = oracle.ue_eutra_capability(lwip=True, lwip_aggregation_dl=True)
    value = {
        "message": (
            "c1",
            (
                "ueCapabilityInformation",
                {
                    "rrc-TransactionIdentifier": 2,
                    "criticalExtensions": (
                        "c1",
                        (
                            "ueCapabilityInformation-r8",
                            {
                                "ue-CapabilityRAT-ContainerList": [
                                    {"rat-Type": "utra", "ueCapabilityRAT-Container": b"\x01\x02"},
                                    {"rat-Type": "eutra", "ueCapabilityRAT-Container": container},
                                ]
                            },
                        ),
                    ),
                },
            ),
        )
    }
    msg = rrc.decode("ul-dcch", oracle.rrc_encode("ul-dcch", value))
    assert isinstance(msg, rrc.UeCapabilityInformation) and msg.transaction_id == 2
    assert msg.eutra == container
    assert [c.rat_type for c in msg.containers] == [rrc.RatType.UTRA, rrc.RatType.EUTRA]
    capability = rrc.decode_eutra_capability(msg.eutra)
    assert capability.lwip_r13 and capability.lwip_aggregation_dl
    assert not capability.lwip_aggregation_ul
    assert rrc.UeCapabilityInformation(0).eutra is None


@given(s.capability_enquiries)
def test_capability_enquiry_matches_pycrate(msg: rrc.UeCapabilityEnquiry) -> None:
    _same_as_pycrate(msg, "dl-dcch")


@given(s.capability_informations)
def test_capability_information_matches_pycrate(msg: rrc.UeCapabilityInformation) -> None:
    _same_as_pycrate(msg, "ul-dcch")


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: rrc.UeCapabilityEnquiry(0, ()), "rat_types"),
        (lambda: rrc.UeCapabilityEnquiry(0, ("eutra",) * 9), "rat_types"),
        (lambda: rrc.UeCapabilityEnquiry(0, ("wifi",)), "rat_types"),
        (lambda: rrc.UeCapabilityEnquiry(4), "transaction_id"),
        (lambda: rrc.UeCapabilityContainer("wifi", b""), "rat_type"),
        (
            lambda: rrc.UeCapabilityInformation(0, (rrc.UeCapabilityContainer("nr", b""),) * 9),
            "containers",
        ),
        (lambda: rrc.UeLwipCapability("rel13", wlan_bands=("band6",)), "wlan_bands"),
    ],
)
def test_bad_capability_fields_fail_where_made(build: object, field: str) -> None:
    with pytest.raises(InvalidFieldError) as err:
        build()  # type: ignore[operator]
    assert err.value.field == field


def test_container_of_an_unknown_rat_is_left_out() -> None:
    # UECapabilityInformation with one container whose RAT-Type is the first extension value
    # (a RAT of a later release): UL-DCCH c1 ueCapabilityInformation (0 0111), transaction id 0,
    # criticalExtensions c1 and r8 (0 000), no nonCriticalExtension (0), one container (0001),
    # RAT-Type extension bit 1 and index 0 (1 0000000), the OCTET STRING of one octet.
    bits = "0011100000000001100000000000000100000001"
    data = int(bits, 2).to_bytes(len(bits) // 8, "big")
    assert rrc.decode("ul-dcch", data) == rrc.UeCapabilityInformation(0, ())
