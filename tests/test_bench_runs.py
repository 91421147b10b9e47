"""The benchmark runs and compares like with like (it checks pycrate's bytes equal ours);
timings are printed by ``lwip-enb bench``, never asserted."""

from __future__ import annotations

import subprocess
import sys


def test_bench_command_prints_a_table() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "lwip_enb", "bench"], capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split()[:2] == ["message", "B"]
    assert {"LWIPAdditionRequest", "RRCConnectionReconfiguration"} <= {
        line.split()[0] for line in lines[2:-1]
    }
    assert lines[-1].startswith("smallest speed-up over pycrate")
