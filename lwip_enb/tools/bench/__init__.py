"""``lwip-enb bench``: five figures of the eNB side, each beside its baselines from the same run.

=====================================  ======================================================
``activation_per_s`` (goal >= 20,000)  fresh UEs taken from idle to active per second, one
                                       core: PSK derivation, LWIP ADDITION REQUEST encoded,
                                       the SeGW's ACKNOWLEDGE decoded, RRC reconfiguration
                                       encoded, RRCConnectionReconfigurationComplete and
                                       WLANConnectionStatusReport decoded (:mod:`.activation`);
                                       beside it, the asyncio path: through EnbRuntime and the
                                       reference SeGW's runtime, in memory and over TCP on
                                       127.0.0.1 (:mod:`.runtime`)
``release_storm_100k_s`` (goal <= 2)   wall seconds to hand over 100,000 active UEs at once,
                                       with every LWIP RELEASE REQUEST encoded (:mod:`.storm`)
``memory_per_ue_bytes`` (goal <= 2000) traced bytes per idle UE context after an activation
                                       and deactivation, 100,000 of them (:mod:`.memory`)
``cold_start_s`` (goal <= 1)           a new process to its first encoded RRC and XwAP
                                       message with the XwAP and RRC ASN.1 loaded, cache warm
                                       (:mod:`.cold_start`)
``codec_speedup_vs_pycrate_min``       the smallest ratio pycrate time / our time over the
(goal >= 3)                            encode and decode of every codec row (:mod:`.codecs`)
=====================================  ======================================================

Every figure, part and baseline is a :class:`~.quantity.Quantity` labelled ``measured``,
``scaled`` (a per-call time x N, N stated) or ``derived`` (arithmetic on other quantities,
named); the table and ``--json`` show the label. The baselines run in the same process, under
the same conditions (the whole run is pinned to one CPU), and where they are the same workload
(the general codec path) on the same N, interleaved with ours chunk by chunk.

``--quick`` runs the same measurements with small N (stated in the output) so that the test
suite can run the command in seconds; it says nothing about the goals of the 100,000-UE
figures. Timings are wall-clock in this process, Python's garbage collector left on (it is part
of what a Python eNB pays). A progress bar (:mod:`lwip_enb.progress`) is drawn on standard
error when it is a terminal.

Modules, each importing only those listed before it: :mod:`.quantity` (the labels),
:mod:`.timing` (sizes, instruments, timing helpers), :mod:`.codecs` (the codec rows and the
pycrate calls), :mod:`.enb` (the controller and UEs the figures drive), :mod:`.runtime` (the
asyncio path), :mod:`.activation`,
:mod:`.storm`, :mod:`.memory`, :mod:`.cold_start`, :mod:`.report` (the table); this package
runs them (:func:`run`) and prints (:func:`main`).
"""

from __future__ import annotations

import gc
import json
import platform
from dataclasses import asdict
from typing import Any, Final

from lwip_enb import asn1
from lwip_enb.sim.testing import PeerMessages
from lwip_enb.tools.bench import activation, codecs, cold_start, memory, storm
from lwip_enb.tools.bench.quantity import Figure
from lwip_enb.tools.bench.report import format_table
from lwip_enb.tools.bench.timing import FULL, QUICK, Instruments, Sizes, one_core

__all__ = ["FULL", "GOALS", "QUICK", "Instruments", "Sizes", "format_table", "main", "run"]

#: figure -> ("min" or "max", goal); the storm's goal is for storm.GOAL_UES UEs.
GOALS: Final[dict[str, tuple[str, float]]] = {
    "activation_per_s": ("min", 20_000),
    "release_storm_100k_s": ("max", 2.0),
    "memory_per_ue_bytes": ("max", 2_000),
    "cold_start_s": ("max", 1.0),
    "codec_speedup_vs_pycrate_min": ("min", 3.0),
}


def _first_use() -> None:
    """Load (the first time: compile and cache) the ASN.1 of both codecs, and pycrate's."""
    asn1.xwap()
    asn1.rrc()
    codecs.pycrate_modules()


def _met(figure: Figure) -> bool:
    kind, goal = GOALS[figure.key]
    value = figure.headline.value
    if figure.key == storm.KEY:  # a storm over fewer UEs is held to the goal scaled to N
        goal *= (figure.headline.n or storm.GOAL_UES) / storm.GOAL_UES
    return value >= goal if kind == "min" else value <= goal


def run(
    sizes: Sizes = FULL, *, quick: bool = False, instruments: Instruments | None = None
) -> dict[str, Any]:
    """Measure everything; the result is what ``--json`` prints.

    ``instruments`` replaces the clock, the memory tracer and the cold-start stopwatch (tests
    run the bench on instruments of their own); by default the real ones.
    """
    inst = instruments or Instruments()
    _first_use()  # the first ASN.1 compile draws its own progress bar (lwip_enb.asn1)
    peers = PeerMessages()
    with one_core() as conditions:
        rows = codecs.codec_table(sizes, inst)
        act, ours_fleet, general = activation.measure(sizes, peers, inst)
        wave = storm.measure(sizes, ours_fleet, general, inst)
        del ours_fleet, general
        gc.collect()
        figures = [
            act,
            wave,
            memory.measure(sizes, peers, inst),
            cold_start.measure(sizes, inst),
            codecs.speedup_figure(rows),
        ]
    result: dict[str, Any] = {"quick": quick, "python": platform.python_version()}
    result["conditions"] = conditions
    for figure in figures:
        kind, goal = GOALS[figure.key]
        result[figure.key] = {**figure.as_json(), "goal": {kind: goal}, "met": _met(figure)}
    result["codecs"] = [row.as_json() for row in rows]
    result["sizes"] = asdict(sizes)
    return result


def main(json_out: bool = False, quick: bool = False) -> int:
    """``lwip-enb bench [--quick] [--json]``."""
    sizes = QUICK if quick else FULL
    result = run(sizes, quick=quick)
    print(json.dumps(result) if json_out else format_table(result))
    return 0
