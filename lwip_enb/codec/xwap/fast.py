"""Hand-specialised APER (X.691, ALIGNED) for the typed XwAP messages of :mod:`.messages`.

The general codec (:mod:`.general`, asn1tools driven by the verbatim 36.463 modules) handles any
XwAP value, but it walks the type tree for every field and decodes each open type twice. The
messages this library sends and receives have a fixed shape, so this module writes and reads
their octets directly, with the bit fields of :mod:`lwip_enb.codec.per`:

* :func:`encode` returns the APER octets of a typed message, or ``None`` for what it does not
  handle (IEs kept as :class:`~.messages.RawIe`, values that would need a fragmented length,
  anything outside a constraint); :func:`lwip_enb.codec.xwap.encode` then asks the general
  codec, which also raises the errors.
* :func:`decode` returns the typed message only for an exact, canonical encoding of a message it
  knows: the spec's procedure criticality, only IEs the class models, each with the criticality
  its object set gives, no extension additions, zero padding bits, canonical lengths, nothing
  after the last octet. On anything else it returns ``None`` and the general decoder decides,
  with the diagnostics of 36.463 clause 10.

:data:`FAST_CODECS` holds the encoder and decoder of each typed message class. Procedure codes,
IE ids, criticalities and enumeration values are read from the compiled modules
(:mod:`lwip_enb.asn1`) when a message class is first used, never written here; what is written
here is the PER layout of each IE type, with its ASN.1 definition quoted beside it. The tests
hold both paths to pycrate's bytes and check that this decoder never accepts what the general
one would not.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias

from lwip_enb import asn1
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.per import (
    EMPTY,
    FastCodec,
    Unhandled,
    align,
    end_aligned,
    length_octets,
    put_aligned_length,
    put_aligned_octets,
    read_length,
    take_align,
    take_aligned_length,
    take_aligned_octets,
    to_bytes,
)
from lwip_enb.codec.xwap.messages import (
    MESSAGE_CLASSES,
    TIME_TO_WAIT_S,
    Cause,
    CauseGroup,
    Criticality,
    CriticalityDiagnostics,
    EnbIdKind,
    GlobalEnbId,
    GtpTunnelEndpoint,
    IeDiagnostic,
    IpAddress,
    MessageKind,
    SeGwSecurityInfo,
    WlanInformation,
    WlanUsage,
    WtId,
    XwapMessage,
    message_info,
)
from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import KeyMaterial

__all__ = ["FAST_CODECS", "decode", "encode"]

#: What a malformed or unexpected input can raise while a decoder takes it apart.
_NOT_DECODED: Final = (Unhandled, InvalidFieldError, KeyError, ValueError, TypeError, IndexError)


# --- enumerations ----------------------------------------------------------------------------


@functools.cache
def _enum(
    type_name: str,
) -> tuple[dict[str, tuple[bool, int]], int, tuple[str, ...], tuple[str, ...]]:
    """value -> (is extension addition, index); the root's index width; root; additions."""
    root, additions = asn1.xwap_enumeration_parts(type_name)
    index = {v: (False, i) for i, v in enumerate(root)}
    index.update({v: (True, i) for i, v in enumerate(additions)})
    return index, max(len(root) - 1, 0).bit_length(), root, additions


def _put_enum(acc: int, type_name: str, value: str, extensible: bool) -> int:
    """ENUMERATED (X.691 14): [extension bit] root index, or extension bit 1 and a normally small
    non-negative whole number (X.691 11.6) for an addition."""
    index, width, _root, _additions = _enum(type_name)
    is_addition, i = index[value]
    if is_addition:
        if i >= 64:
            raise Unhandled("large enumeration addition index")
        return acc << 8 | 0b10 << 6 | i  # extension bit 1, then 0 and six bits
    if extensible:
        return acc << 1 + width | i  # extension bit 0
    return acc << width | i


def _take_enum(v: int, rest: int, type_name: str, extensible: bool) -> tuple[str, int]:
    _index, width, root, additions = _enum(type_name)
    if extensible:
        rest -= 1
        if v >> rest & 1:
            rest -= 7
            i = v >> rest & 0x7F
            if i >= 64:
                raise Unhandled("large enumeration addition index")
            return additions[i], rest
    rest -= width
    return root[v >> rest & (1 << width) - 1], rest


# --- IE value types (36.463 9.2) ---------------------------------------------------------------
# Each pair writes / reads one complete encoding, the contents of the IE's open type.


