"""Nothing of a run outlives it (lwip_enb.real.cleanup).

SIGTERM and SIGINT stop a run's daemons and remove its namespaces at once, in ``lwip-enb demo
--real`` and in any program that uses RealSimulation; what a SIGKILLed run leaves is removed by the
next run, which says so in one log line; two runs at once do not collide. Each run here is a real
process with real charons in real namespaces.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import require_peer

from lwip_enb.errors import StrongswanError
from lwip_enb.real import cleanup
from lwip_enb.real.host import LOGGER_NAME, alive, available, run
from lwip_enb.real.simulation import RealSimulation
from lwip_enb.real.topology import Topology

pytestmark = pytest.mark.strongswan

#: A program that uses RealSimulation and never closes it: the tunnel up, then it waits.
USER_PROGRAM = textwrap.dedent(
    """
    import time
    from lwip_enb.real.simulation import RealSimulation

    sim = RealSimulation()
    sim.add_ue(1)
    sim.activate(1)
    assert sim.traffic(1, sim.topology.enb_lwip)
    print("tunnel up", flush=True)
    time.sleep(120)
    """
)


@dataclass
class Footprint:
    """What a run holds on the machine, read from its marker while it runs."""

    pid: int
    marker: Path
    namespaces: list[str]
    paths: list[str]
    daemons: list[int]

    def left(self) -> list[str]:
        """What of it is still there."""
        out: list[str] = []
        if self.marker.exists():
            out.append(f"marker {self.marker}")
        existing = set(run("ip", "netns", "list").stdout.split())
        out += [f"namespace {ns}" for ns in self.namespaces if ns in existing]
        out += [f"process {pid}" for pid in self.daemons if alive(pid)]
        out += [f"directory {p}" for p in self.paths if Path(p).exists()]
        return out


def footprint_of(proc: subprocess.Popen[str], timeout_s: float = 30.0) -> Footprint:
    """Wait until ``proc`` has its topology and both charons up; what it holds then."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the run ended early: {proc.communicate()}"
        for marker in cleanup.run_root().glob("*/owner.json"):
            owner = json.loads(marker.read_text())
            if owner.get("pid") != proc.pid or len(owner.get("paths", [])) < 2:
                continue
            daemons = [
                int(p)
                for ns in owner["namespaces"]
                for p in run("ip", "netns", "pids", ns).stdout.split()
            ]
            if len(daemons) >= 2:  # the SeGW's and the UE's charon
                return Footprint(
                    proc.pid, marker.parent, owner["namespaces"], owner["paths"], daemons
                )
        time.sleep(0.1)
    raise AssertionError("the run did not bring its daemons up in time")


def start(kind: str) -> subprocess.Popen[str]:
    if kind == "demo":
        argv = [sys.executable, "-m", "lwip_enb", "demo", "--real", "--scenario", "full"]
    else:
        argv = [sys.executable, "-c", USER_PROGRAM]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def runs() -> Iterator[list[subprocess.Popen[str]]]:
    require_peer(*available())
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:  # a failed test must not leave its runs behind
        if proc.poll() is None:
            proc.terminate()
            proc.communicate(timeout=30)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
@pytest.mark.parametrize("kind", ["demo", "user-program"])
def test_sigterm_and_sigint_stop_daemons_and_remove_namespaces_at_once(
    runs: list[subprocess.Popen[str]], kind: str, sig: signal.Signals
) -> None:
    proc = start(kind)
    runs.append(proc)
    held = footprint_of(proc)
    assert held.left(), "nothing to clean up: the test would prove nothing"
    time.sleep(0.5)  # into the story
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    # The process then does what the signal would have done without us: it dies of it.
    assert proc.returncode == -sig, err[-2000:]
    assert held.left() == []
    assert f"{sig.name}: closing what this run holds" in err


