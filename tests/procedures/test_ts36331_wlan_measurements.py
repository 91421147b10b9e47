"""TS 36.331 5.5 WLAN measurements for LWIP: measConfig with MeasObjectWLAN and the events W1, W2,
W3 (5.5.4.11-13), MeasurementReport (5.5.5), and what the eNB makes of the reports (docs/rrc.md):
a W1 or W2 report of a WLAN of the mobility set while the UE is WLAN_LOST is the R11 "WLAN
connectivity restored" (a fresh tunnel); W3 and every other report are only told to the caller.
"""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import pytest
from helpers import pycrate_oracle as oracle
from helpers import spec_pdus as pdus
from helpers.simhelpers import events, messages

from lwip_enb.codec import rrc
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import RrcChannel, WlanEvent
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import (
    ActivationFailed,
    ActivationFailure,
    InputRejected,
    Rejection,
    SendRrc,
    SendXwap,
    StateChanged,
    WlanMeasurementReported,
)
from lwip_enb.errors import InvalidFieldError
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim.simulation import Simulation
from lwip_enb.sim.testing import SEGW, PeerMessages, bring_up, ready_controller

LWIP = WlanIdentifiers(ssid=b"lwip")  # the reference SeGW's WLAN, the UE's mobility set
OTHER = WlanIdentifiers(ssid=b"cafe")
KENB, MAC = bytes(range(32)), "02:00:00:00:00:01"
PEERS = PeerMessages()
OBJECT = rrc.WlanMeasObject(1, (rrc.WlanBand.BAND_5_GHZ,))
W1 = rrc.WlanReportConfig.w1(1, rrc.wlan_rssi_value(-70.0), hysteresis_half_db=4)  # 2 dB
W2 = rrc.WlanReportConfig.w2(2, rrc.wlan_rssi_value(-80.0), rrc.wlan_rssi_value(-60.0))
W3 = rrc.WlanReportConfig.w3(3, rrc.wlan_rssi_value(-85.0), hysteresis_half_db=2)  # 1 dB


def _report(meas_id: int, *wlans: WlanIdentifiers, rssi: int = 60) -> bytes:
    """A MeasurementReport encoded by pycrate from the spec's structure."""
    results = tuple(rrc.WlanMeasResult(w, rssi) for w in wlans)
    msg = rrc.MeasurementReport(meas_id, 50, 20, results)
    return oracle.rrc_encode("ul-dcch", oracle.rrc_value(msg))


# --- the eNB sends measConfig ------------------------------------------------------------------


def test_ts36331_5_5_2_configure_wlan_measurements_sends_measconfig_pycrate_decodes() -> None:
    """5.5.2: an RRCConnectionReconfiguration whose measConfig pycrate decodes to the WLAN
    object, the W1/W3 reporting configurations and the measIds asked for."""
    enb = ready_controller()
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.ACTIVE)
    config = rrc.WlanMeasConfig.for_events(OBJECT, W1, W3)
    out = enb.configure_wlan_measurements(1, 1.0, meas_config=config)
    (sent,) = out
    assert isinstance(sent, SendRrc) and sent.channel is RrcChannel.DL_DCCH
    value = oracle.rrc_decode("dl-dcch", sent.pdu)
    meas = oracle.find(value, "measConfig")
    (obj,) = meas["measObjectToAddModList"]
    assert obj["measObject"][0] == "measObjectWLAN-r13"
    events_ = {
        r["reportConfigId"]: r["reportConfig"][1]["triggerType"][1]["eventId"][0]
        for r in meas["reportConfigToAddModList"]
    }
    assert events_ == {1: "eventW1-r13", 3: "eventW3-r13"}
    links = {
        (m["measId"], m["measObjectId"], m["reportConfigId"]) for m in meas["measIdToAddModList"]
    }
    assert links == {(1, 1, 1), (3, 1, 3)}


