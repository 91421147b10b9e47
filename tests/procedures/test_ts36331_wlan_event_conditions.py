"""The reference UE's WLAN measurement events against the inequalities of TS 36.331, written here
from the clauses (the figures of the inequalities are the usual ones of 5.5.4: entering with the
hysteresis against the measurement, leaving with it in favour; both strict):

- 5.5.4.11 W1: entering W1-1 ``Mn - Hys > Thresh`` (only while wlan-MobilitySet is empty),
  leaving W1-2 ``Mn + Hys < Thresh``;
- 5.5.4.12 W2: entering W2-1 ``Ms + Hys < Thresh1`` for the set's WLANs and W2-2
  ``Mn - Hys > Thresh2`` for a WLAN outside it; leaving W2-3 ``Ms - Hys > Thresh1`` or W2-4
  ``Mn + Hys < Thresh2``;
- 5.5.4.13 W3: entering W3-1 ``Ms + Hys < Thresh``, leaving W3-2 ``Ms - Hys > Thresh``;
- 5.5.4.1: a WLAN meeting the entering condition joins the measId's triggered list and a
  MeasurementReport is sent; one meeting the leaving condition leaves it (no report on leaving,
  no time-to-trigger: the reference UE's stated simplifications, docs/rrc.md);
- 5.5.5: the WLANs of a report in order of decreasing RSSI ("the best WLAN is included first"),
  connectedWLAN TRUE for the WLAN the UE is connected to, RSSI as WLAN-RSSI-Range (6.3.5). The
  reference UE lists the WLANs of the triggered list (its stated simplification, docs/rrc.md).

A set WLAN the UE does not hear counts as infinitely bad (the reading of docs/rrc.md). Values are
drawn around each threshold in half-dB steps, so that every boundary is hit exactly. Reports are
read by pycrate from the bytes the UE sends.
"""

from __future__ import annotations

from typing import Any

from helpers import pycrate_oracle as oracle
from hypothesis import given
from hypothesis import strategies as st

from lwip_enb.codec import rrc
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.peers import ue_outputs as ue_out
from lwip_enb.peers.ue import UeModel

KENB = bytes(range(32))
SET_WLAN = WlanIdentifiers(ssid=b"lwip")  # the mobility set's WLAN when the UE has LWIP
OUT_A = WlanIdentifiers(ssid=b"cafe")
OUT_B = WlanIdentifiers(ssid=b"park")
OBJECT = rrc.WlanMeasObject(1, (rrc.WlanBand.BAND_5_GHZ,))
HYS = 1.5  # dB: hysteresis 3 (in 0.5 dB steps)
T1, T2 = -75.0, -65.0
W1 = rrc.WlanReportConfig.w1(1, rrc.wlan_rssi_value(T1), hysteresis_half_db=3)
W2 = rrc.WlanReportConfig.w2(
    2, rrc.wlan_rssi_value(T1), rrc.wlan_rssi_value(T2), hysteresis_half_db=3
)
W3 = rrc.WlanReportConfig.w3(3, rrc.wlan_rssi_value(T1), hysteresis_half_db=3)


def _ue(report: rrc.WlanReportConfig, *, lwip: bool) -> UeModel:
    # OUT_A is available too: a WLAN the UE could see but is not connected to (5.5.5)
    ue = UeModel(KENB, available_wlans=(SET_WLAN, OUT_A) if lwip else (OUT_A,))
    config = rrc.WlanMeasConfig.for_events(OBJECT, report)
    ue.receive_rrc(rrc.encode(rrc.RrcConnectionReconfiguration(0, meas_config=config)), 0.0)
    if lwip:
        mobility = rrc.WlanMobilityConfig.mobility_set([SET_WLAN])
        setup = rrc.RrcConnectionReconfiguration.lwip_setup(
            1, "192.0.2.10", b"i", 1, mobility=mobility
        )
        ue.receive_rrc(rrc.encode(setup), 0.0)
    return ue


