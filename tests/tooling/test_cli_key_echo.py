"""docs/cli.md: "key material given on the command line is never echoed in an error message".

Each case misuses the command with a KeNB or PSK in a place where it does not belong (the
usual slips: a key pasted twice, into ``--counter``, where a message kind is expected, with a
stray option) and checks that no output repeats any 8-hex-digit piece of the key.
"""

from __future__ import annotations

import pytest

from lwip_enb.tools import cli

KEY = "5fd0c6b1e0a4f6e3b2d1c4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3"
KEY_SPACED = " ".join(KEY[i : i + 2] for i in range(0, len(KEY), 2))

MISUSES = {
    "extra positional": ["psk", "--kenb", KEY, "--counter", "1", KEY],
    "key as counter": ["psk", "--kenb", KEY, "--counter", KEY],
    "key as 0x counter": ["psk", "--kenb", KEY, "--counter", "0x" + KEY],
    "key as command": [KEY],
    "key as decode kind": ["decode", KEY, "00"],
    "key as encode kind": ["encode", KEY],
    "key after unknown option": ["psk", "--kenb", KEY, "--counter", "1", "--bogus", KEY],
    "short key": ["psk", "--kenb", KEY[:-2], "--counter", "1"],
    "psk as transaction id": ["encode", "rrc-lwip-release", "--transaction-id", KEY],
    "spaced key as counter": ["psk", "--kenb", KEY, "--counter", KEY_SPACED],
    "spaced key as decode kind": ["decode", KEY_SPACED, "00"],
    "colon key as command": [KEY_SPACED.replace(" ", ":")],
    "key one digit short as HEX": ["decode", "xwap", KEY[:-1]],
    "key one digit short as --psk": [
        "encode",
        "xwap-lwip-addition",
        "--enb-ue-id",
        "000001",
        "--wlan-mac",
        "020000000001",
        "--psk",
        KEY[:-1],
        "--idi",
        "01",
    ],
    "key as KIND with --trace": ["decode", "--trace", "-", KEY],
}


def _pieces(key: str) -> set[str]:
    return {key[i : i + 8].lower() for i in range(0, len(key) - 7, 4)}


@pytest.mark.parametrize("argv", MISUSES.values(), ids=MISUSES.keys())
def test_a_misused_key_is_never_echoed(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse's usage errors
        status = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    shown = (out.out + out.err).lower().replace(" ", "")
    assert status == 2
    assert "error" in shown
    leaked = sorted(p for p in _pieces(KEY) if p in shown)
    assert not leaked, f"key material echoed: {out.err!r}"


def test_the_echo_check_can_fail(capsys: pytest.CaptureFixture[str]) -> None:
    # The check above really looks at what argparse prints: a plain parser echoes the key.
    import argparse

    parser = argparse.ArgumentParser(prog="plain")
    parser.add_argument("--counter", type=int)
    with pytest.raises(SystemExit):
        parser.parse_args(["--counter", KEY])
    assert any(p in capsys.readouterr().err.lower() for p in _pieces(KEY))
