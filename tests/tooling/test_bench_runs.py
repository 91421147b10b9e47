"""``lwip-enb bench`` runs, measures every figure against its baselines and compares like with like
(it checks pycrate's bytes and our decoders agree with ours, and that every activation ends
active and every release is sent). Timings are printed, never asserted."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from typing import Any

import pytest

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import general as rrc_general
from lwip_enb.codec.xwap import general as xwap_general
from lwip_enb.core.outputs import SendRrc, SendXwap
from lwip_enb.sim.testing import PeerMessages, bring_up, ready_controller
from lwip_enb.tools import bench

FIGURES = (
    "activation_per_s",
    "release_storm_100k_s",
    "memory_per_ue_bytes",
    "cold_start_s",
    "codec_speedup_vs_pycrate_min",
)

#: baselines that every run measures
ALWAYS = {
    "activation_per_s": (
        "psk_derivation_per_s",
        "objects_alone_per_s",
        "codec_calls_ours_per_s",
        "codec_calls_pycrate_per_s",
        "with_pycrate_codec_per_s_estimate",
        "general_codec_per_s",
    ),
    "release_storm_100k_s": ("encode_only_ours_s", "encode_only_pycrate_s", "general_codec_s"),
    "memory_per_ue_bytes": (
        "after_full_cycle_bytes",
        "empty_dict_bytes",
        "one_slot_object_bytes",
    ),
    "cold_start_s": ("python_pass_s", "pycrate_import_s"),
}

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


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


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


def test_every_figure_is_a_positive_number(quick: dict[str, Any]) -> None:
    for key in FIGURES:
        assert _positive(quick[key]), (key, quick[key])
    assert quick["quick"] is True
    assert set(quick["goals"]) == set(FIGURES) == set(quick["met"])
    assert all(isinstance(v, bool) for v in quick["met"].values())


def test_the_n_used_is_stated(quick: dict[str, Any]) -> None:
    n = quick["n"]
    assert n["activation_ues"] == n["release_storm_ues"] == bench.QUICK.ues
    assert n["memory_ues"] == bench.QUICK.memory_ues
    assert n["cold_start_runs"] == bench.QUICK.cold_runs
    assert all(isinstance(v, int) and v >= 0 for v in n.values())


def test_every_figure_has_its_baselines(quick: dict[str, Any]) -> None:
    baselines = quick["baselines"]
    assert set(baselines) == set(FIGURES)
    for figure, keys in ALWAYS.items():
        for key in keys:
            assert _positive(baselines[figure][key]), (figure, key, baselines[figure][key])
    smallest = baselines["codec_speedup_vs_pycrate_min"]
    assert smallest["op"] in ("encode", "decode")
    assert _positive(smallest["ours_us"]) and _positive(smallest["pycrate_us"])
    ratio = smallest["pycrate_us"] / smallest["ours_us"]
    assert ratio == pytest.approx(quick["codec_speedup_vs_pycrate_min"])


def test_codec_rows_cover_every_xwap_message_and_rrc_shape(quick: dict[str, Any]) -> None:
    rows = quick["codecs"]
    labels = [r["label"] for r in rows]
    assert len(set(labels)) == len(labels)  # the shapes are told apart
    assert {r["message"] for r in rows} >= {cls.MESSAGE for cls in xwap.MESSAGE_CLASSES}
    assert set(labels) >= RRC_SHAPES
    for r in rows:
        assert r["octets"] > 0
        for key in ("encode_us", "encode_pycrate_us", "decode_us", "decode_pycrate_us"):
            assert _positive(r[key]), (r["label"], key)
    smallest = min(
        min(r["encode_pycrate_us"] / r["encode_us"], r["decode_pycrate_us"] / r["decode_us"])
        for r in rows
    )
    assert smallest == pytest.approx(quick["codec_speedup_vs_pycrate_min"])


def test_the_table_shows_each_figure_beside_its_baselines(quick: dict[str, Any]) -> None:
    text = bench.format_table(quick)
    lines = text.splitlines()
    assert lines[0].startswith("lwip-enb bench")
    for key in FIGURES:
        assert f"[{key}]" in text
    assert text.count("baseline:") >= sum(len(v) for v in ALWAYS.values()) - 1
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["message", "B"])
    shown = {line[: len(r["label"])] for line in lines[header + 2 :] for r in quick["codecs"]}
    assert {r["label"] for r in quick["codecs"]} <= shown
    assert lines[-1].startswith("smallest speed-up over pycrate")


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


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_storm_draws_a_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    enb, keys, ids = ready_controller(), list(range(50)), []
    for k in keys:
        bring_up(enb, k, kenb=bytes([k]) * 32, wlan_mac=bytes([2, 0, 0, 0, 0, k]))
        info = enb.ue_info(k)
        assert info is not None and info.enb_ue_id is not None
        ids.append(info.enb_ue_id)
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    figure = bench.storm(bench.QUICK, enb, keys, ids, 1.0)
    assert figure["n"] == 50 and _positive(figure["value"])
    assert "release storm [" in tty.getvalue() and "50/50" in tty.getvalue()


def test_the_general_baseline_runs_the_same_activation_through_the_general_codecs(
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
        enb = bench._controller(peers, fast_codecs=fast)
        assert enb.config.fast_codecs is fast
        calls.clear()
        out = enb.activate("ue", kenb=bench._kenb(1), wlan_mac=bench._mac(1), now=0.0)
        (request,) = (o for o in out if isinstance(o, SendXwap))
        assert isinstance(request.message, xwap.LwipAdditionRequest)
        out = enb.receive_xwap(bench.SEGW, peers.addition_ack(request.message.enb_ue_id, 7), 0.0)
        (setup,) = (o for o in out if isinstance(o, SendRrc))
        assert isinstance(setup.message, rrc.RrcConnectionReconfiguration)
        enb.receive_rrc("ue", "ul-dcch", peers.complete[setup.message.transaction_id], 0.0)
        enb.receive_rrc("ue", "ul-dcch", peers.wlan_success, 0.0)
        general = ["xwap.encode", "xwap.decode_with_notify", "rrc.encode", *["rrc.decode"] * 2]
        assert calls == ([] if fast else general)
        assert rrc.encode(setup.message, fast=not fast) == setup.pdu
        assert xwap.decode(request.pdu, fast=not fast) == xwap.decode(request.pdu, fast=fast)
