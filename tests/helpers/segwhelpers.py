"""The reference SeGW driven as an eNB would drive it, with PDUs built by pycrate
(helpers/spec_pdus.py), and its answers read back with pycrate."""

from __future__ import annotations

from typing import Any

from helpers import spec_pdus as pdus
from lwip_enb.peers import segw_outputs as out
from lwip_enb.peers.segw import EnbInterface, SegwConfig, SegwModel

ENB = "enb"
MAC = bytes.fromhex("020000000001")


def psk(n: int) -> bytes:
    return bytes([n]) * 32


def idi(n: int) -> bytes:
    return bytes([n]) * 16


def ready_segw(config: SegwConfig | None = None, now: float = 0.0) -> SegwModel:
    """A SeGW whose Xw Setup with ``ENB`` has completed."""
    segw = SegwModel(config)
    segw.add_enb(ENB, EnbInterface("198.51.100.1"))
    (reply,) = sent(segw.receive_xwap(ENB, pdus.xw_setup_request(), now))
    assert reply[3] == "XwSetupResponse", reply
    return segw


def add(segw: SegwModel, n: int, now: float = 0.0, enb_ue_id: int | None = None) -> int:
    """LWIP ADDITION REQUEST for UE ``n`` (eNB UE XwAP ID ``n`` unless given, PSK and IDi of
    ``n``); returns the WT UE XwAP ID of the acknowledge."""
    enb_ue_id = n if enb_ue_id is None else enb_ue_id
    request = pdus.lwip_addition_request(enb_ue_id, MAC, psk(n), idi(n))
    (reply,) = sent(segw.receive_xwap(ENB, request, now))
    assert reply[3] == "LWIPAdditionRequestAcknowledge", reply
    assert pdus.ue_id(reply[4][pdus.ID_ENB_UE_XWAP_ID]) == enb_ue_id
    return pdus.ue_id(reply[4][pdus.ID_WT_UE_XWAP_ID])


def sent(outputs: list[Any]) -> list[tuple[str, int, str, str, dict[int, Any]]]:
    """What the SeGW sent, each PDU as pycrate reads it (helpers/spec_pdus.read)."""
    return [pdus.read(o.pdu) for o in outputs if isinstance(o, out.SendXwap)]


def deleted(outputs: list[Any]) -> dict[bytes, out.ReleaseReason]:
    """IDi -> reason of every PSK the outputs say was deleted."""
    return {o.idi: o.reason for o in outputs if isinstance(o, out.PskDeleted)}


def ids(pdu: tuple[str, int, str, str, dict[int, Any]]) -> tuple[int | None, int | None]:
    """The (eNB, WT) UE XwAP IDs of a PDU read by pycrate, None where absent."""
    ies = pdu[4]
    enb = ies.get(pdus.ID_ENB_UE_XWAP_ID)
    wt = ies.get(pdus.ID_WT_UE_XWAP_ID)
    return (
        pdus.ue_id(enb) if enb is not None else None,
        pdus.ue_id(wt) if wt is not None else None,
    )
