"""A JSON view of decoded ASN.1 values, for people and scripts.

Field names are the spec's. SEQUENCE -> object, CHOICE -> ``{alternative: value}``, SEQUENCE OF ->
array, OCTET STRING -> lowercase hex, BIT STRING -> hex when its length is a multiple of 8, else a
string of ``0``/``1``, NULL -> ``null``. Fields that hold an IP address (``ipv4-r13``, ``ipv6-r13``,
``transportLayerAddress``) show it in its usual text form. :func:`xwap_to_json` also names each
XwAP IE id and procedure code, as the ASN.1 modules do.
"""

from __future__ import annotations

import functools
import ipaddress
from typing import Any

JsonValue = Any

_ADDRESS_FIELDS = frozenset({"ipv4-r13", "ipv6-r13", "transportLayerAddress"})


def _bit_string(data: bytes, width: int) -> str:
    if width % 8 == 0:
        return data[: width // 8].hex()
    return format(int.from_bytes(data, "big") >> (len(data) * 8 - width), f"0{width}b")


def _address(data: bytes, width: int) -> JsonValue:
    # transportLayerAddress (36.463) is IPv4 (32), IPv6 (128) or both (160).
    if width == 32:
        return str(ipaddress.IPv4Address(data[:4]))
    if width == 128:
        return str(ipaddress.IPv6Address(data[:16]))
    if width == 160:
        return [str(ipaddress.IPv4Address(data[:4])), str(ipaddress.IPv6Address(data[4:20]))]
    return _bit_string(data, width)


def to_json(value: Any, field: str | None = None) -> JsonValue:
    """Convert an asn1tools value (the shape the codecs return) to plain JSON types."""
    if isinstance(value, dict):
        return {k: to_json(v, k) for k, v in value.items()}
    if isinstance(value, tuple) and len(value) == 2:
        first, second = value
        if isinstance(first, str):
            return {first: to_json(second, first)}
        if isinstance(first, bytes | bytearray) and isinstance(second, int):
            if field in _ADDRESS_FIELDS:
                return _address(bytes(first), second)
            return _bit_string(bytes(first), second)
    if isinstance(value, list | tuple):
        return [to_json(v, field) for v in value]
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    return value


@functools.cache
def xwap_names() -> tuple[dict[int, str], dict[int, str]]:
    """The value references the XwAP modules give IE ids and procedure codes, read from their
    information object sets (``{ ID id-ENB-UE-XwAP-ID ...}``, ``PROCEDURE CODE
    id-lWIPAdditionPreparation``; constants of XwAP-Constants, TS 36.463 9.3.7): (IE id -> name,
    procedure code -> name). An id no object set uses has no name here."""
    from lwip_enb import asn1

    ies: dict[int, str] = {}
    procedures: dict[int, str] = {}
    for objset in asn1.xwap().object_sets.values():
        for obj in objset.objects:
            for field, names in (("&id", ies), ("&procedureCode", procedures)):
                value, name = obj.fields.get(field), obj.references.get(field)
                if isinstance(value, int) and name is not None:
                    names.setdefault(value, name)
    return ies, procedures


def xwap_to_json(value: Any) -> JsonValue:
    """:func:`to_json` of a decoded ``XwAP-PDU``, with the name of each IE id (``"name"``, next
    to ``"id"`` or ``"iE-ID"``) and of the procedure code (``"procedure"``, next to
    ``"procedureCode"``), as the modules spell them; the numbers stay as they are."""
    ies, procedures = xwap_names()

    def named(node: JsonValue) -> JsonValue:
        if isinstance(node, list):
            return [named(v) for v in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, JsonValue] = {}
        for key, v in node.items():
            out[key] = named(v)
            # ProtocolIE-Field and ProtocolExtensionField (id, criticality, value), and the IE
            # of a CriticalityDiagnostics-IE-Item (iE-ID)
            is_ie = key == "iE-ID" or (key == "id" and "criticality" in node)
            if is_ie and isinstance(v, int) and v in ies:
                out["name"] = ies[v]
            elif key == "procedureCode" and isinstance(v, int) and v in procedures:
                out["procedure"] = procedures[v]
        return out

    return named(to_json(value))
