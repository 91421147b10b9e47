"""The general codecs load before the runtimes serve, in a worker thread: a cold ASN.1 cache
(seconds of compiling) must not freeze the event loop past the guard timers."""

from __future__ import annotations

import threading

import pytest
from runtime_kit import run_async, until

from lwip_enb.asn1 import cache as asn1_cache
from lwip_enb.codec.warmup import warm_up
from lwip_enb.errors import AssociationLost
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import EnbRuntime
from lwip_enb.io.transport import Association
from lwip_enb.peers.segw import SegwModel
from lwip_enb.sim.runtimes import SegwRuntime


def test_warm_up_loads_both_codecs() -> None:
    info = warm_up()
    assert {"rrc", "xwap"} <= set(info)
    assert all(i.source in ("cache", "compiled") for i in info.values())


class _Recorder:
    """Records, in order, each codec load (and whether it ran off the loop's thread) and each
    connection attempt."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.loop_thread = threading.get_ident()
        self.order: list[tuple[str, bool]] = []
        real = asn1_cache._load

        def load(kind: str) -> object:
            self.order.append((kind, threading.get_ident() != self.loop_thread))
            return real(kind)

        monkeypatch.setattr(asn1_cache, "_load", load)

    async def connect(self) -> Association:
        self.order.append(("connect", threading.get_ident() != self.loop_thread))
        raise AssociationLost("nobody there")


@run_async(60)
async def test_enb_runtime_loads_the_codecs_in_a_thread_before_connecting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder = _Recorder(monkeypatch)
    enb = EnbRuntime()
    enb.add_segw("segw", "192.0.2.10", recorder)
    await enb.start()
    try:
        await until(lambda: ("connect", False) in recorder.order)
    finally:
        await enb.stop()
    first_connect = recorder.order.index(("connect", False))
    loads = recorder.order[:first_connect]
    assert {("rrc", True), ("xwap", True)} <= set(loads)


@run_async(60)
async def test_segw_runtime_loads_the_codecs_in_a_thread_before_accepting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder = _Recorder(monkeypatch)
    segw = SegwRuntime(SegwModel(), MemoryNetwork().listener("segw"))
    await segw.start()
    await segw.stop()
    assert ("xwap", True) in recorder.order


@run_async(30)
async def test_warm_up_can_be_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _Recorder(monkeypatch)
    enb = EnbRuntime(warm_up=False)
    await enb.start()
    await enb.stop()
    assert recorder.order == []