def _ue_id_enc(v: int) -> bytes:
    # UE-XwAP-ID ::= OCTET STRING (SIZE (3))
    return v.to_bytes(3, "big")


def _ue_id_dec(data: bytes) -> int:
    if len(data) != 3:
        raise Unhandled("UE-XwAP-ID size")
    return int.from_bytes(data, "big")


def _fixed_octets(size: int) -> tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]:
    # UE-Identity ::= OCTET STRING (SIZE (6)); PLMN-Identity ::= OCTET STRING (SIZE(3))
    def enc(v: bytes) -> bytes:
        if len(v) != size:
            raise Unhandled("size")
        return bytes(v)

    def dec(data: bytes) -> bytes:
        if len(data) != size:
            raise Unhandled("size")
        return data

    return enc, dec


def _security_enc(v: SeGwSecurityInfo) -> bytes:
    # LWIP-SeGWSecurityInfo ::= SEQUENCE { lWIP-PSK BIT STRING (SIZE(256)),
    #   iKE-Initiator-Identity OCTET STRING, iE-Extensions ... OPTIONAL, ... }
    # extension bit and the iE-Extensions presence bit are 0, then the aligned PSK.
    psk = v.psk.reveal()
    return b"\x00" + psk + length_octets(len(v.idi)) + v.idi


def _security_dec(data: bytes) -> SeGwSecurityInfo:
    if len(data) < 34 or data[0] != 0:
        raise Unhandled("LWIP-SeGWSecurityInfo preamble")
    n, i = read_length(data, 33)
    if i + n != len(data):
        raise Unhandled("LWIP-SeGWSecurityInfo length")
    return SeGwSecurityInfo(KeyMaterial(data[1:33]), data[i:])


def _put_address(acc: int, address: IpAddress) -> int:
    # TransportLayerAddress ::= BIT STRING (SIZE(1..160, ...)): extension bit 0, the size less
    # one in 8 bits (range 160), then the bits, octet-aligned.
    packed = address.packed
    return put_aligned_octets(acc << 9 | len(packed) * 8 - 1, packed)


def _take_address(data: bytes, v: int, rest: int) -> tuple[IpAddress, int]:
    rest -= 9
    head = v >> rest & 0x1FF
    if head == 31:
        packed, rest = take_aligned_octets(data, v, rest, 4)
        return ipaddress.IPv4Address(packed), rest
    if head == 127:
        packed, rest = take_aligned_octets(data, v, rest, 16)
        return ipaddress.IPv6Address(packed), rest
    raise Unhandled("TransportLayerAddress size extension or width")


def _gtp_enc(v: GtpTunnelEndpoint) -> bytes:
    # GTPtunnelEndpoint ::= SEQUENCE { transportLayerAddress, gTP-TEID OCTET STRING (SIZE (4)),
    #   iE-Extensions OPTIONAL, ... }: extension bit 0, iE-Extensions absent
    acc = _put_address(EMPTY << 2, v.address)
    return to_bytes(put_aligned_octets(acc, v.teid))


def _gtp_dec(data: bytes) -> GtpTunnelEndpoint:
    v, rest = int.from_bytes(data, "big"), 8 * len(data) - 2
    if v >> rest & 0b11:
        raise Unhandled("GTPtunnelEndpoint extension")
    address, rest = _take_address(data, v, rest)
    teid, rest = take_aligned_octets(data, v, rest, 4)
    end_aligned(v, rest)
    return GtpTunnelEndpoint(address, teid)


def _put_wlan_fields(acc: int, v: WlanIdentifiers) -> int:
    # SSID ::= OCTET STRING (SIZE (1..32)): size less one in 5 bits, then aligned octets;
    # BSSID, HESSID ::= OCTET STRING (SIZE(6)): aligned.
    if v.ssid is not None:
        acc = put_aligned_octets(acc << 5 | len(v.ssid) - 1, v.ssid)
    if v.hessid is not None:
        acc = put_aligned_octets(acc, v.hessid)
    return acc


def _mobility_enc(v: tuple[WlanIdentifiers, ...]) -> bytes:
    # MobilitySet ::= SEQUENCE (SIZE (1..1024)) OF MobilitySetItem
    # MobilitySetItem ::= SEQUENCE { bSSID OPTIONAL, sSID OPTIONAL, hESSID OPTIONAL,
    #   iE-Extensions OPTIONAL, ... }
    if not 1 <= len(v) <= 1024:
        raise Unhandled("MobilitySet size")
    acc = EMPTY << 16 | len(v) - 1  # range 1024: two octets, aligned (at the start already)
    for item in v:
        acc = (
            acc << 5
            | (item.bssid is not None) << 3
            | (item.ssid is not None) << 2
            | (item.hessid is not None) << 1
        )
        if item.bssid is not None:
            acc = put_aligned_octets(acc, item.bssid)
        acc = _put_wlan_fields(acc, item)
    return to_bytes(acc)


