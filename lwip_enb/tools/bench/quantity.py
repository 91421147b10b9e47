"""Every number the bench prints, with how it was obtained.

A :class:`Quantity` is one figure, part of a figure, or baseline: its value, its unit, and one of
three labels, shown in the table and in ``--json`` (field ``how``):

- ``measured``: timed or traced directly. ``n`` is the work measured: UEs, calls or runs.
- ``scaled``: a per-call time measured, multiplied by ``n`` (``per_call_us`` x ``n``); nothing
  ran ``n`` times.
- ``derived``: arithmetic on other quantities of the same run; ``sources`` names them (as
  ``figure.parts.name`` / ``figure.baselines.name`` / ``figure``) and ``basis`` gives the formula.

A :class:`Figure` is one of the five headline figures: its headline quantity and the other rows
of its section, each a part of ours or a baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

__all__ = ["HOWS", "UNITS", "Figure", "How", "Quantity", "derived", "measured", "scaled"]

How = Literal["measured", "scaled", "derived"]
HOWS: Final = ("measured", "scaled", "derived")

#: The units a quantity may have: per second, seconds, microseconds, bytes, a ratio.
UNITS: Final = ("/s", "s", "us", "B", "x")


@dataclass(frozen=True)
class Quantity:
    """One number of the bench and how it was obtained (see the module text)."""

    label: str  # what the table prints beside it
    value: float
    unit: str
    how: How
    basis: str  # one line: what was timed, traced or computed
    n: int | None = None  # measured: work measured; scaled: the multiplier; derived: None
    per_call_us: float | None = None  # scaled: the measured per-call time that was multiplied
    sources: tuple[str, ...] = ()  # derived: the quantities it is computed from
    baseline: bool = False  # a baseline (else ours)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "unit": self.unit,
            "how": self.how,
            "basis": self.basis,
            "label": self.label,
        }
        if self.n is not None:
            out["n"] = self.n
        if self.per_call_us is not None:
            out["per_call_us"] = self.per_call_us
        if self.sources:
            out["sources"] = list(self.sources)
        return out


def measured(
    label: str, value: float, unit: str, n: int, basis: str, *, baseline: bool = False
) -> Quantity:
    """A quantity timed or traced directly over ``n`` UEs, calls or runs."""
    return Quantity(label, value, unit, "measured", basis, n=n, baseline=baseline)


def scaled(
    label: str, per_call_us: float, n: int, basis: str, *, baseline: bool = False
) -> Quantity:
    """Seconds for ``n`` calls, computed as the measured ``per_call_us`` x ``n``."""
    return Quantity(
        label,
        per_call_us * n / 1e6,
        "s",
        "scaled",
        f"{basis}: {per_call_us:,.1f} us per call x {n:,}",
        n=n,
        per_call_us=per_call_us,
        baseline=baseline,
    )


def derived(
    label: str,
    value: float,
    unit: str,
    sources: tuple[str, ...],
    basis: str,
    *,
    baseline: bool = False,
) -> Quantity:
    """A quantity computed from ``sources`` by the formula ``basis``."""
    return Quantity(label, value, unit, "derived", basis, sources=sources, baseline=baseline)


@dataclass(frozen=True)
class Figure:
    """One headline figure: ``key`` (its name in ``--json``), its section title, the headline,
    and the other rows of its section in the order printed (parts of ours and baselines)."""

    key: str
    title: str
    headline: Quantity
    rows: dict[str, Quantity] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # lines printed under the section
    extra: dict[str, Any] = field(default_factory=dict)  # more JSON under the figure's key

    def as_json(self) -> dict[str, Any]:
        out = self.headline.as_json()
        out["title"] = self.title
        out["parts"] = {k: q.as_json() for k, q in self.rows.items() if not q.baseline}
        out["baselines"] = {k: q.as_json() for k, q in self.rows.items() if q.baseline}
        out["order"] = list(self.rows)  # the order of the table's rows
        out["notes"] = list(self.notes)
        out.update(self.extra)
        return out
