"""R5: when a tunnel goes, the LWIP-PSK is deleted. ``KeyMaterial`` zeroes its buffer on
``wipe()`` and also when the object is dropped without one (its docstring: "the buffer held here
is zeroed by wipe() and when the object dies"); its repr says which it is, never the bytes."""

from __future__ import annotations

import gc
import sys

import pytest

from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import KeyMaterial, LwipSecurityContext

KENB = bytes(range(32))


def test_r5_key_material_dropped_without_wipe_is_zeroed() -> None:
    km = KeyMaterial(b"\x5a" * 32)
    seen_from_outside = km.view()  # a view of the same buffer outlives the object
    del km
    gc.collect()
    assert bytes(seen_from_outside) == bytes(32)


def test_r5_derived_psk_dropped_without_wipe_is_zeroed() -> None:
    derived = LwipSecurityContext(KENB).next_psk()
    seen_from_outside = derived.psk.view()
    assert bytes(seen_from_outside) != bytes(32)
    del derived
    gc.collect()
    assert bytes(seen_from_outside) == bytes(32)


def test_r5_repr_tells_live_from_wiped() -> None:
    # README: a live 32-octet key prints as "<KeyMaterial 32 octets>"
    km = KeyMaterial(KENB)
    assert km.wiped is False
    assert repr(km) == "<KeyMaterial 32 octets>"
    km.wipe()
    assert km.wiped is True
    assert repr(km) == "<KeyMaterial wiped>"


def test_a_key_refused_at_construction_leaves_nothing_behind() -> None:
    # __init__ raised before any buffer existed: dropping the object must not fail either (an
    # exception in __del__ would only be printed, next to whatever the caller logs).
    unraisable: list[object] = []
    previous = sys.unraisablehook
    sys.unraisablehook = unraisable.append
    try:
        with pytest.raises(InvalidFieldError):
            KeyMaterial("not bytes")  # type: ignore[arg-type]
        gc.collect()
    finally:
        sys.unraisablehook = previous
    assert unraisable == []
