"""``lwip-enb bench``: five figures of the eNB side, each beside its baselines from the same run.

=====================================  ======================================================
``activation_per_s`` (goal >= 20,000)  fresh UEs taken from idle to active per second, one
                                       core: PSK derivation, LWIP ADDITION REQUEST encoded,
                                       the SeGW's ACKNOWLEDGE decoded, RRC reconfiguration
                                       encoded, RRCConnectionReconfigurationComplete and
                                       WLANConnectionStatusReport decoded (:func:`activation`)
``release_storm_100k_s`` (goal <= 2)   wall seconds to hand over 100,000 active UEs at once,
                                       with every LWIP RELEASE REQUEST encoded (:func:`storm`)
``memory_per_ue_bytes`` (goal <= 2000) traced bytes per idle UE context, 100,000 of them
                                       (:func:`memory`)
``cold_start_s`` (goal <= 1)           a new process to its first encoded RRC and XwAP
                                       message, ASN.1 cache warm (:func:`cold_start`)
``codec_speedup_vs_pycrate_min``       the smallest ratio pycrate time / our time over the
(goal >= 3)                            encode and decode of every row of :func:`codec_table`
=====================================  ======================================================

pycrate (the independent ASN.1 implementation the tests compare bytes with) is the codec
baseline; it is a test dependency (``pip install 'lwip-enb[test]'``). Speed never changes
bytes: every codec row checks that pycrate re-encodes our bytes to the same bytes and that our
decoder gives back the message, and the general asn1tools path of the codecs (``encode`` /
``decode`` with ``fast=False``) must give the same bytes and message too.

``--quick`` runs the same measurements with small N (stated in the output) so that the test
suite can run the command in seconds; it says nothing about the goals of the 100,000-UE
figures. Each figure's function says exactly what is timed and against which baselines; the
baselines are measured in the same run and printed beside the figure. Timings are wall-clock in
this process, Python's garbage collector left on (it is part of what a Python eNB pays). A
progress bar (:mod:`lwip_enb.progress`) is drawn on standard error when it is a terminal, for
the first ASN.1 compile, the activation, the storm, the memory phase and the cold starts.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import ipaddress
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

import attrs

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.core.controller import EnbConfig, EnbController, HandoverKind
from lwip_enb.core.fsm import Event, State
from lwip_enb.core.outputs import (
    PskDeleted,
    SendRrc,
    SendXwap,
    StateChanged,
    TunnelReleased,
    TunnelUp,
)
from lwip_enb.keys import IdiAllocator, KeyMaterial, LwipSecurityContext, derive_lwip_psk
from lwip_enb.progress import Progress
from lwip_enb.sim.testing import PeerMessages, ready_controller

__all__ = [
    "FULL",
    "GOALS",
    "QUICK",
    "Case",
    "Sizes",
    "activation",
    "codec_table",
    "cold_start",
    "format_table",
    "main",
    "memory",
    "run",
    "storm",
]

#: figure -> ("min" or "max", goal); the storm's goal is for 100,000 UEs.
GOALS: dict[str, tuple[str, float]] = {
    "activation_per_s": ("min", 20_000),
    "release_storm_100k_s": ("max", 2.0),
    "memory_per_ue_bytes": ("max", 2_000),
    "cold_start_s": ("max", 1.0),
    "codec_speedup_vs_pycrate_min": ("min", 3.0),
}
STORM_GOAL_UES = 100_000

SEGW = "segw"
SEGW_ADDRESS = "192.0.2.10"


@dataclass(frozen=True)
class Sizes:
    """How much each measurement does."""

    ues: int  # fresh UEs activated (timed), then released in the storm (timed)
    memory_ues: int  # idle UE contexts traced
    cycle_sample: int  # idle contexts made by a full activation + deactivation, traced
    general_sample: int  # UEs activated and released through the general codec path
    cold_runs: int  # cold starts of each kind after one warm-up
    codec_budget_s: float  # per timing of one codec call
    codec_rounds: int  # median of this many rounds


FULL = Sizes(100_000, 100_000, 2_000, 2_000, 7, 0.2, 5)
QUICK = Sizes(2_000, 5_000, 200, 200, 2, 0.01, 3)


# --- timing helpers -------------------------------------------------------------------------


def _time_us(fn: Callable[[], object], *, rounds: int = 5, budget_s: float = 0.2) -> float:
    """Median over ``rounds`` of the mean microseconds per call, ``budget_s`` split over them."""
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


@contextlib.contextmanager
def _one_core() -> Iterator[str]:
    """Pin this process to one CPU (where the OS allows it) for the duration; say what was done.

    The activation path is single-threaded Python, so it uses one core whether pinned or not;
    pinning only keeps the scheduler from moving it between cores mid-measurement.
    """
    getter = getattr(os, "sched_getaffinity", None)
    setter = getattr(os, "sched_setaffinity", None)
    if getter is None or setter is None:
        yield "one thread (pinning not supported here)"
        return
    before = getter(0)
    cpu = min(before)
    try:
        setter(0, {cpu})
    except OSError:
        yield "one thread (pinning refused)"
        return
    try:
        yield f"one thread pinned to CPU {cpu}"
    finally:
        setter(0, before)


def _chunks(n: int, size: int = 1000) -> Iterator[range]:
    for lo in range(0, n, size):
        yield range(lo, min(n, lo + size))


def _kenb(i: int) -> bytes:
    return (i + 1).to_bytes(32, "big")


def _mac(i: int) -> bytes:
    return b"\x02" + i.to_bytes(5, "big")


# --- codecs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One codec row: ``label`` names the message and, where a message has shapes, the shape."""

    label: str
    proto: str  # "rrc" or "xwap"
    channel: str  # RRC logical channel, "" for XwAP
    message: Any