def _take_wlan_fields(
    data: bytes, v: int, rest: int, has_ssid: int, has_hessid: int, bssid: bytes | None
) -> tuple[WlanIdentifiers, int]:
    ssid = hessid = None
    if has_ssid:
        rest -= 5
        ssid, rest = take_aligned_octets(data, v, rest, (v >> rest & 0x1F) + 1)
    if has_hessid:
        hessid, rest = take_aligned_octets(data, v, rest, 6)
    return WlanIdentifiers(ssid, bssid, hessid), rest


def _mobility_dec(data: bytes) -> tuple[WlanIdentifiers, ...]:
    v, rest = int.from_bytes(data, "big"), 8 * len(data) - 16
    count = (v >> rest & 0xFFFF) + 1
    if count > 1024:
        raise Unhandled("MobilitySet size")
    out = []
    for _ in range(count):
        rest -= 5
        head = v >> rest & 0x1F
        if head & 0b10001:  # extension bit, iE-Extensions
            raise Unhandled("MobilitySetItem extension")
        bssid = None
        if head & 0b1000:
            bssid, rest = take_aligned_octets(data, v, rest, 6)
        item, rest = _take_wlan_fields(data, v, rest, head & 0b100, head & 0b10, bssid)
        out.append(item)
    end_aligned(v, rest)
    return tuple(out)


# Cause ::= CHOICE { radioNetwork, transport, protocol, misc, ... }
_CAUSE_GROUPS: Final = tuple(CauseGroup)
_CAUSE_INDEX: Final = {g: i for i, g in enumerate(_CAUSE_GROUPS)}


@functools.cache  # a few dozen values, none of them secret
def _cause_enc(v: Cause) -> bytes:
    acc = EMPTY << 3 | _CAUSE_INDEX[v.group]  # extension bit 0, two bits of index
    return to_bytes(_put_enum(acc, v.group.asn1_type, v.value, extensible=True))


@functools.lru_cache(maxsize=256)  # valid encodings only (errors are not cached); not secret
def _cause_dec(data: bytes) -> Cause:
    v, rest = int.from_bytes(data, "big"), 8 * len(data) - 3
    head = v >> rest & 0b111
    if head > 3:
        raise Unhandled("Cause extension")
    group = _CAUSE_GROUPS[head]
    value, rest = _take_enum(v, rest, group.asn1_type, extensible=True)  # each is extensible
    end_aligned(v, rest)
    return Cause(group, value)


_TRIGGERING: Final = ("initiating-message", "successful-outcome", "unsuccessful-outcome")
_KIND_BY_TRIGGERING: Final = {k.triggering_message: k for k in MessageKind}
# Criticality ::= ENUMERATED { reject, ignore, notify }
_CRITICALITIES: Final = tuple(Criticality)
_CRIT_INDEX: Final = {c: i for i, c in enumerate(_CRITICALITIES)}


def _diagnostics_enc(v: CriticalityDiagnostics) -> bytes:
    # CriticalityDiagnostics ::= SEQUENCE { procedureCode OPTIONAL, triggeringMessage OPTIONAL,
    #   procedureCriticality OPTIONAL, iEsCriticalityDiagnostics OPTIONAL, iE-Extensions OPTIONAL,
    #   ... }
    if len(v.ies) > 256:
        raise Unhandled("CriticalityDiagnostics-IE-List size")
    acc = (
        EMPTY << 6
        | (v.procedure_code is not None) << 4
        | (v.triggering_message is not None) << 3
        | (v.procedure_criticality is not None) << 2
        | bool(v.ies) << 1
    )
    if v.procedure_code is not None:
        # ProcedureCode ::= INTEGER (0..255): range 256, one aligned octet (X.691 11.5.7.2)
        acc = align(acc) << 8 | v.procedure_code
    if v.triggering_message is not None:
        acc = acc << 2 | _TRIGGERING.index(v.triggering_message.triggering_message)
    if v.procedure_criticality is not None:
        acc = acc << 2 | _CRIT_INDEX[v.procedure_criticality]
    if v.ies:
        # CriticalityDiagnostics-IE-List ::= SEQUENCE (SIZE (1..256)) OF ...: range 256, one
        # aligned octet. Item ::= SEQUENCE { iECriticality, iE-ID ProtocolIE-ID (0..65535),
        # typeOfError ENUMERATED {not-understood, missing, ...}, iE-Extensions OPTIONAL, ... }
        acc = align(acc) << 8 | len(v.ies) - 1
        for item in v.ies:
            acc = acc << 4 | _CRIT_INDEX[item.criticality]  # extension, presence, criticality
            acc = align(acc) << 16 | item.ie_id  # range 65536: two aligned octets
            acc = _put_enum(acc, "TypeOfError", item.type_of_error, extensible=True)
    return to_bytes(acc)


