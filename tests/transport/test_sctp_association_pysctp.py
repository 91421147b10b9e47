"""lwip_enb.io.sctp hands pysctp what TS 36.462 asks for, without a kernel: a stand-in socket
records the calls of ``SctpAssociation``.

What pysctp 0.7.3 then does with them on a real kernel (it converts the PPID given to
``sctp_send`` to network order itself, and returns the received PPID field unconverted) is pinned
down by tests/transport/test_sctp_kernel.py, which runs only where kernel SCTP is available; the
whole runtime over kernel SCTP is tests/transport/test_sctp_runtime.py.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from lwip_enb.io.sctp import SctpAssociation
from lwip_enb.io.transport import Frame

XWAP_PPID = 58  # TS 36.462 clause 7: SCTP payload protocol identifier of XwAP


class _Info:
    def __init__(self, ppid: int, stream: int) -> None:
        self.ppid, self.stream = ppid, stream


class _PysctpSocket:
    """Answers like a pysctp 0.7.3 one-to-one socket with data_io events on."""

    def __init__(self, incoming: list[tuple[bytes, int, int]]) -> None:
        self.sent: list[tuple[bytes, dict[str, Any]]] = []
        self.incoming = incoming  # (data, wire PPID field, stream)

    def settimeout(self, value: float) -> None:
        pass

    def sctp_send(self, data: bytes, **kwargs: Any) -> int:
        self.sent.append((data, kwargs))
        return len(data)

    def sctp_recv(self, maxlen: int) -> tuple[Any, int, bytes, _Info]:
        data, ppid_field, stream = self.incoming.pop(0)
        return ("192.0.2.10", 36462), 0, data, _Info(ppid_field, stream)

    def close(self) -> None:
        pass


def test_ts36462_7_ppid_58_and_the_stream_go_to_pysctp_and_come_back() -> None:
    """TS 36.462 clause 7: XwAP is carried with PPID 58; each message on the stream it was given.
    Sending passes the plain 58 (pysctp 0.7.3 converts it); receiving turns the field pysctp
    hands over (network order) back into 58 and keeps the stream."""
    fake = _PysctpSocket([(b"\x00\x0d", socket.htonl(XWAP_PPID), 3)])

    async def exchange() -> Frame:
        assoc = SctpAssociation(fake, "192.0.2.10:36462", asyncio.get_running_loop())
        await assoc.send(b"\x00\x0f", stream=5)
        return await assoc.recv()

    frame = asyncio.run(exchange())
    assert fake.sent == [(b"\x00\x0f", {"ppid": XWAP_PPID, "stream": 5})]
    assert frame == Frame(b"\x00\x0d", 3, XWAP_PPID)
