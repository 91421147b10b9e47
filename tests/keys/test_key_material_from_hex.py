"""Key material from hex text, as the CLI reads ``--kenb`` and ``--psk``.

docs/cli.md: "HEX arguments accept spaces and a ``0x`` prefix". The PSK expected from KeNB 00..1f
and counter 0x0123 is the vector of an independent implementation (tests/keys/test_keys.py).
"""

from __future__ import annotations

import pytest

from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import KeyMaterial, derive_lwip_psk

KENB_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
LWIP_PSK_0123 = "b870389602b0611f4c63b886f434ef0b4fa53866b894e5fe3d2f1507d31d77bf"


@pytest.mark.parametrize(
    "text",
    [
        KENB_HEX,
        KENB_HEX.upper(),
        "0x" + KENB_HEX,
        "0X" + KENB_HEX.upper(),
        " ".join(KENB_HEX[i : i + 2] for i in range(0, 64, 2)),
        "0x 0001 0203\n0405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\t",
    ],
    ids=["plain", "upper", "0x", "0X", "spaced", "0x-and-whitespace"],
)
def test_cli_hex_forms_give_the_same_kenb_and_psk(text: str) -> None:
    kenb = KeyMaterial.from_hex(text, field="kenb", length=32)
    assert kenb.reveal() == bytes(range(32))
    assert derive_lwip_psk(kenb, 0x0123).hex() == LWIP_PSK_0123


def test_without_a_length_any_number_of_octets() -> None:
    assert KeyMaterial.from_hex("0x0a 0b").reveal() == b"\x0a\x0b"
    assert len(KeyMaterial.from_hex("ff" * 40)) == 40


def test_errors_name_the_field_the_caller_gave_else_key() -> None:
    with pytest.raises(InvalidFieldError) as not_hex:
        KeyMaterial.from_hex("0xzz")
    assert not_hex.value.field == "key"
    with pytest.raises(InvalidFieldError) as short:
        KeyMaterial.from_hex(KENB_HEX[:-2], field="kenb", length=32)
    assert short.value.field == "kenb"
