"""IDi allocation (R2, R3): random, unlinkable, unique among live tunnels, valid IKE ids."""

from __future__ import annotations

import pytest

from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import Idi, IdiAllocator, IkeIdType


def test_key_id_identities_are_16_random_octets_and_unique() -> None:
    alloc = IdiAllocator()
    ids = [alloc.allocate() for _ in range(5000)]
    assert all(len(i.octets) == 16 and i.id_type is IkeIdType.KEY_ID for i in ids)
    assert len({i.octets for i in ids}) == 5000
    assert len(alloc) == 5000
    # Random draws: no octet position is constant across 5000 identities.
    for pos in range(16):
        assert len({i.octets[pos] for i in ids}) > 100


def test_release_frees_and_only_live_ones_are_tracked() -> None:
    alloc = IdiAllocator()
    a, b = alloc.allocate(), alloc.allocate()
    assert a in alloc and b in alloc
    alloc.release(a)
    assert a not in alloc and b in alloc
    alloc.release(a)  # idempotent
    assert len(alloc) == 1


def test_allocator_retries_on_collision(monkeypatch: pytest.MonkeyPatch) -> None:
    alloc = IdiAllocator()
    draws = iter([b"\x01" * 16, b"\x01" * 16, b"\x02" * 16])
    monkeypatch.setattr(alloc, "_random", lambda n: next(draws))
    assert alloc.allocate().octets == b"\x01" * 16
    assert alloc.allocate().octets == b"\x02" * 16


def test_random_octets_are_drawn_in_blocks_and_never_reused() -> None:
    # 1,000 KEY_ID identities span several 4 KiB draws from the OS
    alloc = IdiAllocator()
    octets = [alloc.allocate().octets for _ in range(1000)]
    assert all(len(o) == 16 for o in octets) and len(set(octets)) == 1000


def test_identity_carries_nothing_of_the_ue() -> None:
    # The allocator takes no UE input at all: its only inputs are length, type and a fixed domain.
    alloc = IdiAllocator(id_type=IkeIdType.FQDN, domain="segw.example")
    idi = alloc.allocate()
    text = idi.octets.decode()
    label, domain = text.split(".", 1)
    assert domain == "segw.example" and len(bytes.fromhex(label)) == 16


def test_identity_forms_and_strongswan_syntax() -> None:
    key_id = Idi(bytes.fromhex("00112233"))
    assert key_id.strongswan_id() == "keyid:#00112233"
    fqdn = IdiAllocator(id_type=IkeIdType.FQDN).allocate()
    assert fqdn.strongswan_id().startswith("fqdn:") and fqdn.octets.endswith(b".lwip.invalid")
    mail = IdiAllocator(id_type=IkeIdType.RFC822_ADDR).allocate()
    assert mail.strongswan_id().startswith("rfc822:") and b"@lwip.invalid" in mail.octets


@pytest.mark.parametrize("length", [0, 256])
def test_idi_length_bounds(length: int) -> None:
    with pytest.raises(InvalidFieldError) as err:
        Idi(bytes(length))
    assert err.value.field == "idi"


def test_idi_length_edges_accepted() -> None:
    assert len(Idi(b"\x00").octets) == 1
    assert len(Idi(bytes(255)).octets) == 255


def test_text_identities_must_be_ascii() -> None:
    with pytest.raises(InvalidFieldError):
        Idi(b"\xff\xfe", IkeIdType.FQDN)
    with pytest.raises(InvalidFieldError):
        Idi(b"no-at-sign", IkeIdType.RFC822_ADDR)


@pytest.mark.parametrize("length", [8, 15, 65])
def test_allocator_refuses_short_or_huge_randomness(length: int) -> None:
    with pytest.raises(InvalidFieldError):
        IdiAllocator(length=length)