def _diagnostics_dec(data: bytes) -> CriticalityDiagnostics:
    v, rest = int.from_bytes(data, "big"), 8 * len(data) - 6
    head = v >> rest & 0x3F
    if head & 0b100001:
        raise Unhandled("CriticalityDiagnostics extension")
    code = trig = crit = None
    ies: list[IeDiagnostic] = []
    if head & 0b10000:
        rest = take_align(v, rest) - 8
        code = v >> rest & 0xFF
    if head & 0b1000:
        rest -= 2
        trig = _KIND_BY_TRIGGERING[_TRIGGERING[v >> rest & 0b11]]
    if head & 0b100:
        rest -= 2
        crit = _CRITICALITIES[v >> rest & 0b11]
    if head & 0b10:
        rest = take_align(v, rest) - 8
        for _ in range((v >> rest & 0xFF) + 1):
            rest -= 4
            item = v >> rest & 0xF
            if item & 0b1100:
                raise Unhandled("CriticalityDiagnostics-IE-Item extension")
            item_crit = _CRITICALITIES[item]
            rest = take_align(v, rest) - 16
            ie_id = v >> rest & 0xFFFF
            type_of_error, rest = _take_enum(v, rest, "TypeOfError", extensible=True)
            ies.append(IeDiagnostic(item_crit, ie_id, type_of_error))
    end_aligned(v, rest)
    return CriticalityDiagnostics(code, trig, crit, tuple(ies))


