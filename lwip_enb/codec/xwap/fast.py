"""Hand-specialised APER (X.691, ALIGNED) for the typed XwAP messages of :mod:`lwip_enb.xwap`.

The general codec (asn1tools driven by the verbatim 36.463 modules) handles any XwAP value, but
it walks the type tree for every field and decodes each open type twice. The messages this
library sends and receives have a fixed shape, so this module writes and reads their octets
directly:

* :func:`encode` returns the APER octets of a typed message, or ``None`` for what it does not
  handle (IEs kept as :class:`~lwip_enb.xwap.RawIe`, values that would need a fragmented
  length, anything outside a constraint); :func:`lwip_enb.xwap.encode` then asks the general
  codec, which also raises the errors.
* :func:`decode` returns the typed message only for an exact, canonical encoding of a message it
  knows: the spec's procedure criticality, only IEs the class models, each with the criticality
  its object set gives, no extension additions, zero padding bits, canonical lengths, nothing
  after the last octet. On anything else it returns ``None`` and the general decoder decides,
  with the diagnostics of 36.463 clause 10.

Procedure codes, IE ids, criticalities and enumeration values are read from the compiled
modules (:mod:`lwip_enb.asn1`), never written here; what is written here is the PER layout of
each IE type, with its ASN.1 definition quoted beside it. The tests hold both paths to pycrate's
bytes and check that this decoder never accepts what the general one would not.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import Any, Final, TypeAlias

from lwip_enb import asn1
from lwip_enb.codec import xwap as x
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import KeyMaterial

__all__ = ["decode", "encode"]

IpAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address


class _Unhandled(Exception):
    """Not a shape this module handles; the general codec answers instead."""


# --- bit-level writing and reading -------------------------------------------------------------


class _Writer:
    """One complete APER encoding, built as an integer of ``n`` bits."""

    __slots__ = ("acc", "n")

    def __init__(self) -> None:
        self.acc = 0
        self.n = 0

    def bits(self, value: int, width: int) -> None:
        self.acc = (self.acc << width) | value
        self.n += width

    def align(self) -> None:
        pad = -self.n % 8
        self.acc <<= pad
        self.n += pad

    def octets(self, data: bytes) -> None:
        """Octet-aligned octets (X.691 16.8/16.10: fixed size over two octets, or with a length)."""
        pad = -self.n % 8
        width = len(data) * 8
        self.acc = (self.acc << (pad + width)) | int.from_bytes(data, "big")
        self.n += pad + width

    def length(self, n: int) -> None:
        """An unconstrained length determinant (X.691 11.9.3.6-7), without fragmentation."""
        self.align()
        if n < 128:
            self.bits(n, 8)
        elif n < 16384:
            self.bits(0x8000 | n, 16)
        else:
            raise _Unhandled("fragmented length")

    def done(self) -> bytes:
        """The complete encoding, padded with zero bits to the octet (X.691 11.1)."""
        self.align()
        return self.acc.to_bytes(self.n // 8, "big") if self.n else b"\x00"


class _Reader:
    """Reads one complete APER encoding; every padding bit must be zero."""

    __slots__ = ("data", "end", "pos", "value")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.value = int.from_bytes(data, "big")
        self.end = len(data) * 8
        self.pos = 0

    def bits(self, width: int) -> int:
        pos = self.pos + width
        if pos > self.end:
            raise _Unhandled("truncated")
        self.pos = pos
        return (self.value >> (self.end - pos)) & ((1 << width) - 1)

    def align(self) -> None:
        pad = -self.pos % 8
        if pad and self.bits(pad):
            raise _Unhandled("padding bits not zero")

    def octets(self, n: int) -> bytes:
        self.align()
        start = self.pos // 8
        if start + n > len(self.data):
            raise _Unhandled("truncated")
        self.pos += n * 8
        return self.data[start : start + n]

    def length(self) -> int:
        """A canonical unconstrained length determinant below 16384."""
        self.align()
        first = self.bits(8)
        if first < 0x80:
            return first
        if first >= 0xC0:
            raise _Unhandled("fragmented length")
        n = ((first & 0x3F) << 8) | self.bits(8)
        if n < 128:
            raise _Unhandled("length not in its shortest form")
        return n

    def finish(self) -> None:
        """The encoding ends here: zero padding to the octet and no octet after it."""
        self.align()
        if self.pos != self.end:
            raise _Unhandled("octets after the encoding")


def _length_octets(n: int) -> bytes:
    """An unconstrained length determinant as octets (the open type's, X.691 11.2.2)."""
    if n < 128:
        return bytes((n,))
    if n < 16384:
        return (0x8000 | n).to_bytes(2, "big")
    raise _Unhandled("fragmented length")


def _read_length(data: bytes, i: int) -> tuple[int, int]:
    """(length, index after it) of a canonical length determinant at octet ``i``."""
    first = data[i]
    if first < 0x80:
        return first, i + 1
    if first >= 0xC0:
        raise _Unhandled("fragmented length")
    n = ((first & 0x3F) << 8) | data[i + 1]
    if n < 128:
        raise _Unhandled("length not in its shortest form")
    return n, i + 2


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


def _put_enum(w: _Writer, type_name: str, value: str, extensible: bool) -> None:
    """ENUMERATED (X.691 14): [extension bit] root index, or extension bit 1 and a normally small
    non-negative whole number (X.691 11.6) for an addition."""
    index, width, _root, _additions = _enum(type_name)
    is_addition, i = index[value]
    if is_addition:
        if i >= 64:
            raise _Unhandled("large enumeration addition index")
        w.bits(0b10 << 6 | i, 8)  # extension bit 1, then 0 and six bits
    elif extensible:
        w.bits(i, 1 + width)  # extension bit 0
    else:
        w.bits(i, width)


def _get_enum(r: _Reader, type_name: str, extensible: bool) -> str:
    _index, width, root, additions = _enum(type_name)
    if extensible and r.bits(1):
        if r.bits(1):
            raise _Unhandled("large enumeration addition index")
        return additions[r.bits(6)]
    return root[r.bits(width)]


# --- IE value types (36.463 9.2) ---------------------------------------------------------------
# Each pair writes / reads one complete encoding, the contents of the IE's open type.


def _ue_id_enc(v: int) -> bytes:
    # UE-XwAP-ID ::= OCTET STRING (SIZE (3))
    return v.to_bytes(3, "big")


def _ue_id_dec(data: bytes) -> int:
    if len(data) != 3:
        raise _Unhandled("UE-XwAP-ID size")
    return int.from_bytes(data, "big")


def _fixed_octets(size: int) -> tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]:
    # UE-Identity ::= OCTET STRING (SIZE (6)); PLMN-Identity ::= OCTET STRING (SIZE(3))
    def enc(v: bytes) -> bytes:
        if len(v) != size:
            raise _Unhandled("size")
        return bytes(v)

    def dec(data: bytes) -> bytes:
        if len(data) != size:
            raise _Unhandled("size")
        return data

    return enc, dec


