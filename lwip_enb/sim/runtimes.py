"""asyncio runtimes of the reference peers: :class:`SegwRuntime` serves eNB associations with a
:class:`~lwip_enb.peers.segw.SegwModel`; :class:`ModelAir` is the radio of a harness built from the
reference models (downlink RRC to :class:`~lwip_enb.peers.ue.UeModel` instances, their modelled
IKE against the SeGW model, uplink RRC back to an :class:`~lwip_enb.io.runtime.EnbRuntime`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Hashable
from typing import Any

from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.io.runtime import EnbRuntime, _cancel_all, _timer_loop, stream_for
from lwip_enb.io.transport import Association, AssociationLost, Listener
from lwip_enb.peers import segw as segw_mod
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue as ue_mod
from lwip_enb.peers import ue_outputs as ue_out

__all__ = ["ModelAir", "SegwRuntime"]

log = logging.getLogger("lwip_enb.runtime")


class SegwRuntime:
    """Serves eNB associations with a :class:`~lwip_enb.segw.SegwModel` (the reference SeGW).

    ``identify(association)`` names the eNB behind an association; it must be one the model knows
    (:meth:`SegwModel.add_enb`). By default every association is the model's only eNB.
    """

    def __init__(
        self,
        model: segw_mod.SegwModel,
        listener: Listener,
        *,
        identify: Callable[[Association], str] | None = None,
        streams: int = 8,
    ) -> None:
        self.model = model
        self.listener = listener
        self.events: asyncio.Queue[segw_out.Output] = asyncio.Queue(10000)
        self._identify = identify or self._only_enb
        self._streams = streams
        self._assocs: dict[str, Association] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()

    def _only_enb(self, assoc: Association) -> str:
        (name,) = self.model.enbs()
        return name

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def start(self) -> None:
        for coro in (self._accept_loop(), self._timers()):
            task = asyncio.create_task(coro)
            self._tasks.add(task)

    async def stop(self) -> None:
        await _cancel_all(self._tasks)
        for a in list(self._assocs.values()):
            await a.close()
        await self.listener.close()

    async def __aenter__(self) -> SegwRuntime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def association(self, enb: str) -> Association | None:
        return self._assocs.get(enb)

    async def input(self, call: Callable[[float], list[segw_out.Output]]) -> list[Any]:
        """Run one model call (e.g. ``lambda now: model.release(idi, cause, now)``)."""
        async with self._lock:
            outputs = call(self.now())
            for o in outputs:
                if isinstance(o, segw_out.SendXwap):
                    assoc = self._assocs.get(o.enb)
                    if assoc is None:
                        continue
                    with contextlib.suppress(AssociationLost):
                        await assoc.send(o.pdu, stream=stream_for(o.message, self._streams))
                else:
                    with contextlib.suppress(asyncio.QueueFull):
                        self.events.put_nowait(o)
        self._wake.set()
        return outputs

    async def _accept_loop(self) -> None:
        while True:
            assoc = await self.listener.accept()
            enb = self._identify(assoc)
            old = self._assocs.pop(enb, None)
            if old is not None:
                await old.close()
            self._assocs[enb] = assoc
            task = asyncio.create_task(self._serve(enb, assoc))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _serve(self, enb: str, assoc: Association) -> None:
        try:
            while True:
                frame = await assoc.recv()
                await self.input(functools.partial(self.model.receive_xwap, enb, frame.data))
        except AssociationLost as exc:
            log.info("association from %s lost: %s", enb, exc)
        if self._assocs.get(enb) is assoc:
            del self._assocs[enb]
            await self.input(lambda now: self.model.enb_lost(enb, now))

    async def _timers(self) -> None:
        model = self.model
        await _timer_loop(
            model.next_timer, self.now, self._wake, lambda: self.input(model.handle_timer)
        )


class ModelAir:
    """The radio of a harness built from the reference models: an ``on_rrc`` sink for
    :class:`EnbRuntime` that delivers downlink RRC to :class:`~lwip_enb.ue.UeModel` instances,
    runs their modelled IKE against a :class:`~lwip_enb.segw.SegwModel`, and carries their uplink
    RRC back to the runtime::

        air = ModelAir(segw_model)
        enb = EnbRuntime(on_rrc=air)
        air.attach(enb)
        air.ues["ue-1"] = UeModel(kenb, mac)
    """

    def __init__(self, segw: segw_mod.SegwModel) -> None:
        self.segw = segw
        self.ues: dict[Hashable, ue_mod.UeModel] = {}
        self._enb: EnbRuntime | None = None

    def attach(self, enb: EnbRuntime) -> None:
        self._enb = enb

    async def __call__(self, ue: Hashable, channel: RrcChannel, pdu: bytes) -> None:
        model = self.ues.get(ue)
        if model is None or self._enb is None:
            return
        now = asyncio.get_running_loop().time()
        pending = list(model.receive_rrc(pdu, now))
        while pending:
            o = pending.pop(0)
            if isinstance(o, ue_out.SendRrc):
                await self._enb.receive_rrc(ue, o.channel, o.pdu)
            elif isinstance(o, ue_out.IkeStart):
                request = model.ike_request(self.segw.ike_sa_init(now))
                if request is not None:
                    response, at_segw = self.segw.ike_auth(request, now)
                    pending += model.ike_result(response, now)
                    if any(isinstance(s, segw_out.TunnelUp) for s in at_segw):
                        # the eNB's evidence of the tunnel: RRC reports WLAN association only
                        await self._enb.tunnel_established(ue)
