"""``release_storm_100k_s``: wall seconds to hand over every active UE at once (an X2 handover
wave), with every LWIP RELEASE REQUEST encoded.

Ours and the general-path baseline are the two fleets :func:`~.activation.measure` left active
(same N), handed over interleaved by chunks in the same pinned process. The codec-only
baselines are scaled: one LWIP RELEASE REQUEST encoding timed per call, times N.
"""

from __future__ import annotations

from lwip_enb.codec import xwap
from lwip_enb.progress import Progress
from lwip_enb.tools.bench.codecs import Case, ours, pycrate_for
from lwip_enb.tools.bench.enb import Fleet
from lwip_enb.tools.bench.quantity import Figure, measured, scaled
from lwip_enb.tools.bench.timing import Instruments, Sizes, chunks, time_per_call

__all__ = ["GOAL_UES", "KEY", "measure"]

KEY = "release_storm_100k_s"
GOAL_UES = 100_000  # the goal is for this many UEs; with fewer it is scaled to N


def measure(sizes: Sizes, ours_fleet: Fleet, general: Fleet, inst: Instruments) -> Figure:
    """Seconds of a handover wave over ``sizes.ues`` active UEs (see
    :meth:`~.enb.Fleet.hand_over`; the checks of :meth:`~.enb.Fleet.check_released` follow).

    Measured, same N: the same storm through the general asn1tools codec path, interleaved
    chunk by chunk with ours. Scaled (per-call time x N, because an encoding is O(1) work per
    UE and running pycrate N times would only lengthen the bench): N x our encoding of one LWIP
    RELEASE REQUEST (the codec's share of the storm), and N x pycrate's encoding of it.
    """
    n = len(ours_fleet.ues.keys)
    if len(general.ues.keys) != n:
        raise AssertionError("storm: the general-path fleet has another number of UEs")
    ours_s = general_s = 0.0
    with Progress("release storm (ours, general path)", 2 * n) as progress:
        for chunk in chunks(n):
            ours_s += ours_fleet.hand_over(chunk)
            general_s += general.hand_over(chunk)
            progress.advance(2 * len(chunk))
    ours_fleet.check_released()
    general.check_released()

    release = xwap.LwipReleaseRequest(0x000102, 0x000203, ours_fleet.enb.config.handover_cause)
    data, ours_enc, _ = ours(Case("release", "xwap", "", release))
    p_enc, _ = pycrate_for(Case("release", "xwap", "", release), data)
    if p_enc() != data:
        raise AssertionError("LWIP RELEASE REQUEST: pycrate re-encodes our bytes differently")
    rounds, budget = sizes.codec_rounds, sizes.codec_budget_s
    enc = time_per_call(ours_enc, inst.clock, rounds=rounds, budget_s=budget)
    enc_pycrate = time_per_call(p_enc, inst.clock, rounds=rounds, budget_s=budget)
    wave = f"{n:,} active UEs, wall time of the handover loop"
    return Figure(
        KEY,
        "release storm (X2 handover wave), wall seconds",
        measured(f"ours: {n:,} active UEs handed over at once", ours_s, "s", n, wave),
        {
            "per_ue_us": measured("  per UE", ours_s / n * 1e6, "us", n, wave),
            "general_codec_s": measured(
                f"baseline: the storm, general codec path, {n:,} UEs",
                general_s,
                "s",
                n,
                f"{wave}, interleaved with ours by chunks",
                baseline=True,
            ),
            "encode_only_ours_s": scaled(
                "baseline: N x encode LWIP RELEASE REQUEST, ours",
                enc.us,
                n,
                f"per call: median of {rounds} rounds ({enc.calls:,} calls)",
                baseline=True,
            ),
            "encode_only_pycrate_s": scaled(
                "baseline: N x encode LWIP RELEASE REQUEST, pycrate",
                enc_pycrate.us,
                n,
                f"per call: median of {rounds} rounds ({enc_pycrate.calls:,} calls)",
                baseline=True,
            ),
        },
        extra={"goal_ues": GOAL_UES},
    )
