"""What the runtime tests share: a way to run a coroutine with a bound, transports to run on
(in memory, and the example's XwAP-over-TCP on 127.0.0.1), a switch that makes one end stop
reading, and a rig of one eNB runtime, SeGW runtimes and reference UEs."""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import sys
from collections.abc import Callable, Coroutine, Hashable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from lwip_enb.core.controller import EnbConfig, EnbController
from lwip_enb.core.outputs import Output
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import Backoff, EnbRuntime
from lwip_enb.io.transport import Association, Connector, Frame, Listener
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim.runtimes import ModelAir, SegwRuntime

if TYPE_CHECKING:
    from lwip_enb.io.flow import EventPolicy, SendPolicy

FAST = Backoff(first=0.01, limit=0.05, jitter=0.0)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_async(
    timeout: float = 60.0,
) -> Callable[[Callable[..., Coroutine[Any, Any, None]]], Callable[..., None]]:
    """Run an async test on a fresh event loop, bounded by ``timeout`` (a test never hangs)."""

    def wrap(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            async def bounded() -> None:
                async with asyncio.timeout(timeout):
                    await fn(*args, **kwargs)

            asyncio.run(bounded())

        return wrapper

    return wrap


def kenb_of(ue: int, generation: int = 0) -> bytes:
    return bytes((ue * 31 + generation * 7 + i) & 0xFF for i in range(32))


def mac_of(ue: int) -> bytes:
    return b"\x02\x00" + ue.to_bytes(4, "big")


def tcp_example() -> ModuleType:
    """examples/tcp_transport.py as a module (it is a script, not part of the package)."""
    name = "lwip_enb_example_tcp_transport"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, EXAMPLES / "tcp_transport.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


class Transport(Protocol):
    async def listener(self, name: str) -> Listener: ...

    def connector(self, name: str, client: str = "enb") -> Connector: ...


class MemoryTransport:
    def __init__(self, depth: int = 1024) -> None:
        self.net = MemoryNetwork(depth)

    async def listener(self, name: str) -> Listener:
        return self.net.listener(name)

    def connector(self, name: str, client: str = "enb") -> Connector:
        return self.net.connector(name, client=client)


class TcpTransport:
    """The example's non-standard XwAP-over-TCP framing, on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.module = tcp_example()
        self.ports: dict[str, int] = {}

    async def listener(self, name: str) -> Listener:
        listener = self.module.TcpListener()
        self.ports[name] = await listener.start("127.0.0.1")
        return listener  # type: ignore[no-any-return]

    def connector(self, name: str, client: str = "enb") -> Connector:
        return self.module.TcpConnector("127.0.0.1", self.ports[name])  # type: ignore[no-any-return]


class Gate:
    """Makes the associations it wraps stop reading while closed (a stalled peer)."""

    def __init__(self) -> None:
        self._open = asyncio.Event()
        self._open.set()

    def stall(self) -> None:
        self._open.clear()

    def resume(self) -> None:
        self._open.set()

    def wrap(self, assoc: Association) -> Association:
        return _GatedAssociation(assoc, self)


class _GatedAssociation:
    def __init__(self, inner: Association, gate: Gate) -> None:
        self.inner, self.gate = inner, gate

    @property
    def peer(self) -> str:
        return self.inner.peer

    async def send(self, data: bytes, *, stream: int = 0) -> None:
        await self.inner.send(data, stream=stream)

    async def recv(self) -> Frame:
        await self.gate._open.wait()
        frame = await self.inner.recv()
        await self.gate._open.wait()  # a frame read just before the stall waits too
        return frame

    async def close(self) -> None:
        await self.inner.close()

    def abort(self) -> None:
        abort = getattr(self.inner, "abort", None)
        if abort is not None:
            abort()


class GatedListener:
    def __init__(self, inner: Listener, gate: Gate) -> None:
        self.inner, self.gate = inner, gate

    async def accept(self) -> Association:
        return self.gate.wrap(await self.inner.accept())

    async def close(self) -> None:
        await self.inner.close()


class GatedConnector:
    def __init__(self, inner: Connector, gate: Gate) -> None:
        self.inner, self.gate = inner, gate

    async def connect(self) -> Association:
        return self.gate.wrap(await self.inner.connect())


class Rig:
    """One eNB runtime, one SeGW runtime per name (each with its own model, IKE address
    192.0.2.<n>, and a gate that can make it stop reading), and reference UEs on the air."""

    def __init__(
        self,
        transport: Transport | None = None,
        segws: Iterable[str] = ("segw",),
        *,
        config: EnbConfig | None = None,
        send_policy: SendPolicy | None = None,
        event_policy: EventPolicy | None = None,
        segw_send_policy: SendPolicy | None = None,
    ) -> None:
        self.transport = transport or MemoryTransport()
        self.names = list(segws)
        self.models = {n: SegwModel() for n in self.names}
        for model in self.models.values():
            model.add_enb("enb", EnbInterface("198.51.100.1"))
        self.gates = {n: Gate() for n in self.names}
        self.segws: dict[str, SegwRuntime] = {}
        self.air = ModelAir(self.models[self.names[0]])
        options: dict[str, Any] = {}  # only what a test asks for
        if send_policy is not None:
            options["send_policy"] = send_policy
        if event_policy is not None:
            options["event_policy"] = event_policy
        self.enb = EnbRuntime(EnbController(config), on_rrc=self.air, **options)
        self.air.attach(self.enb)
        self.ues = self.air.ues
        self._segw_send_policy = segw_send_policy

    def address(self, name: str) -> str:
        return f"192.0.2.{10 + self.names.index(name)}"

    async def __aenter__(self) -> Rig:
        for name in self.names:
            listener = GatedListener(await self.transport.listener(name), self.gates[name])
            options: dict[str, Any] = {}
            if self._segw_send_policy is not None:
                options["send_policy"] = self._segw_send_policy
            segw = SegwRuntime(self.models[name], listener, **options)
            self.segws[name] = segw
            # IKE to the SeGW the UE was sent to, whose runtime routes what the model outputs
            self.air.add_segw(self.address(name), segw)
            await segw.start()
            connector = self.transport.connector(name)
            self.enb.add_segw(name, self.address(name), connector, backoff=FAST)
        await self.enb.start()
        for name in self.names:
            await self.enb.wait_ready(name)
        return self

    async def __aexit__(self, *exc: object) -> None:
        # A SeGW a test stalled never takes the releases: do not wait the default 5 s for them.
        stalled = any(not gate._open.is_set() for gate in self.gates.values())
        await (self.enb.stop(timeout=0.5) if stalled else self.enb.stop())
        for segw in self.segws.values():
            await segw.stop()

    def add_ue(self, ue: int) -> UeModel:
        model = self.ues[ue] = UeModel(kenb_of(ue), mac_of(ue))
        return model

    async def activate(self, ue: int, segw: str | None = None) -> list[Output]:
        model = self.ues.get(ue) or self.add_ue(ue)
        return await self.enb.activate(ue, kenb=kenb_of(ue), wlan_mac=model.wlan_mac, segw=segw)


async def drain(queue: Any) -> list[Any]:
    """Every event queued right now."""
    out = []
    while not queue.empty():
        out.append(queue.get_nowait())
    return out


async def until(predicate: Callable[[], bool], timeout: float = 10.0, step: float = 0.005) -> None:
    """Wait until ``predicate()`` holds; TimeoutError after ``timeout``."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(step)


def ue_key(value: Hashable) -> int:
    assert isinstance(value, int)
    return value
