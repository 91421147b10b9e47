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
