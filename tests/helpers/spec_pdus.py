"""PDUs built with pycrate from values written here by hand from the 3GPP ASN.1, and read back
with pycrate: the peer side of a test, independent of the library's classes and encoders.

IE ids, criticalities and procedure codes are those of TS 36.463 V17.0.0 clause 9.3 (ids in
9.3.7, criticalities in the IE sets of 9.3.4, procedures in 9.3.3); RRC structures are
those of TS 36.331 V17.4.0 clause 6.2.2.
"""

from __future__ import annotations

from typing import Any

from helpers import pycrate_oracle as oracle

# TS 36.463 9.3.7: ProtocolIE-ID values
ID_CAUSE = 4
ID_GLOBAL_ENB_ID = 9
ID_ENB_UE_XWAP_ID = 25
ID_WT_UE_XWAP_ID = 26
ID_UE_IDENTITY = 30
ID_LWIP_SEGW_SECURITY_INFO = 69

# TS 36.463 9.3.7: ProcedureCode values
XW_SETUP = 0
ERROR_INDICATION = 4
RESET = 5
LWIP_ADDITION_PREPARATION = 13
ENB_INITIATED_LWIP_RELEASE = 15
WT_INITIATED_LWIP_RELEASE = 16


def _ue_id(value: int) -> bytes:
    return value.to_bytes(3, "big")  # UE-XwAP-ID ::= OCTET STRING (SIZE (3))


def _pdu(kind: str, code: int, criticality: str, message: str, ies: list[Any]) -> bytes:
    return oracle.xwap_encode(
        (
            kind,
            {
                "procedureCode": code,
                "criticality": criticality,
                "value": (message, {"protocolIEs": ies}),
            },
        )
    )


def xw_setup_request(plmn: bytes = b"\x00\xf1\x10", enb_id: int = 0x1234) -> bytes:
    """Xw SETUP REQUEST (9.1.1): Global eNB ID only."""
    global_enb = {"pLMNidentity": plmn, "eNB-ID": ("macroENB-ID", (enb_id, 20))}
    ies = [
        {"id": ID_GLOBAL_ENB_ID, "criticality": "reject", "value": ("Global-ENB-ID", global_enb)}
    ]
    return _pdu("initiatingMessage", XW_SETUP, "reject", "XwSetupRequest", ies)


def xw_setup_response(short_wt_id: int = 1, ssid: bytes = b"lwip") -> bytes:
    """Xw SETUP RESPONSE (9.1.2): WT ID (type 1) and one WLAN identifier."""
    wt_id = ("wTID-Type1", {"pLMN-Identity": b"\x00\xf1\x10", "shortWTID": (short_wt_id, 24)})
    wlan = [
        {
            "id": 17,  # id-WLANIdentifier-Item, ignore
            "criticality": "ignore",
            "value": ("WLANIdentifier-Item", {"wLANInformation": {"sSID": ssid}}),
        }
    ]
    ies = [
        {"id": 23, "criticality": "reject", "value": ("WTID", wt_id)},
        {"id": 18, "criticality": "reject", "value": ("WLANIdentifier-List", wlan)},
    ]
    return _pdu("successfulOutcome", XW_SETUP, "reject", "XwSetupResponse", ies)


def reset(cause: tuple[str, str] = ("misc", "om-intervention")) -> bytes:
    """RESET (9.1.12): Cause only."""
    ies = [{"id": ID_CAUSE, "criticality": "ignore", "value": ("Cause", cause)}]
    return _pdu("initiatingMessage", RESET, "reject", "Reset", ies)


def lwip_addition_request(enb_ue_id: int, wlan_mac: bytes, psk: bytes, idi: bytes) -> bytes:
    """LWIP ADDITION REQUEST (9.1.27): eNB UE XwAP ID, UE Identity, LWIP-SeGW Security Info."""
    security = {"lWIP-PSK": (int.from_bytes(psk, "big"), 256), "iKE-Initiator-Identity": idi}
    ies = [
        {
            "id": ID_ENB_UE_XWAP_ID,
            "criticality": "reject",
            "value": ("UE-XwAP-ID", _ue_id(enb_ue_id)),
        },
        {"id": ID_UE_IDENTITY, "criticality": "reject", "value": ("UE-Identity", wlan_mac)},
        {
            "id": ID_LWIP_SEGW_SECURITY_INFO,
            "criticality": "reject",
            "value": ("LWIP-SeGWSecurityInfo", security),
        },
    ]
    return _pdu(
        "initiatingMessage", LWIP_ADDITION_PREPARATION, "reject", "LWIPAdditionRequest", ies
    )


