"""``lwip-enb encode KIND --json FILE``: every typed message of both codecs from JSON, its bytes
equal to pycrate's encoding of the same value (TS 36.331 clause 6 / TS 36.463 clause 9 ASN.1,
UPER and APER as X.691 defines them).

Each case pairs a JSON description written by hand with the same message built directly from the
typed classes; pycrate encodes the latter through :mod:`helpers.pycrate_oracle` (values written
from the spec's ASN.1), so a JSON reader that mixed up attributes would not give pycrate's bytes.
A property test then takes every message the strategies make through the CLI's JSON form.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from typing import Any

import pytest
from helpers import pycrate_oracle as oracle
from helpers import strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc.fast import FAST_CODECS as RRC_CODECS
from lwip_enb.codec.xwap.fast import FAST_CODECS as XWAP_CODECS
from lwip_enb.keys import KeyMaterial
from lwip_enb.tools import cli, typedjson

PSK = bytes(range(1, 33))
CAUSE = {"group": "radioNetwork", "value": "radio-connection-with-UE-lost"}
RADIO_LOST = xwap.Cause.radio_network("radio-connection-with-UE-lost")
DIAG_JSON = {
    "procedure_code": 13,
    "triggering_message": "initiatingMessage",
    "procedure_criticality": "reject",
    "ies": [{"criticality": "reject", "ie_id": 69, "type_of_error": "missing"}],
}
DIAG = xwap.CriticalityDiagnostics(
    13,
    xwap.MessageKind.INITIATING,
    xwap.Criticality.REJECT,
    (xwap.IeDiagnostic(xwap.Criticality.REJECT, 69, "missing"),),
)
GTP_JSON = {"address": "192.0.2.10", "teid": "0000abcd"}
GTP = xwap.GtpTunnelEndpoint("192.0.2.10", bytes.fromhex("0000abcd"))
WLAN_JSON = {"ssid": "6c776970", "usage": "lWIPonly"}  # "lwip"
WLAN = xwap.WlanInformation(ssid=b"lwip", usage=xwap.WlanUsage.LWIP_ONLY)

#: (kind, JSON written by hand, the same message built from the classes)
XWAP_CASES: list[tuple[dict[str, Any], Any]] = [
    (
        {
            "message": "LWIPAdditionRequest",
            "enb_ue_id": 1,
            "wlan_mac": "02:00:00:00:00:01",
            "security": {"psk": PSK.hex(), "idi": "abcd"},
            "serving_plmn": "00f110",
            "enb_gtp_endpoint": GTP_JSON,
            "mobility_set": [{"ssid": "6c776970"}, {"bssid": "020000000002"}],
        },
        lambda: xwap.LwipAdditionRequest(
            1,
            bytes.fromhex("020000000001"),
            xwap.SeGwSecurityInfo(KeyMaterial(PSK), b"\xab\xcd"),
            b"\x00\xf1\x10",
            GTP,
            (WlanIdentifiers(ssid=b"lwip"), WlanIdentifiers(bssid=bytes.fromhex("020000000002"))),
        ),
    ),
    (
        {
            "message": "LWIPAdditionRequestAcknowledge",
            "enb_ue_id": 1,
            "wt_ue_id": 2,
            "segw_gtp_endpoint": GTP_JSON,
            "criticality_diagnostics": DIAG_JSON,
        },
        lambda: xwap.LwipAdditionRequestAcknowledge(1, 2, GTP, DIAG),
    ),
    (
        {"message": "LWIPAdditionRequestReject", "enb_ue_id": 3, "cause": CAUSE},
        lambda: xwap.LwipAdditionRequestReject(3, RADIO_LOST),
    ),
    (
        {
            "message": "LWIPModificationRequest",
            "enb_ue_id": 4,
            "wt_ue_id": 5,
            "cause": {"group": "misc", "value": "om-intervention"},
            "serving_plmn": "00f110",
            "mobility_set": [{"hessid": "020000000003"}],
        },
        lambda: xwap.LwipModificationRequest(
            4,
            5,
            xwap.Cause.misc("om-intervention"),
            b"\x00\xf1\x10",
            (WlanIdentifiers(hessid=bytes.fromhex("020000000003")),),
        ),
    ),
    (
        {"message": "LWIPModificationRequestAcknowledge", "enb_ue_id": 4, "wt_ue_id": 5},
        lambda: xwap.LwipModificationRequestAcknowledge(4, 5),
    ),
    (
        {
            "message": "LWIPModificationRequestReject",
            "enb_ue_id": 4,
            "wt_ue_id": 5,
            "cause": {"group": "protocol", "value": "semantic-error"},
            "criticality_diagnostics": DIAG_JSON,
        },
        lambda: xwap.LwipModificationRequestReject(
            4, 5, xwap.Cause.protocol("semantic-error"), DIAG
        ),
    ),
    (
        {"message": "LWIPReleaseRequest", "enb_ue_id": 1, "wt_ue_id": 2, "cause": CAUSE},
        lambda: xwap.LwipReleaseRequest(1, 2, RADIO_LOST),
    ),
    (
        {
            "message": "LWIPReleaseRequired",
            "enb_ue_id": 1,
            "wt_ue_id": 2,
            "cause": {"group": "transport", "value": "transport-resource-unavailable"},
        },
        lambda: xwap.LwipReleaseRequired(
            1, 2, xwap.Cause.transport("transport-resource-unavailable")
        ),
    ),
    (
        {"message": "LWIPReleaseConfirm", "enb_ue_id": 1, "wt_ue_id": 2},
        lambda: xwap.LwipReleaseConfirm(1, 2),
    ),
    (
        {
            "message": "XwSetupRequest",
            "global_enb_id": {"plmn": "00f110", "enb_id": 4660, "kind": "short-macroENB-ID"},
        },
        lambda: xwap.XwSetupRequest(
            xwap.GlobalEnbId(b"\x00\xf1\x10", 4660, xwap.EnbIdKind.SHORT_MACRO)
        ),
    ),
    (
        {
            "message": "XwSetupResponse",
            "wt_id": {"value": 1, "plmn": "00f110"},
            "wlan_identifiers": [WLAN_JSON, {"bssid": "020000000004"}],
        },
        lambda: xwap.XwSetupResponse(
            xwap.WtId(1, b"\x00\xf1\x10"),
            (WLAN, xwap.WlanInformation(bssid=bytes.fromhex("020000000004"))),
        ),
    ),
    (
        {"message": "XwSetupFailure", "cause": CAUSE, "time_to_wait_s": 10},
        lambda: xwap.XwSetupFailure(RADIO_LOST, time_to_wait_s=10),
    ),
    (
        {"message": "Reset", "cause": {"group": "misc", "value": "om-intervention"}},
        lambda: xwap.Reset(xwap.Cause.misc("om-intervention")),
    ),
    ({"message": "ResetResponse"}, lambda: xwap.ResetResponse()),
    (
        {
            "message": "WTConfigurationUpdate",
            "to_add": [WLAN_JSON],
            "to_modify": [{"ssid": "6f74686572", "usage": "lWAandLWIP"}],
            "to_delete": ["020000000005"],
            "to_delete_extension": [{"ssid": "6f6c64"}],
        },
        lambda: xwap.WtConfigurationUpdate(
            (WLAN,),
            (xwap.WlanInformation(ssid=b"other", usage=xwap.WlanUsage.LWA_AND_LWIP),),
            (bytes.fromhex("020000000005"),),
            (WlanIdentifiers(ssid=b"old"),),
        ),
    ),
    (
        {"message": "WTConfigurationUpdateAcknowledge", "criticality_diagnostics": DIAG_JSON},
        lambda: xwap.WtConfigurationUpdateAcknowledge(DIAG),
    ),
    (
        {"message": "WTConfigurationUpdateFailure", "cause": CAUSE, "time_to_wait_s": 60},
        lambda: xwap.WtConfigurationUpdateFailure(RADIO_LOST, time_to_wait_s=60),
    ),
    (
        {"message": "ErrorIndication", "wt_ue_id": 9, "cause": CAUSE},
        lambda: xwap.ErrorIndication(wt_ue_id=9, cause=RADIO_LOST),
    ),
]

WLAN_A = {"ssid": "6c776970"}
RRC_CASES: list[tuple[dict[str, Any], Any]] = [
    (
        {
            "message": "RRCConnectionReconfiguration",
            "transaction_id": 1,
            "lwip": {
                "LwipSetup": {
                    "tunnel": {"segw_address": "2001:db8::10", "idi": "1111", "counter": 291},
                    "mobility": {
                        "to_add": [WLAN_A],
                        "association_timer_s": 10,
                        "success_report_requested": True,
                        "suspend": {"resume_allowed": True},
                    },
                }
            },
            "drbs": [{"drb_identity": 3, "lwip_type": "lwip-DL-only"}],
            "meas_config": {
                "meas_objects": [{"meas_object_id": 2, "bands": ["band5"], "wlans": [WLAN_A]}],
                "report_configs": [
                    {
                        "report_config_id": 4,
                        "event": "eventW2-r13",
                        "threshold": 40,
                        "threshold2": 60,
                    }
                ],
                "meas_ids": [{"meas_id": 1, "meas_object_id": 2, "report_config_id": 4}],
                "wlan_filter_coefficient": 6,
            },
        },
        lambda: rrc.RrcConnectionReconfiguration(
            1,
            rrc.LwipSetup(
                rrc.TunnelConfig("2001:db8::10", b"\x11\x11", 291),
                rrc.WlanMobilityConfig(
                    to_add=(WlanIdentifiers(ssid=b"lwip"),),
                    association_timer_s=10,
                    success_report_requested=True,
                    suspend=rrc.WlanSuspendConfig(resume_allowed=True),
                ),
            ),
            (rrc.DrbLwip(3, rrc.DrbTypeLwip.LWIP_DL_ONLY),),
            meas_config=rrc.WlanMeasConfig(
                (
                    rrc.WlanMeasObject(
                        2, (rrc.WlanBand.BAND_5_GHZ,), (WlanIdentifiers(ssid=b"lwip"),)
                    ),
                ),
                (rrc.WlanReportConfig(4, rrc.WlanEvent.W2, 40, 60),),
                (rrc.MeasIdentity(1, 2, 4),),
                6,
            ),
        ),
    ),
    (
        {
            "message": "RRCConnectionReconfiguration",
            "transaction_id": 3,
            "lwip": {"LwipRelease": {}},
            "handover": {"target_pci": 17, "new_crnti": 4660, "t304_ms": 500},
        },
        lambda: rrc.RrcConnectionReconfiguration(
            3, rrc.LwipRelease(), handover=rrc.HandoverCommand(17, 4660, 500)
        ),
    ),
    (
        {"message": "UECapabilityEnquiry", "transaction_id": 2, "rat_types": ["eutra", "nr"]},
        lambda: rrc.UeCapabilityEnquiry(2, (rrc.RatType.EUTRA, rrc.RatType.NR)),
    ),
    (
        {"message": "RRCConnectionReconfigurationComplete", "transaction_id": 2},
        lambda: rrc.RrcConnectionReconfigurationComplete(2),
    ),
    (
        {"message": "WLANConnectionStatusReport-r13", "status": "suspended"},
        lambda: rrc.WlanConnectionStatusReport(rrc.WlanStatus.SUSPENDED),
    ),
    (
        {
            "message": "MeasurementReport",
            "meas_id": 1,
            "pcell_rsrp": 50,
            "pcell_rsrq": 20,
            "wlan_results": [{"wlan": WLAN_A, "rssi": 70, "connected": True}],
        },
        lambda: rrc.MeasurementReport(
            1, 50, 20, (rrc.WlanMeasResult(WlanIdentifiers(ssid=b"lwip"), 70, True),)
        ),
    ),
    (
        {
            "message": "UECapabilityInformation",
            "transaction_id": 0,
            "containers": [{"rat_type": "utra", "octets": "0102"}],
        },
        lambda: rrc.UeCapabilityInformation(
            0, (rrc.UeCapabilityContainer(rrc.RatType.UTRA, b"\x01\x02"),)
        ),
    ),
    (
        {
            "message": "RRCConnectionReestablishmentRequest",
            "c_rnti": 4660,
            "phys_cell_id": 1,
            "short_mac_i": 0xBEEF,
            "cause": "handoverFailure",
        },
        lambda: rrc.RrcConnectionReestablishmentRequest(
            4660, 1, 0xBEEF, rrc.ReestablishmentCause.HANDOVER_FAILURE
        ),
    ),
]


def _kind(msg: Any) -> str:
    if isinstance(msg, xwap.XwapMessage):
        return "xwap"
    return f"rrc-{rrc.to_channel(msg.CHANNEL).value}"


def _pycrate(msg: Any) -> bytes:
    if isinstance(msg, xwap.XwapMessage):
        return oracle.xwap_encode(oracle.xwap_value(msg))
    return oracle.rrc_encode(rrc.to_channel(msg.CHANNEL).value, oracle.rrc_value(msg))


def _encode_cli(
    kind: str, description: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(description)))
    status = cli.main(["encode", kind, "--json", "-"])
    out = capsys.readouterr()
    return status, out.out.strip(), out.err


def test_every_typed_message_has_a_hand_written_case() -> None:
    names = {d["message"] for d, _ in XWAP_CASES + RRC_CASES}
    assert names == {cls.MESSAGE for cls in (*XWAP_CODECS, *RRC_CODECS)}


@pytest.mark.parametrize(
    ("description", "build"),
    XWAP_CASES + RRC_CASES,
    ids=[f"{d['message']}-{i}" for i, (d, _) in enumerate(XWAP_CASES + RRC_CASES)],
)
def test_json_encodes_to_pycrates_bytes(
    description: dict[str, Any],
    build: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """36.331 6.2 / 36.463 9.3: the CLI's bytes for the JSON are pycrate's for the same value."""
    msg = build()
    status, out, err = _encode_cli(_kind(msg), description, monkeypatch, capsys)
    assert status == 0, err
    assert bytes.fromhex(out) == _pycrate(msg)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    msg=st.one_of(
        strategies.xwap_messages, strategies.dl_dcch, strategies.ul_dcch, strategies.ul_ccch
    )
)
def test_any_typed_message_through_its_json_form_gives_pycrates_bytes(msg: Any) -> None:
    """The JSON form of any message (typedjson.to_json) read back by ``encode`` gives the bytes
    pycrate gives for the message (36.331 6.2, 36.463 9.3)."""
    text = json.dumps(typedjson.to_json(msg))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        real_stdin = sys.stdin
        sys.stdin = io.StringIO(text)
        try:
            status = cli.main(["encode", _kind(msg), "--json", "-"])
        finally:
            sys.stdin = real_stdin
    assert status == 0
    assert bytes.fromhex(out.getvalue().strip()) == _pycrate(msg)


def test_a_message_of_another_kind_is_refused_naming_the_kind_s_messages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A MeasurementReport is UL-DCCH (36.331 6.2.1): not accepted as rrc-dl-dcch."""
    status, out, err = _encode_cli(
        "rrc-dl-dcch", {"message": "MeasurementReport"}, monkeypatch, capsys
    )
    assert status == 2 and not out
    assert err.count("\n") == 1 and "RRCConnectionReconfiguration, UECapabilityEnquiry" in err


