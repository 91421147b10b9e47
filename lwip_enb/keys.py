"""Key derivation and key hygiene for LWIP.

* :func:`kdf` is the generic key derivation function of TS 33.220 Annex B.2.
* :func:`derive_lwip_psk` derives the LWIP-PSK from KeNB and an LWIP counter (TS 33.401).
* :class:`LwipSecurityContext` hands out fresh LWIP counters for one KeNB and never reuses one.
* :class:`IdiAllocator` makes the IKEv2 identities (IDi) the eNB gives to UE and LWIP-SeGW.
* :class:`KeyMaterial` is the one type that holds secrets: wipeable, never printed.
"""

from __future__ import annotations

import enum
import hmac as _stdlib_hmac
import os
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Final, NoReturn

import attrs
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as _crypto_hmac

from lwip_enb.errors import (
    CounterExhaustedError,
    IdentityExhaustedError,
    InvalidFieldError,
    KeyWipedError,
)

__all__ = [
    "FC_LWIP_PSK",
    "IDI_DEFAULT_LENGTH",
    "KENB_LENGTH",
    "LWIP_COUNTER_MAX",
    "LWIP_PSK_LENGTH",
    "DerivedPsk",
    "Idi",
    "IdiAllocator",
    "IkeIdType",
    "KenbMemory",
    "KeyMaterial",
    "LwipCounter",
    "LwipSecurityContext",
    "Uint",
    "derive_lwip_psk",
    "kdf",
    "lwip_psk_fc",
    "set_lwip_psk_fc",
]

#: FC value of the LWIP-PSK derivation (TS 33.401 Annex A). UNCONFIRMED: no 3GPP text available
#: where this library was written gives it. 0x1E is the value of the one public source found, a
#: Rust crate, which says itself that its LWIP-PSK vector is computed over the parameter layout,
#: not taken from an independent source; the vector in tests/keys/test_keys.py is therefore a
#: regression check of that layout, not an independent confirmation of 0x1E. What is confirmed:
#: the key is KeNB, P0 is lwip-Counter in two octets, L0 = 0x00 0x02 (TS 36.331 5.6.17.2) and
#: the output is 256 bits (TS 36.463 9.2.30). If a 3GPP text shows another value, change it in
#: one place with :func:`set_lwip_psk_fc`; eNB and reference UE both derive through it.
FC_LWIP_PSK: Final = 0x1E
_lwip_psk_fc: int = FC_LWIP_PSK


def lwip_psk_fc() -> int:
    """The FC value every LWIP-PSK derivation of this process uses (:data:`FC_LWIP_PSK` unless
    :func:`set_lwip_psk_fc` changed it)."""
    return _lwip_psk_fc


def set_lwip_psk_fc(fc: int) -> int:
    """Use ``fc`` (one octet) as the FC of the LWIP-PSK derivation from now on, in the whole
    process (eNB controller, reference UE, CLI); returns the previous value. For when a 3GPP
    text confirms a value other than the unconfirmed :data:`FC_LWIP_PSK`."""
    global _lwip_psk_fc
    if type(fc) is not int or not 0 <= fc <= 0xFF:
        raise InvalidFieldError("fc", f"must be one octet, got {fc!r}")
    previous, _lwip_psk_fc = _lwip_psk_fc, fc
    return previous


KENB_LENGTH: Final = 32  # KeNB is 256 bits (TS 33.401 A.3)
LWIP_PSK_LENGTH: Final = 32  # XwAP LWIP-PSK ::= BIT STRING (SIZE(256)) (TS 36.463 9.2.30)
LWIP_COUNTER_MAX: Final = 0xFFFF  # lwip-Counter-r13 INTEGER (0..65535) (TS 36.331)
IDI_DEFAULT_LENGTH: Final = 16  # random octets: 128 bits, collision-free in practice
_IDI_POOL: Final = 4096  # random octets drawn from the OS at a time for IDi values
IDI_MAX_LENGTH: Final = 255  # IDi carried as an OCTET STRING; bounded so IKE payloads stay small