def _cases() -> list[Case]:
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


def _pycrate_modules() -> tuple[Any, Any]:
    try:
        from pycrate_asn1dir import RRCLTE, XwAP  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SystemExit("lwip-enb bench needs pycrate: pip install 'lwip-enb[test]'") from exc
    return RRCLTE, XwAP


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


def _pycrate_for(case: Case, data: bytes) -> tuple[Callable[[], bytes], Callable[[], object]]:
    rrclte, xwap_mod = _pycrate_modules()
    if case.proto == "xwap":
        return _pycrate_calls(xwap_mod.XwAP_PDU_Descriptions.XwAP_PDU, "aper", data)
    defs = rrclte.EUTRA_RRC_Definitions
    pdu = {
        "dl-dcch": defs.DL_DCCH_Message,
        "ul-dcch": defs.UL_DCCH_Message,
        "ul-ccch": defs.UL_CCCH_Message,
    }[case.channel]
    return _pycrate_calls(pdu, "uper", data)


def _ours(case: Case) -> tuple[bytes, Callable[[], object], Callable[[], object]]:
    if case.proto == "rrc":
        data = rrc.encode(case.message)
        return (
            data,
            functools.partial(rrc.encode, case.message),
            functools.partial(rrc.decode, case.channel, data),
        )
    data = xwap.encode(case.message)
    return data, functools.partial(xwap.encode, case.message), functools.partial(xwap.decode, data)


#: The controller's codec calls that ``EnbConfig(fast_codecs=False)`` sends the general way.
_GENERAL_CALLS: Final = ("xwap.encode", "xwap.decode", "rrc.encode", "rrc.decode")


def _check_same_bytes(case: Case, data: bytes, pycrate_encode: Callable[[], bytes]) -> None:
    """Speed never changes bytes: pycrate, our decoder and the general path must agree."""
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


def codec_table(sizes: Sizes = FULL) -> list[dict[str, Any]]:
    """One row per case: ours and pycrate's encode/decode microseconds, same bytes checked."""
    rows = []
    for case in _cases():
        data, ours_enc, ours_dec = _ours(case)
        p_enc, p_dec = _pycrate_for(case, data)
        _check_same_bytes(case, data, p_enc)
        timing = functools.partial(
            _time_us, rounds=sizes.codec_rounds, budget_s=sizes.codec_budget_s
        )
        rows.append(
            {
                "label": case.label,
                "message": case.message.MESSAGE,
                "octets": len(data),
                "encode_us": timing(ours_enc),
                "encode_pycrate_us": timing(p_enc),
                "decode_us": timing(ours_dec),
                "decode_pycrate_us": timing(p_dec),
            }
        )
    return rows


