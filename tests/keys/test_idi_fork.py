"""IDis stay unique across ``fork``: a child process must not replay its parent's buffered
randomness (two eNB worker processes would otherwise give two UEs the same IKE identity, and the
SeGW would pick one PSK for both: R3)."""

from __future__ import annotations

import os

import pytest

from lwip_enb.keys import IdiAllocator


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_r3_parent_and_forked_child_allocate_different_idis() -> None:
    allocator = IdiAllocator()
    allocator.allocate()  # fills the buffer the child inherits
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: allocate a few and report them
        try:
            os.close(read_end)
            os.write(write_end, b"".join(allocator.allocate().octets for _ in range(4)))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        child = pipe.read()
    os.waitpid(pid, 0)
    parent = b"".join(allocator.allocate().octets for _ in range(4))
    assert len(child) == len(parent) == 64
    child_idis = {child[i : i + 16] for i in range(0, 64, 16)}
    parent_idis = {parent[i : i + 16] for i in range(0, 64, 16)}
    assert not child_idis & parent_idis


def _child_idis(allocator: IdiAllocator) -> bytes:
    """Fork; the child allocates four IDis and sends them back."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            os.write(write_end, b"".join(allocator.allocate().octets for _ in range(4)))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        idis = pipe.read()
    os.waitpid(pid, 0)
    return idis


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_r3_two_children_of_one_parent_allocate_different_idis() -> None:
    """Two eNB workers forked from one process: each must draw its own randomness (R3)."""
    allocator = IdiAllocator()
    allocator.allocate()  # fills the buffer both children inherit
    first, second = _child_idis(allocator), _child_idis(allocator)
    assert len(first) == len(second) == 64
    assert not {first[i : i + 16] for i in range(0, 64, 16)} & {
        second[i : i + 16] for i in range(0, 64, 16)
    }


def test_rfc7296_3_5_a_non_ascii_domain_is_refused_where_the_allocator_is_made() -> None:
    from lwip_enb.errors import InvalidFieldError
    from lwip_enb.keys import IkeIdType

    with pytest.raises(InvalidFieldError, match="domain"):
        IdiAllocator(id_type=IkeIdType.FQDN, domain="lwip.exämple")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_r3_a_child_and_the_grandchild_it_forks_allocate_different_idis() -> None:
    """A worker that forks workers of its own: the grandchild must not replay the child's
    buffered randomness either (R3). The child allocates (filling its own buffer), forks the
    grandchild, and both allocate four more."""
    allocator = IdiAllocator()
    allocator.allocate()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read_end)
            allocator.allocate()  # the child's own buffer, which the grandchild inherits
            grandchild = _child_idis(allocator)
            mine = b"".join(allocator.allocate().octets for _ in range(4))
            os.write(write_end, grandchild + mine)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        both = pipe.read()
    os.waitpid(pid, 0)
    assert len(both) == 128
    grandchild = {both[i : i + 16] for i in range(0, 64, 16)}
    child = {both[i : i + 16] for i in range(64, 128, 16)}
    assert len(grandchild) == len(child) == 4 and not grandchild & child


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
