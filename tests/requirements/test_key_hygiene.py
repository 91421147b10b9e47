"""Key material never shows (repr, str, format, errors, logs); wipe; constant-time compare (R5)."""

from __future__ import annotations

import copy
import logging
import pickle

import pytest

from lwip_enb.errors import InvalidFieldError, KeyWipedError
from lwip_enb.keys import KeyMaterial, LwipSecurityContext, derive_lwip_psk

KENB = bytes.fromhex("a1" * 32)


def _renderings(obj: object) -> list[str]:
    texts = [repr(obj), str(obj), f"{obj}", f"{obj!r}"]
    if isinstance(obj, KeyMaterial):
        texts.append(f"{obj:>80}")  # a format spec must not reveal the bytes either
    return texts


def test_key_material_never_renders_its_bytes() -> None:
    psk = derive_lwip_psk(KENB, 5)
    secret = psk.hex()
    for text in _renderings(psk):
        assert secret not in text
        assert secret[:8] not in text
        assert "32 octets" in text


def test_derived_psk_and_context_reprs_hide_keys() -> None:
    ctx = LwipSecurityContext(KENB)
    derived = ctx.next_psk()
    for text in _renderings(derived) + _renderings(ctx):
        assert derived.psk.hex() not in text
        assert KENB.hex() not in text
        assert "a1a1" not in text


def test_wipe_zeroes_and_blocks_use() -> None:
    km = KeyMaterial(b"\x55" * 32)
    view_before = km.view()
    km.wipe()
    assert km.wiped
    assert bytes(view_before) == bytes(32)
    for use in (km.reveal, km.hex, km.view):
        with pytest.raises(KeyWipedError):
            use()
    assert "wiped" in repr(km)


def test_context_manager_wipes_even_on_error() -> None:
    with pytest.raises(RuntimeError), KeyMaterial(b"\x11" * 32) as km:
        raise RuntimeError("boom")
    assert km.wiped


def test_comparison_is_by_value_and_constant_time_api() -> None:
    a, b = KeyMaterial(b"\x01" * 32), KeyMaterial(b"\x01" * 32)
    assert a == b
    assert a == b"\x01" * 32
    assert a != KeyMaterial(b"\x02" * 32)
    with pytest.raises(TypeError):
        hash(a)


def test_no_pickle_no_copy() -> None:
    km = KeyMaterial(b"\x01" * 32)
    with pytest.raises(TypeError):
        pickle.dumps(km)
    with pytest.raises(TypeError):
        copy.copy(km)
    with pytest.raises(TypeError):
        copy.deepcopy(km)


def test_bad_hex_error_does_not_echo_the_input() -> None:
    almost_a_key = "ab" * 31 + "zz"
    with pytest.raises(InvalidFieldError) as err:
        KeyMaterial.from_hex(almost_a_key, field="kenb")
    assert "abab" not in str(err.value)
    with pytest.raises(InvalidFieldError) as err2:
        KeyMaterial.from_hex("ab" * 31, field="kenb", length=32)
    assert "abab" not in str(err2.value)
    assert err2.value.field == "kenb"


def test_nothing_secret_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ctx = LwipSecurityContext(KENB)
    psks = [ctx.next_psk() for _ in range(3)]
    ctx.rekey(bytes(32))
    with pytest.raises(InvalidFieldError):
        ctx.rekey(KENB[:31])
    logging.getLogger("lwip_enb").debug("context %s psk %s", ctx, psks[0].psk)
    text = caplog.text
    assert KENB.hex() not in text
    for d in psks:
        assert d.psk.hex() not in text
