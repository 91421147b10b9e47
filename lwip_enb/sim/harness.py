"""The asyncio harness: :class:`AsyncSimulation`, an :class:`~lwip_enb.io.runtime.EnbRuntime`
wired over the memory transport to the reference SeGW's runtime and reference UEs, with the
story verbs of :class:`~lwip_enb.sim.simulation.Simulation` and waits that do not poll::

    async with AsyncSimulation() as sim:
        sim.add_ue(1)
        await sim.activate(1)
        await sim.wait_for_state(1, State.ACTIVE)
        await sim.handover(1)                      # the UE gets the handover command too
        await sim.wait_for_event(segw_outputs.PskDeleted, 1)

The harness reads the runtimes' event queues itself and keeps every event as a :class:`Record`
(:attr:`AsyncSimulation.records`); it routes what the UE models say uplink, runs their modelled
IKE with the SeGW, and names the UE of each SeGW event by its IDi. Time is the loop's.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import ipaddress
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeAlias

import attrs

from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import (
    HandoverCommand,
    RrcConnectionReconfiguration,
    WlanMeasConfig,
    encode,
)
from lwip_enb.codec.xwap import Cause
from lwip_enb.core import outputs as enb_out
from lwip_enb.core.controller import EnbConfig, EnbController, HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.errors import InvalidFieldError, WaitTimeout
from lwip_enb.io.flow import EventQueue
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import EnbRuntime, _cancel_all, _spawn
from lwip_enb.keys import KeyMaterial
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.segw import EnbInterface, SegwConfig, SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim.runtimes import ModelAir, SegwRuntime
from lwip_enb.sim.simulation import (
    DEFAULT_ENB_LWIP,
    DEFAULT_KENB,
    DEFAULT_SEGW_ADDRESS,
    ENB,
    SEGW,
)

__all__ = ["AsyncSimulation", "Record"]

UeKey: TypeAlias = Hashable
EventKind: TypeAlias = type | tuple[type, ...]

#: How long a wait lasts by default, in seconds: a guard, not an expectation of speed.
DEFAULT_TIMEOUT = 10.0


@attrs.frozen(slots=True)
class Record:
    """One event the harness saw: ``node`` ("enb", "segw" or "ue") output ``event`` about ``ue``
    (None for an event about no UE) at ``t``, seconds of loop time since the harness started.
    ``event`` is the node's own output (:mod:`lwip_enb.core.outputs` and the runtime's events,
    :mod:`lwip_enb.peers.segw_outputs`, :mod:`lwip_enb.peers.ue_outputs`)."""

    t: float
    node: str
    ue: UeKey | None
    event: Any


class _Waiter:
    __slots__ = ("check", "future")

    def __init__(self, check: Callable[[Record], bool], future: asyncio.Future[Record | None]):
        self.check, self.future = check, future


_ANY = object()  # the waiters that look at every record


class AsyncSimulation:
    """One eNB runtime, the reference SeGW (:attr:`segw`, served by :attr:`segw_runtime`) and UE
    models (:attr:`ues`) on the memory transport. ``async with`` starts and stops it; stopping
    releases every UE at both ends (:meth:`EnbRuntime.stop`).

    The verbs are those of :class:`~lwip_enb.sim.simulation.Simulation` (same names, a test
    keeps them so), as coroutines that return once the command is given: what follows happens
    on the loop, and :meth:`wait_for_state` / :meth:`wait_for_event` wait for it. A verb that
    needs a new KeNB derives one when none is given (:meth:`next_kenb`).
    """

    def __init__(
        self,
        *,
        kenb: bytes = DEFAULT_KENB,
        segw_address: str = DEFAULT_SEGW_ADDRESS,
        enb_config: EnbConfig | None = None,
        segw_config: SegwConfig | None = None,
        enb_lwip_interface: EnbInterface = DEFAULT_ENB_LWIP,
        timeout: float = DEFAULT_TIMEOUT,
        warm_up: bool = True,
    ) -> None:
        self.kenb = bytes(kenb)
        self.segw_address = str(ipaddress.ip_address(segw_address))
        self.timeout = timeout  # default of every wait
        self.network = MemoryNetwork()
        self.segw = SegwModel(segw_config or SegwConfig())
        self.segw.add_enb(ENB, enb_lwip_interface)
        self.segw_runtime = SegwRuntime(self.segw, self.network.listener(SEGW), warm_up=warm_up)
        self.air = ModelAir(self.segw_runtime)
        self.air.on_ue_output = self._ue_output
        self.enb = EnbRuntime(EnbController(enb_config), on_rrc=self.air, warm_up=warm_up)
        self.air.attach(self.enb)
        self.enb.add_segw(SEGW, self.segw_address, self.network.connector(SEGW))
        self.ues: dict[UeKey, UeModel] = self.air.ues
        #: every event seen, in the order the harness read them
        self.records: list[Record] = []
        self._by_ue: dict[UeKey, list[int]] = collections.defaultdict(list)  # indexes in records
        self._marks: dict[UeKey, int] = {}  # where the last verb on each UE began
        self._last_mark = 0
        self._idi_owner: dict[bytes, UeKey] = {}
        self._idis: dict[UeKey, list[bytes]] = collections.defaultdict(list)
        self._kenbs: dict[UeKey, bytes] = {}
        self._generation: dict[UeKey, int] = {}
        self._waiters: dict[object, list[_Waiter]] = collections.defaultdict(list)
        self._readers: list[asyncio.Task[None]] = []
        self._t0 = 0.0
        self._running = False

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start both runtimes and wait for Xw Setup (within :attr:`timeout`)."""
        if self._running:
            return
        self._t0 = asyncio.get_running_loop().time()
        self._running = True
        await self.segw_runtime.start()
        await self.enb.start()
        self._readers = [
            _spawn(self._read(self.enb.events, ENB), "lwip-harness-enb-events"),
            _spawn(self._read(self.segw_runtime.events, SEGW), "lwip-harness-segw-events"),
        ]
        await self.enb.wait_ready(SEGW, timeout=self.timeout)

    async def stop(self) -> None:
        """Stop the eNB runtime (every UE released at both ends), then the SeGW's; the events
        of the stop are recorded, and waits still under way fail."""
        if not self._running:
            return
        await self.enb.stop()
        await self.segw_runtime.stop()
        await _cancel_all(self._readers)
        self._drain(self.enb.events, ENB)
        self._drain(self.segw_runtime.events, SEGW)
        self._running = False
        for waiters in self._waiters.values():
            for w in waiters:
                if not w.future.done():
                    w.future.set_result(None)  # the wait reports its timeout error at once
        self._waiters.clear()

    async def __aenter__(self) -> AsyncSimulation:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def now(self) -> float:
        """Seconds of loop time since :meth:`start`."""
        return asyncio.get_running_loop().time() - self._t0

    async def run_until(self, t: float) -> None:
        """Let the loop run until :attr:`now` is ``t`` (timers fire as they are due)."""
        await asyncio.sleep(max(0.0, t - self.now))

    async def advance(self, dt: float) -> None:
        """Let the loop run for ``dt`` seconds."""
        await asyncio.sleep(dt)

    # ---- the story's verbs (those of Simulation) ---------------------------------------------

    def add_ue(
        self, key: UeKey, wlan_mac: bytes | None = None, kenb: bytes | None = None
    ) -> UeModel:
        """A UE model sharing ``kenb`` with the eNB; by default, as in :class:`Simulation`, the
        harness's KeNB for the first UE and one derived from it for each further UE."""
        n = len(self.ues)
        mac = wlan_mac or b"\x02\x00" + (n + 1).to_bytes(4, "big")
        if kenb is None:
            derived = hashlib.sha256(self.kenb + n.to_bytes(4, "big")).digest()
            kenb = self.kenb if n == 0 else derived
        self._kenbs[key] = bytes(kenb)
        ue = self.ues[key] = UeModel(kenb, mac)
        return ue

    async def activate(self, key: UeKey) -> list[enb_out.Output]:
        """Activate LWIP for ``key`` under the KeNB it shares with the eNB; wait for
        ``State.ACTIVE`` (or ``enb_out.TunnelUp``) to know it is done."""
        ue = self._ue(key)
        self._mark(key)
        out = await self.enb.activate(key, kenb=self.kenb_of(key), wlan_mac=ue.wlan_mac)
        self._learn_idi(key)
        return out

    async def handover(
        self,
        key: UeKey,
        kind: HandoverKind = HandoverKind.X2,
        new_kenb: bytes | None = None,
    ) -> list[enb_out.Output]:
        """S1/X2 handover (R9): the eNB releases LWIP at the SeGW, the UE executes the handover
        command (RRCConnectionReconfiguration with mobilityControlInfo, TS 36.331 5.3.5.4) and
        releases LWIP and its PSK, and eNB and UE share ``new_kenb`` (by default
        :meth:`next_kenb`) for a later activation. The command's completion goes to the target
        cell, not to this eNB. Whatever the eNB sends the UE first (an explicit release) reaches
        it before the command."""
        ue = self._ue(key)
        kenb = new_kenb if new_kenb is not None else self.next_kenb(key)
        self._mark(key)
        out = await self.enb.handover(key, kind, new_kenb=kenb)
        await self.enb.rrc_delivered()
        command = encode(RrcConnectionReconfiguration(0, handover=HandoverCommand(2, 0x4321)))
        for o in ue.receive_rrc(command, self._loop_time()):
            if not isinstance(o, ue_out.SendRrc):  # the completion: to the target cell
                self._ue_output(key, o)
        self.refresh_kenb(key, kenb)
        return out

    async def ue_radio_link_failure(self, key: UeKey, new_kenb: bytes | None = None) -> None:
        """The UE detects RLF (R10): it releases LWIP and its PSK and asks the eNB to
        re-establish (the eNB then releases at the SeGW); re-establishment gives a new KeNB."""
        ue = self._ue(key)
        kenb = new_kenb if new_kenb is not None else self.next_kenb(key)
        self._mark(key)
        await self.air.ue_outputs(key, ue.radio_link_failure(self._loop_time()))
        self.refresh_kenb(key, kenb)

    async def enb_radio_link_failure(self, key: UeKey) -> list[enb_out.Output]:
        """The eNB detects RLF (R10): it tells the SeGW; the UE finds out by itself."""
        ue = self._ue(key)
        self._mark(key)
        out = await self.enb.radio_link_failure(key)
        await self.air.ue_outputs(key, ue.radio_link_failure(self._loop_time()))
        return out

    async def wlan_lost(self, key: UeKey) -> None:
        """The UE loses its WLAN (R11): it drops the tunnel and its PSK and reports
        ``failureWlanRadioLink``, on which the eNB releases the tunnel at the SeGW. Where the
        eNB did not (it held no tunnel for the UE), the SeGW sees the tunnel die by itself
        (dead peer detection) and releases it."""
        ue = self._ue(key)
        self._mark(key)
        idi = ue.tunnel.idi if ue.tunnel is not None else None
        await self.air.ue_outputs(key, ue.wlan_lost(self._loop_time()))
        held = self.enb.idi(key)
        released_by_enb = held is None or held.octets != idi
        if idi is not None and not released_by_enb and self.segw.tunnel_state(idi) is not None:
            cause = Cause.radio_network("wLAN-not-available")
            await self.segw_runtime.input(lambda now: self.segw.release(idi, cause, now))

    async def wlan_available(self, key: UeKey) -> list[enb_out.Output]:
        """WLAN is back for the UE: the eNB sets up a fresh tunnel (R11)."""
        self._mark(key)
        out = await self.enb.wlan_available(key)
        self._learn_idi(key)
        return out

    async def wlan_suspend(self, key: UeKey) -> None:
        """Every WLAN of the UE's mobility set becomes temporarily unavailable: a UE allowed to
        reports ``suspended`` (TS 36.331 5.6.15.4); its tunnel stays up."""
        ue = self._ue(key)
        self._mark(key)
        await self.air.ue_outputs(key, ue.wlan_suspend(self._loop_time()))

    async def wlan_resume(self, key: UeKey) -> None:
        """The UE's WLAN comes back after a suspension: ``resumed`` (TS 36.331 5.6.15.4)."""
        ue = self._ue(key)
        self._mark(key)
        await self.air.ue_outputs(key, ue.wlan_resume(self._loop_time()))

    async def configure_wlan_measurements(
        self, key: UeKey, meas_config: WlanMeasConfig
    ) -> list[enb_out.Output]:
        """The eNB configures WLAN measurements at the UE (TS 36.331 5.5.2)."""
        self._mark(key)
        return await self.enb.configure_wlan_measurements(key, meas_config=meas_config)

    async def measure_wlans(self, key: UeKey, rssi: Mapping[WlanIdentifiers, float]) -> None:
        """The UE now measures ``rssi`` (dBm by WLAN); it reports what its W1/W2/W3
        configurations trigger (TS 36.331 5.5.4)."""
        ue = self._ue(key)
        self._mark(key)
        await self.air.ue_outputs(key, ue.measure_wlans(rssi, self._loop_time()))

    async def segw_release(self, key: UeKey) -> None:
        """The SeGW releases the UE's tunnel (LWIP RELEASE REQUIRED, cause om-intervention)."""
        self._mark(key)
        idi = self.enb.idi(key)
        if idi is not None:
            octets, cause = idi.octets, Cause.misc("om-intervention")
            await self.segw_runtime.input(lambda now: self.segw.release(octets, cause, now))

    async def forget(self, key: UeKey) -> list[enb_out.Output]:
        """The UE leaves the eNB (TS 36.331 5.3.12): the SeGW is told, the eNB drops the UE's
        context and keys, and the UE releases LWIP itself as it leaves RRC_CONNECTED."""
        ue = self._ue(key)
        self._mark(key)
        out = await self.enb.forget(key)
        for o in ue.rrc_connection_released(self._loop_time()):
            self._ue_output(key, o)
        return out

    def traffic(self, key: UeKey, dst: str, protocol: int = 17, port: int | None = 2152) -> bool:
        """Would the SeGW forward this UE's packet to ``dst``? (R6, R7)"""
        ue = self._ue(key)
        idi = ue.tunnel.idi if ue.tunnel is not None else b""
        return self.segw.allows(idi, dst, protocol, port)

    def refresh_kenb(self, key: UeKey, kenb: bytes) -> None:
        """The eNB and UE ``key`` now share ``kenb``: the UE derives from it, and so do later
        activations (the eNB's copy is given with each command that needs it)."""
        self._ue(key).new_kenb(kenb)
        self._kenbs[key] = bytes(kenb)

    def kenb_of(self, key: UeKey) -> KeyMaterial:
        """The KeNB the eNB and this UE currently share."""
        return KeyMaterial(self._kenbs.get(key, self.kenb))

    def next_kenb(self, key: UeKey) -> bytes:
        """A fresh KeNB for ``key`` (for a handover or re-establishment), different each time."""
        n = self._generation[key] = self._generation.get(key, 0) + 1
        return hashlib.sha256(self.kenb + repr((key, n)).encode()).digest()

    def ue_of(self, idi: bytes) -> UeKey | None:
        """The UE an IDi was allocated for, or None."""
        ue = self._idi_owner.get(idi)
        if ue is None:  # an IDi of a command given to the runtime directly: look it up once
            for key in self.enb.ues():
                self._learn_idi(key)
            ue = self._idi_owner.get(idi)
        return ue

    # ---- waits -------------------------------------------------------------------------------

    def mark(self) -> int:
        """A position in :attr:`records`, for ``since=``."""
        return len(self.records)

    async def wait_for_state(
        self, ue: UeKey, state: State, *, timeout: float | None = None
    ) -> None:
        """Until the eNB holds ``ue`` in ``state``, or has moved it through ``state`` since the
        call. Raises :class:`~lwip_enb.errors.WaitTimeout` naming the UE, the state wanted and
        the state it is in."""
        if self.enb.state(ue) is state:
            return

        def reached(r: Record) -> bool:
            e = r.event
            through = isinstance(e, enb_out.StateChanged) and e.new is state
            return through or self.enb.state(ue) is state

        if await self._wait(ue, reached, timeout) is None:
            raise WaitTimeout(
                ue,
                f"state {state.value}",
                self._timeout(timeout),
                f"{self._stopped()}it is {self.enb.state(ue).value}{self._last_events(ue)}",
            )

    async def wait_for_event(
        self,
        kind: EventKind,
        ue: UeKey | None = None,
        *,
        since: int | None = None,
        where: Callable[[Any], bool] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """The first event of type ``kind`` (a class or a tuple of classes) about ``ue`` (any
        UE if None) recorded from ``since`` on, waiting for it if need be; ``where`` filters
        further. ``since`` defaults to where the last verb on ``ue`` began (on any UE when
        ``ue`` is None), so an event that came before this call but after its verb counts.
        Raises :class:`~lwip_enb.errors.WaitTimeout` naming what was awaited and the UE's state
        and last events."""
        if since is not None:
            start = since
        else:
            start = self._marks.get(ue, 0) if ue is not None else self._last_mark

        def match(r: Record) -> bool:
            return (
                isinstance(r.event, kind)
                and (ue is None or r.ue == ue)
                and (where is None or where(r.event))
            )

        indexes = self._by_ue.get(ue, []) if ue is not None else range(start, len(self.records))
        for i in indexes:
            if i >= start and match(self.records[i]):
                return self.records[i].event
        record = await self._wait(ue, match, timeout)
        if record is None:
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            state = f"it is {self.enb.state(ue).value}" if ue is not None else "any UE"
            raise WaitTimeout(
                ue,
                f"event {names}",
                self._timeout(timeout),
                f"{self._stopped()}{state}{self._last_events(ue)}",
            )
        return record.event

    # ---- what was seen -------------------------------------------------------------------------

    def events(
        self,
        kind: EventKind = object,
        ue: UeKey | None = None,
        *,
        node: str | None = None,
        since: int = 0,
        where: Callable[[Any], bool] | None = None,
    ) -> list[Any]:
        """The events recorded from ``since`` on, of type ``kind``, about ``ue`` (any if None),
        from ``node`` (any if None), for which ``where`` holds (if given)."""
        records = (
            (self.records[i] for i in self._by_ue.get(ue, []) if i >= since)
            if ue is not None
            else self.records[since:]
        )
        return [
            r.event
            for r in records
            if isinstance(r.event, kind)
            and (node is None or r.node == node)
            and (where is None or where(r.event))
        ]

    def account(self) -> collections.Counter[str]:
        """How many events of each kind each node output, e.g. ``{"segw PskDeleted": 200}``."""
        return collections.Counter(f"{r.node} {type(r.event).__name__}" for r in self.records)

    def psk_counts(self) -> dict[str, int]:
        """How many LWIP-PSKs the SeGW and the UE models hold now, read from their stores.

        The eNB has no store to read: it derives each PSK inside the activation call and wipes it
        once it is in the LWIP ADDITION REQUEST (R5). Its ``PskDeleted`` events say so; that the
        key object itself is wiped is checked on the objects in the stateful test
        (``tests/procedures/test_state_machine_properties.py``)."""
        return {
            "segw": self.segw.psk_count(),
            "ue": sum(ue.holds_psk for ue in self.ues.values()),
        }

    def psk_holders(self, key: UeKey) -> set[str]:
        """Which of the SeGW and the UE hold a PSK of UE ``key`` now (of any IDi it was given):
        a subset of {"segw", "ue"}."""
        holders = set()
        if any(self.segw.has_psk(idi) for idi in self._idis.get(key, ())):
            holders.add("segw")
        if self._ue(key).holds_psk:
            holders.add("ue")
        return holders

    # ---- internals -----------------------------------------------------------------------------

    def _ue(self, key: UeKey) -> UeModel:
        try:
            return self.ues[key]
        except KeyError:
            raise InvalidFieldError("key", f"no UE {key!r}: add_ue() first") from None

    def _loop_time(self) -> float:
        return asyncio.get_running_loop().time()

    def _timeout(self, timeout: float | None) -> float:
        return self.timeout if timeout is None else timeout

    def _mark(self, key: UeKey) -> None:
        self._marks[key] = self._last_mark = len(self.records)

    def _learn_idi(self, key: UeKey) -> None:
        idi = self.enb.idi(key)
        if idi is not None and idi.octets not in self._idi_owner:
            self._idi_owner[idi.octets] = key
            self._idis[key].append(idi.octets)

    async def _read(self, queue: EventQueue[Any], node: str) -> None:
        while True:
            self._record(node, await queue.get())

    def _drain(self, queue: EventQueue[Any], node: str) -> None:
        while not queue.empty():
            self._record(node, queue.get_nowait())

    def _ue_output(self, key: Hashable, o: ue_out.Output) -> None:
        self._record("ue", o, key)

    def _record(self, node: str, event: Any, ue: UeKey | None = None) -> None:
        if ue is None:
            if node == SEGW:
                idi = getattr(event, "idi", None)
                ue = self.ue_of(idi) if isinstance(idi, bytes) else None
            else:
                ue = getattr(event, "ue", None)
        record = Record(round(self.now, 6), node, ue, event)
        self.records.append(record)
        if ue is not None:
            self._by_ue[ue].append(len(self.records) - 1)
            self._notify(ue, record)
        self._notify(_ANY, record)

    def _notify(self, key: object, record: Record) -> None:
        waiters = self._waiters.get(key)
        if not waiters:
            return
        left = []
        for w in waiters:
            if w.future.done():
                continue
            if w.check(record):
                w.future.set_result(record)
            else:
                left.append(w)
        if left:
            self._waiters[key] = left
        else:
            del self._waiters[key]

    async def _wait(
        self, ue: UeKey | None, check: Callable[[Record], bool], timeout: float | None
    ) -> Record | None:
        """The first record from now on that passes ``check`` (None at the timeout or when the
        harness stops)."""
        if not self._running:
            return None
        future: asyncio.Future[Record | None] = asyncio.get_running_loop().create_future()
        self._waiters[_ANY if ue is None else ue].append(_Waiter(check, future))
        try:
            async with asyncio.timeout(self._timeout(timeout)):
                return await future
        except TimeoutError:
            return None
        finally:
            future.cancel()

    def _stopped(self) -> str:
        return "" if self._running else "the harness is stopped; "

    def _last_events(self, ue: UeKey | None, n: int = 4) -> str:
        if ue is None:
            return ""
        last = [self.records[i] for i in self._by_ue.get(ue, [])[-n:]]
        if not last:
            return "; no event about it yet"
        return "; last events: " + ", ".join(f"{r.node} {type(r.event).__name__}" for r in last)