class KeyMaterial:
    """Secret bytes in a buffer that can be wiped.

    The bytes never show in ``repr``, ``str`` or formatting, comparison is constant-time, and the
    object refuses to be pickled or hashed. Use it as a context manager to wipe on exit::

        with derive_lwip_psk(kenb, 7) as psk:
            send(psk.reveal())

    Python cannot promise that no copy of a secret survives (``bytes`` objects handed in or out
    are immutable); the buffer held here is zeroed by :meth:`wipe` and when the object dies.
    """

    __slots__ = ("__weakref__", "_buf", "_wiped")

    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise InvalidFieldError("key", f"expected bytes, got {type(data).__name__}")
        self._buf = bytearray(data)
        self._wiped = False

    @classmethod
    def from_hex(cls, text: str, *, field: str = "key", length: int | None = None) -> KeyMaterial:
        """Parse hexadecimal text (spaces and a ``0x`` prefix allowed) into key material."""
        cleaned = "".join(text.split())
        if cleaned[:2].lower() == "0x":
            cleaned = cleaned[2:]
        try:
            raw = bytearray.fromhex(cleaned)
        except ValueError:
            # The text itself may be a key: never echo it.
            raise InvalidFieldError(field, "not a hexadecimal string") from None
        try:
            if length is not None and len(raw) != length:
                raise InvalidFieldError(field, f"must be {length} octets, got {len(raw)}")
            return cls(raw)
        finally:
            raw[:] = bytes(len(raw))

    def _live(self) -> bytearray:
        if self._wiped:
            raise KeyWipedError("key material used after wipe()")
        return self._buf

    def reveal(self) -> bytes:
        """Return a copy of the secret as ``bytes``: for handing to an encoder or a peer only."""
        return bytes(self._live())

    def hex(self) -> str:
        """The secret as lowercase hex; only for outputs whose job is to show a key."""
        return self._live().hex()

    def view(self) -> memoryview:
        """A read-only view of the secret (no copy); invalid once wiped."""
        return memoryview(self._live()).toreadonly()

    @property
    def wiped(self) -> bool:
        return self._wiped

    def wipe(self) -> None:
        """Overwrite the secret with zeros; any later use raises :class:`KeyWipedError`."""
        buf = self._buf
        buf[:] = bytes(len(buf))
        self._wiped = True

    def __len__(self) -> int:
        return len(self._buf)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, KeyMaterial):
            return _stdlib_hmac.compare_digest(self._live(), other._live())
        if isinstance(other, bytes | bytearray):
            return _stdlib_hmac.compare_digest(self._live(), other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable secret: never a dict key

    def __repr__(self) -> str:
        state = "wiped" if self._wiped else f"{len(self._buf)} octets"
        return f"<KeyMaterial {state}>"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> NoReturn:
        raise TypeError("KeyMaterial cannot be pickled")

    def __copy__(self) -> NoReturn:
        raise TypeError("KeyMaterial cannot be copied; derive or reveal explicitly")

    def __deepcopy__(self, memo: object) -> NoReturn:
        raise TypeError("KeyMaterial cannot be copied; derive or reveal explicitly")

    def __enter__(self) -> KeyMaterial:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.wipe()

    def __del__(self) -> None:
        buf = getattr(self, "_buf", None)
        if buf is not None:
            buf[:] = bytes(len(buf))


# --- TS 33.220 Annex B.2 ---------------------------------------------------------------------


@attrs.frozen(slots=True)
class Uint:
    """An unsigned integer KDF parameter encoded big-endian in exactly ``width`` octets."""

    value: int
    width: int

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.width <= 0xFFFF:
            raise InvalidFieldError("width", f"must be 1..65535 octets, got {self.width}")
        if not 0 <= self.value < 1 << (8 * self.width):
            raise InvalidFieldError(
                "value", f"{self.value} does not fit in {self.width} unsigned octets"
            )

    def to_bytes(self) -> bytes:
        return self.value.to_bytes(self.width, "big")


KdfParam = bytes | bytearray | Uint


def _kdf_input(fc: int, params: Iterable[KdfParam]) -> bytearray:
    if not 0 <= fc <= 0xFF:
        raise InvalidFieldError("fc", f"must be one octet, got {fc}")
    s = bytearray((fc,))
    for i, param in enumerate(params):
        octets = param.to_bytes() if isinstance(param, Uint) else param
        if not isinstance(octets, bytes | bytearray):
            raise InvalidFieldError(f"P{i}", f"expected bytes or Uint, got {type(param).__name__}")
        if len(octets) > 0xFFFF:
            raise InvalidFieldError(f"P{i}", "longer than 65535 octets")
        s += octets
        s += len(octets).to_bytes(2, "big")  # L_i: length of P_i in two octets
    return s


def kdf(key: KeyMaterial | bytes | bytearray, fc: int, *params: KdfParam) -> KeyMaterial:
    """TS 33.220 Annex B.2: ``HMAC-SHA-256(key, FC || P0 || L0 || P1 || L1 || ...)``.

    Parameters are octet strings, or :class:`Uint` for integers of an explicit width.
    Returns all 256 output bits as :class:`KeyMaterial`.
    """
    return _hmac_sha256(key, _kdf_input(fc, params))


def _hmac_sha256(key: KeyMaterial | bytes | bytearray, data: bytes | bytearray) -> KeyMaterial:
    mac = _crypto_hmac.HMAC(key.view() if isinstance(key, KeyMaterial) else key, hashes.SHA256())
    mac.update(data)
    return KeyMaterial(mac.finalize())


def _check_counter(counter: int) -> int:
    if isinstance(counter, bool) or not isinstance(counter, int):
        raise InvalidFieldError("lwip_counter", f"must be an integer, got {type(counter).__name__}")
    if not 0 <= counter <= LWIP_COUNTER_MAX:
        raise InvalidFieldError("lwip_counter", f"must be 0..{LWIP_COUNTER_MAX}, got {counter}")
    return counter


def _check_kenb(kenb: KeyMaterial | bytes | bytearray) -> None:
    if not isinstance(kenb, KeyMaterial | bytes | bytearray):
        raise InvalidFieldError("kenb", f"expected KeyMaterial or bytes, got {type(kenb).__name__}")
    if len(kenb) != KENB_LENGTH:
        raise InvalidFieldError("kenb", f"must be {KENB_LENGTH} octets, got {len(kenb)}")


def derive_lwip_psk(kenb: KeyMaterial | bytes | bytearray, counter: int) -> KeyMaterial:
    """LWIP-PSK = KDF(KeNB, FC, P0 = LWIP counter in 2 octets), 256 bits (TS 33.401); FC is
    :func:`lwip_psk_fc` (0x1E, unconfirmed: see :data:`FC_LWIP_PSK`).

    Deriving twice with the same (KeNB, counter) pair is the caller's bug; use
    :class:`LwipSecurityContext` to get counters that are never reused.
    """
    _check_kenb(kenb)
    return _lwip_psk(kenb, _check_counter(counter))


def _lwip_psk(kenb: KeyMaterial | bytes | bytearray, counter: int) -> KeyMaterial:
    """:func:`derive_lwip_psk` for a checked KeNB and counter, with the KDF input written out:
    FC || P0 (the counter, two octets) || L0 (0x0002), as :func:`kdf` would build it."""
    return _hmac_sha256(kenb, bytes((_lwip_psk_fc, counter >> 8, counter & 0xFF, 0, 2)))


# --- LWIP counter: freshness per KeNB ------------------------------------------------------------


class LwipCounter:
    """The LWIP counter of one AS security context: 0, 1, ... 65535, each handed out once."""

    __slots__ = ("_next",)

    def __init__(self, start: int = 0) -> None:
        self._next = _check_counter(start)

    @property
    def remaining(self) -> int:
        """How many values can still be allocated."""
        return LWIP_COUNTER_MAX + 1 - self._next

    def allocate(self) -> int:
        """Return the next unused value; raise :class:`CounterExhaustedError` when none is left."""
        value = self._next
        if value > LWIP_COUNTER_MAX:
            raise CounterExhaustedError()
        self._next = value + 1
        return value


def _resumed_counter(memory: KenbMemory, fingerprint: bytes) -> LwipCounter:
    start = memory.next_counter(fingerprint)
    if start > LWIP_COUNTER_MAX:
        counter = LwipCounter(LWIP_COUNTER_MAX)
        counter.allocate()  # exhausted: the KeNB has used every value
        return counter
    return LwipCounter(start)


@attrs.frozen(slots=True, repr=False)
class DerivedPsk:
    """An LWIP-PSK together with the counter it was derived with (the counter goes to the UE)."""

    counter: int
    psk: KeyMaterial

    def __repr__(self) -> str:
        return f"DerivedPsk(counter={self.counter}, psk={self.psk!r})"

    def __enter__(self) -> DerivedPsk:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.psk.wipe()


class KenbMemory:
    """The last LWIP counter used under each KeNB seen, by a keyed fingerprint:
    HMAC-SHA-256 under a random key made at start (never stored, never shown) of the KeNB,
    truncated to 128 bits. No key material is kept: the fingerprint cannot be checked against a
    guessed KeNB without the process key. At most ``limit`` KeNBs are remembered, the least
    recently used forgotten first."""

    __slots__ = ("_key", "_last", "limit")

    def __init__(self, limit: int = 1_000_000) -> None:
        self._key = os.urandom(32)
        self._last: dict[bytes, int] = {}
        self.limit = limit

    def fingerprint(self, kenb: KeyMaterial | bytes | bytearray) -> bytes:
        if not self.limit:
            return b""
        data = kenb.view() if isinstance(kenb, KeyMaterial) else kenb
        return _stdlib_hmac.digest(self._key, data, "sha256")[:16]

    def next_counter(self, fingerprint: bytes) -> int:
        """Where the counter of this KeNB goes on: one past the last used, or 0."""
        last = self._last.get(fingerprint)
        return 0 if last is None else last + 1

    def used(self, fingerprint: bytes, counter: int) -> None:
        if not self.limit:
            return
        last = self._last.pop(fingerprint, None)  # re-inserted: most recently used last
        self._last[fingerprint] = counter if last is None else max(last, counter)
        while len(self._last) > self.limit:
            del self._last[next(iter(self._last))]


#: How many KeNBs a :class:`KenbMemory` remembers the last LWIP counter of by default: about
#: 100 octets each. A KeNB forgotten by then (more than this many other KeNBs used since) starts
#: again at counter 0 if it ever comes back.
KENB_MEMORY_LIMIT: Final = 1_000_000
#: A memory that remembers nothing: contexts made without one start each KeNB at counter 0.
_NO_MEMORY: Final = KenbMemory(0)


class LwipSecurityContext:
    """One UE's KeNB and its LWIP counter space.

    Every :meth:`next_psk` uses a fresh counter, so no (KeNB, counter) pair is used twice by this
    context. Contexts that share a ``memory`` (a :class:`KenbMemory`; the
    :class:`~lwip_enb.core.controller.EnbController` keeps one for all its UEs) also never reuse
    one when the same KeNB comes back in another context (after ``forget``, or a UE going
    A -> B -> A): the memory holds, by a keyed fingerprint of each KeNB (no key material), the
    last counter used under it, for its last ``limit`` KeNBs, and a returning KeNB goes on from
    there. Without a memory a new context starts at 0; across processes nothing is remembered.
    :meth:`rekey` installs a new KeNB (after handover or re-establishment); giving it the KeNB it
    already holds keeps the counter where it is.
    """

    __slots__ = ("_counter", "_fingerprint", "_kenb", "_memory")

    def __init__(
        self, kenb: KeyMaterial | bytes | bytearray, *, memory: KenbMemory | None = None
    ) -> None:
        _check_kenb(kenb)
        self._memory = _NO_MEMORY if memory is None else memory
        self._kenb = KeyMaterial(kenb.view() if isinstance(kenb, KeyMaterial) else kenb)
        self._fingerprint = self._memory.fingerprint(self._kenb)
        self._counter = _resumed_counter(self._memory, self._fingerprint)

    @property
    def counters_left(self) -> int:
        return self._counter.remaining

    def skip_to(self, counter: int) -> None:
        """Make ``counter`` the next value :meth:`next_psk` uses.

        Forward only: the values skipped are never used, so no (KeNB, counter) pair repeats; a
        value below the next one raises :class:`~lwip_enb.errors.InvalidFieldError`. It lets a
        test reach the end of the counter space without 65,536 derivations.
        """
        value = _check_counter(counter)
        next_value = LWIP_COUNTER_MAX + 1 - self._counter.remaining
        if value < next_value:
            raise InvalidFieldError("lwip_counter", f"cannot go back from {next_value} to {value}")
        self._counter = LwipCounter(value)

    def next_psk(self) -> DerivedPsk:
        """Allocate a fresh counter and derive the LWIP-PSK for it."""
        counter = self._counter.allocate()
        self._memory.used(self._fingerprint, counter)
        # KeNB was checked when installed, the counter by its allocator
        return DerivedPsk(counter, _lwip_psk(self._kenb, counter))

    def rekey(self, kenb: KeyMaterial | bytes | bytearray) -> bool:
        """Install ``kenb``; True when it differs from the current one (counter restarted)."""
        _check_kenb(kenb)
        if self._kenb == kenb:
            return False
        self._kenb.wipe()
        self._kenb = KeyMaterial(kenb.view() if isinstance(kenb, KeyMaterial) else kenb)
        self._fingerprint = self._memory.fingerprint(self._kenb)
        self._counter = _resumed_counter(self._memory, self._fingerprint)
        return True

    def wipe(self) -> None:
        """Forget KeNB; the context cannot derive anything afterwards."""
        self._kenb.wipe()

    def __repr__(self) -> str:
        return f"<LwipSecurityContext counters_left={self.counters_left}>"


# --- IDi: the IKEv2 initiator identity -----------------------------------------------------------


class IkeIdType(enum.IntEnum):
    """IKEv2 identification types (RFC 7296 3.5) an IDi may be presented as."""

    FQDN = 2
    RFC822_ADDR = 3
    KEY_ID = 11


@attrs.frozen(slots=True)
class Idi:
    """The IKEv2 initiator identity the eNB sends to UE (RRC ``idI-r13``) and SeGW (XwAP).

    RRC carries only the identification octets, not the IKEv2 ID type; both ends must agree on it
    out of band. This library presents it as ``ID_KEY_ID`` unless told otherwise
    (docs/identities.md).
    """

    octets: bytes = attrs.field(converter=bytes)
    id_type: IkeIdType = IkeIdType.KEY_ID

    def __attrs_post_init__(self) -> None:
        if not 1 <= len(self.octets) <= IDI_MAX_LENGTH:
            raise InvalidFieldError(
                "idi", f"must be 1..{IDI_MAX_LENGTH} octets, got {len(self.octets)}"
            )
        if self.id_type is not IkeIdType.KEY_ID:
            try:
                text = self.octets.decode("ascii")
            except UnicodeDecodeError:
                raise InvalidFieldError("idi", f"{self.id_type.name} must be ASCII") from None
            if not text.isprintable() or " " in text:
                raise InvalidFieldError("idi", f"{self.id_type.name} must be printable, no spaces")
            if self.id_type is IkeIdType.RFC822_ADDR and "@" not in text:
                raise InvalidFieldError("idi", "RFC822_ADDR must contain '@'")

    @classmethod
    def from_hex(cls, text: str, id_type: IkeIdType = IkeIdType.KEY_ID) -> Idi:
        try:
            octets = bytes.fromhex("".join(text.split()))
        except ValueError:
            raise InvalidFieldError("idi", "not a hexadecimal string") from None
        return cls(octets, id_type)

    def strongswan_id(self) -> str:
        """The identity in strongSwan's syntax (swanctl.conf ``id``)."""
        if self.id_type is IkeIdType.KEY_ID:
            return "keyid:#" + self.octets.hex()
        prefix = "fqdn:" if self.id_type is IkeIdType.FQDN else "rfc822:"
        return prefix + self.octets.decode("ascii")

    def __str__(self) -> str:
        return self.octets.hex() if self.id_type is IkeIdType.KEY_ID else self.octets.decode()


# Bumped in a forked child, so that an allocator's buffered randomness, inherited from the parent,
# is never used there: parent and child would otherwise hand out the same IDis.
_fork_generation = 0


def _after_fork_in_child() -> None:
    global _fork_generation
    _fork_generation += 1


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)