def _security_enc(v: x.SeGwSecurityInfo) -> bytes:
    # LWIP-SeGWSecurityInfo ::= SEQUENCE { lWIP-PSK BIT STRING (SIZE(256)),
    #   iKE-Initiator-Identity OCTET STRING, iE-Extensions ... OPTIONAL, ... }
    # extension bit and the iE-Extensions presence bit are 0, then the aligned PSK.
    psk = v.psk.reveal()
    return b"\x00" + psk + _length_octets(len(v.idi)) + v.idi


def _security_dec(data: bytes) -> x.SeGwSecurityInfo:
    if len(data) < 34 or data[0] != 0:
        raise _Unhandled("LWIP-SeGWSecurityInfo preamble")
    n, i = _read_length(data, 33)
    if i + n != len(data):
        raise _Unhandled("LWIP-SeGWSecurityInfo length")
    return x.SeGwSecurityInfo(KeyMaterial(data[1:33]), data[i:])


def _put_address(w: _Writer, address: IpAddress) -> None:
    # TransportLayerAddress ::= BIT STRING (SIZE(1..160, ...)): extension bit 0, the size less
    # one in 8 bits (range 160), then the bits, octet-aligned.
    packed = address.packed
    w.bits(len(packed) * 8 - 1, 9)
    w.octets(packed)


