"""The eNB side the figures drive: one controller, one SeGW, and UEs taken through activation and
an X2 handover chunk by chunk, each chunk timed.

The SeGW's and the UE's answers are :class:`~lwip_enb.sim.testing.PeerMessages`: PDUs encoded
once by the library's codecs, the ACKNOWLEDGE with the UE's ids written into a template, so the
time of the peers is not counted as the eNB's.
"""

from __future__ import annotations

from collections.abc import Callable

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.core.controller import EnbConfig, EnbController, HandoverKind
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import SendRrc, SendXwap, TunnelReleased
from lwip_enb.sim.testing import SEGW, SEGW_ADDRESS, PeerMessages, ready_controller

__all__ = ["SEGW", "Fleet", "Ues", "controller", "kenb", "mac"]


def kenb(i: int) -> bytes:
    """UE ``i``'s KeNB: 32 octets, distinct per UE."""
    return (i + 1).to_bytes(32, "big")


def mac(i: int) -> bytes:
    """UE ``i``'s WLAN MAC address (locally administered)."""
    return b"\x02" + i.to_bytes(5, "big")


def controller(
    peers: PeerMessages, *, ready: bool = True, fast_codecs: bool = True
) -> EnbController:
    """A controller with the one SeGW: its Xw Setup done (``ready``) or not yet started."""
    config = EnbConfig(fast_codecs=fast_codecs)
    if ready:
        return ready_controller(config, segw=SEGW, address=SEGW_ADDRESS, messages=peers)
    enb = EnbController(config)
    enb.add_segw(SEGW, SEGW_ADDRESS)
    return enb


class Ues:
    """The caller's values for UEs ``first..first+n-1``: keys, KeNBs and WLAN MACs (made before
    any timing or tracing starts)."""

    def __init__(self, n: int, first: int = 0) -> None:
        self.keys = list(range(first, first + n))
        self.kenbs = [kenb(i) for i in self.keys]
        self.macs = [mac(i) for i in self.keys]


