"""Helpers for the requirement tests: a simulation, and ways to read its trace."""

from __future__ import annotations

from typing import Any

from lwip_enb.sim.simulation import Simulation


def new_sim(**kwargs: Any) -> Simulation:
    sim = Simulation(**kwargs)
    sim.add_ue(1)
    return sim


def messages(sim: Simulation, name: str | None = None, since: int = 0) -> list[dict[str, Any]]:
    return [
        r for r in sim.trace[since:] if "message" in r and (name is None or r["message"] == name)
    ]


def events(sim: Simulation, node: str, event: str, since: int = 0) -> list[dict[str, Any]]:
    return [r for r in sim.trace[since:] if r.get("node") == node and r.get("event") == event]