def test_ts36331_6_3_6_each_measurement_reconfiguration_has_a_new_transaction_id_in_0_to_3() -> (
    None
):
    """RRC-TransactionIdentifier is INTEGER (0..3) (6.3.6) and a new transaction takes an id
    other than the one before (5.3.5.3 matches completions by it): six measurement
    reconfigurations in a row, read by pycrate, each with an id in 0..3 unlike its
    predecessor's (the set-up's, for the first)."""
    enb = ready_controller()
    out = bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.ACTIVE)
    (setup,) = [o.pdu for o in out if isinstance(o, SendRrc)]
    ids = [oracle.find(oracle.rrc_decode("dl-dcch", setup), "rrc-TransactionIdentifier")]
    config = rrc.WlanMeasConfig.for_events(OBJECT, W1)
    for k in range(6):
        (sent,) = enb.configure_wlan_measurements(1, 1.0 + k, meas_config=config)
        assert isinstance(sent, SendRrc)
        ids.append(oracle.find(oracle.rrc_decode("dl-dcch", sent.pdu), "rrc-TransactionIdentifier"))
    assert all(i in range(4) for i in ids), ids
    assert all(a != b for a, b in itertools.pairwise(ids)), ids


def test_ts36331_5_5_2_measurements_for_a_ue_the_enb_does_not_hold_are_refused_naming_it() -> None:
    enb = ready_controller()
    config = rrc.WlanMeasConfig.for_events(OBJECT, W1)
    (out,) = enb.configure_wlan_measurements(99, 1.0, meas_config=config)
    assert isinstance(out, InputRejected)
    assert (out.ue, out.kind) == (99, Rejection.UNKNOWN_UE)


def test_ts36331_5_3_5_3_measurement_reconfiguration_does_not_take_the_setups_completion() -> None:
    """5.3.5.3: a completion names its transaction. Measurements configured while the LWIP
    set-up is outstanding get their own identifier: the set-up's completion still configures
    the UE, the measurement's changes nothing."""
    enb = ready_controller()
    out = bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.CONFIGURING)
    (setup,) = [o.message for o in out if isinstance(o, SendRrc)]
    assert isinstance(setup, rrc.RrcConnectionReconfiguration)
    (meas,) = enb.configure_wlan_measurements(
        1, 0.5, meas_config=rrc.WlanMeasConfig.for_events(OBJECT, W1)
    )
    assert isinstance(meas, SendRrc) and isinstance(meas.message, rrc.RrcConnectionReconfiguration)
    assert meas.message.transaction_id != setup.transaction_id
    done = PEERS.reconfiguration_complete(meas.message.transaction_id)
    assert enb.receive_rrc(1, RrcChannel.UL_DCCH, done, 0.6) == []
    assert enb.state(1) is State.CONFIGURING
    done = PEERS.reconfiguration_complete(setup.transaction_id)
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, done, 0.7)
    assert enb.state(1) is State.CONFIGURED


def test_ts36331_5_5_2_3_meas_id_linking_nothing_configured_is_refused() -> None:
    """5.5.2.3: a measId links an object and a reporting configuration the UE holds."""
    enb = ready_controller()
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.ACTIVE)
    dangling = rrc.WlanMeasConfig(meas_ids=(rrc.MeasIdentity(5, 9, 9),))
    with pytest.raises(InvalidFieldError):
        enb.configure_wlan_measurements(1, 1.0, meas_config=dangling)
    # one end configured is not enough: an object without the reporting configuration, and
    # the reverse (objects and reports of one message count, 5.5.2.4 / 5.5.2.6 before 5.5.2.3)
    only_object = rrc.WlanMeasConfig.for_events(OBJECT, W1)
    for half in (
        attrs.evolve(only_object, meas_ids=(rrc.MeasIdentity(5, 1, 9),)),
        attrs.evolve(only_object, meas_ids=(rrc.MeasIdentity(5, 9, 1),)),
    ):
        with pytest.raises(InvalidFieldError, match="measId 5"):
            enb.configure_wlan_measurements(1, 1.0, meas_config=half)
    # linking what an earlier message configured is fine
    enb.configure_wlan_measurements(1, 1.0, meas_config=rrc.WlanMeasConfig.for_events(OBJECT, W1))
    later = rrc.WlanMeasConfig(meas_ids=(rrc.MeasIdentity(7, 1, 1),))
    assert [type(o) for o in enb.configure_wlan_measurements(1, 2.0, meas_config=later)] == [
        SendRrc
    ]


# --- the eNB reads MeasurementReport ---------------------------------------------------------


