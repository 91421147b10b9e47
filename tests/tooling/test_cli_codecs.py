"""``lwip-enb encode`` / ``decode``: bytes checked with pycrate, JSON with spec names."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import pycrate_oracle as oracle


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lwip_enb", *args], capture_output=True, text=True, timeout=120
    )


def test_encode_rrc_setup_equals_pycrate() -> None:
    res = run(
        "encode",
        "rrc-lwip-setup",
        "--segw",
        "192.0.2.1",
        "--idi",
        "616263",
        "--counter",
        "291",
        "--transaction-id",
        "1",
    )
    assert res.returncode == 0, res.stderr
    value = oracle.rrc_decode("dl-dcch", bytes.fromhex(res.stdout.strip()))
    body = value["message"][1][1]["criticalExtensions"][1][1]
    for _ in range(6):
        body = body["nonCriticalExtension"]
    tunnel = body["lwip-Configuration-r13"][1]["lwip-Config-r13"]["tunnelConfigLWIP-r13"]
    assert tunnel == {
        "ip-Address-r13": ("ipv4-r13", (0xC0000201, 32)),
        "ike-Identity-r13": {"idI-r13": b"abc"},
        "lwip-Counter-r13": 291,
    }


def test_encode_release_and_addition() -> None:
    rel = run("encode", "rrc-lwip-release", "--transaction-id", "2")
    value = oracle.rrc_decode("dl-dcch", bytes.fromhex(rel.stdout.strip()))
    assert value["message"][1][1]["rrc-TransactionIdentifier"] == 2
    add = run(
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
    assert add.returncode == 0, add.stderr
    pdu = oracle.xwap_decode(bytes.fromhex(add.stdout.strip()))
    ies = {ie["id"]: ie["value"][1] for ie in pdu[1]["value"][1]["protocolIEs"]}
    assert ies[25] == b"\x00\x01\x02" and ies[30] == bytes.fromhex("020000000001")
    assert ies[69] == {"lWIP-PSK": (int("11" * 32, 16), 256), "iKE-Initiator-Identity": b"\xab\xcd"}


def test_decode_json_uses_spec_names_hex_and_addresses() -> None:
    v6 = int.from_bytes(bytes.fromhex("20010db8000000000000000000000001"), "big")
    tunnel = {
        "ip-Address-r13": ("ipv6-r13", (v6, 128)),
        "ike-Identity-r13": {"idI-r13": b"\x01\x02"},
        "lwip-Counter-r13": 5,
    }
    ext: dict = {
        "lwip-Configuration-r13": ("setup", {"lwip-Config-r13": {"tunnelConfigLWIP-r13": tunnel}})
    }
    for _ in range(5):
        ext = {"nonCriticalExtension": ext}
    r8 = {"nonCriticalExtension": ext}
    data = oracle.rrc_encode(
        "dl-dcch",
        {
            "message": (
                "c1",
                (
                    "rrcConnectionReconfiguration",
                    {
                        "rrc-TransactionIdentifier": 0,
                        "criticalExtensions": ("c1", ("rrcConnectionReconfiguration-r8", r8)),
                    },
                ),
            )
        },
    )
    res = run("decode", "rrc-dl-dcch", data.hex())
    assert res.returncode == 0, res.stderr
    text = json.loads(res.stdout)
    body = text["message"]["c1"]["rrcConnectionReconfiguration"]["criticalExtensions"]["c1"][
        "rrcConnectionReconfiguration-r8"
    ]
    for _ in range(6):
        body = body["nonCriticalExtension"]
    got = body["lwip-Configuration-r13"]["setup"]["lwip-Config-r13"]["tunnelConfigLWIP-r13"]
    assert got == {
        "ip-Address-r13": {"ipv6-r13": "2001:db8::1"},
        "ike-Identity-r13": {"idI-r13": "0102"},
        "lwip-Counter-r13": 5,
    }


def test_decode_bad_input_one_line_exit_2() -> None:
    for args in (
        ["decode", "xwap", "000f40170000"],
        ["decode", "rrc-ul-ccch", "zz"],
        ["encode", "rrc-lwip-setup", "--segw", "x", "--idi", "01", "--counter", "1"],
        [
            "encode",
            "xwap-lwip-addition",
            "--enb-ue-id",
            "01",
            "--wlan-mac",
            "02:00",
            "--psk",
            "00",
            "--idi",
            "01",
        ],
    ):
        res = run(*args)
        assert res.returncode == 2, args
        assert res.stdout == "" and res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
