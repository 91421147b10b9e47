"""XwAP (TS 36.463, APER): our bytes equal pycrate's, both ways, for every modelled message;
strict decoding reports what an Error Indication needs (36.463 clause 10)."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from helpers import pycrate_oracle as oracle
from helpers import strategies as s
from hypothesis import given, settings
from hypothesis import strategies as st

from lwip_enb.codec import xwap
from lwip_enb.errors import DecodeError, InvalidFieldError
from lwip_enb.keys import KeyMaterial


def _same_as_pycrate(msg: xwap.XwapMessage) -> bytes:
    ours = xwap.encode(msg)
    theirs = oracle.xwap_encode(oracle.xwap_value(msg))
    assert ours.hex() == theirs.hex()
    assert xwap.decode(theirs) == msg
    return ours


@settings(max_examples=1000)
@given(s.xwap_messages)
def test_every_message_matches_pycrate(msg: xwap.XwapMessage) -> None:
    _same_as_pycrate(msg)


@pytest.mark.parametrize("group", list(xwap.CauseGroup))
def test_every_cause_value(group: xwap.CauseGroup) -> None:
    for value in s.CAUSES[group]:
        _same_as_pycrate(xwap.LwipReleaseRequired(1, 2, xwap.Cause(group, value)))


def test_cause_values_come_from_the_module() -> None:
    for group, values in s.CAUSES.items():
        assert set(values) == set(xwap.messages.enumeration(group.asn1_type))
    with pytest.raises(InvalidFieldError):
        xwap.Cause.radio_network("handover-desirable")


def test_lwip_addition_carries_psk_and_idi() -> None:
    psk = bytes(range(32))
    msg = xwap.LwipAdditionRequest(
        0x000102, "02:00:00:00:00:01", xwap.SeGwSecurityInfo(KeyMaterial(psk), b"\x11" * 16)
    )
    data = _same_as_pycrate(msg)
    value = oracle.xwap_decode(data)
    ies = {ie["id"]: ie["value"] for ie in value[1]["value"][1]["protocolIEs"]}
    assert ies[69][1]["lWIP-PSK"] == (int.from_bytes(psk, "big"), 256)
    assert ies[69][1]["iKE-Initiator-Identity"] == b"\x11" * 16
    assert ies[25][1] == b"\x00\x01\x02"


def test_psk_never_in_repr() -> None:
    psk = KeyMaterial(b"\xab" * 32)
    msg = xwap.LwipAdditionRequest(1, b"\x02" * 6, xwap.SeGwSecurityInfo(psk, b"i"))
    assert "abab" not in repr(msg)
    decoded = xwap.decode(xwap.encode(msg))
    assert "abab" not in repr(decoded) and "abab" not in str(decoded)


# --- strictness (36.463 clause 10) ---------------------------------------------------------


def _pdu(message: str, ies: list[dict[str, Any]]) -> bytes:
    kind, code, crit = oracle.PROCEDURES[message]
    return oracle.xwap_encode(
        (
            kind,
            {"procedureCode": code, "criticality": crit, "value": (message, {"protocolIEs": ies})},
        )
    )


def _ue_id(ie_id: int, crit: str, v: int) -> dict[str, Any]:
    return {"id": ie_id, "criticality": crit, "value": ("UE-XwAP-ID", v.to_bytes(3, "big"))}


def test_ts36413_10_3_5_missing_mandatory_ie_of_criticality_ignore_decodes_without_it() -> None:
    """TS 36.413 10.3.5 (via 36.463 clause 10): a missing IE whose criticality is ignore does not
    stop the procedure: LWIP RELEASE REQUIRED without its Cause (id-Cause, ignore, 9.3.4) is the
    message with no cause, not a decoding error."""
    data = _pdu("LWIPReleaseRequired", [_ue_id(25, "reject", 1), _ue_id(26, "reject", 2)])
    assert xwap.decode(data) == xwap.LwipReleaseRequired(1, 2, None)
    assert xwap.decode(data, fast=False) == xwap.LwipReleaseRequired(1, 2, None)


def test_ts36413_10_3_5_missing_mandatory_ie_of_criticality_reject_raises() -> None:
    """TS 36.413 10.3.5: a missing IE of criticality reject stops the message, with what the
    Error Indication needs (procedure, IE id, criticality, missing)."""
    data = _pdu("LWIPReleaseRequired", [_ue_id(25, "reject", 1)])
    with pytest.raises(DecodeError) as err:
        xwap.decode(data)
    e = err.value
    assert (e.procedure_code, e.ie_id, e.criticality, e.type_of_error) == (
        16,
        26,
        "reject",
        "missing",
    )
    assert e.triggering_message == "initiatingMessage"


def test_ts36413_10_3_4_2_cause_value_not_comprehended_with_ignore_is_skipped() -> None:
    """TS 36.413 10.3.4.2, "Ignore IE": an IE of criticality ignore whose value this version
    cannot read (a CauseMisc extension value, index 5 of the extension additions, which
    36.463 V17.0.0 does not define) is skipped and the rest of the message is taken."""
    good = _pdu(
        "LWIPReleaseRequired",
        [
            _ue_id(25, "reject", 1),
            _ue_id(26, "reject", 2),
            {"id": 4, "criticality": "ignore", "value": ("Cause", ("misc", "unspecified"))},
        ],
    )
    # the Cause IE is last: id 00 04, criticality ignore (0x40), length 1, the Cause octet
    assert good.endswith(bytes.fromhex("0004400168"))
    # Cause: extension bit 0, misc (index 3), then CauseMisc's extension bit 1 and index 5 as a
    # normally small number (0, 000101): 0 11 1 0000101 -> 0111 0000 1010 0000
    unknown = good[:-2] + bytes.fromhex("0270a0")
    data = unknown[:3] + bytes([unknown[3] + 1]) + unknown[4:]  # the open type got one longer
    for fast in (True, False):
        assert xwap.decode(data, fast=fast) == xwap.LwipReleaseRequired(1, 2, None)


def test_missing_ue_id_in_release_request() -> None:
    data = _pdu("LWIPReleaseRequest", [_ue_id(25, "reject", 1)])
    with pytest.raises(DecodeError) as err:
        xwap.decode(data)
    assert err.value.ie_id == 26 and err.value.criticality == "reject"
    assert err.value.cause == "abstract-syntax-error-reject"


def _release_request_with_extra(crit: str) -> bytes:
    # pycrate cannot encode an IE id outside the set, so build the open type by hand:
    # IE id 999 with a one-octet value; APER: id (2 octets), criticality, length, value.
    good = _pdu("LWIPReleaseRequest", [_ue_id(25, "reject", 1), _ue_id(26, "reject", 2)])
    crit_bits = {"reject": 0x00, "ignore": 0x40, "notify": 0x80}[crit]
    extra = bytes([0x03, 0xE7, crit_bits, 0x01, 0x00])
    # good = procedureCode, criticality, length of the open type (1 octet here), then the
    # message: extension bit + IE count (3 octets: 00 00 02), then the IEs.
    assert good[3] == len(good) - 4 and good[4:7] == b"\x00\x00\x02"
    body = b"\x00\x00\x03" + good[7:] + extra
    return good[:3] + bytes([len(body)]) + body


def test_unknown_ie_reject_raises_with_diagnostics() -> None:
    with pytest.raises(DecodeError) as err:
        xwap.decode(_release_request_with_extra("reject"))
    e = err.value
    assert (e.ie_id, e.criticality, e.type_of_error, e.cause) == (
        999,
        "reject",
        "not-understood",
        "abstract-syntax-error-reject",
    )
    assert e.procedure_code == 15


def test_unknown_ie_ignore_is_skipped_and_notify_reported() -> None:
    assert xwap.decode(_release_request_with_extra("ignore")) == xwap.LwipReleaseRequest(1, 2)
    msg, notes = xwap.decode_with_notify(_release_request_with_extra("notify"))
    assert msg == xwap.LwipReleaseRequest(1, 2)
    assert notes == (xwap.IeDiagnostic("notify", 999, "not-understood"),)


def test_unknown_procedure_code() -> None:
    # procedureCode 200 is in no elementary procedure: the open type stays raw.
    data = bytes([0x00, 200, 0x00, 0x01, 0x00])
    with pytest.raises(DecodeError) as err:
        xwap.decode(data)
    assert err.value.procedure_code == 200 and err.value.criticality == "reject"


def test_trailing_bytes_refused() -> None:
    data = xwap.encode(xwap.LwipReleaseRequest(1, 2))
    with pytest.raises(DecodeError):
        xwap.decode(data + b"\x00")


def test_truncations_refused() -> None:
    data = xwap.encode(xwap.LwipReleaseRequired(1, 2, xwap.Cause.misc("om-intervention")))
    for cut in range(len(data)):
        with pytest.raises(DecodeError):
            xwap.decode(data[:cut])


@settings(max_examples=2000)
@given(st.binary(max_size=80))
def test_random_bytes_raise_only_decode_error(data: bytes) -> None:
    with contextlib.suppress(DecodeError):
        xwap.decode(data)


@given(s.xwap_messages, st.data())
def test_mutated_messages_raise_only_decode_error(
    msg: xwap.XwapMessage, data: st.DataObject
) -> None:
    raw = bytearray(xwap.encode(msg))
    pos = data.draw(st.integers(0, len(raw) - 1))
    raw[pos] ^= data.draw(st.integers(1, 255))
    with contextlib.suppress(DecodeError):
        xwap.decode(bytes(raw))


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: xwap.LwipReleaseRequest(1 << 24, 0), "ue_xwap_id"),
        (lambda: xwap.LwipAdditionRequest(1, b"\x00" * 5, None), "wlan_mac"),
        (lambda: xwap.SeGwSecurityInfo(KeyMaterial(b"\x00" * 31), b"i"), "psk"),
        (lambda: xwap.SeGwSecurityInfo(KeyMaterial(b"\x00" * 32), b""), "idi"),
        (lambda: xwap.GtpTunnelEndpoint("192.0.2.1", b"\x00"), "gtp_teid"),
        (lambda: xwap.GlobalEnbId(b"\x00\x00\x00", 1 << 20), "enb_id"),
        (
            lambda: xwap.XwSetupFailure(xwap.Cause.misc("unspecified"), time_to_wait_s=3),
            "time_to_wait_s",
        ),
    ],
)
def test_bad_fields_fail_where_made(build: object, field: str) -> None:
    with pytest.raises(InvalidFieldError) as err:
        build()  # type: ignore[operator]
    assert err.value.field == field


def test_duplicate_ie_is_falsely_constructed() -> None:
    data = _pdu(
        "LWIPReleaseRequest",
        [_ue_id(25, "reject", 1), _ue_id(26, "reject", 2), _ue_id(26, "reject", 3)],
    )
    with pytest.raises(DecodeError) as err:
        xwap.decode(data)
    assert err.value.cause == "abstract-syntax-error-falsely-constructed-message"
    assert err.value.ie_id == 26
