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
- 5.6.15.4 suspended / resumed: only when wlan-SuspendResumeAllowed in VarWLAN-MobilityConfig is
  TRUE. 5.6.17.2 (LWIP) does not list wlan-SuspendConfig among what the UE takes from
  lwip-MobilityConfig, while 5.6.14.2 (LWA) does; strictest reading: by default this UE ignores
  it under LWIP and never reports suspended or resumed. ``apply_lwip_suspend_config=True`` makes
  a UE that stores it as 5.6.14.2 does (Need ON: a field left out keeps its value); then
  :meth:`UeModel.wlan_suspend` reports ``suspended`` (tunnel, PSK and configuration kept,
  monitoring goes on) and :meth:`UeModel.wlan_resume` reports ``resumed`` once a WLAN of the set
  is connected again, only if the last report was ``suspended``. Either is refused (returns
  nothing) otherwise. The PDCP status report of wlan-SuspendTriggersStatusReport (TS 36.323) is
  not modelled.
- 5.5 WLAN measurements: measConfig with MeasObjectWLAN, W1/W2/W3 reporting configurations and
  measIds (5.5.2); :meth:`UeModel.measure_wlans` gives the UE's RSSI results and evaluates the
  entering and leaving conditions of 5.5.4.11-13 with hysteresis; a WLAN newly meeting the
  entering condition is added to the measId's triggered list and a MeasurementReport sent
  (5.5.4.1, 5.5.5). Simplified: timeToTrigger taken as 0, one report per triggering (no periodic
  repeats for reportAmount > 1), no layer 3 filtering (the results given are the filtered ones),
  the bands of the object not checked, nothing evaluated before the harness's first results, a
  WLAN with no result not heard (-infinity), and
  W3 (and W2's first condition) with an empty mobility set: W3 never enters, W2-1 holds; a
  report lists the WLANs on the measId's triggered list, best first, connectedWLAN set for the
  one the UE is on (5.5.5 lists the connected WLAN and every applicable WLAN measured).
- 5.6.17.3 LWIP release; 5.3.5.4 a handover command (mobilityControlInfo) releases LWIP at the UE
  (R9); 5.3.7.2 re-establishment releases it (R10); 5.3.12 leaving RRC_CONNECTED releases it.

Where the text leaves a choice the UE takes the strictest reading: no associationTimer means no
T351 (it never reports a timeout, and never a success for a WLAN outside the set); a set-up whose
mobility set is empty is applied but never succeeds. The outputs are in
:mod:`lwip_enb.peers.ue_outputs`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping

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


#: measResultPCell of every MeasurementReport: a fixed, valid pair (RSRP-Range, RSRQ-Range)
_PCELL_RSRP, _PCELL_RSRQ = 60, 20


def _rssi_value(dbm: float) -> int:
    """The WLAN-RSSI-Range-r13 value of a result (0 for a WLAN not heard)."""
    return 0 if dbm == -math.inf else rrc.wlan_rssi_value(dbm)


def _in_object(wlan: WlanIdentifiers, obj: rrc.WlanMeasObject) -> bool:
    """MeasObjectWLAN: the WLANs of wlan-ToAddModList (all identifiers of an entry match), or
    any WLAN when the object lists none."""
    return not obj.wlans or any(_matches(wlan, e) for e in obj.wlans)


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
        apply_lwip_suspend_config: bool = False,
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
        #: wlan-SuspendConfig in VarWLAN-MobilityConfig: wlan-SuspendResumeAllowed and
        #: wlan-SuspendTriggersStatusReport (None: not set)
        self.suspend_resume_allowed: bool | None = None
        self.suspend_triggers_status_report: bool | None = None
        #: store wlan-SuspendConfig received in lwip-MobilityConfig (5.6.14.2's reading)
        self.apply_lwip_suspend_config = apply_lwip_suspend_config
        self._last_report: WlanStatus | None = None  # the status of the last report sent
        #: every WLAN of the set is temporarily unavailable (the harness's wlan_suspend)
        self.wlan_suspended = False
        # VarMeasConfig (5.5.2) as far as WLAN goes, and VarMeasReportList's triggered lists
        self._meas_objects: dict[int, rrc.WlanMeasObject] = {}
        self._report_configs: dict[int, rrc.WlanReportConfig] = {}
        self._meas_ids: dict[int, rrc.MeasIdentity] = {}
        self._triggered: dict[int, tuple[WlanIdentifiers, ...]] = {}
        #: the UE's WLAN measurement results, RSSI in dBm (measure_wlans); None: not measured
        #: yet, so nothing is evaluated
        self.wlan_rssi: dict[WlanIdentifiers, float] | None = None
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
        if msg.meas_config is not None:
            self._measurement_configuration(msg.meas_config)  # 5.3.5.3: measConfig, 5.5.2
        if msg.handover is not None:
            # 5.3.5.4: a reconfiguration with mobilityControlInfo releases LWIP (R9)
            out += self._release(_HANDOVER_COMMAND)
        if isinstance(msg.lwip, rrc.LwipRelease):
            out += self._release(_LWIP_RELEASE)  # 5.6.17.3
        elif isinstance(msg.lwip, rrc.LwipSetup):
            after = self._lwip_reconfiguration(msg.lwip, now, out)
        # 5.3.5.3: the completion goes first; reports of the monitoring started follow it, and
        # then measurement reports the new configuration triggers (5.5.4.1)
        out.append(self._send(rrc.RrcConnectionReconfigurationComplete(msg.transaction_id)))
        return out + after + self._evaluate()

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
            if mobility.suspend is not None and self.apply_lwip_suspend_config:
                # 5.6.14.2's step, which 5.6.17.2 does not have (see the module docstring)
                if mobility.suspend.resume_allowed is not None:
                    self.suspend_resume_allowed = mobility.suspend.resume_allowed
                if mobility.suspend.triggers_status_report is not None:
                    self.suspend_triggers_status_report = mobility.suspend.triggers_status_report
        if tunnel is not None and tunnel.counter is not None:
            # R2: the SeGW address and IDi exactly as received; R1: the PSK from the counter
            self.tunnel = tunnel
            self.state = UeState.CONFIGURED
        if self.state is UeState.NO_LWIP:
            return []
        self._monitoring = True
        if counter_update or set_change:
            self.wlan_status = None  # a new association is due (5.6.15.4 "after ... update")
            self.wlan_suspended = False
        return self._monitor(now)

    def _inside_set(self) -> bool:
        return any(_matches(w, e) for w in self.available_wlans for e in self.mobility_set)

    def _monitor(self, now: float) -> list[Output]:
        """5.6.15.4 WLAN status monitoring, for the WLANs available now."""
        if not self._monitoring or self.wlan_status is not None or self.wlan_suspended:
            return []  # not after an update (connected, or suspended: see wlan_resume)
        if not self._inside_set():
            return []  # still trying; T351 (if running) ends the attempts
        self.wlan_status = WlanStatus.SUCCESSFUL_ASSOCIATION
        self.t351_deadline = None  # stop T351
        out: list[Output] = []
        # The report goes over LTE at once; IKE needs the WLAN's round trips first, so the report
        # comes first and the eNB sees association before any evidence of the tunnel.
        if self._success_report:
            out.append(self._report(WlanStatus.SUCCESSFUL_ASSOCIATION))
        if self.state is UeState.CONFIGURED and self.tunnel is not None:
            self.state = UeState.ASSOCIATED
            out.append(IkeStart(self.tunnel.segw_address, self.tunnel.idi))
        return out

    def wlans_changed(self, available: Iterable[WlanIdentifiers], now: float) -> list[Output]:
        """The harness changes which WLANs the UE sees; a WLAN inside the set may now associate."""
        self.available_wlans = tuple(available)
        return self._monitor(now)

    def _report(self, status: WlanStatus) -> SendRrc:
        self.wlan_status = self._last_report = status
        return self._send(rrc.WlanConnectionStatusReport(status))  # 5.6.15.2.3

    # ---- 5.6.15.4 suspend and resume -----------------------------------------------------

    def wlan_suspend(self, now: float) -> list[Output]:
        """The harness: every WLAN of the mobility set becomes temporarily unavailable. With
        wlan-SuspendResumeAllowed TRUE the UE reports ``suspended`` (5.6.15.4) and keeps its
        LWIP configuration, tunnel and PSK; without it, or with no WLAN connection to suspend,
        nothing is reported and nothing changes (a lasting loss is :meth:`wlan_lost`)."""
        connected = self.wlan_status in (WlanStatus.SUCCESSFUL_ASSOCIATION, WlanStatus.RESUMED)
        if not (self._monitoring and connected and self.suspend_resume_allowed is True):
            return []
        self.wlan_suspended = True
        return [self._report(WlanStatus.SUSPENDED)]

    def wlan_resume(self, now: float) -> list[Output]:
        """The harness: the UE's WLAN connection may come back. If a WLAN inside the set is
        available and the last report was ``suspended``, the connection is re-established
        and ``resumed`` reported (5.6.15.4); otherwise nothing."""
        if not self.wlan_suspended or not self._inside_set():
            return []
        self.wlan_suspended = False
        if self.suspend_resume_allowed is not True or self._last_report is not WlanStatus.SUSPENDED:
            return []
        return [self._report(WlanStatus.RESUMED)]

    # ---- 5.5 WLAN measurements -----------------------------------------------------------

    def _measurement_configuration(self, mc: rrc.WlanMeasConfig) -> None:
        """5.5.2: measIds removed (5.5.2.2), objects and reporting configurations added or
        replaced (5.5.2.5, 5.5.2.7: their measIds' triggered lists reset), measIds added
        (5.5.2.3); a measId naming what the UE does not hold is not added."""
        for meas_id in mc.meas_ids_to_remove:
            self._meas_ids.pop(meas_id, None)
            self._triggered.pop(meas_id, None)
        objects = {o.meas_object_id for o in mc.meas_objects}
        reports = {r.report_config_id for r in mc.report_configs}
        self._meas_objects.update((o.meas_object_id, o) for o in mc.meas_objects)
        self._report_configs.update((r.report_config_id, r) for r in mc.report_configs)
        for meas_id, m in self._meas_ids.items():
            if m.meas_object_id in objects or m.report_config_id in reports:
                self._triggered.pop(meas_id, None)
        for m in mc.meas_ids:
            if (
                m.meas_object_id in self._meas_objects
                and m.report_config_id in self._report_configs
            ):
                self._meas_ids[m.meas_id] = m
                self._triggered.pop(m.meas_id, None)

    @property
    def meas_ids(self) -> tuple[int, ...]:
        """The WLAN measIds configured (VarMeasConfig, 5.5.2)."""
        return tuple(sorted(self._meas_ids))

    def measure_wlans(self, rssi: Mapping[WlanIdentifiers, float], now: float) -> list[Output]:
        """The harness: the UE's WLAN measurement results are now ``rssi`` (dBm by WLAN; a
        WLAN left out is not heard). Returns the MeasurementReports the change triggers."""
        self.wlan_rssi = dict(rssi)
        return self._evaluate()

    def _evaluate(self) -> list[Output]:
        """5.5.4.1 for every WLAN measId: WLANs meeting the entering condition join its
        triggered list (a report is sent when one joins), those meeting the leaving condition
        leave it (no report: reportOnLeave is not modelled)."""
        out: list[Output] = []
        if self.wlan_rssi is None:
            return out
        for meas_id in sorted(self._meas_ids):
            m = self._meas_ids[meas_id]
            obj, rep = (
                self._meas_objects[m.meas_object_id],
                self._report_configs[m.report_config_id],
            )
            heard = {w: dbm for w, dbm in self.wlan_rssi.items() if _in_object(w, obj)}
            entering, leaving = self._conditions(rep, heard)
            before = self._triggered.get(meas_id, ())
            kept = tuple(w for w in before if w not in leaving)
            new = tuple(w for w in entering if w not in kept)
            self._triggered[meas_id] = kept + new
            if new:
                out.append(self._measurement_report(meas_id, rep, kept + new))
        return out

    def _conditions(
        self, rep: rrc.WlanReportConfig, heard: dict[WlanIdentifiers, float]
    ) -> tuple[list[WlanIdentifiers], set[WlanIdentifiers]]:
        """The WLANs meeting the entering and the leaving condition of ``rep``'s event."""
        hys = rep.hysteresis_half_db / 2
        thresh = rrc.wlan_rssi_dbm(rep.threshold)
        inside = {w: d for w, d in heard.items() if self._in_set(w)}
        outside = {w: d for w, d in heard.items() if w not in inside}
        # every WLAN of the set: a set member that is not heard counts as -infinity
        set_levels = list(inside.values()) + [
            -math.inf for e in self.mobility_set if not any(_matches(w, e) for w in inside)
        ]
        if rep.event is rrc.WlanEvent.W1:
            # 5.5.4.11 W1-1: Mn - Hys > Thresh, only while the mobility set is empty; W1-2
            entering = [w for w, mn in heard.items() if not self.mobility_set and mn - hys > thresh]
            return entering, {w for w, mn in heard.items() if mn + hys < thresh}
        if rep.event is rrc.WlanEvent.W2:
            assert rep.threshold2 is not None
            thresh2 = rrc.wlan_rssi_dbm(rep.threshold2)
            # 5.5.4.12 W2-1: every Ms + Hys < Thresh1; W2-2: Mn - Hys > Thresh2 (Mn outside)
            all_worse = all(ms + hys < thresh for ms in set_levels)
            entering = [w for w, mn in outside.items() if all_worse and mn - hys > thresh2]
            # W2-3: an Ms - Hys > Thresh1; W2-4: Mn + Hys < Thresh2
            any_better = any(ms - hys > thresh for ms in set_levels)
            leaving = {w for w, mn in outside.items() if any_better or mn + hys < thresh2}
            return entering, leaving
        # 5.5.4.13 W3-1: every Ms + Hys < Thresh (a set to become worse is needed); W3-2
        members = [*inside] or [e for e in self.mobility_set]
        if self.mobility_set and all(ms + hys < thresh for ms in set_levels):
            return members, set()
        return [], {w for w in members if inside.get(w, -math.inf) - hys > thresh}

    def _in_set(self, wlan: WlanIdentifiers) -> bool:
        return any(_matches(wlan, e) for e in self.mobility_set)

    def _measurement_report(
        self, meas_id: int, rep: rrc.WlanReportConfig, triggered: tuple[WlanIdentifiers, ...]
    ) -> SendRrc:
        """5.5.5: measId, measResultPCell, and measResultListWLAN with the triggered WLANs in
        decreasing RSSI, at most maxReportCells, connectedWLAN for the one the UE is on."""
        rssi = self.wlan_rssi or {}
        levels = sorted(triggered, key=lambda w: -rssi.get(w, -math.inf))
        results = tuple(
            rrc.WlanMeasResult(w, _rssi_value(rssi.get(w, -math.inf)), self._connected_to(w))
            for w in levels[: rep.max_report_cells]
        )
        return self._send(rrc.MeasurementReport(meas_id, _PCELL_RSRP, _PCELL_RSRQ, results))

    def _connected_to(self, wlan: WlanIdentifiers) -> bool:
        on_wlan = self.state in (UeState.ASSOCIATED, UeState.TUNNEL_UP) and not self.wlan_suspended
        return on_wlan and self._in_set(wlan) and wlan in self.available_wlans

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
        self.wlan_suspended = False
        if reason is not _RECONFIGURED:
            # VarWLAN-MobilityConfig (wlan-SuspendConfig with it) and VarWLAN-Status deleted
            self.mobility_set, self._success_report = (), False
            self.wlan_status = self.t351_deadline = self._last_report = None
            self.suspend_resume_allowed = self.suspend_triggers_status_report = None
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
            # no WLAN, so no tunnel: the tunnel configuration can never be used. No tunnel was
            # up and no PSK stored, so there is nothing to report released or deleted.
            self._pending = None
            self.state = UeState.NO_LWIP
            self.tunnel = None
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
        """5.3.12: leaving RRC_CONNECTED releases all radio resources, LWIP included, and the
        measurement configuration goes with the connection."""
        self._meas_objects.clear()
        self._report_configs.clear()
        self._meas_ids.clear()
        self._triggered.clear()
        return self._release(_RRC_RELEASED)
