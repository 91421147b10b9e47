"""Every error the library raises on purpose, in one place.

Each class carries what its caller needs to act (the field, the procedure, the cause) and its
message never contains key material.
"""

from __future__ import annotations


class LwipError(Exception):
    """Base class of every error raised by lwip_enb."""


class InvalidFieldError(LwipError, ValueError):
    """A value failed validation where it was made; ``field`` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class KeyWipedError(LwipError):
    """Key material was used after :meth:`~lwip_enb.keys.KeyMaterial.wipe`."""


class CounterExhaustedError(LwipError):
    """All 65,536 LWIP counter values of one KeNB are used.

    TS 33.401: a (KeNB, LWIP counter) pair is never used twice, so the eNB must refresh KeNB
    (for example with an intra-cell handover) before it can derive another LWIP-PSK.
    """

    def __init__(self) -> None:
        super().__init__(
            "LWIP counter exhausted for this KeNB: refresh KeNB (e.g. intra-cell handover) "
            "before deriving another LWIP-PSK"
        )


class IdentityExhaustedError(LwipError):
    """The IDi allocator could not find an unused identity (in practice: never with 16 octets)."""
