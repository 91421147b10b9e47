"""XwAP over kernel SCTP with pysctp (TS 36.462: PPID 58, port 36462, streams)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from collections.abc import Sequence
from typing import Any

import attrs

from lwip_enb.errors import AssociationLost
from lwip_enb.io.transport import MAX_FRAME, XWAP_PORT, XWAP_PPID, Association, Frame

log = logging.getLogger("lwip_enb.transport")

__all__ = ["SctpAssociation", "SctpConnector", "SctpListener", "sctp_available"]


def sctp_available() -> bool:
    """Does this kernel speak SCTP (and is pysctp importable)?"""
    try:
        import sctp  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return False
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
    except OSError:
        return False
    s.close()
    return True


def _ppid_from_wire(value: int) -> int:
    # pysctp 0.7 converts the PPID to network order in sctp_send but hands the received one
    # back as the raw 32-bit field; turn it back into host order.
    return socket.ntohl(value & 0xFFFFFFFF)


def _sockaddr(sock: Any, method: str) -> tuple[str, int] | None:
    try:
        address = getattr(sock, method)()
        return str(address[0]), int(address[1])
    except Exception:  # closed, or a socket object without the call: not known
        return None


class SctpAssociation:
    """A one-to-one SCTP association; reads are driven by the event loop (no threads)."""

    def __init__(self, sock: Any, peer: str, loop: asyncio.AbstractEventLoop) -> None:
        self._sock = sock
        self._peer = peer
        self._loop = loop
        self._closed = False
        self._waiters: set[asyncio.Future[None]] = set()
        sock.settimeout(0)  # non-blocking: the loop tells us when to read

    @property
    def peer(self) -> str:
        return self._peer

    @property
    def socket(self) -> Any:
        return self._sock

    @property
    def local_address(self) -> tuple[str, int] | None:
        """This end's primary address and port (for traces, :func:`~.transport.endpoints`)."""
        return _sockaddr(self._sock, "getsockname")

    @property
    def peer_address(self) -> tuple[str, int] | None:
        """The peer's primary address and port."""
        return _sockaddr(self._sock, "getpeername")

    async def send(self, data: bytes, *, stream: int = 0) -> None:
        if self._closed:
            raise AssociationLost(f"association to {self._peer} is closed")
        while True:
            try:
                self._sock.sctp_send(bytes(data), ppid=XWAP_PPID, stream=stream)
                return
            except BlockingIOError:
                await self._wait(writable=True)
            except OSError as exc:
                await self.close()
                raise AssociationLost(f"send to {self._peer}: {exc.strerror}") from None

    async def recv(self) -> Frame:
        while True:
            if self._closed:
                raise AssociationLost(f"association to {self._peer} is closed")
            try:
                _addr, flags, msg, notif = self._sock.sctp_recv(MAX_FRAME + 1)
            except BlockingIOError:
                await self._wait(writable=False)
                continue
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                    await self._wait(writable=False)
                    continue
                await self.close()
                raise AssociationLost(f"recv from {self._peer}: {exc.strerror}") from None
            if not msg:
                if flags & getattr(self._sctp, "FLAG_NOTIFICATION", 0x8000):
                    continue  # an event notification, not data
                await self.close()
                raise AssociationLost(f"association to {self._peer} was shut down")
            if len(msg) > MAX_FRAME:
                log.warning(
                    "dropping an oversized frame (> %d octets) from %s", MAX_FRAME, self._peer
                )
                continue
            ppid = _ppid_from_wire(getattr(notif, "ppid", XWAP_PPID))
            return Frame(bytes(msg), int(getattr(notif, "stream", 0)), ppid)

    @property
    def _sctp(self) -> Any:
        import sctp

        return sctp

    async def _wait(self, *, writable: bool) -> None:
        if self._closed:
            raise AssociationLost(f"association to {self._peer} is closed")
        await _ready(self._loop, self._sock.fileno(), writable=writable, waiters=self._waiters)

    def _wake_waiters(self) -> None:
        # A closed descriptor never becomes readable: wake whoever waits on it.
        for fut in tuple(self._waiters):
            if not fut.done():
                fut.set_exception(AssociationLost(f"association to {self._peer} is closed"))

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._wake_waiters()
            with contextlib.suppress(OSError):
                self._sock.close()

    def abort(self) -> None:
        """Abort the association (SO_LINGER 0): the peer sees it lost at once."""
        import struct

        with contextlib.suppress(OSError):
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._closed = True
        self._wake_waiters()
        with contextlib.suppress(OSError):
            self._sock.close()


