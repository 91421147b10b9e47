"""``lwip-enb bench``: every figure is labelled with how it was obtained, and every figure and
baseline measures what its label says. Timings are printed, never asserted.

Two runs:

- ``lwip-enb bench --quick --json`` as a user runs it: the structure, the N, the labels
  (``measured`` / ``scaled`` / ``derived``), the derived figures recomputed from their sources,
  and the table.
- :func:`lwip_enb.tools.bench.run` in this process on virtual instruments
  (:class:`VirtualTime`): a clock that moves by a fixed tick per read and, through a profile
  hook, by a fixed cost per call of the fast codecs, the general codecs and pycrate's encoders
  and decoders; a memory tracer that reports what each build did; a cold-start stopwatch that
  runs the real child and reports what the child says it loaded. Under them every figure has
  one exact value, which this file states: a baseline replaced by a constant, the general-path
  baseline run through the fast codecs, or a pycrate column made a multiple of ours does not
  give it.
"""

from __future__ import annotations

import ast
import io
import json
import math
import subprocess
import sys
from asyncio.selector_events import _SelectorSocketTransport  # type: ignore[attr-defined]
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import pytest
from pycrate_asn1rt.asnobj import ASN1Obj  # type: ignore[import-untyped]

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import fast as rrc_fast
from lwip_enb.codec.rrc import general as rrc_general
from lwip_enb.codec.xwap import fast as xwap_fast
from lwip_enb.codec.xwap import general as xwap_general
from lwip_enb.core.controller import EnbController
from lwip_enb.core.outputs import SendRrc, SendXwap
from lwip_enb.io.runtime import EnbRuntime
from lwip_enb.peers.segw import SegwModel
from lwip_enb.sim.testing import PeerMessages
from lwip_enb.tools import bench
from lwip_enb.tools.bench import cold_start, enb, report, storm, timing
from lwip_enb.tools.bench.quantity import HOWS, UNITS

FIGURES = report.FIGURE_ORDER

#: every quantity of a run, by path (``figure``, ``figure.parts.name``,
#: ``figure.baselines.name``), with the label it must carry
HOW: dict[str, str] = {
    "activation_per_s": "measured",
    "activation_per_s.parts.per_ue_us": "measured",
    "activation_per_s.parts.psk_derivation_us": "measured",
    "activation_per_s.parts.codec_calls_us": "measured",
    "activation_per_s.parts.rest_us": "derived",
    "activation_per_s.parts.runtime_memory_per_s": "measured",
    "activation_per_s.parts.runtime_tcp_per_s": "measured",
    "activation_per_s.baselines.general_codec_per_s": "measured",
    "activation_per_s.baselines.psk_derivation_per_s": "measured",
    "activation_per_s.baselines.objects_alone_per_s": "measured",
    "activation_per_s.baselines.codec_calls_ours_per_s": "measured",
    "activation_per_s.baselines.codec_calls_pycrate_per_s": "measured",
    "activation_per_s.baselines.with_pycrate_codec_per_s": "derived",
    "release_storm_100k_s": "measured",
    "release_storm_100k_s.parts.per_ue_us": "measured",
    "release_storm_100k_s.baselines.general_codec_s": "measured",
    "release_storm_100k_s.baselines.encode_only_ours_s": "scaled",
    "release_storm_100k_s.baselines.encode_only_pycrate_s": "scaled",
    "memory_per_ue_bytes": "measured",
    "memory_per_ue_bytes.parts.never_activated_bytes": "measured",
    "memory_per_ue_bytes.baselines.empty_dict_bytes": "measured",
    "memory_per_ue_bytes.baselines.one_slot_object_bytes": "measured",
    "cold_start_s": "measured",
    "cold_start_s.parts.ours_xwap_s": "measured",
    "cold_start_s.baselines.pycrate_xwap_rrc_s": "measured",
    "cold_start_s.baselines.pycrate_xwap_s": "measured",
    "cold_start_s.baselines.python_pass_s": "measured",
    "codec_speedup_vs_pycrate_min": "derived",
    "codec_speedup_vs_pycrate_min.parts.ours_us": "measured",
    "codec_speedup_vs_pycrate_min.baselines.pycrate_us": "measured",
}
CODEC_CELLS = ("encode_us", "encode_pycrate_us", "decode_us", "decode_pycrate_us")