class IdiAllocator:
    """Allocates IDi values that are random, unlinkable to the UE and unique among live tunnels.

    ``KEY_ID`` identities are ``length`` random octets from the OS's CSPRNG (``os.urandom``, drawn
    a few kilobytes at a time: an IDi is sent in clear, so buffering it is no secret kept longer
    than it would be anyway; a forked child draws afresh instead of sharing the parent's buffer).
    ``FQDN`` and ``RFC822_ADDR`` identities are ``<random hex>.<domain>`` and
    ``<random hex>@<domain>``: the random part has the same ``length`` octets of entropy; the
    domain is fixed and says nothing about the UE.
    """

    def __init__(
        self,
        *,
        length: int = IDI_DEFAULT_LENGTH,
        id_type: IkeIdType = IkeIdType.KEY_ID,
        domain: str = "lwip.invalid",
    ) -> None:
        if not 16 <= length <= 64:
            raise InvalidFieldError("length", f"must be 16..64 random octets, got {length}")
        if id_type is not IkeIdType.KEY_ID and not domain:
            raise InvalidFieldError("domain", "required for FQDN and RFC822_ADDR identities")
        if not domain.isascii():  # RFC 7296 3.5: ID_FQDN and ID_RFC822_ADDR are ASCII strings
            raise InvalidFieldError("domain", "must be ASCII (IKEv2 identities are, RFC 7296 3.5)")
        self._length = length
        self._id_type = IkeIdType(id_type)
        self._domain = domain
        self._live: set[bytes] = set()
        self._pool = b""
        self._pos = 0
        self._pool_generation = _fork_generation
        Idi(self._make(), self._id_type)  # fail now, not at the first allocation, on a bad domain

    def _random(self, n: int) -> bytes:
        pos = self._pos
        if pos + n > len(self._pool) or self._pool_generation != _fork_generation:
            self._pool = os.urandom(_IDI_POOL)
            self._pool_generation = _fork_generation
            pos = 0
        self._pos = pos + n
        return self._pool[pos : pos + n]

    def _make(self) -> bytes:
        rand = self._random(self._length)
        if self._id_type is IkeIdType.KEY_ID:
            return rand
        sep = "." if self._id_type is IkeIdType.FQDN else "@"
        return f"{rand.hex()}{sep}{self._domain}".encode("ascii")

    def allocate(self) -> Idi:
        """A fresh IDi, unique among those allocated and not yet released."""
        for _ in range(8):
            octets = self._make()
            if octets not in self._live:
                self._live.add(octets)
                return Idi(octets, self._id_type)
        raise IdentityExhaustedError("no unused IDi found after 8 random draws")

    def release(self, idi: Idi) -> None:
        """Return ``idi`` once its tunnel is gone; releasing an unknown IDi is a no-op."""
        self._live.discard(idi.octets)

    def __contains__(self, idi: object) -> bool:
        return isinstance(idi, Idi) and idi.octets in self._live

    def __len__(self) -> int:
        return len(self._live)

    def __iter__(self) -> Iterator[Idi]:
        return (Idi(o, self._id_type) for o in tuple(self._live))
