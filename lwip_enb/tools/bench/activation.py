"""``activation_per_s``: fresh UEs taken from idle to active per second, on one core.

Ours and the general-path baseline are the same activation (:meth:`~.enb.Fleet.activate`) of
the same number of fresh UEs, one controller each (``EnbConfig(fast_codecs=True)`` and
``fast_codecs=False``), run interleaved by chunks of :data:`~.timing.CHUNK` UEs in one pinned
process: both see the same machine, the same noise, the same N.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import attrs

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import RrcChannel
from lwip_enb.core.fsm import Event, State
from lwip_enb.core.outputs import PskDeleted, SendRrc, SendXwap, StateChanged, TunnelUp
from lwip_enb.keys import IdiAllocator, KeyMaterial, LwipSecurityContext, derive_lwip_psk
from lwip_enb.progress import Progress
from lwip_enb.sim.testing import SEGW_ADDRESS, PeerMessages
from lwip_enb.tools.bench import runtime
from lwip_enb.tools.bench.codecs import Case, ours, pycrate_for
from lwip_enb.tools.bench.enb import SEGW, Fleet, Ues, controller, kenb, mac
from lwip_enb.tools.bench.quantity import Figure, derived, measured
from lwip_enb.tools.bench.timing import Instruments, PerCall, Sizes, chunks, time_per_call

__all__ = ["KEY", "measure"]

KEY = "activation_per_s"

#: The controller's codec calls that ``EnbConfig(fast_codecs=False)`` sends the general way.
GENERAL_CALLS = ("xwap.encode", "xwap.decode", "rrc.encode", "rrc.decode")


def _codec_calls(peers: PeerMessages, sizes: Sizes, inst: Instruments) -> tuple[PerCall, PerCall]:
    """The five codec calls of one activation as one call, timed: ours and pycrate's.

    The messages are those of a real activation (taken from a scratch controller): LWIP
    ADDITION REQUEST encoded, ACKNOWLEDGE decoded, RRC reconfiguration encoded, completion and
    WLAN status report decoded. pycrate's five calls work on the same bytes (checked).
    """
    enb = controller(peers)
    out = enb.activate("probe", kenb=kenb(0), wlan_mac=mac(0), now=0.0)
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
        security=xwap.SeGwSecurityInfo(KeyMaterial(kenb(9)), request.message.security.idi),
    )
    steps = [
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
    our_calls: list[Callable[[], object]] = []
    pycrate_calls: list[Callable[[], object]] = []
    for case, op, sent in steps:
        data, ours_enc, ours_dec = ours(case)
        if sent is not None and data != sent:
            raise AssertionError(f"{case.label}: the controller's bytes differ from encode()")
        p_enc, p_dec = pycrate_for(case, data)
        if p_enc() != data:
            raise AssertionError(f"{case.label}: pycrate re-encodes the controller's bytes")
        our_calls.append(ours_enc if op == "encode" else ours_dec)
        pycrate_calls.append(p_enc if op == "encode" else p_dec)

    def all_of(calls: list[Callable[[], object]]) -> Callable[[], None]:
        def run() -> None:
            for call in calls:
                call()

        return run

    rounds, budget = sizes.codec_rounds, sizes.codec_budget_s
    return (
        time_per_call(all_of(our_calls), inst.clock, rounds=rounds, budget_s=budget),
        time_per_call(all_of(pycrate_calls), inst.clock, rounds=rounds, budget_s=budget),
    )


def _objects(sizes: Sizes, inst: Instruments) -> PerCall:
    """Make what one activation makes, without the controller and the codecs, timed per call.

    A security context for a fresh KeNB and its first LWIP-PSK (wiped), an IDi, the LWIP
    ADDITION REQUEST and its ACKNOWLEDGE, the RRC set-up with its mobility configuration, and
    the nine events the controller reports on the way (five state changes, PSK deleted, the two
    sends, tunnel usable): a floor under the activation time for these types.
    """
    ids = IdiAllocator()
    key, wlan_mac = kenb(3), mac(3)
    address = ipaddress.ip_address(SEGW_ADDRESS)
    steps = (
        (State.IDLE, State.ADDING, Event.ACTIVATE),
        (State.ADDING, State.CONFIGURING, Event.ADDITION_ACK),
        (State.CONFIGURING, State.CONFIGURED, Event.RECONFIGURATION_COMPLETE),
        (State.CONFIGURED, State.ASSOCIATED, Event.WLAN_SUCCESS),
        (State.ASSOCIATED, State.ACTIVE, Event.TUNNEL_ESTABLISHED),
    )

    def one() -> None:
        context = LwipSecurityContext(key)
        idi = ids.allocate()
        with context.next_psk() as got:
            security = xwap.SeGwSecurityInfo(got.psk, idi.octets)
            request = xwap.LwipAdditionRequest(1, wlan_mac, security)
        xwap.LwipAdditionRequestAcknowledge(1, 2)
        mobility = rrc.WlanMobilityConfig(success_report_requested=True)
        setup = rrc.RrcConnectionReconfiguration.lwip_setup(
            1, address, idi.octets, got.counter, mobility=mobility
        )
        for old, new, event in steps:
            StateChanged(1, old, new, event)
        PskDeleted(1, got.counter)
        SendXwap(SEGW, request, b"", 1)
        SendRrc(1, RrcChannel.DL_DCCH, setup, b"")
        TunnelUp(1)
        ids.release(idi)

    return time_per_call(one, inst.clock, rounds=sizes.codec_rounds, budget_s=sizes.codec_budget_s)


def measure(sizes: Sizes, peers: PeerMessages, inst: Instruments) -> tuple[Figure, Fleet, Fleet]:
    """Activations per second of ``sizes.ues`` fresh UEs (see :meth:`~.enb.Fleet.activate`).

    Measured, same run and same N: the same activations through the general asn1tools codec
    path (a controller made with ``EnbConfig(fast_codecs=False)``), interleaved chunk by chunk
    with ours. Measured per call: LWIP-PSK derivation alone; the activation's objects without
    controller or codec; the activation's five codec calls, ours and pycrate's (same bytes).
    Derived: the split of our per-UE time (the rest = per UE - PSK - codec calls) and the
    activation with pycrate's codec time in place of ours (per UE - ours + pycrate's).
    Measured beside ours: the asyncio path, ``sizes.runtime_ues`` fresh UEs through the
    runtimes over the in-memory transport and over TCP on loopback (:mod:`.runtime`).
    Returns the figure and both fleets with every UE active (the storm's starting point).
    """
    n = sizes.ues
    ours_fleet = Fleet(peers, Ues(n), inst.clock)
    general = Fleet(peers, Ues(n), inst.clock, fast_codecs=False)
    ours_s = general_s = 0.0
    with Progress("activating UEs (ours, general path)", 2 * n) as progress:
        for chunk in chunks(n):
            ours_s += ours_fleet.activate(chunk)
            general_s += general.activate(chunk)
            progress.advance(2 * len(chunk))
    ours_fleet.check_active()
    general.check_active()

    key = KEY
    psk_key = KeyMaterial(kenb(1))
    psk = time_per_call(
        lambda: derive_lwip_psk(psk_key, 7).wipe(),
        inst.clock,
        rounds=sizes.codec_rounds,
        budget_s=sizes.codec_budget_s,
    )
    codec, codec_pycrate = _codec_calls(peers, sizes, inst)
    asyncio_rows, asyncio_notes = runtime.measure(sizes, peers, inst)
    objects = _objects(sizes, inst)
    per_call = f"median of {sizes.codec_rounds} rounds of the mean time per call"
    per_ue_us = ours_s / n * 1e6
    loop = f"{n:,} fresh UEs, wall time of the activation loop"
    interleaved = f"{n:,} fresh UEs, interleaved with ours by chunks, same loop"
    figure = Figure(
        key,
        "activations per second, one core",
        measured(f"ours: {n:,} fresh UEs, idle -> active", n / ours_s, "/s", n, loop),
        {
            "per_ue_us": measured("  per UE", per_ue_us, "us", n, loop),
            "psk_derivation_us": measured(
                "  of which PSK derivation (timed alone)", psk.us, "us", psk.calls, per_call
            ),
            "codec_calls_us": measured(
                "  of which the 5 codec calls (timed alone)",
                codec.us,
                "us",
                codec.calls,
                per_call,
            ),
            "rest_us": derived(
                "  of which the rest (controller, messages, IDi)",
                per_ue_us - codec.us - psk.us,
                "us",
                (
                    f"{key}.parts.per_ue_us",
                    f"{key}.parts.codec_calls_us",
                    f"{key}.parts.psk_derivation_us",
                ),
                "per UE - 5 codec calls - PSK derivation",
            ),
            **asyncio_rows,
            "general_codec_per_s": measured(
                f"baseline: general codec path, {n:,} fresh UEs",
                n / general_s,
                "/s",
                n,
                interleaved,
                baseline=True,
            ),
            "psk_derivation_per_s": measured(
                "baseline: PSK derivation alone",
                1e6 / psk.us,
                "/s",
                psk.calls,
                per_call,
                baseline=True,
            ),
            "objects_alone_per_s": measured(
                "baseline: its objects + PSK + IDi, no controller/codec",
                1e6 / objects.us,
                "/s",
                objects.calls,
                per_call,
                baseline=True,
            ),
            "codec_calls_ours_per_s": measured(
                "baseline: the 5 codec calls alone, ours",
                1e6 / codec.us,
                "/s",
                codec.calls,
                per_call,
                baseline=True,
            ),
            "codec_calls_pycrate_per_s": measured(
                "baseline: the 5 codec calls alone, pycrate",
                1e6 / codec_pycrate.us,
                "/s",
                codec_pycrate.calls,
                per_call,
                baseline=True,
            ),
            "with_pycrate_codec_per_s": derived(
                "baseline: the activation with pycrate's codec time",
                1e6 / max(per_ue_us - codec.us + codec_pycrate.us, 1e-9),
                "/s",
                (
                    f"{key}.parts.per_ue_us",
                    f"{key}.baselines.codec_calls_ours_per_s",
                    f"{key}.baselines.codec_calls_pycrate_per_s",
                ),
                "1e6 / (per UE - our 5 codec calls + pycrate's 5 codec calls)",
                baseline=True,
            ),
        },
        notes=(
            "general codec path: EnbConfig(fast_codecs=False), every codec call fast=False",
            *asyncio_notes,
        ),
        extra={"general_codec_calls": list(GENERAL_CALLS)},
    )
    return figure, ours_fleet, general
