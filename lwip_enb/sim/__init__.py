"""Harnesses from the reference models: :class:`Simulation` (eNB, SeGW and UEs in memory on a
virtual clock, with a trace), in :mod:`lwip_enb.sim.runtimes` the reference SeGW's asyncio
runtime and the radio of a model harness, and in :mod:`lwip_enb.sim.testing` a ready controller
and the PDUs its peers send, for tests."""

from lwip_enb.sim.simulation import Simulation

__all__ = ["Simulation"]