def _get_address(r: _Reader) -> IpAddress:
    if r.bits(1):
        raise _Unhandled("TransportLayerAddress size extension")
    width = r.bits(8) + 1
    if width == 32:
        return ipaddress.IPv4Address(r.octets(4))
    if width == 128:
        return ipaddress.IPv6Address(r.octets(16))
    raise _Unhandled("transport address width")


def _gtp_enc(v: x.GtpTunnelEndpoint) -> bytes:
    # GTPtunnelEndpoint ::= SEQUENCE { transportLayerAddress, gTP-TEID OCTET STRING (SIZE (4)),
    #   iE-Extensions OPTIONAL, ... }
    w = _Writer()
    w.bits(0, 2)
    _put_address(w, v.address)
    w.octets(v.teid)
    return w.done()


def _gtp_dec(data: bytes) -> x.GtpTunnelEndpoint:
    r = _Reader(data)
    if r.bits(2):
        raise _Unhandled("GTPtunnelEndpoint extension")
    address = _get_address(r)
    teid = r.octets(4)
    r.finish()
    return x.GtpTunnelEndpoint(address, teid)


def _put_wlan_fields(w: _Writer, v: WlanIdentifiers) -> None:
    # SSID ::= OCTET STRING (SIZE (1..32)): size less one in 5 bits, then aligned octets;
    # BSSID, HESSID ::= OCTET STRING (SIZE(6)): aligned.
    if v.ssid is not None:
        w.bits(len(v.ssid) - 1, 5)
        w.octets(v.ssid)
    if v.hessid is not None:
        w.octets(v.hessid)


def _mobility_enc(v: tuple[WlanIdentifiers, ...]) -> bytes:
    # MobilitySet ::= SEQUENCE (SIZE (1..1024)) OF MobilitySetItem
    # MobilitySetItem ::= SEQUENCE { bSSID OPTIONAL, sSID OPTIONAL, hESSID OPTIONAL,
    #   iE-Extensions OPTIONAL, ... }
    if not 1 <= len(v) <= 1024:
        raise _Unhandled("MobilitySet size")
    w = _Writer()
    w.bits(len(v) - 1, 16)  # range 1024: two octets, aligned (at the start already)
    for item in v:
        w.bits(
            (item.bssid is not None) << 3
            | (item.ssid is not None) << 2
            | (item.hessid is not None) << 1,
            5,
        )
        if item.bssid is not None:
            w.octets(item.bssid)
        _put_wlan_fields(w, item)
    return w.done()


def _get_wlan_fields(
    r: _Reader, has_ssid: int, has_hessid: int, bssid: bytes | None
) -> WlanIdentifiers:
    ssid = r.octets(r.bits(5) + 1) if has_ssid else None
    hessid = r.octets(6) if has_hessid else None
    return WlanIdentifiers(ssid, bssid, hessid)


def _mobility_dec(data: bytes) -> tuple[WlanIdentifiers, ...]:
    r = _Reader(data)
    count = r.bits(16) + 1
    if count > 1024:
        raise _Unhandled("MobilitySet size")
    out = []
    for _ in range(count):
        head = r.bits(5)
        if head & 0b10001:  # extension bit, iE-Extensions
            raise _Unhandled("MobilitySetItem extension")
        bssid = r.octets(6) if head & 0b1000 else None
        out.append(_get_wlan_fields(r, head & 0b100, head & 0b10, bssid))
    r.finish()
    return tuple(out)


# Cause ::= CHOICE { radioNetwork, transport, protocol, misc, ... }
_CAUSE_GROUPS: Final = tuple(x.CauseGroup)
_CAUSE_INDEX: Final = {g: i for i, g in enumerate(_CAUSE_GROUPS)}


