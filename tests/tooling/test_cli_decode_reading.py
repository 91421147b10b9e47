"""``lwip-enb decode`` for people reading captures: XwAP IE ids and procedure codes named as
TS 36.463 9.3.7 (XwAP-Constants) names them, odd hex called odd, a hint to the kind the bytes
fit, ``--trace FILE`` decoding a whole trace (docs/trace.md), ``--help`` explaining the kinds;
and ``python -m lwip_enb.tools.diagram --check`` on a missing file giving one error line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import pycrate_oracle as oracle

from lwip_enb.codec import rrc, xwap
from lwip_enb.tools import cli

CONSTANTS = Path(__file__).resolve().parents[2] / "asn1" / "36463" / "XwAP-Constants.asn"


def _constants(kind: str) -> dict[int, str]:
    """``id-X  <kind> ::= N`` of the module text, read here without the library's ASN.1 loader."""
    text = CONSTANTS.read_text()
    found = re.findall(rf"^(id-[\w-]+)\s+{kind}\s*::=\s*(\d+)", text, re.M)
    return {int(n): name for name, n in found}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse's usage errors
        status = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return status, out.out, out.err


def _dicts(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _dicts(v)
    elif isinstance(node, list):
        for v in node:
            yield from _dicts(v)


DIAGNOSED = xwap.LwipAdditionRequestReject(
    3,
    xwap.Cause.protocol("semantic-error"),
    xwap.CriticalityDiagnostics(
        13,
        xwap.MessageKind.INITIATING,
        xwap.Criticality.REJECT,
        (xwap.IeDiagnostic(xwap.Criticality.REJECT, 69, "missing"),),
    ),
)
RELEASE = xwap.LwipReleaseRequest(1, 2, xwap.Cause.radio_network("radio-connection-with-UE-lost"))


@pytest.mark.parametrize("msg", [DIAGNOSED, RELEASE], ids=lambda m: m.MESSAGE)
def test_xwap_ie_ids_and_procedure_codes_carry_the_names_of_xwap_constants(
    msg: xwap.XwapMessage, capsys: pytest.CaptureFixture[str]
) -> None:
    """TS 36.463 9.3.7: each IE id (and a diagnosed iE-ID) shown with its ProtocolIE-ID value
    reference, the procedure code with its ProcedureCode one; the numbers unchanged."""
    ie_names, procedures = _constants("ProtocolIE-ID"), _constants("ProcedureCode")
    pdu = oracle.xwap_encode(oracle.xwap_value(msg))  # bytes from pycrate
    status, out, err = _run(["decode", "xwap", pdu.hex()], capsys)
    assert status == 0, err
    shown = json.loads(out)
    named = 0
    for node in _dicts(shown):
        for key in ("id", "iE-ID"):
            if isinstance(node.get(key), int) and (key == "iE-ID" or "criticality" in node):
                assert node["name"] == ie_names[node[key]], node
                named += 1
        if "procedureCode" in node:
            assert node["procedure"] == procedures[node["procedureCode"]]
            assert node["procedureCode"] == msg.procedure_code
    assert named == len([v for v in oracle.xwap_value(msg)[1]["value"][1]["protocolIEs"]]) + (
        1 if msg is DIAGNOSED else 0
    )


def test_odd_hex_is_called_odd_without_echoing_it(capsys: pytest.CaptureFixture[str]) -> None:
    """A PDU (or key) cut by one digit: "odd length", one line, exit 2, the digits not shown."""
    digits = "5fd0c6b1e0a4f6e3b2d1c4a596877869a"
    status, out, err = _run(["decode", "xwap", digits], capsys)
    assert status == 2 and not out
    assert err.count("\n") == 1 and "odd length" in err and "33 hex digits" in err
    assert digits[:8] not in err
    status, _, err = _run(["decode", "xwap", "zz"], capsys)
    assert status == 2 and "not a hexadecimal string" in err and "odd" not in err


def test_bytes_of_another_kind_get_a_hint_to_that_kind(capsys: pytest.CaptureFixture[str]) -> None:
    """A WLANConnectionStatusReport (UL-DCCH, 36.331 6.2.2) given as DL-DCCH, and an XwAP PDU
    (36.463 9.3) given as UL-DCCH: the error names the kind that decodes them."""
    report = rrc.WlanConnectionStatusReport(rrc.WlanStatus.SUCCESSFUL_ASSOCIATION)
    ul = oracle.rrc_encode("ul-dcch", oracle.rrc_value(report))
    status, out, err = _run(["decode", "rrc-dl-dcch", ul.hex()], capsys)
    assert status == 2 and not out and err.count("\n") == 1
    assert "these bytes decode as rrc-ul-dcch; try `lwip-enb decode rrc-ul-dcch ...`" in err
    pdu = oracle.xwap_encode(oracle.xwap_value(RELEASE))
    status, _, err = _run(["decode", "rrc-ul-dcch", pdu.hex()], capsys)
    assert status == 2 and "try `lwip-enb decode xwap ...`" in err
    # bytes that are no PDU of any kind: the error alone
    status, _, err = _run(["decode", "xwap", "ffffffffffffffff"], capsys)
    assert status == 2 and "try" not in err


def _trace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, list[dict[str, Any]]]:
    status, out, err = _run(["demo", "--scenario", "activate", "--json"], capsys)
    assert status == 0, err
    path = tmp_path / "activate.jsonl"
    path.write_text(out)
    return path, [json.loads(line) for line in out.splitlines()]


