"""The asyncio path: activations per second through :class:`~lwip_enb.io.runtime.EnbRuntime`
and the reference SeGW's :class:`~lwip_enb.sim.runtimes.SegwRuntime`, over the in-memory
transport and over the example's XwAP-over-TCP on 127.0.0.1; rows of ``activation_per_s``.

One eNB runtime, one SeGW runtime (a :class:`~lwip_enb.peers.segw.SegwModel`) and a scripted UE
in one event loop. Per UE: ``EnbRuntime.activate`` (LWIP ADDITION REQUEST encoded and queued),
the SeGW runtime reads it from its association (decoded, PSK stored, ACKNOWLEDGE encoded and
sent back), the eNB runtime reads that (decoded, RRC reconfiguration encoded) and hands the RRC
to its ``on_rrc``: the scripted UE decodes it, tells the SeGW model its tunnel is up (what a real
IKE stack reports, :meth:`~lwip_enb.peers.segw.SegwModel.tunnel_established`), and feeds the eNB
the completion and the WLAN status report (:class:`~lwip_enb.sim.testing.PeerMessages`,
decoded by the eNB) and ``tunnel_established``. A UE counts once the eNB runtime reports its
``TunnelUp``. UEs go in chunks of :data:`~.timing.CHUNK`, all of a chunk started at once (the
runtime's flow control applies), the clock read around each chunk: the figure is a throughput,
with the SeGW's, the scripted UE's and the event loop's work in it, unlike the sans-IO figure.

The TCP transport is ``examples/tcp_transport.py``, loaded from its file: its framing is not
TS 36.462's (SCTP), which is why the library does not ship it; the rows say so, and are left
out (with a note) where the file is not there, as in an installed wheel.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import lwip_enb
from lwip_enb.codec import rrc
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.core.controller import EnbConfig, EnbController
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import TunnelUp
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import EnbRuntime
from lwip_enb.io.transport import Connector, Listener
from lwip_enb.peers import segw_outputs
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.sim.runtimes import SegwRuntime
from lwip_enb.sim.testing import SEGW, SEGW_ADDRESS, PeerMessages
from lwip_enb.tools.bench.enb import Ues
from lwip_enb.tools.bench.quantity import Quantity, measured
from lwip_enb.tools.bench.timing import Instruments, Sizes, chunks

__all__ = ["TCP_EXAMPLE", "TRANSPORTS", "Run", "measure", "run", "tcp_example"]

#: The example's transport, next to the package in a source checkout.
TCP_EXAMPLE: Final = (
    Path(lwip_enb.__file__).resolve().parent.parent / "examples" / "tcp_transport.py"
)
_ENB = "enb"
_GUARD_S: Final = 600.0  # a run that stops making progress fails instead of hanging


def tcp_example() -> ModuleType | None:
    """``examples/tcp_transport.py`` as a module, or None where it is not there."""
    name = "lwip_enb_example_tcp_transport"
    if name in sys.modules:
        return sys.modules[name]
    if not TCP_EXAMPLE.is_file():
        return None
    spec = importlib.util.spec_from_file_location(name, TCP_EXAMPLE)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


async def _memory() -> tuple[Listener, Connector]:
    net = MemoryNetwork()
    return net.listener(SEGW), net.connector(SEGW, client=_ENB)


async def _tcp() -> tuple[Listener, Connector]:
    module = tcp_example()
    if module is None:
        raise AssertionError(f"{TCP_EXAMPLE} not found")  # measure() checks before
    listener = module.TcpListener()
    port = await listener.start("127.0.0.1")
    return listener, module.TcpConnector("127.0.0.1", port)


#: transport name -> (row key, what the row says, how to make a listener and a connector)
TRANSPORTS: Final[dict[str, tuple[str, str, Callable[[], Any]]]] = {
    "memory": ("runtime_memory_per_s", "in memory", _memory),
    "tcp": ("runtime_tcp_per_s", "TCP loopback", _tcp),
}


#: transport name -> how the XwAP PDUs travel, for the row's basis
HOW_CARRIED: Final = {
    "memory": "XwAP over lwip_enb.io.memory (MemoryNetwork)",
    "tcp": "XwAP over TCP on 127.0.0.1, the framing of examples/tcp_transport.py",
}


@dataclass(frozen=True)
class Run:
    """One run of the asyncio path: the seconds of its timed chunks, and what it saw."""

    seconds: float
    tunnels_up: int  # TunnelUp events of the eNB runtime
    segw_answered: int  # additions the SeGW model stored a PSK for and acknowledged
    active: int  # UEs ACTIVE at the eNB once every chunk was done


async def _run(n: int, transport: str, peers: PeerMessages, clock: Callable[[], float]) -> Run:
    listener, connector = await TRANSPORTS[transport][2]()
    model = SegwModel()
    model.add_enb(_ENB, EnbInterface("198.51.100.1"))
    segw = SegwRuntime(model, listener, warm_up=False)
    ues = Ues(n)
    ul = RrcChannel.UL_DCCH
    up = 0
    answered = 0
    target = 0
    reached = asyncio.Event()

    async def ue(key: Any, channel: RrcChannel, pdu: bytes) -> None:
        """The scripted UE: answers an LWIP set-up, ignores anything else (the releases)."""
        msg = rrc.decode(channel, pdu)
        if not (isinstance(msg, rrc.RrcConnectionReconfiguration) and msg.lwip is not None):
            return
        tunnel = getattr(msg.lwip, "tunnel", None)
        if tunnel is None:
            return
        idi = tunnel.idi
        await segw.input(lambda now: model.tunnel_established(idi, now))
        await enb.receive_rrc(key, ul, peers.complete[msg.transaction_id])
        await enb.receive_rrc(key, ul, peers.wlan_success)
        await enb.tunnel_established(key)

    enb = EnbRuntime(EnbController(EnbConfig()), on_rrc=ue, warm_up=False)
    enb.add_segw(SEGW, SEGW_ADDRESS, connector)

    async def count_enb() -> None:
        nonlocal up
        async for event in enb.events:
            if type(event) is TunnelUp:
                up += 1
                if up >= target:
                    reached.set()

    async def count_segw() -> None:
        nonlocal answered
        async for event in segw.events:
            if (
                type(event) is segw_outputs.PskStored
                and event.phase is segw_outputs.PskPhase.WINDOW
            ):
                answered += 1

    async with segw, enb:
        readers = [asyncio.create_task(count_enb()), asyncio.create_task(count_segw())]
        try:
            await enb.wait_ready(SEGW)
            seconds = 0.0
            async with asyncio.timeout(_GUARD_S):
                for chunk in chunks(n):
                    target = chunk.stop
                    reached.clear()
                    start = clock()
                    for i in chunk:
                        await enb.activate(ues.keys[i], kenb=ues.kenbs[i], wlan_mac=ues.macs[i])
                    if up < target:
                        await reached.wait()
                    seconds += clock() - start
            active = sum(1 for k in ues.keys if enb.state(k) is State.ACTIVE)
            await asyncio.sleep(0)  # the SeGW's last events to its reader
        finally:
            for task in readers:
                task.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
    return Run(seconds, up, answered, active)


def run(n: int, transport: str, peers: PeerMessages, clock: Callable[[], float]) -> Run:
    """``n`` activations through the runtimes over ``transport`` (``memory`` or ``tcp``), on a
    fresh event loop; checks that each UE was answered by the SeGW and became active."""
    result = asyncio.run(_run(n, transport, peers, clock))
    if not result.tunnels_up == result.active == result.segw_answered == n:
        raise AssertionError(
            f"asyncio path over {transport}: of {n} UEs, {result.segw_answered} answered by the "
            f"SeGW, {result.tunnels_up} tunnels up, {result.active} active at the eNB"
        )
    return result


def measure(
    sizes: Sizes, peers: PeerMessages, inst: Instruments
) -> tuple[dict[str, Quantity], list[str]]:
    """The rows of the asyncio path (see the module text) and notes for the figure."""
    n = sizes.runtime_ues
    rows: dict[str, Quantity] = {}
    notes: list[str] = []
    basis = (
        f"{n:,} fresh UEs through EnbRuntime + SegwRuntime(SegwModel) + a scripted UE, one "
        "event loop, chunks started at once, wall time until each UE's TunnelUp"
    )
    for transport, (key, what, _) in TRANSPORTS.items():
        if transport == "tcp" and tcp_example() is None:
            notes.append(f"asyncio over TCP not measured: {TCP_EXAMPLE} not found")
            continue
        result = run(n, transport, peers, inst.clock)
        rows[key] = measured(
            f"ours, asyncio, {n:,} UEs: EnbRuntime + SeGW, {what}",
            n / result.seconds,
            "/s",
            n,
            f"{basis}; {HOW_CARRIED[transport]}",
        )
    if rows:
        notes.append(
            "asyncio rows: the SeGW's, the scripted UE's and the event loop's work is in them; "
            "TCP: examples/tcp_transport.py, loaded from its file"
        )
    return rows, notes
