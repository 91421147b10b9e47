"""TS 33.220 Annex B.2 at its edges: FC is one octet, each L_i is two octets.

B.2.0: S = FC || P0 || L0 || P1 || L1 || ... || Pn || Ln, where L_i is the length of P_i in octets
in two octets, and the derived key is HMAC-SHA-256(Key, S). The expected values here are the
standard library's HMAC of an S built by hand from that clause, never the library's own S.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest

from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import Uint, kdf

KEY = bytes(range(0x40, 0x60))


def _clause_b2(key: bytes, fc: int, *params: bytes) -> str:
    s = bytes([fc]) + b"".join(p + len(p).to_bytes(2, "big") for p in params)
    return hmac.new(key, s, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("fc", [0x00, 0x01, 0xFE, 0xFF])
def test_b2_fc_takes_every_one_octet_value(fc: int) -> None:
    assert kdf(KEY, fc, b"\x5a").hex() == _clause_b2(KEY, fc, b"\x5a")


@pytest.mark.parametrize("fc", [-1, 0x100])
def test_b2_fc_outside_one_octet_is_refused(fc: int) -> None:
    with pytest.raises(InvalidFieldError):
        kdf(KEY, fc, b"\x5a")


def test_b2_longest_parameter_is_65535_octets() -> None:
    # L_i has two octets: 65535 is the longest P_i it can state, 65536 cannot be encoded.
    longest = bytes(range(256)) * 255 + bytes(255)
    assert len(longest) == 0xFFFF
    assert kdf(KEY, 0x10, longest).hex() == _clause_b2(KEY, 0x10, longest)
    assert kdf(KEY, 0x10, b"\x01", longest).hex() == _clause_b2(KEY, 0x10, b"\x01", longest)
    with pytest.raises(InvalidFieldError):
        kdf(KEY, 0x10, bytes(0x10000))


def test_b2_integer_parameters_one_to_65535_octets_big_endian() -> None:
    assert kdf(KEY, 0x10, Uint(0xAB, 1)).hex() == _clause_b2(KEY, 0x10, b"\xab")
    assert kdf(KEY, 0x10, Uint(0x0102, 3)).hex() == _clause_b2(KEY, 0x10, b"\x00\x01\x02")
    widest = Uint(1, 0xFFFF)
    assert kdf(KEY, 0x10, widest).hex() == _clause_b2(KEY, 0x10, bytes(0xFFFE) + b"\x01")
    with pytest.raises(InvalidFieldError):
        Uint(0, 0x10000)