RRC_SHAPES = {
    "RRCConnectionReconfiguration (setup, IPv4)",
    "RRCConnectionReconfiguration (setup, IPv6)",
    "RRCConnectionReconfiguration (setup, mobility + DRBs)",
    "RRCConnectionReconfiguration (release)",
    "RRCConnectionReconfiguration (handover command)",
    "RRCConnectionReconfigurationComplete",
    "WLANConnectionStatusReport-r13 (r13 success)",
    "WLANConnectionStatusReport-r13 (v1430 suspended)",
    "RRCConnectionReestablishmentRequest",
}


def quantities(result: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every quantity of a result with its path; the codec cells as ``codecs.<label>.<cell>``."""
    for key in FIGURES:
        figure = result[key]
        yield key, figure
        for group in ("parts", "baselines"):
            for name, q in figure[group].items():
                yield f"{key}.{group}.{name}", q
    for row in result["codecs"]:
        for cell in CODEC_CELLS:
            yield f"codecs.{row['label']}.{cell}", row[cell]


def value_at(result: dict[str, Any], path: str) -> float:
    return float(dict(quantities(result))[path]["value"])


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


# --- the run as a user makes it -------------------------------------------------------------


@pytest.fixture(scope="module")
def quick() -> dict[str, Any]:
    res = subprocess.run(
        [sys.executable, "-m", "lwip_enb", "bench", "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    assert "\r" not in res.stderr  # no progress bar when standard error is not a terminal
    result: dict[str, Any] = json.loads(res.stdout)
    return result


def test_every_figure_and_baseline_is_labelled_with_how_it_was_obtained(
    quick: dict[str, Any],
) -> None:
    found = dict(quantities(quick))
    assert {p for p in found if not p.startswith("codecs.")} == set(HOW)
    for path, q in found.items():
        expected = "measured" if path.startswith("codecs.") else HOW[path]
        assert q["how"] == expected, path
        assert q["how"] in HOWS and q["unit"] in UNITS, path
        assert _positive(q["value"]) or path.endswith("rest_us"), (path, q["value"])
        assert q["label"] and q["basis"], path
        if q["how"] == "measured":
            assert isinstance(q["n"], int) and q["n"] > 0, path
        if q["how"] == "scaled":  # per-call time x N, N said
            assert q["value"] == pytest.approx(q["per_call_us"] * q["n"] / 1e6), path
            assert f"x {q['n']:,}" in q["basis"], path
        if q["how"] == "derived":  # arithmetic on named quantities of the same run
            assert q["sources"] and set(q["sources"]) <= set(found), path
            assert "n" not in q, path


def test_the_derived_figures_are_their_formulas(quick: dict[str, Any]) -> None:
    def at(path: str) -> float:
        return value_at(quick, path)

    a = "activation_per_s"
    per_ue, codec, psk = (
        at(f"{a}.parts.{k}") for k in ("per_ue_us", "codec_calls_us", "psk_derivation_us")
    )
    assert at(f"{a}.parts.rest_us") == pytest.approx(per_ue - codec - psk)
    with_pycrate = 1e6 / (
        per_ue
        - 1e6 / at(f"{a}.baselines.codec_calls_ours_per_s")
        + 1e6 / at(f"{a}.baselines.codec_calls_pycrate_per_s")
    )
    assert at(f"{a}.baselines.with_pycrate_codec_per_s") == pytest.approx(with_pycrate)
    rows = quick["codecs"]
    smallest = min(
        r[f"{op}_pycrate_us"]["value"] / r[f"{op}_us"]["value"]
        for r in rows
        for op in ("encode", "decode")
    )
    s = "codec_speedup_vs_pycrate_min"
    assert at(s) == pytest.approx(smallest)
    assert at(s) == pytest.approx(at(f"{s}.baselines.pycrate_us") / at(f"{s}.parts.ours_us"))


def test_figures_goals_and_the_n_used_are_stated(quick: dict[str, Any]) -> None:
    assert quick["quick"] is True and quick["conditions"]
    for key in FIGURES:
        assert set(quick[key]["goal"]) <= {"min", "max"} and isinstance(quick[key]["met"], bool)
    q = bench.QUICK
    act, st = quick["activation_per_s"], quick["release_storm_100k_s"]
    mem, cold = quick["memory_per_ue_bytes"], quick["cold_start_s"]
    # same N for ours and the general path, in the activation and in the storm
    assert act["n"] == act["baselines"]["general_codec_per_s"]["n"] == q.ues
    assert st["n"] == st["baselines"]["general_codec_s"]["n"] == q.ues
    assert st["baselines"]["encode_only_pycrate_s"]["n"] == q.ues
    # both kinds of idle context, and the baselines, over the same N
    assert {x["n"] for x in (mem, *mem["parts"].values(), *mem["baselines"].values())} == {
        q.memory_ues
    }
    assert {x["n"] for x in (cold, *cold["parts"].values(), *cold["baselines"].values())} == {
        q.cold_runs
    }
    assert quick["sizes"] == {k: getattr(q, k) for k in quick["sizes"]}


def test_cold_start_is_like_for_like(quick: dict[str, Any]) -> None:
    """Ours with the XwAP and RRC ASN.1 (from the cache) beside pycrate's XwAP and RRCLTE; ours
    with the XwAP ASN.1 alone beside pycrate's XwAP alone (the children's reports are checked
    by the bench; here, what they loaded)."""
    sources = quick["cold_start_s"]["asn1_sources"]
    assert sources["ours_xwap_rrc"] == {"xwap": "cache", "rrc": "cache"}
    assert sources["ours_xwap"] == {"xwap": "cache"}
    assert (
        "import pycrate_asn1dir.XwAP, pycrate_asn1dir.RRCLTE\n"
        in (cold_start.CHILDREN["pycrate_xwap_rrc"])
    )
    assert "RRCLTE" not in cold_start.CHILDREN["pycrate_xwap"].partition("print")[0]


def test_codec_rows_cover_every_xwap_message_and_rrc_shape(quick: dict[str, Any]) -> None:
    rows = quick["codecs"]
    labels = [r["label"] for r in rows]
    assert len(set(labels)) == len(labels)  # the shapes are told apart
    assert {r["message"] for r in rows} >= {cls.MESSAGE for cls in xwap.MESSAGE_CLASSES}
    assert set(labels) >= RRC_SHAPES
    assert all(r["octets"] > 0 for r in rows)


def test_the_table_shows_each_row_with_its_label(quick: dict[str, Any]) -> None:
    text = bench.format_table(quick)
    lines = text.splitlines()
    assert lines[0].startswith("lwip-enb bench") and quick["conditions"] in lines[1]
    for key in FIGURES:
        assert f"[{key}]" in text
    for path, q in quantities(quick):
        if path.startswith("codecs."):
            continue
        start = next(i for i, ln in enumerate(lines) if f"[{path.split('.')[0]}]" in ln)
        section = lines[start : lines.index("", start) if "" in lines[start:] else None]
        (at,) = (i for i, ln in enumerate(section) if ln.startswith(f"  {q['label']}  "))
        assert section[at].endswith(f"  {q['how']}"), section[at]
        if q["how"] != "measured":  # the formula or the per-call time x N under it
            assert q["basis"] in section[at + 1]
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["message", "B"])
    shown = {line[: len(r["label"])] for line in lines[header + 2 :] for r in quick["codecs"]}
    assert {r["label"] for r in quick["codecs"]} <= shown
    assert "all measured" in lines[header - 2]


def test_the_table_form_prints(
    quick: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``lwip-enb bench --quick`` without --json prints the table (measurements not rerun)."""
    from lwip_enb.tools.cli import main

    seen: list[tuple[bench.Sizes, bool]] = []

    def fake_run(sizes: bench.Sizes = bench.FULL, *, quick: bool = False) -> dict[str, Any]:
        seen.append((sizes, quick))
        return result

    result = quick
    monkeypatch.setattr(bench, "run", fake_run)
    assert main(["bench", "--quick"]) == 0
    assert seen == [(bench.QUICK, True)]
    out = capsys.readouterr().out
    assert out == bench.format_table(quick) + "\n"


