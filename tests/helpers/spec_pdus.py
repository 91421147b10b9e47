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
ID_WLAN_IDENTIFIER_ITEM = 17
ID_WLAN_IDENTIFIER_LIST = 18
ID_WLAN_IDENTIFIERS_TO_ADD_LIST = 19
ID_WLAN_IDENTIFIERS_TO_DELETE_LIST = 21
ID_WLAN_IDENTIFIERS_TO_MODIFY_LIST = 22
ID_WTID = 23
ID_ENB_UE_XWAP_ID = 25
ID_WT_UE_XWAP_ID = 26
ID_UE_IDENTITY = 30
ID_MOBILITY_SET = 54
ID_SERVING_PLMN = 55
ID_WLAN_IDENTIFIERS_TO_DELETE_EXTENSION_LIST = 62
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


def xw_setup_response(
    short_wt_id: int = 1, ssid: bytes = b"lwip", usage: str | None = "lWAandLWIP"
) -> bytes:
    """Xw SETUP RESPONSE (9.1.2): WT ID (type 1) and one WLAN identifier, offered for LWIP
    (WLAN Usage, 9.2.31) unless ``usage`` is None (then for LWA only, 8.2.2)."""
    wt_id = ("wTID-Type1", {"pLMN-Identity": b"\x00\xf1\x10", "shortWTID": (short_wt_id, 24)})
    wlan = [wlan_item(ssid, usage)]
    ies = [
        {"id": 23, "criticality": "reject", "value": ("WTID", wt_id)},
        {"id": 18, "criticality": "reject", "value": ("WLANIdentifier-List", wlan)},
    ]
    return _pdu("successfulOutcome", XW_SETUP, "reject", "XwSetupResponse", ies)


def reset(cause: tuple[str, str] = ("misc", "om-intervention")) -> bytes:
    """RESET (9.1.12): Cause only."""
    ies = [{"id": ID_CAUSE, "criticality": "ignore", "value": ("Cause", cause)}]
    return _pdu("initiatingMessage", RESET, "reject", "Reset", ies)


def _ue_ids(enb_ue_id: int, wt_ue_id: int, criticality: str) -> list[Any]:
    return [
        {
            "id": ID_ENB_UE_XWAP_ID,
            "criticality": criticality,
            "value": ("UE-XwAP-ID", _ue_id(enb_ue_id)),
        },
        {
            "id": ID_WT_UE_XWAP_ID,
            "criticality": criticality,
            "value": ("UE-XwAP-ID", _ue_id(wt_ue_id)),
        },
    ]


def _mobility_set(wlans: list[dict[str, bytes]]) -> dict[str, Any]:
    """Mobility Set IE (9.2.28): MobilitySetItems with bSSID / sSID / hESSID (reject)."""
    return {"id": ID_MOBILITY_SET, "criticality": "reject", "value": ("MobilitySet", wlans)}


def lwip_addition_request(
    enb_ue_id: int,
    wlan_mac: bytes,
    psk: bytes,
    idi: bytes,
    mobility_set: list[dict[str, bytes]] | None = None,
    *,
    without_security: bool = False,
) -> bytes:
    """LWIP ADDITION REQUEST (9.1.27): eNB UE XwAP ID, UE Identity, LWIP-SeGW Security Info;
    a Mobility Set if given. ``without_security`` leaves out the mandatory LWIP-SeGW Security
    Info (criticality reject)."""
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
    if without_security:
        ies.pop()
    if mobility_set is not None:
        ies.append(_mobility_set(mobility_set))
    return _pdu(
        "initiatingMessage", LWIP_ADDITION_PREPARATION, "reject", "LWIPAdditionRequest", ies
    )


def lwip_modification_request(
    enb_ue_id: int,
    wt_ue_id: int,
    cause: tuple[str, str] = ("radioNetwork", "unspecified"),
    serving_plmn: bytes | None = None,
    mobility_set: list[dict[str, bytes]] | None = None,
) -> bytes:
    """LWIP MODIFICATION REQUEST (9.1.30): both UE XwAP IDs (reject), Cause (ignore), Serving
    PLMN (ignore) and Mobility Set (reject) if given."""
    ies = [
        *_ue_ids(enb_ue_id, wt_ue_id, "reject"),
        {"id": ID_CAUSE, "criticality": "ignore", "value": ("Cause", cause)},
    ]
    if serving_plmn is not None:
        ies.append(
            {
                "id": ID_SERVING_PLMN,
                "criticality": "ignore",
                "value": ("PLMN-Identity", serving_plmn),
            }
        )
    if mobility_set is not None:
        ies.append(_mobility_set(mobility_set))
    return _pdu(
        "initiatingMessage",
        ENB_INITIATED_LWIP_MODIFICATION,
        "reject",
        "LWIPModificationRequest",
        ies,
    )


