"""A UE-associated XwAP message names its UE-associated logical Xw connection by the pair (eNB UE
XwAP ID, WT UE XwAP ID) (TS 36.463 clause 3.1). A pair the eNB does not know is handled as TS
36.413 10.6 says (applied to XwAP by TS 36.463 clause 10): an Error Indication carrying the
received AP IDs, not the procedure the message would start.

The peer's PDUs are built and read with pycrate (helpers/spec_pdus.py).
"""

from __future__ import annotations

from helpers import spec_pdus as pdus
from helpers.simhelpers import messages, new_sim

from lwip_enb.core.controller import SendXwap
from lwip_enb.core.fsm import State
from lwip_enb.sim.simulation import Simulation


def _active_with_ids() -> tuple[Simulation, int, int]:
    """UE 1 active; its (eNB UE XwAP ID, WT UE XwAP ID) as read off the wire."""
    sim = new_sim()
    sim.activate(1)
    (request,) = messages(sim, "LWIPAdditionRequest")
    (ack,) = messages(sim, "LWIPAdditionRequestAcknowledge")
    enb_ue_id = pdus.ue_id(pdus.read(bytes.fromhex(request["pdu"]))[4][pdus.ID_ENB_UE_XWAP_ID])
    wt_ue_id = pdus.ue_id(pdus.read(bytes.fromhex(ack["pdu"]))[4][pdus.ID_WT_UE_XWAP_ID])
    return sim, enb_ue_id, wt_ue_id


def _sent(outputs: list[object]) -> list[tuple[str, int, str, str, dict[int, object]]]:
    return [pdus.read(o.pdu) for o in outputs if isinstance(o, SendXwap)]


def test_ts36413_10_6_release_required_with_a_wrong_wt_ue_xwap_id_releases_the_ue() -> None:
    """TS 36.413 10.6 (via TS 36.463 clause 10): a message (not the first of its connection)
    whose AP IDs identify no logical connection the node knows is answered by an Error Indication
    with the received AP IDs and an appropriate cause, and the node releases locally "any
    established UE-associated logical connection" with the erroneous AP IDs. LWIP RELEASE
    REQUIRED with the eNB's own eNB UE XwAP ID but another WT UE XwAP ID names no connection of
    the eNB: no LWIP RELEASE CONFIRM (8.17.2), an Error Indication, and the UE (whose eNB UE
    XwAP ID it carries) is released. Beyond the text, the SeGW is sent LWIP RELEASE REQUEST for
    the pair the eNB held and for the pair received, so that it keeps no PSK."""
    sim, enb_ue_id, wt_ue_id = _active_with_ids()
    wrong = (wt_ue_id + 1) % (1 << 24)
    out = sim.enb.receive_xwap("segw", pdus.lwip_release_required(enb_ue_id, wrong), sim.now)

    sent = _sent(out)
    assert [(kind, code) for kind, code, *_ in sent] == [
        ("initiatingMessage", pdus.ENB_INITIATED_LWIP_RELEASE),
        ("initiatingMessage", pdus.ENB_INITIATED_LWIP_RELEASE),
        ("initiatingMessage", pdus.ERROR_INDICATION),
    ], "releases and an Error Indication, and no LWIP RELEASE CONFIRM"
    held, received, indication = (ies for *_, ies in sent)
    assert (pdus.ue_id(held[pdus.ID_ENB_UE_XWAP_ID]), pdus.ue_id(held[pdus.ID_WT_UE_XWAP_ID])) == (
        enb_ue_id,
        wt_ue_id,
    )
    assert pdus.ue_id(received[pdus.ID_WT_UE_XWAP_ID]) == wrong
    assert pdus.ue_id(indication[pdus.ID_ENB_UE_XWAP_ID]) == enb_ue_id  # the received AP IDs
    assert pdus.ue_id(indication[pdus.ID_WT_UE_XWAP_ID]) == wrong
    assert indication[pdus.ID_CAUSE] == ("radioNetwork", "unknown-pair-of-UE-XwAP-ID")
    assert sim.enb.state(1) is State.IDLE
    sim.deliver(out)
    assert sim.segw.psk_count() == 0  # the reference SeGW took the release of the held pair


def test_ts36463_8_17_2_release_required_with_the_right_pair_is_confirmed() -> None:
    """TS 36.463 8.17.2: on LWIP RELEASE REQUIRED the eNB replies with LWIP RELEASE CONFIRM (the
    counterpart of the test above: the same PDU with the pair the WT gave)."""
    sim, enb_ue_id, wt_ue_id = _active_with_ids()
    out = sim.enb.receive_xwap("segw", pdus.lwip_release_required(enb_ue_id, wt_ue_id), sim.now)

    sent = _sent(out)
    assert [(kind, code) for kind, code, *_ in sent] == [
        ("successfulOutcome", pdus.WT_INITIATED_LWIP_RELEASE)
    ]
    ies = sent[0][4]
    assert (pdus.ue_id(ies[pdus.ID_ENB_UE_XWAP_ID]), pdus.ue_id(ies[pdus.ID_WT_UE_XWAP_ID])) == (
        enb_ue_id,
        wt_ue_id,
    )