def _lost_controller() -> Any:
    enb = ready_controller()
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.ACTIVE)
    enb.configure_wlan_measurements(
        1, 1.0, meas_config=rrc.WlanMeasConfig.for_events(OBJECT, W1, W2, W3)
    )
    report = PEERS.wlan_status(rrc.WlanStatus.FAILURE_WLAN_RADIO_LINK)
    enb.receive_rrc(1, RrcChannel.UL_DCCH, report, 2.0)
    assert enb.state(1) is State.WLAN_LOST
    return enb


@pytest.mark.parametrize("meas_id", [1, 2], ids=["W1", "W2"])
def test_ts36331_5_5_4_11_12_w1_w2_of_a_set_wlan_in_wlan_lost_sets_up_a_fresh_tunnel(
    meas_id: int,
) -> None:
    """5.5.4.11 / 5.5.4.12 + R11: a WLAN of the mobility set heard better than the threshold
    after the release for WLAN loss is WLAN connectivity restored: LWIP ADDITION REQUEST."""
    enb = _lost_controller()
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, _report(meas_id, LWIP), 3.0)
    reported = [o for o in out if isinstance(o, WlanMeasurementReported)]
    assert [(o.event, o.in_mobility_set) for o in reported] == [
        ({1: WlanEvent.W1, 2: WlanEvent.W2}[meas_id], (LWIP,))
    ]
    changed = [o for o in out if isinstance(o, StateChanged)]
    assert [(o.old, o.new) for o in changed] == [(State.WLAN_LOST, State.ADDING)]


def test_ts36463_8_3_2_wlan_back_but_no_longer_offered_for_lwip_keeps_the_ue_wlan_lost() -> None:
    """R11 meets 8.3.2: while the UE is WLAN_LOST the SeGW's WT CONFIGURATION UPDATE takes the
    WLAN Usage off the set's WLAN (LWA only). Its W1 report then starts no set-up: the
    mobility set, taken from the SeGW's LWIP WLANs as at the first set-up, is empty, so the
    caller gets ActivationFailed (no WLAN) and the UE stays WLAN_LOST, ready for the next
    report, rather than being dropped to idle; nothing goes to SeGW or UE."""
    enb = _lost_controller()
    update = pdus.wt_configuration_update(to_modify=[pdus.wlan_item(b"lwip", None)])
    enb.receive_xwap(SEGW, update, 2.5)
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, _report(1, LWIP), 3.0)
    (failed,) = [o for o in out if isinstance(o, ActivationFailed)]
    assert (failed.ue, failed.reason) == (1, ActivationFailure.NO_WLAN)
    assert not [o for o in out if isinstance(o, SendXwap | SendRrc)]
    assert enb.state(1) is State.WLAN_LOST


def test_ts36331_5_5_4_11_w1_of_a_wlan_outside_the_set_only_tells_the_caller() -> None:
    enb = _lost_controller()
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, _report(1, OTHER), 3.0)
    assert [type(o) for o in out] == [WlanMeasurementReported]
    assert enb.state(1) is State.WLAN_LOST


def test_ts36331_5_5_4_13_w3_while_active_is_reported_not_a_release() -> None:
    """W3 (every WLAN of the set worse than a threshold) is a measurement, not the UE's status
    report (5.6.15.4 decides WLAN failure): the caller is told, the tunnel stays."""
    enb = ready_controller()
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.ACTIVE)
    enb.configure_wlan_measurements(1, 1.0, meas_config=rrc.WlanMeasConfig.for_events(OBJECT, W3))
    out = enb.receive_rrc(1, RrcChannel.UL_DCCH, _report(3, LWIP, rssi=5), 2.0)
    assert [type(o) for o in out] == [WlanMeasurementReported]
    assert out[0].event is WlanEvent.W3  # type: ignore[union-attr]
    assert enb.state(1) is State.ACTIVE