def lwip_release_request(
    enb_ue_id: int, wt_ue_id: int, cause: tuple[str, str] = ("radioNetwork", "unspecified")
) -> bytes:
    """LWIP RELEASE REQUEST (9.1.33): both UE XwAP IDs (reject) and a Cause (ignore); class 2,
    procedure criticality ignore."""
    ies = [
        *_ue_ids(enb_ue_id, wt_ue_id, "reject"),
        {"id": ID_CAUSE, "criticality": "ignore", "value": ("Cause", cause)},
    ]
    return _pdu(
        "initiatingMessage", ENB_INITIATED_LWIP_RELEASE, "ignore", "LWIPReleaseRequest", ies
    )


def lwip_release_confirm(enb_ue_id: int, wt_ue_id: int) -> bytes:
    """LWIP RELEASE CONFIRM (9.1.35): both UE XwAP IDs (ignore)."""
    return _pdu(
        "successfulOutcome",
        WT_INITIATED_LWIP_RELEASE,
        "reject",
        "LWIPReleaseConfirm",
        _ue_ids(enb_ue_id, wt_ue_id, "ignore"),
    )


def wt_configuration_update_acknowledge() -> bytes:
    """WT CONFIGURATION UPDATE ACKNOWLEDGE (9.1.5): no IE."""
    return _pdu(
        "successfulOutcome",
        WT_CONFIGURATION_UPDATE,
        "reject",
        "WTConfigurationUpdateAcknowledge",
        [],
    )


