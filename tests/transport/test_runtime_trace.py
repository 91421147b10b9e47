"""Traces of real runs (docs/trace.md "The trace format", "As a capture"): EnbRuntime and
SegwRuntime record the records Simulation records, and a capture of them opens in Wireshark.

- Over the memory transport, with one Trace shared by both runtimes, a story of three UEs
  (activate each, deactivate one) gives the records Simulation gives for the same story, apart
  from the times, the addresses only a runtime knows, and the UE's own events (no runtime of the
  UE records): the same multiset of records, and for each UE the same eNB state changes in the
  same order. Every XwAP record carries the memory transport's placeholder addresses.
- Two traces, one per runtime (as two processes would have), each hold every XwAP message of
  their association (sent and received), under the same names and bytes.
- The capture of a runtime's trace: each XwAP record is one SCTP DATA chunk, PPID 58, port
  36462 (TS 36.462 7), between the trace's addresses, with a good CRC32c and exactly the
  record's bytes; each RRC record is decoded by Wireshark's lte_rrc as the record's message,
  with no malformed packet or expert warning; the frame times are the trace's start plus ``t``.
- Recording is off by default (``trace`` is None).
"""

from __future__ import annotations

import collections
import itertools
import shutil
import subprocess
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pytest
from conftest import require_peer
from runtime_kit import kenb_of, mac_of, run_async, until

from lwip_enb.core.controller import EnbConfig, EnbController
from lwip_enb.core.fsm import State
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import Backoff, EnbRuntime
from lwip_enb.io.trace import Trace
from lwip_enb.keys import IdiAllocator
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.peers.ue import UeModel
from lwip_enb.sim import Simulation
from lwip_enb.sim.runtimes import ModelAir, SegwRuntime
from lwip_enb.tools import pcap

UES = (1, 2, 3)
SEGW_ADDRESS = "192.0.2.10"  # the IKE address given to UEs, as in Simulation
ENB_LWIP = EnbInterface("198.51.100.1", 17, 2152)  # Simulation's DEFAULT_ENB_LWIP
RUNTIME_ONLY = ("t", "src_ip", "src_port", "dst_ip", "dst_port")


class _CountingIdis(IdiAllocator):
    """IDis from a counter, so that two runs of one story allocate the same ones."""

    def __init__(self) -> None:
        self._n = itertools.count(1)
        super().__init__()

    def _random(self, n: int) -> bytes:
        return next(self._n).to_bytes(n, "big")


def _config() -> EnbConfig:
    return EnbConfig(idi_allocator=_CountingIdis)


def _simulated() -> list[dict[str, Any]]:
    sim = Simulation(enb_config=_config(), segw_address=SEGW_ADDRESS, enb_lwip_interface=ENB_LWIP)
    for ue in UES:
        sim.add_ue(ue, wlan_mac=mac_of(ue), kenb=kenb_of(ue))
    for ue in UES:
        sim.activate(ue)
        assert sim.enb.state(ue) is State.ACTIVE
    sim.deliver(sim.enb.deactivate(1, sim.now))
    sim.advance(0.1)
    assert sim.enb.state(1) is State.IDLE
    return list(sim.trace)


def _comparable(record: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, v) for k, v in record.items() if k not in RUNTIME_ONLY))


def _enb_states(records: list[dict[str, Any]], ue: Hashable) -> list[tuple[Any, ...]]:
    return [
        (r.get("from"), r.get("to"), r.get("reason"))
        for r in records
        if r.get("node") == "enb" and r.get("event") == "state" and r.get("ue") == ue
    ]


class _Harness:
    def __init__(self, enb_trace: Trace | bool, segw_trace: Trace | bool, spare: int = 0) -> None:
        self.net = MemoryNetwork()
        for n in range(spare):  # listeners made first: the SeGW's placeholder address moves on
            self.net.listener(f"spare-{n}")
        self.model = SegwModel()
        self.model.add_enb("enb", ENB_LWIP)
        self.segw = SegwRuntime(self.model, self.net.listener("segw"), trace=segw_trace)
        self.air = ModelAir(self.segw)
        self.enb = EnbRuntime(EnbController(_config()), on_rrc=self.air, trace=enb_trace)
        self.air.attach(self.enb)
        self.enb.add_segw(
            "segw", SEGW_ADDRESS, self.net.connector("segw"), backoff=Backoff(0.01, 0.05, 0.0)
        )

    async def story(self, settled: int | None = None) -> None:
        """Three activations and a deactivation; waits until ``settled`` records are in the
        eNB's trace, or until the UE models are quiet."""
        await self.segw.start()
        await self.enb.start()
        await self.enb.wait_ready("segw")
        for ue in UES:
            self.air.ues[ue] = UeModel(kenb_of(ue), mac_of(ue))
            await self.enb.activate(ue, kenb=kenb_of(ue), wlan_mac=mac_of(ue))
            await until(lambda ue=ue: self.enb.state(ue) is State.ACTIVE)
        await self.enb.deactivate(1)
        ue1 = self.air.ues[1]
        await until(lambda: self.enb.state(1) is State.IDLE and ue1.tunnel is None)
        trace = self.enb.trace
        if settled is not None and trace is not None:
            await until(lambda: len(trace) >= settled)

    async def stop(self) -> None:
        await self.enb.stop()
        await self.segw.stop()