def _put_cause(w: _Writer, v: x.Cause) -> None:
    w.bits(_CAUSE_INDEX[v.group], 3)  # extension bit 0, two bits of index
    _put_enum(w, v.group.asn1_type, v.value, extensible=True)  # each Cause* is extensible


@functools.cache  # a few dozen values, none of them secret
def _cause_enc(v: x.Cause) -> bytes:
    w = _Writer()
    _put_cause(w, v)
    return w.done()


@functools.lru_cache(maxsize=256)  # valid encodings only (errors are not cached); not secret
def _cause_dec(data: bytes) -> x.Cause:
    r = _Reader(data)
    head = r.bits(3)
    if head > 3:
        raise _Unhandled("Cause extension")
    group = _CAUSE_GROUPS[head]
    value = _get_enum(r, group.asn1_type, extensible=True)
    r.finish()
    return x.Cause(group, value)


_TRIGGERING: Final = ("initiating-message", "successful-outcome", "unsuccessful-outcome")
_KIND_BY_TRIGGERING: Final = {k.triggering_message: k for k in x.MessageKind}
# Criticality ::= ENUMERATED { reject, ignore, notify }
_CRITICALITIES: Final = tuple(x.Criticality)
_CRIT_INDEX: Final = {c: i for i, c in enumerate(_CRITICALITIES)}


def _diagnostics_enc(v: x.CriticalityDiagnostics) -> bytes:
    # CriticalityDiagnostics ::= SEQUENCE { procedureCode OPTIONAL, triggeringMessage OPTIONAL,
    #   procedureCriticality OPTIONAL, iEsCriticalityDiagnostics OPTIONAL, iE-Extensions OPTIONAL,
    #   ... }
    if len(v.ies) > 256:
        raise _Unhandled("CriticalityDiagnostics-IE-List size")
    w = _Writer()
    w.bits(
        (v.procedure_code is not None) << 4
        | (v.triggering_message is not None) << 3
        | (v.procedure_criticality is not None) << 2
        | bool(v.ies) << 1,
        6,
    )
    if v.procedure_code is not None:
        w.align()
        w.bits(v.procedure_code, 8)  # ProcedureCode ::= INTEGER (0..255): one aligned octet
    if v.triggering_message is not None:
        w.bits(_TRIGGERING.index(v.triggering_message.triggering_message), 2)
    if v.procedure_criticality is not None:
        w.bits(_CRIT_INDEX[v.procedure_criticality], 2)
    if v.ies:
        # CriticalityDiagnostics-IE-List ::= SEQUENCE (SIZE (1..256)) OF ...: range 256, one
        # aligned octet. Item ::= SEQUENCE { iECriticality, iE-ID ProtocolIE-ID (0..65535),
        # typeOfError ENUMERATED {not-understood, missing, ...}, iE-Extensions OPTIONAL, ... }
        w.align()
        w.bits(len(v.ies) - 1, 8)
        for item in v.ies:
            w.bits(_CRIT_INDEX[item.criticality], 4)  # extension, presence, criticality
            w.align()
            w.bits(item.ie_id, 16)
            _put_enum(w, "TypeOfError", item.type_of_error, extensible=True)
    return w.done()


def _diagnostics_dec(data: bytes) -> x.CriticalityDiagnostics:
    r = _Reader(data)
    head = r.bits(6)
    if head & 0b100001:
        raise _Unhandled("CriticalityDiagnostics extension")
    code = trig = crit = None
    ies: list[x.IeDiagnostic] = []
    if head & 0b10000:
        r.align()
        code = r.bits(8)
    if head & 0b1000:
        trig = _KIND_BY_TRIGGERING[_TRIGGERING[r.bits(2)]]
    if head & 0b100:
        crit = _CRITICALITIES[r.bits(2)]
    if head & 0b10:
        r.align()
        for _ in range(r.bits(8) + 1):
            item = r.bits(4)
            if item & 0b1100:
                raise _Unhandled("CriticalityDiagnostics-IE-Item extension")
            item_crit = _CRITICALITIES[item]
            r.align()
            ie_id = r.bits(16)
            ies.append(
                x.IeDiagnostic(item_crit, ie_id, _get_enum(r, "TypeOfError", extensible=True))
            )
    r.finish()
    return x.CriticalityDiagnostics(code, trig, crit, tuple(ies))


