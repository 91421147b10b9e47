"""A trace (docs/trace.md) as pcapng that Wireshark and tshark open and dissect.

- XwAP PDUs become IPv4/IPv6 packets carrying one SCTP DATA chunk each, payload protocol
  identifier 58 and the WT's port 36462 (TS 36.462 7), between the eNB's and the SeGW's
  addresses, with per-direction TSNs and per-stream sequence numbers; Wireshark's ``xwap``
  dissector picks them up by the PPID. The SCTP checksum is the CRC32c of RFC 9260 appendix A.
- RRC PDUs become "exported PDUs" (link type 252, ``LINKTYPE_WIRESHARK_UPPER_PDU``) naming the
  dissector of their channel: ``lte_rrc.dl_dcch``, ``lte_rrc.ul_dcch``, ``lte_rrc.ul_ccch``.
- Each packet's time is the trace's ``t`` (seconds) after ``start`` (a Unix time; by default the
  ``start`` of a runtime's :class:`~lwip_enb.io.trace.Trace`, else 0).
- A record with ``src_ip``, ``src_port``, ``dst_ip`` and ``dst_port`` (a runtime's, where the
  transport knew them) is sent between those; others between ``addresses`` of ``enb`` and
  ``segw`` and the ports 36463 and 36462. TSNs and stream sequence numbers count per
  association (per pair of address and port).

Node events are not packets and are left out. The file holds whatever the trace holds: an
``LWIPAdditionRequest`` carries the LWIP-PSK (TS 36.463 9.2.30), so a capture of real keys is as
secret as the trace it came from.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Final

from lwip_enb.errors import InvalidFieldError

__all__ = ["DEFAULT_ADDRESSES", "RRC_DISSECTORS", "crc32c", "write_pcapng"]

XWAP_PPID: Final = 58  # TS 36.462 7
XWAP_PORT: Final = 36462  # TS 36.462 7: the WT listens here
ENB_PORT: Final = 36463  # the eNB's end of the association: any port; this one reads well

#: Where each node sits in the capture when the trace does not say (documentation ranges).
DEFAULT_ADDRESSES: Final[Mapping[str, str]] = {"enb": "203.0.113.1", "segw": "192.0.2.10"}

#: Wireshark's dissector for each RRC channel of the trace.
RRC_DISSECTORS: Final[Mapping[str, str]] = {
    "dl-dcch": "lte_rrc.dl_dcch",
    "ul-dcch": "lte_rrc.ul_dcch",
    "ul-ccch": "lte_rrc.ul_ccch",
}

_LINKTYPE_RAW: Final = 101  # raw IPv4/IPv6
_LINKTYPE_UPPER_PDU: Final = 252  # Wireshark "exported PDU"
_EXP_PDU_TAG_DISSECTOR_NAME: Final = 12
_SCTP_DATA: Final = 0
_SCTP_DATA_FLAGS: Final = 0x03  # B and E: the chunk is a whole message


def _crc32c_table() -> tuple[int, ...]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1  # reflected Castagnoli polynomial
        table.append(c)
    return tuple(table)


_CRC32C: Final = _crc32c_table()


def crc32c(data: bytes) -> int:
    """CRC32c (Castagnoli), the SCTP checksum (RFC 9260 6.8 and appendix A)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC32C[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _pad4(data: bytes) -> bytes:
    return data + b"\x00" * (-len(data) % 4)


def _block(block_type: int, body: bytes) -> bytes:
    length = 12 + len(_pad4(body))
    return struct.pack("<II", block_type, length) + _pad4(body) + struct.pack("<I", length)


def _section_header() -> bytes:
    # byte-order magic, version 1.0, section length unknown (-1)
    return _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def _interface(linktype: int) -> bytes:
    # if_tsresol defaults to microseconds
    return _block(0x00000001, struct.pack("<HHI", linktype, 0, 0))


def _packet(interface: int, seconds: float, data: bytes) -> bytes:
    micros = round(seconds * 1_000_000)
    header = struct.pack(
        "<IIIII", interface, micros >> 32, micros & 0xFFFFFFFF, len(data), len(data)
    )
    return _block(0x00000006, header + data)


def _ip_packet(
    src: ipaddress.IPv4Address | ipaddress.IPv6Address,
    dst: ipaddress.IPv4Address | ipaddress.IPv6Address,
    protocol: int,
    payload: bytes,
) -> bytes:
    if src.version != dst.version:
        raise InvalidFieldError("addresses", f"{src} and {dst} are not of one IP version")
    if src.version == 6:
        header = struct.pack("!IHBB", 6 << 28, len(payload), protocol, 64)
        return header + src.packed + dst.packed + payload
    header = struct.pack(
        "!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, protocol, 0,
        src.packed, dst.packed,
    )  # fmt: skip
    words = struct.unpack("!10H", header)
    total = sum(words)
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return header[:10] + struct.pack("!H", ~total & 0xFFFF) + header[12:] + payload


_Endpoint = tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int]


