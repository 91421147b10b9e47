"""asyncio runtimes of the reference peers: :class:`SegwRuntime` serves eNB associations with a
:class:`~lwip_enb.peers.segw.SegwModel`; :class:`ModelAir` is the radio of a harness built from the
reference models (downlink RRC to :class:`~lwip_enb.peers.ue.UeModel` instances, their modelled
IKE against the SeGW model, uplink RRC back to an :class:`~lwip_enb.io.runtime.EnbRuntime`).
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.codec.warmup import warm_up
from lwip_enb.errors import AssociationRefused, InvalidFieldError
from lwip_enb.io.flow import EventPolicy, EventQueue, Outbox, SendPolicy
from lwip_enb.io.runtime import (
    EnbRuntime,
    _cancel_all,
    _close_quietly,
    _describe,
    _spawn,
    _timer_loop,
    stream_for,
)
from lwip_enb.io.trace import Trace, xwap_name
from lwip_enb.io.transport import Association, AssociationLost, Endpoints, Listener, endpoints
from lwip_enb.peers import segw as segw_mod
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue as ue_mod
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.sim.simulation import segw_events

__all__ = ["ModelAir", "SegwRuntime"]

log = logging.getLogger("lwip_enb.runtime")


class _EnbConn:
    """One eNB's association, its send queue and the task that reads it."""

    def __init__(self, enb: str, assoc: Association, outbox: Outbox) -> None:
        self.enb, self.assoc, self.outbox = enb, assoc, outbox
        self.endpoints: Endpoints | None = None  # for the trace, when recording
        self.down = False
        self.abort = False