def _enb_id_enc(v: x.GlobalEnbId) -> bytes:
    # Global-ENB-ID ::= SEQUENCE { pLMNidentity PLMN-Identity, eNB-ID ENB-ID,
    #   iE-Extensions OPTIONAL, ... }
    # ENB-ID ::= CHOICE { macroENB-ID BIT STRING (SIZE(20)), otherENB-ID ..., ...,
    #   short-macroENB-ID BIT STRING (SIZE(18)), long-macroENB-ID BIT STRING (SIZE(21)) }
    w = _Writer()
    w.bits(0, 2)
    w.octets(v.plmn)
    if v.kind is x.EnbIdKind.MACRO:
        w.bits(0, 2)  # extension bit 0, root index 0
        w.align()  # a fixed-size BIT STRING over 16 bits is octet-aligned
        w.bits(v.enb_id, 20)
    else:
        # an extension addition: bit 1, its index as a normally small number, then an open type
        # holding the BIT STRING's own complete encoding.
        index = 0 if v.kind is x.EnbIdKind.SHORT_MACRO else 1
        bits = v.kind.bits
        w.bits(1 << 7 | index, 8)
        inner = (v.enb_id << (-bits % 8)).to_bytes((bits + 7) // 8, "big")
        w.length(len(inner))
        w.octets(inner)
    return w.done()


def _enb_id_dec(data: bytes) -> x.GlobalEnbId:
    r = _Reader(data)
    if r.bits(2):
        raise _Unhandled("Global-ENB-ID extension")
    plmn = r.octets(3)
    if r.bits(1) == 0:
        if r.bits(1):
            raise _Unhandled("otherENB-ID")
        r.align()
        kind, enb_id = x.EnbIdKind.MACRO, r.bits(20)
    else:
        index = r.bits(7)
        if index > 1:
            raise _Unhandled("ENB-ID addition")
        kind = x.EnbIdKind.SHORT_MACRO if index == 0 else x.EnbIdKind.LONG_MACRO
        inner = r.octets(r.length())
        bits = kind.bits
        if len(inner) != (bits + 7) // 8:
            raise _Unhandled("ENB-ID open type size")
        value = int.from_bytes(inner, "big")
        if value & ((1 << (-bits % 8)) - 1):
            raise _Unhandled("padding bits not zero")
        enb_id = value >> (-bits % 8)
    r.finish()
    return x.GlobalEnbId(plmn, enb_id, kind)


def _wt_id_enc(v: x.WtId) -> bytes:
    # WTID ::= CHOICE { wTID-Type1 WTID-Type1, wTID-Type2 WTID-Long-Type2, ... }
    # WTID-Type1 ::= SEQUENCE { pLMN-Identity, shortWTID BIT STRING (SIZE(24)), ... }
    # WTID-Long-Type2 ::= BIT STRING (SIZE(48))
    w = _Writer()
    if v.plmn is not None:
        w.bits(0b000, 3)  # extension bit, index 0, WTID-Type1's extension bit
        w.octets(v.plmn)
        w.bits(v.value, 24)
    else:
        w.bits(0b01, 2)
        w.align()
        w.bits(v.value, 48)
    return w.done()


def _wt_id_dec(data: bytes) -> x.WtId:
    r = _Reader(data)
    head = r.bits(2)
    if head == 0:
        if r.bits(1):
            raise _Unhandled("WTID-Type1 extension")
        plmn = r.octets(3)
        out = x.WtId(r.bits(24), plmn)
    elif head == 1:
        r.align()
        out = x.WtId(r.bits(48))
    else:
        raise _Unhandled("WTID extension")
    r.finish()
    return out


@functools.cache
def _wlan_item_header() -> bytes:
    """id and criticality of the ``WLANIdentifier-ItemIEs`` field, from the object set."""
    (spec,) = asn1.xwap_ies("WLANIdentifier-ItemIEs").values()
    return spec.id.to_bytes(2, "big") + bytes((_CRIT_INDEX[x.Criticality(spec.criticality)] << 6,))


def _wlan_list_enc(v: tuple[WlanIdentifiers, ...]) -> bytes:
    # WLANIdentifier-List ::= SEQUENCE (SIZE (1..4096)) OF ProtocolIE-SingleContainer
    #   { {WLANIdentifier-ItemIEs} }; the item: SEQUENCE { wLANInformation, iE-Extensions
    #   OPTIONAL, ... }; WLANInformation ::= SEQUENCE { bSS-Item OPTIONAL, sSID OPTIONAL,
    #   hESSID OPTIONAL, iE-Extensions OPTIONAL, ... }; BSS-Item ::= SEQUENCE { bSSID, four
    #   OPTIONAL fields, iE-Extensions OPTIONAL, ... }
    if not 1 <= len(v) <= 4096:
        raise _Unhandled("WLANIdentifier-List size")
    header = _wlan_item_header()
    parts = [(len(v) - 1).to_bytes(2, "big")]  # range 4096: two aligned octets
    for item in v:
        w = _Writer()
        # the item's extension and presence bits, then WLANInformation's extension bit and its
        # four presence bits
        w.bits(
            (item.bssid is not None) << 3
            | (item.ssid is not None) << 2
            | (item.hessid is not None) << 1,
            7,
        )
        if item.bssid is not None:
            w.bits(0, 6)  # BSS-Item: extension bit and five absent OPTIONAL fields
            w.octets(item.bssid)
        _put_wlan_fields(w, item)
        body = w.done()
        parts += (header, _length_octets(len(body)), body)
    return b"".join(parts)


def _wlan_list_dec(data: bytes) -> tuple[WlanIdentifiers, ...]:
    if len(data) < 2:
        raise _Unhandled("truncated")
    count = int.from_bytes(data[:2], "big") + 1
    if count > 4096:
        raise _Unhandled("WLANIdentifier-List size")
    header = _wlan_item_header()
    i = 2
    out = []
    for _ in range(count):
        if data[i : i + 3] != header:
            raise _Unhandled("WLANIdentifier-Item id or criticality")
        n, i = _read_length(data, i + 3)
        body = data[i : i + n]
        if len(body) != n:
            raise _Unhandled("truncated")
        i += n
        r = _Reader(body)
        head = r.bits(7)
        if head & 0b1110001:  # extension bits and iE-Extensions of the item and WLANInformation
            raise _Unhandled("WLANIdentifier-Item extension")
        bssid = None
        if head & 0b1000:
            if r.bits(6):
                raise _Unhandled("BSS-Item optional fields")
            bssid = r.octets(6)
        out.append(_get_wlan_fields(r, head & 0b100, head & 0b10, bssid))
        r.finish()
    if i != len(data):
        raise _Unhandled("octets after the list")
    return tuple(out)


_TIME_TO_WAIT: Final = (1, 2, 5, 10, 20, 60)  # TimeToWait ::= ENUMERATED {v1s, ..., v60s, ...}


def _time_to_wait_enc(v: int) -> bytes:
    return bytes((_TIME_TO_WAIT.index(v) << 4,))  # extension bit 0, three bits of index


def _time_to_wait_dec(data: bytes) -> int:
    if len(data) != 1 or data[0] & 0x8F or data[0] >> 4 >= len(_TIME_TO_WAIT):
        raise _Unhandled("TimeToWait")
    return _TIME_TO_WAIT[data[0] >> 4]


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
    "TimeToWait": (_time_to_wait_enc, _time_to_wait_dec),
}