def test_ts36331_5_5_5_report_for_a_meas_id_not_configured_is_rejected() -> None:
    """A MeasurementReport names a measId the UE was given (5.5.5); any other is bad input."""
    enb = ready_controller()
    bring_up(enb, 1, kenb=KENB, wlan_mac=MAC, to=State.ACTIVE)
    (out,) = enb.receive_rrc(1, RrcChannel.UL_DCCH, _report(4, LWIP), 1.0)
    assert isinstance(out, InputRejected) and out.kind is Rejection.UNKNOWN_MEAS_ID
    # the rejection names the UE, its state and the message it could not take
    assert (out.ue, out.state, out.message) == (1, State.ACTIVE, "MeasurementReport")
    enb.configure_wlan_measurements(1, 1.0, meas_config=rrc.WlanMeasConfig.for_events(OBJECT, W1))
    (out,) = enb.receive_rrc(1, RrcChannel.UL_DCCH, _report(4, LWIP), 2.0)
    assert isinstance(out, InputRejected) and out.kind is Rejection.UNKNOWN_MEAS_ID
    removed = rrc.WlanMeasConfig(meas_ids_to_remove=(1,))
    enb.configure_wlan_measurements(1, 3.0, meas_config=removed)
    (out,) = enb.receive_rrc(1, RrcChannel.UL_DCCH, _report(1, LWIP), 4.0)
    assert isinstance(out, InputRejected) and out.kind is Rejection.UNKNOWN_MEAS_ID
    assert enb.state(1) is State.ACTIVE


# --- the reference UE --------------------------------------------------------------------------


def _ue(*reports: rrc.WlanReportConfig, lwip: bool = False) -> UeModel:
    ue = UeModel(KENB, available_wlans=())
    config = rrc.WlanMeasConfig.for_events(OBJECT, *reports)
    ue.receive_rrc(rrc.encode(rrc.RrcConnectionReconfiguration(0, meas_config=config)), 0.0)
    if lwip:
        mobility = rrc.WlanMobilityConfig.mobility_set([LWIP])
        setup = rrc.RrcConnectionReconfiguration.lwip_setup(
            1, "192.0.2.10", b"i", 1, mobility=mobility
        )
        ue.receive_rrc(rrc.encode(setup), 0.0)
    return ue


def _measured(out: list[ue_out.Output]) -> list[tuple[int, tuple[WlanIdentifiers, ...]]]:
    """The (measId, WLANs) of the MeasurementReports sent, decoded by pycrate from the bytes."""
    found = []
    for o in out:
        if isinstance(o, ue_out.SendRrc) and isinstance(o.message, rrc.MeasurementReport):
            value = oracle.rrc_decode("ul-dcch", o.pdu)
            meas_id = oracle.find(value, "measId")
            wlans = tuple(
                WlanIdentifiers(ssid=r["wlan-Identifiers-r13"].get("ssid-r12"))
                for r in oracle.find(value, "measResultListWLAN-r13")
            )
            found.append((meas_id, wlans))
    return found


def test_ts36331_5_5_4_11_reference_ue_w1_entering_and_leaving_with_hysteresis() -> None:
    """W1-1: Mn - Hys > Thresh (threshold -70 dBm, Hys 2 dB): -68 dBm is not enough, -67 is;
    one report per triggering; W1-2 (Mn + Hys < Thresh) takes the WLAN off the list, so it
    triggers again afterwards."""
    ue = _ue(W1)
    assert _measured(ue.measure_wlans({LWIP: -68.0}, 1.0)) == []
    assert _measured(ue.measure_wlans({LWIP: -67.0}, 2.0)) == [(1, (LWIP,))]
    assert _measured(ue.measure_wlans({LWIP: -60.0}, 3.0)) == []  # still triggered
    assert _measured(ue.measure_wlans({LWIP: -71.0}, 4.0)) == []  # in the hysteresis band
    assert _measured(ue.measure_wlans({LWIP: -60.0}, 5.0)) == []  # so still triggered
    assert _measured(ue.measure_wlans({LWIP: -73.0}, 6.0)) == []  # left
    assert _measured(ue.measure_wlans({LWIP: -60.0}, 7.0)) == [(1, (LWIP,))]


def test_ts36331_5_5_4_11_reference_ue_w1_only_while_the_mobility_set_is_empty() -> None:
    ue = _ue(W1, lwip=True)
    assert _measured(ue.measure_wlans({LWIP: -40.0}, 1.0)) == []


