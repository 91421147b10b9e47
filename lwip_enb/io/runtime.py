"""asyncio runtimes: the sans-IO eNB controller and reference SeGW, driven over real transports.

:class:`EnbRuntime` feeds the controller the bytes of each SeGW association, runs its timers on the
loop's clock, reconnects with exponential backoff, runs Xw Setup on every (re)connection, and on
association loss has the controller release every UE on that SeGW (each UE is told to release LWIP
and deletes its PSK; the eNB keeps KeNB for a later activation). A simulator calls
its async API (:meth:`EnbRuntime.activate`, :meth:`EnbRuntime.handover`, ...) and receives what must
go to a UE through ``on_rrc`` and every controller event through :attr:`EnbRuntime.events`.

The reference SeGW's runtime and the radio of a model harness are in :mod:`lwip_enb.sim.runtimes`.

Neither trusts bytes from the network: undecodable or unexpected PDUs become Error Indications or
logged protocol errors in the core; oversized frames are dropped by the transport; queues are
bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import Any

import attrs

from lwip_enb.codec import xwap
from lwip_enb.codec.rrc import DrbLwip, RrcChannel
from lwip_enb.core import outputs as enb_out
from lwip_enb.core.controller import EnbController, HandoverKind
from lwip_enb.io.transport import Association, AssociationLost, Connector
from lwip_enb.keys import KeyMaterial

__all__ = ["Backoff", "EnbRuntime", "stream_for"]

log = logging.getLogger("lwip_enb.runtime")

RrcSink = Callable[[Hashable, RrcChannel, bytes], Awaitable[None] | None]


@attrs.frozen(slots=True)
class Backoff:
    """Reconnection delays: ``first`` doubling up to ``limit``, with +-``jitter`` (fraction)."""

    first: float = 0.2
    limit: float = 30.0
    jitter: float = 0.1

    def delays(self) -> Iterable[float]:
        delay = self.first
        while True:
            yield delay * (1 + random.uniform(-self.jitter, self.jitter))
            delay = min(delay * 2, self.limit)


def stream_for(message: xwap.XwapMessage, streams: int) -> int:
    """TS 36.462: non-UE-associated procedures on stream 0, UE-associated ones on the others
    (one stream per UE, so a UE's messages stay in order)."""
    ue = getattr(message, "enb_ue_id", None)
    if not isinstance(ue, int) or streams < 2:
        return 0
    return 1 + ue % (streams - 1)


async def _timer_loop(
    next_timer: Callable[[], float | None],
    now: Callable[[], float],
    wake: asyncio.Event,
    fire: Callable[[], Awaitable[object]],
) -> None:
    """Fire a sans-IO node's timers: sleep until ``next_timer()`` is due or ``wake`` is set (an
    input may have armed an earlier timer), then ``fire()`` when due.

    The sleep is ``asyncio.timeout``, which lets a cancellation of the loop through. Python
    3.11's ``asyncio.wait_for`` loses a cancellation that arrives in the loop iteration in which
    the event is set, and the loop then never stopped.
    """
    while True:
        due = next_timer()
        wake.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(None if due is None else max(0.0, due - now())):
                await wake.wait()
        if due is not None and now() >= due:
            await fire()


async def _cancel_all(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Cancel ``tasks`` and wait until they have ended; a cancellation of the caller itself is
    not swallowed (``gather`` passes it on)."""
    pending = list(tasks)
    for t in pending:
        t.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


class _Link:
    def __init__(self, name: str, connector: Connector, backoff: Backoff, streams: int) -> None:
        self.name, self.connector, self.backoff, self.streams = name, connector, backoff, streams
        self.assoc: Association | None = None
        self.up = asyncio.Event()
        self.task: asyncio.Task[None] | None = None


class EnbRuntime:
    """Drives an :class:`EnbController` on the running asyncio loop."""

    def __init__(
        self,
        controller: EnbController | None = None,
        *,
        on_rrc: RrcSink | None = None,
        event_queue_size: int = 10000,
    ) -> None:
        self.controller = controller or EnbController()
        self.on_rrc = on_rrc
        self.events: asyncio.Queue[enb_out.Output] = asyncio.Queue(event_queue_size)
        self._links: dict[str, _Link] = {}
        self._wake = asyncio.Event()
        self._timer_task: asyncio.Task[None] | None = None
        self._closing = False
        self._lock = asyncio.Lock()

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    def association(self, segw: str) -> Association | None:
        """The Xw association to ``segw`` while it is up, else None."""
        return self._links[segw].assoc

    # ---- lifecycle -------------------------------------------------------------------------

    def add_segw(
        self,
        name: str,
        address: str,
        connector: Connector,
        *,
        backoff: Backoff | None = None,
        streams: int = 8,
    ) -> None:
        """``address`` is the SeGW's IKE address given to UEs; ``connector`` reaches its XwAP."""
        self.controller.add_segw(name, address)
        self._links[name] = _Link(name, connector, backoff or Backoff(), streams)

    async def start(self) -> None:
        self._closing = False
        self._timer_task = asyncio.create_task(self._timers(), name="lwip-enb-timers")
        for link in self._links.values():
            link.task = asyncio.create_task(self._run_link(link), name=f"lwip-enb-{link.name}")

    async def wait_ready(self, segw: str, timeout: float = 10.0) -> None:
        """Until Xw Setup with ``segw`` has succeeded."""
        async with asyncio.timeout(timeout):
            while not self.controller.segw_ready(segw):
                await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self._closing = True
        await _cancel_all(
            t for t in (self._timer_task, *(lk.task for lk in self._links.values())) if t
        )
        for link in self._links.values():
            if link.assoc is not None:
                await link.assoc.close()

    async def __aenter__(self) -> EnbRuntime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---- the simulator's API -------------------------------------------------------------

    async def activate(
        self,
        ue: Hashable,
        *,
        kenb: KeyMaterial | bytes,
        wlan_mac: bytes | str,
        drbs: Iterable[DrbLwip] = (),
        segw: str | None = None,
    ) -> list[enb_out.Output]:
        return await self._input(
            lambda now: self.controller.activate(
                ue, kenb=kenb, wlan_mac=wlan_mac, drbs=drbs, segw=segw, now=now
            )
        )

    async def deactivate(self, ue: Hashable) -> list[enb_out.Output]:
        return await self._input(lambda now: self.controller.deactivate(ue, now))

    async def handover(
        self, ue: Hashable, kind: HandoverKind, *, new_kenb: KeyMaterial | bytes | None = None
    ) -> list[enb_out.Output]:
        return await self._input(
            lambda now: self.controller.handover(ue, kind, now, new_kenb=new_kenb)
        )

    async def radio_link_failure(self, ue: Hashable) -> list[enb_out.Output]:
        return await self._input(lambda now: self.controller.radio_link_failure(ue, now))

    async def wlan_available(self, ue: Hashable) -> list[enb_out.Output]:
        return await self._input(lambda now: self.controller.wlan_available(ue, now))

    async def tunnel_established(self, ue: Hashable) -> list[enb_out.Output]:
        """The SeGW accepted the UE's IKEv2: its LWIP tunnel is up (no RRC message says so)."""
        return await self._input(lambda now: self.controller.tunnel_established(ue, now))

    async def receive_rrc(
        self, ue: Hashable, channel: RrcChannel | str, pdu: bytes
    ) -> list[enb_out.Output]:
        """An uplink RRC PDU from a UE (WLAN status, reconfiguration complete, ...)."""
        return await self._input(lambda now: self.controller.receive_rrc(ue, channel, pdu, now))

    # ---- internals -----------------------------------------------------------------------

    async def _input(self, call: Callable[[float], list[enb_out.Output]]) -> list[enb_out.Output]:
        async with self._lock:  # the controller sees one input at a time
            outputs = call(self.now())
            for o in outputs:
                if isinstance(o, enb_out.SendXwap):
                    await self._send_xwap(o)
        self._wake.set()  # a timer may have been armed
        # Outside the lock: a UE simulator may answer from on_rrc with receive_rrc at once.
        for o in outputs:
            if isinstance(o, enb_out.SendRrc):
                if self.on_rrc is not None:
                    result = self.on_rrc(o.ue, o.channel, o.pdu)
                    if asyncio.iscoroutine(result):
                        await result
            elif not isinstance(o, enb_out.SendXwap):
                try:
                    self.events.put_nowait(o)
                except asyncio.QueueFull:
                    log.warning("event queue full; dropping %s", type(o).__name__)
        return outputs

    async def _send_xwap(self, o: enb_out.SendXwap) -> None:
        link = self._links[o.segw]
        if link.assoc is None:
            log.info("no association to %s: %s not sent", o.segw, o.message.MESSAGE)
            return
        try:
            await link.assoc.send(o.pdu, stream=stream_for(o.message, link.streams))
        except AssociationLost:
            log.info("association to %s lost while sending", o.segw)

    async def _run_link(self, link: _Link) -> None:
        delays = iter(link.backoff.delays())
        while not self._closing:
            try:
                link.assoc = await link.connector.connect()
            except AssociationLost as exc:
                delay = next(delays)
                log.info("SeGW %s unreachable (%s); retry in %.2f s", link.name, exc, delay)
                await asyncio.sleep(delay)
                continue
            delays = iter(link.backoff.delays())
            log.info("Xw association to %s up", link.name)
            ctl = self.controller
            await self._input(functools.partial(ctl.segw_connected, link.name))
            try:
                while True:
                    frame = await link.assoc.recv()
                    await self._input(functools.partial(ctl.receive_xwap, link.name, frame.data))
            except AssociationLost as exc:
                log.info("Xw association to %s lost: %s", link.name, exc)
            link.assoc = None
            await self._input(functools.partial(ctl.segw_lost, link.name))
            await asyncio.sleep(next(delays))

    async def _timers(self) -> None:
        ctl = self.controller
        await _timer_loop(
            ctl.next_timer, self.now, self._wake, lambda: self._input(ctl.handle_timer)
        )
