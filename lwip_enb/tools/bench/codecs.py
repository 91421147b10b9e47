"""The codec rows: encode and decode time per message, ours beside pycrate's, same bytes checked.

pycrate (the independent ASN.1 implementation the tests compare bytes with) is the codec
baseline; it is a test dependency (``pip install 'lwip-enb[test]'``). Speed never changes
bytes: every row first checks that pycrate re-encodes our bytes to the same bytes, that our
decoder (fast and general) gives back the message, and that the general asn1tools path
(``encode(..., fast=False)``) gives the same bytes.

Every time of a row is measured (:func:`~.timing.time_per_call`: the median of the rounds'
mean per-call times). The speed-up figure is derived from the rows: the smallest ratio
pycrate time / our time over every row's encode and decode.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.keys import KeyMaterial
from lwip_enb.tools.bench.quantity import Figure, Quantity, derived, measured
from lwip_enb.tools.bench.timing import Instruments, Sizes, time_per_call

__all__ = [
    "Case",
    "CodecRow",
    "cases",
    "check_same_bytes",
    "codec_table",
    "ours",
    "pycrate_for",
    "pycrate_modules",
    "speedup_figure",
]


@dataclass(frozen=True)
class Case:
    """One codec row: ``label`` names the message and, where a message has shapes, the shape."""

    label: str
    proto: str  # "rrc" or "xwap"
    channel: str  # RRC logical channel, "" for XwAP
    message: Any


def cases() -> list[Case]:
    """One representative of every typed XwAP message class and each RRC shape LWIP uses."""
    psk = KeyMaterial(bytes(range(32)))
    idi = bytes(range(0x10, 0x20))
    plmn = b"\x00\xf1\x10"
    ap1 = WlanIdentifiers(ssid=b"lwip-ap", bssid=b"\x02\x00\x00\x00\x00\x01")
    ap2 = WlanIdentifiers(ssid=b"lwip-ap-2", hessid=b"\x02\x00\x00\x00\x01\x00")
    enb_gtp = xwap.GtpTunnelEndpoint("198.51.100.1", b"\x00\x00\x10\x01")
    segw_gtp = xwap.GtpTunnelEndpoint("2001:db8::10", b"\x00\x00\x20\x02")
    addition = xwap.LwipAdditionRequest(
        0x000102,
        b"\x02\x00\x00\x00\x00\x07",
        xwap.SeGwSecurityInfo(psk, idi),
        serving_plmn=plmn,
        enb_gtp_endpoint=enb_gtp,
        mobility_set=(ap1, ap2),
    )
    # What a receiver says about a LWIP ADDITION REQUEST it could not take (36.463 9.2.7).
    diagnostics = xwap.CriticalityDiagnostics(
        addition.procedure_code,
        addition.kind,
        xwap.Criticality.REJECT,
        (xwap.IeDiagnostic("reject", 69, "missing"),),
    )
    mobility = rrc.WlanMobilityConfig(
        to_add=(ap1, ap2), association_timer_s=30, success_report_requested=True
    )
    drbs = (rrc.DrbLwip(1, "lwip"), rrc.DrbLwip(2, "lwip-DL-only"))
    reconf = "RRCConnectionReconfiguration"
    report = "WLANConnectionStatusReport-r13"
    dl, ul, ccch = "dl-dcch", "ul-dcch", "ul-ccch"
    x = "xwap"
    return [
        Case(
            f"{reconf} (setup, IPv4)",
            "rrc",
            dl,
            rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", idi, 291),
        ),
        Case(
            f"{reconf} (setup, IPv6)",
            "rrc",
            dl,
            rrc.RrcConnectionReconfiguration.lwip_setup(2, "2001:db8::10", idi, 292),
        ),
        Case(
            f"{reconf} (setup, mobility + DRBs)",
            "rrc",
            dl,
            rrc.RrcConnectionReconfiguration.lwip_setup(
                3, "192.0.2.10", idi, 293, mobility=mobility, drbs=drbs
            ),
        ),
        Case(f"{reconf} (release)", "rrc", dl, rrc.RrcConnectionReconfiguration.lwip_release(0)),
        Case(
            f"{reconf} (handover command)",
            "rrc",
            dl,
            rrc.RrcConnectionReconfiguration(1, handover=rrc.HandoverCommand(2, 0x4321)),
        ),
        Case(
            "RRCConnectionReconfigurationComplete",
            "rrc",
            ul,
            rrc.RrcConnectionReconfigurationComplete(1),
        ),
        Case(
            f"{report} (r13 success)",
            "rrc",
            ul,
            rrc.WlanConnectionStatusReport("successfulAssociation"),
        ),
        Case(f"{report} (v1430 suspended)", "rrc", ul, rrc.WlanConnectionStatusReport("suspended")),
        Case(
            "RRCConnectionReestablishmentRequest",
            "rrc",
            ccch,
            rrc.RrcConnectionReestablishmentRequest(0x1234, 1, 0x5678, "otherFailure"),
        ),
        Case("LWIPAdditionRequest (PLMN, GTP, mobility set)", x, "", addition),
        Case(
            "LWIPAdditionRequestAcknowledge (GTP)",
            x,
            "",
            xwap.LwipAdditionRequestAcknowledge(0x000102, 0x000203, segw_gtp_endpoint=segw_gtp),
        ),
        Case(
            "LWIPAdditionRequestReject (diagnostics)",
            x,
            "",
            xwap.LwipAdditionRequestReject(
                0x000102, xwap.Cause.misc("not-enough-user-plane-processing-resources"), diagnostics
            ),
        ),
        Case(
            "LWIPModificationRequest (PLMN, mobility set)",
            x,
            "",
            xwap.LwipModificationRequest(
                0x000102,
                0x000203,
                xwap.Cause.radio_network("resource-optimisation"),
                serving_plmn=plmn,
                mobility_set=(ap2,),
            ),
        ),
        Case(
            "LWIPModificationRequestAcknowledge",
            x,
            "",
            xwap.LwipModificationRequestAcknowledge(0x000102, 0x000203),
        ),
        Case(
            "LWIPModificationRequestReject",
            x,
            "",
            xwap.LwipModificationRequestReject(
                0x000102, 0x000203, xwap.Cause.radio_network("wLAN-not-available")
            ),
        ),
        Case(
            "LWIPReleaseRequest",
            x,
            "",
            xwap.LwipReleaseRequest(0x000102, 0x000203, xwap.Cause.radio_network("unspecified")),
        ),
        Case(
            "LWIPReleaseRequired",
            x,
            "",
            xwap.LwipReleaseRequired(0x000102, 0x000203, xwap.Cause.misc("om-intervention")),
        ),
        Case("LWIPReleaseConfirm", x, "", xwap.LwipReleaseConfirm(0x000102, 0x000203)),
        Case(
            "XwSetupRequest (Global-ENB-ID)",
            x,
            "",
            xwap.XwSetupRequest(xwap.GlobalEnbId(plmn, 0x1234)),
        ),
        Case(
            "XwSetupResponse (WT ID, 2 WLANs)",
            x,
            "",
            xwap.XwSetupResponse(xwap.WtId(0x42, plmn), (ap1, ap2)),
        ),
        Case(
            "XwSetupFailure (time to wait)",
            x,
            "",
            xwap.XwSetupFailure(xwap.Cause.transport("transport-resource-unavailable"), None, 10),
        ),
        Case("Reset", x, "", xwap.Reset(xwap.Cause.misc("om-intervention"))),
        Case("ResetResponse", x, "", xwap.ResetResponse()),
        Case(
            "WTConfigurationUpdate (add with WLAN Usage, delete)",
            x,
            "",
            xwap.WtConfigurationUpdate(
                (xwap.WlanInformation(ap1.ssid, ap1.bssid, ap1.hessid, xwap.WlanUsage.LWIP_ONLY),),
                to_delete=(b"\x02\x00\x00\x00\x00\x09",),
            ),
        ),
        Case("WTConfigurationUpdateAcknowledge", x, "", xwap.WtConfigurationUpdateAcknowledge()),
        Case(
            "WTConfigurationUpdateFailure (time to wait)",
            x,
            "",
            xwap.WtConfigurationUpdateFailure(xwap.Cause.protocol("semantic-error"), None, 10),
        ),
        Case(
            "ErrorIndication (diagnostics)",
            x,
            "",
            xwap.ErrorIndication(
                0x000102,
                0x000203,
                xwap.Cause.protocol("abstract-syntax-error-reject"),
                diagnostics,
            ),
        ),
    ]


def pycrate_modules() -> tuple[Any, Any]:
    """pycrate's RRCLTE and XwAP modules (imported on first use)."""
    try:
        from pycrate_asn1dir import RRCLTE, XwAP  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SystemExit("lwip-enb bench needs pycrate: pip install 'lwip-enb[test]'") from exc
    return RRCLTE, XwAP


