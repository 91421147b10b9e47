"""IDis stay unique across ``fork``: a child process must not replay its parent's buffered
randomness (two eNB worker processes would otherwise give two UEs the same IKE identity, and the
SeGW would pick one PSK for both: R3)."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from lwip_enb.keys import IdiAllocator

FORK = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _in_child(produce: Callable[[], bytes]) -> bytes:
    """Fork; the child runs ``produce`` and sends back what it returns."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            os.write(write_end, produce())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return data


def _four(allocator: IdiAllocator) -> bytes:
    return b"".join(allocator.allocate().octets for _ in range(4))


def _idis(data: bytes) -> set[bytes]:
    return {data[i : i + 16] for i in range(0, len(data), 16)}


@FORK
def test_r3_parent_and_forked_child_allocate_different_idis() -> None:
    allocator = IdiAllocator()
    allocator.allocate()  # fills the buffer the child inherits
    child = _in_child(lambda: _four(allocator))
    parent = _four(allocator)
    assert len(child) == len(parent) == 64
    assert not _idis(child) & _idis(parent)


@FORK
def test_r3_two_children_of_one_parent_allocate_different_idis() -> None:
    """Two eNB workers forked from one process: each must draw its own randomness (R3)."""
    allocator = IdiAllocator()
    allocator.allocate()  # fills the buffer both children inherit
    first, second = _in_child(lambda: _four(allocator)), _in_child(lambda: _four(allocator))
    assert len(first) == len(second) == 64
    assert not _idis(first) & _idis(second)


def test_rfc7296_3_5_a_non_ascii_domain_is_refused_where_the_allocator_is_made() -> None:
    from lwip_enb.errors import InvalidFieldError
    from lwip_enb.keys import IkeIdType

    with pytest.raises(InvalidFieldError, match="domain"):
        IdiAllocator(id_type=IkeIdType.FQDN, domain="lwip.exämple")


@FORK
def test_r3_a_child_and_the_grandchild_it_forks_allocate_different_idis() -> None:
    """A worker that forks workers of its own: the grandchild must not replay the child's
    buffered randomness either (R3). The child allocates (filling its own buffer), forks the
    grandchild, and both allocate four more."""
    allocator = IdiAllocator()
    allocator.allocate()

    def child() -> bytes:
        allocator.allocate()  # the child's own buffer, which the grandchild inherits
        grandchild = _in_child(lambda: _four(allocator))
        return grandchild + _four(allocator)

    both = _in_child(child)
    assert len(both) == 128
    grandchild, mine = _idis(both[:64]), _idis(both[64:])
    assert len(grandchild) == len(mine) == 4 and not grandchild & mine


def test_r3_the_fork_hook_makes_every_later_process_draw_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same in one process: the hook lwip_enb.keys registers with ``os.register_at_fork``
    (run in each forked child) must make the next allocation draw new randomness every time it
    runs, in a child and again in a grandchild. Counted on ``os.urandom``."""
    from lwip_enb import keys

    allocator = IdiAllocator()
    allocator.allocate()
    draws: list[int] = []
    real = os.urandom

    def counting(n: int) -> bytes:
        draws.append(n)
        return real(n)

    monkeypatch.setattr(keys.os, "urandom", counting)
    monkeypatch.setattr(keys, "_fork_generation", keys._fork_generation)  # restored afterwards
    allocator.allocate()
    assert draws == []  # from the buffer
    for forks in (1, 2, 3):
        keys._after_fork_in_child()  # as in a child, then a grandchild, ...
        allocator.allocate()
        assert len(draws) == forks
