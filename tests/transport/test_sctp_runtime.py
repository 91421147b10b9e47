"""XwAP over real kernel SCTP: eNB runtime and SeGW runtime on one association (PPID 58 and the
stream rules of TS 36.462 checked on receive), a full activation and release, and an association
abort with recovery. Runs natively where the kernel has SCTP, else in a VM
(tests/helpers/sctp_vm.py)."""

from __future__ import annotations

import asyncio
import os

import pytest
from conftest import require_peer

from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import ReleaseReason, ReleaseTrigger, TunnelReleased
from lwip_enb.io.runtime import Backoff, EnbRuntime
from lwip_enb.io.sctp import SctpAssociation, SctpConnector, SctpListener, sctp_available
from lwip_enb.io.transport import XWAP_PPID, Association, Frame
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim.runtimes import ModelAir, SegwRuntime

pytestmark = pytest.mark.sctp
KENB = bytes(range(32))
# Under the emulated VM Python runs many times slower: give every wait room.
SLOW = 8.0 if os.environ.get("LWIP_ENB_IN_VM") else 1.0


class Recording:
    """An association that remembers what it received (PPID and stream as the receiver saw)."""

    def __init__(self, inner: Association, log: list[Frame]) -> None:
        self.inner, self.log = inner, log

    @property
    def peer(self) -> str:
        return self.inner.peer

    async def send(self, data: bytes, *, stream: int = 0) -> None:
        await self.inner.send(data, stream=stream)

    async def recv(self) -> Frame:
        frame = await self.inner.recv()
        self.log.append(frame)
        return frame

    async def close(self) -> None:
        await self.inner.close()


class RecordingListener:
    def __init__(self, inner: SctpListener) -> None:
        self.inner = inner
        self.frames: list[Frame] = []

    async def accept(self) -> Association:
        return Recording(await self.inner.accept(), self.frames)

    async def close(self) -> None:
        await self.inner.close()


async def _story() -> None:
    listener = RecordingListener(SctpListener(["127.0.0.1"], port=0))
    model = SegwModel()
    model.add_enb("enb", EnbInterface("198.51.100.1"))
    ue = UeModel(KENB, bytes.fromhex("020000000001"))

    air = ModelAir(model)
    air.ues[1] = ue
    enb = EnbRuntime(on_rrc=air)
    air.attach(enb)
    connector = SctpConnector(["127.0.0.1"], port=listener.inner.port)
    enb.add_segw("segw", "192.0.2.10", connector, backoff=Backoff(0.05, 0.2))

    async def until(cond: object, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout * SLOW):
            while not cond():  # type: ignore[operator]
                await asyncio.sleep(0.01)

    async with SegwRuntime(model, listener), enb:
        await enb.wait_ready("segw", timeout=10 * SLOW)
        await enb.activate(1, kenb=KENB, wlan_mac=ue.wlan_mac)
        await until(lambda: enb.controller.state(1) is State.ACTIVE)
        assert model.psk_count() == 1
        # Every PDU the SeGW received carried PPID 58; Xw Setup on stream 0, the UE's on others.
        assert {f.ppid for f in listener.frames} == {XWAP_PPID}
        assert listener.frames[0].stream == 0
        assert all(f.stream != 0 for f in listener.frames[1:])

        # Release (X2 handover): the PSK is gone at the SeGW.
        await enb.handover(1, HandoverKind.X2, new_kenb=bytes(range(1, 33)))
        await until(lambda: model.psk_count() == 0)

        # Set up again, then abort the association under it: both ends release, then recover.
        ue.new_kenb(bytes(range(1, 33)))
        await enb.activate(1, kenb=bytes(range(1, 33)), wlan_mac=ue.wlan_mac)
        await until(lambda: enb.controller.state(1) is State.ACTIVE)
        assoc = enb.association("segw")
        assert isinstance(assoc, SctpAssociation)
        assoc.abort()
        await until(lambda: model.psk_count() == 0 and enb.controller.state(1) is State.IDLE)
        released = []
        while not enb.events.empty():
            e = enb.events.get_nowait()
            if isinstance(e, TunnelReleased):
                released.append(e.reason)
        assert ReleaseReason(ReleaseTrigger.SEGW_LOST) in released
        await until(lambda: enb.controller.segw_ready("segw"))  # reconnected, Xw Setup again
        await enb.activate(1, kenb=bytes(range(1, 33)), wlan_mac=ue.wlan_mac)
        await until(lambda: enb.controller.state(1) is State.ACTIVE)


def test_xwap_runtimes_over_kernel_sctp() -> None:
    require_peer(sctp_available(), "SCTP in this kernel (pysctp)")
    asyncio.run(asyncio.wait_for(_story(), 60 * SLOW))


async def _multi_homed() -> tuple[set[str], set[str], Frame]:
    listener = SctpListener(["127.0.0.1", "127.0.0.2"], port=0)
    connector = SctpConnector(
        ["127.0.0.1", "127.0.0.2"], port=listener.port, local=["127.0.0.3", "127.0.0.4"]
    )
    try:
        accepting = asyncio.create_task(listener.accept())
        client = await connector.connect()
        server = await accepting
        assert isinstance(client, SctpAssociation) and isinstance(server, SctpAssociation)
        seen_by_client = {addr[0] for addr in client.socket.getpaddrs()}
        seen_by_server = {addr[0] for addr in server.socket.getpaddrs()}
        await client.send(b"\x00\x01", stream=1)
        frame = await server.recv()
        await client.close()
        await server.close()
    finally:
        await listener.close()
    return seen_by_client, seen_by_server, frame


def test_multi_homed_association_knows_every_address_of_both_ends() -> None:
    # connectx to both SeGW addresses from two bound local addresses (bindx): each end knows
    # all of the other's addresses as paths of the one association.
    require_peer(sctp_available(), "SCTP in this kernel (pysctp)")
    by_client, by_server, frame = asyncio.run(asyncio.wait_for(_multi_homed(), 30 * SLOW))
    assert by_client == {"127.0.0.1", "127.0.0.2"}
    assert by_server == {"127.0.0.3", "127.0.0.4"}
    assert frame == Frame(b"\x00\x01", 1, XWAP_PPID)
