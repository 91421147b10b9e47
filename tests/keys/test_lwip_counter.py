"""LWIP counter freshness: a (KeNB, counter) pair is never used twice (TS 33.401)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lwip_enb.errors import CounterExhaustedError, InvalidFieldError
from lwip_enb.keys import LWIP_COUNTER_MAX, LwipCounter, LwipSecurityContext, derive_lwip_psk


def test_counter_space_is_used_once_then_exhausts() -> None:
    counter = LwipCounter()
    values = [counter.allocate() for _ in range(LWIP_COUNTER_MAX + 1)]
    assert values == list(range(65536))
    assert counter.remaining == 0
    with pytest.raises(CounterExhaustedError) as err:
        counter.allocate()
    assert "refresh KeNB" in str(err.value)
    with pytest.raises(CounterExhaustedError):
        counter.allocate()


def test_context_65536_psks_never_repeat_then_raise_and_new_kenb_restarts() -> None:
    ctx = LwipSecurityContext(bytes(range(32)))
    seen_counters: set[int] = set()
    seen_psks: set[bytes] = set()
    for _ in range(65536):
        derived = ctx.next_psk()
        seen_counters.add(derived.counter)
        seen_psks.add(derived.psk.reveal())
        derived.psk.wipe()
    assert len(seen_counters) == 65536
    assert len(seen_psks) == 65536
    assert ctx.counters_left == 0
    with pytest.raises(CounterExhaustedError):
        ctx.next_psk()
    # A new KeNB (handover, re-establishment) opens a new counter space.
    new_kenb = bytes(range(1, 33))
    assert ctx.rekey(new_kenb) is True
    first = ctx.next_psk()
    assert first.counter == 0
    assert first.psk == derive_lwip_psk(new_kenb, 0)


def test_rekey_with_the_same_kenb_keeps_the_counter() -> None:
    kenb = bytes(range(32))
    ctx = LwipSecurityContext(kenb)
    ctx.next_psk()
    ctx.next_psk()
    assert ctx.rekey(bytes(kenb)) is False
    assert ctx.next_psk().counter == 2


@given(st.lists(st.sampled_from(["psk", "rekey-same", "rekey-new"]), max_size=60))
def test_no_kenb_counter_pair_is_ever_reused(ops: list[str]) -> None:
    kenb_index = 0
    ctx = LwipSecurityContext(bytes([kenb_index]) * 32)
    used: set[tuple[int, int]] = set()
    for op in ops:
        if op == "psk":
            derived = ctx.next_psk()
            pair = (kenb_index, derived.counter)
            assert pair not in used
            used.add(pair)
        elif op == "rekey-same":
            ctx.rekey(bytes([kenb_index]) * 32)
        else:
            kenb_index += 1
            ctx.rekey(bytes([kenb_index]) * 32)


def test_wiped_context_cannot_derive() -> None:
    ctx = LwipSecurityContext(bytes(32))
    ctx.wipe()
    with pytest.raises(Exception, match="wipe"):
        ctx.next_psk()


def test_context_skips_forward_only() -> None:
    ctx = LwipSecurityContext(bytes(range(32)))
    assert ctx.next_psk().counter == 0
    ctx.skip_to(1)  # the next value already: nothing skipped
    ctx.skip_to(100)
    assert ctx.next_psk().counter == 100 and ctx.counters_left == 65435
    with pytest.raises(InvalidFieldError, match="cannot go back"):
        ctx.skip_to(100)
    with pytest.raises(InvalidFieldError):
        ctx.skip_to(65536)