@run_async()
async def test_shared_trace_equals_the_simulation_of_the_same_story() -> None:
    """docs/trace.md: the runtimes record the records of Simulation (TS 36.463 8.14, 8.16 and
    TS 36.331 5.3.5 on the wire, the nodes' events beside them)."""
    expected = [r for r in _simulated() if r.get("node") != "ue"]
    trace = Trace()
    rig = _Harness(trace, trace)
    try:
        await rig.story(settled=len(expected))
        got = list(trace)  # before stop(), which releases the other UEs
    finally:
        await rig.stop()
    missing = collections.Counter(map(_comparable, expected))
    extra = collections.Counter(map(_comparable, got))
    assert missing - extra == collections.Counter(), "records the runtimes did not make"
    assert extra - missing == collections.Counter(), "records Simulation does not make"
    for ue in UES:
        assert _enb_states(got, ue) == _enb_states(expected, ue)
    xwap = [r for r in got if r.get("protocol") == "xwap"]
    enb_at, segw_at = ("203.0.113.1", 36463), ("192.0.2.10", 36462)  # MemoryNetwork's
    for r in xwap:
        ends = {(r["src_ip"], r["src_port"]), (r["dst_ip"], r["dst_port"])}
        assert ends == {enb_at, segw_at}
        assert (r["src_ip"], r["src_port"]) == (enb_at if r["src"] == "enb" else segw_at)


@run_async()
async def test_one_trace_per_runtime_each_sees_both_directions() -> None:
    """Each runtime alone records what it sent and what it received (TS 36.463 XwAP both
    ways), as a capture at that node would."""
    rig = _Harness(True, True)
    try:
        await rig.story()
        assert rig.enb.trace is not None and rig.segw.trace is not None
        await until(lambda: _xwap(rig.enb.trace) == _xwap(rig.segw.trace))
    finally:
        await rig.stop()
    seen = _xwap(rig.enb.trace)
    names = {name for _src, name, _pdu in seen}
    assert {"XwSetupRequest", "XwSetupResponse", "LWIPAdditionRequest"} <= names
    assert {("enb", "segw"), ("segw", "enb")} == {
        (r["src"], r["dst"]) for r in rig.enb.trace if r.get("protocol") == "xwap"
    }
    # the eNB alone also recorded the RRC it received from the UEs
    assert any(r.get("src") == "ue" for r in rig.enb.trace)


def _xwap(trace: Trace | None) -> list[tuple[str, str, str]]:
    assert trace is not None
    return [(r["src"], r["message"], r["pdu"]) for r in trace if r.get("protocol") == "xwap"]


def test_tracing_is_off_by_default() -> None:
    assert EnbRuntime().trace is None
    assert SegwRuntime(SegwModel(), MemoryNetwork().listener("x")).trace is None


