"""The FC of the LWIP-PSK derivation can be overridden (keys.set_lwip_psk_fc) to any one-octet
value, as TS 33.220 B.2 makes FC "a single octet": 0x00 and 0xFF taken, anything else refused
with the previous FC kept (a refused value must not change what every derivation uses)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import pytest

from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import FC_LWIP_PSK, derive_lwip_psk, lwip_psk_fc, set_lwip_psk_fc

KENB = bytes(range(32))


@pytest.fixture(autouse=True)
def _restore_fc() -> Iterator[None]:
    previous = lwip_psk_fc()
    yield
    set_lwip_psk_fc(previous)


def _clause_b2(fc: int, counter: int) -> str:
    # TS 33.220 B.2: S = FC || P0 || L0, with P0 the counter in two octets and L0 = 0x00 0x02
    s = bytes([fc]) + counter.to_bytes(2, "big") + b"\x00\x02"
    return hmac.new(KENB, s, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("fc", [0x00, 0xFF])
def test_33220_b2_fc_override_takes_both_ends_of_one_octet(fc: int) -> None:
    assert set_lwip_psk_fc(fc) == FC_LWIP_PSK
    assert lwip_psk_fc() == fc
    assert derive_lwip_psk(KENB, 7).hex() == _clause_b2(fc, 7)


@pytest.mark.parametrize("fc", [-1, 0x100, 256 + FC_LWIP_PSK, "0x1E", 1.0, True, None])
def test_33220_b2_fc_override_outside_one_octet_is_refused_and_changes_nothing(fc: object) -> None:
    with pytest.raises(InvalidFieldError):
        set_lwip_psk_fc(fc)  # type: ignore[arg-type]
    assert lwip_psk_fc() == FC_LWIP_PSK
    assert derive_lwip_psk(KENB, 7).hex() == _clause_b2(FC_LWIP_PSK, 7)