def _pycrate_calls(
    obj: Any, codec: str, data: bytes
) -> tuple[Callable[[], bytes], Callable[[], object]]:
    """pycrate's encode and decode of the value ``data`` holds, as two calls: each one call of
    pycrate's ``to_<codec>`` / ``from_<codec>`` (with ``set_val`` / ``get_val``)."""
    getattr(obj, f"from_{codec}")(data)
    value = obj.get_val()

    def encode() -> bytes:
        obj.set_val(value)
        return bytes(getattr(obj, f"to_{codec}")())

    def decode() -> object:
        getattr(obj, f"from_{codec}")(data)
        return obj.get_val()

    return encode, decode


def pycrate_for(case: Case, data: bytes) -> tuple[Callable[[], bytes], Callable[[], object]]:
    """pycrate's encode and decode of ``data`` as the PDU of ``case`` (XwAP-PDU, APER; or the
    RRC channel's message, UPER)."""
    rrclte, xwap_mod = pycrate_modules()
    if case.proto == "xwap":
        return _pycrate_calls(xwap_mod.XwAP_PDU_Descriptions.XwAP_PDU, "aper", data)
    defs = rrclte.EUTRA_RRC_Definitions
    pdu = {
        "dl-dcch": defs.DL_DCCH_Message,
        "ul-dcch": defs.UL_DCCH_Message,
        "ul-ccch": defs.UL_CCCH_Message,
    }[case.channel]
    return _pycrate_calls(pdu, "uper", data)


