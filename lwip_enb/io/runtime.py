"""asyncio runtimes: the sans-IO eNB controller and reference SeGW, driven over real transports.

:class:`EnbRuntime` feeds the controller the bytes of each SeGW association, runs its timers on the
loop's clock, reconnects with exponential backoff, runs Xw Setup on every (re)connection, and on
association loss has the controller release every UE on that SeGW (each UE is told to release LWIP
and deletes its PSK; the eNB keeps KeNB for a later activation). A simulator calls its async API,
which mirrors every caller command and query of :class:`EnbController` (:meth:`EnbRuntime.activate`,
:meth:`EnbRuntime.forget`, :meth:`EnbRuntime.state`, ...), and receives what must go to a UE
through ``on_rrc`` and every controller event through :attr:`EnbRuntime.events`.

How it stays responsive (docs/transports.md has the whole story):

- The controller is called synchronously and never across an ``await``: it needs no lock, and
  no peer can hold it. Each association has its own send queue and task
  (:class:`~lwip_enb.io.flow.Outbox`); a stalled SeGW holds up only its own queue, never the
  timers, other SeGWs or the controller.
- Caller commands wait while their SeGW's queue is deep (:class:`~lwip_enb.io.flow.SendPolicy`);
  network inputs and timers never wait on a send, so two runtimes cannot deadlock each other.
- RRC for UEs goes to ``on_rrc`` in order from one task; a callback that raises is logged and
  reported as :class:`CallbackFailed`, and nothing else is affected.
- Events are never dropped unless the user bounds the queue
  (:class:`~lwip_enb.io.flow.EventPolicy`).
- A connector that raises anything is a failed attempt: logged, reported (:class:`LinkStatus`,
  :meth:`EnbRuntime.wait_ready`'s :class:`~lwip_enb.errors.SegwNotReady`) and retried.

The reference SeGW's runtime and the radio of a model harness are in :mod:`lwip_enb.sim.runtimes`.

Neither trusts bytes from the network: undecodable or unexpected PDUs become Error Indications or
logged protocol errors in the core; oversized frames are dropped by the transport.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import enum
import functools
import inspect
import json
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Iterable
from typing import Any, TypeAlias

import attrs

from lwip_enb.codec import xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import (
    DrbLwip,
    HandoverCommand,
    RrcChannel,
    UeLwipCapability,
    WlanMeasConfig,
    WlanSuspendConfig,
)
from lwip_enb.codec.warmup import warm_up
from lwip_enb.codec.xwap import Cause, GtpTunnelEndpoint, WlanInformation
from lwip_enb.core import outputs as enb_out
from lwip_enb.core.controller import EnbController, HandoverKind, Interworking, UeInfo
from lwip_enb.core.counters import Counters
from lwip_enb.core.fsm import State
from lwip_enb.errors import SegwNotReady, UnknownSegwError
from lwip_enb.io.flow import EventPolicy, EventQueue, Outbox, SendPolicy
from lwip_enb.io.trace import Trace, rrc_name, xwap_name
from lwip_enb.io.transport import Association, AssociationLost, Connector, Endpoints, endpoints
from lwip_enb.keys import Idi, KeyMaterial

__all__ = [
    "Backoff",
    "CallbackFailed",
    "EnbEvent",
    "EnbRuntime",
    "EventPolicy",
    "EventQueue",
    "LinkInfo",
    "LinkState",
    "LinkStatus",
    "SendPolicy",
    "stream_for",
]

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


# --- the runtime's own events ------------------------------------------------------------------


class LinkState(enum.Enum):
    UP = "up"  # association made (Xw Setup follows; SegwReady tells its outcome)
    DOWN = "down"  # a connection attempt failed or the association was lost; retrying
    STALLED = "stalled"  # the SeGW accepts no PDUs (SendPolicy.stall_after)
    RESUMED = "resumed"  # a stalled SeGW accepts PDUs again


@attrs.frozen(slots=True)
class LinkStatus:
    """The Xw association to ``segw`` changed; ``detail`` says why (the error, the peer).

    DOWN is reported for the first failed attempt and whenever the error changes, not for every
    retry (those are logged at INFO)."""

    segw: str
    state: LinkState
    detail: str = ""


@attrs.frozen(slots=True)
class CallbackFailed:
    """``on_rrc`` raised while handed ``message`` for ``ue``: the UE probably did not get it (its
    guard timer will tell). The traceback is in the log."""

    ue: Hashable
    channel: RrcChannel
    message: str
    error: str


EnbEvent: TypeAlias = enb_out.Output | LinkStatus | CallbackFailed


@attrs.frozen(slots=True)
class LinkInfo:
    """A snapshot of one SeGW link (:meth:`EnbRuntime.link_status`)."""

    segw: str
    connected: bool
    ready: bool
    queued: int  # PDUs waiting in the send queue
    stalled: bool
    last_error: str | None


# --- shared helpers (also used by lwip_enb.sim.runtimes) ---------------------------------------


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


def _describe(exc: BaseException) -> str:
    """An exception as a log line: a transport's own error by its message, anything else with
    its type (``OSError: [Errno 93] Protocol not supported``)."""
    if isinstance(exc, AssociationLost):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


async def _close_quietly(assoc: Association, *, abort: bool) -> None:
    """Close (or, where the transport can, abort) an association; its errors are only logged:
    the association is being given up anyway."""
    try:
        aborter = getattr(assoc, "abort", None) if abort else None
        if callable(aborter):
            aborter()
        else:
            async with asyncio.timeout(5):
                await assoc.close()
    except Exception as exc:
        log.info("closing the association to %s: %s", assoc.peer, _describe(exc))


def _log_task_end(task: asyncio.Task[Any]) -> None:
    """Belt and braces: a runtime task must never end by an exception unnoticed."""
    if not task.cancelled() and task.exception() is not None:
        log.error("task %s ended by an error", task.get_name(), exc_info=task.exception())


def _spawn(coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    task = asyncio.create_task(coro, name=name)
    task.add_done_callback(_log_task_end)
    return task


# --- the eNB runtime ---------------------------------------------------------------------------


class _Session:
    """One association to a SeGW, from connection to loss."""

    def __init__(self, assoc: Association, outbox: Outbox) -> None:
        self.assoc = assoc
        self.outbox = outbox
        self.reader: asyncio.Task[None] | None = None
        self.down = asyncio.Event()
        self.abort = False
        self.reached_ready = False  # Xw Setup succeeded on it: the backoff starts over after it


class _Link:
    def __init__(self, name: str, connector: Connector, backoff: Backoff, streams: int) -> None:
        self.name, self.connector, self.backoff, self.streams = name, connector, backoff, streams
        self.session: _Session | None = None
        self.task: asyncio.Task[None] | None = None
        self.last_error: str | None = None
        self.reported: str | None = None  # the last DOWN detail reported as an event
        self.setup_failed = False


class EnbRuntime:
    """Drives an :class:`EnbController` on the running asyncio loop.

    ``on_rrc(ue, channel, pdu)`` (plain or async) receives every RRC PDU for a UE, in order, from
    one task; without it those PDUs appear in :attr:`events` as ``SendRrc``. ``event_policy``
    bounds :attr:`events` (default: no bound, no loss), ``send_policy`` sets the flow control
    toward each SeGW, and ``warm_up=False`` skips loading the codecs in a thread at start (see
    :mod:`lwip_enb.codec.warmup`).

    ``trace=True`` (or a :class:`~lwip_enb.io.trace.Trace` shared with a
    :class:`~lwip_enb.sim.runtimes.SegwRuntime`) records the trace of docs/trace.md in
    :attr:`trace` (None by default: recording costs a dict per message);
    ``lwip_enb.tools.pcap.write_pcapng(runtime.trace, path)`` writes it as a capture.
    :attr:`counters` counts whatever the controller does; their snapshot is logged at INFO by
    :meth:`stop`.
    """

    def __init__(
        self,
        controller: EnbController | None = None,
        *,
        on_rrc: RrcSink | None = None,
        event_policy: EventPolicy | None = None,
        send_policy: SendPolicy | None = None,
        warm_up: bool = True,
        trace: Trace | bool = False,
    ) -> None:
        self.controller = controller or EnbController()
        self.trace: Trace | None = trace if isinstance(trace, Trace) else Trace() if trace else None
        if self.trace is not None:
            self.trace.attach("enb")
        self._associations: dict[str, Endpoints | None] = {}  # for the trace
        self.on_rrc = on_rrc
        self.events: EventQueue[EnbEvent] = EventQueue(event_policy, name="eNB events")
        self.send_policy = send_policy or SendPolicy()
        self.callback_errors = 0  # how often on_rrc raised
        self._warm_up = warm_up
        self._links: dict[str, _Link] = {}
        self._wake = asyncio.Event()
        self._timer_task: asyncio.Task[None] | None = None
        self._rrc_task: asyncio.Task[None] | None = None
        self._rrc: collections.deque[enb_out.SendRrc] = collections.deque()
        self._rrc_ready = asyncio.Event()
        self._rrc_idle = asyncio.Event()  # no RRC waiting and none being delivered
        self._rrc_idle.set()
        self._running = False
        self._closing = False

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    @property
    def counters(self) -> Counters:
        """The controller's counters: ``runtime.counters.snapshot()``."""
        return self.controller.counters

    def association(self, segw: str) -> Association | None:
        """The Xw association to ``segw`` while it is up, else None."""
        session = self._link(segw).session
        return session.assoc if session is not None else None

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
        """``address`` is the SeGW's IKE address given to UEs; ``connector`` reaches its XwAP.
        A SeGW added while the runtime runs is connected at once."""
        self.controller.add_segw(name, address)
        link = self._links[name] = _Link(name, connector, backoff or Backoff(), streams)
        if self._running:
            link.task = _spawn(self._run_link(link), f"lwip-enb-{name}")

    async def start(self) -> None:
        """Load the codecs (in a worker thread, so a cold ASN.1 cache does not freeze the loop
        past the guard timers), then connect to every SeGW and run the timers."""
        if self._running:
            return
        if self._warm_up:
            await asyncio.to_thread(warm_up)
        self._running, self._closing = True, False
        self.events.hold_producers(True)
        self._timer_task = _spawn(self._timers(), "lwip-enb-timers")
        self._rrc_task = _spawn(self._deliver_rrc(), "lwip-enb-rrc")
        for link in self._links.values():
            link.task = _spawn(self._run_link(link), f"lwip-enb-{link.name}")

    async def wait_ready(self, segw: str, timeout: float = 10.0) -> None:
        """Until Xw Setup with ``segw`` has succeeded; raises
        :class:`~lwip_enb.errors.SegwNotReady` (a ``TimeoutError``) saying why not."""
        link = self._link(segw)
        try:
            async with asyncio.timeout(timeout):
                while not self.controller.segw_ready(segw):
                    await asyncio.sleep(0.01)
        except TimeoutError:
            raise SegwNotReady(segw, timeout, self._not_ready_reason(link)) from None

    async def rrc_delivered(self) -> None:
        """Until every RRC PDU queued for the UEs so far has been handed to ``on_rrc`` (and the
        callback has returned). Not from inside ``on_rrc``, which would wait for itself."""
        if self._running:
            await self._rrc_idle.wait()

    async def stop(self, *, timeout: float = 5.0) -> None:
        """Release every UE at both ends, then close the associations and end the tasks.

        Every UE that is not idle is deactivated: LWIP RELEASE REQUEST to its SeGW (which deletes
        the PSK) and an RRC release to the UE through ``on_rrc`` (the UE deletes its PSK); a UE
        whose addition is still unanswered is cancelled. The runtime waits up to ``timeout``
        seconds for those messages to go out (not for a stalled SeGW), then closes each
        association and marks its SeGW lost, so the controller ends with every UE idle. KeNB
        stays held as after :meth:`deactivate`: after :meth:`start` the UEs can be activated
        again; :meth:`forget` drops them.
        """
        if not self._running:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        ctl = self.controller
        self.events.hold_producers(False)  # stopping must not wait for a reader of events
        try:
            async with asyncio.timeout_at(deadline):
                for ue in ctl.ues():
                    if ctl.state(ue) is not State.IDLE:
                        self._apply_safe(functools.partial(ctl.deactivate, ue), "deactivate")
                await self._flush()
        except TimeoutError:
            log.warning("stop: releases not all delivered within %.1f s", timeout)
        self._closing = True
        for link in self._links.values():
            if link.session is not None:
                self._session_down(link, link.session, "runtime stopped")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout_at(max(deadline, loop.time() + 0.5)):
                await self._rrc_idle.wait()  # the UEs hear of the releases segw_lost made
        tasks = [self._timer_task, self._rrc_task, *(lk.task for lk in self._links.values())]
        self._running = False
        await _cancel_all(t for t in tasks if t is not None)
        if log.isEnabledFor(logging.INFO):
            counts = json.dumps(self.counters.snapshot(), sort_keys=True, separators=(",", ":"))
            log.info("eNB runtime stopped; counters: %s", counts)

    async def __aenter__(self) -> EnbRuntime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---- queries (those of EnbController, plus the links) -----------------------------------

    def state(self, ue: Hashable) -> State:
        return self.controller.state(ue)

    def ues(self) -> Iterable[Hashable]:
        return self.controller.ues()

    def idi(self, ue: Hashable) -> Idi | None:
        return self.controller.idi(ue)

    def segw_ready(self, segw: str) -> bool:
        return self.controller.segw_ready(segw)

    def segw_wlans(self, segw: str) -> tuple[WlanInformation, ...]:
        return self.controller.segw_wlans(segw)

    def ue_info(self, ue: Hashable) -> UeInfo | None:
        return self.controller.ue_info(ue)

    def link_status(self, segw: str) -> LinkInfo:
        link = self._link(segw)
        s = link.session
        return LinkInfo(
            segw,
            connected=s is not None,
            ready=self.controller.segw_ready(segw),
            queued=len(s.outbox) if s is not None else 0,
            stalled=s is not None and s.outbox.stalled,
            last_error=link.last_error,
        )

    # ---- caller commands (those of EnbController, without ``now``) --------------------------

    async def activate(
        self,
        ue: Hashable,
        *,
        kenb: KeyMaterial | bytes,
        wlan_mac: bytes | str,
        drbs: Iterable[DrbLwip] = (),
        wlan_ids: Iterable[WlanIdentifiers] = (),
        segw: str | None = None,
        serving_plmn: bytes | None = None,
        enb_gtp_endpoint: GtpTunnelEndpoint | None = None,
        capability: UeLwipCapability | bytes | None = None,
        configured: Iterable[Interworking | str] = (),
        wlan_suspend: WlanSuspendConfig | None = None,
    ) -> list[enb_out.Output]:
        return await self._command(
            lambda now: self.controller.activate(
                ue,
                kenb=kenb,
                wlan_mac=wlan_mac,
                drbs=drbs,
                wlan_ids=wlan_ids,
                segw=segw,
                serving_plmn=serving_plmn,
                enb_gtp_endpoint=enb_gtp_endpoint,
                capability=capability,
                configured=configured,
                wlan_suspend=wlan_suspend,
                now=now,
            )
        )

    async def modify(
        self,
        ue: Hashable,
        *,
        wlan_ids: Iterable[WlanIdentifiers] | None = None,
        serving_plmn: bytes | None = None,
        cause: Cause | None = None,
    ) -> list[enb_out.Output]:
        return await self._command(
            lambda now: self.controller.modify(
                ue, now, wlan_ids=wlan_ids, serving_plmn=serving_plmn, cause=cause
            )
        )

    async def deactivate(self, ue: Hashable) -> list[enb_out.Output]:
        return await self._command(lambda now: self.controller.deactivate(ue, now))

    async def handover(
        self, ue: Hashable, kind: HandoverKind, *, new_kenb: KeyMaterial | bytes | None = None
    ) -> list[enb_out.Output]:
        return await self._command(
            lambda now: self.controller.handover(ue, kind, now, new_kenb=new_kenb)
        )

    async def radio_link_failure(self, ue: Hashable) -> list[enb_out.Output]:
        return await self._command(lambda now: self.controller.radio_link_failure(ue, now))

    async def wlan_available(self, ue: Hashable) -> list[enb_out.Output]:
        return await self._command(lambda now: self.controller.wlan_available(ue, now))

    async def configure_wlan_measurements(
        self, ue: Hashable, *, meas_config: WlanMeasConfig
    ) -> list[enb_out.Output]:
        """WLAN measurements at ``ue`` (TS 36.331 5.5.2); reports come back as events."""
        return await self._command(
            lambda now: self.controller.configure_wlan_measurements(
                ue, now, meas_config=meas_config
            )
        )

    async def reset(self, segw: str, cause: Cause) -> list[enb_out.Output]:
        """Reset the Xw interface with ``segw`` (TS 36.463 8.7): its UEs are released."""
        return await self._command(lambda now: self.controller.reset(segw, cause, now))

    async def forget(self, ue: Hashable) -> list[enb_out.Output]:
        """The UE left the eNB: its releases go to SeGW and UE, then its context and keys go."""
        return await self._command(lambda now: self.controller.forget(ue, now))

    async def refresh_kenb(
        self, ue: Hashable, new_kenb: KeyMaterial | bytes, *, command: HandoverCommand
    ) -> list[enb_out.Output]:
        """Intra-eNB handover with a new KeNB (TS 36.331 5.3.5.4): see
        :meth:`EnbController.refresh_kenb`."""
        return await self._command(
            lambda now: self.controller.refresh_kenb(ue, new_kenb, now, command=command)
        )

    async def rrc_connection_released(self, ue: Hashable) -> list[enb_out.Output]:
        """The UE left RRC_CONNECTED (TS 36.331 5.3.12): released at the SeGW only."""
        return await self._command(lambda now: self.controller.rrc_connection_released(ue, now))

    async def tunnel_established(self, ue: Hashable) -> list[enb_out.Output]:
        """The SeGW accepted the UE's IKEv2: its LWIP tunnel is up (no RRC message says so)."""
        return await self._command(lambda now: self.controller.tunnel_established(ue, now))

    async def receive_rrc(
        self, ue: Hashable, channel: RrcChannel | str, data: bytes
    ) -> list[enb_out.Output]:
        """An uplink RRC PDU from a UE (WLAN status, reconfiguration complete, ...). An input
        from the radio: it never waits for a SeGW's send queue."""
        trace = self.trace
        if trace is not None and trace.records_receipts_from("ue"):
            name = rrc_name(channel, data)
            channel_name = channel.value if isinstance(channel, RrcChannel) else str(channel)
            trace.message(self.now(), "ue", "enb", "rrc", channel_name, name, data)
        outputs = self._apply(lambda now: self.controller.receive_rrc(ue, channel, data, now))
        if self.events.blocking:
            await self.events.wait_room()
        return outputs

    # ---- internals: inputs and where their outputs go ---------------------------------------

    def _link(self, segw: str) -> _Link:
        try:
            return self._links[segw]
        except KeyError:
            raise UnknownSegwError(segw) from None

    def _apply(self, call: Callable[[float], list[enb_out.Output]]) -> list[enb_out.Output]:
        """One controller input, and its outputs on their way. Synchronous on purpose: nothing
        can interleave, so the controller needs no lock and is never held across I/O."""
        now = self.now()
        outputs = call(now)
        if self.trace is not None:
            self.trace.enb_outputs(now, outputs, self._associations)
        self._route(outputs)
        self._wake.set()  # a timer may have been armed
        return outputs

    def _apply_safe(
        self, call: Callable[[float], list[enb_out.Output]], what: str
    ) -> list[enb_out.Output]:
        """:meth:`_apply` for inputs from the network, the timers and stop(): an error is a bug
        to log, and must not end the task that feeds the controller."""
        try:
            return self._apply(call)
        except Exception:
            log.exception("the controller failed on %s", what)
            return []

    async def _command(self, call: Callable[[float], list[enb_out.Output]]) -> list[enb_out.Output]:
        outputs = self._apply(call)
        if self.events.blocking:
            await self.events.wait_room()
        sent_to: set[str] = set()
        for o in outputs:
            if isinstance(o, enb_out.SendXwap) and o.segw not in sent_to:
                sent_to.add(o.segw)
                link = self._links.get(o.segw)
                if link is not None and link.session is not None:
                    await link.session.outbox.wait_room()  # backpressure on the caller only
        return outputs

    def _route(self, outputs: Iterable[enb_out.Output]) -> None:
        for o in outputs:
            if isinstance(o, enb_out.SendXwap):
                self._send_xwap(o)
            elif isinstance(o, enb_out.SendRrc) and self.on_rrc is not None:
                self._rrc.append(o)
                self._rrc_idle.clear()
                self._rrc_ready.set()
            else:
                if isinstance(o, enb_out.SegwReady):
                    link = self._links.get(o.segw)
                    if link is not None:
                        link.setup_failed = not o.setup
                self.events.put(o)

    def _send_xwap(self, o: enb_out.SendXwap) -> None:
        link = self._links.get(o.segw)
        session = link.session if link is not None else None
        if link is None or session is None:
            log.info("no association to %s: %s not sent", o.segw, o.message.MESSAGE)
        elif not session.outbox.put(o.pdu, stream_for(o.message, link.streams)):
            log.info("association to %s closing: %s not sent", o.segw, o.message.MESSAGE)

    def _publish(self, event: EnbEvent) -> None:
        self.events.put(event)

    # ---- internals: RRC toward the UEs -------------------------------------------------------

    async def _deliver_rrc(self) -> None:
        """Hands RRC to ``on_rrc`` in the order the controller made it, from this one task: a
        slow or failing callback delays RRC only, never the timers or a SeGW's messages."""
        while True:
            if not self._rrc:
                self._rrc_idle.set()
                self._rrc_ready.clear()
                await self._rrc_ready.wait()
                continue
            await self._call_on_rrc(self._rrc.popleft())
            task = asyncio.current_task()
            if task is not None and task.cancelling():  # the callback swallowed our cancel
                return

    async def _call_on_rrc(self, o: enb_out.SendRrc) -> None:
        sink = self.on_rrc
        if sink is None:  # removed since the PDU was queued: the user gets it as an event
            self.events.put(o)
            return
        try:
            result = sink(o.ue, o.channel, o.pdu)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # the user's code: contained, logged and reported
            self.callback_errors += 1
            log.error(
                "on_rrc raised on %s for UE %r: %s",
                o.message.MESSAGE,
                o.ue,
                _describe(exc),
                exc_info=True,
            )
            self.events.put(CallbackFailed(o.ue, o.channel, o.message.MESSAGE, _describe(exc)))

    async def _flush(self) -> None:
        """Until every queued RRC is delivered and every send queue is empty (or its SeGW
        stalled)."""
        while True:
            await self._rrc_idle.wait()
            for link in self._links.values():
                if link.session is not None:
                    await link.session.outbox.wait_drained(0)
            if self._rrc_idle.is_set():
                return

    # ---- internals: the links ----------------------------------------------------------------

    async def _run_link(self, link: _Link) -> None:
        delays = iter(link.backoff.delays())
        while not self._closing:
            try:
                assoc = await link.connector.connect()
            except Exception as exc:  # a connector is any code: whatever it raises is retried
                delay = next(delays)
                self._connect_failed(link, exc, delay)
                await asyncio.sleep(delay)
                continue
            if self._closing:
                await _close_quietly(assoc, abort=False)
                return
            session = self._open(link, assoc)
            try:
                await session.down.wait()
            finally:
                self._session_down(link, session, "link task ended")
                await self._close_session(session)
            if session.reached_ready:
                delays = iter(link.backoff.delays())
            if not self._closing:
                await asyncio.sleep(next(delays))

    def _connect_failed(self, link: _Link, exc: Exception, delay: float) -> None:
        why = _describe(exc)
        link.last_error = f"connection failed: {why}"
        if link.reported != link.last_error:  # the first failure, or a different one
            link.reported = link.last_error
            log.warning(
                "SeGW %s: connection failed: %s; retrying with backoff (next in %.2f s)",
                link.name,
                why,
                delay,
                exc_info=None if isinstance(exc, AssociationLost) else exc,
            )
            self._publish(LinkStatus(link.name, LinkState.DOWN, link.last_error))
        else:
            log.info("SeGW %s: connection failed again: %s; retry in %.2f s", link.name, why, delay)

    def _open(self, link: _Link, assoc: Association) -> _Session:
        outbox = Outbox(
            link.name, assoc, self.send_policy, functools.partial(self._outbox_report, link)
        )
        session = _Session(assoc, outbox)
        link.session = session
        self._associations[link.name] = endpoints(assoc)
        link.reported = None
        link.setup_failed = False
        log.info("Xw association to %s up (%s)", link.name, assoc.peer)
        self._publish(LinkStatus(link.name, LinkState.UP, assoc.peer))
        self._apply_safe(functools.partial(self.controller.segw_connected, link.name), "connect")
        session.reader = _spawn(self._read(link, session), f"lwip-enb-{link.name}-recv")
        return session

    async def _read(self, link: _Link, session: _Session) -> None:
        ctl, name = self.controller, link.name
        try:
            while True:
                frame = await session.assoc.recv()
                if self.trace is not None:
                    self._trace_receipt(name, frame.data)
                self._apply_safe(functools.partial(ctl.receive_xwap, name, frame.data), "XwAP")
                if not session.reached_ready and ctl.segw_ready(name):
                    session.reached_ready = True
                if self.events.blocking:
                    await self.events.wait_room()
        except AssociationLost as exc:
            self._session_down(link, session, f"association lost: {exc}")
        except Exception as exc:  # a transport's bug: give the association up, reconnect
            log.error("receiving from %s failed", name, exc_info=True)
            self._session_down(link, session, f"transport error: {_describe(exc)}")

    def _trace_receipt(self, segw: str, data: bytes) -> None:
        trace = self.trace
        if trace is not None and trace.records_receipts_from("segw"):
            where = self._associations.get(segw)
            back = (where[1], where[0]) if where is not None else None
            trace.message(self.now(), "segw", "enb", "xwap", None, xwap_name(data), data, back)

    def _session_down(self, link: _Link, session: _Session, reason: str) -> None:
        """The association is given up (lost, aborted, or the runtime stops): once per session,
        the controller releases every UE on that SeGW."""
        if session.down.is_set():
            return
        session.down.set()
        unsent = session.outbox.close()
        if link.session is session:
            link.session = None
            self._associations.pop(link.name, None)
        link.last_error = reason
        link.reported = reason
        log.log(
            logging.INFO if self._closing else logging.WARNING,
            "Xw association to %s down: %s%s",
            link.name,
            reason,
            f" ({unsent} PDUs unsent)" if unsent else "",
        )
        self._publish(LinkStatus(link.name, LinkState.DOWN, reason))
        self._apply_safe(functools.partial(self.controller.segw_lost, link.name), "segw_lost")

    async def _close_session(self, session: _Session) -> None:
        tasks = [t for t in (session.reader, session.outbox.task) if t is not None]
        await _cancel_all(t for t in tasks if t is not asyncio.current_task())
        await _close_quietly(session.assoc, abort=session.abort or session.outbox.unsent > 0)

    def _outbox_report(self, link: _Link, outbox: Outbox, kind: str, detail: str) -> None:
        session = link.session
        if session is None or session.outbox is not outbox:
            return
        if kind == "stalled":
            log.warning("SeGW %s stalled: %s; callers no longer wait for it", link.name, detail)
            self._publish(LinkStatus(link.name, LinkState.STALLED, detail))
        elif kind == "resumed":
            log.warning("SeGW %s resumed: %s", link.name, detail)
            self._publish(LinkStatus(link.name, LinkState.RESUMED, detail))
        elif kind == "overflow":
            log.error("SeGW %s: %s; aborting the association", link.name, detail)
            session.abort = True
            # Not from inside put(): the outputs being routed are finished first.
            asyncio.get_running_loop().call_soon(
                self._session_down, link, session, f"send queue overflow: {detail}"
            )
        else:  # "failed": the sender met a dead association
            asyncio.get_running_loop().call_soon(self._session_down, link, session, detail)

    def _not_ready_reason(self, link: _Link) -> str:
        if not self._running:
            return "the runtime is not started (start() or 'async with')"
        if link.session is None:
            if link.last_error is None:
                return "no association yet"
            return f"no association; last error: {link.last_error}"
        if link.setup_failed:
            return f"associated with {link.session.assoc.peer}, but Xw Setup failed"
        return f"associated with {link.session.assoc.peer}, Xw Setup not answered yet"

    # ---- internals: timers ---------------------------------------------------------------------

    async def _timers(self) -> None:
        ctl = self.controller

        async def fire() -> None:
            self._apply_safe(ctl.handle_timer, "timers")
            if self.events.blocking:
                await self.events.wait_room()

        await _timer_loop(ctl.next_timer, self.now, self._wake, fire)