# --- the same run on virtual instruments ----------------------------------------------------

# Powers of two, so that every reading of the virtual clock and every difference of two is exact.
TICK = 2.0**-10  # seconds a clock read moves the virtual clock
COSTS = {"fast": 1.0, "general": 2.0**10, "pycrate": 2.0**20}  # seconds of one outermost call
COLD_UNIT = 0.011  # seconds per unit of what a cold-start child loaded (see _fake_spawn)
TINY = bench.Sizes(
    ues=25, memory_ues=30, cold_runs=1, codec_budget_s=1e-12, codec_rounds=1, runtime_ues=20
)


def _code(fn: Any) -> CodeType:
    code: CodeType = getattr(fn, "__func__", fn).__code__
    return code


def _spied() -> dict[CodeType, str]:
    """The code of every entry point of the fast codecs (the registries' functions and the
    modules' own), of the general codecs, of pycrate's encoders and decoders the bench calls,
    and of the controller's activate and deactivate (counted, free)."""
    spied: dict[CodeType, str] = {}
    for module in (rrc_fast, xwap_fast):
        for codec in module.FAST_CODECS.values():
            spied[_code(codec.encode)] = spied[_code(codec.decode)] = "fast"
        spied[_code(module.encode)] = spied[_code(module.decode)] = "fast"
    for fn in (
        rrc_general.encode,
        rrc_general.decode,
        rrc_general.decode_value,
        xwap_general.encode,
        xwap_general.decode,
        xwap_general.decode_value,
        xwap_general.decode_with_notify,
    ):
        spied[_code(fn)] = "general"
    for name in ("to_aper", "from_aper", "to_uper", "from_uper"):
        spied[_code(getattr(ASN1Obj, name))] = "pycrate"
    spied[_code(EnbController.activate)] = "activate"
    spied[_code(EnbController.deactivate)] = "deactivate"
    # the asyncio path: the eNB runtime's activate, the SeGW model taking an LWIP ADDITION
    # REQUEST, and the socket transport's writes (asyncio's, under the example's streams)
    spied[_code(EnbRuntime.activate)] = "runtime-activate"
    spied[_code(SegwModel._addition)] = "segw-addition"
    spied[_code(_SelectorSocketTransport.write)] = "socket-write"
    return spied