class Fleet:
    """One controller and its UEs, activated and then handed over chunk by chunk.

    :meth:`activate` and :meth:`hand_over` return the seconds of one chunk on ``clock``, so that
    two fleets (our codecs and the general path) can run interleaved, chunk for chunk, under the
    same conditions. :meth:`check_active` and :meth:`check_released` check, after the clock
    stopped, that every UE got where the figure says.
    """

    def __init__(
        self,
        peers: PeerMessages,
        ues: Ues,
        clock: Callable[[], float],
        *,
        fast_codecs: bool = True,
    ) -> None:
        self.enb = controller(peers, fast_codecs=fast_codecs)
        self.peers = peers
        self.ues = ues
        self.clock = clock
        self.ids: list[int] = [0] * len(ues.keys)  # eNB UE XwAP id of each UE
        self._sent: list[SendXwap] = []
        self._released = 0

    def activate(self, chunk: range) -> float:
        """Seconds to take the UEs of ``chunk`` (indices) from idle to active.

        Timed per UE: ``activate`` (LWIP counter, PSK derivation, IDi, LWIP ADDITION REQUEST
        encoded, guard armed), the ACKNOWLEDGE received (decoded; RRC reconfiguration encoded),
        RRCConnectionReconfigurationComplete and WLANConnectionStatusReport
        (successfulAssociation) received (decoded), ``tunnel_established`` (the SeGW's IKEv2
        accepted), and one ``next_timer`` call, as an event loop
        makes after its inputs. Also in the loop, as the peers' share: finding the two messages
        in the outputs and writing the ids into the ACKNOWLEDGE template.
        """
        keys, kenbs, macs, ids = self.ues.keys, self.ues.kenbs, self.ues.macs, self.ids
        ack = self.peers.addition_ack
        complete, report = self.peers.complete, self.peers.wlan_success
        ul = RrcChannel.UL_DCCH
        enb = self.enb
        activate, receive_xwap, receive_rrc = enb.activate, enb.receive_xwap, enb.receive_rrc
        tunnel_established = enb.tunnel_established
        next_timer = enb.next_timer
        start = self.clock()
        for i in chunk:
            key = keys[i]
            request = None
            for o in activate(key, kenb=kenbs[i], wlan_mac=macs[i], now=0.0):
                if type(o) is SendXwap:
                    request = o.message
            assert isinstance(request, xwap.LwipAdditionRequest), request
            ids[i] = request.enb_ue_id
            reconfiguration = None
            for o in receive_xwap(SEGW, ack(request.enb_ue_id, key & 0xFFFFFF), 0.0):
                if type(o) is SendRrc:
                    reconfiguration = o.message
            assert isinstance(reconfiguration, rrc.RrcConnectionReconfiguration), reconfiguration
            receive_rrc(key, ul, complete[reconfiguration.transaction_id], 0.0)
            receive_rrc(key, ul, report, 0.0)
            tunnel_established(key, 0.0)
            next_timer()
        return self.clock() - start

    def check_active(self) -> None:
        """Every UE is active and no guard timer is left."""
        enb, keys = self.enb, self.ues.keys
        not_active = [k for k in keys if enb.state(k) is not State.ACTIVE]
        if not_active:
            raise AssertionError(
                f"{len(not_active)} of {len(keys)} UEs did not reach {State.ACTIVE.value}, e.g. "
                f"UE {not_active[0]} is {enb.state(not_active[0]).value}"
            )
        if enb.next_timer() is not None:
            raise AssertionError("a guard timer is still armed after every activation completed")

    def hand_over(self, chunk: range) -> float:
        """Seconds to hand over the (active) UEs of ``chunk`` to another eNB.

        Timed per UE: ``handover`` (X2: the LWIP tunnel released, LWIP RELEASE REQUEST encoded
        for the SeGW, guard and ids freed, KeNB wiped; the UE releases LWIP itself on the
        handover command, 36.331 5.3.5.4, so no RRC message of the eNB's), and keeping the
        encoded PDUs in a list as a sender would.
        """
        handover, x2, keys = self.enb.handover, HandoverKind.X2, self.ues.keys
        sent = self._sent
        released = 0
        start = self.clock()
        for i in chunk:
            for o in handover(keys[i], x2, 0.0):
                if type(o) is SendXwap:
                    sent.append(o)
                elif type(o) is TunnelReleased:
                    released += 1
        elapsed = self.clock() - start
        self._released += released
        return elapsed

    def check_released(self) -> None:
        """One LWIP RELEASE REQUEST per UE with its own ids, a sample of the PDUs decodes to its
        message, every UE idle; then (the target eNB releasing the UE context later) every UE is
        forgotten and no context or timer may be left."""
        enb, keys, sent = self.enb, self.ues.keys, self._sent
        n = len(keys)
        if len(sent) != n or self._released != n:
            raise AssertionError(
                f"storm: {len(sent)} release PDUs and {self._released} releases for {n}"
            )
        if any(enb.state(k) is not State.IDLE for k in keys):
            raise AssertionError("storm: a UE is not idle after its handover")
        requests = [s.message for s in sent if isinstance(s.message, xwap.LwipReleaseRequest)]
        if len(requests) != n:
            raise AssertionError("storm: a message other than LWIP RELEASE REQUEST was sent")
        if sorted(r.enb_ue_id for r in requests) != sorted(self.ids):
            raise AssertionError("storm: the release requests do not name the UEs' XwAP ids")
        for s in sent[:: max(1, n // 500)]:
            if xwap.decode(s.pdu) != s.message:
                raise AssertionError("storm: a release PDU does not decode to its message")
        for k in keys:
            if enb.forget(k, 0.0):
                raise AssertionError(f"storm: forgetting UE {k} after its handover did something")
        if tuple(enb.ues()) or enb.next_timer() is not None:
            raise AssertionError("storm: UE contexts or timers left after every UE was forgotten")
