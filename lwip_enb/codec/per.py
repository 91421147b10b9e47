"""PER bit fields held in one Python ``int``: the writer and reader of both fast paths (X.691).

The hand-specialised coders, :mod:`lwip_enb.codec.rrc.fast` (UPER) and
:mod:`lwip_enb.codec.xwap.fast` (APER), write and read their fields with integer shifts, the
cheapest bit operations Python has. This module holds the convention they share and the
operations that take more than one shift.

Writing: an encoding under way is an ``int`` with a sentinel 1 bit above its first bit;
:data:`EMPTY` holds no bit yet, and the bit count is ``acc.bit_length() - 1``. A bit-field of
``width`` bits (a constrained whole number, X.691 11.5.7 and, in UPER, 11.5.6; a presence
bit-map; a CHOICE or ENUMERATED index) is appended in place as ``acc = acc << width | value``:
the fast paths write that inline, since a call would cost more than the shift. The functions
here align, append octet strings and length determinants, and give the final octets.

Reading: the octets become one ``int`` once, ``v = int.from_bytes(data, "big")``, and ``rest``
counts the bits not read yet; a field of ``width`` bits is ``rest -= width`` then
``v >> rest & (1 << width) - 1``. Reading past the end makes the shift count negative, and
Python raises ``ValueError``: truncation needs no test of its own. Every ``take_*`` function
returns the value and the new ``rest``.

What a fast path does not handle (a fragmented length, a non-canonical form, a padding bit
set) raises :class:`Unhandled`; the fast path then returns ``None`` and the general codec
decides. :class:`FastCodec` is what each fast path registers for each typed message class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, NamedTuple

__all__ = [
    "EMPTY",
    "FastCodec",
    "Unhandled",
    "align",
    "end_aligned",
    "end_padded",
    "length_octets",
    "put_aligned_length",
    "put_aligned_octets",
    "put_length",
    "put_octet_string",
    "put_octets",
    "read_length",
    "take_align",
    "take_aligned_length",
    "take_aligned_octets",
    "take_length",
    "take_octet_string",
    "take_octets",
    "take_window",
    "to_bytes",
]


class Unhandled(Exception):
    """Not a shape the fast path handles; the general codec answers instead."""


class FastCodec(NamedTuple):
    """The fast path of one typed message class.

    ``encode(msg)`` gives the octets of a message of the class, or ``None`` when the general
    codec must encode it; ``decode(data)`` gives the message of the class that ``data`` holds
    in its canonical encoding, or ``None`` for any other octets. Neither ever raises.
    """

    encode: Callable[[Any], bytes | None]
    decode: Callable[[bytes], Any]


# --- writing ------------------------------------------------------------------------------------

#: An encoding with no bit yet: only the sentinel.
EMPTY: Final = 1

#: X.691 11.1: a complete encoding of no bits is one zero octet.
_NO_BITS: Final = b"\x00"


def align(acc: int) -> int:
    """``acc`` with zero bits up to the next octet boundary (APER: octet-aligned fields)."""
    return acc << (1 - acc.bit_length()) % 8


def put_octets(acc: int, data: bytes) -> int:
    """The octets of an OCTET STRING, not aligned (UPER, X.691 17)."""
    return acc << 8 * len(data) | int.from_bytes(data, "big")


def put_aligned_octets(acc: int, data: bytes) -> int:
    """The octets of an OCTET STRING after octet alignment (APER, X.691 17)."""
    return acc << (1 - acc.bit_length()) % 8 + 8 * len(data) | int.from_bytes(data, "big")


def put_length(acc: int, n: int) -> int:
    """An unconstrained length determinant, not aligned (X.691 11.9.3.6-7): one octet below
    128, ``10`` and 14 bits below 16K; from 16K the length comes in fragments (11.9.3.8), which
    no fast path writes."""
    if n < 0x80:
        return acc << 8 | n
    if n < 0x4000:
        return acc << 16 | 0x8000 | n
    raise Unhandled("fragmented length")


def put_aligned_length(acc: int, n: int) -> int:
    """:func:`put_length` after octet alignment (APER)."""
    return put_length(acc << (1 - acc.bit_length()) % 8, n)


def put_octet_string(acc: int, data: bytes) -> int:
    """An unconstrained OCTET STRING, not aligned (UPER, X.691 17.8): its length determinant
    (:func:`put_length`) and its octets."""
    n = len(data)
    if n < 0x80:
        return (acc << 8 | n) << 8 * n | int.from_bytes(data, "big")
    if n < 0x4000:
        return (acc << 16 | 0x8000 | n) << 8 * n | int.from_bytes(data, "big")
    raise Unhandled("fragmented length")


def length_octets(n: int) -> bytes:
    """:func:`put_length` as octets, for an open type's length (X.691 11.2.2)."""
    if n < 0x80:
        return bytes((n,))
    if n < 0x4000:
        return (0x8000 | n).to_bytes(2, "big")
    raise Unhandled("fragmented length")


