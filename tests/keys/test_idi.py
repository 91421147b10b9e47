"""IDi allocation (R2, R3): random, unlinkable, unique among live tunnels, valid IKE ids."""

from __future__ import annotations

import itertools

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


def _common_prefix(a: bytes, b: bytes) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), len(a))


def _random_parts(id_type: IkeIdType, n: int) -> list[bytes]:
    """The variable part of ``n`` consecutive identities: the octets of a KEY_ID, the hex label
    of an FQDN or the local part of an RFC822 address (the domain is fixed)."""
    alloc = IdiAllocator(id_type=id_type, domain="segw.example")
    parts = []
    for _ in range(n):
        octets = alloc.allocate().octets
        if id_type is IkeIdType.KEY_ID:
            parts.append(octets)
            continue
        label, domain = octets.decode().split("." if id_type is IkeIdType.FQDN else "@", 1)
        assert domain == "segw.example"
        parts.append(bytes.fromhex(label))
    return parts


@pytest.mark.parametrize("id_type", list(IkeIdType), ids=[t.name for t in IkeIdType])
def test_identity_carries_nothing_of_the_ue(id_type: IkeIdType) -> None:
    """The IDi rule of docs/identities.md ("Why random"): R2/R3 (TS 33.401 16.2.2) have UE and
    SeGW use the IDi the eNB chose, and that IDi must not link the tunnel to the UE: the
    allocator takes no UE input (its inputs are length, type and a fixed domain) and consecutive
    identities show no structure. 2,000 of them: no two share 6 leading or 6 trailing octets (for
    16 random octets the chance that any pair does is below 1e-8), every octet position takes
    many values, and the differences between consecutive ones (as integers) are all distinct. A
    counter, in any byte order, offset or step, fails each of these."""
    parts = _random_parts(id_type, 2000)
    assert all(len(p) == 16 for p in parts)
    for key in (lambda p: p, lambda p: p[::-1]):  # leading, then trailing octets
        ordered = sorted(key(p) for p in parts)
        longest = max(_common_prefix(a, b) for a, b in itertools.pairwise(ordered))
        assert longest < 6
    for pos in range(16):
        assert len({p[pos] for p in parts}) > 200  # ~2,000 draws over 256 values: ~255 seen
    values = [int.from_bytes(p, "big") for p in parts]
    steps = [b - a for a, b in itertools.pairwise(values)]
    assert len(set(steps)) == len(steps)


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