def wt_configuration_update_failure(
    cause: tuple[str, str] = ("misc", "om-intervention"), time_to_wait: str | None = None
) -> bytes:
    """WT CONFIGURATION UPDATE FAILURE (9.1.6): Cause, and Time To Wait (``"v10s"``...) if
    given (both ignore)."""
    ies: list[Any] = [{"id": ID_CAUSE, "criticality": "ignore", "value": ("Cause", cause)}]
    if time_to_wait is not None:
        ies.append(
            {"id": ID_TIME_TO_WAIT, "criticality": "ignore", "value": ("TimeToWait", time_to_wait)}
        )
    return _pdu(
        "unsuccessfulOutcome",
        WT_CONFIGURATION_UPDATE,
        "reject",
        "WTConfigurationUpdateFailure",
        ies,
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


def wlan_status(status: str) -> bytes:
    """UL-DCCH WLANConnectionStatusReport-r13 with ``wlan-Status-r13`` ``status`` (36.331 6.2.2)."""
    ies = {"wlan-Status-r13": status}
    report = {"criticalExtensions": ("c1", ("wlanConnectionStatusReport-r13", ies))}
    c2 = ("c2", ("wlanConnectionStatusReport-r13", report))
    value = {"message": ("messageClassExtension", c2)}
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


# --- more of TS 36.463 9.1 / 9.3.4, for the review tests ---------------------------------------

ID_CRITICALITY_DIAGNOSTICS = 7
ID_LWIP_SEGW_GTP_ENDPOINT = 71  # id-LWIP-SeGWGTPtunnelEndpoint (9.3.7)
ID_TIME_TO_WAIT = 63
ID_WLAN_USAGE = 72  # id-WLANUsage, an extension of WLANInformation (9.2.7, 9.3.5)
WT_CONFIGURATION_UPDATE = 1
ENB_INITIATED_LWIP_MODIFICATION = 14


def _id_ie(ie_id: int, criticality: str, value: int) -> dict[str, Any]:
    return {"id": ie_id, "criticality": criticality, "value": ("UE-XwAP-ID", _ue_id(value))}


def wlan_item(ssid: bytes, usage: str | None) -> dict[str, Any]:
    """One ProtocolIE-SingleContainer of WLANIdentifier-List: WLAN Information with an SSID and,
    if given, WLAN Usage (9.2.31: lWAandLWIP or lWIPonly)."""
    info: dict[str, Any] = {"sSID": ssid}
    if usage is not None:
        info["iE-Extensions"] = [
            {"id": ID_WLAN_USAGE, "criticality": "reject", "extensionValue": ("WLANUsage", usage)}
        ]
    return {
        "id": 17,  # id-WLANIdentifier-Item, ignore
        "criticality": "ignore",
        "value": ("WLANIdentifier-Item", {"wLANInformation": info}),
    }


def xw_setup_response_with(wlans: list[dict[str, Any]], short_wt_id: int = 1) -> bytes:
    """Xw SETUP RESPONSE (9.1.2) with these WLANIdentifier-List items."""
    wt_id = ("wTID-Type1", {"pLMN-Identity": b"\x00\xf1\x10", "shortWTID": (short_wt_id, 24)})
    ies = [
        {"id": 23, "criticality": "reject", "value": ("WTID", wt_id)},
        {"id": 18, "criticality": "reject", "value": ("WLANIdentifier-List", wlans)},
    ]
    return _pdu("successfulOutcome", XW_SETUP, "reject", "XwSetupResponse", ies)


def xw_setup_failure(
    cause: tuple[str, str] = ("misc", "control-processing-overload"),
    time_to_wait: str | None = None,
) -> bytes:
    """Xw SETUP FAILURE (9.1.3): Cause and, if given, Time To Wait (v1s ... v60s)."""
    ies: list[Any] = [{"id": ID_CAUSE, "criticality": "ignore", "value": ("Cause", cause)}]
    if time_to_wait is not None:
        ies.append(
            {"id": ID_TIME_TO_WAIT, "criticality": "ignore", "value": ("TimeToWait", time_to_wait)}
        )
    return _pdu("unsuccessfulOutcome", XW_SETUP, "reject", "XwSetupFailure", ies)


def reset_without_cause() -> bytes:
    """RESET (9.1.12) without its one IE, the Cause (mandatory, criticality ignore)."""
    return _pdu("initiatingMessage", RESET, "reject", "Reset", [])


def lwip_addition_request_acknowledge_with_gtp(
    enb_ue_id: int, wt_ue_id: int, address: int, teid: bytes
) -> bytes:
    """LWIP ADDITION REQUEST ACKNOWLEDGE (9.1.28) with the LWIP-SeGW GTP Tunnel Endpoint (an
    IPv4 transport layer address, 9.2.14)."""
    gtp = {"transportLayerAddress": (address, 32), "gTP-TEID": teid}
    ies = [
        _id_ie(ID_ENB_UE_XWAP_ID, "ignore", enb_ue_id),
        _id_ie(ID_WT_UE_XWAP_ID, "ignore", wt_ue_id),
        {
            "id": ID_LWIP_SEGW_GTP_ENDPOINT,
            "criticality": "reject",
            "value": ("GTPtunnelEndpoint", gtp),
        },
    ]
    return _pdu(
        "successfulOutcome",
        LWIP_ADDITION_PREPARATION,
        "reject",
        "LWIPAdditionRequestAcknowledge",
        ies,
    )


def error_indication(
    enb_ue_id: int | None,
    wt_ue_id: int | None,
    cause: tuple[str, str],
    procedure_code: int | None = None,
) -> bytes:
    """ERROR INDICATION (9.1.13): the UE XwAP IDs, a Cause and, with a procedure code,
    Criticality Diagnostics naming it."""
    ies: list[Any] = []
    if enb_ue_id is not None:
        ies.append(_id_ie(ID_ENB_UE_XWAP_ID, "ignore", enb_ue_id))
    if wt_ue_id is not None:
        ies.append(_id_ie(ID_WT_UE_XWAP_ID, "ignore", wt_ue_id))
    ies.append({"id": ID_CAUSE, "criticality": "ignore", "value": ("Cause", cause)})
    if procedure_code is not None:
        diagnostics = {"procedureCode": procedure_code, "triggeringMessage": "initiating-message"}
        ies.append(
            {
                "id": ID_CRITICALITY_DIAGNOSTICS,
                "criticality": "ignore",
                "value": ("CriticalityDiagnostics", diagnostics),
            }
        )
    return _pdu("initiatingMessage", ERROR_INDICATION, "ignore", "ErrorIndication", ies)


def wt_configuration_update(
    to_add: list[dict[str, Any]] | None = None,
    to_modify: list[dict[str, Any]] | None = None,
    to_delete_bssids: list[bytes] | None = None,
) -> bytes:
    """WT CONFIGURATION UPDATE (9.1.4): WLAN Identifiers To Add / To Modify (WLANIdentifier-List
    items as :func:`wlan_item` makes) and To Delete (by BSSID)."""
    ies: list[Any] = []
    if to_add:
        ies.append({"id": 19, "criticality": "reject", "value": ("WLANIdentifier-List", to_add)})
    if to_modify:
        ies.append({"id": 22, "criticality": "reject", "value": ("WLANIdentifier-List", to_modify)})
    if to_delete_bssids:
        items = [
            {
                "id": 20,  # id-WLANIdentifiersToDelete-Item, ignore
                "criticality": "ignore",
                "value": ("WLANIdentifiersToDelete-Item", {"bSSID": b}),
            }
            for b in to_delete_bssids
        ]
        ies.append(
            {"id": 21, "criticality": "reject", "value": ("WLANIdentifiersToDelete-List", items)}
        )
    return _pdu(
        "initiatingMessage", WT_CONFIGURATION_UPDATE, "reject", "WTConfigurationUpdate", ies
    )


def lwip_modification_answer(enb_ue_id: int, wt_ue_id: int, cause: tuple[str, str] | None) -> bytes:
    """LWIP MODIFICATION REQUEST ACKNOWLEDGE (9.1.30), or REJECT (9.1.31) with ``cause``."""
    ies: list[Any] = [
        _id_ie(ID_ENB_UE_XWAP_ID, "ignore", enb_ue_id),
        _id_ie(ID_WT_UE_XWAP_ID, "ignore", wt_ue_id),
    ]
    if cause is None:
        return _pdu(
            "successfulOutcome",
            ENB_INITIATED_LWIP_MODIFICATION,
            "reject",
            "LWIPModificationRequestAcknowledge",
            ies,
        )
    ies.append({"id": ID_CAUSE, "criticality": "ignore", "value": ("Cause", cause)})
    return _pdu(
        "unsuccessfulOutcome",
        ENB_INITIATED_LWIP_MODIFICATION,
        "reject",
        "LWIPModificationRequestReject",
        ies,
    )


def with_extra_ie(pdu: bytes, ie_id: int, criticality: str, value: bytes = b"\x00") -> bytes:
    """``pdu`` with one more IE at the end, of an id this version does not know (pycrate cannot
    encode an IE outside the set). APER: the PDU's first three octets, the open type's length
    in one octet (a short PDU), the message's extension bit and IE count in three octets, the
    IEs; an IE is its id in two octets, the criticality in the top two bits of one octet, the
    length and the value."""
    assert pdu[3] == len(pdu) - 4 < 0x7F, "a PDU whose open type has a one-octet length"
    count = int.from_bytes(pdu[5:7], "big")
    crit = {"reject": 0x00, "ignore": 0x40, "notify": 0x80}[criticality]
    extra = ie_id.to_bytes(2, "big") + bytes([crit, len(value)]) + value
    body = pdu[4:5] + (count + 1).to_bytes(2, "big") + pdu[7:] + extra
    return pdu[:3] + bytes([len(body)]) + body


def with_cause_extension_value(pdu: bytes) -> bytes:
    """``pdu``, whose last IE is a one-octet Cause ``misc``, with that Cause replaced by an
    extension value of CauseMisc that 36.463 V17.0.0 does not define (index 5 of the
    additions): CHOICE extension bit 0, misc (index 3), ENUMERATED extension bit 1, then the
    index as a normally small number 0 000101 -> 0111 0000 1010 0000."""
    assert pdu[-5:-1] == bytes([0x00, ID_CAUSE, 0x40, 0x01]), "a one-octet Cause last"
    assert pdu[3] == len(pdu) - 4 < 0x7F
    changed = pdu[:-2] + bytes([0x02]) + bytes.fromhex("70a0")
    return changed[:3] + bytes([changed[3] + 1]) + changed[4:]
