"""Soak: N activations with releases over two SeGWs, one of which stops reading at the start.

Every activation on the healthy SeGW completes (tunnel usable, then released and forgotten), every
activation on the stalled one fails through its guard timer, and nothing is lost: each UE has
exactly one outcome, the event queues dropped nothing, and no PSK or UE context is left at the
eNB, the healthy SeGW or any UE. Runs in memory and over the example's XwAP-over-TCP on
127.0.0.1. N=20,000 is marked slow; the normal run uses a smaller N of the same shape.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable

import pytest
from runtime_kit import MemoryTransport, Rig, TcpTransport, Transport, run_async, until

from lwip_enb.core.controller import EnbConfig
from lwip_enb.core.outputs import ActivationFailed, ActivationFailure, TunnelReleased, TunnelUp
from lwip_enb.peers.segw_outputs import PskDeleted, PskPhase, PskStored

TRANSPORTS: dict[str, Callable[[], Transport]] = {"memory": MemoryTransport, "tcp": TcpTransport}
# UEs in flight at a time. Bounded for the stalled SeGW too: thousands of activations at once
# keep one loop busy for longer than a guard, and the healthy UEs' guards would expire too.
HEALTHY_AT_ONCE = 256
STALLED_AT_ONCE = 2048


async def soak(transport: Transport, n: int) -> dict[str, int]:
    config = EnbConfig(xwap_guard_s=2.0, rrc_guard_s=20.0)
    # The default SendPolicy: past 1,024 queued PDUs the stalled SeGW's callers wait once for
    # stall_after (5 s) before it is declared stalled.
    async with Rig(transport, ("healthy", "stalled"), config=config) as rig:
        rig.gates["stalled"].stall()
        enb = rig.enb
        loop = asyncio.get_running_loop()
        outcome: dict[int, asyncio.Future[str]] = {u: loop.create_future() for u in range(n)}
        counts: collections.Counter[str] = collections.Counter()

        async def read_events() -> None:
            async for event in enb.events:
                counts[type(event).__name__] += 1
                if isinstance(event, TunnelUp | ActivationFailed):
                    result = "usable" if isinstance(event, TunnelUp) else event.reason.value
                    future = outcome[event.ue]  # type: ignore[index]
                    if future.done():
                        counts["second outcome"] += 1
                    else:
                        future.set_result(result)

        async def life(u: int, segw: str) -> None:
            rig.add_ue(u)
            await rig.activate(u, segw)
            result = await outcome[u]
            if result == "usable":
                await enb.deactivate(u)  # released at SeGW and UE
            await enb.forget(u)

        async def worker(ues: collections.deque[int], segw: str) -> None:
            while ues:
                await life(ues.popleft(), segw)

        reader = asyncio.create_task(read_events())
        try:
            healthy = collections.deque(range(0, n, 2))
            stalled = collections.deque(range(1, n, 2))
            await asyncio.gather(
                *(worker(healthy, "healthy") for _ in range(HEALTHY_AT_ONCE)),
                *(worker(stalled, "stalled") for _ in range(STALLED_AT_ONCE)),
            )
            await until(lambda: rig.models["healthy"].psk_count() == 0, 30)
            await until(lambda: enb.events.empty(), 30)
        finally:
            reader.cancel()
        results = collections.Counter(f.result() for f in outcome.values())
        assert results == {"usable": n // 2, ActivationFailure.NO_ANSWER.value: n - n // 2}
        assert counts["second outcome"] == 0
        assert counts[TunnelReleased.__name__] == n // 2
        assert list(enb.ues()) == []
        assert not any(ue.holds_psk for ue in rig.ues.values())
        assert rig.models["stalled"].psk_count() == 0  # it never read an addition
        assert enb.events.dropped == 0
        segw_events = collections.Counter()
        healthy_events = rig.segws["healthy"].events
        while not healthy_events.empty():
            event = healthy_events.get_nowait()
            segw_events[(type(event).__name__, getattr(event, "phase", None))] += 1
        assert segw_events[(PskStored.__name__, PskPhase.WINDOW)] == n // 2
        assert segw_events[(PskStored.__name__, PskPhase.TUNNEL)] == n // 2
        assert segw_events[(PskDeleted.__name__, None)] == n // 2
        assert healthy_events.dropped == 0
        return dict(results)


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
@pytest.mark.parametrize(
    "n", [pytest.param(2000, id="n2000"), pytest.param(20_000, id="n20000", marks=pytest.mark.slow)]
)
@run_async(600)
async def test_soak_activations_and_releases_with_a_stalled_segw(transport: str, n: int) -> None:
    await soak(TRANSPORTS[transport](), n)
