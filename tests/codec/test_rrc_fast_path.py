"""The hand-specialised RRC UPER path (lwip_enb.codec.rrc.fast) against pycrate and the general
codec (``rrc.encode`` / ``rrc.decode`` with ``fast=False``).

1. Its octets equal pycrate's and the general (asn1tools) encoder's for every typed message, and
   it handles every one of them.
2. It decodes pycrate's octets to the message.
3. It is strict: whenever it returns a message for some octets (random, truncated, mutated,
   extended), the general decoder returns that very message; specific deviations go to the
   general decoder, which raises DecodeError or decides otherwise.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import TypeAlias

import pytest
from helpers import pycrate_oracle as oracle
from helpers import strategies as s
from hypothesis import given, settings
from hypothesis import strategies as st

from lwip_enb.codec import rrc
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.codec.rrc import fast as fast
from lwip_enb.codec.rrc import general as rrc_general
from lwip_enb.errors import DecodeError, InvalidFieldError

DL, UL, CCCH = RrcChannel.DL_DCCH, RrcChannel.UL_DCCH, RrcChannel.UL_CCCH
Typed: TypeAlias = (
    rrc.RrcConnectionReconfiguration
    | rrc.RrcConnectionReconfigurationComplete
    | rrc.WlanConnectionStatusReport
    | rrc.MeasurementReport
    | rrc.UeCapabilityEnquiry
    | rrc.UeCapabilityInformation
    | rrc.RrcConnectionReestablishmentRequest
)
#: every typed message, those of fast.GENERAL_ONLY too (for the strictness checks)
typed_messages = st.one_of(s.dl_dcch, s.ul_dcch, s.ul_ccch, s.capability_informations)


def _pycrate_octets(msg: Typed) -> bytes:
    return oracle.rrc_encode(msg.CHANNEL.value, oracle.rrc_value(msg))


def _check_both_ways(msg: Typed) -> None:
    ours = fast.encode(msg)
    assert ours is not None, f"fast path did not handle {msg!r}"
    theirs = _pycrate_octets(msg)
    assert ours.hex() == theirs.hex() == rrc.encode(msg, fast=False).hex()
    assert fast.decode(msg.CHANNEL, theirs) == msg
    assert rrc.encode(msg) == ours
    assert rrc.decode(msg.CHANNEL, theirs) == msg


Outcome: TypeAlias = rrc.RrcMessage | type[DecodeError]
#: The general decoder, through the public switch.
_decode_general = functools.partial(rrc.decode, fast=False)


def _outcome(
    decoder: Callable[[RrcChannel, bytes], rrc.RrcMessage], channel: RrcChannel, data: bytes
) -> Outcome:
    try:
        return decoder(channel, data)
    except DecodeError:
        return DecodeError


def _check_strict(channel: RrcChannel, data: bytes) -> rrc.RrcMessage | None:
    """The fast decoder's answer, checked against the general decoder's; the public decoder
    returns or raises exactly what the general one does."""
    got = fast.decode(channel, data)  # must not raise, whatever the octets
    general = _outcome(_decode_general, channel, data)
    if got is not None:
        assert general == got, f"{data.hex()}: fast {got!r}, general {general!r}"
        again = fast.encode(got)  # what it accepts is the canonical form, up to padding bits
        assert again is not None and len(again) == len(data) and again[:-1] == data[:-1]
    assert _outcome(rrc.decode, channel, data) == general
    return got


# --- 1 and 2: same octets as pycrate, both ways ---------------------------------------------


@settings(max_examples=500)
@given(s.reconfigurations)
def test_reconfiguration_both_ways(msg: rrc.RrcConnectionReconfiguration) -> None:
    _check_both_ways(msg)


@given(s.ul_dcch)
def test_ul_dcch_both_ways(msg: Typed) -> None:
    _check_both_ways(msg)


@given(s.ul_ccch)
def test_ul_ccch_both_ways(msg: Typed) -> None:
    _check_both_ways(msg)


@given(s.capability_enquiries)
def test_capability_enquiry_both_ways(msg: rrc.UeCapabilityEnquiry) -> None:
    _check_both_ways(msg)


@given(s.capability_informations)
def test_general_only_messages_never_take_the_fast_path(msg: rrc.UeCapabilityInformation) -> None:
    # UECapabilityInformation is in fast.GENERAL_ONLY: its fast entry declines both ways, and
    # the public functions give pycrate's octets and message through the general codec.
    data = _pycrate_octets(msg)
    assert fast.encode(msg) is None
    assert fast.decode(UL, data) is None
    assert rrc.encode(msg) == data == rrc.encode(msg, fast=False)
    assert rrc.decode(UL, data) == msg


def test_every_small_message_both_ways() -> None:
    for tid in range(4):
        _check_both_ways(rrc.RrcConnectionReconfigurationComplete(tid))
        _check_both_ways(rrc.RrcConnectionReconfiguration.lwip_release(tid))
    for status in rrc.WlanStatus:
        _check_both_ways(rrc.WlanConnectionStatusReport(status))
    for cause in rrc.ReestablishmentCause:
        _check_both_ways(rrc.RrcConnectionReestablishmentRequest(0xFFFF, 503, 0xFFFF, cause))
    for rat in rrc.RatType:
        _check_both_ways(rrc.UeCapabilityEnquiry(3, (rat,)))
    _check_both_ways(rrc.UeCapabilityEnquiry(0, tuple(rrc.RatType)))
    for allowed in (None, False, True):
        for report in (None, False, True):
            suspend = rrc.WlanSuspendConfig(allowed, report)
            for mobility in (
                rrc.WlanMobilityConfig(suspend=suspend),
                rrc.WlanMobilityConfig.mobility_set(
                    [WlanIdentifiers(b"ap")], association_timer_s=10, suspend=suspend
                ),
            ):
                _check_both_ways(rrc.RrcConnectionReconfiguration(1, rrc.LwipSetup(None, mobility)))


@pytest.mark.parametrize("idi_len", [1, 126, 127, 128, 129, 255])
@pytest.mark.parametrize("address", ["192.0.2.1", "2001:db8::1"])
def test_idi_length_determinant_forms(idi_len: int, address: str) -> None:
    # idI-r13 is an unconstrained OCTET STRING: one length octet below 128, two from 128.
    for counter in (None, 0, 65535):
        tunnel = rrc.TunnelConfig(address, bytes(range(idi_len)), counter)
        _check_both_ways(rrc.RrcConnectionReconfiguration(3, rrc.LwipSetup(tunnel)))


def test_largest_reconfiguration_both_ways() -> None:
    ids = tuple(
        WlanIdentifiers(bytes([i]) * (i + 1), bytes([i]) * 6, bytes([255 - i]) * 6)
        for i in range(rrc.MAX_WLAN_ID)
    )
    msg = rrc.RrcConnectionReconfiguration(
        3,
        rrc.LwipSetup(
            rrc.TunnelConfig(ipaddress.IPv6Address(2**128 - 1), b"\xff" * 255, 65535),
            rrc.WlanMobilityConfig(ids, ids[::-1], 240, True, rrc.WlanSuspendConfig(True, True)),
        ),
        tuple(rrc.DrbLwip(i, list(rrc.DrbTypeLwip)[i % 4]) for i in range(22, 33)),
        rrc.HandoverCommand(503, 0xFFFF, 10000),
    )
    _check_both_ways(msg)


@pytest.mark.parametrize("segw", ["192.0.2.1", "2001:db8::1"])
def test_handover_command_with_lwip_both_ways(segw: str) -> None:
    mobility = rrc.WlanMobilityConfig.mobility_set(
        [WlanIdentifiers(b"ap", b"\x02" * 6)],
        association_timer_s=60,
        suspend=rrc.WlanSuspendConfig(True, False),
    )
    _check_both_ways(
        rrc.RrcConnectionReconfiguration.handover_command(
            1,
            503,
            0xFFFF,
            t304_ms=10000,
            lwip=rrc.LwipSetup(rrc.TunnelConfig(segw, b"idi", 65535), mobility),
            drbs=(rrc.DrbLwip(3, "lwip-DL-only"),),
        )
    )


def test_largest_measurement_messages_both_ways() -> None:
    ids = tuple(
        WlanIdentifiers(bytes([i]) * 32, bytes([i]) * 6, bytes([255 - i]) * 6)
        for i in range(rrc.MAX_WLAN_ID)
    )
    objects = tuple(
        rrc.WlanMeasObject(32 - k, (tuple(rrc.WlanBand) * 3)[k : k + 8], ids, ids[::-1])
        for k in range(2)
    )
    reports = tuple(
        rrc.WlanReportConfig(
            i + 1,
            tuple(rrc.WlanEvent)[i % 3],
            141,
            141 if i % 3 == 1 else None,
            30,
            5120,
            8,
            3_600_000,
            None,
        )
        for i in range(32)
    )
    mc = rrc.WlanMeasConfig(
        objects,
        reports,
        tuple(rrc.MeasIdentity(i, 33 - i, i) for i in range(1, 33)),
        19,
        tuple(range(32, 0, -1)),
    )
    _check_both_ways(rrc.RrcConnectionReconfiguration(3, meas_config=mc))
    _check_both_ways(
        rrc.MeasurementReport(32, 97, 34, tuple(rrc.WlanMeasResult(w, 141, True) for w in ids[:8]))
    )


def test_every_filter_coefficient_both_ways() -> None:
    for fc in rrc.FILTER_COEFFICIENTS:
        _check_both_ways(
            rrc.RrcConnectionReconfiguration(
                0, meas_config=rrc.WlanMeasConfig(wlan_filter_coefficient=fc)
            )
        )


def test_what_the_fast_path_does_not_encode() -> None:
    other = rrc.OtherRrcMessage(DL, "x", {"message": ("c1", ("nope", None))})
    assert fast.encode(other) is None
    assert fast.encode(object()) is None  # type: ignore[arg-type]


def test_public_functions_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("general path used")

    monkeypatch.setattr(rrc_general, "encode", refuse)
    monkeypatch.setattr(rrc_general, "decode", refuse)
    msg = rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", b"\x11" * 16, 291)
    data = rrc.encode(msg)
    assert rrc.decode("dl-dcch", data) == msg
    assert rrc.decode(DL, bytearray(data)) == msg  # type: ignore[arg-type]
    assert rrc.decode(DL, memoryview(data)) == msg  # type: ignore[arg-type]


def test_fast_false_takes_the_general_path_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    msg = rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", b"\x11" * 16, 291)
    data = rrc.encode(msg)
    calls: list[str] = []

    def counted(name: str) -> Callable[..., object]:
        real = getattr(rrc_general, name)

        def call(*args: object) -> object:
            calls.append(name)
            return real(*args)

        return call

    def refuse(*_args: object) -> None:
        raise AssertionError("fast path used")

    monkeypatch.setattr(rrc_general, "encode", counted("encode"))
    monkeypatch.setattr(rrc_general, "decode", counted("decode"))
    monkeypatch.setattr(fast, "decode", refuse)
    assert rrc.encode(msg, fast=False) == data
    assert rrc.decode("dl-dcch", data, fast=False) == msg
    with pytest.raises(DecodeError):
        rrc.decode(DL, data + b"\x00", fast=False)
    assert calls == ["encode", "decode", "decode"]


# --- 3: strictness, differentially against the general decoder -----------------------------


@st.composite
def mutated(draw: st.DrawFn) -> tuple[RrcChannel, bytes]:
    """A valid encoding, then one to three flips, cuts, insertions or overwrites."""
    msg = draw(typed_messages)
    data = bytearray(rrc.encode(msg))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "flip", "cut", "append", "insert", "set", "del"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            bit = draw(st.integers(0, 7))
            data[at] ^= 1 << bit
        elif kind == "cut":
            del data[draw(st.integers(0, len(data))) :]
        elif kind == "append":
            data += draw(st.binary(min_size=1, max_size=3))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=2))
        elif kind == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "del" and data:
            del data[at]
    return msg.CHANNEL, bytes(data)


@settings(max_examples=1500)
@given(mutated())
def test_mutated_encodings_agree_with_general(case: tuple[RrcChannel, bytes]) -> None:
    _check_strict(*case)


@settings(max_examples=1000)
@given(st.sampled_from(list(RrcChannel)), st.binary(max_size=48))
def test_random_octets_agree_with_general(channel: RrcChannel, data: bytes) -> None:
    _check_strict(channel, data)


@settings(max_examples=200)
@given(typed_messages, st.binary(min_size=1, max_size=4))
def test_appended_octets_are_left_to_the_general_path(msg: Typed, tail: bytes) -> None:
    data = rrc.encode(msg)
    assert _check_strict(msg.CHANNEL, data + tail) is None
    general_only = type(msg) in fast.GENERAL_ONLY
    assert _check_strict(msg.CHANNEL, data) == (None if general_only else msg)
    assert rrc.decode(msg.CHANNEL, data) == msg


REPRESENTATIVES = [
    rrc.RrcConnectionReconfiguration.lwip_release(1),
    rrc.RrcConnectionReconfiguration.lwip_setup(2, "192.0.2.1", b"idi", 7),
    rrc.RrcConnectionReconfiguration(
        3,
        rrc.LwipSetup(
            rrc.TunnelConfig("2001:db8::2", b"x" * 130),
            rrc.WlanMobilityConfig(
                (WlanIdentifiers(ssid=b"lwip"),),
                (WlanIdentifiers(b"a", b"\x01" * 6, b"\x02" * 6), WlanIdentifiers()),
                60,
                True,
                rrc.WlanSuspendConfig(False, True),
            ),
        ),
        (rrc.DrbLwip(1, "lwip"), rrc.DrbLwip(32, "eutran")),
        rrc.HandoverCommand(7, 0x1234, 50),
    ),
    rrc.RrcConnectionReestablishmentRequest(0x1234, 17, 0xBEEF, "handoverFailure"),
    rrc.RrcConnectionReconfiguration(
        2,
        meas_config=rrc.WlanMeasConfig(
            (rrc.WlanMeasObject(1, (rrc.WlanBand.BAND_5_GHZ,), (WlanIdentifiers(b"ap"),)),),
            (rrc.WlanReportConfig.w2(2, 10, 20), rrc.WlanReportConfig.w1(1, 30)),
            (rrc.MeasIdentity(1, 1, 1), rrc.MeasIdentity(2, 1, 2)),
            7,
            (5,),
        ),
    ),
    rrc.MeasurementReport(
        3,
        50,
        20,
        (
            rrc.WlanMeasResult(WlanIdentifiers(b"ap", b"\x01" * 6), 60, True),
            rrc.WlanMeasResult(WlanIdentifiers(hessid=b"\x02" * 6), 40),
        ),
    ),
    rrc.UeCapabilityEnquiry(1, (rrc.RatType.EUTRA, rrc.RatType.NR, rrc.RatType.SPARE1)),
]


@pytest.mark.parametrize("msg", REPRESENTATIVES, ids=lambda m: type(m).__name__)
def test_every_single_bit_flip_and_cut(msg: Typed) -> None:
    data = rrc.encode(msg)
    for i in range(8 * len(data)):
        flipped = bytearray(data)
        flipped[i // 8] ^= 0x80 >> i % 8
        _check_strict(msg.CHANNEL, bytes(flipped))
    for cut in range(len(data)):
        assert _check_strict(msg.CHANNEL, data[:cut]) is None


def test_every_two_octet_ul_dcch_input() -> None:
    # UL-DCCH messages we model are two octets: try all 65536 and count what the fast path takes.
    accepted = 0
    for v in range(1 << 16):
        data = v.to_bytes(2, "big")
        got = fast.decode(UL, data)
        if got is not None:
            accepted += 1
            assert rrc.decode(UL, data, fast=False) == got
    # complete: 4 x 2^7 padding; r13 report: 4 x 2^3; v1430 report: 2 x 2^1
    assert accepted == 4 * 128 + 4 * 8 + 2 * 2


# --- specific deviations ----------------------------------------------------------------------


def _bits(data: bytes) -> str:
    return "".join(f"{b:08b}" for b in data)


def _octets(bits: str) -> bytes:
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b""


def _put(bits: str, at: int, field: str) -> str:
    return bits[:at] + field + bits[at + len(field) :]


def _reconf_bits(
    lwip: rrc.LwipSetup | rrc.LwipRelease | None, drbs: tuple[rrc.DrbLwip, ...] = ()
) -> str:
    return _bits(rrc.encode(rrc.RrcConnectionReconfiguration(0, lwip, drbs)))


_RELEASE = _reconf_bits(rrc.LwipRelease())
_SETUP = _reconf_bits(rrc.LwipSetup(rrc.TunnelConfig("192.0.2.1", b"\x11" * 16)))
_TIMER = _reconf_bits(rrc.LwipSetup(None, rrc.WlanMobilityConfig(association_timer_s=240)))
_DRBS = _reconf_bits(None, (rrc.DrbLwip(3, "lwip"), rrc.DrbLwip(4, "lwip")))
_SUSPEND_SETUP = rrc.LwipSetup(
    None, rrc.WlanMobilityConfig(suspend=rrc.WlanSuspendConfig(resume_allowed=True))
)
_SUSPEND_MSG = rrc.RrcConnectionReconfiguration(0, _SUSPEND_SETUP)
_SUSPEND = _reconf_bits(_SUSPEND_SETUP)
_FC4_MSG = rrc.RrcConnectionReconfiguration(
    0, meas_config=rrc.WlanMeasConfig(wlan_filter_coefficient=4)
)
_FC4 = _bits(rrc.encode(_FC4_MSG))
_W1 = _bits(
    rrc.encode(
        rrc.RrcConnectionReconfiguration(
            0, meas_config=rrc.WlanMeasConfig(report_configs=(rrc.WlanReportConfig.w1(1, 10),))
        )
    )
)
_REPORT_MSG = rrc.MeasurementReport(3, 50, 20, (rrc.WlanMeasResult(WlanIdentifiers(), 60),))
_REPORT = _bits(rrc.encode(_REPORT_MSG))
_ENQUIRY = _bits(rrc.encode(rrc.UeCapabilityEnquiry(0, (rrc.RatType.EUTRA,))))
_REEST = _bits(rrc.encode(rrc.RrcConnectionReestablishmentRequest(1, 2, 3)))
_SUSPENDED = _bits(rrc.encode(rrc.WlanConnectionStatusReport("suspended")))
# Bit offsets: 17 bits lead to the end of the r8 IEs' OPTIONAL bit-map; 22 more the chain to the
# v1310 IEs; then the LWIP-Configuration CHOICE bit and LWIP-Config-r13's extension bit and
# bit-map (3 bits). TunnelConfigLWIP-r13 starts at 43: extension bit, address CHOICE bit, IPv4
# (32), idI-r13 length at 77. WLAN-MobilityConfig-r13 starts at 43: extension bit, 4 bits, timer
# at 48. The DRB list count is at 24, each DRB-ToAddMod is 41 bits from 28 with drb-Identity 6
# bits in. In the reestablishment request physCellId is at 19, spare at 46. A mobility config
# with no list and no timer has its extension at 48: bit-map length (7 bits), bit-map (1), open
# type length (8), the group's octet at 64: OPTIONAL bit, 2 OPTIONAL bits, the BOOLEANs, padding.
_IDI_LEN, _TIMER_AT, _DRB_COUNT, _DRB2_ID, _PCI, _SPARE = 77, 48, 24, 28 + 41 + 6, 19, 46
_SUSPEND_EXT, _SUSPEND_GROUP = 48, 64
# MeasConfig starts at 17 (extension bit, 11 OPTIONAL bits). With only quantityConfig, that is
# at 29 (24 bits to its group's octet at 53); with one W1 report configuration the list count
# is at 29, the ReportConfigToAddMod at 34: 16 bits to the open type's length, the threshold
# at 58. A MeasurementReport's MeasResults extension bit-map length is at 30 (17 bits with the
# bit-map); with one WLAN result of no identifier the entry starts at 64 (9 bits, 4 bits of
# WLAN-Identifiers-r12) and the RSSI is at 77.
_FC4_GROUP, _W1_THRESHOLD, _REPORT_EXT, _REPORT_RSSI = 53, 58, 30, 77

RAISES: dict[str, tuple[RrcChannel, bytes]] = {
    "trailing zero octet": (DL, _octets(_RELEASE) + b"\x00"),
    "truncated": (DL, _octets(_SETUP)[:-1]),
    "empty": (UL, b""),
    "empty idI-r13": (DL, _octets(_put(_SETUP, _IDI_LEN, "00000000")[: _IDI_LEN + 8])),
    "idI-r13 of 256 octets": (DL, _octets(_SETUP[:_IDI_LEN] + "1000000100000000" + "01" * 1024)),
    "associationTimer index 5": (DL, _octets(_put(_TIMER, _TIMER_AT, "101"))),
    "DRB list of 12": (DL, _octets(_put(_DRBS, _DRB_COUNT, "1011"))),
    "same DRB twice": (DL, _octets(_put(_DRBS, _DRB2_ID, "00010"))),
    "physCellId 504": (CCCH, _octets(_put(_REEST, _PCI, f"{504:09b}"))),
    "LWIP-Config-r13 extension bit": (DL, _octets(_put(_SETUP, 40, "1"))),
    "tunnel extension bit, no addition": (DL, _octets(_put(_SETUP, 43, "1"))),
    "measConfig present": (DL, _octets(_put(_RELEASE, 11, "1"))),
    "w1-Threshold-r13 142": (DL, _octets(_put(_W1, _W1_THRESHOLD, f"{142:08b}"))),
    "rssiWLAN-r13 142": (UL, _octets(_put(_REPORT, _REPORT_RSSI, f"{142:08b}"))),
    "measurement report truncated": (UL, _octets(_REPORT)[:-2]),
    "RAT-Type extension bit": (DL, _octets(_put(_ENQUIRY, 14, "1"))),
    "c1 spare7": (DL, _octets(_put(_RELEASE, 8, "001"))),
}


@pytest.mark.parametrize("case", RAISES.values(), ids=list(RAISES))
def test_deviations_fall_through_and_raise(case: tuple[RrcChannel, bytes]) -> None:
    channel, data = case
    assert fast.decode(channel, data) is None
    with pytest.raises(DecodeError):
        rrc.decode(channel, data)


GENERAL_DECIDES: dict[str, tuple[RrcChannel, bytes, Typed]] = {
    "idI-r13 length in two octets": (
        DL,
        _octets(_SETUP[:_IDI_LEN] + "10000000" + _SETUP[_IDI_LEN:]),
        rrc.RrcConnectionReconfiguration(
            0, rrc.LwipSetup(rrc.TunnelConfig("192.0.2.1", b"\x11" * 16))
        ),
    ),
    "reestablishment spare bits": (
        CCCH,
        _octets(_put(_REEST, _SPARE, "11")),
        rrc.RrcConnectionReestablishmentRequest(1, 2, 3),
    ),
    "v1430 status beside another r13 status": (
        UL,
        _octets(_put(_SUSPENDED, 11, "00")),
        rrc.WlanConnectionStatusReport("suspended"),
    ),
    "UECapabilityEnquiry with requestedFrequencyBands-r11": (
        DL,
        oracle.rrc_encode(
            "dl-dcch",
            {
                "message": (
                    "c1",
                    (
                        "ueCapabilityEnquiry",
                        {
                            "rrc-TransactionIdentifier": 1,
                            "criticalExtensions": (
                                "c1",
                                (
                                    "ueCapabilityEnquiry-r8",
                                    {
                                        "ue-CapabilityRequest": ["eutra"],
                                        "nonCriticalExtension": {
                                            "nonCriticalExtension": {
                                                "requestedFrequencyBands-r11": [7, 20]
                                            }
                                        },
                                    },
                                ),
                            ),
                        },
                    ),
                )
            },
        ),
        rrc.UeCapabilityEnquiry(1),
    ),
    "filterCoefficient-r13 fc4 written although DEFAULT": (
        DL,
        _octets(_put(_FC4, _FC4_GROUP, "01100100")),
        _FC4_MSG,
    ),
    "MeasResults extension bit-map of a Rel-13 UE (4 groups)": (
        UL,
        _octets(_REPORT[:_REPORT_EXT] + "0000011" + "0001" + _REPORT[_REPORT_EXT + 17 :]),
        _REPORT_MSG,
    ),
    "wlan-SuspendConfig-r14 group with a padding bit set": (
        DL,
        _octets(_put(_SUSPEND, _SUSPEND_GROUP + 7, "1")),
        _SUSPEND_MSG,
    ),
    "WLAN-MobilityConfig-r13 with an unknown second extension addition": (
        DL,
        _octets(
            _SUSPEND[:_SUSPEND_EXT]
            + "0000001"
            + "11"
            + "00000001"
            + _SUSPEND[_SUSPEND_GROUP : _SUSPEND_GROUP + 8]
            + "00000001"
            + "10101010"
            + _SUSPEND[_SUSPEND_GROUP + 8 :]
        ),
        _SUSPEND_MSG,
    ),
}


@pytest.mark.parametrize("case", GENERAL_DECIDES.values(), ids=list(GENERAL_DECIDES))
def test_non_canonical_forms_are_left_to_the_general_path(
    case: tuple[RrcChannel, bytes, Typed],
) -> None:
    channel, data, msg = case
    assert fast.decode(channel, data) is None
    assert rrc.decode(channel, data) == msg


@pytest.mark.parametrize(
    "msg",
    [
        rrc.RrcConnectionReconfiguration(0, rrc.LwipSetup(rrc.TunnelConfig("192.0.2.1", b"x"))),
        rrc.RrcConnectionReconfigurationComplete(2),
        rrc.WlanConnectionStatusReport("failureTimeout"),
        rrc.WlanConnectionStatusReport("resumed"),
    ],
    ids=lambda m: type(m).__name__,
)
def test_padding_bits_are_ignored_like_the_general_path(msg: Typed) -> None:
    # X.691 pads with zeros; the general decoder ignores the padding bits, so does the fast one.
    # Each of these messages ends in 3, 7, 3 and 1 padding bits.
    data = rrc.encode(msg)
    odd = data[:-1] + bytes([data[-1] | 1])
    assert fast.decode(msg.CHANNEL, odd) == msg == rrc.decode(msg.CHANNEL, odd, fast=False)


@pytest.mark.parametrize("data", [[0x20, 0], "2000", 0x2000, None])
def test_non_octets_are_left_to_the_general_path(data: object) -> None:
    assert fast.decode(DL, data) is None  # type: ignore[arg-type]
    with pytest.raises(DecodeError):
        rrc.decode(DL, data)  # type: ignore[arg-type]


def test_unknown_channel_still_raises_invalid_field() -> None:
    for call in (rrc.decode, _decode_general):
        with pytest.raises(InvalidFieldError):
            call("bcch", b"\x00")


def test_decoder_never_raises_on_odd_buffers() -> None:
    odd: list[Callable[[], object]] = [
        lambda: fast.decode(DL, memoryview(b"\x22\x00\xa4\xa0\x88")),
        lambda: fast.decode(DL, bytearray(b"\x22\x00\xa4\xa0\x88")),
    ]
    released = memoryview(b"\x00")
    released.release()
    odd.append(lambda: fast.decode(DL, released))
    results = [call() for call in odd]
    assert results[0] == results[1] == rrc.RrcConnectionReconfiguration.lwip_release(1)
    assert results[2] is None
