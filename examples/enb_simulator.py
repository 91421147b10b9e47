"""An eNB simulator on the asyncio API: many UEs, activation, a handover wave, RLF, a UE that
leaves, and a stop that releases everyone.

The Xw association runs over the in-memory transport here; swap in
``SctpConnector(["192.0.2.10"])`` for a real LWIP-SeGW.

Events are kept until read (no bound by default), so activating everything first and reading
the events afterwards loses nothing, at any UE count. To bound memory instead, pass e.g.
``event_policy=EventPolicy(queue_size=10_000, on_full="block")`` and read ``enb.events`` from a
task of its own (docs/transports.md).

Run: python examples/enb_simulator.py
"""

from __future__ import annotations

import asyncio
import collections

from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import TunnelReleased, TunnelUp
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import EnbRuntime
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim.runtimes import ModelAir, SegwRuntime

UES = 20


def kenb_of(ue: int, generation: int = 0) -> bytes:
    return bytes((ue * 31 + generation * 7 + i) & 0xFF for i in range(32))


async def main() -> None:
    net = MemoryNetwork()
    segw = SegwModel()
    segw.add_enb("enb", EnbInterface("198.51.100.1"))
    segw_runtime = SegwRuntime(segw, net.listener("segw"))
    air = ModelAir(segw_runtime)  # the UEs' radio, and their IKE with the SeGW
    ues = {u: UeModel(kenb_of(u), bytes([2, 0, 0, 0, 0, u])) for u in range(1, UES + 1)}
    air.ues.update(ues)
    enb = EnbRuntime(on_rrc=air)
    air.attach(enb)
    enb.add_segw("segw", "192.0.2.10", net.connector("segw"))
    async with segw_runtime, enb:
        await enb.wait_ready("segw")
        for u, ue in ues.items():
            await enb.activate(u, kenb=kenb_of(u), wlan_mac=ue.wlan_mac)
        counts: collections.Counter[str] = collections.Counter()
        while counts["up"] < UES:
            event = await asyncio.wait_for(enb.events.get(), 5)
            counts["up"] += isinstance(event, TunnelUp)
        print(f"{counts['up']} UEs on WLAN; SeGW holds {segw.psk_count()} PSKs")

        # A handover wave: half the UEs move (X2) and are set up again under their new KeNB.
        for u in range(1, UES // 2 + 1):
            await enb.handover(u, HandoverKind.X2, new_kenb=kenb_of(u, 1))
            ues[u].new_kenb(kenb_of(u, 1))
        await asyncio.sleep(0.05)  # let the LWIP RELEASE REQUESTs reach the SeGW
        assert segw.psk_count() == UES - UES // 2
        print(f"after the handover wave: SeGW holds {segw.psk_count()} PSKs")
        for u in range(1, UES // 2 + 1):
            await enb.activate(u, kenb=kenb_of(u, 1), wlan_mac=ues[u].wlan_mac)
        # One radio link failure, seen by the eNB and by the UE (which drops LWIP itself).
        await enb.radio_link_failure(UES)
        ues[UES].radio_link_failure(asyncio.get_running_loop().time())
        await asyncio.sleep(0.05)
        while not enb.events.empty():
            event = enb.events.get_nowait()
            counts["released"] += isinstance(event, TunnelReleased)
            counts["up again"] += isinstance(event, TunnelUp)
        print(
            f"released {counts['released']}, up again {counts['up again']}, "
            f"SeGW holds {segw.psk_count()} PSKs"
        )
        assert segw.psk_count() == UES - 1

        # The UE that had the radio link failure leaves the cell: its context and keys go.
        await enb.forget(UES)
        assert UES not in enb.ues()

    # stop() released every UE at both ends: nothing is left active anywhere.
    assert all(enb.state(u) is State.IDLE for u in ues)
    assert segw.psk_count() == 0 and not any(ue.holds_psk for ue in ues.values())
    print(f"stopped: {len(list(enb.ues()))} UEs idle, no PSK left at the SeGW or the UEs")


if __name__ == "__main__":
    asyncio.run(main())
