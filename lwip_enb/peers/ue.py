"""Reference UE, sans-IO: the LWIP behaviour of TS 36.331 V17.4.0, for harnesses.

Written from the 36.331 text, clause by clause, to catch the eNB's mistakes, not to mirror it:

- 5.6.17.2 LWIP reconfiguration: the WLAN mobility set (wlan-ToReleaseList, wlan-ToAddList),
  T351 from associationTimer, successReportRequested; tunnelConfigLWIP used exactly as received
  (SeGW address and IDi, TS 33.401 R2); the LWIP-PSK derived from KeNB and the received
  lwip-Counter (R1); then WLAN status monitoring (5.6.15.4).
- 5.6.15.4 WLAN status monitoring: successfulAssociation only when a WLAN *inside the mobility
  set* is available to the UE (:attr:`UeModel.available_wlans`), reported only if
  successReportRequested; association is not the tunnel: IKE (:meth:`UeModel.ike_request`) runs
  after it. 5.6.15.1: "inside" means matching all identifiers of at least one set entry.
- 5.6.15.3 T351 expiry: failureTimeout reported, monitoring stopped (:meth:`UeModel.handle_timer`).
- 5.6.15.4 suspended / resumed: only with wlan-SuspendConfig (wlan-SuspendResumeAllowed); the
  codec does not carry it yet, so this UE never reports suspended or resumed.
- 5.6.17.3 LWIP release; 5.3.5.4 a handover command (mobilityControlInfo) releases LWIP at the UE
  (R9); 5.3.7.2 re-establishment releases it (R10); 5.3.12 leaving RRC_CONNECTED releases it.

Where the text leaves a choice the UE takes the strictest reading: no associationTimer means no
T351 (it never reports a timeout, and never a success for a WLAN outside the set); a set-up whose
mobility set is empty is applied but never succeeds. The outputs are in
:mod:`lwip_enb.peers.ue_outputs`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from lwip_enb.codec import rrc
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.errors import DecodeError
from lwip_enb.keys import KeyMaterial, derive_lwip_psk
from lwip_enb.peers.ike import IkeAuthRequest, IkeAuthResponse, ModelIke
from lwip_enb.peers.ue_outputs import (
    IkeFailed,
    IkeFailure,
    IkeStart,
    InputRejected,
    Output,
    PskDeleted,
    PskStored,
    Rejection,
    ReleaseReason,
    ReleaseTrigger,
    SendRrc,
    TunnelReleased,
    TunnelUp,
)

__all__ = ["DEFAULT_AVAILABLE_WLANS", "UeModel", "UeState"]

#: The WLANs a UE sees when the harness says nothing: the one the SeGW models offer by default.
DEFAULT_AVAILABLE_WLANS: tuple[WlanIdentifiers, ...] = (WlanIdentifiers(ssid=b"lwip"),)


class UeState(enum.Enum):
    """Where LWIP stands at the UE."""

    NO_LWIP = "no-lwip"
    CONFIGURED = "configured"  # tunnel configuration received; associating with WLAN (T351)
    ASSOCIATED = "associated"  # associated with a WLAN inside the mobility set; IKE to run
    TUNNEL_UP = "tunnel-up"


_HANDOVER_COMMAND = ReleaseReason(ReleaseTrigger.HANDOVER_COMMAND)
_LWIP_RELEASE = ReleaseReason(ReleaseTrigger.LWIP_RELEASE)
_RECONFIGURED = ReleaseReason(ReleaseTrigger.RECONFIGURED)
_WLAN_LOST = ReleaseReason(ReleaseTrigger.WLAN_LOST)
_RADIO_LINK_FAILURE = ReleaseReason(ReleaseTrigger.RADIO_LINK_FAILURE)
_RRC_RELEASED = ReleaseReason(ReleaseTrigger.RRC_CONNECTION_RELEASED)
_T351_EXPIRED = ReleaseReason(ReleaseTrigger.T351_EXPIRED)


def _matches(wlan: WlanIdentifiers, entry: WlanIdentifiers) -> bool:
    """5.6.15.1: ``wlan`` matches all identifiers of set entry ``entry``."""
    given = [(mine, theirs) for mine, theirs in (
        (wlan.ssid, entry.ssid), (wlan.bssid, entry.bssid), (wlan.hessid, entry.hessid)
    ) if theirs is not None]  # fmt: skip
    return bool(given) and all(mine == theirs for mine, theirs in given)


class UeModel:
    """One UE with a KeNB and a WLAN interface."""

    def __init__(
        self,
        kenb: KeyMaterial | bytes,
        wlan_mac: bytes = b"\x02\x00\x00\x00\x00\x01",
        *,
        c_rnti: int = 0x1234,
        pci: int = 1,
        ike: ModelIke | None = None,
        available_wlans: Iterable[WlanIdentifiers] | None = None,
    ) -> None:
        self._kenb = KeyMaterial(kenb.view() if isinstance(kenb, KeyMaterial) else kenb)
        self.wlan_mac = wlan_mac
        self.c_rnti, self.pci = c_rnti, pci
        #: the WLANs this UE can associate with (the harness changes it freely)
        self.available_wlans: tuple[WlanIdentifiers, ...] = tuple(
            DEFAULT_AVAILABLE_WLANS if available_wlans is None else available_wlans
        )
        self.state = UeState.NO_LWIP
        self.tunnel: rrc.TunnelConfig | None = None
        # VarWLAN-MobilityConfig and VarWLAN-Status (5.6.15.1)
        self.mobility_set: tuple[WlanIdentifiers, ...] = ()
        self._success_report = False
        self.wlan_status: WlanStatus | None = None
        self.t351_deadline: float | None = None
        self._monitoring = False
        self._psk: KeyMaterial | None = None
        self._ike = ike or ModelIke()
        self._pending: IkeAuthRequest | None = None

    @property
    def holds_psk(self) -> bool:
        return self._psk is not None

    def new_kenb(self, kenb: KeyMaterial | bytes) -> None:
        """A new KeNB (after handover or re-establishment)."""
        self._kenb.wipe()
        self._kenb = KeyMaterial(kenb.view() if isinstance(kenb, KeyMaterial) else kenb)

    # ---- RRC -----------------------------------------------------------------------------

    def receive_rrc(self, data: bytes, now: float) -> list[Output]:
        try:
            msg = rrc.decode(RrcChannel.DL_DCCH, data)
        except DecodeError as exc:
            return [InputRejected(Rejection.UNDECODABLE, f"undecodable DL-DCCH: {exc}", exc)]
        if not isinstance(msg, rrc.RrcConnectionReconfiguration):
            return []
        out: list[Output] = []
        after: list[Output] = []
        if msg.handover is not None:
            # 5.3.5.4: a reconfiguration with mobilityControlInfo releases LWIP (R9)
            out += self._release(_HANDOVER_COMMAND)
        if isinstance(msg.lwip, rrc.LwipRelease):
            out += self._release(_LWIP_RELEASE)  # 5.6.17.3
        elif isinstance(msg.lwip, rrc.LwipSetup):
            after = self._lwip_reconfiguration(msg.lwip, now, out)
        # 5.3.5.3: the completion goes first; reports of the monitoring started follow it
        out.append(self._send(rrc.RrcConnectionReconfigurationComplete(msg.transaction_id)))
        return out + after

    def _lwip_reconfiguration(
        self, setup: rrc.LwipSetup, now: float, out: list[Output]
    ) -> list[Output]:
        """5.6.17.2. Returns what follows the completion (the monitoring's reports)."""
        mobility, tunnel = setup.mobility, setup.tunnel
        counter_update = tunnel is not None and tunnel.counter is not None
        if counter_update:
            out += self._release(_RECONFIGURED)  # the old tunnel and its PSK go
        set_change = False
        if mobility is not None:
            kept = [w for w in self.mobility_set if w not in mobility.to_release]
            added = [w for w in mobility.to_add if w not in kept]
            set_change = kept != list(self.mobility_set) or bool(added)
            self.mobility_set = (*kept, *added)
            if mobility.association_timer_s is not None:
                self.t351_deadline = now + mobility.association_timer_s  # start T351
            # strictest reading: successReportRequested absent (Need OR) means not requested
            self._success_report = mobility.success_report_requested
        if tunnel is not None and tunnel.counter is not None:
            # R2: the SeGW address and IDi exactly as received; R1: the PSK from the counter
            self.tunnel = tunnel
            self.state = UeState.CONFIGURED
        if self.state is UeState.NO_LWIP:
            return []
        self._monitoring = True
        if counter_update or set_change:
            self.wlan_status = None  # a new association is due (5.6.15.4 "after ... update")
        return self._monitor(now)

    def _inside_set(self) -> bool:
        return any(_matches(w, e) for w in self.available_wlans for e in self.mobility_set)

    def _monitor(self, now: float) -> list[Output]:
        """5.6.15.4 WLAN status monitoring, for the WLANs available now."""
        if not self._monitoring or self.wlan_status is WlanStatus.SUCCESSFUL_ASSOCIATION:
            return []
        if not self._inside_set():
            return []  # still trying; T351 (if running) ends the attempts
        self.wlan_status = WlanStatus.SUCCESSFUL_ASSOCIATION
        self.t351_deadline = None  # stop T351
        out: list[Output] = []
        if self.state is UeState.CONFIGURED and self.tunnel is not None:
            self.state = UeState.ASSOCIATED
            out.append(IkeStart(self.tunnel.segw_address, self.tunnel.idi))
        if self._success_report:
            out.append(self._report(WlanStatus.SUCCESSFUL_ASSOCIATION))
        return out

    def wlans_changed(self, available: Iterable[WlanIdentifiers], now: float) -> list[Output]:
        """The harness changes which WLANs the UE sees; a WLAN inside the set may now associate."""
        self.available_wlans = tuple(available)
        return self._monitor(now)

    def _report(self, status: WlanStatus) -> SendRrc:
        self.wlan_status = status
        return self._send(rrc.WlanConnectionStatusReport(status))  # 5.6.15.2.3

    def _send(self, msg: rrc.RrcMessage) -> SendRrc:
        channel = msg.channel if isinstance(msg, rrc.OtherRrcMessage) else msg.CHANNEL
        return SendRrc(channel, msg, rrc.encode(msg))

    def _release(self, reason: ReleaseReason) -> list[Output]:
        """5.6.17.3: VarWLAN-MobilityConfig and VarWLAN-Status deleted, T351 stopped, the tunnel
        and the PSK gone, monitoring stopped."""
        out: list[Output] = []
        idi = self.tunnel.idi if self.tunnel is not None else b""
        if self.state is UeState.TUNNEL_UP:
            out.append(TunnelReleased(idi, reason))
        if self._psk is not None:
            self._psk.wipe()
            self._psk = None
            out.append(PskDeleted(idi, reason))
        self._pending = None
        self.tunnel = None
        self.state = UeState.NO_LWIP
        if reason is not _RECONFIGURED:
            self.mobility_set, self._success_report = (), False
            self.wlan_status = self.t351_deadline = None
            self._monitoring = False
        return out

    # ---- timers --------------------------------------------------------------------------

    def next_timer(self) -> float | None:
        """When :meth:`handle_timer` must next be called (T351), or None."""
        return self.t351_deadline

    def handle_timer(self, now: float) -> list[Output]:
        """5.6.15.3: on T351 expiry, failureTimeout is reported and the attempts stop."""
        if self.t351_deadline is None or now < self.t351_deadline:
            return []
        self.t351_deadline = None
        self._monitoring = False
        out: list[Output] = [self._report(WlanStatus.FAILURE_TIMEOUT)]
        if self.state is not UeState.NO_LWIP and self.state is not UeState.TUNNEL_UP:
            # no WLAN, so no tunnel: the tunnel configuration can never be used
            idi = self.tunnel.idi if self.tunnel is not None else b""
            self._pending = None
            self.state = UeState.NO_LWIP
            self.tunnel = None
            out.insert(0, TunnelReleased(idi, _T351_EXPIRED))
        return out

    # ---- IKE -----------------------------------------------------------------------------

    def ike_request(self, nonce_r: bytes) -> IkeAuthRequest | None:
        """After IKE_SA_INIT: the IKE_AUTH request, proving the PSK derived from KeNB (R1). Only
        over an associated WLAN."""
        if self.state is not UeState.ASSOCIATED or self.tunnel is None:
            return None
        assert self.tunnel.counter is not None
        with derive_lwip_psk(self._kenb, self.tunnel.counter) as psk:
            self._pending = self._ike.start(self.tunnel.idi, psk, nonce_r)
        return self._pending

    def ike_result(self, response: IkeAuthResponse, now: float) -> list[Output]:
        """The SeGW's answer: on success the tunnel is up and the PSK stored (R5)."""
        if self._pending is None or self.tunnel is None or self.tunnel.counter is None:
            return []
        request, self._pending = self._pending, None
        with derive_lwip_psk(self._kenb, self.tunnel.counter) as psk:
            if not self._ike.finish(request, response, psk):
                if not response.ok:
                    return [IkeFailed(request.idi, IkeFailure.REJECTED, response.reason)]
                return [IkeFailed(request.idi, IkeFailure.SEGW_NOT_AUTHENTICATED)]
        return self.ike_established(now)

    def psk_for_ike(self) -> KeyMaterial | None:
        """The LWIP-PSK for the configured tunnel (R1), for a real IKE stack; the caller wipes
        it once handed over. None unless associated with a WLAN of the set."""
        if self.state is not UeState.ASSOCIATED or self.tunnel is None:
            return None
        assert self.tunnel.counter is not None
        return derive_lwip_psk(self._kenb, self.tunnel.counter)

    def ike_established(self, now: float) -> list[Output]:
        """IKE succeeded (model or real stack): the tunnel is up and the PSK stored (R5). No RRC:
        successfulAssociation was reported on association (5.6.15.4), not here."""
        if self.state is not UeState.ASSOCIATED or self.tunnel is None:
            return []
        assert self.tunnel.counter is not None
        self._psk = derive_lwip_psk(self._kenb, self.tunnel.counter)
        self.state = UeState.TUNNEL_UP
        return [PskStored(self.tunnel.idi), TunnelUp(self.tunnel.idi)]

    # ---- radio events --------------------------------------------------------------------

    def wlan_lost(self, now: float) -> list[Output]:
        """WLAN dropped (radio link): failureWlanRadioLink reported (5.6.15.4), monitoring
        stopped; the tunnel over it is gone (R11)."""
        if self.state is UeState.NO_LWIP:
            return []
        out = self._release(_WLAN_LOST)
        out.append(self._report(WlanStatus.FAILURE_WLAN_RADIO_LINK))
        return out

    def radio_link_failure(self, now: float) -> list[Output]:
        """The UE detects LTE RLF: 5.3.7.2 releases LWIP (R10), then re-establishment."""
        out = self._release(_RADIO_LINK_FAILURE)
        req = rrc.RrcConnectionReestablishmentRequest(self.c_rnti, self.pci, 0, "otherFailure")
        out.append(self._send(req))
        return out

    def rrc_connection_released(self, now: float) -> list[Output]:
        """5.3.12: leaving RRC_CONNECTED releases all radio resources, LWIP included."""
        return self._release(_RRC_RELEASED)
