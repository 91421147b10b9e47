"""Every error the library raises on purpose, in one place.

Each class carries what its caller needs to act (the field, the procedure, the cause) and its
message never contains key material.
"""

from __future__ import annotations

import asyncio


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


class CodecError(LwipError):
    """Base class of encoding and decoding errors (RRC and XwAP)."""


class EncodeError(CodecError, ValueError):
    """A message could not be encoded: a value breaks its ASN.1 type or constraint."""


class DecodeError(CodecError):
    """Bytes could not be decoded into a valid message.

    ``cause`` is the XwAP protocol cause that fits (TS 36.463 9.2.6): ``transfer-syntax-error`` for
    bytes that are not a valid encoding, ``abstract-syntax-error-reject`` or
    ``abstract-syntax-error-falsely-constructed-message`` for a valid encoding with wrong content.
    ``procedure_code``, ``triggering_message``, ``ie_id`` and ``criticality`` are filled in as far
    as the bytes revealed them, so the receiver can build an Error Indication.
    """

    def __init__(
        self,
        message: str,
        *,
        cause: str = "transfer-syntax-error",
        procedure_code: int | None = None,
        triggering_message: str | None = None,
        procedure_criticality: str | None = None,
        ie_id: int | None = None,
        criticality: str | None = None,
        type_of_error: str | None = None,
    ) -> None:
        super().__init__(message)
        self.cause = cause
        self.procedure_code = procedure_code
        self.triggering_message = triggering_message
        self.procedure_criticality = procedure_criticality
        self.ie_id = ie_id
        self.criticality = criticality
        self.type_of_error = type_of_error


class AssociationLost(LwipError):
    """The association is gone (closed, aborted, or its peer vanished)."""


class SegwNotReady(LwipError, TimeoutError):
    """Xw Setup with a SeGW did not succeed in time; ``reason`` says what was seen last (the last
    connection error, a lost association, an unanswered or failed Xw Setup).

    A :class:`TimeoutError` too, so code written for the bare timeout keeps working.
    """

    def __init__(self, segw: str, timeout: float, reason: str) -> None:
        super().__init__(f"SeGW {segw!r} not ready after {timeout:g} s: {reason}")
        self.segw = segw
        self.timeout = timeout
        self.reason = reason


class WaitTimeout(LwipError, TimeoutError):
    """A wait of the asyncio harness (:class:`~lwip_enb.sim.harness.AsyncSimulation`) ran out of
    time: ``ue`` never reached what was ``wanted``; ``seen`` says where it stands (its state,
    its last events). A :class:`TimeoutError` too."""

    def __init__(self, ue: object, wanted: str, timeout: float, seen: str) -> None:
        super().__init__(f"UE {ue!r}: {wanted} not within {timeout:g} s; {seen}")
        self.ue = ue
        self.wanted = wanted
        self.timeout = timeout
        self.seen = seen


class AssociationRefused(LwipError):
    """An accepted association was closed at once: it could not be tied to a known peer."""


class EventQueueEmpty(LwipError, asyncio.QueueEmpty):
    """``get_nowait()`` on a runtime's event queue that holds no event; an
    :class:`asyncio.QueueEmpty` too, as a reader of an ``asyncio.Queue`` expects."""


class EventsLost(LwipError):
    """Events were dropped here by an event queue whose policy is ``on_full="error"``; raised by
    the reader at the place in the stream where they are missing, so no gap goes unnoticed."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} event(s) dropped here: the event queue was full")
        self.count = count


class ReadOnlyError(LwipError, TypeError):
    """A counter snapshot (:class:`~lwip_enb.core.counters.CounterSnapshot`) was asked to
    change; a :class:`TypeError` too, as for any object that cannot be changed."""


class UnknownSegwError(InvalidFieldError, KeyError):
    """The caller named a SeGW that was never added (``field`` is ``"segw"``)."""

    def __init__(self, name: str) -> None:
        super().__init__("segw", f"unknown SeGW {name!r}")
        self.name = name

    def __str__(self) -> str:  # KeyError would quote the message
        return f"{self.field}: {self.reason}"


class XwapIdExhaustedError(LwipError):
    """Every UE XwAP id (24 bits, TS 36.463 9.2.24/9.2.25) of this node is in use."""

    def __init__(self, which: str) -> None:
        super().__init__(f"all 2^24 {which} UE XwAP ids are in use")
        self.which = which


class Asn1Error(LwipError):
    """The 3GPP ASN.1 modules could not be loaded, transformed or compiled."""


class Asn1LookupError(Asn1Error, KeyError):
    """A name (type, object set, procedure, IE id) is not in the compiled modules; a KeyError
    too, for callers that look names up."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class Asn1TransformError(Asn1Error):
    """The modules use ASN.1 the transformation does not support, or are inconsistent."""


class OpenTypeError(Asn1Error):
    """An open type value could not be encoded or decoded; ``path`` locates it in the value."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class StrongswanError(LwipError):
    """charon, VICI or the namespace plumbing failed.

    ``command_failed`` is True when charon answered a VICI command with an error (as opposed to a
    transport problem). Messages never contain key material.
    """

    def __init__(self, what: str, detail: str, *, command_failed: bool = False) -> None:
        super().__init__(f"{what}: {detail}")
        self.what = what
        self.detail = detail
        self.command_failed = command_failed
