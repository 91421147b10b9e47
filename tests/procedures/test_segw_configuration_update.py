"""WT Configuration Update from the reference SeGW (TS 36.463 8.3): a change of its WLANs is sent
to each eNB as WT CONFIGURATION UPDATE with the WLANs added, modified and deleted (8.3.2, with
their WLAN Usage, 9.2.31); ACKNOWLEDGE makes the new list the eNB's, FAILURE leaves the old one
and its Time To Wait holds back the next update (8.3.3); a guard time ends an unanswered one.

The eNB's answers are built with pycrate (helpers/spec_pdus.py), the SeGW's PDUs read with it.
"""

from __future__ import annotations

from helpers import spec_pdus as pdus
from helpers.segwhelpers import ENB, ready_segw, sent

from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import WlanInformation, WlanUsage
from lwip_enb.peers import segw_outputs as out
from lwip_enb.peers.segw import SegwConfig
from lwip_enb.sim.simulation import Simulation

A = WlanIdentifiers(b"a", bytes.fromhex("0200000000aa"))


def _info(w: WlanIdentifiers, usage: WlanUsage | None) -> WlanInformation:
    return WlanInformation(w.ssid, w.bssid, w.hessid, usage)


B = WlanIdentifiers(b"b")
C = WlanIdentifiers(b"c")
CONFIG = SegwConfig(wlan_identifiers=(A, B), configuration_update_guard_s=5.0)


def _ended(outputs: list[object]) -> list[out.ConfigurationUpdateEnded]:
    return [o for o in outputs if isinstance(o, out.ConfigurationUpdateEnded)]


def test_ts36463_8_3_2_wt_configuration_update_lists_added_modified_and_deleted_wlans() -> None:
    """8.3.2: the update carries "lists of added, modified and deleted WLAN identifiers". A
    (with a BSSID) goes: deleted by its BSSID; B is now offered for LWA only: modified, without
    WLAN Usage; C is new, for LWIP only."""
    segw = ready_segw(CONFIG)
    lwa_b = _info(B, None)
    outputs = segw.update_wlans([lwa_b, C], 1.0)
    (update,) = sent(outputs)
    assert (update[0], update[1], update[3]) == (
        "initiatingMessage",
        pdus.WT_CONFIGURATION_UPDATE,
        "WTConfigurationUpdate",
    )
    ies = update[4]
    (added,) = ies[pdus.ID_WLAN_IDENTIFIERS_TO_ADD_LIST]
    assert added["value"][1]["wLANInformation"] == {
        "sSID": b"c",
        "iE-Extensions": [
            {
                "id": pdus.ID_WLAN_USAGE,
                "criticality": "reject",
                "extensionValue": ("WLANUsage", "lWIPonly"),
            }
        ],
    }
    (modified,) = ies[pdus.ID_WLAN_IDENTIFIERS_TO_MODIFY_LIST]
    assert modified["value"][1]["wLANInformation"] == {"sSID": b"b"}
    (removed,) = ies[pdus.ID_WLAN_IDENTIFIERS_TO_DELETE_LIST]
    assert removed["value"][1] == {"bSSID": A.bssid}
    assert pdus.ID_WLAN_IDENTIFIERS_TO_DELETE_EXTENSION_LIST not in ies
    assert segw.wlans(ENB) == (
        _info(A, WlanUsage.LWIP_ONLY),
        _info(B, WlanUsage.LWIP_ONLY),
    )

    ack = segw.receive_xwap(ENB, pdus.wt_configuration_update_acknowledge(), 1.5)
    assert _ended(ack) == [out.ConfigurationUpdateEnded(ENB, out.UpdateResult.ACKNOWLEDGED)]
    assert segw.wlans(ENB) == (lwa_b, _info(C, WlanUsage.LWIP_ONLY))