# --- messages ---------------------------------------------------------------------------------

_KIND_INDEX: Final = {k: i for i, k in enumerate(x.MessageKind)}  # XwAP-PDU ::= CHOICE {...}


class _Field:
    __slots__ = ("attr", "decode", "encode", "header", "ie_id", "mandatory")

    def __init__(self, attr: str, spec: asn1.IeSpec) -> None:
        self.attr = attr
        self.ie_id = spec.id
        crit = _CRIT_INDEX[x.Criticality(spec.criticality)]
        # ProtocolIE-Field: id INTEGER (0..65535) in two aligned octets, criticality in two
        # bits, padding, then the open type's length.
        self.header = spec.id.to_bytes(2, "big") + bytes((crit << 6,))
        self.encode, self.decode = _IE_CODECS[spec.type_name]
        self.mandatory = spec.presence == "mandatory"


class _Plan:
    """How one message class is laid out: the PDU head and its IE fields in encoding order."""

    __slots__ = ("by_id", "cls", "fields", "head", "mandatory")

    def __init__(self, cls: type[x.XwapMessage]) -> None:
        info = x._message_info(cls.MESSAGE)
        self.cls = cls
        # XwAP-PDU: extension bit 0 and two bits of alternative; procedureCode in one aligned
        # octet; criticality in two bits (padded) before the value's open type.
        crit = _CRIT_INDEX[x.Criticality(info.procedure_criticality)]
        self.head = bytes((_KIND_INDEX[info.kind] << 5, info.procedure_code, crit << 6))
        self.fields = tuple(_Field(attr, info.by_name[id_name]) for attr, id_name in cls.FIELDS)
        self.by_id = {f.ie_id: f for f in self.fields}
        self.mandatory = frozenset(f.attr for f in self.fields if f.mandatory)


