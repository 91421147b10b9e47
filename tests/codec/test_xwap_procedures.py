"""Each typed XwAP class is bound to the right ASN.1 message of the right elementary procedure.

The other codec tests build pycrate's value from each class's own ``MESSAGE``, so a class bound to
another message with the same IEs (LWIP RELEASE REQUEST and LWIP RELEASE REQUIRED, say) would pass
them. Here the binding is written out by hand from TS 36.463 V17.0.0 (Tables 8.1-1 and 8.1-2 for
the message of each procedure and its place, clause 9.3.3 for the XWAP-ELEMENTARY-PROCEDURE
objects with their CRITICALITY, clause 9.3.7 for the procedure codes), and our encoding is read
back with pycrate.
"""

from __future__ import annotations

import pytest
from helpers import pycrate_oracle as oracle

from lwip_enb.codec import xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.keys import KeyMaterial

INITIATING, SUCCESSFUL, UNSUCCESSFUL = (
    "initiatingMessage",
    "successfulOutcome",
    "unsuccessfulOutcome",
)

#: class name -> (ASN.1 message, procedure code, procedure criticality, XwAP-PDU alternative)
EXPECTED = {
    # id-xwSetup = 0, Xw Setup, CRITICALITY reject (class 1)
    "XwSetupRequest": ("XwSetupRequest", 0, "reject", INITIATING),
    "XwSetupResponse": ("XwSetupResponse", 0, "reject", SUCCESSFUL),
    "XwSetupFailure": ("XwSetupFailure", 0, "reject", UNSUCCESSFUL),
    # id-errorIndication = 4, Error Indication, CRITICALITY ignore (class 2)
    "ErrorIndication": ("ErrorIndication", 4, "ignore", INITIATING),
    # id-reset = 5, Reset, CRITICALITY reject (class 1, no unsuccessful outcome)
    "Reset": ("Reset", 5, "reject", INITIATING),
    "ResetResponse": ("ResetResponse", 5, "reject", SUCCESSFUL),
    # id-lWIPAdditionPreparation = 13, LWIP Addition Preparation, CRITICALITY reject (class 1)
    "LwipAdditionRequest": ("LWIPAdditionRequest", 13, "reject", INITIATING),
    "LwipAdditionRequestAcknowledge": ("LWIPAdditionRequestAcknowledge", 13, "reject", SUCCESSFUL),
    "LwipAdditionRequestReject": ("LWIPAdditionRequestReject", 13, "reject", UNSUCCESSFUL),
    # id-eNBInitiatedLWIPModification = 14, CRITICALITY reject (class 1)
    "LwipModificationRequest": ("LWIPModificationRequest", 14, "reject", INITIATING),
    "LwipModificationRequestAcknowledge": (
        "LWIPModificationRequestAcknowledge",
        14,
        "reject",
        SUCCESSFUL,
    ),
    "LwipModificationRequestReject": ("LWIPModificationRequestReject", 14, "reject", UNSUCCESSFUL),
    # id-eNBInitiatedLWIPRelease = 15, eNB Initiated LWIP Release, CRITICALITY ignore (class 2)
    "LwipReleaseRequest": ("LWIPReleaseRequest", 15, "ignore", INITIATING),
    # id-wTInitiatedLWIPRelease = 16, WT Initiated LWIP Release, CRITICALITY reject (class 1)
    "LwipReleaseRequired": ("LWIPReleaseRequired", 16, "reject", INITIATING),
    "LwipReleaseConfirm": ("LWIPReleaseConfirm", 16, "reject", SUCCESSFUL),
    # id-wTConfigurationUpdate = 1, WT Configuration Update, CRITICALITY reject (class 1)
    "WtConfigurationUpdate": ("WTConfigurationUpdate", 1, "reject", INITIATING),
    "WtConfigurationUpdateAcknowledge": (
        "WTConfigurationUpdateAcknowledge",
        1,
        "reject",
        SUCCESSFUL,
    ),
    "WtConfigurationUpdateFailure": ("WTConfigurationUpdateFailure", 1, "reject", UNSUCCESSFUL),
}