class SegwRuntime:
    """Serves eNB associations with a :class:`~lwip_enb.peers.segw.SegwModel` (the reference
    SeGW).

    ``identify(association)`` names the eNB behind an association; it must be one the model knows
    (:meth:`SegwModel.add_enb`). By default every association is the model's only eNB. An
    association that cannot be named (``identify`` raised, or named an unknown eNB, or the
    default found no single eNB) is refused: logged at ERROR, counted in :attr:`refused` and
    closed, and the runtime goes on accepting.

    Like :class:`~lwip_enb.io.runtime.EnbRuntime`, the model is called synchronously (no lock),
    each association has its own send queue and task (one eNB that stops reading holds up only
    its own queue), and events follow ``event_policy`` (default: no bound, no loss).
    :meth:`stop` closes every association and drops every PSK the model held for those eNBs, as
    on association loss.

    ``trace=True`` (or a :class:`~lwip_enb.io.trace.Trace` shared with the
    :class:`~lwip_enb.io.runtime.EnbRuntime`) records the trace of docs/trace.md in
    :attr:`trace`, as the simulation's SeGW does; a SeGW event names the eNB's UE only when the
    eNB records into the same trace (the IDi is all the SeGW knows of the UE).
    """

    def __init__(
        self,
        model: segw_mod.SegwModel,
        listener: Listener,
        *,
        identify: Callable[[Association], str] | None = None,
        streams: int = 8,
        event_policy: EventPolicy | None = None,
        send_policy: SendPolicy | None = None,
        warm_up: bool = True,
        trace: Trace | bool = False,
    ) -> None:
        self.model = model
        self.trace: Trace | None = trace if isinstance(trace, Trace) else Trace() if trace else None
        if self.trace is not None:
            self.trace.attach("segw")
        self.listener = listener
        self.events: EventQueue[segw_out.Output] = EventQueue(event_policy, name="SeGW events")
        self.send_policy = send_policy or SendPolicy()
        self.refused = 0  # associations refused because no known eNB could be named
        self._identify = identify or self._only_enb
        self._streams = streams
        self._warm_up = warm_up
        self._conns: dict[str, _EnbConn] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()

    def _only_enb(self, assoc: Association) -> str:
        enbs = self.model.enbs()
        if len(enbs) == 1:
            return enbs[0]
        known = "no eNB" if not enbs else f"{len(enbs)} eNBs ({', '.join(map(repr, enbs))})"
        raise AssociationRefused(
            f"cannot tell which eNB the association from {assoc.peer} belongs to: the SeGW "
            f"model knows {known}; add the one eNB with SegwModel.add_enb(), or give "
            "SegwRuntime an identify= function"
        )

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def start(self) -> None:
        """Load the codecs in a worker thread (see :mod:`lwip_enb.codec.warmup`), then accept."""
        if self._warm_up:
            await asyncio.to_thread(warm_up)
        self.events.hold_producers(True)
        for coro, name in ((self._accept_loop(), "accept"), (self._timers(), "timers")):
            self._track(_spawn(coro, f"lwip-segw-{name}"))

    async def stop(self) -> None:
        self.events.hold_producers(False)  # stopping must not wait for a reader of events
        await _cancel_all(self._tasks)
        for conn in list(self._conns.values()):
            self._conn_down(conn, "SeGW runtime stopped")
        await asyncio.gather(*self._tasks, return_exceptions=True)  # the closes just started
        await self.listener.close()

    async def __aenter__(self) -> SegwRuntime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def association(self, enb: str) -> Association | None:
        conn = self._conns.get(enb)
        return conn.assoc if conn is not None else None

    def queued(self, enb: str) -> int:
        """PDUs waiting to be sent to ``enb`` (0 without an association)."""
        conn = self._conns.get(enb)
        return len(conn.outbox) if conn is not None else 0

    async def input(self, call: Callable[[float], list[segw_out.Output]]) -> list[Any]:
        """Run one model call (e.g. ``lambda now: model.release(idi, cause, now)``); returns once
        the eNBs it sent to have room in their send queues (backpressure)."""
        outputs = self._apply(call)
        if self.events.blocking:
            await self.events.wait_room()
        for enb in {o.enb for o in outputs if isinstance(o, segw_out.SendXwap)}:
            conn = self._conns.get(enb)
            if conn is not None:
                await conn.outbox.wait_room()
        return outputs

    # ---- internals ---------------------------------------------------------------------------

    def _track(self, task: asyncio.Task[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _apply(self, call: Callable[[float], list[segw_out.Output]]) -> list[segw_out.Output]:
        """One model call and its outputs on their way; synchronous, so the model needs no lock
        and no eNB's socket can hold it."""
        now = self.now()
        outputs = call(now)
        trace = self.trace
        for o in outputs:
            if isinstance(o, segw_out.SendXwap):
                conn = self._conns.get(o.enb)
                if conn is None or not conn.outbox.put(o.pdu, stream_for(o.message, self._streams)):
                    log.info("no association to eNB %s: %s not sent", o.enb, o.message.MESSAGE)
                elif trace is not None:
                    name = "garbage" if o.garbled else o.message.MESSAGE
                    trace.message(now, "segw", "enb", "xwap", None, name, o.pdu, conn.endpoints)
            else:
                if trace is not None:
                    for event, idi, details in segw_events(o):
                        trace.event(now, "segw", event, trace.ue_of(idi), **details)
                self.events.put(o)
        self._wake.set()
        return outputs

    def _apply_safe(
        self, call: Callable[[float], list[segw_out.Output]], what: str
    ) -> list[segw_out.Output]:
        try:
            return self._apply(call)
        except Exception:
            log.exception("the SeGW model failed on %s", what)
            return []

    async def _accept_loop(self) -> None:
        while True:
            try:
                assoc = await self.listener.accept()
            except Exception as exc:  # a listener's failure must not end the accepting
                log.error("accepting an association failed: %s", _describe(exc), exc_info=True)
                await asyncio.sleep(0.1)  # and must not spin either
                continue
            try:
                enb = self._identify(assoc)
                if enb not in self.model.enbs():
                    raise AssociationRefused(
                        f"identify() named {enb!r} for {assoc.peer}, an eNB the SeGW model does "
                        "not know (SegwModel.add_enb)"
                    )
            except Exception as exc:  # identify is the user's code: refuse, keep accepting
                self.refused += 1
                log.error("refusing the association from %s: %s", assoc.peer, _describe(exc))
                self._track(_spawn(_close_quietly(assoc, abort=True), "lwip-segw-refuse"))
                continue
            old = self._conns.get(enb)
            if old is not None:
                log.warning(
                    "eNB %s associated again from %s; the old association goes", enb, assoc.peer
                )
                self._conn_down(old, "replaced by a new association")
            outbox = Outbox(
                f"eNB {enb}", assoc, self.send_policy, functools.partial(self._outbox_report, enb)
            )
            conn = self._conns[enb] = _EnbConn(enb, assoc, outbox)
            if self.trace is not None:
                conn.endpoints = endpoints(assoc)
            self._track(_spawn(self._serve(conn), f"lwip-segw-{enb}"))

    async def _serve(self, conn: _EnbConn) -> None:
        receive = self.model.receive_xwap
        try:
            while True:
                frame = await conn.assoc.recv()
                trace = self.trace
                if trace is not None and trace.records_receipts_from("enb"):
                    where = conn.endpoints
                    back = (where[1], where[0]) if where is not None else None
                    name = xwap_name(frame.data)
                    trace.message(self.now(), "enb", "segw", "xwap", None, name, frame.data, back)
                self._apply_safe(functools.partial(receive, conn.enb, frame.data), "XwAP")
                if self.events.blocking:
                    await self.events.wait_room()
        except AssociationLost as exc:
            log.info("association from %s lost: %s", conn.enb, exc)
            self._conn_down(conn, f"association lost: {exc}")
        except Exception as exc:  # a transport's bug: give the association up
            log.error("receiving from eNB %s failed", conn.enb, exc_info=True)
            self._conn_down(conn, f"transport error: {_describe(exc)}")

    def _conn_down(self, conn: _EnbConn, reason: str) -> None:
        """Once per association: stop sending, close it, and if it was the eNB's current one,
        drop every PSK of that eNB (:meth:`SegwModel.enb_lost`)."""
        if conn.down:
            return
        conn.down = True
        unsent = conn.outbox.close()
        if unsent:
            log.info("association from %s down with %d PDUs unsent: %s", conn.enb, unsent, reason)
        self._track(
            _spawn(_close_quietly(conn.assoc, abort=conn.abort or unsent > 0), "lwip-segw-close")
        )
        if self._conns.get(conn.enb) is conn:
            del self._conns[conn.enb]
            enb = conn.enb
            self._apply_safe(lambda now: self.model.enb_lost(enb, now), "enb_lost")

    def _outbox_report(self, enb: str, outbox: Outbox, kind: str, detail: str) -> None:
        conn = self._conns.get(enb)
        if conn is None or conn.outbox is not outbox:
            return
        if kind == "stalled":
            log.warning("eNB %s stalled: %s", enb, detail)
        elif kind == "resumed":
            log.warning("eNB %s resumed: %s", enb, detail)
        elif kind == "overflow":
            log.error("eNB %s: %s; aborting the association", enb, detail)
            conn.abort = True
            asyncio.get_running_loop().call_soon(self._conn_down, conn, f"overflow: {detail}")
        else:
            asyncio.get_running_loop().call_soon(self._conn_down, conn, detail)

    async def _timers(self) -> None:
        model = self.model

        async def fire() -> None:
            self._apply_safe(model.handle_timer, "timers")
            if self.events.blocking:
                await self.events.wait_room()

        await _timer_loop(model.next_timer, self.now, self._wake, fire)


def _given(outputs: list[segw_out.Output], now: float) -> list[segw_out.Output]:
    """A model call that already happened, for :meth:`SegwRuntime._apply` to route."""
    return outputs


class ModelAir:
    """The radio of a harness built from the reference models: an ``on_rrc`` sink for
    :class:`EnbRuntime` that delivers downlink RRC to :class:`~lwip_enb.ue.UeModel` instances,
    runs their modelled IKE against a :class:`~lwip_enb.segw.SegwModel`, and carries their uplink
    RRC back to the runtime::

        air = ModelAir(segw_runtime)  # or a bare SegwModel
        enb = EnbRuntime(on_rrc=air)
        air.attach(enb)
        air.ues["ue-1"] = UeModel(kenb, mac)

    Given the :class:`SegwRuntime` that serves the model, the SeGW's IKE outcomes (tunnel up,
    PSK kept, IKE rejected) appear in that runtime's events like everything else it does. With
    several SeGWs, :meth:`add_segw` names each by the IKE address the eNB gives its UEs.
    """

    def __init__(self, segw: segw_mod.SegwModel | SegwRuntime) -> None:
        runtime = segw if isinstance(segw, SegwRuntime) else None
        self.segw = segw.model if isinstance(segw, SegwRuntime) else segw
        self.ues: dict[Hashable, ue_mod.UeModel] = {}
        self.undelivered = 0  # RRC PDUs for UEs that have no model here
        self._runtimes: dict[int, SegwRuntime] = {} if runtime is None else {id(self.segw): runtime}
        self._by_address: dict[str, segw_mod.SegwModel] = {}
        self._enb: EnbRuntime | None = None
        self._warned = False  # about a bare SegwModel's XwAP that could not be sent
        #: called with each output of a UE model that is neither uplink RRC nor the start of
        #: IKE (PSK stored or deleted, tunnel up or released, IKE failed, input rejected)
        self.on_ue_output: Callable[[Hashable, ue_out.Output], None] | None = None

    def attach(self, enb: EnbRuntime) -> None:
        self._enb = enb

    def add_segw(self, address: str, segw: segw_mod.SegwModel | SegwRuntime) -> None:
        """UEs told to run IKE to ``address`` reach this SeGW (the others reach the first)."""
        model = segw.model if isinstance(segw, SegwRuntime) else segw
        if isinstance(segw, SegwRuntime):
            self._runtimes[id(model)] = segw
        self._by_address[str(ipaddress.ip_address(address))] = model

    async def __call__(self, ue: Hashable, channel: RrcChannel, pdu: bytes) -> None:
        model = self.ues.get(ue)
        if model is None or self._enb is None:
            self.undelivered += 1
            log.debug("no UE model for %r: downlink RRC not delivered", ue)
            return
        await self.ue_outputs(ue, model.receive_rrc(pdu, asyncio.get_running_loop().time()))

    async def ue_outputs(self, ue: Hashable, outputs: Iterable[ue_out.Output]) -> None:
        """Carry out outputs of the UE model ``ue``, as for those of its downlink RRC: uplink RRC
        to the eNB runtime, IKE with the SeGW (and what follows from it), and everything else
        to :attr:`on_ue_output`. For what a harness makes the UE do itself, e.g.
        ``await air.ue_outputs(1, air.ues[1].radio_link_failure(now))``."""
        model = self.ues.get(ue)
        enb = self._enb
        if model is None or enb is None:
            raise InvalidFieldError("ue", f"no UE model for {ue!r}, or no eNB runtime attached")
        pending = list(outputs)
        while pending:
            o = pending.pop(0)
            if isinstance(o, ue_out.SendRrc):
                await enb.receive_rrc(ue, o.channel, o.pdu)
            elif isinstance(o, ue_out.IkeStart):
                pending += await self._ike(ue, model, o)
            elif self.on_ue_output is not None:
                self.on_ue_output(ue, o)

    async def _ike(
        self, ue: Hashable, model: ue_mod.UeModel, start: ue_out.IkeStart
    ) -> list[ue_out.Output]:
        """The UE's modelled IKE with the SeGW it was sent to. Every output of the SeGW model
        (tunnel up, IKE rejected, PSK deleted, LWIP RELEASE REQUIRED) is routed by its runtime."""
        assert self._enb is not None
        now = asyncio.get_running_loop().time()
        segw = self._by_address.get(str(start.segw_address), self.segw)
        request = model.ike_request(segw.ike_sa_init(now))
        if request is None:
            return []
        response, outputs = segw.ike_auth(request, now)
        runtime = self._runtimes.get(id(segw))
        if runtime is not None:
            runtime._apply(functools.partial(_given, outputs))
        elif not self._warned and any(isinstance(o, segw_out.SendXwap) for o in outputs):
            self._warned = True
            log.warning(
                "ModelAir was given a bare SegwModel: its XwAP after IKE is not sent; give "
                "ModelAir the SegwRuntime that serves the model"
            )
        result = model.ike_result(response, now)
        if any(isinstance(s, segw_out.TunnelUp) for s in outputs):
            # the eNB's evidence of the tunnel: RRC reports WLAN association only
            await self._enb.tunnel_established(ue)
        return result