def to_bytes(acc: int) -> bytes:
    """The complete encoding: the bits below the sentinel, padded with zero bits to the octet
    (X.691 11.1)."""
    width = acc.bit_length() - 1
    pad = -width % 8
    return (acc << pad).to_bytes((width + pad) // 8 + 1, "big")[1:] or _NO_BITS


# --- reading ------------------------------------------------------------------------------------


def take_octets(v: int, rest: int, n: int) -> tuple[bytes, int]:
    """``n`` octets of an OCTET STRING, not aligned (UPER)."""
    rest -= 8 * n
    return (v >> rest & (1 << 8 * n) - 1).to_bytes(n, "big"), rest


def take_align(v: int, rest: int) -> int:
    """Skip to the next octet boundary (APER); the padding bits must be zero.

    The encoding is whole octets, so the bits read so far fill whole octets when ``rest`` is a
    multiple of 8."""
    pad = rest & 7
    if pad and v >> rest - pad & (1 << pad) - 1:
        raise Unhandled("padding bits not zero")
    return rest - pad


def take_aligned_octets(data: bytes, v: int, rest: int, n: int) -> tuple[bytes, int]:
    """``n`` octets after octet alignment (APER), sliced from ``data``, the octets ``v`` holds:
    no shift of the whole encoding."""
    rest = take_align(v, rest) - 8 * n
    if rest < 0:
        raise Unhandled("truncated")
    start = len(data) - (rest >> 3) - n
    return data[start : start + n], rest


def take_length(v: int, rest: int) -> tuple[int, int]:
    """A length determinant written as :func:`put_length` writes it, not aligned (UPER).

    Only the shortest form: a length below 128 in two octets is legal PER but not canonical,
    and the fast decoders accept only canonical encodings."""
    rest -= 8
    n = v >> rest & 0xFF
    if n < 0x80:
        return n, rest
    if n >= 0xC0:
        raise Unhandled("fragmented length")
    rest -= 8
    n = (n & 0x3F) << 8 | v >> rest & 0xFF
    if n < 0x80:
        raise Unhandled("length not in its shortest form")
    return n, rest


def take_octet_string(v: int, rest: int) -> tuple[bytes, int]:
    """An OCTET STRING written as :func:`put_octet_string` writes it (UPER)."""
    n, rest = take_length(v, rest)
    rest -= 8 * n
    return (v >> rest & (1 << 8 * n) - 1).to_bytes(n, "big"), rest


def take_aligned_length(v: int, rest: int) -> tuple[int, int]:
    """:func:`take_length` after octet alignment (APER)."""
    return take_length(v, take_align(v, rest))


def read_length(data: bytes, i: int) -> tuple[int, int]:
    """(length, index after it) of a canonical length determinant at octet ``i`` of ``data``:
    an open type's length (X.691 11.2.2)."""
    first = data[i]
    if first < 0x80:
        return first, i + 1
    if first >= 0xC0:
        raise Unhandled("fragmented length")
    n = (first & 0x3F) << 8 | data[i + 1]
    if n < 0x80:
        raise Unhandled("length not in its shortest form")
    return n, i + 2


def take_window(data: bytes, rest: int, width: int) -> tuple[int, int]:
    """(``w``, ``wrest``): a reader over at most ``width`` bits from the current bit.

    Shifting the ``int`` of a long encoding costs in proportion to the encoding; a field read
    from this window costs in proportion to ``width``. After reading from it, the bits read
    are ``wrest`` before less ``wrest`` after: subtract them from ``rest``."""
    start, skip = divmod(8 * len(data) - rest, 8)
    window = data[start : start + (skip + width + 7) // 8]
    return int.from_bytes(window, "big"), 8 * len(window) - skip


def end_aligned(v: int, rest: int) -> None:
    """The complete encoding ends here (APER): zero padding bits to the octet, no octet after."""
    if take_align(v, rest) != 0:
        raise Unhandled("octets after the encoding")


def end_padded(v: int, rest: int) -> None:
    """The complete encoding ends here (UPER, X.691 11.1), e.g. that of an open type's value
    (X.691 11.2): fewer than 8 bits left, all of them zero padding. The encoder writes zero
    padding, so only that form is canonical."""
    if not 0 <= rest < 8 or v & (1 << rest) - 1:
        raise Unhandled("not the end of a complete encoding")
