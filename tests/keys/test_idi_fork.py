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
