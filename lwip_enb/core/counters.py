"""What the eNB controller counts: activations, failures and releases by typed reason, PDUs in
and out per message, Error Indications, per SeGW; and its per-PDU DEBUG log lines.

:class:`Counters` is fed by :class:`~lwip_enb.core.controller.EnbController` with the outputs of
every input and with every PDU it decoded, so the simulation and the asyncio runtime count alike.
Counting is a dictionary increment per output; nothing is kept per UE.
:meth:`Counters.snapshot` returns a :class:`CounterSnapshot`: nested read-only dicts of strings
to integers that ``json.dumps`` takes as they are.

The per-PDU lines (logger ``lwip_enb.enb``, DEBUG) name the message, its UE ids and its size,
never its content: an LWIP ADDITION REQUEST carries the LWIP-PSK (TS 36.463 9.2.30).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, NoReturn

from lwip_enb.core.outputs import (
    ActivationFailed,
    Output,
    SendRrc,
    SendXwap,
    TunnelReleased,
    TunnelUp,
    UeKey,
)

__all__ = ["CounterSnapshot", "Counters"]

log = logging.getLogger("lwip_enb.enb")

#: The kinds of count, as they appear in a snapshot.
ACTIVATIONS: Final = "activations"  # TunnelUp: LWIP usable for a UE
ACTIVATION_FAILURES: Final = "activation_failures"  # ActivationFailed, by ActivationFailure
RELEASES: Final = "releases"  # TunnelReleased, by ReleaseTrigger
CANCELLED: Final = "cancelled_additions"  # TunnelReleased(cancelled=True), by ReleaseTrigger
ERROR_INDICATIONS: Final = "error_indications"  # "sent" and "received"
XWAP_IN: Final = "xwap_in"  # by message name; "undecodable" for bytes that were none
XWAP_OUT: Final = "xwap_out"
RRC_IN: Final = "rrc_in"
RRC_OUT: Final = "rrc_out"

_PER_SEGW: Final = (
    ACTIVATIONS,
    ACTIVATION_FAILURES,
    RELEASES,
    CANCELLED,
    ERROR_INDICATIONS,
    XWAP_IN,
    XWAP_OUT,
)
_ALL: Final = (*_PER_SEGW, RRC_IN, RRC_OUT)
UNDECODABLE: Final = "undecodable"


class CounterSnapshot(dict[str, Any]):
    """A read-only dict (nested: kinds to names to counts, and ``segws`` to one such dict per
    SeGW); ``json.dumps`` writes it as it is. :meth:`to_json` gives a plain, mutable copy."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("a counter snapshot is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def to_json(self) -> dict[str, Any]:
        return _thaw(self)


def _thaw(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _thaw(v) if isinstance(v, Mapping) else v for k, v in data.items()}


class Counters:
    """The eNB's counts since it was made. :meth:`snapshot` is the one public read."""

    __slots__ = ("_counts",)

    def __init__(self) -> None:
        # (segw, kind, name) -> count; segw "" for what belongs to no SeGW (RRC, or an
        # activation refused before a SeGW was chosen)
        self._counts: dict[tuple[str, str, str], int] = {}

    def _add(self, segw: str, kind: str, name: str) -> None:
        key = (segw, kind, name)
        counts = self._counts
        counts[key] = counts.get(key, 0) + 1

    # ---- fed by the controller -------------------------------------------------------------

    def xwap_in(self, segw: str, message: str | None, size: int, ids: tuple[Any, Any]) -> None:
        """A PDU from ``segw``; ``message`` None: it did not decode."""
        name = UNDECODABLE if message is None else message
        self._add(segw, XWAP_IN, name)
        if message == "ErrorIndication":
            self._add(segw, ERROR_INDICATIONS, "received")
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "XwAP in from %s: %s (eNB UE XwAP ID %s, WT UE XwAP ID %s), %d octets",
                segw, name, ids[0], ids[1], size,
            )  # fmt: skip

    def rrc_in(self, ue: UeKey, channel: object, message: str | None, size: int) -> None:
        """A PDU from UE ``ue`` on ``channel``; ``message`` None: it did not decode."""
        name = UNDECODABLE if message is None else message
        self._add("", RRC_IN, name)
        if log.isEnabledFor(logging.DEBUG):
            channel = getattr(channel, "value", channel)
            log.debug("RRC in from UE %r on %s: %s, %d octets", ue, channel, name, size)

    def outputs(self, outputs: Iterable[Output], segw_of: Callable[[UeKey], str]) -> None:
        """The outputs of one input; ``segw_of`` names the SeGW of a UE."""
        debug = log.isEnabledFor(logging.DEBUG)
        for o in outputs:
            if isinstance(o, SendXwap):
                name = o.message.MESSAGE
                self._add(o.segw, XWAP_OUT, name)
                if name == "ErrorIndication":
                    self._add(o.segw, ERROR_INDICATIONS, "sent")
                if debug:
                    log.debug(
                        "XwAP out to %s: %s (eNB UE XwAP ID %s, WT UE XwAP ID %s), %d octets",
                        o.segw, name, getattr(o.message, "enb_ue_id", None),
                        getattr(o.message, "wt_ue_id", None), len(o.pdu),
                    )  # fmt: skip
            elif isinstance(o, SendRrc):
                self._add("", RRC_OUT, o.message.MESSAGE)
                if debug:
                    log.debug(
                        "RRC out to UE %r on %s: %s, %d octets",
                        o.ue, o.channel.value, o.message.MESSAGE, len(o.pdu),
                    )  # fmt: skip
            elif isinstance(o, TunnelUp):
                self._add(segw_of(o.ue), ACTIVATIONS, "succeeded")
            elif isinstance(o, TunnelReleased):
                kind_of = CANCELLED if o.reason.cancelled else RELEASES
                self._add(segw_of(o.ue), kind_of, o.reason.trigger.value)
            elif isinstance(o, ActivationFailed):
                self._add(o.segw, ACTIVATION_FAILURES, o.reason.value)

    # ---- read ------------------------------------------------------------------------------

    def snapshot(self) -> CounterSnapshot:
        """Every count: for each kind the total over SeGWs (name -> count), and under ``segws``
        the same per SeGW. Kinds: ``activations`` (``succeeded``: the tunnel is up),
        ``activation_failures`` (by :class:`~lwip_enb.core.outputs.ActivationFailure` value),
        ``releases`` and ``cancelled_additions`` (by
        :class:`~lwip_enb.core.outputs.ReleaseTrigger` value), ``error_indications``
        (``sent``, ``received``), ``xwap_in``, ``xwap_out``, ``rrc_in``, ``rrc_out`` (by ASN.1
        message name; ``undecodable`` for input that was no message). RRC is not per SeGW."""
        total: dict[str, dict[str, int]] = {kind: {} for kind in _ALL}
        segws: dict[str, dict[str, dict[str, int]]] = {}
        for (segw, kind, name), n in sorted(self._counts.items()):
            total[kind][name] = total[kind].get(name, 0) + n
            if segw:
                per = segws.setdefault(segw, {k: {} for k in _PER_SEGW})
                per[kind][name] = n
        data: dict[str, Any] = {k: CounterSnapshot(v) for k, v in total.items()}
        data["segws"] = CounterSnapshot(
            {
                s: CounterSnapshot({k: CounterSnapshot(v) for k, v in p.items()})
                for s, p in segws.items()
            }
        )
        return CounterSnapshot(data)
