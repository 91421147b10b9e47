"""The bench's result (the ``--json`` object) as text: one section per figure, every row with its
value and how it was obtained, then the codec table."""

from __future__ import annotations

import math
from typing import Any, Final

__all__ = ["FIGURE_ORDER", "HOW_LEGEND", "format_table"]

#: The sections of the table, in order; the codec table comes before the last one.
FIGURE_ORDER: Final = (
    "activation_per_s",
    "release_storm_100k_s",
    "memory_per_ue_bytes",
    "cold_start_s",
    "codec_speedup_vs_pycrate_min",
)

HOW_LEGEND: Final = (
    "how: measured = timed or traced over the N stated; scaled = a measured per-call time x N; "
    "derived = arithmetic on other rows (formula shown)"
)

_FORMATS: Final = {"/s": ",.0f", "s": ",.3f", "us": ",.1f", "B": ",.0f", "x": ".2f"}


def _value(value: float | None, unit: str) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    text = f"{value:{_FORMATS.get(unit, ',.3g')}}"
    return f"{text}x" if unit == "x" else f"{text} {unit}"


def _goal(figure: dict[str, Any], unit: str) -> str:
    ((kind, goal),) = figure["goal"].items()
    text = f"{'>=' if kind == 'min' else '<='} {goal:,g}{'x' if unit == 'x' else ' ' + unit}"
    goal_ues = figure.get("goal_ues")
    if goal_ues:
        text += f" for {goal_ues:,} UEs"
        if figure.get("n") != goal_ues:
            text += f" ({_value(goal * figure['n'] / goal_ues, unit)} scaled to N)"
    return text


def _row(add: Any, q: dict[str, Any]) -> None:
    add(f"  {q['label']:<60}{_value(q['value'], q['unit']):>16}  {q['how']}")
    if q["how"] == "scaled":
        add(f"      ({q['basis']})")
    elif q["how"] == "derived":
        add(f"      (= {q['basis']})")


def _section(add: Any, key: str, figure: dict[str, Any]) -> None:
    add("")
    met = "met" if figure["met"] else "NOT met"
    add(f"{figure['title']}  [{key}]  goal {_goal(figure, figure['unit'])}  {met}")
    _row(add, figure)
    rows = {**figure["parts"], **figure["baselines"]}
    for name in figure["order"]:
        _row(add, rows[name])
    for note in figure["notes"]:
        add(f"  ({note})")


def format_table(result: dict[str, Any]) -> str:
    """The result as text: a section per figure (goal, ours, baselines, each row labelled
    measured, scaled or derived), and the codec table before the speed-up it gives."""
    lines: list[str] = []
    add = lines.append
    mode = "quick: small N, the goals are for the full run" if result["quick"] else "full run"
    add(f"lwip-enb bench (Python {result['python']}, {mode})")
    add(f"every figure and baseline: {result['conditions']}; garbage collector on")
    add(HOW_LEGEND)
    for key in FIGURE_ORDER[:-1]:
        _section(add, key, result[key])

    rows = result["codecs"]
    add("")
    basis = rows[0]["encode_us"]["basis"] if rows else ""
    add(f"encode and decode time per message, microseconds, all measured ({basis});")
    add("each row first checks that pycrate, our decoders and the general path agree on the bytes")
    w = max((len(r["label"]) for r in rows), default=8) + 1
    head = f"{'message':<{w}}{'B':>4} {'enc us':>9} {'pycrate':>9} {'dec us':>9} {'pycrate':>9}"
    add(head)
    add("-" * len(head))
    for r in rows:
        cells = (
            r[k]["value"]
            for k in ("encode_us", "encode_pycrate_us", "decode_us", "decode_pycrate_us")
        )
        add(f"{r['label']:<{w}}{r['octets']:>4} " + " ".join(f"{v:>9.1f}" for v in cells))
    key = FIGURE_ORDER[-1]
    _section(add, key, result[key])
    return "\n".join(lines)
