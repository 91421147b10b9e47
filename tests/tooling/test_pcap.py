"""Traces as pcapng (lwip_enb.tools.pcap), opened by Wireshark's own dissectors (tshark).

For every demo scenario: each message record becomes one frame; each XwAP frame is an SCTP DATA
chunk with PPID 58 and the WT port 36462 (TS 36.462 7) between the eNB's and the SeGW's
addresses, with a CRC32c checksum that Wireshark verifies, carrying exactly the trace's bytes;
each RRC frame is dissected by ``lte_rrc`` on the trace's channel, as the trace's message, with
no malformed-packet or warning from the dissector.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import require_peer

from lwip_enb.tools import demo, pcap
from lwip_enb.tools.cli import main

# RFC 3720 B.4 (iSCSI), the CRC32c test patterns; the SCTP checksum is the same function.
CRC32C_VECTORS = [
    (bytes(32), 0x8A9136AA),
    (b"\xff" * 32, 0x62A8AB43),
    (bytes(range(32)), 0x46DD794E),
    (bytes(range(31, -1, -1)), 0x113FDB5C),
]


@pytest.mark.parametrize(("data", "crc"), CRC32C_VECTORS)
def test_crc32c_matches_rfc_3720_vectors(data: bytes, crc: int) -> None:
    assert pcap.crc32c(data) == crc


def _tshark(path: Path, *fields: str, extra: tuple[str, ...] = ()) -> list[list[str]]:
    tshark = shutil.which("tshark")
    require_peer(tshark is not None, "tshark (make test installs it as root)")
    assert tshark is not None
    args = [tshark, "-r", str(path), "-o", "sctp.checksum:CRC-32C", *extra, "-T", "fields"]
    for field in fields:
        args += ["-e", field]
    run = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    return [line.split("\t") for line in run.stdout.splitlines()]


@pytest.mark.tshark
@pytest.mark.parametrize("scenario", sorted(demo.SCENARIOS))
def test_every_pdu_of_a_demo_scenario_opens_in_tshark(scenario: str, tmp_path: Path) -> None:
    sim = demo.run(scenario)
    messages = [r for r in sim.trace if "pdu" in r]
    path = tmp_path / f"{scenario}.pcapng"
    assert pcap.write_pcapng(sim.trace, path) == len(messages)
    rows = _tshark(
        path,
        "frame.protocols", "ip.src", "ip.dst", "sctp.srcport", "sctp.dstport",
        "sctp.checksum.status", "sctp.data_payload_proto_id", "data.data", "_ws.col.Info",
        "_ws.malformed", "_ws.expert.severity",
    )  # fmt: skip
    assert len(rows) == len(messages)
    addresses = pcap.DEFAULT_ADDRESSES
    for record, row in zip(messages, rows, strict=True):
        protocols, src, dst, sport, dport, checksum, ppid, data, info, malformed, severity = row
        assert not malformed and not severity, (record["message"], info)
        if record["protocol"] == "xwap":
            assert protocols == "raw:ip:sctp:data"
            assert (src, dst) == (addresses[record["src"]], addresses[record["dst"]])
            assert ("36462" in (sport, dport)) and ppid == "58" and checksum == "1"
            assert data == record["pdu"]
        else:
            assert protocols == "exported_pdu:lte_rrc"
            assert info == record["message"], info


@pytest.mark.tshark
def test_demo_writes_the_capture(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.pcapng"
    assert main(["demo", "--scenario", "activate", "--pcap", str(path)]) == 0
    assert "pcapng" in capsys.readouterr().err
    rows = _tshark(path, "frame.protocols")
    assert {r[0] for r in rows} == {"raw:ip:sctp:data", "exported_pdu:lte_rrc"}


def test_a_broken_checksum_is_caught_by_the_check(tmp_path: Path) -> None:
    # The tshark test above reads checksum status 1 (good); a flipped checksum must read 0.
    sim = demo.run("activate")
    path = tmp_path / "x.pcapng"
    pcap.write_pcapng(sim.trace, path)
    data = bytearray(path.read_bytes())
    first_sctp = data.find(b"\x8e\x6f\x8e\x6e")  # source port 36463, destination port 36462
    assert first_sctp > 0
    data[first_sctp + 8] ^= 0xFF
    path.write_bytes(bytes(data))
    if shutil.which("tshark") is None:
        pytest.skip("tshark not installed: the corrupted file cannot be read back")
    assert _tshark(path, "sctp.checksum.status")[0] == ["0"]