def ours(case: Case) -> tuple[bytes, Callable[[], object], Callable[[], object]]:
    """Our bytes for ``case``, and our encode and decode of them as two calls (fast path)."""
    if case.proto == "rrc":
        data = rrc.encode(case.message)
        return (
            data,
            functools.partial(rrc.encode, case.message),
            functools.partial(rrc.decode, case.channel, data),
        )
    data = xwap.encode(case.message)
    return data, functools.partial(xwap.encode, case.message), functools.partial(xwap.decode, data)


def check_same_bytes(case: Case, data: bytes, pycrate_encode: Callable[[], bytes]) -> None:
    """Speed never changes bytes: pycrate, our decoders and the general path must agree."""
    if pycrate_encode() != data:
        raise AssertionError(f"{case.label}: pycrate re-encodes our bytes differently")
    args: tuple[Any, ...] = (case.channel, data) if case.proto == "rrc" else (data,)
    decode: Callable[..., Any] = rrc.decode if case.proto == "rrc" else xwap.decode
    encode: Callable[..., bytes] = rrc.encode if case.proto == "rrc" else xwap.encode
    for fast in (True, False):
        if decode(*args, fast=fast) != case.message:
            raise AssertionError(f"{case.label}: decoding our bytes does not give the message")
    if encode(case.message, fast=False) != data:
        raise AssertionError(f"{case.label}: the general codec path gives other bytes")


@dataclass(frozen=True)
class CodecRow:
    """One row of the codec table: four measured per-call times."""

    label: str
    message: str
    octets: int
    encode: Quantity
    encode_pycrate: Quantity
    decode: Quantity
    decode_pycrate: Quantity

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "message": self.message,
            "octets": self.octets,
            "encode_us": self.encode.as_json(),
            "encode_pycrate_us": self.encode_pycrate.as_json(),
            "decode_us": self.decode.as_json(),
            "decode_pycrate_us": self.decode_pycrate.as_json(),
        }


def codec_table(sizes: Sizes, inst: Instruments) -> list[CodecRow]:
    """One row per case: ours and pycrate's encode and decode, per-call microseconds, each
    measured by :func:`~.timing.time_per_call` after the bytes were checked."""
    basis = f"median of {sizes.codec_rounds} rounds of the mean time per call"
    rows = []
    for case in cases():
        data, ours_enc, ours_dec = ours(case)
        p_enc, p_dec = pycrate_for(case, data)
        check_same_bytes(case, data, p_enc)

        def timed(label: str, fn: Callable[[], object], baseline: bool) -> Quantity:
            t = time_per_call(
                fn, inst.clock, rounds=sizes.codec_rounds, budget_s=sizes.codec_budget_s
            )
            return measured(label, t.us, "us", t.calls, basis, baseline=baseline)

        rows.append(
            CodecRow(
                case.label,
                case.message.MESSAGE,
                len(data),
                timed("encode, ours", ours_enc, False),
                timed("encode, pycrate", p_enc, True),
                timed("decode, ours", ours_dec, False),
                timed("decode, pycrate", p_dec, True),
            )
        )
    return rows


def speedup_figure(rows: Sequence[CodecRow]) -> Figure:
    """The smallest ratio pycrate time / our time over every row's encode and decode (derived
    from the rows), with that row's two measured times beside it."""
    best: tuple[float, CodecRow, str] | None = None
    for row in rows:
        for op in ("encode", "decode"):
            ours_q, theirs_q = getattr(row, op), getattr(row, f"{op}_pycrate")
            ratio = theirs_q.value / ours_q.value
            if best is None or ratio < best[0]:
                best = (ratio, row, op)
    assert best is not None
    ratio, row, op = best
    ours_q, theirs_q = getattr(row, op), getattr(row, f"{op}_pycrate")
    key = "codec_speedup_vs_pycrate_min"
    return Figure(
        key,
        "smallest speed-up over pycrate, encode or decode, over every codec row",
        derived(
            "ours: the smallest ratio pycrate time / our time",
            ratio,
            "x",
            (f"{key}.parts.ours_us", f"{key}.baselines.pycrate_us"),
            "min over the codec rows of pycrate us / our us, encode and decode",
        ),
        {
            "ours_us": measured(
                f"ours: that {op}", ours_q.value, "us", ours_q.n or 0, ours_q.basis
            ),
            "pycrate_us": measured(
                f"baseline: pycrate, that {op}",
                theirs_q.value,
                "us",
                theirs_q.n or 0,
                theirs_q.basis,
                baseline=True,
            ),
        },
        notes=(f"the smallest is the {op} of {row.label}",),
        extra={"row": row.label, "op": op},
    )