class VirtualTime:
    """Instruments whose readings follow from what ran (see the module text)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.calls: Counter[str] = Counter()
        self.depth: Counter[str] = Counter()
        self.spied = _spied()
        self.traced_builds: list[tuple[int, int, int]] = []  # (activates, deactivates, bytes)
        self.children: dict[str, tuple[float, str]] = {}

    def clock(self) -> float:
        self.now += TICK
        return self.now

    def profile(self, frame: FrameType, event: str, arg: object) -> None:
        group = self.spied.get(frame.f_code) if event in ("call", "return") else None
        if group is None:
            return
        if event == "return":
            self.depth[group] -= 1
            return
        if not self.depth[group]:  # an outermost call: nested ones are part of it
            self.calls[group] += 1
            self.now += COSTS.get(group, 0.0)
        self.depth[group] += 1

    def traced(self, build: Callable[[], object]) -> int:
        """Runs the build; its "bytes" are a number of its own, remembered with what it did."""
        before = Counter(self.calls)
        build()
        got = 1_000_003 * (len(self.traced_builds) + 1)
        did = (
            self.calls["activate"] - before["activate"],
            self.calls["deactivate"] - before["deactivate"],
        )
        self.traced_builds.append((*did, got))
        return got

    def spawn(self, code: str) -> tuple[float, str]:
        """Runs the real child (once per program); its seconds follow from what it reports it
        loaded: 1 + 2 (pycrate XwAP) + 4 (pycrate RRCLTE) + 8 (our XwAP ASN.1) + 16 (our RRC
        ASN.1) units."""
        if code not in self.children:
            self.children[code] = timing.spawn_python(code)
        _, rest = self.children[code]
        said = set(rest.split())
        units = 1 + sum(
            w
            for w, token in (
                (2, "module=pycrate_asn1dir.XwAP"),
                (4, "module=pycrate_asn1dir.RRCLTE"),
                (8, "asn1:xwap=cache"),
                (16, "asn1:rrc=cache"),
            )
            if token in said
        )
        return units * COLD_UNIT, rest


@pytest.fixture(scope="module")
def virtual() -> tuple[dict[str, Any], VirtualTime]:
    vt = VirtualTime()
    instruments = bench.Instruments(clock=vt.clock, traced=vt.traced, spawn=vt.spawn)
    sys.setprofile(vt.profile)
    try:
        result = bench.run(TINY, quick=True, instruments=instruments)
    finally:
        sys.setprofile(None)
    return result, vt


def _expected_virtual() -> dict[str, float]:
    """Each quantity's value under :class:`VirtualTime` with :data:`TINY`."""
    n, f, g, p = TINY.ues, COSTS["fast"], COSTS["general"], COSTS["pycrate"]
    chunks = math.ceil(n / timing.CHUNK)  # one clock tick per timed chunk
    per_call = TICK  # one round of one call: one tick between its two clock reads
    ours_ue, general_ue = (chunks * TICK + n * 5 * f) / n, (chunks * TICK + n * 5 * g) / n
    rn = TINY.runtime_ues
    rchunks = math.ceil(rn / timing.CHUNK)
    a, s, c = "activation_per_s", "release_storm_100k_s", "cold_start_s"
    return {
        a: 1 / ours_ue,  # 5 fast codec calls per UE
        f"{a}.parts.per_ue_us": ours_ue * 1e6,
        f"{a}.parts.psk_derivation_us": per_call * 1e6,  # no codec call
        f"{a}.parts.codec_calls_us": (per_call + 5 * f) * 1e6,
        f"{a}.baselines.general_codec_per_s": 1 / general_ue,  # 5 general calls, no fast one
        f"{a}.baselines.psk_derivation_per_s": 1 / per_call,
        f"{a}.baselines.objects_alone_per_s": 1 / per_call,
        f"{a}.baselines.codec_calls_ours_per_s": 1 / (per_call + 5 * f),
        f"{a}.baselines.codec_calls_pycrate_per_s": 1 / (per_call + 5 * p),  # 5 pycrate calls
        s: chunks * TICK + n * f,  # one fast encoding per UE
        f"{s}.parts.per_ue_us": (chunks * TICK + n * f) / n * 1e6,
        f"{s}.baselines.general_codec_s": chunks * TICK + n * g,  # one general encoding per UE
        f"{s}.baselines.encode_only_ours_s": (per_call + f) * n,
        f"{s}.baselines.encode_only_pycrate_s": (per_call + p) * n,
        # the asyncio path, per UE 8 fast codec calls: the eNB's 5 (as above), the SeGW's 2
        # (the addition decoded, its acknowledge encoded), the scripted UE's 1 (the set-up
        # decoded); nothing else costs virtual time, the event loop included
        f"{a}.parts.runtime_memory_per_s": rn / (rchunks * TICK + rn * 8 * f),
        f"{a}.parts.runtime_tcp_per_s": rn / (rchunks * TICK + rn * 8 * f),
        c: (1 + 8 + 16) * COLD_UNIT,  # our XwAP and RRC ASN.1
        f"{c}.parts.ours_xwap_s": (1 + 8) * COLD_UNIT,
        f"{c}.baselines.pycrate_xwap_rrc_s": (1 + 2 + 4) * COLD_UNIT,
        f"{c}.baselines.pycrate_xwap_s": (1 + 2) * COLD_UNIT,
        f"{c}.baselines.python_pass_s": 1 * COLD_UNIT,
        "codec_speedup_vs_pycrate_min.parts.ours_us": (per_call + f) * 1e6,
        "codec_speedup_vs_pycrate_min.baselines.pycrate_us": (per_call + p) * 1e6,
    }


