"""What the eNB controller counts: activations, failures and releases by typed reason, PDUs in
and out per message, Error Indications, per SeGW; and its per-PDU DEBUG log lines.

:class:`Counters` is fed by :class:`~lwip_enb.core.controller.EnbController` as it makes each
message, activation, failed activation and release, and with every PDU it decodes, so the
simulation and the asyncio runtime count alike. Counting is a dictionary increment where the
output is made (no pass over the outputs of each input); nothing is kept per UE.
:meth:`Counters.snapshot` returns a :class:`CounterSnapshot`: nested read-only dicts of strings
to integers that ``json.dumps`` takes as they are.

The per-PDU lines (logger ``lwip_enb.enb``, DEBUG) name the message, its UE ids and its size,
never its content: an LWIP ADDITION REQUEST carries the LWIP-PSK (TS 36.463 9.2.30).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, NoReturn

from lwip_enb.core.outputs import UeKey
from lwip_enb.errors import ReadOnlyError

if TYPE_CHECKING:
    from lwip_enb.codec.xwap import XwapMessage

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
        raise ReadOnlyError("a counter snapshot is read-only")

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

    # ---- fed by the controller -------------------------------------------------------------

    def xwap_in(self, segw: str, message: str | None, size: int, pdu: object = None) -> None:
        """A PDU from ``segw`` (``pdu`` the decoded message, for its ids in the log line);
        ``message`` None: it did not decode."""
        name = UNDECODABLE if message is None else message
        counts, key = self._counts, (segw, XWAP_IN, name)
        counts[key] = counts.get(key, 0) + 1
        if name == "ErrorIndication":
            key = (segw, ERROR_INDICATIONS, "received")
            counts[key] = counts.get(key, 0) + 1
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "XwAP in from %s: %s (eNB UE XwAP ID %s, WT UE XwAP ID %s), %d octets",
                segw, name, getattr(pdu, "enb_ue_id", None), getattr(pdu, "wt_ue_id", None), size,
            )  # fmt: skip

    def rrc_in(self, ue: UeKey, channel: object, message: str | None, size: int) -> None:
        """A PDU from UE ``ue`` on ``channel``; ``message`` None: it did not decode."""
        name = UNDECODABLE if message is None else message
        counts, key = self._counts, ("", RRC_IN, name)
        counts[key] = counts.get(key, 0) + 1
        if log.isEnabledFor(logging.DEBUG):
            channel = getattr(channel, "value", channel)
            log.debug("RRC in from UE %r on %s: %s, %d octets", ue, channel, name, size)

    def xwap_out(self, segw: str, message: XwapMessage, size: int) -> None:
        """An XwAP message made for ``segw``."""
        name = message.MESSAGE
        counts, key = self._counts, (segw, XWAP_OUT, name)
        counts[key] = counts.get(key, 0) + 1
        if name == "ErrorIndication":
            key = (segw, ERROR_INDICATIONS, "sent")
            counts[key] = counts.get(key, 0) + 1
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "XwAP out to %s: %s (eNB UE XwAP ID %s, WT UE XwAP ID %s), %d octets",
                segw, name, getattr(message, "enb_ue_id", None),
                getattr(message, "wt_ue_id", None), size,
            )  # fmt: skip

    def rrc_out(self, ue: UeKey, message: str, size: int) -> None:
        """An RRC message made for UE ``ue`` (DL-DCCH)."""
        counts, key = self._counts, ("", RRC_OUT, message)
        counts[key] = counts.get(key, 0) + 1
        if log.isEnabledFor(logging.DEBUG):
            log.debug("RRC out to UE %r on dl-dcch: %s, %d octets", ue, message, size)

    def count(self, segw: str, kind: str, name: str) -> None:
        """One more ``kind`` (``ACTIVATIONS``, ``ACTIVATION_FAILURES``, ``RELEASES``,
        ``CANCELLED``) of ``name`` at ``segw`` ("" for none)."""
        counts, key = self._counts, (segw, kind, name)
        counts[key] = counts.get(key, 0) + 1

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
