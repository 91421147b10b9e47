"""keys.KenbMemory: the last LWIP counter used under each KeNB, so that a KeNB coming back to a
new security context never gives a counter twice (TS 33.401 Annex H: the LWIP-PSK is fresh for
each counter under one KeNB).

- What is remembered is the highest counter used, whatever order the uses are reported in.
- Only ``limit`` KeNBs are kept, the least recently *used* one forgotten first: a KeNB used
  again moves to the end.
- A context resumed under a KeNB whose last counter was 65534 still has 65535 (lwip-Counter-r13
  is 0..65535, TS 36.331); one whose last was 65535 has none.
"""

from __future__ import annotations

from lwip_enb.keys import LWIP_COUNTER_MAX, KenbMemory, LwipSecurityContext

A, B, C = (bytes([n]) * 32 for n in (1, 2, 3))


def test_33401_h_the_highest_counter_used_is_remembered() -> None:
    memory = KenbMemory()
    fp = memory.fingerprint(A)
    memory.used(fp, 5)
    memory.used(fp, 3)  # reported late: must not take the memory back
    assert memory.next_counter(fp) == 6


def test_33401_h_the_least_recently_used_kenb_is_forgotten_first() -> None:
    memory = KenbMemory(limit=2)
    fa, fb, fc = (memory.fingerprint(k) for k in (A, B, C))
    memory.used(fa, 0)
    memory.used(fb, 0)
    memory.used(fa, 1)  # A used again: now B is the least recently used
    memory.used(fc, 0)
    assert memory.next_counter(fa) == 2
    assert memory.next_counter(fb) == 0  # forgotten
    assert memory.next_counter(fc) == 1


def test_36331_a_kenb_resumed_after_counter_65534_still_has_65535() -> None:
    memory = KenbMemory()
    memory.used(memory.fingerprint(A), LWIP_COUNTER_MAX - 1)
    context = LwipSecurityContext(A, memory=memory)
    assert context.counters_left == 1
    with context.next_psk() as derived:
        assert derived.counter == LWIP_COUNTER_MAX
    memory.used(memory.fingerprint(B), LWIP_COUNTER_MAX)
    assert LwipSecurityContext(B, memory=memory).counters_left == 0