def test_every_baseline_is_what_its_instrument_read(
    virtual: tuple[dict[str, Any], VirtualTime],
) -> None:
    """Every timed quantity is the exact value the virtual instruments give for the calls its
    label names (a constant, or a figure from the wrong calls, is not)."""
    result, _ = virtual
    expected = _expected_virtual()
    for path, value in expected.items():
        assert value_at(result, path) == pytest.approx(value, rel=1e-9), path
    derived_or_memory = {p for p, how in HOW.items() if how == "derived"} | {
        p for p in HOW if p.startswith("memory_per_ue_bytes")
    }
    assert set(HOW) == set(expected) | derived_or_memory  # nothing left unchecked


def test_the_pycrate_columns_time_pycrate(virtual: tuple[dict[str, Any], VirtualTime]) -> None:
    """In every codec row, ours is one call of our fast codec and pycrate's is one call of
    pycrate's encoder or decoder: nothing else, no multiple of ours."""
    result, _ = virtual
    ours = (TICK + COSTS["fast"]) * 1e6
    theirs = (TICK + COSTS["pycrate"]) * 1e6
    for row in result["codecs"]:
        for op in ("encode", "decode"):
            assert row[f"{op}_us"]["value"] == pytest.approx(ours, rel=1e-9), (row["label"], op)
            got = row[f"{op}_pycrate_us"]["value"]
            assert got == pytest.approx(theirs, rel=1e-9), (row["label"], op)
    s = "codec_speedup_vs_pycrate_min"
    assert value_at(result, s) == pytest.approx(theirs / ours, rel=1e-9)


