"""The trace of real runs: the records of docs/trace.md, made by the asyncio runtimes.

:class:`Trace` collects what :class:`~lwip_enb.io.runtime.EnbRuntime` and
:class:`~lwip_enb.sim.runtimes.SegwRuntime` record when given one (``trace=True`` or a
:class:`Trace` to share): every message that crosses the node's boundary with its exact bytes,
and the node's events, in the format :class:`~lwip_enb.sim.Simulation` records.
:func:`lwip_enb.tools.pcap.write_pcapng` writes it as a capture, at its times.

- ``t`` is seconds since the trace's first record on the loop's clock; :attr:`Trace.start` is the
  Unix time of that record, so a capture carries wall-clock times.
- XwAP records also carry the association's addresses (``src_ip``, ``src_port``, ``dst_ip``,
  ``dst_port``) where the transport knows them (:func:`~lwip_enb.io.transport.endpoints`).
- A message is recorded once: by its sender when the sender records into the same trace (two
  runtimes of one process sharing a :class:`Trace`), else by its receiver.

:func:`enb_event` turns one eNB output into its node event; the simulation records with it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any, TypeAlias

from lwip_enb.codec import rrc, xwap
from lwip_enb.core import outputs as enb_out
from lwip_enb.io.transport import Endpoints

__all__ = ["Trace", "TraceRecord", "enb_event", "message_record", "rrc_name", "xwap_name"]

TraceRecord: TypeAlias = dict[str, Any]
Event: TypeAlias = tuple[str, Hashable, dict[str, Any]]  # event, ue, details

#: The message name of octets that are no message (docs/trace.md).
GARBAGE = "garbage"


def enb_event(o: enb_out.Output) -> Event | None:
    """The node event (docs/trace.md) of an eNB output that is not a message, or None."""
    if isinstance(o, enb_out.StateChanged):
        return "state", o.ue, {"from": o.old.value, "to": o.new.value, "cause": o.event.value}
    if isinstance(o, enb_out.PskDeleted):
        reason = "sent to SeGW in LWIP ADDITION REQUEST"
        return "psk-deleted", o.ue, {"counter": o.counter, "reason": reason}
    if isinstance(o, enb_out.TunnelUp):
        return "tunnel-up", o.ue, {}
    if isinstance(o, enb_out.TunnelReleased):
        return "tunnel-released", o.ue, {"reason": o.reason.describe()}
    if isinstance(o, enb_out.ActivationFailed):
        return "state", o.ue, {"reason": f"activation failed: {o.describe()}"}
    if isinstance(o, enb_out.KenbRefreshNeeded):
        return "state", o.ue, {"reason": "KeNB refresh needed"}
    if isinstance(o, enb_out.InputRejected):
        return "state", o.ue, {"reason": f"protocol error: {o.detail}"}
    if isinstance(o, enb_out.WlanSuspended):
        return "wlan-suspended", o.ue, {}
    if isinstance(o, enb_out.WlanResumed):
        return "wlan-resumed", o.ue, {}
    if isinstance(o, enb_out.WlanMeasurementReported):
        details = {
            "measurement": o.event.name,
            "meas_id": o.meas_id,
            "in_mobility_set": len(o.in_mobility_set),
        }
        return "wlan-measured", o.ue, details
    return None


def message_record(
    t: float,
    src: str,
    dst: str,
    protocol: str,
    channel: str | None,
    name: str,
    pdu: bytes,
    endpoints: Endpoints | None = None,
    **extra: Any,
) -> TraceRecord:
    """One message record of docs/trace.md, as every recorder writes it (``Simulation``, the
    runtimes' :class:`Trace`, the two-eNB simulation); ``endpoints``: the (source,
    destination) address and port, where the transport knows them."""
    record: TraceRecord = {
        "t": t,
        "src": src,
        "dst": dst,
        "protocol": protocol,
        "channel": channel,
        "message": name,
        "pdu": pdu.hex(),
    }
    if endpoints is not None:
        (record["src_ip"], record["src_port"]), (record["dst_ip"], record["dst_port"]) = endpoints
    record.update(extra)
    return record


def xwap_name(pdu: bytes) -> str:
    """The ASN.1 name of an XwAP PDU, or ``garbage``: for a receiver's record (a second decode,
    made only while tracing)."""
    try:
        return xwap.decode(pdu).MESSAGE
    except Exception:  # whatever the octets do to the decoder, the record still names them
        return GARBAGE


def rrc_name(channel: rrc.RrcChannel | str, pdu: bytes) -> str:
    """The same for an RRC PDU on ``channel``."""
    try:
        return rrc.decode(channel, pdu).MESSAGE
    except Exception:
        return GARBAGE


class Trace:
    """Trace records (docs/trace.md) of one or more runtimes on one event loop.

    Iterating gives the records (dicts) in the order they were made; :attr:`listeners` are
    called with each as it is made. Like every trace, it holds the LWIP-PSK of each
    ``LWIPAdditionRequest`` (TS 36.463 9.2.30): keep traces of real keys secret.
    """

    def __init__(self) -> None:
        self.records: list[TraceRecord] = []
        self.listeners: list[Callable[[TraceRecord], None]] = []
        #: Unix time of ``t`` = 0 (the first record); None before it
        self.start: float | None = None
        self._origin: float | None = None  # the loop's time of t = 0
        self._nodes: set[str] = set()
        self._idi_owner: dict[bytes, Hashable] = {}

    def __iter__(self) -> Iterator[TraceRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    # ---- for the runtimes ------------------------------------------------------------------

    def attach(self, node: str) -> None:
        """``node`` (``enb``, ``segw``, ``ue``) records its sent messages into this trace."""
        self._nodes.add(node)

    def records_receipts_from(self, node: str) -> bool:
        """Whether a receiver records what ``node`` sent (it does unless ``node`` did)."""
        return node not in self._nodes

    def ue_of(self, idi: bytes) -> Hashable | None:
        """The UE an IDi was sent for (known when the eNB records into this trace)."""
        return self._idi_owner.get(idi)

    def _t(self, now: float) -> float:
        if self._origin is None:
            self._origin, self.start = now, time.time()
        return round(now - self._origin, 6)

    def _record(self, record: TraceRecord) -> None:
        self.records.append(record)
        for listener in self.listeners:
            listener(record)

    def message(
        self,
        now: float,
        src: str,
        dst: str,
        protocol: str,
        channel: str | None,
        name: str,
        pdu: bytes,
        endpoints: Endpoints | None = None,
        **extra: Any,
    ) -> None:
        """A message record; ``endpoints``: the (source, destination) address and port."""
        t = self._t(now)
        record = message_record(t, src, dst, protocol, channel, name, pdu, endpoints, **extra)
        self._record(record)

    def event(self, now: float, node: str, event: str, ue: Hashable | None, **details: Any) -> None:
        self._record({"t": self._t(now), "node": node, "event": event, "ue": ue, **details})

    def enb_outputs(
        self,
        now: float,
        outputs: list[enb_out.Output],
        associations: Mapping[str, Endpoints | None],
    ) -> None:
        """Records of the outputs of one eNB input. ``associations``: the SeGWs with an
        association, each with the eNB's and the SeGW's address on it, or None where the
        transport does not know them; XwAP for a SeGW without one is not sent, nor recorded."""
        for o in outputs:
            if isinstance(o, enb_out.SendXwap):
                if o.segw not in associations:
                    continue
                where = associations[o.segw]
                if o.ue is not None and isinstance(o.message, xwap.LwipAdditionRequest):
                    self._idi_owner[o.message.security.idi] = o.ue
                self.message(now, "enb", "segw", "xwap", None, o.message.MESSAGE, o.pdu, where)
            elif isinstance(o, enb_out.SendRrc):
                name = o.message.MESSAGE
                self.message(now, "enb", "ue", "rrc", o.channel.value, name, o.pdu)
            else:
                found = enb_event(o)
                if found is not None:
                    event, ue, details = found
                    self.event(now, "enb", event, ue, **details)
