"""The pytest plugin that comes with the package: declared and installed as a ``pytest11`` entry
point, free for suites that do not use it (it imports nothing of the library), and its fixtures
work: async tests on ``lwip_harness`` run on the harness's loop and can fail, options can be
overridden, and without the plugin such tests do not silently pass."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = "lwip_enb.sim.pytest_plugin"


def test_plugin_is_a_pytest11_entry_point_of_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["pytest11"] == {"lwip_enb": PLUGIN}
    installed = {
        ep.name: ep.value
        for ep in importlib.metadata.entry_points(group="pytest11")
        if ep.dist is not None and ep.dist.name == "lwip-enb"
    }
    assert installed == {"lwip_enb": PLUGIN}, "reinstall the package: pip install -e ."


def test_plugin_imports_nothing_of_the_library_until_a_fixture_is_used() -> None:
    code = (
        f"import sys, {PLUGIN}; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('lwip_enb'))))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["lwip_enb", "lwip_enb.sim", PLUGIN]


TESTS = """
import pytest
from lwip_enb.core.fsm import State
from lwip_enb.peers.segw import SegwConfig

@pytest.fixture
def lwip_harness_options():
    return {"segw_config": SegwConfig(ike_window_s=7.0)}

async def test_passes(lwip_harness):
    assert lwip_harness.segw.config.ike_window_s == 7.0
    lwip_harness.add_ue(1)
    await lwip_harness.activate(1)
    await lwip_harness.wait_for_state(1, State.ACTIVE)

async def test_fails(lwip_harness):
    lwip_harness.add_ue(1)
    await lwip_harness.activate(1)
    await lwip_harness.wait_for_state(1, State.ACTIVE)
    assert lwip_harness.enb.state(1) is State.IDLE, "reached"

def test_sync(lwip_sim, lwip_harness, lwip_run):
    lwip_sim.add_ue(1)
    lwip_sim.activate(1)
    assert lwip_sim.enb.state(1) is State.ACTIVE
    lwip_harness.add_ue(2)
    lwip_run(lwip_harness.activate(2))
    lwip_run(lwip_harness.wait_for_state(2, State.ACTIVE))
"""


def test_async_tests_on_the_harness_run_and_can_fail(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_story=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*test_fails*", "*AssertionError: reached*"])


def test_without_the_plugin_async_tests_do_not_pass(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_story=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "-p", "no:lwip_enb")
    outcomes = result.parseoutcomes()
    assert "passed" not in outcomes, result.stdout.str()
