"""Every script in examples/ runs as shipped."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path: Path) -> None:
    res = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr


def test_there_are_examples() -> None:
    assert EXAMPLES


HARNESS = Path(__file__).resolve().parents[2] / "examples" / "ran_harness_fixture.py"


def test_ran_harness_fixture_passes_under_pytest(tmp_path: Path) -> None:
    """The harness example is a test module: pytest collects and passes every test in it."""
    tree = ast.parse(HARNESS.read_text())
    expected = sum(
        isinstance(node, ast.FunctionDef) and node.name.startswith("test_") for node in tree.body
    )
    assert expected >= 2
    res = subprocess.run(
        [sys.executable, "-m", "pytest", str(HARNESS), "-p", "no:cacheprovider", "-q", "-rA"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert re.search(rf"^{expected} passed in ", res.stdout, re.M), res.stdout


PLUGIN_EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "test_with_lwip_plugin.py"


def test_plugin_example_passes_under_pytest(tmp_path: Path) -> None:
    """The example of the pytest plugin is a test module with no conftest: pytest, with only the
    installed package's plugin, collects and passes every test in it, async ones included."""
    tree = ast.parse(PLUGIN_EXAMPLE.read_text())
    expected = sum(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
        for node in tree.body
    )
    assert expected >= 3
    res = subprocess.run(
        [sys.executable, "-m", "pytest", str(PLUGIN_EXAMPLE), "-p", "no:cacheprovider", "-q"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert re.search(rf"^{expected} passed in ", res.stdout, re.M), res.stdout


SIMULATOR = Path(__file__).resolve().parents[2] / "examples" / "enb_simulator.py"


def test_enb_simulator_story_of_3000_ues_accounts_for_every_event() -> None:
    """The simulator example's story at 3,000 UEs (activation; handover, R9, TS 36.331 5.3.5.4;
    UE-side RLF, R10, 5.3.7.2; WLAN lost and back, R11; UEs leaving, 5.3.12; stop): the script
    checks its own account (no PSK left where the docs say none may be, each PSK stored was
    deleted, each activation came up at eNB, SeGW and UE) and exits 1 if anything is missing."""
    res = subprocess.run(
        [sys.executable, str(SIMULATOR), "3000"], capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "MISSING" not in res.stdout and "every event accounted for" in res.stdout
    assert "PSKs held: SeGW 0, UEs 0" in res.stdout
    assert "3000 UEs on WLAN" in res.stdout
