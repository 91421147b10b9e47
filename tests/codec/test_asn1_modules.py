"""The extracted 3GPP ASN.1, the load-time transformation and the codecs of lwip_enb.asn1.

Bytes are compared with pycrate (``pycrate_asn1dir``), an independent ASN.1 implementation with
its own compiled RRC and XwAP modules and full information object class support.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import require_resource

from lwip_enb import asn1

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO.parent / "shared" / "specs"
EXTRACT = REPO / "asn1" / "extract.py"

PSK = bytes.fromhex("b870389602b0611f4c63b886f434ef0b4fa53866b894e5fe3d2f1507d31d77bf")
IDI = b"lwip-ue-0001@enb.example"
UE_MAC = bytes.fromhex("02005e100001")


# --- helpers ----------------------------------------------------------------------------------


def to_pycrate(value: Any) -> Any:
    """asn1tools' value representation -> pycrate's (BIT STRING as (int, bits), NULL as 0)."""
    if isinstance(value, dict):
        return {k: to_pycrate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_pycrate(v) for v in value]
    if isinstance(value, tuple):
        first, second = value
        if isinstance(first, bytes | bytearray):
            return (int.from_bytes(first, "big") >> (8 * len(first) - second), second)
        return (first, to_pycrate(second))
    if value is None:
        return 0
    return value


def reconfiguration(lwip: Any) -> Any:
    """DL-DCCH-Message carrying lwip-Configuration-r13 through r8 -> v890 ... -> v1310."""
    ies: Any = {"lwip-Configuration-r13": lwip}  # RRCConnectionReconfiguration-v1310-IEs
    for _ in ("v1250", "v1130", "v1020", "v920", "v890", "r8"):
        ies = {"nonCriticalExtension": ies}
    body = {
        "rrc-TransactionIdentifier": 1,
        "criticalExtensions": ("c1", ("rrcConnectionReconfiguration-r8", ies)),
    }
    return {"message": ("c1", ("rrcConnectionReconfiguration", body))}


LWIP_SETUP = (
    "setup",
    {
        "lwip-Config-r13": {
            "tunnelConfigLWIP-r13": {
                "ip-Address-r13": ("ipv4-r13", (bytes([198, 51, 100, 7]), 32)),
                "ike-Identity-r13": {"idI-r13": IDI},
                "lwip-Counter-r13": 291,
            }
        }
    },
)
LWIP_RELEASE = ("release", None)


def lwip_addition_request() -> Any:
    return (
        "initiatingMessage",
        {
            "procedureCode": 13,
            "criticality": "reject",
            "value": (
                "LWIPAdditionRequest",
                {
                    "protocolIEs": [
                        {
                            "id": 25,
                            "criticality": "reject",
                            "value": ("UE-XwAP-ID", b"\x00\x01\x2c"),
                        },
                        {"id": 30, "criticality": "reject", "value": ("UE-Identity", UE_MAC)},
                        {
                            "id": 69,
                            "criticality": "reject",
                            "value": (
                                "LWIP-SeGWSecurityInfo",
                                {"lWIP-PSK": (PSK, 256), "iKE-Initiator-Identity": IDI},
                            ),
                        },
                    ]
                },
            ),
        },
    )


def wt_addition_request() -> Any:
    """Nested open types: an IE list of single containers, each with an extension container."""
    item = {
        "e-RAB-ID": 5,
        "e-RAB-QoS-Parameters": {
            "qCI": 9,
            "allocationRetentionPriority": {
                "priorityLevel": 15,
                "pre-emptionCapability": "shall-not-trigger-pre-emption",
                "pre-emptionVulnerability": "pre-emptable",
            },
        },
        "eNB-GTPtunnelEndpoint": {
            "transportLayerAddress": (bytes([192, 0, 2, 1]), 32),
            "gTP-TEID": b"\x00\x00\x10\x01",
        },
        "iE-Extensions": [
            {"id": 65, "criticality": "reject", "extensionValue": ("DRB-Identity", 3)}
        ],
    }
    ies = [
        {"id": 25, "criticality": "reject", "value": ("UE-XwAP-ID", b"\x00\x00\x01")},
        {"id": 30, "criticality": "reject", "value": ("UE-Identity", UE_MAC)},
        {
            "id": 28,
            "criticality": "reject",
            "value": (
                "E-RABs-ToBeAdded-List",
                [{"id": 29, "criticality": "reject", "value": ("E-RABs-ToBeAdded-Item", item)}],
            ),
        },
        {
            "id": 54,
            "criticality": "reject",
            "value": ("MobilitySet", [{"bSSID": bytes.fromhex("020000000001")}]),
        },
    ]
    body = {
        "procedureCode": 6,
        "criticality": "reject",
        "value": ("WTAdditionRequest", {"protocolIEs": ies}),
    }
    return ("initiatingMessage", body)


@pytest.fixture(scope="module")
def rrclte() -> Any:
    return pytest.importorskip("pycrate_asn1dir.RRCLTE")


@pytest.fixture(scope="module")
def pycrate_xwap() -> Any:
    return pytest.importorskip("pycrate_asn1dir.XwAP")


# --- extraction -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_resource(
        SPECS.is_dir(),
        f"the 3GPP texts 36331-h40.txt and 36463-h00.txt in {SPECS} (see README.md)",
    )
    out = tmp_path_factory.mktemp("asn1")
    subprocess.run(
        [sys.executable, str(EXTRACT), "--specs", str(SPECS), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def _asn_files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.glob("*/*.asn"))
    }


@pytest.mark.subprocess
def test_extraction_matches_committed_modules(extracted: Path) -> None:
    fresh = _asn_files(extracted)
    committed = _asn_files(REPO / "asn1")
    assert sorted(fresh) == sorted(committed)
    assert len(fresh) == 14
    for name, text in fresh.items():
        assert text == committed[name], f"{name} differs from a fresh extraction"


@pytest.mark.subprocess
def test_extraction_check_mode_and_headers(extracted: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(EXTRACT),
            "--specs",
            str(SPECS),
            "--out",
            str(REPO / "asn1"),
            "--check",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name, text in _asn_files(extracted).items():
        spec = (
            "36.331 V17.4.0 (36331-h40.txt)"
            if name.startswith("36331")
            else ("36.463 V17.0.0 (36463-h00.txt)")
        )
        first, _, rest = text.partition("\n")
        assert first == f"-- Extracted from 3GPP TS {spec} by asn1/extract.py; do not edit."
        assert "\f" not in text and "\u00a0" not in text
        assert not any(line.startswith("3GPP TS") for line in rest.splitlines())
        assert text.rstrip().endswith("END")


@pytest.mark.subprocess
def test_extraction_module_split(extracted: Path) -> None:
    names = {Path(n).stem for n in _asn_files(extracted)}
    assert names == {
        "EUTRA-RRC-Definitions", "PC5-RRC-Definitions", "NBIOT-RRC-Definitions",
        "EUTRA-UE-Variables", "NBIOT-UE-Variables", "EUTRA-Sidelink-Preconf",
        "EUTRA-InterNodeDefinitions", "NBIOT-InterNodeDefinitions",
        "XwAP-PDU-Descriptions", "XwAP-PDU-Contents", "XwAP-IEs", "XwAP-CommonDataTypes",
        "XwAP-Constants", "XwAP-Containers",
    }  # fmt: skip
    rrc = (extracted / "36331" / "EUTRA-RRC-Definitions.asn").read_text(encoding="utf-8")
    assert "SetupRelease { ElementTypeParam } ::= CHOICE {" in rrc
    assert "-- Example with extension addition group" not in rrc  # annex A illustration


def test_extractor_strips_page_artifacts_and_skips_examples(tmp_path: Path) -> None:
    loader = importlib.util.spec_from_file_location("lwip_asn1_extract", EXTRACT)
    assert loader is not None and loader.loader is not None
    extract = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(extract)
    source = tmp_path / "36331-h40.txt"
    source.write_text(
        "\ufeff3GPP TS 36.331 V17.4.0 (2023-03)\nTechnical Specification\n"
        "-- ASN1START\nM DEFINITIONS AUTOMATIC TAGS ::=\nBEGIN\nA ::= INTEGER\n"
        "-- ASN1STOP\nprose\n-- /example/ ASN1START\nX ::= NULL\n-- ASN1STOP\n"
        "-- ASN1START\n3GPP TS 36.331 V17.4.0 (2023-03)\t42\nRelease 17\t42\n"
        "\fB ::=\u00a0BOOLEAN\n\nEND\n-- ASN1STOP\n",
        encoding="utf-8",
    )
    assert extract.extract_36331(source) == {
        "M": "-- Extracted from 3GPP TS 36.331 V17.4.0 (36331-h40.txt) by asn1/extract.py; "
        "do not edit.\nM DEFINITIONS AUTOMATIC TAGS ::=\nBEGIN\nA ::= INTEGER\n"
        "B ::= BOOLEAN\n\nEND\n"
    }


# --- the transformation on a small module -----------------------------------------------------

SMALL = textwrap.dedent(
    """\
    Small-Containers DEFINITIONS AUTOMATIC TAGS ::=
    BEGIN
    maxIEs INTEGER ::= 255
    maxItems INTEGER ::= 4
    id-a IE-ID ::= 1
    id-b IE-ID ::= 2
    id-c IE-ID ::= 3
    Criticality ::= ENUMERATED { reject, ignore, notify }
    Presence ::= ENUMERATED { optional, conditional, mandatory }
    IE-ID ::= INTEGER (0..maxIEs)
    SMALL-IES ::= CLASS {
        &id             IE-ID       UNIQUE,
        &criticality    Criticality DEFAULT ignore,
        &Value,
        &presence       Presence
    }
    WITH SYNTAX {
        ID              &id
        [CRITICALITY    &criticality]
        TYPE            &Value
        PRESENCE        &presence
    }
    Field { SMALL-IES : Set } ::= SEQUENCE {
        id              SMALL-IES.&id           ({Set}),
        criticality     SMALL-IES.&criticality  ({Set}{@id}),
        value           SMALL-IES.&Value        ({Set}{@id})
    }
    List { INTEGER : lb, INTEGER : ub, SMALL-IES : Set } ::=
        SEQUENCE (SIZE (lb..ub)) OF Field {{Set}}
    Opt { T } ::= CHOICE { release NULL, setup T }
    Msg ::= SEQUENCE {
        ies     List { 1, maxItems, {MsgIEs} },
        ...,
        [[ extra    Opt { Level }   OPTIONAL ]]
    }
    ieA SMALL-IES ::= { ID id-a CRITICALITY reject TYPE Level PRESENCE mandatory }
    MsgIEs SMALL-IES ::= { ieA | { ID id-b TYPE Nothing PRESENCE optional } | MoreIEs, ... }
    MoreIEs SMALL-IES ::= { { ID id-c CRITICALITY notify TYPE Inner PRESENCE optional } }
    Inner ::= SEQUENCE { more List { 1, 2, {InnerIEs} } }
    InnerIEs SMALL-IES ::= { ieA }
    Level ::= INTEGER (0..1000)
    Nothing ::= NULL
    END
    """
)

FLAT = textwrap.dedent(
    """\
    Flat DEFINITIONS AUTOMATIC TAGS ::=
    BEGIN
    FField ::= SEQUENCE {
        id INTEGER (0..255), criticality ENUMERATED { reject, ignore, notify }, value OCTET STRING
    }
    FMsg ::= SEQUENCE {
        ies SEQUENCE (SIZE (1..4)) OF FField,
        ...,
        [[ extra CHOICE { release NULL, setup INTEGER (0..1000) } OPTIONAL ]]
    }
    FInner ::= SEQUENCE { more SEQUENCE (SIZE (1..2)) OF FField }
    Level ::= INTEGER (0..1000)
    END
    """
)


@pytest.fixture(scope="module")
def small() -> asn1.Codec:
    return asn1.compile_modules([SMALL], "per")


def test_transformation_instantiates_parameterized_types() -> None:
    spec, plans, sets = asn1.transform_modules([SMALL])
    types = spec["Small-Containers"]["types"]
    assert not {"Field", "List", "Opt"} & set(types)  # parameterized assignments are gone
    ies, marker, group = types["Msg"]["members"]
    assert marker is None  # asn1tools' extension marker
    assert ies["type"] == "SEQUENCE OF" and ies["size"] == [(1, 4)]
    id_, criticality, value = ies["element"]["members"]
    assert (id_["type"], criticality["type"], value["type"]) == (
        "IE-ID",
        "Criticality",
        "OCTET STRING",
    )
    assert value["x-lwip-open"] == {
        "class": "SMALL-IES",
        "field": "&Value",
        "set": ("Small-Containers", "MsgIEs"),
        "key": "id",
    }
    # The type parameter inside an extension addition group (what asn1tools misses by itself).
    (extra,) = group
    assert extra["name"] == "extra" and extra["optional"] is True
    assert extra["type"] == "CHOICE"
    assert [(m["name"], m["type"]) for m in extra["members"]] == [
        ("release", "NULL"),
        ("setup", "Level"),
    ]
    objects = sets[("Small-Containers", "MsgIEs")].objects
    assert [o.fields["&id"] for o in objects] == [1, 2, 3]
    assert [o.fields["&criticality"] for o in objects] == ["reject", "ignore", "notify"]  # DEFAULT
    assert objects[0].name == "ieA" and objects[0].references["&id"] == "id-a"
    assert objects[2].fields["&Value"] == asn1.TypeRef("Small-Containers", "Inner")
    assert ("Small-Containers", "Msg") in plans and ("Small-Containers", "Level") not in plans


def test_open_types_encode_as_length_prefixed_complete_encodings(small: asn1.Codec) -> None:
    flat = asn1.compile_modules([FLAT], "per").spec
    inner = {"more": [{"id": 1, "value": ("Level", 1000)}]}
    value = {
        "ies": [
            {"id": 1, "value": ("Level", 7)},  # criticality filled in from the object
            {"id": 2, "criticality": "ignore", "value": ("Nothing", None)},
            {"id": 3, "value": ("Inner", inner)},
        ],
        "extra": ("setup", 5),
    }
    data = small.encode("Msg", value, check_constraints=True)
    level = flat.encode("Level", 7)
    inner_data = flat.encode(
        "FInner",
        {"more": [{"id": 1, "criticality": "reject", "value": flat.encode("Level", 1000)}]},
    )
    expected = {
        "ies": [
            {"id": 1, "criticality": "reject", "value": level},
            {"id": 2, "criticality": "ignore", "value": b"\x00"},  # empty encoding -> one octet
            {"id": 3, "criticality": "notify", "value": inner_data},
        ],
        "extra": ("setup", 5),
    }
    assert data == flat.encode("FMsg", expected)
    decoded = small.decode("Msg", data)
    assert decoded["ies"][2] == {"id": 3, "criticality": "notify", "value": ("Inner", {
        "more": [{"id": 1, "criticality": "reject", "value": ("Level", 1000)}]
    })}  # fmt: skip
    assert decoded["ies"][1]["value"] == ("Nothing", None)
    assert decoded["extra"] == ("setup", 5)


def test_open_type_errors_and_unknown_keys(small: asn1.Codec) -> None:
    with pytest.raises(asn1.OpenTypeError, match=r"id 1 takes Level, not Nothing"):
        small.encode("Msg", {"ies": [{"id": 1, "value": ("Nothing", None)}]})
    with pytest.raises(asn1.OpenTypeError, match=r"says 'reject'"):
        small.encode("Msg", {"ies": [{"id": 1, "criticality": "ignore", "value": ("Level", 1)}]})
    relaxed = small.encode(
        "Msg", {"ies": [{"id": 1, "criticality": "ignore", "value": ("Level", 1)}]}, strict=False
    )
    assert small.decode("Msg", relaxed)["ies"][0]["criticality"] == "ignore"
    # An id outside the (extensible) object set: the open type stays raw octets both ways.
    unknown = {"ies": [{"id": 200, "criticality": "ignore", "value": b"\x12\x34"}]}
    assert small.decode("Msg", small.encode("Msg", unknown)) == unknown
    named = {"ies": [{"id": 200, "criticality": "ignore", "value": ("Level", 5)}]}
    with pytest.raises(asn1.OpenTypeError, match=r"id 200 is not in MsgIEs"):
        small.encode("Msg", named)
    data = small.encode("Msg", named, strict=False)
    assert small.decode("Msg", data)["ies"][0]["value"] == small.spec.encode("Level", 5)


def test_exact_decoding_refuses_trailing_octets(small: asn1.Codec) -> None:
    value = {"ies": [{"id": 1, "value": ("Level", 7)}, {"id": 2, "value": ("Nothing", None)}]}
    data = small.encode("Msg", value)
    with pytest.raises(asn1.Asn1Error, match="1 octet"):
        small.decode("Msg", data + b"\x00")
    assert small.decode("Msg", data + b"\x00", exact=False) == small.decode("Msg", data)
    # Inside an open type: id 1's value with one octet too many (the length says 3, not 2).
    flat = asn1.compile_modules([FLAT], "per").spec
    padded = flat.encode(
        "FMsg",
        {"ies": [{"id": 1, "criticality": "reject", "value": flat.encode("Level", 7) + b"\x00"}]},
    )
    with pytest.raises(asn1.OpenTypeError, match=r"Msg\.ies\[0\]\.value<Level>: 1 octet"):
        small.decode("Msg", padded)
    assert small.decode("Msg", padded, exact=False)["ies"][0]["value"] == ("Level", 7)


def test_unsupported_notation_is_reported() -> None:
    broken = SMALL.replace("TYPE Level PRESENCE mandatory }", "TYPE SEQUENCE { x NULL } }")
    with pytest.raises(asn1.Asn1TransformError):
        asn1.transform_modules([broken])


# --- RRC --------------------------------------------------------------------------------------


def test_setup_release_compiles_to_release_setup_choice() -> None:
    pdcp = asn1.rrc().types["PDCP-Config"].type
    compiled = {m.name: m for group in pdcp.additions for m in group.root_members}
    for name, setup in (
        ("ethernetHeaderCompression-r16", "EthernetHeaderCompression-r16"),
        ("discardTimerExt-r17", "DiscardTimerExt-r17"),
    ):
        choice = compiled[name]
        assert list(choice.root_name_to_index) == ["release", "setup"]
        assert choice.root_index_to_member[0].type_name == "NULL"
        assert choice.root_index_to_member[1].type_name == setup


def test_setup_release_in_extension_group_matches_pycrate(rrclte: Any) -> None:
    value = {
        "headerCompression": ("notUsed", None),
        "ethernetHeaderCompression-r16": (
            "setup",
            {
                "ehc-Common-r16": {"ehc-CID-Length-r16": "bits15"},
                "ehc-Uplink-r16": {"maxCID-EHC-UL-r16": 300},
            },
        ),
        "discardTimerExt-r17": ("release", None),
    }
    ours = asn1.rrc().encode("PDCP-Config", value, check_constraints=True)
    theirs_type = rrclte.EUTRA_RRC_Definitions.PDCP_Config
    theirs_type.set_val(to_pycrate(value))
    assert ours == theirs_type.to_uper()
    assert asn1.rrc().decode("PDCP-Config", ours) == value


@pytest.mark.parametrize("lwip", [LWIP_SETUP, LWIP_RELEASE], ids=["setup", "release"])
def test_rrc_reconfiguration_with_lwip_matches_pycrate(lwip: Any, rrclte: Any) -> None:
    value = reconfiguration(lwip)
    ours = asn1.rrc().encode("DL-DCCH-Message", value, check_constraints=True)
    message = rrclte.EUTRA_RRC_Definitions.DL_DCCH_Message
    message.set_val(to_pycrate(value))
    theirs = message.to_uper()
    print(f"DL-DCCH-Message lwip-Configuration-r13 {lwip[0]}: {ours.hex()}")
    assert ours == theirs
    assert asn1.rrc().decode("DL-DCCH-Message", theirs) == value
    message.from_uper(ours)
    assert message.get_val() == to_pycrate(value)


# --- XwAP -------------------------------------------------------------------------------------


def test_lwip_addition_request_ie_table_is_the_spec_s() -> None:
    # TS 36.463 V17.0.0 9.3.4 (LWIPAdditionRequestIEs) and 9.3.7 (ProtocolIE-ID values).
    expected = [
        ("id-ENB-UE-XwAP-ID", 25, "reject", "UE-XwAP-ID", "mandatory"),
        ("id-UE-Identity", 30, "reject", "UE-Identity", "mandatory"),
        ("id-LWIP-SeGWSecurityInfo", 69, "reject", "LWIP-SeGWSecurityInfo", "mandatory"),
        ("id-ServingPLMN", 55, "ignore", "PLMN-Identity", "optional"),
        ("id-eNBGTPtunnelEndpoint", 70, "reject", "GTPtunnelEndpoint", "optional"),
        ("id-MobilitySet", 54, "reject", "MobilitySet", "optional"),
    ]
    table = asn1.xwap_ies("LWIPAdditionRequest")
    assert [(s.name, s.id, s.criticality, s.type_name, s.presence) for s in table.values()] == (
        expected
    )
    assert list(table) == [e[1] for e in expected]
    assert asn1.xwap_ies("LWIPAdditionRequestIEs") == table
    assert asn1.xwap().object_set("LWIPAdditionRequestIEs").extensible


def test_procedure_table_is_the_spec_s() -> None:
    # TS 36.463 V17.0.0 9.3.3 (XWAP-ELEMENTARY-PROCEDURES) and 9.3.7 (ProcedureCode values).
    procedures = asn1.xwap_procedures()
    assert sorted(procedures) == list(range(17))
    assert procedures[13] == asn1.ProcedureSpec(
        "lWIPAdditionPreparation", 13, "LWIPAdditionRequest", "LWIPAdditionRequestAcknowledge",
        "LWIPAdditionRequestReject", "reject",
    )  # fmt: skip
    assert procedures[14].initiating == "LWIPModificationRequest"
    assert procedures[15] == asn1.ProcedureSpec(
        "eNBInitiatedLWIPRelease", 15, "LWIPReleaseRequest", None, None, "ignore"
    )  # class 2: no outcome, CRITICALITY ignore
    assert (procedures[16].initiating, procedures[16].successful) == (
        "LWIPReleaseRequired",
        "LWIPReleaseConfirm",
    )
    assert (procedures[0].name, procedures[4].name, procedures[5].name) == (
        "xwSetup",
        "errorIndication",
        "reset",
    )
    spec = asn1.xwap_message("LWIPAdditionRequestReject")
    assert (spec.procedure_code, spec.kind) == (13, "unsuccessfulOutcome")
    assert "radio-connection-with-UE-lost" in asn1.xwap_enumeration("CauseRadioNetwork")


def test_lwip_addition_request_matches_pycrate(pycrate_xwap: Any) -> None:
    value = lwip_addition_request()
    ours = asn1.xwap().encode_pdu(value, check_constraints=True)
    pdu = pycrate_xwap.XwAP_PDU_Descriptions.XwAP_PDU
    pdu.set_val(to_pycrate(value))
    theirs = pdu.to_aper()
    print(f"XwAP LWIPAdditionRequest: {ours.hex()}")
    assert ours == theirs
    assert asn1.xwap().decode_pdu(theirs) == value
    pdu.from_aper(ours)
    assert pdu.get_val() == to_pycrate(value)


def test_message_builder_orders_and_fills_from_the_object_sets() -> None:
    built = asn1.xwap().message(
        "initiatingMessage",
        13,
        {
            69: {"lWIP-PSK": (PSK, 256), "iKE-Initiator-Identity": IDI},
            30: UE_MAC,
            25: b"\x00\x01\x2c",
        },
    )
    assert built == lwip_addition_request()


def test_nested_containers_match_pycrate(pycrate_xwap: Any) -> None:
    value = wt_addition_request()
    ours = asn1.xwap().encode_pdu(value, check_constraints=True)
    pdu = pycrate_xwap.XwAP_PDU_Descriptions.XwAP_PDU
    pdu.set_val(to_pycrate(value))
    assert ours == pdu.to_aper()
    assert asn1.xwap().decode_pdu(ours) == value


def test_lwip_release_request_matches_pycrate(pycrate_xwap: Any) -> None:
    # TS 36.463 9.3.4 LWIPReleaseRequest-IEs: ENB-UE-XwAP-ID (25), WT-UE-XwAP-ID (26), Cause (4).
    value = asn1.xwap().message(
        "initiatingMessage",
        15,
        {
            25: b"\x00\x01\x2c",
            26: b"\x00\x00\x09",
            4: ("radioNetwork", "radio-connection-with-UE-lost"),
        },
    )
    ours = asn1.xwap().encode_pdu(value)
    pdu = pycrate_xwap.XwAP_PDU_Descriptions.XwAP_PDU
    pdu.set_val(to_pycrate(value))
    assert ours == pdu.to_aper()
    assert asn1.xwap().decode_pdu(ours) == value
    assert value[1]["criticality"] == "ignore"
    assert value[1]["value"][1]["protocolIEs"][2]["criticality"] == "ignore"


DIAGNOSTICS = {
    "procedureCode": 13,
    "triggeringMessage": "initiating-message",
    "procedureCriticality": "reject",
    "iEsCriticalityDiagnostics": [
        {"iECriticality": "reject", "iE-ID": 69, "typeOfError": "missing"}
    ],
}
WLAN_ITEM = {
    "wLANInformation": {
        "sSID": b"lwip",
        "iE-Extensions": [
            {"id": 72, "criticality": "reject", "extensionValue": ("WLANUsage", "lWIPonly")}
        ],
    }
}
MORE_PDUS: list[tuple[str, str, int, dict[int, Any]]] = [
    # (label, PDU alternative, procedure code, IE id -> value); ids from TS 36.463 9.3.7
    (
        "xw-setup-request",
        "initiatingMessage",
        0,
        {9: {"pLMNidentity": b"\x00\xf1\x10", "eNB-ID": ("macroENB-ID", (b"\x12\x34\x50", 20))}},
    ),
    (
        "xw-setup-response",
        "successfulOutcome",
        0,
        {
            23: (
                "wTID-Type1",
                {"pLMN-Identity": b"\x00\xf1\x10", "shortWTID": (b"\x01\x02\x03", 24)},
            ),
            18: [{"id": 17, "criticality": "ignore", "value": ("WLANIdentifier-Item", WLAN_ITEM)}],
            7: DIAGNOSTICS,
        },
    ),
    (
        "error-indication",
        "initiatingMessage",
        4,
        {25: b"\x00\x00\x01", 4: ("protocol", "abstract-syntax-error-reject"), 7: DIAGNOSTICS},
    ),
    ("reset", "initiatingMessage", 5, {4: ("misc", "om-intervention")}),
    ("reset-response", "successfulOutcome", 5, {}),
    (
        "lwip-addition-acknowledge",
        "successfulOutcome",
        13,
        {
            25: b"\x00\x00\x01",
            26: b"\x00\x00\x02",
            71: {"transportLayerAddress": (bytes(16), 128), "gTP-TEID": b"\x01\x02\x03\x04"},
        },
    ),
    (
        "lwip-addition-reject",
        "unsuccessfulOutcome",
        13,
        {25: b"\x00\x00\x01", 4: ("radioNetwork", "wLAN-not-available")},
    ),
]


@pytest.mark.parametrize(("label", "kind", "code", "ies"), MORE_PDUS, ids=[p[0] for p in MORE_PDUS])
def test_more_pdus_match_pycrate(
    label: str, kind: asn1.PduKind, code: int, ies: dict[int, Any], pycrate_xwap: Any
) -> None:
    value = asn1.xwap().message(kind, code, ies)
    ours = asn1.xwap().encode_pdu(value, check_constraints=True)
    pdu = pycrate_xwap.XwAP_PDU_Descriptions.XwAP_PDU
    pdu.set_val(to_pycrate(value))
    assert ours == pdu.to_aper(), label
    assert asn1.xwap().decode_pdu(ours) == value
    pdu.from_aper(ours)
    assert pdu.get_val() == to_pycrate(value)


# --- cache ------------------------------------------------------------------------------------

PROBE = textwrap.dedent(
    """\
    import json, logging, sys, time
    start = time.time()
    from lwip_enb import asn1
    kinds = sys.argv[1].split(",")
    if "rrc" in kinds:
        asn1.rrc().encode("DL-DCCH-Message", {MESSAGE!r})
    if "xwap" in kinds:
        asn1.xwap().encode_pdu({PDU!r})
    seconds = time.time() - start
    info = {{k: v.source for k, v in asn1.load_info().items()}}
    print(json.dumps({{"seconds": seconds, "sources": info}}))
    """
)


def run_probe(kinds: str, env: dict[str, str]) -> dict[str, Any]:
    code = PROBE.format(MESSAGE=reconfiguration(LWIP_SETUP), PDU=lwip_addition_request())
    result = subprocess.run(
        [sys.executable, "-c", code, kinds], env=env, capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    parsed["stderr"] = result.stderr
    return parsed


@pytest.mark.subprocess
def test_fresh_process_with_warm_cache_does_not_compile() -> None:
    asn1.rrc()
    asn1.xwap()  # the cache is written now if it was not before
    probe = run_probe("rrc,xwap", dict(os.environ))
    print(f"fresh process, warm cache: first RRC + XwAP encodings after {probe['seconds']:.3f} s")
    assert probe["sources"] == {"rrc": "cache", "xwap": "cache"}


@pytest.fixture
def private_cache(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = dict(os.environ, LWIP_ENB_CACHE=str(tmp_path / "cache"))
    yield env


@pytest.mark.subprocess
def test_cache_written_atomically_and_corruption_tolerated(private_cache: dict[str, str]) -> None:
    cache = Path(private_cache["LWIP_ENB_CACHE"])
    cache.mkdir()
    (cache / "xwap-0123456789abcdef.pickle").write_bytes(b"from another version")
    first = run_probe("xwap", private_cache)
    assert first["sources"] == {"xwap": "compiled"}
    (pickled,) = cache.glob("xwap-*.pickle")  # the stale file is pruned
    assert not list(cache.glob("*.tmp"))
    pickled.write_bytes(pickled.read_bytes()[:1000])  # truncated: a corrupt cache
    second = run_probe("xwap", private_cache)
    assert second["sources"] == {"xwap": "compiled"}
    assert "ignoring unreadable ASN.1 cache" in second["stderr"]
    third = run_probe("xwap", private_cache)
    assert third["sources"] == {"xwap": "cache"}
