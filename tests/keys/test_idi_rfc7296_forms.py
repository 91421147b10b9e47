"""IDi forms and the allocator's rules (RFC 7296 3.5, docs/identities.md).

- ID_FQDN and ID_RFC822_ADDR are text: a domain name is letters, digits, hyphens and dots
  (RFC 1035 2.3.1), so no space, and RFC 7296 3.5 forbids terminators (NUL, CR, ...).
- The allocator draws 16..64 random octets; the text forms are ``<hex>.<domain>`` and
  ``<hex>@<domain>``, so they need a domain, and a domain that cannot make a valid identity is
  refused when the allocator is made.
"""

from __future__ import annotations

import pytest

from lwip_enb.errors import IdentityExhaustedError, InvalidFieldError
from lwip_enb.keys import Idi, IdiAllocator, IkeIdType

TEXT_TYPES = [IkeIdType.FQDN, IkeIdType.RFC822_ADDR]


@pytest.mark.parametrize(
    "octets", [b"ue 1@lwip.example", b"ue@lwip example", b"ue@lwip.example\r\n", b"ue\x00@lwip"]
)
@pytest.mark.parametrize("id_type", TEXT_TYPES)
def test_rfc7296_text_identities_have_no_space_or_terminator(
    octets: bytes, id_type: IkeIdType
) -> None:
    with pytest.raises(InvalidFieldError):
        Idi(octets, id_type)


@pytest.mark.parametrize("id_type", TEXT_TYPES)
def test_rfc7296_text_identities_without_space_are_accepted(id_type: IkeIdType) -> None:
    assert Idi(b"ue-1@lwip.example", id_type).octets == b"ue-1@lwip.example"


@pytest.mark.parametrize("length", [16, 17, 63, 64])
def test_allocator_draws_16_to_64_octets(length: int) -> None:
    assert len(IdiAllocator(length=length).allocate().octets) == length
    fqdn = IdiAllocator(length=length, id_type=IkeIdType.FQDN, domain="lwip.example").allocate()
    label, _, domain = fqdn.octets.decode("ascii").partition(".")
    assert len(bytes.fromhex(label)) == length and domain == "lwip.example"


@pytest.mark.parametrize("id_type", TEXT_TYPES)
def test_text_forms_need_a_domain(id_type: IkeIdType) -> None:
    with pytest.raises(InvalidFieldError):
        IdiAllocator(id_type=id_type, domain="")


def test_key_id_form_needs_no_domain() -> None:
    assert len(IdiAllocator(domain="").allocate().octets) == 16


@pytest.mark.parametrize("id_type", TEXT_TYPES)
@pytest.mark.parametrize("domain", ["lwip example", "lwip\r\nexample"])
def test_a_domain_that_makes_no_valid_identity_is_refused_at_once(
    id_type: IkeIdType, domain: str
) -> None:
    with pytest.raises(InvalidFieldError):
        IdiAllocator(id_type=id_type, domain=domain)


def test_idi_from_hex_takes_spaces_and_keeps_the_type() -> None:
    assert Idi.from_hex("00 11\n22 33") == Idi(bytes.fromhex("00112233"))
    text = Idi.from_hex("75 65 40 6c 77", IkeIdType.RFC822_ADDR)
    assert text.octets == b"ue@lw" and text.id_type is IkeIdType.RFC822_ADDR
    with pytest.raises(InvalidFieldError):
        Idi.from_hex("0g")


def test_idi_text_is_hex_for_key_id_and_the_text_itself_otherwise() -> None:
    assert str(Idi(bytes.fromhex("00ff10"))) == "00ff10"
    assert str(Idi(b"ue@lwip.example", IkeIdType.RFC822_ADDR)) == "ue@lwip.example"
    assert str(Idi(b"ue.lwip.example", IkeIdType.FQDN)) == "ue.lwip.example"


def test_iterating_the_allocator_gives_the_live_identities() -> None:
    alloc = IdiAllocator(id_type=IkeIdType.FQDN, domain="lwip.example")
    a, b, c = alloc.allocate(), alloc.allocate(), alloc.allocate()
    alloc.release(b)
    assert sorted(alloc, key=lambda i: i.octets) == sorted([a, c], key=lambda i: i.octets)
    assert all(i.id_type is IkeIdType.FQDN for i in alloc)


def test_allocation_gives_up_after_the_draws_its_error_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alloc = IdiAllocator()
    draws: list[int] = []

    def same_octets(n: int) -> bytes:
        draws.append(n)
        return b"\x07" * n

    monkeypatch.setattr(alloc, "_random", same_octets)
    alloc.allocate()
    draws.clear()
    with pytest.raises(IdentityExhaustedError) as err:
        alloc.allocate()
    assert f"after {len(draws)} random draws" in str(err.value)
    assert draws and all(n == 16 for n in draws)