def test_ts36331_5_5_4_12_reference_ue_w2_needs_set_worse_and_outside_better() -> None:
    """W2-1 every Ms + Hys < Thresh1 (-80 dBm) and W2-2 Mn - Hys > Thresh2 (-60 dBm)."""
    ue = _ue(W2, lwip=True)
    assert _measured(ue.measure_wlans({LWIP: -70.0, OTHER: -50.0}, 1.0)) == []
    assert _measured(ue.measure_wlans({LWIP: -85.0, OTHER: -50.0}, 2.0)) == [(2, (OTHER,))]


def test_ts36331_5_5_4_13_reference_ue_w3_when_every_set_wlan_is_worse() -> None:
    """W3-1 every Ms + Hys < Thresh (-85 dBm, Hys 1 dB); a set WLAN not heard counts as worse."""
    ue = _ue(W3, lwip=True)
    assert _measured(ue.measure_wlans({LWIP: -80.0}, 1.0)) == []
    assert _measured(ue.measure_wlans({LWIP: -86.0}, 2.0)) == []  # -86 + 1 is not below -85
    assert _measured(ue.measure_wlans({LWIP: -87.0}, 3.0)) == [(3, (LWIP,))]
    no_lwip = _ue(W3)
    assert _measured(no_lwip.measure_wlans({}, 1.0)) == []  # no set: nothing to become worse


def test_ts36331_5_5_2_2_removed_meas_id_reports_no_more() -> None:
    ue = _ue(W1)
    config = rrc.WlanMeasConfig(meas_ids_to_remove=(1,))
    ue.receive_rrc(rrc.encode(rrc.RrcConnectionReconfiguration(1, meas_config=config)), 1.0)
    assert _measured(ue.measure_wlans({LWIP: -40.0}, 2.0)) == []


# --- the story: R11 through the UE's own measurement -------------------------------------------


def test_r11_ts36331_5_5_4_11_wlan_lost_then_w1_report_sets_up_a_fresh_tunnel() -> None:
    """R11 with 5.5.4.11: the UE loses WLAN (failureWlanRadioLink: released at both ends,
    WLAN_LOST); later its W1 report names the set's WLAN: a fresh tunnel with a new counter and
    a new IDi, which the UE uses (R2) and the SeGW stores (R5)."""
    sim = Simulation()
    sim.add_ue(1)
    sim.activate(1)
    sim.configure_wlan_measurements(1, rrc.WlanMeasConfig.for_events(OBJECT, W1))
    first_idi, first_counter = sim.enb.idi(1), sim.ues[1].tunnel.counter  # type: ignore[union-attr]
    assert first_idi is not None and first_counter is not None
    sim.measure_wlans(1, {LWIP: -50.0})  # W1 cannot trigger: the UE holds a mobility set
    assert sim.enb.state(1) is State.ACTIVE
    sim.measure_wlans(1, {})  # the WLAN fades: heard no more
    sim.wlan_lost(1)
    assert sim.enb.state(1) is State.WLAN_LOST
    assert sim.segw.psk_count() == 0 and not sim.ues[1].holds_psk
    mark = len(sim.trace)
    sim.measure_wlans(1, {LWIP: -90.0})  # not heard well enough: nothing
    assert sim.enb.state(1) is State.WLAN_LOST
    sim.measure_wlans(1, {LWIP: -50.0})
    (report,) = [r for r in messages(sim, "MeasurementReport", mark) if r["src"] == "ue"]
    assert oracle.find(oracle.rrc_decode("ul-dcch", bytes.fromhex(report["pdu"])), "measId") == 1
    assert events(sim, "enb", "wlan-measured", mark)
    assert sim.enb.state(1) is State.ACTIVE
    second_idi = sim.enb.idi(1)
    assert second_idi is not None and second_idi != first_idi
    assert sim.ues[1].tunnel.idi == second_idi.octets  # type: ignore[union-attr]
    assert sim.ues[1].tunnel.counter == first_counter + 1  # type: ignore[union-attr]
    stored = [r for r in events(sim, "segw", "psk-stored", mark) if r["phase"] == "tunnel"]
    assert [r["idi"] for r in stored] == [second_idi.octets.hex()]
    assert sim.ues[1].holds_psk and sim.segw.psk_count() == 1