class _Association:
    """What SCTP numbers per direction and per stream for one eNB-SeGW association."""

    def __init__(self) -> None:
        self.tsn: dict[_Endpoint, int] = {}
        self.ssn: dict[tuple[_Endpoint, int], int] = {}

    def chunk(self, sender: _Endpoint, stream: int, payload: bytes) -> bytes:
        tsn = self.tsn.get(sender, 1)
        self.tsn[sender] = (tsn + 1) & 0xFFFFFFFF
        ssn = self.ssn.get((sender, stream), 0)
        self.ssn[(sender, stream)] = (ssn + 1) & 0xFFFF
        header = struct.pack(
            "!BBHIHHI", _SCTP_DATA, _SCTP_DATA_FLAGS, 16 + len(payload), tsn, stream, ssn, XWAP_PPID
        )
        return _pad4(header + payload)


def _sctp(src_port: int, dst_port: int, chunk: bytes) -> bytes:
    packet = struct.pack("!HHII", src_port, dst_port, 0x4C574950, 0) + chunk  # tag "LWIP"
    return packet[:8] + struct.pack("<I", crc32c(packet)) + packet[12:]


def _exported_pdu(dissector: str, payload: bytes) -> bytes:
    name = _pad4(dissector.encode("ascii"))  # the tag's length counts the NUL padding
    tags = struct.pack("!HH", _EXP_PDU_TAG_DISSECTOR_NAME, len(name)) + name
    return tags + struct.pack("!HH", 0, 0) + payload


def _stream(message: str) -> int:
    # TS 36.462 7: non-UE-associated procedures on one stream, UE-associated ones on others. The
    # trace does not keep the stream: the LWIP procedures (8.14-8.17) are the UE-associated ones
    # here and go on stream 1; Xw Setup, Reset, configuration updates and Error Indication on 0.
    return 1 if message.startswith("LWIP") else 0


def _endpoints(
    record: Mapping[str, Any],
    ips: Mapping[str, ipaddress.IPv4Address | ipaddress.IPv6Address],
    ports: Mapping[str, int],
) -> tuple[_Endpoint, _Endpoint]:
    """Source and destination of an XwAP record: its own addresses, else the nodes'."""
    if "src_ip" in record:
        try:
            return (
                (ipaddress.ip_address(record["src_ip"]), int(record["src_port"])),
                (ipaddress.ip_address(record["dst_ip"]), int(record["dst_port"])),
            )
        except (KeyError, ValueError) as exc:
            raise InvalidFieldError("src_ip", f"a record's addresses: {exc}") from None
    src, dst = str(record["src"]), str(record["dst"])
    return (ips[src], ports[src]), (ips[dst], ports[dst])


def write_pcapng(
    records: Iterable[Mapping[str, Any]],
    out: BinaryIO | str | Path,
    *,
    addresses: Mapping[str, str] = DEFAULT_ADDRESSES,
    start: float | None = None,
) -> int:
    """Write the message records of a trace as pcapng; return the number of packets written.

    ``addresses`` maps ``enb`` and ``segw`` to the IP addresses of the Xw association (both
    IPv4 or both IPv6) for records that do not carry their own. ``out`` is a binary file or a
    path. ``start``: the Unix time of ``t`` = 0; by default ``records.start`` where the records
    are a runtime's :class:`~lwip_enb.io.trace.Trace`, else 0.
    """
    try:
        ips = {node: ipaddress.ip_address(addresses[node]) for node in ("enb", "segw")}
    except (KeyError, ValueError) as exc:
        raise InvalidFieldError("addresses", f"need IP addresses of enb and segw: {exc}") from None
    ports = {"enb": ENB_PORT, "segw": XWAP_PORT}
    if start is None:
        start = float(getattr(records, "start", None) or 0.0)
    associations: dict[frozenset[_Endpoint], _Association] = {}
    blocks = [_section_header(), _interface(_LINKTYPE_RAW), _interface(_LINKTYPE_UPPER_PDU)]
    for record in records:
        if "pdu" not in record:
            continue  # a node event
        payload = bytes.fromhex(str(record["pdu"]))
        when = start + float(record["t"])
        if record["protocol"] == "xwap":
            here, there = _endpoints(record, ips, ports)
            association = associations.setdefault(frozenset((here, there)), _Association())
            chunk = association.chunk(here, _stream(str(record["message"])), payload)
            packet = _ip_packet(here[0], there[0], 132, _sctp(here[1], there[1], chunk))
            blocks.append(_packet(0, when, packet))
        elif record["protocol"] == "rrc":
            dissector = RRC_DISSECTORS.get(str(record["channel"]))
            if dissector is None:
                raise InvalidFieldError("channel", f"no RRC dissector for {record['channel']!r}")
            blocks.append(_packet(1, when, _exported_pdu(dissector, payload)))
        else:
            raise InvalidFieldError("protocol", f"not rrc or xwap: {record['protocol']!r}")
    data = b"".join(blocks)
    if isinstance(out, str | Path):
        Path(out).write_bytes(data)
    else:
        out.write(data)
    return len(blocks) - 3