def test_errors_name_the_attribute_never_the_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PSK one octet short (36.463 9.2.30: 256 bits) or one digit short: one error line that
    names the field and shows no part of the key; a missing or unknown attribute is named."""
    key = "5fd0c6b1e0a4f6e3b2d1c4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3"
    base = {
        "message": "LWIPAdditionRequest",
        "enb_ue_id": 1,
        "wlan_mac": "020000000001",
        "security": {"psk": key[:-2], "idi": "ab"},
    }
    for psk in (key[:-2], key[:-1], key + "zz"):
        base["security"] = {"psk": psk, "idi": "ab"}
        status, _, err = _encode_cli("xwap", base, monkeypatch, capsys)
        assert status == 2 and err.count("\n") == 1 and "psk" in err
        assert not any(key[i : i + 8] in err for i in range(0, len(key) - 7, 4)), err
    status, _, err = _encode_cli(
        "xwap", {"message": "LWIPReleaseRequest", "enb_ue_id": 1, "wt": 2}, monkeypatch, capsys
    )
    assert status == 2 and "unknown attribute(s) ['wt']" in err and "wt_ue_id" in err


def test_the_psk_read_from_json_is_wiped_once_encoded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PSK must not outlive its use (33.401 / the project's key hygiene): the key objects
    the JSON reader made are wiped after the PDU is printed."""
    made: list[KeyMaterial] = []
    real = typedjson.from_json

    def spy(obj: Any, allowed: Any = lambda _c: True) -> Any:
        msg = real(obj, allowed)
        made.append(msg.security.psk)
        return msg

    monkeypatch.setattr(typedjson, "from_json", spy)
    description = dict(XWAP_CASES[0][0])
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(description)))
    assert cli.main(["encode", "xwap", "--json", "-"]) == 0
    assert made and made[0].wiped
