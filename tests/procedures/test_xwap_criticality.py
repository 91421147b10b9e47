"""A procedure code the eNB does not comprehend is handled by its criticality, TS 36.413 10.3.4.1
(applied to XwAP by TS 36.463 clause 10): reject and notify are answered with an Error
Indication, ignore is ignored.

The PDU is pycrate's encoding of an ERROR INDICATION (procedure code 4, 36.463 9.3.3) with its
procedure code and criticality octets then set by hand: APER puts the CHOICE index of XwAP-PDU in
the first octet, ProcedureCode INTEGER (0..255) in the second, and Criticality ENUMERATED
{reject, ignore, notify} in the top two bits of the third.
"""

from __future__ import annotations

import pytest
from helpers import spec_pdus as pdus
from helpers.simhelpers import new_sim

from lwip_enb.core.controller import SendXwap

UNKNOWN_PROCEDURE_CODE = 99  # 36.463 9.3.7 defines procedure codes 0..16 only
CRITICALITY_BITS = {"reject": 0x00, "ignore": 0x40, "notify": 0x80}


def _unknown_procedure(criticality: str) -> bytes:
    pdu = bytearray(pdus.reset())  # any initiating message of pycrate's
    kind, code, crit, *_ = pdus.read(bytes(pdu))
    assert kind == "initiatingMessage"
    assert (pdu[0], pdu[1], pdu[2] & 0xC0) == (0x00, code, CRITICALITY_BITS[crit])  # the layout
    pdu[1] = UNKNOWN_PROCEDURE_CODE
    pdu[2] = (pdu[2] & 0x3F) | CRITICALITY_BITS[criticality]
    return bytes(pdu)


@pytest.mark.parametrize(
    ("criticality", "cause"),
    [
        ("reject", "abstract-syntax-error-reject"),
        ("notify", "abstract-syntax-error-ignore-and-notify"),
        ("ignore", None),
    ],
)
def test_ts36413_10_3_4_1_not_comprehended_procedure_code_by_criticality(
    criticality: str, cause: str | None
) -> None:
    """TS 36.413 10.3.4.1: a Procedure Code not comprehended, criticality "reject": reject the
    procedure with the Error Indication procedure; "ignore and notify sender": ignore it and
    initiate Error Indication; "ignore": ignore the procedure, nothing is sent. The cause is the
    one TS 36.463 9.2.6 defines for the criticality: Abstract Syntax Error (Reject), or (Ignore
    and Notify) when "the concerned criticality indicated ignore and notify"."""
    sim = new_sim()
    out = sim.enb.receive_xwap("segw", _unknown_procedure(criticality), 0.0)
    sent = [pdus.read(o.pdu) for o in out if isinstance(o, SendXwap)]
    if cause is None:
        assert sent == []
    else:
        assert [(kind, code) for kind, code, *_ in sent] == [
            ("initiatingMessage", pdus.ERROR_INDICATION)
        ]
        assert sent[0][4][pdus.ID_CAUSE] == ("protocol", cause)
