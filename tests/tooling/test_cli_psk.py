"""``lwip-enb psk``, ``--version`` and ``--help`` as a user runs them (a real subprocess)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lwip_enb import __version__

KENB = bytes(range(32)).hex()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lwip_enb", *args], capture_output=True, text=True, timeout=60
    )


def test_psk_prints_the_vector() -> None:
    res = run("psk", "--kenb", KENB, "--counter", "291")
    assert res.returncode == 0, res.stderr
    assert res.stdout == "b870389602b0611f4c63b886f434ef0b4fa53866b894e5fe3d2f1507d31d77bf\n"
    assert res.stderr == ""


def test_psk_counter_in_hex() -> None:
    assert run("psk", "--kenb", KENB, "--counter", "0x123").stdout.startswith("b8703896")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--kenb", "00", "--counter", "1"], "kenb: must be 32 octets"),
        (["--kenb", "zz" * 32, "--counter", "1"], "kenb: not a hexadecimal string"),
        (["--kenb", KENB, "--counter", "65536"], "lwip_counter: must be 0..65535"),
        (["--kenb", KENB, "--counter", "-1"], "lwip_counter"),
        (["--kenb", KENB, "--counter", "many"], "not an integer"),
        (["--kenb", KENB], "--counter"),
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], needle: str) -> None:
    res = run("psk", *args)
    assert res.returncode == 2
    assert res.stdout == ""
    assert needle in res.stderr
    assert res.stderr.count("\n") == 1
    assert "Traceback" not in res.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"lwip-enb {__version__}"
    helptext = run("--help").stdout
    assert "psk" in helptext


def test_bad_key_is_not_echoed() -> None:
    res = run("psk", "--kenb", "ab" * 33, "--counter", "1")
    assert res.returncode == 2
    assert "abab" not in res.stderr