@pytest.mark.parametrize("kind", ["demo", "user-program"])
def test_sigkill_leaves_what_the_next_run_removes_saying_so_once(
    runs: list[subprocess.Popen[str]], kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    proc = start(kind)
    runs.append(proc)
    held = footprint_of(proc)
    proc.kill()
    proc.communicate(timeout=30)
    # Nothing can run in a SIGKILLed process: its daemons and namespaces stay ...
    assert any(x.startswith("namespace") for x in held.left())
    assert any(x.startswith("process") for x in held.left())
    # ... until the next run starts.
    with caplog.at_level(logging.WARNING, logger=LOGGER_NAME), Topology() as nxt:
        assert held.left() == []
        assert nxt.marker is not None and nxt.marker.directory.exists()
    said = [r.getMessage() for r in caplog.records if held.marker.name in r.getMessage()]
    assert len(said) == 1, said
    assert f"pid {held.pid}, no longer running" in said[0]


def test_two_runs_at_once_do_not_collide(runs: list[subprocess.Popen[str]]) -> None:
    other = start("user-program")
    runs.append(other)
    theirs = footprint_of(other)
    assert other.stdout is not None and other.stdout.readline() == "tunnel up\n"
    with RealSimulation() as sim:  # this run sweeps first: it must leave the live one alone
        sim.add_ue(1)
        sim.activate(1)
        assert sim.traffic(1, sim.topology.enb_lwip)
        assert not sim.traffic(1, sim.topology.enb_other)
        ours = set(sim.topology.namespaces.values())
        assert not ours & set(theirs.namespaces)
        assert sorted(theirs.left()) == sorted(
            [f"marker {theirs.marker}"]
            + [f"namespace {ns}" for ns in theirs.namespaces]
            + [f"process {pid}" for pid in theirs.daemons]
            + [f"directory {p}" for p in theirs.paths]
        )
        # Each has its own addresses in its own namespaces: both tunnels carry traffic at once.
        probe = subprocess.run(
            [sys.executable, "-c", _PING_FROM_OTHER, theirs.namespaces[0]],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert probe.stdout.strip() == "True", probe.stderr
        assert sim.traffic(1, sim.topology.enb_lwip)
    assert other.poll() is None
    other.terminate()
    other.communicate(timeout=30)
    assert theirs.left() == []


_PING_FROM_OTHER = textwrap.dedent(
    """
    import sys
    from lwip_enb.real.host import run
    r = run("ip", "netns", "exec", sys.argv[1], "ping", "-n", "-q", "-c", "2", "-W", "1",
            "198.51.100.1")
    print(" 0 received" not in r.stdout and r.returncode == 0)
    """
)


def test_a_prefix_in_use_is_refused_naming_its_owner() -> None:
    require_peer(*available())
    prefix = f"lwt{os.getpid():x}"
    with (
        Topology(prefix=prefix),
        pytest.raises(StrongswanError, match=f"in use by pid {os.getpid()}"),
    ):
        Topology(prefix=prefix).setup()
    with Topology(prefix=prefix) as again:  # free once closed
        assert again.marker is not None


def test_the_leftover_check_sees_a_stray_namespace_and_an_open_topology() -> None:
    require_peer(*available())
    stray = f"lwt{os.getpid():x}ue"
    run("ip", "netns", "add", stray)
    try:
        assert f"network namespace {stray}" in cleanup.find_leftovers()
    finally:
        run("ip", "netns", "del", stray)
    topo = Topology()
    topo.setup()
    try:
        left = cleanup.find_leftovers()
        assert any("a topology of this process is open" in x for x in left), left
        assert all(f"network namespace {ns}" in left for ns in topo.namespaces.values())
    finally:
        topo.close()
    assert not any(topo.prefix in x for x in cleanup.find_leftovers())


def test_a_session_that_leaves_something_fails_loudly_and_cleans_up(
    pytester: pytest.Pytester,
) -> None:
    require_peer(*available())
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text())
    pytester.makeini("[pytest]\nmarkers =\n    strongswan: x\n")
    pytester.makepyfile(
        test_leaky="""
        import pytest
        from lwip_enb.real.topology import Topology

        @pytest.mark.strongswan
        def test_forgets_to_close():
            Topology().setup()
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*LEFTOVERS*", "*a topology of this process is open*"])
    assert "1 passed" in result.stdout.str()  # the test passed: the check failed the session
    assert not any("a topology" in x or "stale" in x for x in cleanup.find_leftovers())
