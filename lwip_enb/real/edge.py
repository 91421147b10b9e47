"""The strongSwan edge under the reference models: a topology, the SeGW's and the UE's charon,
and their backends, driven by what the models output.

:class:`StrongswanEdge` is what :class:`~lwip_enb.real.simulation.RealSimulation` (one eNB) and
:class:`~lwip_enb.real.two_enbs.RealTwoEnbs` (two eNBs) share: the SeGW model's PSKs are loaded
into the SeGW's charon for exactly as long as the model keeps them, each with the LWIP interface
of the eNB that asked for it as the only traffic selector (R3, R4, R5, R7); the UE's charon runs
IKE with the PSK the UE model derives (R1, R2) and drops it when the model does (R5); traffic
checks are real pings from the UE's namespace (R6, R7).
"""

from __future__ import annotations

import contextlib
from types import TracebackType

from lwip_enb.keys import Idi
from lwip_enb.peers import segw_outputs as segw_out
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.segw import SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.real.backends import SegwBackend, UeBackend
from lwip_enb.real.daemon import Charon
from lwip_enb.real.topology import Topology

__all__ = ["StrongswanEdge"]


class StrongswanEdge:
    """``topology`` set up, a charon in its SeGW and UE namespaces, a backend on each; all of it
    closed by :meth:`close` (also after a failed start, and on SIGTERM/SIGINT or at exit through
    :mod:`lwip_enb.real.cleanup`)."""

    def __init__(self, topology: Topology) -> None:
        self._stack = contextlib.ExitStack()
        try:
            self.topology = self._stack.enter_context(topology)
            t = topology
            self.segw_charon = self._stack.enter_context(Charon(t.namespace("segw")))
            self.ue_charon = self._stack.enter_context(Charon(t.namespace("ue")))
            self.segw_backend = self._stack.enter_context(
                SegwBackend(self.segw_charon, wlan_address=t.segw_wlan)
            )
            self.ue_backend = self._stack.enter_context(
                UeBackend(self.ue_charon, wlan_address=t.ue_wlan, segw_address=t.segw_wlan)
            )
        except BaseException:
            self._stack.close()
            raise

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> StrongswanEdge:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---- the models' outputs into the daemons ------------------------------------------------

    def segw_output(self, segw: SegwModel, o: segw_out.Output) -> None:
        """A SeGW model output: a PSK stored for the IKE window goes into charon, with the
        initiating eNB's LWIP address as the only local traffic selector (R3, R7); a PSK
        deleted goes out of it, SA terminated (R4, R5)."""
        if isinstance(o, segw_out.PskStored) and o.phase is segw_out.PskPhase.WINDOW:
            psk = segw.psk(o.idi)
            interface = segw.enb_interface(o.idi)
            if psk is not None and interface is not None:
                self.segw_backend.add(Idi(o.idi), psk, str(interface.address))
        elif isinstance(o, segw_out.PskDeleted):
            self.segw_backend.remove(Idi(o.idi))

    def ue_output(self, o: ue_out.Output) -> None:
        """A UE model output: a PSK deleted takes the SA down and unloads the PSK (R5, R9,
        R10)."""
        if isinstance(o, ue_out.PskDeleted) and self.ue_backend.idi is not None:
            self.ue_backend.disconnect()

    def run_ike(self, ue: UeModel) -> tuple[bytes, str | None] | None:
        """IKE by the daemons for the tunnel ``ue`` is configured for, with the PSK it derives
        (R1, R2): ``(idi, None)`` once the SeGW reports the CHILD_SA up, ``(idi, reason)`` when
        IKE failed, None when the UE has no tunnel to set up."""
        if ue.tunnel is None:
            return None
        idi = Idi(ue.tunnel.idi)
        psk = ue.psk_for_ike()
        if psk is None:
            return None
        mark = self.segw_backend.event_mark()
        with psk:
            ok = self.ue_backend.connect(str(ue.tunnel.segw_address), idi, psk)
        if not ok:
            return idi.octets, self.ue_backend.last_failure or "IKE failed"
        if self.segw_backend.wait_event("up", idi, layer="child", after=mark) is None:
            return idi.octets, "no CHILD_SA reported by the SeGW"
        return idi.octets, None

    def ping(self, dst: str, *, source: str | None = None) -> bool:
        """A real ping from the UE's namespace (R6, R7)."""
        return self.topology.ping("ue", dst, count=1, timeout_s=1.0, source=source)
