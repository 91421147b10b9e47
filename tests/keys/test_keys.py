"""Key derivation: TS 33.220 Annex B.2 KDF and the LWIP-PSK of TS 33.401 (R1, R5 key material)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lwip_enb.errors import InvalidFieldError, KeyWipedError
from lwip_enb.keys import (
    FC_LWIP_PSK,
    KeyMaterial,
    LwipSecurityContext,
    Uint,
    derive_lwip_psk,
    kdf,
)

KENB_0_31 = bytes(range(32))

# KeNB from KASME (TS 33.401 A.3, FC 0x11) and S-KgNB (A.15, FC 0x1C): srsRAN's unit tests.
# LWIP-PSK (FC 0x1E): a public Rust implementation of the same layout; it computes its vector
# over the parameter layout itself, so it confirms the layout, not the FC value.
KASME_SRSRAN = bytes.fromhex("6144c681d1bea9dae1b8cf6cd10a686341db8046a1e7a9ab4d1ea0e33c994ac0")
KENB_SRSRAN_EXPECTED = "c4c7bc798ab94e3d354cd6608e79aa92f5569df46519507850051e36f018ca5f"
KENB_SKGNB = bytes.fromhex("fe7dee808d7f3b882a082cbdc8390d129e5d28af0e8322eb573ada36f21a5a89")
SKGNB_EXPECTED = "45cbc3f8a81193fd5c5229300d59edf812e998a115ec4e0ce903ba89367e2628"
LWIP_PSK_0123_EXPECTED = "b870389602b0611f4c63b886f434ef0b4fa53866b894e5fe3d2f1507d31d77bf"


def test_kenb_vector_from_srsran_via_generic_kdf() -> None:
    # KeNB = KDF(KASME, FC 0x11, P0 = uplink NAS COUNT 0 (4 octets)): S = 11 00000000 0004
    out = kdf(KASME_SRSRAN, 0x11, Uint(0, 4))
    assert out.hex() == KENB_SRSRAN_EXPECTED


def test_skgnb_vector_from_srsran_via_generic_kdf() -> None:
    # S-KgNB = KDF(KeNB, FC 0x1C, P0 = SCG counter 0 (2 octets)): S = 1c 0000 0002
    assert kdf(KENB_SKGNB, 0x1C, Uint(0, 2)).hex() == SKGNB_EXPECTED
    assert kdf(KENB_SKGNB, 0x1C, b"\x00\x00").hex() == SKGNB_EXPECTED


def test_lwip_psk_vector() -> None:
    # NOT an independent vector: it comes from a Rust crate that says itself that its LWIP-PSK
    # vector is computed over the parameter layout (KeNB 00..1f, counter 0x0123, S = 1e 0123
    # 0002). It checks the layout and pins FC 0x1E, which no 3GPP text available here confirms
    # (lwip_enb/keys.py FC_LWIP_PSK). Confirmed parts are tested in test_ts36331_5_6_17_2_*.
    assert FC_LWIP_PSK == 0x1E
    assert derive_lwip_psk(KENB_0_31, 0x0123).hex() == LWIP_PSK_0123_EXPECTED
    assert kdf(KENB_0_31, 0x1E, Uint(0x0123, 2)).hex() == LWIP_PSK_0123_EXPECTED


def test_kdf_input_layout_matches_33220_b2() -> None:
    # Several parameters: S = FC || P0 || L0 || P1 || L1, checked against stdlib hmac directly.
    key = bytes(range(100, 132))
    s = bytes([0x42]) + b"abc" + b"\x00\x03" + b"\x00\x07" + b"\x00\x02"
    expected = hmac.new(key, s, hashlib.sha256).hexdigest()
    assert kdf(key, 0x42, b"abc", Uint(7, 2)).hex() == expected


@given(st.binary(min_size=32, max_size=32), st.integers(0, 0xFFFF))
def test_lwip_psk_equals_hmac_of_documented_input(kenb: bytes, counter: int) -> None:
    s = b"\x1e" + counter.to_bytes(2, "big") + b"\x00\x02"
    assert derive_lwip_psk(kenb, counter).hex() == hmac.new(kenb, s, hashlib.sha256).hexdigest()


@given(st.binary(min_size=32, max_size=32), st.integers(1, 5))
def test_security_context_psks_are_derive_lwip_psk(kenb: bytes, n: int) -> None:
    ctx = LwipSecurityContext(kenb)
    for counter in range(n):
        with ctx.next_psk() as derived:
            assert derived.counter == counter
            assert derived.psk == derive_lwip_psk(kenb, counter)


@given(st.binary(min_size=32, max_size=32), st.integers(0, 0xFFFF), st.integers(0, 0xFFFF))
def test_distinct_counters_give_distinct_psks(kenb: bytes, a: int, b: int) -> None:
    if a != b:
        assert derive_lwip_psk(kenb, a) != derive_lwip_psk(kenb, b)


def test_psk_is_256_bits() -> None:
    assert len(derive_lwip_psk(KENB_0_31, 0)) == 32


@pytest.mark.parametrize("length", [0, 16, 31, 33, 64])
def test_kenb_must_be_32_octets(length: int) -> None:
    with pytest.raises(InvalidFieldError) as err:
        derive_lwip_psk(bytes(length), 0)
    assert err.value.field == "kenb"


@pytest.mark.parametrize("counter", [-1, 65536, 1 << 20])
def test_counter_range(counter: int) -> None:
    with pytest.raises(InvalidFieldError) as err:
        derive_lwip_psk(KENB_0_31, counter)
    assert err.value.field == "lwip_counter"


@pytest.mark.parametrize("counter", [True, 1.0, "1"])
def test_counter_must_be_an_int(counter: object) -> None:
    with pytest.raises(InvalidFieldError):
        derive_lwip_psk(KENB_0_31, counter)  # type: ignore[arg-type]


def test_uint_width_is_enforced() -> None:
    with pytest.raises(InvalidFieldError):
        Uint(256, 1)
    with pytest.raises(InvalidFieldError):
        Uint(-1, 2)
    with pytest.raises(InvalidFieldError):
        Uint(0, 0)


def test_fc_must_be_one_octet() -> None:
    with pytest.raises(InvalidFieldError):
        kdf(KENB_0_31, 0x100)


def test_kdf_accepts_key_material_and_leaves_it_intact() -> None:
    with KeyMaterial(KENB_0_31) as kenb:
        assert derive_lwip_psk(kenb, 0x0123).hex() == LWIP_PSK_0123_EXPECTED
        assert kenb == KENB_0_31
    with pytest.raises(KeyWipedError):
        derive_lwip_psk(kenb, 1)


def test_ts36331_5_6_17_2_lwip_psk_confirmed_parts_and_fc_override() -> None:
    """What is confirmed: key KeNB, P0 = lwip-Counter (two octets), L0 = 0x00 0x02 (TS 36.331
    5.6.17.2 with TS 33.220 B.2) and a 256-bit output (TS 36.463 9.2.30 LWIP-PSK). The FC is not
    confirmed: it can be changed in one place, and every derivation follows."""
    from lwip_enb.keys import lwip_psk_fc, set_lwip_psk_fc

    kenb, counter = bytes(range(32)), 0x0123
    s = bytes([lwip_psk_fc()]) + counter.to_bytes(2, "big") + b"\x00\x02"
    psk = derive_lwip_psk(kenb, counter)
    assert len(psk) * 8 == 256
    assert psk.hex() == hmac.new(kenb, s, hashlib.sha256).hexdigest()
    previous = set_lwip_psk_fc(0x2A)
    try:
        assert previous == FC_LWIP_PSK
        other = derive_lwip_psk(kenb, counter).hex()
        expected = hmac.new(kenb, b"\x2a" + s[1:], hashlib.sha256).hexdigest()
        assert other == expected
        with LwipSecurityContext(kenb).next_psk() as got:
            assert (
                got.psk.hex() == hmac.new(kenb, b"\x2a\x00\x00\x00\x02", hashlib.sha256).hexdigest()
            )
    finally:
        set_lwip_psk_fc(previous)
    assert derive_lwip_psk(kenb, counter).hex() == psk.hex()
