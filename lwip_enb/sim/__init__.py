"""Harnesses from the reference models: :class:`Simulation` (eNB, SeGW and UEs in memory on a
virtual clock, with a trace), :class:`AsyncSimulation` (the same story on the asyncio runtimes,
in :mod:`lwip_enb.sim.harness`), in :mod:`lwip_enb.sim.runtimes` the reference SeGW's asyncio
runtime and the radio of a model harness, in :mod:`lwip_enb.sim.testing` a ready controller and
the PDUs its peers send, for tests, and in :mod:`lwip_enb.sim.pytest_plugin` the fixtures pytest
gets from the package.

Each name is loaded on first use (PEP 562): the pytest plugin imports this package for every
suite that runs where lwip-enb is installed, and must cost nothing there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Simulation": "lwip_enb.sim.simulation",
    "AsyncSimulation": "lwip_enb.sim.harness",
}

__all__ = ["AsyncSimulation", "Simulation"]


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'lwip_enb.sim' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from lwip_enb.sim.harness import AsyncSimulation
    from lwip_enb.sim.simulation import Simulation
