"""XwAP's transport against the kernel's own SCTP stack, through pysctp 0.7.3.

Every test here needs a real SCTP kernel: natively when the host has one, otherwise conftest runs
them inside a small VM (tests/helpers/sctp_vm.py). They pin down what the production transport
has to do with pysctp 0.7.3:

- ``sctp_send(msg, ppid=58, stream=n)`` puts PPID 58 on the wire: 0.7.3's ``sctp_send`` applies
  ``ntohl`` itself, so the plain number is passed (``ppid_to_wire``). Its C layer takes a signed
  int, so a PPID whose byte-swapped value is 2**31 or more raises OverflowError;
- ``sctp_recv`` returns the PPID field as it lies in memory, in network order read as a host
  integer: ``socket.ntohl`` gives the PPID back (``ppid_from_wire``);
- stream and PPID of received data are only filled in when the socket subscribed to data_io
  events (``sock.events.data_io = True``, set on the listener before accept): pysctp's
  ``event_subscribe`` does not tell the kernel anything until a property is set, and without it
  every message reads as stream 0, PPID 0;
- a peer's abort (SO_LINGER 0, then close) makes ``sctp_recv`` raise ConnectionResetError, after
  an ``assoc_change`` notification in state COMM_LOST when association events are subscribed
  (its ``error`` is the ABORT's cause code in network order: ``socket.ntohs`` gives 12);
  MSG_ABORT and MSG_EOF are refused (EINVAL) on one-to-one sockets;
- a peer's graceful close (close() without linger) reads as an empty message, ``b""``.
"""

from __future__ import annotations

import contextlib
import errno
import select
import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sctp
from conftest import require_peer
from helpers.sctp_vm import host_has_sctp

pytestmark = pytest.mark.sctp

XWAP_PPID = 58  # TS 36.462 section 7: the payload protocol identifier of XwAP
LOOPBACK = "127.0.0.1"
WAIT = 10.0  # seconds; loopback under an emulated CPU is slow, but not that slow
ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
SCTP_DATA_CHUNK = 0
SCTP_USER_INITIATED_ABORT = 12  # RFC 9260 section 3.3.10.12


def ppid_to_wire(ppid: int) -> int:
    """The ``ppid=`` argument of pysctp 0.7.3's ``sctp_send`` that puts ``ppid`` on the wire.

    0.7.3 converts with ``ntohl`` inside ``sctp_send``, so the PPID is passed as it is.
    """
    if not 0 <= ppid <= 0xFFFFFFFF:
        raise ValueError(f"a PPID is 32 bits: {ppid}")
    return ppid


def ppid_from_wire(received: int) -> int:
    """The wire PPID from ``sndrcvinfo.ppid`` of pysctp 0.7.3's ``sctp_recv`` (not converted)."""
    return socket.ntohl(received)


@dataclass(frozen=True)
class Received:
    data: bytes | None
    flags: int
    info: Any  # sctp.sndrcvinfo for data, an sctp.notification subclass for an event


@dataclass(frozen=True)
class DataChunk:
    tsn: int
    stream: int
    ppid: int
    payload: bytes


@pytest.fixture(autouse=True)
def _kernel_sctp() -> None:
    require_peer(host_has_sctp(), "no SCTP in this kernel (modprobe sctp)")


def recv(sock: sctp.sctpsocket_tcp, maxlen: int = 65536) -> Received:
    """One ``sctp_recv``, failing the test instead of hanging when nothing arrives."""
    ready, _, _ = select.select([sock.fileno()], [], [], WAIT)
    if not ready:
        pytest.fail(f"nothing to receive within {WAIT} s")
    _addr, flags, data, info = sock.sctp_recv(maxlen)
    return Received(data, flags, info)