async def _ready(
    loop: asyncio.AbstractEventLoop,
    fd: int,
    *,
    writable: bool,
    waiters: set[asyncio.Future[None]] | None = None,
) -> None:
    """Until ``fd`` is readable (or writable); ``waiters`` lets a closer wake us."""
    fut: asyncio.Future[None] = loop.create_future()
    if waiters is not None:
        waiters.add(fut)

    def wake() -> None:
        if not fut.done():
            fut.set_result(None)

    if writable:
        loop.add_writer(fd, wake)
    else:
        loop.add_reader(fd, wake)
    try:
        await fut
    finally:
        if waiters is not None:
            waiters.discard(fut)
        if writable:
            loop.remove_writer(fd)
        else:
            loop.remove_reader(fd)


def _new_sctp_socket(family: int, streams: int) -> Any:
    import sctp

    sock = sctp.sctpsocket_tcp(family)
    sock.events.data_io = True  # sndrcvinfo (stream, ppid) with each message
    sock.events.flush()
    init = sock.initparams
    init.num_ostreams = streams
    init.max_instreams = streams
    sock.initparams = init
    return sock


@attrs.define
class SctpConnector:
    """eNB side: connect to a SeGW's XwAP endpoint. ``addresses``: one, or several for
    multi-homing (all of the SeGW's addresses, the first is the primary path)."""

    addresses: Sequence[str]
    port: int = XWAP_PORT
    streams: int = 8
    local: Sequence[str] = ()

    async def connect(self) -> Association:
        loop = asyncio.get_running_loop()
        family = socket.AF_INET6 if ":" in self.addresses[0] else socket.AF_INET
        sock: Any = None
        try:
            # Inside the try: on a kernel without SCTP the socket itself fails (EPROTONOSUPPORT),
            # and that is a failed connection attempt like any other.
            sock = _new_sctp_socket(family, self.streams)
            if self.local:
                sock.bindx([(a, 0) for a in self.local])
            targets = [(a, self.port) for a in self.addresses]
            await loop.run_in_executor(
                None,
                lambda: sock.connectx(targets) if len(targets) > 1 else sock.connect(targets[0]),
            )
        except OSError as exc:
            if sock is not None:
                sock.close()
            why = exc.strerror or repr(exc)
            raise AssociationLost(
                f"connect to {list(self.addresses)}: {why} (errno {exc.errno})"
            ) from exc
        return SctpAssociation(sock, f"{self.addresses[0]}:{self.port}", loop)


class SctpListener:
    """SeGW side: accept XwAP associations on ``addresses`` (several for multi-homing)."""

    def __init__(self, addresses: Sequence[str], port: int = XWAP_PORT, streams: int = 8) -> None:
        family = socket.AF_INET6 if ":" in addresses[0] else socket.AF_INET
        self._sock = _new_sctp_socket(family, streams)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if len(addresses) > 1:
            self._sock.bindx([(a, port) for a in addresses])
        else:
            self._sock.bind((addresses[0], port))
        self._sock.listen(8)
        self._sock.settimeout(0)

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    async def accept(self) -> Association:
        import sctp

        loop = asyncio.get_running_loop()
        while True:
            try:
                conn, addr = self._sock.accept()
                break
            except BlockingIOError:
                await _ready(loop, self._sock.fileno(), writable=False)
        wrapped = sctp.sctpsocket_tcp(self._sock.family, conn)
        wrapped.events.data_io = True
        wrapped.events.flush()
        return SctpAssociation(wrapped, f"{addr[0]}:{addr[1]}", loop)

    async def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()
