"""A custom transport plugged in without touching the library: XwAP over TCP on loopback.

TS 36.462 puts XwAP on SCTP. Kernels without SCTP (containers, some CI machines) can still
exercise the full stack with this NON-STANDARD framing: each PDU is sent as a 4-octet big-endian
length, a 2-octet stream number and the PDU. Only the two ends of this example understand it.

Run: python examples/tcp_transport.py
"""

from __future__ import annotations

import asyncio
import struct

from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import TunnelUp
from lwip_enb.io.runtime import EnbRuntime
from lwip_enb.io.transport import MAX_FRAME, AssociationLost, Frame
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim.runtimes import ModelAir, SegwRuntime

HEADER = struct.Struct("!IH")  # length, stream


class TcpAssociation:
    """Implements lwip_enb.io.transport.Association over an asyncio TCP stream."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer
        host, port = writer.get_extra_info("peername")[:2]
        self._peer = f"{host}:{port}"
        # optional: (address, port) of each end, which traces and captures show
        local = writer.get_extra_info("sockname")
        self.local_address = (str(local[0]), int(local[1])) if local else None
        self.peer_address = (str(host), int(port))

    @property
    def peer(self) -> str:
        return self._peer

    async def send(self, data: bytes, *, stream: int = 0) -> None:
        if self._writer.is_closing():
            raise AssociationLost(f"{self._peer} closed")
        self._writer.write(HEADER.pack(len(data), stream) + data)
        try:
            await self._writer.drain()
        except ConnectionError as exc:
            raise AssociationLost(str(exc)) from None

    async def recv(self) -> Frame:
        try:
            length, stream = HEADER.unpack(await self._reader.readexactly(HEADER.size))
            if length > MAX_FRAME:  # never trust a length from the network
                raise AssociationLost(f"{self._peer}: frame of {length} octets")
            return Frame(await self._reader.readexactly(length), stream)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            raise AssociationLost(f"{self._peer}: {exc}") from None

    async def close(self) -> None:
        self._writer.close()

    def abort(self) -> None:
        """Drop the connection at once, unsent data included (a runtime gives up a peer that
        stopped reading this way: a plain close would wait for that peer to read)."""
        self._writer.transport.abort()


class TcpConnector:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    async def connect(self) -> TcpAssociation:
        try:
            return TcpAssociation(*await asyncio.open_connection(self.host, self.port))
        except OSError as exc:
            raise AssociationLost(str(exc)) from None


class TcpListener:
    def __init__(self) -> None:
        self._queue: asyncio.Queue[TcpAssociation] = asyncio.Queue()
        self._server: asyncio.Server | None = None

    async def start(self, host: str = "127.0.0.1") -> int:
        async def accepted(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
            await self._queue.put(TcpAssociation(r, w))

        self._server = await asyncio.start_server(accepted, host, 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def accept(self) -> TcpAssociation:
        return await self._queue.get()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()


async def main() -> None:
    kenb = bytes(range(32))
    listener = TcpListener()
    port = await listener.start()
    model = SegwModel()
    model.add_enb("enb-1", EnbInterface("198.51.100.1"))
    ue = UeModel(kenb, bytes.fromhex("020000000001"))

    air = ModelAir(model)  # the radio: the reference UE model and its modelled IKE
    air.ues["ue-1"] = ue
    enb = EnbRuntime(on_rrc=air)
    air.attach(enb)
    enb.add_segw("segw-1", "192.0.2.10", TcpConnector("127.0.0.1", port))
    async with SegwRuntime(model, listener), enb:
        await enb.wait_ready("segw-1")
        await enb.activate("ue-1", kenb=kenb, wlan_mac=ue.wlan_mac)
        event = await asyncio.wait_for(enb.events.get(), 5)
        while not isinstance(event, TunnelUp):
            event = await asyncio.wait_for(enb.events.get(), 5)
        print("tunnel up for", event.ue, "over XwAP-on-TCP")
        assert enb.controller.state("ue-1") is State.ACTIVE


if __name__ == "__main__":
    asyncio.run(main())