def test_decode_trace_decodes_every_message_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/trace.md: every message record gains its PDU decoded (as pycrate reads the same
    bytes: same message), node events pass unchanged; JSON lines or one JSON array."""
    path, records = _trace(tmp_path, capsys)
    status, out, err = _run(["decode", "--trace", str(path)], capsys)
    assert status == 0, err
    decoded = json.loads(out)
    assert len(decoded) == len(records)
    messages = 0
    for record, got in zip(records, decoded, strict=True):
        if "pdu" not in record:
            assert got == record
            continue
        messages += 1
        assert {k: got[k] for k in record} == record and "error" not in got
        pdu = bytes.fromhex(record["pdu"])
        if record["protocol"] == "xwap":
            kind, body = oracle.xwap_decode(pdu)
            expected = {kind: {"procedureCode": body["procedureCode"]}}
            assert got["decoded"][kind]["procedureCode"] == expected[kind]["procedureCode"]
            assert record["message"] in got["decoded"][kind]["value"]
        else:
            # the CHOICE alternatives down to the message, as pycrate reads the same bytes
            theirs, ours = oracle.rrc_decode(record["channel"], pdu)["message"], got["decoded"]
            ours = ours["message"]
            while isinstance(theirs, tuple) and isinstance(theirs[0], str):
                ours, theirs = ours[theirs[0]], theirs[1]
            assert isinstance(ours, dict) and ours  # reached the message's SEQUENCE
    assert messages >= 5
    array = tmp_path / "trace.json"
    array.write_text(json.dumps(records))
    status, out_array, _ = _run(["decode", "--trace", str(array)], capsys)
    assert status == 0 and json.loads(out_array) == decoded


def test_decode_trace_marks_what_does_not_decode_and_refuses_what_is_no_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The SeGW's ``garbage`` record (docs/trace.md) gets ``error``, the rest still decodes; a
    line that is no JSON, or a missing file, is one error line with exit status 2."""
    garbage = {"t": 1.0, "src": "segw", "dst": "enb", "protocol": "xwap", "channel": None}
    ok = oracle.xwap_encode(oracle.xwap_value(RELEASE)).hex()
    lines = [
        {**garbage, "message": "garbage", "pdu": "ffff"},
        {**garbage, "message": "LWIPReleaseRequest", "pdu": ok},
    ]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    status, out, _ = _run(["decode", "--trace", str(path)], capsys)
    first, second = json.loads(out)
    assert status == 0 and "error" in first and "decoded" not in first
    assert "decoded" in second
    path.write_text(json.dumps(lines[0]) + "\nnot json\n")
    status, out, err = _run(["decode", "--trace", str(path)], capsys)
    assert (
        status == 2
        and not out
        and err == f"lwip-enb: error: trace: {path}, line 2: not a JSON record\n"
    )
    status, _, err = _run(["decode", "--trace", str(tmp_path / "missing")], capsys)
    assert status == 2 and err.count("\n") == 1 and "No such file" in err
    status, _, err = _run(["decode", "--trace", str(path), "xwap"], capsys)
    assert status == 2 and "takes no KIND" in err


def test_decode_help_explains_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["decode", "--help"], capsys)
    assert status == 0
    for kind, what in cli.KINDS.items():
        line = next(ln for ln in out.splitlines() if ln.strip().startswith(kind + " "))
        assert line.split(None, 1)[1] == what
    assert "DL-DCCH-Message" in out and "XwAP-PDU" in out and "--trace" in out


def test_diagram_check_of_a_missing_file_is_one_error_line(tmp_path: Path) -> None:
    for option in ("--check", "--write"):
        res = subprocess.run(
            [sys.executable, "-m", "lwip_enb.tools.diagram", option, str(tmp_path / "nope.md")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert res.returncode == 2 and not res.stdout
        assert res.stderr == f"{tmp_path / 'nope.md'}: cannot read: No such file or directory\n"
