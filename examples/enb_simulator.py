"""An eNB simulator on the asyncio API: many UEs activated, a handover wave, radio link failures,
WLAN lost and back, UEs that leave, and a stop that releases everyone; then an account of every
event, checked.

``AsyncSimulation`` (lwip_enb.sim.harness) wires an ``EnbRuntime`` to the reference SeGW's
runtime and to reference UEs over the in-memory transport, and gives the story's verbs:
``activate``, ``handover`` (the UE gets the handover command and drops its PSK, TS 36.331
5.3.5.4), ``ue_radio_link_failure``, ``wlan_lost`` / ``wlan_available``, ``forget``, and waits
(``wait_for_state``, ``wait_for_event``) that need no polling. For a real LWIP-SeGW, build the
``EnbRuntime`` yourself with ``SctpConnector(["192.0.2.10"])`` (docs/transports.md).

The script ends by checking its account: no PSK where the docs say none may be (the eNB's copy
is wiped once in the LWIP ADDITION REQUEST; after a handover, an RLF, a WLAN loss or a UE's
departure neither SeGW nor UE holds the old one; after stop none is left anywhere), and every
PSK the SeGW stored was deleted. It exits with status 1 if anything is missing.

Run: python examples/enb_simulator.py [UEs]     (default 20)
"""

from __future__ import annotations

import asyncio
import sys

from lwip_enb.core import outputs as enb_out
from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.sim.harness import AsyncSimulation

WAIT = 60.0  # a guard for each wait: the whole story takes far less


class Account:
    """The checks of the story: each one printed, the failed ones counted."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def check(self, what: str, ok: bool, detail: str = "") -> None:
        print(f"  [{'ok' if ok else 'MISSING'}] {what}{f': {detail}' if detail else ''}")
        if not ok:
            self.failed.append(what)


async def wait_all(sim: AsyncSimulation, ues: range | list[int], state: State) -> None:
    await asyncio.gather(*(sim.wait_for_state(u, state, timeout=WAIT) for u in ues))


async def main(n: int) -> int:
    account = Account()
    ues = list(range(1, n + 1))
    movers = ues[: n // 2]  # the handover wave
    rlf = ues[n // 2 : n // 2 + max(1, n // 10)]  # radio link failure seen by the UE
    wlan = ues[n // 2 + len(rlf) : n // 2 + len(rlf) + max(1, n // 10)]  # WLAN lost and back
    leaving = rlf[: max(1, len(rlf) // 2)]  # leave the cell after their RLF

    async with AsyncSimulation(timeout=WAIT) as sim:
        for u in ues:
            sim.add_ue(u)
        for u in ues:
            await sim.activate(u)
        await wait_all(sim, ues, State.ACTIVE)
        print(f"{n} UEs on WLAN; the SeGW holds {sim.segw.psk_count()} PSKs")

        # A handover wave: the eNB releases at the SeGW, the UE executes the handover command.
        for u in movers:
            await sim.handover(u, HandoverKind.X2)
        for u in movers:
            await sim.wait_for_event(segw_out.PskDeleted, u, timeout=WAIT)
            await sim.wait_for_state(u, State.IDLE, timeout=WAIT)
        kept = [u for u in movers if sim.psk_holders(u)]
        print(f"handover of {len(movers)} UEs")
        account.check("after handover no PSK at SeGW or UE (R9)", not kept, f"{len(kept)} kept")
        for u in movers:  # set up again under the KeNB of the new cell
            await sim.activate(u)
        await wait_all(sim, movers, State.ACTIVE)

        # Radio link failure seen by the UE: it drops LWIP, the eNB releases at the SeGW (R10).
        for u in rlf:
            await sim.ue_radio_link_failure(u)
        for u in rlf:
            await sim.wait_for_event(segw_out.PskDeleted, u, timeout=WAIT)
        kept = [u for u in rlf if sim.psk_holders(u)]
        print(f"radio link failure of {len(rlf)} UEs")
        account.check("after RLF no PSK at SeGW or UE (R10)", not kept, f"{len(kept)} kept")

        # WLAN lost, then back: a fresh tunnel under a new counter (R11).
        for u in wlan:
            await sim.wlan_lost(u)
        await wait_all(sim, wlan, State.WLAN_LOST)
        for u in wlan:
            await sim.wait_for_event(segw_out.PskDeleted, u, timeout=WAIT)
        kept = [u for u in wlan if sim.psk_holders(u)]
        print(f"WLAN lost for {len(wlan)} UEs")
        account.check("after WLAN loss no PSK at SeGW or UE (R11)", not kept, f"{len(kept)} kept")
        for u in wlan:
            await sim.wlan_available(u)
        await wait_all(sim, wlan, State.ACTIVE)

        # Some UEs leave the cell: their context and keys go.
        for u in leaving:
            await sim.forget(u)
        account.check("UEs that left are forgotten", not set(leaving) & set(sim.enb.ues()))
        print(f"{len(leaving)} UEs left; stopping")

    # stop() released every UE at both ends.
    print("events:")
    for name, count in sorted(sim.account().items()):
        print(f"  {name:28} {count}")
    holders = sim.psk_counts()
    print(f"PSKs held: SeGW {holders['segw']}, UEs {holders['ue']} (the eNB keeps none, R5)")
    activations = n + len(movers) + len(wlan)
    counts = sim.account()
    account.check("every UE idle", all(sim.enb.state(u) is State.IDLE for u in ues))
    account.check("no PSK left anywhere", holders == {"segw": 0, "ue": 0}, str(holders))
    account.check(
        "each activation came up at eNB, SeGW and UE",
        counts["enb TunnelUp"] == counts["segw TunnelUp"] == counts["ue TunnelUp"] == activations,
        f"{counts['enb TunnelUp']}/{counts['segw TunnelUp']}/{counts['ue TunnelUp']} "
        f"of {activations}",
    )
    stored = len(
        sim.events(segw_out.PskStored, where=lambda e: e.phase is segw_out.PskPhase.WINDOW)
    )
    account.check(
        "each PSK the eNB wiped reached the SeGW",
        counts["enb PskDeleted"] == stored == activations,
        f"{counts['enb PskDeleted']} wiped, {stored} stored",
    )
    account.check(
        "the SeGW deleted each PSK it stored",
        counts["segw PskDeleted"] == stored,
        f"{counts['segw PskDeleted']} of {stored}",
    )
    account.check(
        "each UE deleted each PSK it stored",
        counts["ue PskDeleted"] == counts["ue PskStored"],
        f"{counts['ue PskDeleted']} of {counts['ue PskStored']}",
    )
    account.check(
        "each tunnel released at eNB, SeGW and UE",
        counts["enb TunnelReleased"]
        == counts["segw TunnelReleased"]
        == counts["ue TunnelReleased"]
        == activations,
        f"{counts['enb TunnelReleased']}/{counts['segw TunnelReleased']}/"
        f"{counts['ue TunnelReleased']} of {activations}",
    )
    unexpected = sim.events((enb_out.InputRejected, enb_out.ActivationFailed, ue_out.IkeFailed))
    account.check("no rejected input, failed activation or IKE", not unexpected, str(unexpected))
    if account.failed:
        print(f"FAILED: {len(account.failed)} check(s): {'; '.join(account.failed)}")
        return 1
    print("every event accounted for")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)))
