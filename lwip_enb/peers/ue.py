"""Reference UE, sans-IO: the LWIP behaviour of TS 36.331 5.6.17 and TS 33.401, for harnesses.

It decodes the eNB's RRC, derives the LWIP-PSK from its KeNB and the received counter, runs IKE to
the SeGW address it was given with the IDi it was given (R1, R2), stores the PSK once IKE succeeds
(R5) and deletes it on release, handover and radio link failure (R5, R9, R10). The IKE exchange is
driven by the caller (a harness or the demo) through :meth:`UeModel.ike_request` and
:meth:`UeModel.ike_result`. The outputs are in :mod:`lwip_enb.peers.ue_outputs`.
"""

from __future__ import annotations

import enum

from lwip_enb.codec import rrc
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

__all__ = ["UeModel", "UeState"]


class UeState(enum.Enum):
    """Where LWIP stands at the UE."""

    NO_LWIP = "no-lwip"
    CONFIGURED = "configured"  # tunnel configuration received, IKE to run
    TUNNEL_UP = "tunnel-up"


_HANDOVER_COMMAND = ReleaseReason(ReleaseTrigger.HANDOVER_COMMAND)
_LWIP_RELEASE = ReleaseReason(ReleaseTrigger.LWIP_RELEASE)
_RECONFIGURED = ReleaseReason(ReleaseTrigger.RECONFIGURED)
_WLAN_LOST = ReleaseReason(ReleaseTrigger.WLAN_LOST)
_RADIO_LINK_FAILURE = ReleaseReason(ReleaseTrigger.RADIO_LINK_FAILURE)


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
    ) -> None:
        self._kenb = KeyMaterial(kenb.view() if isinstance(kenb, KeyMaterial) else kenb)
        self.wlan_mac = wlan_mac
        self.c_rnti, self.pci = c_rnti, pci
        self.state = UeState.NO_LWIP
        self.tunnel: rrc.TunnelConfig | None = None
        self._psk: KeyMaterial | None = None
        self._success_report = False
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
        if msg.handover is not None:
            # 36.331 5.3.5.4: a handover command releases LWIP at the UE (R9).
            out += self._release(_HANDOVER_COMMAND)
        if isinstance(msg.lwip, rrc.LwipRelease):
            out += self._release(_LWIP_RELEASE)  # 5.6.17.3
        elif isinstance(msg.lwip, rrc.LwipSetup):
            if msg.lwip.mobility is not None:
                self._success_report = msg.lwip.mobility.success_report_requested
            tunnel = msg.lwip.tunnel
            if tunnel is not None and tunnel.counter is not None:
                out += self._release(_RECONFIGURED)
                self.tunnel = tunnel
                self.state = UeState.CONFIGURED
                out.append(IkeStart(tunnel.segw_address, tunnel.idi))
        complete = rrc.RrcConnectionReconfigurationComplete(msg.transaction_id)
        out.append(self._send(complete))
        return out

    def _send(self, msg: rrc.RrcMessage) -> SendRrc:
        channel = msg.channel if isinstance(msg, rrc.OtherRrcMessage) else msg.CHANNEL
        return SendRrc(channel, msg, rrc.encode(msg))

    def _release(self, reason: ReleaseReason) -> list[Output]:
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
        return out

    # ---- IKE -----------------------------------------------------------------------------

    def ike_request(self, nonce_r: bytes) -> IkeAuthRequest | None:
        """After IKE_SA_INIT: the IKE_AUTH request, proving the PSK derived from KeNB (R1)."""
        if self.state is not UeState.CONFIGURED or self.tunnel is None:
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
        it once handed over. None when no tunnel is configured."""
        if self.state is not UeState.CONFIGURED or self.tunnel is None:
            return None
        assert self.tunnel.counter is not None
        return derive_lwip_psk(self._kenb, self.tunnel.counter)

    def ike_established(self, now: float) -> list[Output]:
        """IKE succeeded (model or real stack): the tunnel is up and the PSK stored (R5)."""
        if self.state is not UeState.CONFIGURED or self.tunnel is None:
            return []
        assert self.tunnel.counter is not None
        self._psk = derive_lwip_psk(self._kenb, self.tunnel.counter)
        self.state = UeState.TUNNEL_UP
        out: list[Output] = [PskStored(self.tunnel.idi), TunnelUp(self.tunnel.idi)]
        if self._success_report:
            out.append(
                self._send(rrc.WlanConnectionStatusReport(WlanStatus.SUCCESSFUL_ASSOCIATION))
            )
        return out

    # ---- radio events --------------------------------------------------------------------

    def wlan_lost(self, now: float) -> list[Output]:
        """WLAN dropped: the tunnel is gone; tell the eNB (36.331 5.6.15.4)."""
        if self.state is UeState.NO_LWIP:
            return []
        out = self._release(_WLAN_LOST)
        out.append(self._send(rrc.WlanConnectionStatusReport(WlanStatus.FAILURE_WLAN_RADIO_LINK)))
        return out

    def radio_link_failure(self, now: float) -> list[Output]:
        """The UE detects LTE RLF: LWIP released at the UE (R10), then re-establishment."""
        out = self._release(_RADIO_LINK_FAILURE)
        req = rrc.RrcConnectionReestablishmentRequest(self.c_rnti, self.pci, 0, "otherFailure")
        out.append(self._send(req))
        return out
