"""The I/O edge for XwAP: the transport interface (in-memory in :mod:`lwip_enb.io.memory`, SCTP
in :mod:`lwip_enb.io.sctp`).

An :class:`Association` carries whole XwAP PDUs (SCTP messages) on numbered streams. TS 36.462:
SCTP, payload protocol identifier 58, port 36462; one stream for the non-UE-associated
procedures (stream 0 here), the others for UE-associated ones. Plug in any other transport by
implementing :class:`Association` and a :class:`Connector` (eNB side) or :class:`Listener`
(SeGW side): see examples/tcp_transport.py.
"""

from __future__ import annotations

import logging
from typing import Final, Protocol, TypeAlias

import attrs

from lwip_enb.errors import AssociationLost

__all__ = [
    "MAX_FRAME",
    "XWAP_PORT",
    "XWAP_PPID",
    "Association",
    "AssociationLost",
    "Connector",
    "Endpoint",
    "Endpoints",
    "Frame",
    "Listener",
    "endpoints",
]

log = logging.getLogger("lwip_enb.transport")

XWAP_PPID: Final = 58  # TS 36.462 7: payload protocol identifier of XwAP
XWAP_PORT: Final = 36462  # TS 36.462 7: SCTP destination port of XwAP
MAX_FRAME: Final = 65536  # largest XwAP PDU accepted; larger frames are dropped and logged


@attrs.frozen(slots=True)
class Frame:
    data: bytes = attrs.field(repr=lambda d: f"<{len(d)} octets>")
    stream: int = 0
    ppid: int = XWAP_PPID


class Association(Protocol):
    """One Xw association: ordered messages on streams, until it is lost."""

    @property
    def peer(self) -> str: ...

    async def send(self, data: bytes, *, stream: int = 0) -> None:
        """Send one PDU; raises :class:`AssociationLost` when the association is gone."""
        ...

    async def recv(self) -> Frame:
        """The next PDU; raises :class:`AssociationLost` when the association is gone."""
        ...

    async def close(self) -> None: ...


Endpoint: TypeAlias = tuple[str, int]  # IP address, port
Endpoints: TypeAlias = tuple[Endpoint, Endpoint]  # this end, the other end


def endpoints(assoc: object) -> Endpoints | None:
    """This end's and the peer's IP address and port on an association, where its transport
    knows them: an association may offer ``local_address`` and ``peer_address``, each an
    ``(address, port)`` or None. The SCTP transport reports the socket's; the in-memory one
    placeholders from the documentation ranges (:class:`~lwip_enb.io.memory.MemoryNetwork`).
    Traces carry them (docs/trace.md), so captures show the real addresses."""
    try:
        local = getattr(assoc, "local_address", None)
        peer = getattr(assoc, "peer_address", None)
        if local is None or peer is None:
            return None
        return (str(local[0]), int(local[1])), (str(peer[0]), int(peer[1]))
    except Exception:  # a transport's own property: what it cannot tell is simply not known
        return None


class Connector(Protocol):
    """eNB side: opens an association to one SeGW."""

    async def connect(self) -> Association: ...


class Listener(Protocol):
    """SeGW side: accepts associations from eNBs."""

    async def accept(self) -> Association: ...

    async def close(self) -> None: ...
