"""Behaviour 6: Xw Reset or loss of the association releases every UE on that SeGW; malformed or
unexpected XwAP gets an Error Indication (36.463 clause 10)."""

from __future__ import annotations

from helpers.simhelpers import new_sim

from lwip_enb.codec import xwap
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import (
    InputRejected,
    Rejection,
    ReleaseReason,
    ReleaseTrigger,
    SendRrc,
    SendXwap,
    TunnelReleased,
)
from lwip_enb.sim.simulation import Simulation


def _three_active() -> Simulation:
    sim = Simulation()
    for k in (1, 2, 3):
        sim.add_ue(k)
        sim.activate(k)
    return sim


def test_reset_from_segw_releases_all_ues_and_is_answered() -> None:
    sim = _three_active()
    out = sim.enb.receive_xwap(
        "segw", xwap.encode(xwap.Reset(xwap.Cause.misc("om-intervention"))), 1.0
    )
    released = {(o.ue, o.reason) for o in out if isinstance(o, TunnelReleased)}
    assert released == {(k, ReleaseReason(ReleaseTrigger.SEGW_LOST)) for k in (1, 2, 3)}
    assert sum(isinstance(o, SendRrc) for o in out) == 3  # each UE told to release
    assert [type(o.message).__name__ for o in out if isinstance(o, SendXwap)] == ["ResetResponse"]
    assert all(sim.enb.state(k) is State.IDLE for k in (1, 2, 3))


def test_association_loss_releases_all_ues_locally() -> None:
    sim = _three_active()
    out = sim.enb.segw_lost("segw", 1.0)
    released = {(o.ue, o.reason) for o in out if isinstance(o, TunnelReleased)}
    assert released == {(k, ReleaseReason(ReleaseTrigger.SEGW_LOST)) for k in (1, 2, 3)}
    assert not [o for o in out if isinstance(o, SendXwap)]  # nothing can reach the SeGW
    assert all(sim.enb.state(k) is State.IDLE for k in (1, 2, 3))
    assert not sim.enb.segw_ready("segw")


def test_garbage_gets_error_indication_with_transfer_syntax_error() -> None:
    sim = new_sim()
    out = sim.enb.receive_xwap("segw", b"\xff\xff\xff", 0.0)
    (send,) = [o for o in out if isinstance(o, SendXwap)]
    assert send.message == xwap.ErrorIndication(cause=xwap.Cause.protocol("transfer-syntax-error"))
    assert xwap.decode(send.pdu) == send.message
    (rejected,) = [o for o in out if isinstance(o, InputRejected)]
    assert (rejected.kind, rejected.segw, rejected.cause) == (
        Rejection.UNDECODABLE,
        "segw",
        send.message.cause,
    )
    assert rejected.error is not None and rejected.error.cause == "transfer-syntax-error"


def test_unknown_ue_id_gets_error_indication() -> None:
    sim = new_sim()
    required = xwap.LwipReleaseRequired(4242, 7, xwap.Cause.misc("unspecified"))
    out = sim.enb.receive_xwap("segw", xwap.encode(required), 0.0)
    (send,) = [o for o in out if isinstance(o, SendXwap)]
    assert isinstance(send.message, xwap.ErrorIndication)
    assert send.message.cause == xwap.Cause.radio_network("unknown-eNB-UE-XwAP-ID")
    assert (send.message.enb_ue_id, send.message.wt_ue_id) == (4242, 7)
    (rejected,) = [o for o in out if isinstance(o, InputRejected)]
    assert rejected.kind is Rejection.UNKNOWN_XWAP_IDS
    assert (rejected.enb_ue_id, rejected.wt_ue_id) == (4242, 7)
    assert (rejected.message, rejected.procedure) == ("LWIPReleaseRequired", 16)


def test_message_only_an_enb_sends_is_not_compatible() -> None:
    sim = new_sim()
    out = sim.enb.receive_xwap("segw", xwap.encode(xwap.LwipReleaseRequest(1, 2)), 0.0)
    (send,) = [o for o in out if isinstance(o, SendXwap)]
    assert send.message.cause == xwap.Cause.protocol("message-not-compatible-with-receiver-state")  # type: ignore[attr-defined]
    diag = send.message.criticality_diagnostics  # type: ignore[attr-defined]
    assert diag.procedure_code == 15
    (rejected,) = [o for o in out if isinstance(o, InputRejected)]
    assert (rejected.kind, rejected.message) == (Rejection.UNEXPECTED_MESSAGE, "LWIPReleaseRequest")
    assert rejected.procedure == 15 and rejected.detail.startswith("LWIPReleaseRequest from segw")


def test_missing_mandatory_ie_reported_in_criticality_diagnostics() -> None:
    from helpers import pycrate_oracle as oracle

    data = oracle.xwap_encode(
        (
            "initiatingMessage",
            {
                "procedureCode": 16,
                "criticality": "reject",
                "value": (
                    "LWIPReleaseRequired",
                    {
                        "protocolIEs": [
                            {
                                "id": 25,
                                "criticality": "reject",
                                "value": ("UE-XwAP-ID", b"\x00\x00\x01"),
                            },
                            {
                                "id": 4,
                                "criticality": "ignore",
                                "value": ("Cause", ("misc", "unspecified")),
                            },
                        ]
                    },
                ),
            },
        )
    )
    sim = new_sim()
    out = sim.enb.receive_xwap("segw", data, 0.0)
    (send,) = [o for o in out if isinstance(o, SendXwap)]
    diag = send.message.criticality_diagnostics  # type: ignore[attr-defined]
    assert diag.procedure_code == 16
    assert diag.ies == (xwap.IeDiagnostic("reject", 26, "missing"),)
    assert send.message.cause == xwap.Cause.protocol("abstract-syntax-error-reject")  # type: ignore[attr-defined]