def _reports(out: list[ue_out.Output]) -> list[list[tuple[bytes, int, bool]]]:
    """Each MeasurementReport sent, as (SSID, RSSI value, connectedWLAN) per WLAN, by pycrate."""
    found = []
    for o in out:
        if isinstance(o, ue_out.SendRrc) and isinstance(o.message, rrc.MeasurementReport):
            value = oracle.rrc_decode("ul-dcch", o.pdu)
            found.append(
                [
                    (
                        r["wlan-Identifiers-r13"]["ssid-r12"],
                        r["rssiWLAN-r13"],
                        r.get("connectedWLAN-r13") == "true",
                    )
                    for r in oracle.find(value, "measResultListWLAN-r13")
                ]
            )
    return found


def _around(threshold: float) -> st.SearchStrategy[float]:
    """Levels at and next to each boundary of ``threshold`` (Thresh - Hys, Thresh, Thresh + Hys,
    half a dB either side of those) and well clear of it."""
    return st.sampled_from(
        [threshold + d for d in (-10.0, -HYS - 0.5, -HYS, 0.0, HYS, HYS + 0.5, 10.0)]
    )


class _Spec:
    """The triggered list of one measId, kept by the inequalities of 5.5.4.11-13 and 5.5.4.1."""

    def __init__(self, event: rrc.WlanEvent, set_empty: bool) -> None:
        self.event, self.set_empty = event, set_empty
        self.triggered: list[bytes] = []

    def step(self, heard: dict[bytes, float]) -> list[bytes] | None:
        """The WLANs (SSIDs) of the report this measurement sends, or None for no report."""
        ms = heard.get(SET_WLAN.ssid, float("-inf"))
        outside = {w: m for w, m in heard.items() if w != SET_WLAN.ssid}
        if self.event is rrc.WlanEvent.W1:
            enter = [w for w, m in heard.items() if self.set_empty and m - HYS > T1]
            leave = {w for w, m in heard.items() if m + HYS < T1}
        elif self.event is rrc.WlanEvent.W2:
            worse, better = ms + HYS < T1, ms - HYS > T1
            enter = [w for w, m in outside.items() if worse and m - HYS > T2]
            leave = {w for w, m in outside.items() if better or m + HYS < T2}
        else:
            enter = [SET_WLAN.ssid] if ms + HYS < T1 else []
            leave = {SET_WLAN.ssid} if ms - HYS > T1 else set()
        kept = [w for w in self.triggered if w not in leave]
        new = [w for w in enter if w not in kept]
        self.triggered = kept + new
        return self.triggered if new else None


LEVEL_STEPS = st.lists(
    st.fixed_dictionaries(
        {
            "set": st.one_of(st.none(), _around(T1)),
            "a": st.one_of(_around(T1), _around(T2)),
            "b": st.one_of(_around(T1), _around(T2)),
        }
    ),
    min_size=1,
    max_size=10,
)


def _check(report: rrc.WlanReportConfig, lwip: bool, steps: list[dict[str, Any]]) -> None:
    ue = _ue(report, lwip=lwip)
    spec = _Spec(report.event, set_empty=not lwip)
    for n, step in enumerate(steps):
        levels = {OUT_A: step["a"], OUT_B: step["b"]}
        if lwip and step["set"] is not None:
            levels[SET_WLAN] = step["set"]
        expected = spec.step({w.ssid: m for w, m in levels.items()})
        sent = _reports(ue.measure_wlans(levels, 1.0 + n))
        if expected is None:
            assert sent == [], (n, steps)
            continue
        (wlans,) = sent
        rssi = {w.ssid: rrc.wlan_rssi_value(m) for w, m in levels.items()}
        if report.event is not rrc.WlanEvent.W3:  # W3 reports the set; which WLANs is below
            assert sorted(s for s, _, _ in wlans) == sorted(expected), (n, steps)
        # 5.5.5: best first; a set WLAN not heard is reported at the bottom of the range
        values = [v for _, v, _ in wlans]
        assert values == sorted(values, reverse=True), (n, steps)
        for ssid, value, connected in wlans:
            assert value == rssi.get(ssid, 0), (n, steps)
            # with LWIP the UE is connected to the set's WLAN (associated at the set-up), only
            assert connected == (lwip and ssid == SET_WLAN.ssid), (n, steps)


@given(LEVEL_STEPS)
def test_ts36331_5_5_4_11_w1_entering_and_leaving(steps: list[dict[str, Any]]) -> None:
    _check(W1, False, steps)


@given(LEVEL_STEPS)
def test_ts36331_5_5_4_11_w1_never_enters_with_a_mobility_set(steps: list[dict[str, Any]]) -> None:
    _check(W1, True, steps)