def lwip_addition_request_acknowledge(enb_ue_id: int, wt_ue_id: int) -> bytes:
    """LWIP ADDITION REQUEST ACKNOWLEDGE (9.1.28): both UE XwAP IDs."""
    ies = [
        {
            "id": ID_ENB_UE_XWAP_ID,
            "criticality": "ignore",
            "value": ("UE-XwAP-ID", _ue_id(enb_ue_id)),
        },
        {
            "id": ID_WT_UE_XWAP_ID,
            "criticality": "ignore",
            "value": ("UE-XwAP-ID", _ue_id(wt_ue_id)),
        },
    ]
    return _pdu(
        "successfulOutcome",
        LWIP_ADDITION_PREPARATION,
        "reject",
        "LWIPAdditionRequestAcknowledge",
        ies,
    )


def lwip_release_required(
    enb_ue_id: int, wt_ue_id: int, cause: tuple[str, str] = ("misc", "om-intervention")
) -> bytes:
    """LWIP RELEASE REQUIRED (9.1.34): both UE XwAP IDs and a Cause."""
    ies = [
        {
            "id": ID_ENB_UE_XWAP_ID,
            "criticality": "reject",
            "value": ("UE-XwAP-ID", _ue_id(enb_ue_id)),
        },
        {
            "id": ID_WT_UE_XWAP_ID,
            "criticality": "reject",
            "value": ("UE-XwAP-ID", _ue_id(wt_ue_id)),
        },
        {"id": ID_CAUSE, "criticality": "ignore", "value": ("Cause", cause)},
    ]
    return _pdu(
        "initiatingMessage", WT_INITIATED_LWIP_RELEASE, "reject", "LWIPReleaseRequired", ies
    )


def read(pdu: bytes) -> tuple[str, int, str, str, dict[int, Any]]:
    """(PDU alternative, procedure code, criticality, message name, {IE id: IE value}) of an
    XwAP PDU, as pycrate decodes it."""
    kind, body = oracle.xwap_decode(pdu)
    name, content = body["value"]
    ies = {ie["id"]: ie["value"][1] for ie in content["protocolIEs"]}
    return kind, body["procedureCode"], body["criticality"], name, ies


def ue_id(octets: bytes) -> int:
    """A UE-XwAP-ID IE value as an integer."""
    return int.from_bytes(octets, "big")


# --- RRC (TS 36.331 6.2.2) ---------------------------------------------------------------------


def reconfiguration_complete(transaction_id: int) -> bytes:
    """UL-DCCH RRCConnectionReconfigurationComplete with ``rrc-TransactionIdentifier``."""
    value = {
        "message": (
            "c1",
            (
                "rrcConnectionReconfigurationComplete",
                {
                    "rrc-TransactionIdentifier": transaction_id,
                    "criticalExtensions": ("rrcConnectionReconfigurationComplete-r8", {}),
                },
            ),
        )
    }
    return oracle.rrc_encode("ul-dcch", value)


def read_dl_dcch(pdu: bytes) -> tuple[str, dict[str, Any]]:
    """(message name, body) of a DL-DCCH message, as pycrate decodes it."""
    _c1, (name, body) = oracle.rrc_decode("dl-dcch", pdu)["message"]
    return name, body


def handover_command(transaction_id: int, target_pci: int, new_crnti: int) -> bytes:
    """DL-DCCH RRCConnectionReconfiguration with mobilityControlInfo (36.331 5.3.5.4), the
    mandatory fields of MobilityControlInfo and RadioResourceConfigCommon only."""
    mobility = {
        "targetPhysCellId": target_pci,
        "t304": "ms1000",
        "newUE-Identity": (new_crnti, 16),
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
    value = {
        "message": (
            "c1",
            (
                "rrcConnectionReconfiguration",
                {
                    "rrc-TransactionIdentifier": transaction_id,
                    "criticalExtensions": (
                        "c1",
                        ("rrcConnectionReconfiguration-r8", {"mobilityControlInfo": mobility}),
                    ),
                },
            ),
        )
    }
    return oracle.rrc_encode("dl-dcch", value)