_PLANS: Final[dict[type[x.XwapMessage], _Plan]] = {}


def _plan(cls: type[x.XwapMessage]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


@functools.cache
def _plans_by_head() -> dict[bytes, _Plan]:
    return {p.head: p for p in map(_plan, x.MESSAGE_CLASSES)}


def encode(msg: x.XwapMessage) -> bytes | None:
    """APER octets of ``msg``, or ``None`` when the general codec must do it."""
    try:
        plan = _plan(type(msg))
        if getattr(msg, "other_ies", ()):
            return None
        parts: list[bytes] = []
        count = 0
        for field in plan.fields:
            value = getattr(msg, field.attr)
            if value is None or value == ():
                if field.mandatory:
                    return None  # the general codec raises the error
                continue
            body = field.encode(value)
            parts += (field.header, _length_octets(len(body)), body)
            count += 1
        # the message: SEQUENCE { protocolIEs ProtocolIE-Container, ... }: extension bit 0,
        # padding, the number of IEs (0..65535) in two aligned octets.
        inner = b"\x00" + count.to_bytes(2, "big") + b"".join(parts)
        return plan.head + _length_octets(len(inner)) + inner
    except (_Unhandled, KeyError, ValueError, TypeError, OverflowError):
        return None


def decode(data: bytes) -> x.XwapMessage | None:
    """The typed message of an exact, canonical encoding, else ``None`` (see the module text)."""
    try:
        return _decode(bytes(data))
    except (_Unhandled, InvalidFieldError, KeyError, ValueError, TypeError, IndexError):
        return None


def _decode(data: bytes) -> x.XwapMessage | None:
    plan = _plans_by_head().get(data[:3])
    if plan is None:
        return None
    n, i = _read_length(data, 3)
    end = i + n
    if end != len(data) or data[i] != 0:
        return None
    count = int.from_bytes(data[i + 1 : i + 3], "big")
    i += 3
    by_id = plan.by_id
    fields: dict[str, Any] = {}
    for _ in range(count):
        field = by_id.get(int.from_bytes(data[i : i + 2], "big"))
        if field is None or data[i : i + 3] != field.header or field.attr in fields:
            return None
        n, i = _read_length(data, i + 3)
        body = data[i : i + n]
        if len(body) != n:
            return None
        i += n
        fields[field.attr] = field.decode(body)
    if i != end:
        return None
    if not plan.mandatory <= fields.keys():
        return None
    return plan.cls(**fields)