CAUSE = xwap.Cause.misc("unspecified")


def _sample(name: str) -> xwap.XwapMessage:
    """One valid instance of each class, mandatory IEs only."""
    samples: dict[str, xwap.XwapMessage] = {
        "XwSetupRequest": xwap.XwSetupRequest(xwap.GlobalEnbId(b"\x00\xf1\x10", 0x1234)),
        "XwSetupResponse": xwap.XwSetupResponse(xwap.WtId(1), (WlanIdentifiers(ssid=b"w"),)),
        "XwSetupFailure": xwap.XwSetupFailure(CAUSE),
        "ErrorIndication": xwap.ErrorIndication(1, 2, CAUSE),
        "Reset": xwap.Reset(CAUSE),
        "ResetResponse": xwap.ResetResponse(),
        "LwipAdditionRequest": xwap.LwipAdditionRequest(
            1, b"\x02\x00\x00\x00\x00\x01", xwap.SeGwSecurityInfo(KeyMaterial(bytes(32)), b"i")
        ),
        "LwipAdditionRequestAcknowledge": xwap.LwipAdditionRequestAcknowledge(1, 2),
        "LwipAdditionRequestReject": xwap.LwipAdditionRequestReject(1, CAUSE),
        "LwipModificationRequest": xwap.LwipModificationRequest(1, 2, CAUSE),
        "LwipModificationRequestAcknowledge": xwap.LwipModificationRequestAcknowledge(1, 2),
        "LwipModificationRequestReject": xwap.LwipModificationRequestReject(1, 2, CAUSE),
        "LwipReleaseRequest": xwap.LwipReleaseRequest(1, 2, CAUSE),
        "LwipReleaseRequired": xwap.LwipReleaseRequired(1, 2, CAUSE),
        "LwipReleaseConfirm": xwap.LwipReleaseConfirm(1, 2),
        "WtConfigurationUpdate": xwap.WtConfigurationUpdate(),
        "WtConfigurationUpdateAcknowledge": xwap.WtConfigurationUpdateAcknowledge(),
        "WtConfigurationUpdateFailure": xwap.WtConfigurationUpdateFailure(CAUSE),
    }
    return samples[name]


def _typed_classes() -> set[str]:
    return {
        name
        for name in xwap.__all__
        if isinstance(cls := getattr(xwap, name), type)
        and issubclass(cls, xwap.XwapMessage)
        and cls is not xwap.XwapMessage
    }


def test_every_typed_xwap_class_is_in_the_table() -> None:
    """A new message class needs its row here before the test below can vouch for it."""
    assert _typed_classes() == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_ts36463_9_3_3_class_is_bound_to_its_message_and_procedure(name: str) -> None:
    """TS 36.463 8.1 and 9.3.3: the class's ASN.1 message, the procedure code and criticality
    of its elementary procedure and the XwAP-PDU alternative, on the class and in its encoding
    as pycrate reads it; pycrate's encoding of the same PDU decodes to the class."""
    message, code, criticality, kind = EXPECTED[name]
    msg = _sample(name)
    bound_to = type(msg).MESSAGE
    assert bound_to == message
    assert (msg.procedure_code, msg.kind.value) == (code, kind)

    pdu = xwap.encode(msg)
    got_kind, body = oracle.xwap_decode(pdu)
    assert (got_kind, body["procedureCode"], body["criticality"], body["value"][0]) == (
        kind,
        code,
        criticality,
        message,
    )
    # The other way: pycrate encodes the PDU from the table's names; we decode it to the class.
    value = (
        kind,
        {"procedureCode": code, "criticality": criticality, "value": (message, body["value"][1])},
    )
    assert type(xwap.decode(oracle.xwap_encode(value))).__name__ == name