def test_the_general_baseline_runs_the_general_codecs_only(
    virtual: tuple[dict[str, Any], VirtualTime],
) -> None:
    """Per UE, the general-path activation makes five calls of the general codecs and none of
    the fast ones (nor of pycrate), its storm one; same N as ours."""
    result, vt = virtual
    n = TINY.ues
    chunks = math.ceil(n / timing.CHUNK)
    for path, calls in (
        ("activation_per_s.baselines.general_codec_per_s", 5),
        ("release_storm_100k_s.baselines.general_codec_s", 1),
    ):
        value = value_at(result, path)
        seconds = n / value if path.endswith("_per_s") else value
        per_ue = (seconds - chunks * TICK) / n
        assert per_ue == pytest.approx(calls * COSTS["general"], rel=1e-9), path
        assert dict(quantities(result))[path]["n"] == n
    assert vt.calls["general"] > 0 and vt.calls["fast"] > 0 and vt.calls["pycrate"] > 0


def test_memory_traces_what_each_row_says(virtual: tuple[dict[str, Any], VirtualTime]) -> None:
    """The headline is the build that activated and deactivated every UE, the part the one that
    only made the contexts, the baselines builds that touched no controller; each once."""
    result, vt = virtual
    n = TINY.memory_ues
    traced = {got: (activates, deactivates) for activates, deactivates, got in vt.traced_builds}
    m = "memory_per_ue_bytes"
    rows = {
        m: (n, n),
        f"{m}.parts.never_activated_bytes": (n, 0),
        f"{m}.baselines.empty_dict_bytes": (0, 0),
        f"{m}.baselines.one_slot_object_bytes": (0, 0),
    }
    used = []
    for path, did in rows.items():
        got = round(value_at(result, path) * n)
        assert traced.get(got) == did, path
        used.append(got)
    assert sorted(used) == sorted(traced)  # each build is one row


def test_the_bench_reads_time_and_memory_only_through_its_instruments() -> None:
    """No module of the bench but ``timing`` reads a clock or tracemalloc itself (so the
    virtual run above sees every reading)."""
    package = Path(bench.__file__).parent
    readers = {"perf_counter", "time", "monotonic", "process_time", "tracemalloc"}
    for path in sorted(package.glob("*.py")):
        if path.name == "timing.py":
            continue
        tree = ast.parse(path.read_text())
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not imported & readers, (path.name, imported & readers)


# --- pieces ---------------------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_storm_draws_a_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    peers = PeerMessages()
    inst = bench.Instruments()
    fleets = [enb.Fleet(peers, enb.Ues(50), inst.clock, fast_codecs=fast) for fast in (True, False)]
    for fleet in fleets:
        fleet.activate(range(50))
        fleet.check_active()
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    figure = storm.measure(bench.QUICK, fleets[0], fleets[1], inst)
    assert figure.headline.n == 50 and _positive(figure.headline.value)
    assert "release storm (ours, general path) [" in tty.getvalue()
    assert "100/100" in tty.getvalue()


