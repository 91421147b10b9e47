"""LTE-WLAN integration with IPsec tunnel (LWIP), eNB side.

The main API is importable from here; each name is loaded on first use (PEP 562), so
``import lwip_enb`` and ``import lwip_enb.keys`` stay light (the codecs load the 3GPP ASN.1 only
when asked for)::

    from lwip_enb import EnbController, LwipSecurityContext, Simulation, rrc, xwap

The packages, by role (imports go down this list only):

- :mod:`lwip_enb.errors`, :mod:`lwip_enb.keys`, :mod:`lwip_enb.progress`: foundations
- :mod:`lwip_enb.asn1`: loading and compiling the 3GPP modules
- :mod:`lwip_enb.codec`: typed RRC (UPER) and XwAP (APER) messages and their codecs
- :mod:`lwip_enb.core`: the per-UE state machine and the sans-IO eNB controller
- :mod:`lwip_enb.peers`: the reference LWIP-SeGW and UE, and the modelled IKE step
- :mod:`lwip_enb.io`: transports (in-memory, SCTP, yours) and the asyncio eNB runtime
- :mod:`lwip_enb.sim`: the in-memory simulation and the reference peers' runtimes
- :mod:`lwip_enb.real`: strongSwan in network namespaces and the simulation over real IKEv2
- :mod:`lwip_enb.tools`: the command line, the demo, the benchmark, the state diagram
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it (a module name itself for ``rrc`` and ``xwap``)
_EXPORTS: dict[str, str] = {
    # keys and errors
    "IdiAllocator": "lwip_enb.keys",
    "KeyMaterial": "lwip_enb.keys",
    "LwipSecurityContext": "lwip_enb.keys",
    "derive_lwip_psk": "lwip_enb.keys",
    "LwipError": "lwip_enb.errors",
    "InvalidFieldError": "lwip_enb.errors",
    "DecodeError": "lwip_enb.errors",
    "EncodeError": "lwip_enb.errors",
    # codecs
    "rrc": "lwip_enb.codec.rrc",
    "xwap": "lwip_enb.codec.xwap",
    "WlanIdentifiers": "lwip_enb.codec.fields",
    # core
    "EnbConfig": "lwip_enb.core.controller",
    "EnbController": "lwip_enb.core.controller",
    "HandoverKind": "lwip_enb.core.controller",
    "State": "lwip_enb.core.fsm",
    # I/O
    "EnbRuntime": "lwip_enb.io.runtime",
    "MemoryNetwork": "lwip_enb.io.memory",
    "SctpConnector": "lwip_enb.io.sctp",
    "SctpListener": "lwip_enb.io.sctp",
    # reference peers and harnesses
    "SegwConfig": "lwip_enb.peers.segw",
    "SegwModel": "lwip_enb.peers.segw",
    "UeModel": "lwip_enb.peers.ue",
    "Simulation": "lwip_enb.sim.simulation",
    "AsyncSimulation": "lwip_enb.sim.harness",
    "ModelAir": "lwip_enb.sim.runtimes",
    "SegwRuntime": "lwip_enb.sim.runtimes",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'lwip_enb' has no attribute {name!r}") from None
    loaded = importlib.import_module(module)
    value = loaded if module.rsplit(".", 1)[-1] == name else getattr(loaded, name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, eagerly
    from lwip_enb.codec import rrc, xwap
    from lwip_enb.codec.fields import WlanIdentifiers
    from lwip_enb.core.controller import EnbConfig, EnbController, HandoverKind
    from lwip_enb.core.fsm import State
    from lwip_enb.errors import DecodeError, EncodeError, InvalidFieldError, LwipError
    from lwip_enb.io.memory import MemoryNetwork
    from lwip_enb.io.runtime import EnbRuntime
    from lwip_enb.io.sctp import SctpConnector, SctpListener
    from lwip_enb.keys import IdiAllocator, KeyMaterial, LwipSecurityContext, derive_lwip_psk
    from lwip_enb.peers.segw import SegwConfig, SegwModel
    from lwip_enb.peers.ue import UeModel
    from lwip_enb.sim.harness import AsyncSimulation
    from lwip_enb.sim.runtimes import ModelAir, SegwRuntime
    from lwip_enb.sim.simulation import Simulation