@pytest.mark.tshark
@run_async(timeout=180)
async def test_a_runtime_capture_opens_in_tshark(tmp_path: Path) -> None:
    """TS 36.462 7 (SCTP, PPID 58, port 36462) and TS 36.331 (lte_rrc) for every PDU of a
    runtime's trace, at the trace's times."""
    tshark = shutil.which("tshark")
    require_peer(tshark is not None, "tshark (make peer-deps installs it)")
    assert tshark is not None
    trace = Trace()
    rig = _Harness(trace, trace, spare=1)  # the SeGW at 192.0.2.11, not pcap's default .10
    try:
        await rig.story()
    finally:
        await rig.stop()  # the releases of the other UEs are in the capture too
    messages = [r for r in trace if "pdu" in r]
    assert {r["protocol"] for r in messages} == {"xwap", "rrc"}
    path = tmp_path / "runtime.pcapng"
    assert pcap.write_pcapng(trace, path) == len(messages)
    fields = (
        "frame.protocols", "ip.src", "ip.dst", "sctp.srcport", "sctp.dstport",
        "sctp.checksum.status", "sctp.data_payload_proto_id", "data.data", "_ws.col.Info",
        "_ws.malformed", "_ws.expert.severity", "frame.time_epoch",
    )  # fmt: skip
    args = [tshark, "-r", str(path), "-o", "sctp.checksum:CRC-32C", "-T", "fields"]
    for field in fields:
        args += ["-e", field]
    run = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    rows = [line.split("\t") for line in run.stdout.splitlines()]
    assert len(rows) == len(messages)
    assert trace.start is not None
    for record, row in zip(messages, rows, strict=True):
        protocols, src, dst, sport, dport, checksum, ppid, data, info, bad, severity, when = row
        assert not bad and not severity, (record["message"], info)
        assert abs(float(when) - (trace.start + record["t"])) < 1e-5
        if record["protocol"] == "xwap":
            assert protocols == "raw:ip:sctp:data"
            assert (src, dst) == (record["src_ip"], record["dst_ip"])
            assert "192.0.2.11" in (src, dst)
            assert (int(sport), int(dport)) == (record["src_port"], record["dst_port"])
            assert ppid == "58" and checksum == "1" and data == record["pdu"]
        else:
            assert protocols == "exported_pdu:lte_rrc"
            assert info == record["message"], info


async def _addresses_over(transport: Any, connector_of: Any) -> tuple[list[dict[str, Any]], Any]:
    """One activation over a socket transport, with a shared trace: the XwAP records."""
    trace = Trace()
    model = SegwModel()
    model.add_enb("enb", ENB_LWIP)
    segw = SegwRuntime(model, transport, trace=trace)
    air = ModelAir(segw)
    enb = EnbRuntime(EnbController(_config()), on_rrc=air, trace=trace)
    air.attach(enb)
    enb.add_segw("segw", SEGW_ADDRESS, connector_of(), backoff=Backoff(0.05, 0.2, 0.0))
    air.ues[1] = UeModel(kenb_of(1), mac_of(1))
    async with segw, enb:
        await enb.wait_ready("segw")
        await enb.activate(1, kenb=kenb_of(1), wlan_mac=mac_of(1))
        await until(lambda: enb.state(1) is State.ACTIVE)
        assoc = enb.association("segw")
    return [r for r in trace if r.get("protocol") == "xwap"], assoc


def _check_real_addresses(xwap: list[dict[str, Any]], segw_port: int) -> None:
    assert {r["message"] for r in xwap} >= {"XwSetupRequest", "LWIPAdditionRequest"}
    enb_ends = {(r["src_ip"], r["src_port"]) for r in xwap if r["src"] == "enb"}
    segw_ends = {(r["src_ip"], r["src_port"]) for r in xwap if r["src"] == "segw"}
    assert segw_ends == {("127.0.0.1", segw_port)}
    assert len(enb_ends) == 1 and enb_ends != segw_ends  # the connection's own source port
    assert {(r["dst_ip"], r["dst_port"]) for r in xwap if r["src"] == "enb"} == segw_ends
    assert {(r["dst_ip"], r["dst_port"]) for r in xwap if r["src"] == "segw"} == enb_ends


@run_async()
async def test_trace_has_the_tcp_connections_addresses() -> None:
    """The example TCP transport (examples/tcp_transport.py) knows its socket's addresses: the
    trace carries them (the SeGW at its listening port, TS 36.462 7 fixes 36462 for SCTP)."""
    from runtime_kit import TcpTransport

    transport = TcpTransport()
    listener = await transport.listener("segw")
    xwap, _assoc = await _addresses_over(listener, lambda: transport.connector("segw"))
    _check_real_addresses(xwap, transport.ports["segw"])


@pytest.mark.sctp
def test_trace_has_the_sctp_associations_addresses() -> None:
    """Kernel SCTP (TS 36.462 7): the primary addresses and ports of the association."""
    import asyncio

    from lwip_enb.io.sctp import SctpConnector, SctpListener, sctp_available

    require_peer(sctp_available(), "SCTP in this kernel (pysctp)")

    async def story() -> None:
        listener = SctpListener(["127.0.0.1"], port=0)
        port = listener.port  # read while the listener is open: the story closes it
        connector = SctpConnector(["127.0.0.1"], port=port)
        xwap, _assoc = await _addresses_over(listener, lambda: connector)
        _check_real_addresses(xwap, port)

    asyncio.run(asyncio.wait_for(story(), 120))