@contextlib.contextmanager
def association(
    *, data_io: bool = True, association_events: bool = False
) -> Iterator[tuple[sctp.sctpsocket_tcp, sctp.sctpsocket_tcp]]:
    """A one-to-one association over loopback: (client, server side of it)."""
    with contextlib.ExitStack() as stack:
        listener = sctp.sctpsocket_tcp(socket.AF_INET)
        stack.callback(listener.close)
        if data_io:
            listener.events.data_io = True  # inherited by the accepted socket
        if association_events:
            listener.events.association = True
        listener.bind((LOOPBACK, 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        client = sctp.sctpsocket_tcp(socket.AF_INET)
        stack.callback(client.close)
        client.connect((LOOPBACK, port))
        ready, _, _ = select.select([listener.fileno()], [], [], WAIT)
        assert ready, "no association to accept"
        server, _ = listener.accept()
        stack.callback(server.close)
        yield client, server


@contextlib.contextmanager
def loopback_capture() -> Iterator[socket.socket]:
    """A raw packet socket on ``lo`` (needs CAP_NET_RAW: root in the VM)."""
    try:
        raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    except PermissionError:
        pytest.skip("capturing on lo needs CAP_NET_RAW")
    with raw:
        raw.bind(("lo", 0))
        yield raw


def data_chunks(raw: socket.socket, port: int) -> list[DataChunk]:
    """The SCTP DATA chunks to or from ``port`` captured so far, each once, in TSN order."""
    chunks: dict[int, DataChunk] = {}
    raw.setblocking(False)
    while True:
        try:
            frame, addr = raw.recvfrom(65536)
        except BlockingIOError:
            break
        if addr[2] == PACKET_OUTGOING:  # loopback shows each packet leaving and arriving
            continue
        if len(frame) < 34 or struct.unpack_from("!H", frame, 12)[0] != ETH_P_IP:
            continue
        ip = frame[14:]
        header_len, total_len = (ip[0] & 0x0F) * 4, struct.unpack_from("!H", ip, 2)[0]
        if ip[9] != socket.IPPROTO_SCTP:
            continue
        packet = ip[header_len:total_len]
        if port not in struct.unpack_from("!HH", packet, 0):
            continue
        offset = 12  # the common header: ports, verification tag, checksum
        while offset + 4 <= len(packet):
            kind, _flags, length = struct.unpack_from("!BBH", packet, offset)
            if length < 4:
                break
            if kind == SCTP_DATA_CHUNK:
                tsn, stream, _ssn, ppid = struct.unpack_from("!IHHI", packet, offset + 4)
                payload = packet[offset + 16 : offset + length]
                chunks[tsn] = DataChunk(tsn, stream, ppid, payload)
            offset += (length + 3) & ~3
    return [chunks[tsn] for tsn in sorted(chunks)]


def test_xwap_ppid_and_stream_as_the_receiver_sees_them() -> None:
    with association() as (client, server):
        client.sctp_send(b"xwap on stream 0", ppid=ppid_to_wire(XWAP_PPID), stream=0)
        client.sctp_send(b"xwap on stream 1", ppid=ppid_to_wire(XWAP_PPID), stream=1)
        first, second = recv(server), recv(server)

    for got, stream in ((first, 0), (second, 1)):
        assert got.data == f"xwap on stream {stream}".encode()
        assert not got.flags & sctp.FLAG_NOTIFICATION
        assert got.flags & sctp.FLAG_EOR  # a whole message
        assert isinstance(got.info, sctp.sndrcvinfo)
        assert got.info.stream == stream
        assert ppid_from_wire(got.info.ppid) == XWAP_PPID
        # pysctp 0.7.3 hands the field over unconverted; if this fails, the library changed.
        assert got.info.ppid == socket.htonl(XWAP_PPID)


def test_xwap_ppid_and_stream_on_the_wire() -> None:
    with loopback_capture() as raw, association() as (client, server):
        port = server.getsockname()[1]
        client.sctp_send(b"xwap on stream 0", ppid=ppid_to_wire(XWAP_PPID), stream=0)
        client.sctp_send(b"xwap on stream 1", ppid=ppid_to_wire(XWAP_PPID), stream=1)
        received = [recv(server).data for _ in range(2)]
        chunks = data_chunks(raw, port)

    assert received == [b"xwap on stream 0", b"xwap on stream 1"]
    assert [(c.stream, c.ppid, c.payload) for c in chunks] == [
        (0, XWAP_PPID, b"xwap on stream 0"),
        (1, XWAP_PPID, b"xwap on stream 1"),
    ]


def test_without_data_io_events_stream_and_ppid_read_as_zero() -> None:
    # The trap for the production transport: nothing fails, the metadata is just missing.
    with association(data_io=False) as (client, server):
        client.sctp_send(b"xwap", ppid=ppid_to_wire(XWAP_PPID), stream=1)
        got = recv(server)
    assert got.data == b"xwap"
    assert (got.info.stream, got.info.ppid) == (0, 0)


def test_ppid_that_overflows_pysctps_signed_int_is_refused() -> None:
    # sctp_send passes ntohl(ppid) to C as a signed int: which PPIDs fail depends on byte order.
    too_big = socket.ntohl(0x8000_0000)  # 0x80 on a little-endian host
    with association() as (client, _server), pytest.raises(OverflowError):
        client.sctp_send(b"xwap", ppid=ppid_to_wire(too_big), stream=0)


def test_abort_by_the_peer_resets_the_association() -> None:
    with association() as (client, server):
        client.sctp_send(b"last words", ppid=ppid_to_wire(XWAP_PPID), stream=0)
        assert recv(server).data == b"last words"
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # with linger 0, close() sends ABORT instead of SHUTDOWN

        ready, _, _ = select.select([server.fileno()], [], [], WAIT)
        assert ready
        with pytest.raises(ConnectionResetError):
            server.sctp_recv(65536)
        with pytest.raises(BrokenPipeError):
            server.sctp_send(b"too late", ppid=ppid_to_wire(XWAP_PPID), stream=0)


def test_abort_by_the_peer_is_notified_when_subscribed() -> None:
    with association(association_events=True) as (client, server):
        up = recv(server)
        assert up.flags & sctp.FLAG_NOTIFICATION and up.data is None
        assert isinstance(up.info, sctp.assoc_change)
        assert up.info.state == sctp.assoc_change.state_COMM_UP
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()

        lost = recv(server)
        assert lost.flags & sctp.FLAG_NOTIFICATION and lost.data is None
        assert isinstance(lost.info, sctp.assoc_change)
        assert lost.info.state == sctp.assoc_change.state_COMM_LOST
        # Linux passes the ABORT's cause code on unconverted: 12 is User-Initiated Abort.
        assert socket.ntohs(lost.info.error) == SCTP_USER_INITIATED_ABORT
        with pytest.raises(ConnectionResetError):
            server.sctp_recv(65536)


def test_graceful_close_by_the_peer_reads_as_an_empty_message() -> None:
    with association() as (client, server):
        client.close()  # SHUTDOWN, not ABORT
        got = recv(server)
        assert got.data == b""
        assert not got.flags & sctp.FLAG_NOTIFICATION


@pytest.mark.parametrize(
    ("data", "flag"), [(b"bye", "MSG_ABORT"), (b"", "MSG_EOF")], ids=["abort", "eof"]
)
def test_msg_abort_and_msg_eof_are_refused_on_one_to_one_sockets(data: bytes, flag: str) -> None:
    with association() as (client, _server), pytest.raises(OSError) as raised:
        client.sctp_send(data, flags=getattr(sctp, flag))
    assert raised.value.errno == errno.EINVAL