def _enb_id_enc(v: GlobalEnbId) -> bytes:
    # Global-ENB-ID ::= SEQUENCE { pLMNidentity PLMN-Identity, eNB-ID ENB-ID,
    #   iE-Extensions OPTIONAL, ... }
    # ENB-ID ::= CHOICE { macroENB-ID BIT STRING (SIZE(20)), otherENB-ID ..., ...,
    #   short-macroENB-ID BIT STRING (SIZE(18)), long-macroENB-ID BIT STRING (SIZE(21)) }
    acc = put_aligned_octets(EMPTY << 2, v.plmn)
    if v.kind is EnbIdKind.MACRO:
        # extension bit 0, root index 0; a fixed-size BIT STRING over 16 bits is octet-aligned
        acc = align(acc << 2) << 20 | v.enb_id
    else:
        # an extension addition: bit 1, its index as a normally small number, then an open type
        # holding the BIT STRING's own complete encoding.
        index = 0 if v.kind is EnbIdKind.SHORT_MACRO else 1
        bits = v.kind.bits
        inner = (v.enb_id << (-bits % 8)).to_bytes((bits + 7) // 8, "big")
        acc = put_aligned_length(acc << 8 | 1 << 7 | index, len(inner))
        acc = put_aligned_octets(acc, inner)
    return to_bytes(acc)


def _enb_id_dec(data: bytes) -> GlobalEnbId:
    v, rest = int.from_bytes(data, "big"), 8 * len(data) - 2
    if v >> rest & 0b11:
        raise Unhandled("Global-ENB-ID extension")
    plmn, rest = take_aligned_octets(data, v, rest, 3)
    rest -= 1
    if not v >> rest & 1:
        rest -= 1
        if v >> rest & 1:
            raise Unhandled("otherENB-ID")
        rest = take_align(v, rest) - 20
        kind, enb_id = EnbIdKind.MACRO, v >> rest & 0xFFFFF
    else:
        rest -= 7
        index = v >> rest & 0x7F
        if index > 1:
            raise Unhandled("ENB-ID addition")
        kind = EnbIdKind.SHORT_MACRO if index == 0 else EnbIdKind.LONG_MACRO
        n, rest = take_aligned_length(v, rest)
        inner, rest = take_aligned_octets(data, v, rest, n)
        bits = kind.bits
        if len(inner) != (bits + 7) // 8:
            raise Unhandled("ENB-ID open type size")
        value = int.from_bytes(inner, "big")
        if value & ((1 << (-bits % 8)) - 1):
            raise Unhandled("padding bits not zero")
        enb_id = value >> (-bits % 8)
    end_aligned(v, rest)
    return GlobalEnbId(plmn, enb_id, kind)


def _wt_id_enc(v: WtId) -> bytes:
    # WTID ::= CHOICE { wTID-Type1 WTID-Type1, wTID-Type2 WTID-Long-Type2, ... }
    # WTID-Type1 ::= SEQUENCE { pLMN-Identity, shortWTID BIT STRING (SIZE(24)), ... }
    # WTID-Long-Type2 ::= BIT STRING (SIZE(48))
    if v.plmn is not None:
        # extension bit, index 0, WTID-Type1's extension bit
        acc = put_aligned_octets(EMPTY << 3, v.plmn) << 24 | v.value
    else:
        acc = align(EMPTY << 2 | 0b01) << 48 | v.value
    return to_bytes(acc)


def _wt_id_dec(data: bytes) -> WtId:
    v, rest = int.from_bytes(data, "big"), 8 * len(data) - 2
    head = v >> rest & 0b11
    if head == 0:
        rest -= 1
        if v >> rest & 1:
            raise Unhandled("WTID-Type1 extension")
        plmn, rest = take_aligned_octets(data, v, rest, 3)
        rest -= 24
        out = WtId(v >> rest & 0xFFFFFF, plmn)
    elif head == 1:
        rest = take_align(v, rest) - 48
        out = WtId(v >> rest & 0xFFFFFFFFFFFF)
    else:
        raise Unhandled("WTID extension")
    end_aligned(v, rest)
    return out


@functools.cache
def _item_header(item_set: str) -> bytes:
    """id and criticality of the one field of a ``ProtocolIE-SingleContainer`` item set."""
    (spec,) = asn1.xwap_ies(item_set).values()
    return spec.id.to_bytes(2, "big") + bytes((_CRIT_INDEX[Criticality(spec.criticality)] << 6,))


@functools.cache
def _usage_head() -> tuple[bytes, int]:
    """``id-WLANUsage`` as two octets and its criticality index (``WLANInformation-ExtIEs``)."""
    (spec,) = asn1.xwap_ies("WLANInformation-ExtIEs").values()
    return spec.id.to_bytes(2, "big"), _CRIT_INDEX[Criticality(spec.criticality)]


_USAGES: Final = tuple(WlanUsage)


def _put_usage(acc: int, usage: WlanUsage) -> int:
    # iE-Extensions ProtocolExtensionContainer ::= SEQUENCE (SIZE (1..65535)) OF
    # ProtocolExtensionField: the count less one in two aligned octets; the field: id in two
    # aligned octets, criticality in two bits, extensionValue an open type (aligned length,
    # then WLANUsage ::= ENUMERATED {lWAandLWIP, lWIPonly, ...}: extension bit, index bit)
    ext_id, crit = _usage_head()
    acc = put_aligned_octets(acc, b"\x00\x00" + ext_id) << 2 | crit
    value = to_bytes(_put_enum(EMPTY, "WLANUsage", usage.value, extensible=True))
    return put_aligned_octets(acc, length_octets(len(value)) + value)


def _take_usage(data: bytes, v: int, rest: int) -> tuple[WlanUsage, int]:
    ext_id, crit = _usage_head()
    head, rest = take_aligned_octets(data, v, rest, 4)
    if head != b"\x00\x00" + ext_id:
        raise Unhandled("WLANInformation extension other than one WLAN Usage")
    rest -= 2
    if v >> rest & 0b11 != crit:
        raise Unhandled("WLAN Usage criticality")
    body, rest = take_aligned_octets(data, v, rest, 2)
    if body[0] != 1 or body[1] & 0xBF:  # one octet: extension bit 0, index, zero padding
        raise Unhandled("WLAN Usage value")
    return _USAGES[body[1] >> 6], rest


def _wlan_list_enc(v: tuple[WlanInformation, ...]) -> bytes:
    # WLANIdentifier-List ::= SEQUENCE (SIZE (1..4096)) OF ProtocolIE-SingleContainer
    #   { {WLANIdentifier-ItemIEs} }; the item: SEQUENCE { wLANInformation, iE-Extensions
    #   OPTIONAL, ... }; WLANInformation ::= SEQUENCE { bSS-Item OPTIONAL, sSID OPTIONAL,
    #   hESSID OPTIONAL, iE-Extensions OPTIONAL, ... }; BSS-Item ::= SEQUENCE { bSSID, four
    #   OPTIONAL fields, iE-Extensions OPTIONAL, ... }
    if not 1 <= len(v) <= 4096:
        raise Unhandled("WLANIdentifier-List size")
    header = _item_header("WLANIdentifier-ItemIEs")
    parts = [(len(v) - 1).to_bytes(2, "big")]  # range 4096: two aligned octets
    for item in v:
        # the item's extension and presence bits, then WLANInformation's extension bit and its
        # four presence bits (the last: iE-Extensions, which carries the WLAN Usage)
        usage = getattr(item, "usage", None)
        acc = (
            EMPTY << 7
            | (item.bssid is not None) << 3
            | (item.ssid is not None) << 2
            | (item.hessid is not None) << 1
            | (usage is not None)
        )
        if item.bssid is not None:
            # BSS-Item: extension bit and five absent OPTIONAL fields
            acc = put_aligned_octets(acc << 6, item.bssid)
        acc = _put_wlan_fields(acc, item)
        if usage is not None:
            acc = _put_usage(acc, usage)
        body = to_bytes(acc)
        parts += (header, length_octets(len(body)), body)
    return b"".join(parts)


def _list_bodies(data: bytes, item_set: str) -> list[bytes]:
    """The item bodies of a ``SEQUENCE (SIZE (1..4096)) OF ProtocolIE-SingleContainer``."""
    if len(data) < 2:
        raise Unhandled("truncated")
    count = int.from_bytes(data[:2], "big") + 1
    if count > 4096:
        raise Unhandled("list size")
    header = _item_header(item_set)
    i = 2
    out = []
    for _ in range(count):
        if data[i : i + 3] != header:
            raise Unhandled("item id or criticality")
        n, i = read_length(data, i + 3)
        body = data[i : i + n]
        if len(body) != n:
            raise Unhandled("truncated")
        i += n
        out.append(body)
    if i != len(data):
        raise Unhandled("octets after the list")
    return out


def _wlan_list_dec(data: bytes) -> tuple[WlanInformation, ...]:
    out = []
    for body in _list_bodies(data, "WLANIdentifier-ItemIEs"):
        v, rest = int.from_bytes(body, "big"), 8 * len(body) - 7
        head = v >> rest & 0x7F
        if head & 0b1110000:  # extension bits and iE-Extensions of the item
            raise Unhandled("WLANIdentifier-Item extension")
        bssid = None
        if head & 0b1000:
            rest -= 6
            if v >> rest & 0x3F:
                raise Unhandled("BSS-Item optional fields")
            bssid, rest = take_aligned_octets(body, v, rest, 6)
        item, rest = _take_wlan_fields(body, v, rest, head & 0b100, head & 0b10, bssid)
        usage = None
        if head & 0b1:
            usage, rest = _take_usage(body, v, rest)
        end_aligned(v, rest)
        out.append(WlanInformation(item.ssid, item.bssid, item.hessid, usage))
    return tuple(out)


def _delete_list_enc(v: tuple[bytes, ...]) -> bytes:
    # WLANIdentifiersToDelete-List ::= SEQUENCE (SIZE (1..4096)) OF ProtocolIE-SingleContainer
    #   { {WLANIdentifiersToDelete-ItemIEs} }; the item: SEQUENCE { bSSID BSSID, iE-Extensions
    #   OPTIONAL, ... }: extension bit and presence bit, then the six aligned octets
    if not 1 <= len(v) <= 4096:
        raise Unhandled("WLANIdentifiersToDelete-List size")
    header = _item_header("WLANIdentifiersToDelete-ItemIEs")
    parts = [(len(v) - 1).to_bytes(2, "big")]
    for bssid in v:
        body = b"\x00" + bssid
        parts += (header, length_octets(len(body)), body)
    return b"".join(parts)


def _delete_list_dec(data: bytes) -> tuple[bytes, ...]:
    out = []
    for body in _list_bodies(data, "WLANIdentifiersToDelete-ItemIEs"):
        if len(body) != 7 or body[0]:
            raise Unhandled("WLANIdentifiersToDelete-Item")
        out.append(body[1:])
    return tuple(out)


def _delete_extension_list_enc(v: tuple[WlanIdentifiers, ...]) -> bytes:
    # WLANIdentifiersToDeleteExtension-List: as above, the item: SEQUENCE { sSID OPTIONAL,
    #   hESSID OPTIONAL, iE-Extensions OPTIONAL, ... }: extension bit and three presence bits
    if not 1 <= len(v) <= 4096:
        raise Unhandled("WLANIdentifiersToDeleteExtension-List size")
    header = _item_header("WLANIdentifiersToDeleteExtension-ItemIEs")
    parts = [(len(v) - 1).to_bytes(2, "big")]
    for item in v:
        if item.bssid is not None:
            raise Unhandled("BSSID in a delete-extension item")
        acc = EMPTY << 4 | (item.ssid is not None) << 2 | (item.hessid is not None) << 1
        body = to_bytes(_put_wlan_fields(acc, item))
        parts += (header, length_octets(len(body)), body)
    return b"".join(parts)


def _delete_extension_list_dec(data: bytes) -> tuple[WlanIdentifiers, ...]:
    out = []
    for body in _list_bodies(data, "WLANIdentifiersToDeleteExtension-ItemIEs"):
        v, rest = int.from_bytes(body, "big"), 8 * len(body) - 4
        head = v >> rest & 0xF
        if head & 0b1001:
            raise Unhandled("WLANIdentifiersToDeleteExtension-Item extension")
        item, rest = _take_wlan_fields(body, v, rest, head & 0b100, head & 0b10, None)
        end_aligned(v, rest)
        out.append(item)
    return tuple(out)


def _time_to_wait_enc(v: int) -> bytes:
    # TimeToWait ::= ENUMERATED {v1s, v2s, v5s, v10s, v20s, v60s, ...}: extension bit 0, three
    # bits of index
    return bytes((TIME_TO_WAIT_S.index(v) << 4,))


def _time_to_wait_dec(data: bytes) -> int:
    if len(data) != 1 or data[0] & 0x8F or data[0] >> 4 >= len(TIME_TO_WAIT_S):
        raise Unhandled("TimeToWait")
    return TIME_TO_WAIT_S[data[0] >> 4]


_IeCodec: TypeAlias = tuple[Callable[[Any], bytes], Callable[[bytes], Any]]

_IE_CODECS: Final[dict[str, _IeCodec]] = {
    "UE-XwAP-ID": (_ue_id_enc, _ue_id_dec),
    "UE-Identity": _fixed_octets(6),
    "PLMN-Identity": _fixed_octets(3),
    "LWIP-SeGWSecurityInfo": (_security_enc, _security_dec),
    "GTPtunnelEndpoint": (_gtp_enc, _gtp_dec),
    "MobilitySet": (_mobility_enc, _mobility_dec),
    "Cause": (_cause_enc, _cause_dec),
    "CriticalityDiagnostics": (_diagnostics_enc, _diagnostics_dec),
    "Global-ENB-ID": (_enb_id_enc, _enb_id_dec),
    "WTID": (_wt_id_enc, _wt_id_dec),
    "WLANIdentifier-List": (_wlan_list_enc, _wlan_list_dec),
    "WLANIdentifiersToDelete-List": (_delete_list_enc, _delete_list_dec),
    "WLANIdentifiersToDeleteExtension-List": (
        _delete_extension_list_enc,
        _delete_extension_list_dec,
    ),
    "TimeToWait": (_time_to_wait_enc, _time_to_wait_dec),
}


# --- messages ---------------------------------------------------------------------------------

_KIND_INDEX: Final = {k: i for i, k in enumerate(MessageKind)}  # XwAP-PDU ::= CHOICE {...}


class _Field:
    __slots__ = ("attr", "decode", "encode", "header", "ie_id", "mandatory")

    def __init__(self, attr: str, spec: asn1.IeSpec) -> None:
        self.attr = attr
        self.ie_id = spec.id
        crit = _CRIT_INDEX[Criticality(spec.criticality)]
        # ProtocolIE-Field: id INTEGER (0..65535) in two aligned octets, criticality in two
        # bits, padding, then the open type's length.
        self.header = spec.id.to_bytes(2, "big") + bytes((crit << 6,))
        self.encode, self.decode = _IE_CODECS[spec.type_name]
        self.mandatory = spec.presence == "mandatory"


class _Layout:
    """How one message class is laid out: the PDU head and its IE fields in encoding order."""

    __slots__ = ("by_id", "fields", "head", "mandatory")

    def __init__(self, cls: type[XwapMessage]) -> None:
        info = message_info(cls.MESSAGE)
        # XwAP-PDU: extension bit 0 and two bits of alternative; procedureCode in one aligned
        # octet; criticality in two bits (padded) before the value's open type.
        crit = _CRIT_INDEX[Criticality(info.procedure_criticality)]
        self.head = bytes((_KIND_INDEX[info.kind] << 5, info.procedure_code, crit << 6))
        self.fields = tuple(_Field(attr, info.by_name[id_name]) for attr, id_name in cls.FIELDS)
        self.by_id = {f.ie_id: f for f in self.fields}
        self.mandatory = frozenset(f.attr for f in self.fields if f.mandatory)


class _Plan:
    """The fast path of one message class. Its layout is read from the compiled modules when the
    class is first coded, so that importing the codec does not load the ASN.1."""

    __slots__ = ("_layout", "cls")

    def __init__(self, cls: type[XwapMessage]) -> None:
        self.cls = cls
        self._layout: _Layout | None = None

    def layout(self) -> _Layout:
        layout = self._layout
        if layout is None:
            layout = self._layout = _Layout(self.cls)
        return layout

    def encode(self, msg: XwapMessage) -> bytes | None:
        """APER octets of ``msg``, or ``None`` when the general codec must do it."""
        try:
            if getattr(msg, "other_ies", ()):
                return None
            layout = self._layout or self.layout()
            parts: list[bytes] = []
            count = 0
            for field in layout.fields:
                value = getattr(msg, field.attr)
                if value is None or value == ():
                    if field.mandatory:
                        return None  # the general codec raises the error
                    continue
                body = field.encode(value)
                parts += (field.header, length_octets(len(body)), body)
                count += 1
            # the message: SEQUENCE { protocolIEs ProtocolIE-Container, ... }: extension bit 0,
            # padding, the number of IEs (0..65535) in two aligned octets.
            inner = b"\x00" + count.to_bytes(2, "big") + b"".join(parts)
            return layout.head + length_octets(len(inner)) + inner
        except (Unhandled, KeyError, ValueError, TypeError, OverflowError):
            return None

    def decode(self, data: bytes) -> XwapMessage | None:
        """The message of this class ``data`` holds canonically, else ``None``."""
        try:
            layout = self._layout or self.layout()
            if data[:3] != layout.head:
                return None
            return self.decode_body(layout, data)
        except _NOT_DECODED:
            return None

    def decode_body(self, layout: _Layout, data: bytes) -> XwapMessage | None:
        """:meth:`decode` once the head is known to be this class's; may raise."""
        n, i = read_length(data, 3)
        end = i + n
        if end != len(data) or data[i] != 0:
            return None
        count = int.from_bytes(data[i + 1 : i + 3], "big")
        i += 3
        by_id = layout.by_id
        fields: dict[str, Any] = {}
        for _ in range(count):
            field = by_id.get(int.from_bytes(data[i : i + 2], "big"))
            if field is None or data[i : i + 3] != field.header or field.attr in fields:
                return None
            n, i = read_length(data, i + 3)
            body = data[i : i + n]
            if len(body) != n:
                return None
            i += n
            fields[field.attr] = field.decode(body)
        if i != end:
            return None
        if not layout.mandatory <= fields.keys():
            return None
        return self.cls(**fields)


_PLANS: Final = {cls: _Plan(cls) for cls in MESSAGE_CLASSES}

#: The fast path of every typed message class (:data:`~.messages.MESSAGE_CLASSES`); the test
#: suite checks that none is missing.
FAST_CODECS: Final[Mapping[type[XwapMessage], FastCodec]] = {
    cls: FastCodec(plan.encode, plan.decode) for cls, plan in _PLANS.items()
}


@functools.cache
def _by_head() -> dict[bytes, tuple[_Plan, _Layout]]:
    """PDU head (kind, procedure code, criticality) -> the class's plan and layout."""
    return {plan.layout().head: (plan, plan.layout()) for plan in _PLANS.values()}


def encode(msg: XwapMessage) -> bytes | None:
    """APER octets of ``msg``, or ``None`` when the general codec must do it."""
    plan = _PLANS.get(type(msg))
    return None if plan is None else plan.encode(msg)


def decode(data: bytes | bytearray | memoryview) -> XwapMessage | None:
    """The typed message of an exact, canonical encoding, else ``None`` (see the module text);
    never raises."""
    try:
        if not isinstance(data, bytes):
            if not isinstance(data, bytearray | memoryview):
                return None
            data = bytes(data)
        found = _by_head().get(data[:3])
        if found is None:
            return None
        plan, layout = found
        return plan.decode_body(layout, data)
    except _NOT_DECODED:
        return None