def test_the_general_controller_makes_every_codec_call_through_the_general_codecs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The baseline's controller (``EnbConfig(fast_codecs=False)``) makes every codec call of an
    activation through the general codecs, the measured one none; their octets are what the
    other path gives."""
    calls: list[str] = []

    def count(module: Any, codec: str, name: str) -> None:
        real = getattr(module, name)

        def counted(*args: Any) -> Any:
            calls.append(f"{codec}.{name}")
            return real(*args)

        monkeypatch.setattr(module, name, counted)

    count(xwap_general, "xwap", "encode")
    count(xwap_general, "xwap", "decode_with_notify")
    count(rrc_general, "rrc", "encode")
    count(rrc_general, "rrc", "decode")
    peers = PeerMessages()
    for fast in (True, False):
        controller = enb.controller(peers, fast_codecs=fast)
        assert controller.config.fast_codecs is fast
        calls.clear()
        out = controller.activate("ue", kenb=enb.kenb(1), wlan_mac=enb.mac(1), now=0.0)
        (request,) = (o for o in out if isinstance(o, SendXwap))
        assert isinstance(request.message, xwap.LwipAdditionRequest)
        ack = peers.addition_ack(request.message.enb_ue_id, 7)
        out = controller.receive_xwap(enb.SEGW, ack, 0.0)
        (setup,) = (o for o in out if isinstance(o, SendRrc))
        assert isinstance(setup.message, rrc.RrcConnectionReconfiguration)
        controller.receive_rrc("ue", "ul-dcch", peers.complete[setup.message.transaction_id], 0.0)
        controller.receive_rrc("ue", "ul-dcch", peers.wlan_success, 0.0)
        general = ["xwap.encode", "xwap.decode_with_notify", "rrc.encode", *["rrc.decode"] * 2]
        assert calls == ([] if fast else general)
        assert rrc.encode(setup.message, fast=not fast) == setup.pdu
        assert xwap.decode(request.pdu, fast=not fast) == xwap.decode(request.pdu, fast=fast)


@pytest.mark.parametrize("transport", ["memory", "tcp"])
def test_the_asyncio_rows_drive_the_runtimes_and_tcp_goes_through_a_socket(transport: str) -> None:
    """Each asyncio row (:mod:`lwip_enb.tools.bench.runtime`) activates every UE through
    ``EnbRuntime.activate``, and the reference SeGW model takes every LWIP ADDITION REQUEST
    (36.463 8.14) from its runtime; over TCP every PDU is written to an asyncio socket transport
    (the addition and its acknowledge at least), in memory none is. Counted by spies on the
    code, not by what the bench reports."""
    from lwip_enb.tools.bench import runtime

    n = 30
    spied = {
        _code(EnbRuntime.activate): "runtime-activate",
        _code(SegwModel._addition): "segw-addition",
        _code(_SelectorSocketTransport.write): "socket-write",
    }
    calls: Counter[str] = Counter()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code in spied:
            calls[spied[frame.f_code]] += 1

    sys.setprofile(profile)
    try:
        result = runtime.run(n, transport, PeerMessages(), timing.Instruments().clock)
    finally:
        sys.setprofile(None)
    assert result.tunnels_up == result.segw_answered == result.active == n
    assert calls["runtime-activate"] == n
    assert calls["segw-addition"] == n
    if transport == "tcp":
        assert calls["socket-write"] >= 2 * n
    else:
        assert calls["socket-write"] == 0


def test_the_asyncio_rows_and_the_transport_they_used_are_in_the_table(
    quick: dict[str, Any],
) -> None:
    act = quick["activation_per_s"]
    rows = act["parts"]
    assert (
        rows["runtime_memory_per_s"]["n"]
        == rows["runtime_tcp_per_s"]["n"]
        == bench.QUICK.runtime_ues
    )
    assert rows["runtime_memory_per_s"]["label"].endswith("in memory")
    assert rows["runtime_tcp_per_s"]["label"].endswith("TCP loopback")
    assert "TCP on 127.0.0.1" in rows["runtime_tcp_per_s"]["basis"]
    assert any("examples/tcp_transport.py" in note for note in act["notes"])