@given(LEVEL_STEPS)
def test_ts36331_5_5_4_12_w2_entering_and_leaving(steps: list[dict[str, Any]]) -> None:
    _check(W2, True, steps)


@given(LEVEL_STEPS)
def test_ts36331_5_5_4_13_w3_entering_and_leaving(steps: list[dict[str, Any]]) -> None:
    _check(W3, True, steps)


def test_ts36331_5_5_4_12_w2_left_when_the_set_gets_better_or_at_the_boundary_not() -> None:
    """W2-1 at equality (Ms + Hys = Thresh1) does not enter. W2-3: a set WLAN with
    Ms - Hys > Thresh1 takes an outside WLAN off the list (so it reports again when the set is
    worse once more), and one at or below Thresh1 + Hys does not; W2-4 at equality
    (Mn + Hys = Thresh2) is not met, so that WLAN stays on the list and does not report
    again."""
    ue = _ue(W2, lwip=True)
    good = T2 + HYS + 0.5
    # W2-1 at equality (Ms + Hys = Thresh1) is not met: nothing enters
    assert _reports(ue.measure_wlans({SET_WLAN: T1 - HYS, OUT_A: good}, 0.5)) == []
    assert len(_reports(ue.measure_wlans({SET_WLAN: T1 - 5.0, OUT_A: good}, 1.0))) == 1
    for between in (T1, T1 + HYS):  # W2-3 not met: still on the list, nothing new
        assert _reports(ue.measure_wlans({SET_WLAN: between, OUT_A: good}, 1.5)) == []
        assert _reports(ue.measure_wlans({SET_WLAN: T1 - 5.0, OUT_A: good}, 1.6)) == []
    assert _reports(ue.measure_wlans({SET_WLAN: T1 + HYS + 0.5, OUT_A: good}, 2.0)) == []
    assert len(_reports(ue.measure_wlans({SET_WLAN: T1 - 5.0, OUT_A: good}, 3.0))) == 1
    assert _reports(ue.measure_wlans({SET_WLAN: T1 - 5.0, OUT_A: T2 - HYS}, 4.0)) == []
    assert _reports(ue.measure_wlans({SET_WLAN: T1 - 5.0, OUT_A: good}, 5.0)) == []


def test_ts36331_5_5_4_13_w3_not_left_at_the_boundary() -> None:
    """W3-2 at equality (Ms - Hys = Thresh) is not met: the set stays triggered, and getting
    worse again reports nothing new; past it, the set leaves and reports again later."""
    ue = _ue(W3, lwip=True)
    assert len(_reports(ue.measure_wlans({SET_WLAN: T1 - 5.0}, 1.0))) == 1
    assert _reports(ue.measure_wlans({SET_WLAN: T1 + HYS}, 2.0)) == []
    assert _reports(ue.measure_wlans({SET_WLAN: T1 - 5.0}, 3.0)) == []
    assert _reports(ue.measure_wlans({SET_WLAN: T1 + HYS + 0.5}, 4.0)) == []
    assert len(_reports(ue.measure_wlans({SET_WLAN: T1 - 5.0}, 5.0))) == 1


def test_ts36331_5_5_5_connected_wlan_is_flagged_and_the_best_wlan_comes_first() -> None:
    """The UE connected to the set's WLAN (tunnel set up over it) that becomes worse than the
    W3 threshold reports it with connectedWLAN TRUE; a W1 report of two WLANs entering at once
    lists the stronger first, neither connected."""
    ue = _ue(W3, lwip=True)  # the set's WLAN is available: associated at the set-up
    assert _reports(ue.measure_wlans({SET_WLAN: T1 - 5.0}, 1.0)) == [
        [(SET_WLAN.ssid, rrc.wlan_rssi_value(T1 - 5.0), True)]
    ]
    ue = _ue(W1, lwip=False)
    assert _reports(ue.measure_wlans({OUT_A: T1 + 3.0, OUT_B: T1 + 6.0}, 1.0)) == [
        [
            (OUT_B.ssid, rrc.wlan_rssi_value(T1 + 6.0), False),
            (OUT_A.ssid, rrc.wlan_rssi_value(T1 + 3.0), False),
        ]
    ]
