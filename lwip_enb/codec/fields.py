"""What RRC and XwAP share: WLAN identifiers (``WLAN-Identifiers-r12``, ``MobilitySetItem``),
field validators, and the conversions of addresses and BIT STRINGs."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from lwip_enb.errors import InvalidFieldError

__all__ = [
    "WlanIdentifiers",
    "bits_to_uint",
    "int_in",
    "ip_address",
    "mac_address",
    "octets_len",
    "uint_to_bits",
]


def octets_len(field: str, lo: int, hi: int) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """attrs validator: ``None`` or bytes of ``lo..hi`` octets; errors name ``field``."""

    def check(_inst: object, _attr: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, bytes):
            raise InvalidFieldError(field, f"must be bytes, got {type(value).__name__}")
        if not lo <= len(value) <= hi:
            want = f"{lo}" if lo == hi else f"{lo}..{hi}"
            raise InvalidFieldError(field, f"must be {want} octets, got {len(value)}")

    return check


def int_in(field: str, lo: int, hi: int) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """attrs validator: an int (not a bool) in ``lo..hi``; errors name ``field``."""

    def check(_inst: object, _attr: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidFieldError(field, f"must be an integer, got {type(value).__name__}")
        if not lo <= value <= hi:
            raise InvalidFieldError(field, f"must be {lo}..{hi}, got {value}")

    return check


def ip_address(value: Any, field: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An IPv4/IPv6 address from text or an address object; errors name ``field``."""
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return value
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        raise InvalidFieldError(field, f"not an IPv4 or IPv6 address: {value!r}") from None


def uint_to_bits(value: int, width: int) -> tuple[bytes, int]:
    """An unsigned integer as a BIT STRING of ``width`` bits, in asn1tools' (bytes, bits) form."""
    return (value << (-width % 8)).to_bytes((width + 7) // 8, "big"), width


def bits_to_uint(bits: tuple[bytes, int]) -> int:
    """The unsigned integer a BIT STRING in asn1tools' (bytes, bits) form holds."""
    data, width = bits
    return int.from_bytes(data, "big") >> (len(data) * 8 - width)


def _opt_bytes(value: Any) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return value  # type: ignore[no-any-return]  # the validator names the field


def mac_address(text: str | bytes, field: str = "wlan_mac") -> bytes:
    """A 48-bit MAC as 6 octets, from bytes or ``aa:bb:cc:dd:ee:ff`` / ``aa-bb-..`` / hex text."""
    if isinstance(text, bytes | bytearray):
        raw = bytes(text)
    else:
        try:
            raw = bytes.fromhex(text.replace(":", "").replace("-", "").replace(".", ""))
        except ValueError:
            raise InvalidFieldError(field, f"not a MAC address: {text!r}") from None
    if len(raw) != 6:
        raise InvalidFieldError(field, f"must be 6 octets, got {len(raw)}")
    return raw


def wlan_tuple(value: Iterable[WlanIdentifiers]) -> tuple[WlanIdentifiers, ...]:
    """attrs converter: any iterable of WLAN identifiers as a tuple."""
    return tuple(value)


@attrs.frozen(slots=True)
class WlanIdentifiers:
    """A WLAN by SSID (1..32 octets), BSSID and/or HESSID (6 octets each)."""

    ssid: bytes | None = attrs.field(
        default=None, converter=_opt_bytes, validator=octets_len("ssid", 1, 32)
    )
    bssid: bytes | None = attrs.field(
        default=None, converter=_opt_bytes, validator=octets_len("bssid", 6, 6)
    )
    hessid: bytes | None = attrs.field(
        default=None, converter=_opt_bytes, validator=octets_len("hessid", 6, 6)
    )
