"""The in-memory transport: associations between tasks of one event loop, for tests and
harnesses (no sockets); frames over :data:`~lwip_enb.io.transport.MAX_FRAME` are dropped like
SCTP drops them.

Associations have placeholder addresses, for traces and captures (docs/trace.md): the n-th
listener name (from 0) is ``192.0.2.<10 + n>`` port 36462 (TS 36.462), the n-th client name
``203.0.113.<1 + n>`` port 36463, both documentation ranges (RFC 5737)."""

from __future__ import annotations

import asyncio
import collections
import logging

import attrs

from lwip_enb.errors import AssociationLost
from lwip_enb.io.transport import MAX_FRAME, Association, Frame

log = logging.getLogger("lwip_enb.transport")

__all__ = ["MemoryNetwork"]


class _MemoryAssociation:
    """One end of an in-memory association, with a bounded receive queue.

    A sender waits while the other end's queue is full (flow control, like SCTP's receive
    window); losing the association wakes every waiting sender and receiver with
    :class:`AssociationLost`, so nobody stays blocked on a dead association.
    """

    def __init__(
        self,
        peer: str,
        depth: int,
        local_address: tuple[str, int] | None = None,
        peer_address: tuple[str, int] | None = None,
    ) -> None:
        self._peer = peer
        #: placeholders from the documentation ranges (the module's docstring)
        self.local_address = local_address
        self.peer_address = peer_address
        self._depth = depth
        self._inbox: collections.deque[Frame] = collections.deque()
        self._readable = asyncio.Event()  # set while the inbox holds a frame or the end is lost
        self._room = asyncio.Event()  # set while the inbox has room or the end is lost
        self._room.set()
        self.other: _MemoryAssociation | None = None
        self.closed = False
        self._lost_by_peer = False

    @property
    def peer(self) -> str:
        return self._peer

    async def send(self, data: bytes, *, stream: int = 0) -> None:
        while True:
            other = self.other
            if self.closed or other is None or other.closed:
                raise AssociationLost(f"association to {self._peer} is closed")
            if len(other._inbox) < other._depth:
                other._inbox.append(Frame(bytes(data), stream))
                other._readable.set()
                return
            other._room.clear()
            await other._room.wait()

    async def recv(self) -> Frame:
        while True:
            if self.closed:  # like an SCTP ABORT: what was still queued is gone
                why = "was closed by the peer" if self._lost_by_peer else "is closed"
                raise AssociationLost(f"association to {self._peer} {why}")
            if not self._inbox:
                self._readable.clear()
                await self._readable.wait()
                continue
            frame = self._inbox.popleft()
            self._room.set()
            if len(frame.data) <= MAX_FRAME:
                return frame
            log.warning("dropping an oversized frame (> %d octets) from %s", MAX_FRAME, self._peer)

    def _lose(self, *, by_peer: bool) -> None:
        self.closed = True
        self._lost_by_peer = by_peer
        self._readable.set()
        self._room.set()

    async def close(self) -> None:
        self.abort()

    def abort(self) -> None:
        """Lose the association at both ends at once (like an SCTP ABORT)."""
        for end in (self, self.other):
            if end is not None and not end.closed:
                end._lose(by_peer=end is not self)


class MemoryNetwork:
    """In-process associations for tests and simulators: ``connector()`` and ``listener()`` meet
    by name; :meth:`partition` cuts every association and refuses new ones until healed."""

    def __init__(self, depth: int = 1024) -> None:
        self._depth = depth
        self._listeners: dict[str, asyncio.Queue[_MemoryAssociation]] = {}
        self.associations: list[_MemoryAssociation] = []
        self.partitioned = False
        self._servers: dict[str, tuple[str, int]] = {}  # placeholder addresses by name
        self._clients: dict[str, tuple[str, int]] = {}

    def address(self, name: str, *, client: bool = False) -> tuple[str, int]:
        """The placeholder address and port of a listener (or client) name."""
        table, base, port = (
            (self._clients, "203.0.113.", 36463) if client else (self._servers, "192.0.2.", 36462)
        )
        if name not in table:
            table[name] = (f"{base}{(1 if client else 10) + len(table)}", port)
        return table[name]

    def listener(self, name: str) -> _MemoryListener:
        queue: asyncio.Queue[_MemoryAssociation] = asyncio.Queue()
        self._listeners[name] = queue
        self.address(name)
        return _MemoryListener(self, name, queue)

    def connector(self, name: str, *, client: str = "enb") -> _MemoryConnector:
        return _MemoryConnector(self, name, client)

    def _connect(self, name: str, client: str) -> _MemoryAssociation:
        queue = self._listeners.get(name)
        if queue is None or self.partitioned:
            raise AssociationLost(f"connection to {name} refused")
        server_at, client_at = self.address(name), self.address(client, client=True)
        near = _MemoryAssociation(name, self._depth, client_at, server_at)
        far = _MemoryAssociation(client, self._depth, server_at, client_at)
        near.other, far.other = far, near
        self.associations = [a for a in self.associations if not a.closed]  # no pile-up
        self.associations.append(near)
        queue.put_nowait(far)
        return near

    def partition(self) -> None:
        self.partitioned = True
        for a in self.associations:
            a.abort()
        self.associations.clear()

    def heal(self) -> None:
        self.partitioned = False


@attrs.define
class _MemoryConnector:
    network: MemoryNetwork
    name: str
    client: str

    async def connect(self) -> Association:
        return self.network._connect(self.name, self.client)


@attrs.define
class _MemoryListener:
    network: MemoryNetwork
    name: str
    queue: asyncio.Queue[_MemoryAssociation]

    async def accept(self) -> Association:
        return await self.queue.get()

    async def close(self) -> None:
        self.network._listeners.pop(self.name, None)