def _min_speedup(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    best: dict[str, Any] | None = None
    for row in rows:
        for op in ("encode", "decode"):
            ratio = row[f"{op}_pycrate_us"] / row[f"{op}_us"]
            if best is None or ratio < best["speedup"]:
                best = {
                    "speedup": ratio,
                    "label": row["label"],
                    "op": op,
                    "ours_us": row[f"{op}_us"],
                    "pycrate_us": row[f"{op}_pycrate_us"],
                }
    assert best is not None
    return best


# --- the eNB side: one SeGW, replies built the way a SeGW and a UE would send them -----------


def _controller(
    peers: PeerMessages, *, ready: bool = True, fast_codecs: bool = True
) -> EnbController:
    config = EnbConfig(fast_codecs=fast_codecs)
    if ready:
        return ready_controller(config, segw=SEGW, address=SEGW_ADDRESS, messages=peers)
    enb = EnbController(config)
    enb.add_segw(SEGW, SEGW_ADDRESS)
    return enb


class _Ues:
    """The caller's values for UEs ``first..first+n-1``: keys, KeNBs and WLAN MACs."""

    def __init__(self, n: int, first: int = 0) -> None:
        self.keys = list(range(first, first + n))
        self.kenbs = [_kenb(i) for i in self.keys]
        self.macs = [_mac(i) for i in self.keys]


def _activate_all(
    enb: EnbController, peers: PeerMessages, ues: _Ues, progress: Progress | None = None
) -> tuple[float, list[int]]:
    """Activate the (fresh) UEs; return the wall seconds and the eNB UE XwAP ids used.

    Timed per UE: ``activate`` (LWIP counter, PSK derivation, IDi, LWIP ADDITION REQUEST
    encoded, guard armed), the ACKNOWLEDGE bytes received (decoded, RRC reconfiguration
    encoded), RRCConnectionReconfigurationComplete and WLANConnectionStatusReport
    (successfulAssociation) received (decoded), and one ``next_timer`` call, as an event loop
    makes after its inputs (it discards the guard timers the activation cancelled). Also in the
    loop, as the SeGW's and UE's share: finding the two messages in the outputs and writing the
    ids into the ACKNOWLEDGE template. Not timed: making the UEs' keys, KeNB and MAC values.
    """
    keys, kenbs, macs = ues.keys, ues.kenbs, ues.macs
    n = len(keys)
    ids: list[int] = [0] * n
    ack = peers.addition_ack
    complete, report = peers.complete, peers.wlan_success
    ul = RrcChannel.UL_DCCH
    activate, receive_xwap, receive_rrc = enb.activate, enb.receive_xwap, enb.receive_rrc
    next_timer = enb.next_timer
    elapsed = 0.0
    for chunk in _chunks(n):
        start = time.perf_counter()
        for i in chunk:
            key = keys[i]
            request = None
            for o in activate(key, kenb=kenbs[i], wlan_mac=macs[i], now=0.0):
                if type(o) is SendXwap:
                    request = o.message
            assert isinstance(request, xwap.LwipAdditionRequest), request
            ids[i] = request.enb_ue_id
            reconfiguration = None
            for o in receive_xwap(SEGW, ack(request.enb_ue_id, key & 0xFFFFFF), 0.0):
                if type(o) is SendRrc:
                    reconfiguration = o.message
            assert isinstance(reconfiguration, rrc.RrcConnectionReconfiguration), reconfiguration
            receive_rrc(key, ul, complete[reconfiguration.transaction_id], 0.0)
            receive_rrc(key, ul, report, 0.0)
            next_timer()
        elapsed += time.perf_counter() - start
        if progress is not None:
            progress.advance(len(chunk))
    not_active = [k for k in keys if enb.state(k) is not State.ACTIVE]
    if not_active:
        raise AssertionError(
            f"{len(not_active)} of {n} UEs did not reach {State.ACTIVE.value}, e.g. UE "
            f"{not_active[0]} is {enb.state(not_active[0]).value}"
        )
    if enb.next_timer() is not None:
        raise AssertionError("a guard timer is still armed after every activation completed")
    return elapsed, ids


def _storm_all(
    enb: EnbController, keys: Sequence[int], ids: Sequence[int], progress: Progress | None = None
) -> float:
    """Hand over the (all active) UEs to another eNB at once; return the wall seconds.

    Timed per UE: ``handover`` (X2: the LWIP tunnel released, LWIP RELEASE REQUEST encoded for
    the SeGW, guard and ids freed, KeNB wiped; the UE releases LWIP itself on the handover
    command, 36.331 5.3.5.4, so no RRC message of the eNB's), and keeping the encoded PDUs in
    a list as a sender would. Checked after the clock stops: one LWIP RELEASE REQUEST per UE
    with its own ids, a sample of the PDUs decodes to its message, every UE idle; then, not
    timed (it comes later, when the target eNB releases the UE context), every UE is forgotten
    and no context or timer may be left.
    """
    handover, x2 = enb.handover, HandoverKind.X2
    n = len(keys)
    sent: list[SendXwap] = []
    released = 0
    elapsed = 0.0
    for chunk in _chunks(n):
        start = time.perf_counter()
        for i in chunk:
            for o in handover(keys[i], x2, 0.0):
                if type(o) is SendXwap:
                    sent.append(o)
                elif type(o) is TunnelReleased:
                    released += 1
        elapsed += time.perf_counter() - start
        if progress is not None:
            progress.advance(len(chunk))
    if len(sent) != n or released != n:
        raise AssertionError(f"storm: {len(sent)} release PDUs and {released} releases for {n}")
    if any(enb.state(k) is not State.IDLE for k in keys):
        raise AssertionError("storm: a UE is not idle after its handover")
    requests = [s.message for s in sent if isinstance(s.message, xwap.LwipReleaseRequest)]
    if len(requests) != n:
        raise AssertionError("storm: a message other than LWIP RELEASE REQUEST was sent")
    if sorted(r.enb_ue_id for r in requests) != sorted(ids):
        raise AssertionError("storm: the release requests do not name the UEs' XwAP ids")
    for s in sent[:: max(1, n // 500)]:
        if xwap.decode(s.pdu) != s.message:
            raise AssertionError("storm: a release PDU does not decode to its message")
    for k in keys:
        if enb.forget(k, 0.0):
            raise AssertionError(f"storm: forgetting UE {k} after its handover did something")
    if tuple(enb.ues()) or enb.next_timer() is not None:
        raise AssertionError("storm: UE contexts or timers left after every UE was forgotten")
    return elapsed


# --- the five figures -----------------------------------------------------------------------


def _activation_codec_calls(peers: PeerMessages, sizes: Sizes) -> tuple[float, float]:
    """Microseconds of the codec calls of one activation: ours, and pycrate's for the same bytes.

    The messages are those of a real activation (taken from a scratch controller): LWIP
    ADDITION REQUEST encoded, ACKNOWLEDGE decoded, RRC reconfiguration encoded, completion and
    WLAN status report decoded.
    """
    enb = _controller(peers)
    out = enb.activate("probe", kenb=_kenb(0), wlan_mac=_mac(0), now=0.0)
    request = next(o for o in out if isinstance(o, SendXwap))
    assert isinstance(request.message, xwap.LwipAdditionRequest)
    ack = peers.addition_ack(request.message.enb_ue_id, 7)
    out = enb.receive_xwap(SEGW, ack, 0.0)
    setup = next(o for o in out if isinstance(o, SendRrc))
    assert isinstance(setup.message, rrc.RrcConnectionReconfiguration)
    complete = peers.complete[setup.message.transaction_id]
    # The controller wiped its PSK once encoded (R5): time the same message with a live one.
    add = attrs.evolve(
        request.message,
        security=xwap.SeGwSecurityInfo(KeyMaterial(_kenb(9)), request.message.security.idi),
    )
    cases = [
        (Case("add", "xwap", "", add), "encode", None),
        (Case("ack", "xwap", "", xwap.decode(ack)), "decode", ack),
        (Case("setup", "rrc", "dl-dcch", setup.message), "encode", setup.pdu),
        (Case("complete", "rrc", "ul-dcch", rrc.decode("ul-dcch", complete)), "decode", complete),
        (
            Case("report", "rrc", "ul-dcch", rrc.decode("ul-dcch", peers.wlan_success)),
            "decode",
            peers.wlan_success,
        ),
    ]
    timing = functools.partial(_time_us, rounds=sizes.codec_rounds, budget_s=sizes.codec_budget_s)
    ours = pycrate = 0.0
    for case, op, sent in cases:
        data, ours_enc, ours_dec = _ours(case)
        if sent is not None and data != sent:
            raise AssertionError(f"{case.label}: the controller's bytes differ from encode()")
        p_enc, p_dec = _pycrate_for(case, data)
        if p_enc() != data:
            raise AssertionError(
                f"{case.label}: pycrate re-encodes the controller's bytes differently"
            )
        ours += timing(ours_enc if op == "encode" else ours_dec)
        pycrate += timing(p_enc if op == "encode" else p_dec)
    return ours, pycrate


def _activation_objects_us(sizes: Sizes) -> float:
    """Microseconds to make what one activation makes, without the controller and the codecs.

    A security context for a fresh KeNB and its first LWIP-PSK (wiped), an IDi, the LWIP
    ADDITION REQUEST and its ACKNOWLEDGE, the RRC set-up with its mobility configuration, and
    the eight events the controller reports on the way (four state changes, PSK deleted, the two
    sends, tunnel usable): a floor under the activation time for these types.
    """
    ids = IdiAllocator()
    kenb, mac = _kenb(3), _mac(3)
    address = ipaddress.ip_address(SEGW_ADDRESS)
    steps = (
        (State.IDLE, State.ADDING, Event.ACTIVATE),
        (State.ADDING, State.CONFIGURING, Event.ADDITION_ACK),
        (State.CONFIGURING, State.CONFIGURED, Event.RECONFIGURATION_COMPLETE),
        (State.CONFIGURED, State.ACTIVE, Event.WLAN_SUCCESS),
    )

    def one() -> None:
        context = LwipSecurityContext(kenb)
        idi = ids.allocate()
        with context.next_psk() as derived:
            security = xwap.SeGwSecurityInfo(derived.psk, idi.octets)
            request = xwap.LwipAdditionRequest(1, mac, security)
        xwap.LwipAdditionRequestAcknowledge(1, 2)
        mobility = rrc.WlanMobilityConfig(success_report_requested=True)
        setup = rrc.RrcConnectionReconfiguration.lwip_setup(
            1, address, idi.octets, derived.counter, mobility=mobility
        )
        for old, new, event in steps:
            StateChanged(1, old, new, event)
        PskDeleted(1, derived.counter)
        SendXwap(SEGW, request, b"", 1)
        SendRrc(1, RrcChannel.DL_DCCH, setup, b"")
        TunnelUp(1)
        ids.release(idi)

    return _time_us(one, rounds=sizes.codec_rounds, budget_s=sizes.codec_budget_s)


def activation(
    sizes: Sizes, peers: PeerMessages
) -> tuple[dict[str, Any], EnbController, list[int], list[int]]:
    """Activations per second, one core, ``sizes.ues`` fresh UEs (see :func:`_activate_all`).

    Baselines, same run: LWIP-PSK derivation alone; the activation's five codec calls alone,
    ours and pycrate's (for the same bytes); the activation with pycrate's codec time in place
    of ours (estimate: measured activation time - our codec time + pycrate's); and the same
    activation through the general asn1tools codec path (a controller made with
    ``EnbConfig(fast_codecs=False)``), measured on ``sizes.general_sample`` UEs. Returns the
    figure, the controller with every UE active (the storm's starting point), the UEs' keys and
    their eNB UE XwAP ids.
    """
    enb = _controller(peers)
    ues = _Ues(sizes.ues)
    with _one_core() as core, Progress("activating UEs", sizes.ues) as progress:
        elapsed, ids = _activate_all(enb, peers, ues, progress)
    per_ue_us = elapsed / sizes.ues * 1e6
    kenb = KeyMaterial(_kenb(1))
    psk_us = _time_us(
        lambda: derive_lwip_psk(kenb, 7).wipe(),
        rounds=sizes.codec_rounds,
        budget_s=sizes.codec_budget_s,
    )
    codec_us, codec_pycrate_us = _activation_codec_calls(peers, sizes)
    objects_us = _activation_objects_us(sizes)
    m = sizes.general_sample
    sample, sample_ues = _controller(peers, fast_codecs=False), _Ues(m)
    seconds, sample_ids = _activate_all(sample, peers, sample_ues)
    general_storm_us = _storm_all(sample, sample_ues.keys, sample_ids) / m * 1e6
    figure = {
        "value": 1e6 / per_ue_us,
        "per_ue_us": per_ue_us,
        "n": sizes.ues,
        "core": core,
        "baselines": {
            "psk_derivation_per_s": 1e6 / psk_us,
            "objects_alone_per_s": 1e6 / objects_us,
            "codec_calls_ours_per_s": 1e6 / codec_us,
            "codec_calls_pycrate_per_s": 1e6 / codec_pycrate_us,
            "with_pycrate_codec_per_s_estimate": 1e6
            / max(per_ue_us - codec_us + codec_pycrate_us, 1e-9),
            "general_codec_per_s": m / seconds,
        },
        "breakdown_us": {
            "psk_derivation": psk_us,
            "codec_calls": codec_us,
            "rest": per_ue_us - codec_us - psk_us,
        },
        "general_codec": {"n": m, "calls": list(_GENERAL_CALLS)},
        "_general_storm_per_ue_us": general_storm_us,
    }
    return figure, enb, ues.keys, ids


def storm(
    sizes: Sizes,
    enb: EnbController,
    keys: Sequence[int],
    ids: Sequence[int],
    general_per_ue_us: float,
) -> dict[str, Any]:
    """Wall seconds of a handover wave over ``sizes.ues`` active UEs (see :func:`_storm_all`).

    Baselines, same run, each scaled to the same N from a per-message or per-UE time (a
    release is O(1) work per UE, so its cost does not depend on how many UEs there are; running
    pycrate 100,000 times would only make the bench longer): N x our encoding of one LWIP
    RELEASE REQUEST (the codec's share of the storm), N x pycrate's encoding of it, and the
    storm through the general asn1tools codec path measured on ``sizes.general_sample`` UEs.
    """
    with Progress("release storm", len(keys)) as progress:
        elapsed = _storm_all(enb, keys, ids, progress)
    case = Case(
        "release",
        "xwap",
        "",
        xwap.LwipReleaseRequest(0x000102, 0x000203, enb.config.handover_cause),
    )
    data, ours_enc, _ = _ours(case)
    p_enc, _ = _pycrate_for(case, data)
    if p_enc() != data:
        raise AssertionError("LWIP RELEASE REQUEST: pycrate re-encodes our bytes differently")
    timing = functools.partial(_time_us, rounds=sizes.codec_rounds, budget_s=sizes.codec_budget_s)
    n = len(keys)
    return {
        "value": elapsed,
        "n": n,
        "per_ue_us": elapsed / n * 1e6,
        "baselines": {
            "encode_only_ours_s": timing(ours_enc) * n / 1e6,
            "encode_only_pycrate_s": timing(p_enc) * n / 1e6,
            "general_codec_s": general_per_ue_us * n / 1e6,
        },
    }


class _Slotted:
    """A minimal per-UE object: one slot."""

    __slots__ = ("state",)

    def __init__(self) -> None:
        self.state = State.IDLE


def _traced(build: Callable[[], object]) -> int:
    """Bytes still allocated (tracemalloc) by what ``build`` made, after garbage collection."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = build()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return after - before


def memory(sizes: Sizes, peers: PeerMessages) -> dict[str, Any]:
    """Traced bytes per idle UE context, ``sizes.memory_ues`` of them in one controller.

    Each context is made by ``activate`` while the SeGW has no Xw association yet: the eNB
    keeps the UE (state idle, its KeNB security context and LWIP counter, WLAN MAC, SeGW) and
    answers ActivationFailed. That is the state a UE is in between activations, reached without
    running the codecs 100,000 times. Cross-check, same run: ``sizes.cycle_sample`` UEs made
    idle by a full activation then ``deactivate`` (tunnel set up, used and released); besides
    the contexts it counts what the id tables keep after ids are freed (dicts and sets do not
    shrink). The UEs' keys, KeNB and MAC values are the caller's: made before tracing starts.

    Baselines, same run, per UE of the same count: an empty dict, and a minimal one-slot object,
    each kept in a dict under the UE's key.
    """
    n = sizes.memory_ues
    ues = _Ues(n)

    def idle_contexts() -> EnbController:
        enb = _controller(peers, ready=False)
        with Progress("idle UE contexts", n) as progress:
            for chunk in _chunks(n):
                for i in chunk:
                    enb.activate(ues.keys[i], kenb=ues.kenbs[i], wlan_mac=ues.macs[i], now=0.0)
                progress.advance(len(chunk))
        if any(enb.state(k) is not State.IDLE for k in ues.keys) or len(tuple(enb.ues())) != n:
            raise AssertionError("memory: not every UE context is known and idle")
        return enb

    m = sizes.cycle_sample
    cycle_enb = _controller(peers)
    _activate_all(cycle_enb, peers, _Ues(1, first=m))  # every code path used once, untraced
    cycle_enb.forget(m, 0.0)
    cycle_ues = _Ues(m)

    def cycled() -> EnbController:
        _activate_all(cycle_enb, peers, cycle_ues)
        for k in cycle_ues.keys:
            cycle_enb.deactivate(k, 0.0)
        cycle_enb.next_timer()
        if any(cycle_enb.state(k) is not State.IDLE for k in cycle_ues.keys):
            raise AssertionError("memory: a deactivated UE is not idle")
        return cycle_enb

    idle = _traced(idle_contexts) / n
    after_cycle = _traced(cycled) / m
    empty_dict = _traced(lambda: {k: {} for k in ues.keys}) / n
    slotted = _traced(lambda: {k: _Slotted() for k in ues.keys}) / n
    return {
        "value": idle,
        "n": n,
        "baselines": {
            "after_full_cycle_bytes": after_cycle,
            "empty_dict_bytes": empty_dict,
            "one_slot_object_bytes": slotted,
        },
    }


_COLD_OURS = """\
import json, time
from lwip_enb import asn1
from lwip_enb.codec import rrc
from lwip_enb.codec import xwap
from lwip_enb.keys import KeyMaterial
r = rrc.encode(rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", bytes(16), 0))
x = xwap.encode(xwap.LwipAdditionRequest(
    1, b"\\x02" + bytes(5), xwap.SeGwSecurityInfo(KeyMaterial(bytes(32)), bytes(16))))
t = time.time()
print(t, r.hex(), x.hex(), json.dumps({k: v.source for k, v in asn1.load_info().items()}))
"""
_COLD_PASS = "import time; print(time.time())"
_COLD_PYCRATE = "import time, pycrate_asn1dir.XwAP, pycrate_asn1dir.RRCLTE; print(time.time())"


def _cold_expected() -> tuple[str, str]:
    r = rrc.encode(rrc.RrcConnectionReconfiguration.lwip_setup(1, "192.0.2.10", bytes(16), 0))
    x = xwap.encode(
        xwap.LwipAdditionRequest(
            1, b"\x02" + bytes(5), xwap.SeGwSecurityInfo(KeyMaterial(bytes(32)), bytes(16))
        )
    )
    return r.hex(), x.hex()


def _spawn(code: str) -> tuple[float, list[str]]:
    """Seconds from just before spawning ``python -c code`` to the time.time() it prints."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    start = time.time()
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    if res.returncode != 0:
        raise AssertionError(f"cold start child failed: {res.stderr.strip()[-500:]}")
    fields = res.stdout.split(maxsplit=3)
    return float(fields[0]) - start, fields[1:]


def cold_start(sizes: Sizes) -> dict[str, Any]:
    """Median seconds from spawning ``python -c`` to its first encoded RRC and XwAP message.

    The child imports lwip_enb, encodes an LWIP set-up RRCConnectionReconfiguration and an LWIP
    ADDITION REQUEST, and prints the time (wall clock, compared with the parent's time just
    before the spawn; interpreter teardown is not counted). One warm-up run of each kind, then
    ``sizes.cold_runs`` runs of each, interleaved. The ASN.1 cache is warm: this process loaded
    (and, the first time, compiled and cached) the codecs before. The child's bytes must equal
    this process's. Baselines: ``python -c pass`` (the interpreter alone) and importing
    pycrate's XwAP and RRCLTE modules (pycrate's start, without a message).
    """
    expected = _cold_expected()
    kinds = {"ours": _COLD_OURS, "python_pass": _COLD_PASS, "pycrate_import": _COLD_PYCRATE}
    times: dict[str, list[float]] = {k: [] for k in kinds}
    sources: dict[str, str] = {}
    with Progress("cold starts", (sizes.cold_runs + 1) * len(kinds)) as progress:
        for run_no in range(sizes.cold_runs + 1):
            for kind, code in kinds.items():
                seconds, rest = _spawn(code)
                progress.advance()
                if kind == "ours":
                    if tuple(rest[:2]) != expected:
                        raise AssertionError("cold start: the child encoded other bytes")
                    sources = json.loads(rest[2]) if len(rest) > 2 else {}
                if run_no:  # the first round is the warm-up
                    times[kind].append(seconds)
    return {
        "value": statistics.median(times["ours"]),
        "n": sizes.cold_runs,
        "asn1_sources": sources,
        "baselines": {
            "python_pass_s": statistics.median(times["python_pass"]),
            "pycrate_import_s": statistics.median(times["pycrate_import"]),
        },
    }


# --- running and reporting ------------------------------------------------------------------


def _first_use() -> None:
    """Load (the first time: compile and cache) the ASN.1 of both codecs, and pycrate's."""
    for case in _cases():
        _ours(case)
    _pycrate_modules()


def _met(key: str, value: float, n_ratio: float = 1.0) -> bool:
    kind, goal = GOALS[key]
    return value >= goal if kind == "min" else value <= goal * n_ratio


def run(sizes: Sizes = FULL, *, quick: bool = False) -> dict[str, Any]:
    """Measure everything; the result is what ``--json`` prints."""
    _first_use()  # the first ASN.1 compile draws its own progress bar (lwip_enb.asn1)
    peers = PeerMessages()
    rows = codec_table(sizes)
    smallest = _min_speedup(rows)
    act, enb, keys, ids = activation(sizes, peers)
    general_storm = act.pop("_general_storm_per_ue_us")
    st = storm(sizes, enb, keys, ids, general_storm)
    del enb
    gc.collect()
    mem = memory(sizes, peers)
    cold = cold_start(sizes)
    figures = {
        "activation_per_s": act,
        "release_storm_100k_s": st,
        "memory_per_ue_bytes": mem,
        "cold_start_s": cold,
    }
    result: dict[str, Any] = {key: fig["value"] for key, fig in figures.items()}
    result["codec_speedup_vs_pycrate_min"] = smallest["speedup"]
    result["quick"] = quick
    result["n"] = {
        "activation_ues": sizes.ues,
        "release_storm_ues": sizes.ues,
        "memory_ues": sizes.memory_ues,
        "memory_after_cycle_ues": sizes.cycle_sample,
        "general_codec_ues": act["general_codec"]["n"],
        "cold_start_runs": sizes.cold_runs,
        "codec_rounds": sizes.codec_rounds,
    }
    result["goals"] = {k: {kind: goal} for k, (kind, goal) in GOALS.items()}
    storm_scale = sizes.ues / STORM_GOAL_UES
    result["met"] = {
        "activation_per_s": _met("activation_per_s", act["value"]),
        "release_storm_100k_s": _met("release_storm_100k_s", st["value"], storm_scale),
        "memory_per_ue_bytes": _met("memory_per_ue_bytes", mem["value"]),
        "cold_start_s": _met("cold_start_s", cold["value"]),
        "codec_speedup_vs_pycrate_min": _met("codec_speedup_vs_pycrate_min", smallest["speedup"]),
    }
    result["baselines"] = {key: fig["baselines"] for key, fig in figures.items()}
    result["baselines"]["codec_speedup_vs_pycrate_min"] = {
        k: v for k, v in smallest.items() if k != "speedup"
    }
    result["details"] = {
        "activation_per_s": {
            "per_ue_us": act["per_ue_us"],
            "core": act["core"],
            "breakdown_us": act["breakdown_us"],
            "general_codec": act["general_codec"]["calls"],
        },
        "release_storm_100k_s": {"per_ue_us": st["per_ue_us"]},
        "cold_start_s": {"asn1_sources": cold["asn1_sources"]},
    }
    result["sizes"] = asdict(sizes)
    result["python"] = platform.python_version()
    result["codecs"] = rows
    return result


def _n(value: float | None, fmt: str = ",.0f", unit: str = "") -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:{fmt}}{unit}"


def format_table(result: dict[str, Any]) -> str:
    """The result as text: one section per figure (goal, ours, baselines), then the codecs."""
    n, b, d, met = result["n"], result["baselines"], result["details"], result["met"]
    lines: list[str] = []
    add = lines.append
    mode = "quick: small N, the goals are for the full run" if result["quick"] else "full run"
    add(f"lwip-enb bench (Python {result['python']}, {mode})")

    def section(title: str, key: str, goal: str) -> None:
        add("")
        add(f"{title}  [{key}]  goal {goal}  {'met' if met[key] else 'NOT met'}")

    def line(label: str, value: str) -> None:
        add(f"  {label:<58}{value:>16}")

    act = d["activation_per_s"]
    section("activations per second, one core", "activation_per_s", ">= 20,000 /s")
    line(
        f"ours: {n['activation_ues']:,} fresh UEs, idle -> active",
        _n(result["activation_per_s"], unit=" /s"),
    )
    line("  per UE", _n(act["per_ue_us"], ",.1f", " us"))
    bd = act["breakdown_us"]
    line("  of which PSK derivation", _n(bd["psk_derivation"], ",.1f", " us"))
    line("  of which 5 codec calls (ours)", _n(bd["codec_calls"], ",.1f", " us"))
    line("  of which the rest (controller, messages, IDi)", _n(bd["rest"], ",.1f", " us"))
    add(f"  ({act['core']}; single-threaded Python)")
    ab = b["activation_per_s"]
    line("baseline: PSK derivation alone", _n(ab["psk_derivation_per_s"], unit=" /s"))
    line(
        "baseline: its objects + PSK + IDi, no controller/codec",
        _n(ab["objects_alone_per_s"], unit=" /s"),
    )
    line("baseline: the 5 codec calls alone, ours", _n(ab["codec_calls_ours_per_s"], unit=" /s"))
    line(
        "baseline: the 5 codec calls alone, pycrate",
        _n(ab["codec_calls_pycrate_per_s"], unit=" /s"),
    )
    line(
        "baseline: activation with pycrate's codec time (est.)",
        _n(ab["with_pycrate_codec_per_s_estimate"], unit=" /s"),
    )
    routed = ", ".join(act["general_codec"])
    general = f"{routed} with fast=False, the general asn1tools path" if routed else "none"
    line(
        f"baseline: general codec path ({n['general_codec_ues']:,} UEs)",
        _n(ab["general_codec_per_s"], unit=" /s"),
    )
    add(f"    ({general})")

    sb = b["release_storm_100k_s"]
    storm_goal = "<= 2 s for 100,000 UEs"
    if n["release_storm_ues"] != STORM_GOAL_UES:
        scaled = GOALS["release_storm_100k_s"][1] * n["release_storm_ues"] / STORM_GOAL_UES
        storm_goal += f" ({scaled:.3g} s scaled to N)"
    section("release storm (X2 handover wave), wall seconds", "release_storm_100k_s", storm_goal)
    line(
        f"ours: {n['release_storm_ues']:,} active UEs handed over at once",
        _n(result["release_storm_100k_s"], ",.3f", " s"),
    )
    line("  per UE", _n(d["release_storm_100k_s"]["per_ue_us"], ",.1f", " us"))
    line(
        "baseline: N x encode LWIP RELEASE REQUEST, ours",
        _n(sb["encode_only_ours_s"], ",.3f", " s"),
    )
    line(
        "baseline: N x encode LWIP RELEASE REQUEST, pycrate",
        _n(sb["encode_only_pycrate_s"], ",.3f", " s"),
    )
    line(
        "baseline: the storm, general codec path (scaled to N)",
        _n(sb["general_codec_s"], ",.3f", " s"),
    )

    mb = b["memory_per_ue_bytes"]
    section("memory per idle UE context (tracemalloc)", "memory_per_ue_bytes", "<= 2,000 B")
    line(
        f"ours: {n['memory_ues']:,} idle UEs in one controller",
        _n(result["memory_per_ue_bytes"], unit=" B"),
    )
    line(
        f"cross-check: {n['memory_after_cycle_ues']:,} UEs idle after activate + deactivate",
        _n(mb["after_full_cycle_bytes"], unit=" B"),
    )
    line("baseline: an empty dict per UE", _n(mb["empty_dict_bytes"], unit=" B"))
    line("baseline: a one-slot object per UE", _n(mb["one_slot_object_bytes"], unit=" B"))

    cb = b["cold_start_s"]
    section("cold start to first RRC + XwAP message, warm cache", "cold_start_s", "<= 1 s")
    line(
        f"ours: median of {n['cold_start_runs']} (after a warm-up)",
        _n(result["cold_start_s"], ",.3f", " s"),
    )
    line("baseline: python -c pass", _n(cb["python_pass_s"], ",.3f", " s"))
    line(
        "baseline: import pycrate XwAP + RRCLTE (no message)",
        _n(cb["pycrate_import_s"], ",.3f", " s"),
    )
    sources = d["cold_start_s"]["asn1_sources"]
    if any(v != "cache" for v in sources.values()):
        add(f"  (the child's ASN.1 was not all from the cache: {sources})")

    add("")
    add("encode and decode time per message, microseconds (same bytes as pycrate checked)")
    w = max(len(r["label"]) for r in result["codecs"]) + 1
    head = f"{'message':<{w}}{'B':>4} {'enc us':>9} {'pycrate':>9} {'dec us':>9} {'pycrate':>9}"
    add(head)
    add("-" * len(head))
    for r in result["codecs"]:
        add(
            f"{r['label']:<{w}}{r['octets']:>4} {r['encode_us']:>9.1f} "
            f"{r['encode_pycrate_us']:>9.1f} {r['decode_us']:>9.1f} {r['decode_pycrate_us']:>9.1f}"
        )
    s = b["codec_speedup_vs_pycrate_min"]
    add("")
    add(
        f"smallest speed-up over pycrate (encode or decode): "
        f"{result['codec_speedup_vs_pycrate_min']:.2f}x  [codec_speedup_vs_pycrate_min]  "
        f"goal >= 3  {'met' if met['codec_speedup_vs_pycrate_min'] else 'NOT met'}  "
        f"({s['label']}, {s['op']}: {s['ours_us']:.1f} us vs pycrate {s['pycrate_us']:.1f} us)"
    )
    return "\n".join(lines)


def main(json_out: bool = False, quick: bool = False) -> int:
    """``lwip-enb bench [--quick] [--json]``."""
    sizes = QUICK if quick else FULL
    result = run(sizes, quick=quick)
    if json_out:
        print(json.dumps(result))
    else:
        print(format_table(result))
    return 0
