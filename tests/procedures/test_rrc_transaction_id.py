"""RRCConnectionReconfigurationComplete answers the reconfiguration whose transaction id it
carries (TS 36.331 5.1.2): only the completion of the LWIP set-up moves the UE on.

The SeGW's and the UE's PDUs are built and read with pycrate (helpers/spec_pdus.py).
"""

from __future__ import annotations

from helpers import spec_pdus as pdus

from lwip_enb.core.controller import EnbController, SendRrc, SendXwap, StateChanged
from lwip_enb.core.fsm import State

KENB = bytes(range(32))


def _configuring() -> tuple[EnbController, int]:
    """UE 1 sent its LWIP set-up; returns the controller and that reconfiguration's
    rrc-TransactionIdentifier as pycrate reads it."""
    enb = EnbController()
    enb.add_segw("segw", "192.0.2.10")
    enb.receive_xwap("segw", pdus.xw_setup_response(), 0.0)
    out = enb.activate(1, kenb=KENB, wlan_mac="02:00:00:00:00:01", now=0.0)
    (request,) = [o.pdu for o in out if isinstance(o, SendXwap)]
    enb_ue_id = pdus.ue_id(pdus.read(request)[4][pdus.ID_ENB_UE_XWAP_ID])
    out = enb.receive_xwap("segw", pdus.lwip_addition_request_acknowledge(enb_ue_id, 7), 0.1)
    (setup,) = [o.pdu for o in out if isinstance(o, SendRrc)]
    name, body = pdus.read_dl_dcch(setup)
    assert name == "rrcConnectionReconfiguration"
    assert enb.state(1) is State.CONFIGURING
    return enb, body["rrc-TransactionIdentifier"]


def test_ts36331_5_1_2_completion_with_another_transaction_id_does_not_complete_the_setup() -> None:
    """TS 36.331 5.1.2: the UE sets rrc-TransactionIdentifier of a response to the value of the
    message that triggered it; E-UTRAN may start another procedure before the UE's response
    (NOTE 1). A completion with another transaction id answers another reconfiguration, not the
    LWIP set-up: the UE stays CONFIGURING; the completion with the set-up's id moves it on."""
    enb, tid = _configuring()
    for other in sorted({0, 1, 2, 3} - {tid}):
        out = enb.receive_rrc(1, "ul-dcch", pdus.reconfiguration_complete(other), 0.2)
        assert not [o for o in out if isinstance(o, StateChanged)]
        assert enb.state(1) is State.CONFIGURING, f"completion with id {other} (set-up: {tid})"
    out = enb.receive_rrc(1, "ul-dcch", pdus.reconfiguration_complete(tid), 0.3)
    assert enb.state(1) is State.CONFIGURED
    assert [(o.old, o.new) for o in out if isinstance(o, StateChanged)] == [
        (State.CONFIGURING, State.CONFIGURED)
    ]