def test_ts36463_8_3_2_a_wlan_without_bssid_is_deleted_by_ssid_and_hessid() -> None:
    segw = ready_segw(CONFIG)
    (update,) = sent(segw.update_wlans([A], 1.0))
    (removed,) = update[4][pdus.ID_WLAN_IDENTIFIERS_TO_DELETE_EXTENSION_LIST]
    assert removed["value"][1] == {"sSID": b"b"}


def test_ts36463_8_3_3_failure_with_time_to_wait_holds_back_the_next_update() -> None:
    """8.3.3: on WT CONFIGURATION UPDATE FAILURE both nodes keep their configuration; with Time
    To Wait the WT "shall wait at least for the indicated time before reinitiating". A change
    within the wait goes out when it is over."""
    segw = ready_segw(CONFIG)
    segw.update_wlans([A], 1.0)
    failure = pdus.wt_configuration_update_failure(time_to_wait="v10s")
    ended = _ended(segw.receive_xwap(ENB, failure, 2.0))
    assert [(e.result, e.time_to_wait_s) for e in ended] == [(out.UpdateResult.FAILED, 10)]
    assert [w.ssid for w in segw.wlans(ENB)] == [b"a", b"b"]  # the eNB's list is unchanged

    assert segw.update_wlans([A, C], 3.0) == []
    assert segw.next_timer() == 12.0
    (update,) = sent(segw.handle_timer(12.0))
    assert update[3] == "WTConfigurationUpdate"
    assert pdus.ID_WLAN_IDENTIFIERS_TO_ADD_LIST in update[4]


def test_ts36463_8_3_one_update_at_a_time_and_an_unanswered_one_ends_at_its_guard() -> None:
    """The SeGW does not start an update while one waits for its answer; the change goes out
    after the answer. Without an answer within the guard time the update ends unanswered."""
    segw = ready_segw(CONFIG)
    assert len(sent(segw.update_wlans([A], 1.0))) == 1
    assert segw.update_wlans([C], 2.0) == []  # waits for the first one's answer
    follow_up = segw.receive_xwap(ENB, pdus.wt_configuration_update_acknowledge(), 3.0)
    assert [r[3] for r in sent(follow_up)] == ["WTConfigurationUpdate"]
    assert _ended(segw.handle_timer(8.0)) == [
        out.ConfigurationUpdateEnded(ENB, out.UpdateResult.NO_ANSWER)
    ]


def test_ts36413_10_4_an_answer_to_no_update_is_reported_only() -> None:
    """TS 36.413 10.4: a response message of a class 1 procedure that is not under way is a
    logical error in a response: local error handling, no Error Indication."""
    segw = ready_segw(CONFIG)
    outputs = segw.receive_xwap(ENB, pdus.wt_configuration_update_acknowledge(), 1.0)
    assert sent(outputs) == []
    (rejected,) = [o for o in outputs if isinstance(o, out.InputRejected)]
    assert rejected.kind is out.Rejection.UNEXPECTED_MESSAGE


def test_ts36463_8_6_error_indication_about_the_update_ends_it() -> None:
    """An Error Indication from the eNB whose Criticality Diagnostics name the WT Configuration
    Update procedure reports an error in the update (8.6.1), which then has no outcome of its
    own: it failed and the eNB keeps its list (8.3.3). Against the library's eNB, whatever it
    answers, the update ends."""
    segw = ready_segw(CONFIG)
    segw.update_wlans([A], 1.0)
    indication = pdus.error_indication(
        None, None, ("protocol", "unspecified"), pdus.WT_CONFIGURATION_UPDATE
    )
    ended = _ended(segw.receive_xwap(ENB, indication, 1.5))
    assert [e.result for e in ended] == [out.UpdateResult.FAILED]

    sim = Simulation(segw_config=CONFIG)
    sim.deliver_from_segw(sim.segw.update_wlans([A, C], sim.now))
    assert [r["message"] for r in sim.trace if r.get("src") == "segw"][-1:] == [
        "WTConfigurationUpdate"
    ]
    # The eNB answered, one way or the other, at once: the update is over and the next goes out.
    assert sent(sim.segw.update_wlans([A], sim.now))
