"""``lwip-enb bench``: encode/decode time per message, this library beside pycrate, same run.

pycrate (the independent ASN.1 implementation the tests compare bytes with) is the baseline; it
is a test dependency (``pip install 'lwip-enb[test]'``). Each figure is the median of several
rounds of many calls, in microseconds per call.
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable
from typing import Any

from . import rrc, xwap
from .keys import KeyMaterial
from .wlan import WlanIdentifiers

__all__ = ["codec_table", "main"]


def _time_us(fn: Callable[[], object], *, rounds: int = 5, budget_s: float = 0.2) -> float:
    fn()  # warm
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - start > budget_s / rounds or n >= 1 << 20:
            break
        n *= 2
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(samples)


def _cases() -> list[tuple[str, str, Any]]:
    psk = KeyMaterial(bytes(range(32)))
    return [
        (
            "rrc",
            "dl-dcch",
            rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", b"\x11" * 16, 291),
        ),
        ("rrc", "dl-dcch", rrc.RrcConnectionReconfiguration.lwip_release(2)),
        ("rrc", "ul-dcch", rrc.WlanConnectionStatusReport("successfulAssociation")),
        ("rrc", "ul-ccch", rrc.RrcConnectionReestablishmentRequest(0x1234, 1, 0, "otherFailure")),
        (
            "xwap",
            "",
            xwap.LwipAdditionRequest(1, b"\x02" * 6, xwap.SeGwSecurityInfo(psk, b"\x11" * 16)),
        ),
        ("xwap", "", xwap.LwipAdditionRequestAcknowledge(1, 2)),
        ("xwap", "", xwap.LwipReleaseRequest(1, 2, xwap.Cause.radio_network("wLAN-not-available"))),
        ("xwap", "", xwap.LwipReleaseRequired(1, 2, xwap.Cause.misc("om-intervention"))),
        ("xwap", "", xwap.XwSetupResponse(xwap.WtId(1), (WlanIdentifiers(ssid=b"lwip"),))),
    ]


def _pycrate_calls(
    obj: Any, codec: str, data: bytes
) -> tuple[Callable[[], bytes], Callable[[], object]]:
    """pycrate's encode and decode of the value ``data`` holds, as two calls."""
    getattr(obj, f"from_{codec}")(data)
    value = obj.get_val()

    def encode() -> bytes:
        obj.set_val(value)
        return bytes(getattr(obj, f"to_{codec}")())

    def decode() -> object:
        getattr(obj, f"from_{codec}")(data)
        return obj.get_val()

    return encode, decode


def codec_table() -> list[dict[str, Any]]:
    """One row per message: ours and pycrate's encode/decode microseconds."""
    try:
        from pycrate_asn1dir import RRCLTE, XwAP  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SystemExit("lwip-enb bench needs pycrate: pip install 'lwip-enb[test]'") from exc
    rrc_types = {
        "dl-dcch": RRCLTE.EUTRA_RRC_Definitions.DL_DCCH_Message,
        "ul-dcch": RRCLTE.EUTRA_RRC_Definitions.UL_DCCH_Message,
        "ul-ccch": RRCLTE.EUTRA_RRC_Definitions.UL_CCCH_Message,
    }
    pdu = XwAP.XwAP_PDU_Descriptions.XwAP_PDU
    rows = []
    for proto, channel, msg in _cases():
        if proto == "rrc":
            data = rrc.encode(msg)
            ours_enc: Callable[[], object] = functools.partial(rrc.encode, msg)
            ours_dec: Callable[[], object] = functools.partial(rrc.decode, channel, data)
            p_enc, p_dec = _pycrate_calls(rrc_types[channel], "uper", data)
        else:
            data = xwap.encode(msg)
            ours_enc = functools.partial(xwap.encode, msg)
            ours_dec = functools.partial(xwap.decode, data)
            p_enc, p_dec = _pycrate_calls(pdu, "aper", data)
        assert p_enc() == data  # same bytes, or the comparison means nothing
        rows.append(
            {
                "message": msg.MESSAGE,
                "octets": len(data),
                "encode_us": _time_us(ours_enc),
                "encode_pycrate_us": _time_us(p_enc),
                "decode_us": _time_us(ours_dec),
                "decode_pycrate_us": _time_us(p_dec),
            }
        )
    return rows


def main(json_out: bool = False) -> int:
    import json

    rows = codec_table()
    speedups = [r["encode_pycrate_us"] / r["encode_us"] for r in rows] + [
        r["decode_pycrate_us"] / r["decode_us"] for r in rows
    ]
    if json_out:
        print(json.dumps({"codecs": rows, "codec_speedup_vs_pycrate_min": min(speedups)}))
        return 0
    head = f"{'message':<38}{'B':>4} {'enc us':>9} {'pycrate':>9} {'dec us':>9} {'pycrate':>9}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['message']:<38}{r['octets']:>4} {r['encode_us']:>9.1f} "
            f"{r['encode_pycrate_us']:>9.1f} {r['decode_us']:>9.1f} {r['decode_pycrate_us']:>9.1f}"
        )
    print(f"smallest speed-up over pycrate (encode or decode): {min(speedups):.2f}x")
    return 0
