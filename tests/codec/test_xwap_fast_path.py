"""The hand-specialised XwAP path (``lwip_enb.codec.xwap.fast``) against pycrate and the general
codec (``xwap.encode`` / ``xwap.decode`` with ``fast=False``).

Encoding: every typed message is handled by the fast path, and its octets equal pycrate's and the
general codec's. Decoding: the fast path returns a message only where the general, strict decoder
returns the same message; for anything else it steps aside (``None``) and the general decoder
gives the diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import pycrate_oracle as oracle
from helpers import strategies as s
from hypothesis import given, settings
from hypothesis import strategies as st

from lwip_enb.codec import xwap
from lwip_enb.codec.xwap import fast as xwap_fast
from lwip_enb.codec.xwap import general as xwap_general
from lwip_enb.errors import DecodeError
from lwip_enb.keys import KeyMaterial


def _general(data: bytes) -> xwap.XwapMessage | DecodeError:
    try:
        return xwap.decode(data, fast=False)
    except DecodeError as exc:
        return exc


@settings(max_examples=1000)
@given(s.xwap_messages)
def test_fast_encoding_is_pycrates_and_the_general_codecs(msg: xwap.XwapMessage) -> None:
    fast = xwap_fast.encode(msg)
    assert fast is not None, f"{msg.MESSAGE} left to the general codec"
    assert fast.hex() == oracle.xwap_encode(oracle.xwap_value(msg)).hex()
    assert fast == xwap.encode(msg, fast=False)


@settings(max_examples=1000)
@given(s.xwap_messages)
def test_fast_decoding_of_pycrates_bytes(msg: xwap.XwapMessage) -> None:
    theirs = oracle.xwap_encode(oracle.xwap_value(msg))
    assert xwap_fast.decode(theirs) == msg


def _accepts_only_what_the_general_decoder_accepts(data: bytes) -> None:
    fast = xwap_fast.decode(data)
    if fast is not None:
        assert _general(data) == fast


@settings(max_examples=1000)
@given(s.xwap_messages, st.data())
def test_mutations_fast_agrees_with_general(msg: xwap.XwapMessage, data: st.DataObject) -> None:
    raw = bytearray(xwap.encode(msg))
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] ^= 1 << data.draw(st.integers(0, 7))
    _accepts_only_what_the_general_decoder_accepts(bytes(raw))


@settings(max_examples=500)
@given(s.xwap_messages, st.data())
def test_cuts_and_additions_fast_agrees_with_general(
    msg: xwap.XwapMessage, data: st.DataObject
) -> None:
    raw = xwap.encode(msg)
    cut = data.draw(st.integers(0, len(raw)))
    extra = data.draw(st.binary(max_size=4))
    _accepts_only_what_the_general_decoder_accepts(raw[:cut] + extra + raw[cut:][: len(raw)])
    _accepts_only_what_the_general_decoder_accepts(raw[:cut])
    _accepts_only_what_the_general_decoder_accepts(raw + extra)


@settings(max_examples=2000)
@given(st.binary(max_size=80))
def test_random_bytes_fast_agrees_with_general(data: bytes) -> None:
    _accepts_only_what_the_general_decoder_accepts(data)


def _release_request() -> bytes:
    return xwap.encode(xwap.LwipReleaseRequest(1, 2, xwap.Cause.misc("om-intervention")))


def _with_length_in_two_octets(data: bytes) -> bytes:
    # the open type's length (octet 3) in the two-octet form: legal length syntax, not canonical
    return data[:3] + bytes((0x80, data[3])) + data[4:]


@pytest.mark.parametrize(
    ("what", "mangle"),
    [
        ("procedure criticality not the spec's", lambda d: d[:2] + bytes((d[2] ^ 0x40,)) + d[3:]),
        ("a trailing octet", lambda d: d + b"\x00"),
        ("one octet short", lambda d: d[:-1]),
        ("length not in its shortest form", _with_length_in_two_octets),
        ("padding bit set after the IE count's extension bit", lambda d: d[:4] + b"\x01" + d[5:]),
        ("IE criticality not the object set's", lambda d: d[:9] + bytes((d[9] ^ 0x40,)) + d[10:]),
    ],
)
def test_deviations_go_to_the_general_decoder(what: str, mangle: object) -> None:
    data = mangle(_release_request())  # type: ignore[operator]
    assert xwap_fast.decode(data) is None, what
    _accepts_only_what_the_general_decoder_accepts(data)


def test_unknown_ie_is_left_to_the_general_decoder() -> None:
    # LWIP RELEASE REQUEST with an IE of id 999, criticality ignore: clause 10 is the general
    # decoder's business (skip, or report for notify).
    good = _release_request()
    extra = bytes([0x03, 0xE7, 0x40, 0x01, 0x00])
    body = good[4:5] + (int.from_bytes(good[5:7], "big") + 1).to_bytes(2, "big") + good[7:] + extra
    data = good[:3] + bytes([len(body)]) + body
    assert xwap_fast.decode(data) is None
    assert xwap.decode(data) == xwap.LwipReleaseRequest(1, 2, xwap.Cause.misc("om-intervention"))


def test_missing_mandatory_ie_is_left_to_the_general_decoder() -> None:
    good = xwap.encode(xwap.LwipReleaseRequired(1, 2, xwap.Cause.misc("om-intervention")))
    # drop the last IE (Cause, mandatory in LWIP RELEASE REQUIRED): id (2 octets), criticality,
    # length, and the one-octet value
    assert good[-5:-1] == b"\x00\x04\x40\x01"  # id-Cause = 4, criticality ignore
    body = good[4:5] + b"\x00\x02" + good[7:-5]
    data = good[:3] + bytes([len(body)]) + body
    assert xwap_fast.decode(data) is None
    # TS 36.413 10.3.5: the Cause's criticality is ignore, so the message goes on without it
    assert xwap.decode(data) == xwap.LwipReleaseRequired(1, 2, None)
    with pytest.raises(DecodeError):  # one of criticality reject: the message stops
        xwap.decode(xwap.encode(xwap.LwipReleaseRequest(1, 2))[:-1])


def test_raw_ies_are_left_to_the_general_encoder() -> None:
    raw = xwap.RawIe(999, xwap.Criticality.IGNORE, ("Cause", ("misc", "unspecified")))
    msg = xwap.Reset(xwap.Cause.misc("unspecified"), other_ies=(raw,))
    assert xwap_fast.encode(msg) is None


def test_public_functions_use_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    msg = xwap.LwipAdditionRequest(
        7, b"\x02" * 6, xwap.SeGwSecurityInfo(KeyMaterial(bytes(range(32))), b"\x11" * 16)
    )
    data = xwap.encode(msg)

    def refuse(*_args: object) -> object:
        raise AssertionError("general codec used")

    monkeypatch.setattr(xwap_general, "encode", refuse)
    monkeypatch.setattr(xwap_general, "decode_with_notify", refuse)
    assert xwap.encode(msg) == data
    assert xwap.decode(data) == msg
    assert xwap.decode_with_notify(data) == (msg, ())


def test_fast_false_takes_the_general_path_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    msg = xwap.LwipAdditionRequest(
        7, b"\x02" * 6, xwap.SeGwSecurityInfo(KeyMaterial(bytes(range(32))), b"\x11" * 16)
    )
    data = xwap.encode(msg)
    calls: list[str] = []

    def counted(name: str) -> Callable[..., object]:
        real = getattr(xwap_general, name)

        def call(*args: object) -> object:
            calls.append(name)
            return real(*args)

        return call

    def refuse(*_args: object) -> object:
        raise AssertionError("fast path used")

    monkeypatch.setattr(xwap_general, "encode", counted("encode"))
    monkeypatch.setattr(xwap_general, "decode_with_notify", counted("decode_with_notify"))
    monkeypatch.setattr(xwap_fast, "decode", refuse)
    assert xwap.encode(msg, fast=False) == data
    assert xwap.decode(data, fast=False) == msg
    assert xwap.decode_with_notify(data, fast=False) == (msg, ())
    with pytest.raises(DecodeError):
        xwap.decode(data + b"\x00", fast=False)
    assert calls == ["encode", *["decode_with_notify"] * 3]
