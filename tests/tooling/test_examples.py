"""Every script in examples/ runs as shipped."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.py"))
#: examples on EnbRuntime + ModelAir, which do not yet feed EnbController.tunnel_established
_ON_THE_RUNTIME = {"enb_simulator.py", "tcp_transport.py"}
_NEEDS_TUNNEL_EVIDENCE = pytest.mark.xfail(
    strict=True,
    reason="the eNB goes ACTIVE only on EnbController.tunnel_established (36.331 5.6.15.4: "
    "successfulAssociation is WLAN association); EnbRuntime and ModelAir (lwip_enb/io, "
    "lwip_enb/sim/runtimes.py, another branch) do not feed it yet",
)
_CASES = [
    pytest.param(p, marks=_NEEDS_TUNNEL_EVIDENCE) if p.name in _ON_THE_RUNTIME else p
    for p in EXAMPLES
]


@pytest.mark.parametrize("path", _CASES, ids=[p.name for p in EXAMPLES])
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
