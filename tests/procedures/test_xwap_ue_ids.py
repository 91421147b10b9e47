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


def test_ts36413_10_6_release_required_with_a_wrong_wt_ue_xwap_id_gets_error_indication() -> None:
    """TS 36.413 10.6 (via TS 36.463 clause 10): a message (not the first of its connection)
    whose AP IDs identify no logical connection the node knows is answered by an Error Indication
    with the received AP IDs and an appropriate cause. LWIP RELEASE REQUIRED with the eNB's own
    eNB UE XwAP ID but another WT UE XwAP ID names no connection of the eNB, so the WT Initiated
    LWIP Release (TS 36.463 8.17.2, answered by LWIP RELEASE CONFIRM) does not take place."""
    sim, enb_ue_id, wt_ue_id = _active_with_ids()
    wrong = (wt_ue_id + 1) % (1 << 24)
    out = sim.enb.receive_xwap("segw", pdus.lwip_release_required(enb_ue_id, wrong), sim.now)

    sent = _sent(out)
    assert [(kind, code) for kind, code, *_ in sent] == [
        ("initiatingMessage", pdus.ERROR_INDICATION)
    ], "an Error Indication, and no LWIP RELEASE CONFIRM"
    ies = sent[0][4]
    assert pdus.ue_id(ies[pdus.ID_ENB_UE_XWAP_ID]) == enb_ue_id  # the received AP IDs
    assert pdus.ue_id(ies[pdus.ID_WT_UE_XWAP_ID]) == wrong
    assert ies[pdus.ID_CAUSE] in (
        ("radioNetwork", "unknown-pair-of-UE-XwAP-ID"),
        ("radioNetwork", "unknown-WT-UE-XwAP-ID"),
    )


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
