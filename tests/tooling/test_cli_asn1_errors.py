"""``lwip-enb`` when the 3GPP ASN.1 cannot be loaded: one error line, exit status 2, no traceback.

Each case runs the command line in a fresh interpreter (so no codec is loaded or cached in the
process yet) whose search for the extracted modules starts in a temporary folder, with an empty
``$LWIP_ENB_CACHE``: the modules are missing, the folders are there without the module files, or
the module files are not ASN.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lwip_enb.asn1 import cache

# Runs lwip-enb with the search for the ASN.1 moved to argv[1] (the stand-in for lwip_enb/).
SCRIPT = """
import sys
from pathlib import Path
from lwip_enb.asn1 import cache
from lwip_enb.tools import cli
if sys.argv[1] != "-":
    cache._ROOT = Path(sys.argv[1])
sys.exit(cli.main(sys.argv[2:]))
"""

# LWIP ADDITION REQUEST (eNB UE XwAP ID 000102, a WLAN MAC, LWIP-PSK and IDi) and an RRC
# reconfiguration that releases LWIP: valid encodings, so only the loading can fail.
XWAP_HEX = "000d003c00000300190003000102001e00060200000000010045002400" + "11" * 32 + "02abcd"
RRC_HEX = "2200a4a088"
DECODE_XWAP = ("decode", "xwap", XWAP_HEX)
DECODE_RRC = ("decode", "rrc-dl-dcch", RRC_HEX)
ENCODE_XWAP = (
    "encode",
    "xwap-lwip-addition",
    "--enb-ue-id",
    "000102",
    "--wlan-mac",
    "02:00:00:00:00:01",
    "--psk",
    "11" * 32,
    "--idi",
    "abcd",
)


def run(root: str, args: tuple[str, ...], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, root, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def broken(tmp_path: Path, how: str) -> Path:
    """A stand-in for lwip_enb/ whose ASN.1 search finds ``how`` broken modules."""
    root = tmp_path / "lwip_enb"
    root.mkdir()
    if how == "missing":
        return root
    for folder, modules in (("36331", cache.RRC_MODULES), ("36463", cache.XWAP_MODULES)):
        (tmp_path / "asn1" / folder).mkdir(parents=True)
        if how == "garbage":
            for module in modules:
                (tmp_path / "asn1" / folder / f"{module}.asn").write_text("not ASN.1 at all\n")
    return root


@pytest.mark.parametrize(
    ("how", "args", "says"),
    [
        ("missing", DECODE_XWAP, "extracted ASN.1 not found next to"),
        ("no-files", DECODE_XWAP, "cannot read the TS 36.463 XwAP modules"),
        ("garbage", DECODE_XWAP, "TS 36.463 XwAP: "),
        ("no-files", DECODE_RRC, "cannot read the TS 36.331 RRC modules"),
        ("garbage", ENCODE_XWAP, "TS 36.463 XwAP: "),
        ("missing", ("demo", "--json"), "extracted ASN.1 not found next to"),
    ],
)
def test_asn1_that_cannot_load_is_one_error_line(
    tmp_path: Path, how: str, args: tuple[str, ...], says: str
) -> None:
    env = {**os.environ, "LWIP_ENB_CACHE": str(tmp_path / "cache")}
    res = run(str(broken(tmp_path, how)), args, env)
    assert "Traceback" not in res.stderr, res.stderr
    assert res.returncode == 2, res.stderr
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("lwip-enb: error: ") and says in lines[0], lines[0]


def test_the_same_command_works_with_the_modules_in_place() -> None:
    # The control: the script and the encoding are fine; only the search above breaks them.
    res = run("-", DECODE_XWAP, dict(os.environ))
    assert res.returncode == 0, res.stderr
    assert '"procedureCode": 13' in res.stdout
