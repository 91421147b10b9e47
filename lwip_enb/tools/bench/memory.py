"""``memory_per_ue_bytes``: traced bytes per idle UE context.

The headline is the context a simulator lives with: a UE made idle by a full activation and
``deactivate`` (tunnel set up, used and released), counting what the id tables keep after ids
are freed (dicts and sets do not shrink). Beside it, the smallest context: a UE that never
activated. Both over the same number of UEs, each in its own controller.
"""

from __future__ import annotations

from lwip_enb.core.controller import EnbController
from lwip_enb.core.fsm import State
from lwip_enb.progress import Progress
from lwip_enb.sim.testing import PeerMessages, bring_up
from lwip_enb.tools.bench.enb import Fleet, Ues, controller, kenb, mac
from lwip_enb.tools.bench.quantity import Figure, measured
from lwip_enb.tools.bench.timing import Instruments, Sizes, chunks

__all__ = ["KEY", "measure"]

KEY = "memory_per_ue_bytes"


class _Slotted:
    """A minimal per-UE object: one slot."""

    __slots__ = ("state",)

    def __init__(self) -> None:
        self.state = State.IDLE


def measure(sizes: Sizes, peers: PeerMessages, inst: Instruments) -> Figure:
    """Traced bytes per idle UE context, ``sizes.memory_ues`` UEs of each kind.

    Measured (``inst.traced``: bytes still allocated after garbage collection, divided by N):

    - headline: N UEs activated (every message exchanged, as in :meth:`~.enb.Fleet.activate`)
      and then deactivated, in one controller whose code paths were used once before tracing;
    - N UEs that never activated: ``activate`` while the SeGW has no Xw association yet keeps
      the UE (idle, its KeNB security context and LWIP counter, WLAN MAC, SeGW) and answers
      ActivationFailed;
    - baselines, same N: an empty dict, and a one-slot object, each kept in a dict under the
      UE's key.

    The UEs' keys, KeNB and MAC values are the caller's, made before tracing starts.
    """
    n = sizes.memory_ues
    ues = Ues(n)
    cycled = Fleet(peers, Ues(n), inst.clock)
    # every code path used once, untraced: lazily made tables are not the UEs' bytes
    bring_up(cycled.enb, n, kenb=kenb(n), wlan_mac=mac(n), messages=peers)
    cycled.enb.deactivate(n, 0.0)
    cycled.enb.forget(n, 0.0)

    def activated_then_deactivated() -> EnbController:
        enb = cycled.enb
        with Progress("UE contexts: activate + deactivate", n) as progress:
            for chunk in chunks(n):
                cycled.activate(chunk)
                progress.advance(len(chunk))
        cycled.check_active()
        for k in cycled.ues.keys:
            enb.deactivate(k, 0.0)
        enb.next_timer()
        if any(enb.state(k) is not State.IDLE for k in cycled.ues.keys):
            raise AssertionError("memory: a deactivated UE is not idle")
        return enb

    def never_activated() -> EnbController:
        enb = controller(peers, ready=False)
        with Progress("UE contexts: never activated", n) as progress:
            for chunk in chunks(n):
                for i in chunk:
                    enb.activate(ues.keys[i], kenb=ues.kenbs[i], wlan_mac=ues.macs[i], now=0.0)
                progress.advance(len(chunk))
        if any(enb.state(k) is not State.IDLE for k in ues.keys) or len(tuple(enb.ues())) != n:
            raise AssertionError("memory: not every UE context is known and idle")
        return enb

    after_cycle = inst.traced(activated_then_deactivated) / n
    idle = inst.traced(never_activated) / n
    empty_dict = inst.traced(lambda: {k: {} for k in ues.keys}) / n
    slotted = inst.traced(lambda: {k: _Slotted() for k in ues.keys}) / n
    basis = f"tracemalloc: bytes kept after garbage collection / {n:,} UEs"
    return Figure(
        KEY,
        "memory per idle UE context (tracemalloc)",
        measured(f"ours: {n:,} UEs idle after activate + deactivate", after_cycle, "B", n, basis),
        {
            "never_activated_bytes": measured(
                f"ours: {n:,} UEs idle that never activated", idle, "B", n, basis
            ),
            "empty_dict_bytes": measured(
                "baseline: an empty dict per UE", empty_dict, "B", n, basis, baseline=True
            ),
            "one_slot_object_bytes": measured(
                "baseline: a one-slot object per UE", slotted, "B", n, basis, baseline=True
            ),
        },
    )
