"""Failures the runtimes must survive and report: a connector that raises anything, an on_rrc
callback that raises, an association the SeGW cannot tie to an eNB, an activation the
controller rejects."""

from __future__ import annotations

import asyncio
import errno
import logging

import pytest
from runtime_kit import FAST, MemoryTransport, Rig, drain, kenb_of, mac_of, run_async, until

from lwip_enb.core.controller import EnbConfig, EnbController
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import ActivationFailed, TunnelUp
from lwip_enb.errors import AssociationLost, InvalidFieldError, SegwNotReady
from lwip_enb.io import sctp as sctp_mod
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import CallbackFailed, EnbRuntime, LinkState, LinkStatus
from lwip_enb.io.transport import Association
from lwip_enb.peers.segw import EnbInterface, SegwModel
from lwip_enb.sim.runtimes import ModelAir, SegwRuntime

NO_SCTP = OSError(errno.EPROTONOSUPPORT, "Protocol not supported")


class FailingConnector:
    """Raises what a connector on a kernel without SCTP raised (a bare OSError) ``failures``
    times, then connects through ``inner`` (if any)."""

    def __init__(self, inner: object | None, failures: int) -> None:
        self.inner, self.failures, self.attempts = inner, failures, 0

    async def connect(self) -> Association:
        self.attempts += 1
        if self.inner is None or self.attempts <= self.failures:
            raise NO_SCTP
        return await self.inner.connect()  # type: ignore[attr-defined,no-any-return]


def _segw(net: MemoryNetwork, model: SegwModel | None = None) -> SegwRuntime:
    if model is None:
        model = SegwModel()
        model.add_enb("enb", EnbInterface("198.51.100.1"))
    return SegwRuntime(model, net.listener("segw"))


# --- 1: a connector that raises anything ---------------------------------------------------------


@run_async(30)
async def test_connector_error_is_logged_reported_and_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, "lwip_enb")
    net = MemoryNetwork()
    segw = _segw(net)
    connector = FailingConnector(net.connector("segw"), failures=3)
    enb = EnbRuntime()
    enb.add_segw("segw", "192.0.2.10", connector, backoff=FAST)
    async with segw, enb:
        await enb.wait_ready("segw", timeout=5)  # the link survived three OSErrors
        assert connector.attempts == 4
        events = await drain(enb.events)
    logged = [r for r in caplog.records if "Protocol not supported" in r.getMessage()]
    assert logged and logged[0].levelno >= logging.WARNING
    status = [e for e in events if isinstance(e, LinkStatus)]
    assert status[0].state is LinkState.DOWN and "Protocol not supported" in status[0].detail
    assert any(s.state is LinkState.UP for s in status[1:])


@run_async(30)
async def test_wait_ready_says_why_the_segw_is_not_ready() -> None:
    connector = FailingConnector(None, failures=0)
    enb = EnbRuntime()
    enb.add_segw("segw", "192.0.2.10", connector, backoff=FAST)
    async with enb:
        with pytest.raises(TimeoutError) as caught:
            await enb.wait_ready("segw", timeout=0.3)
        assert "Protocol not supported" in str(caught.value)
        assert isinstance(caught.value, SegwNotReady)
        attempts = connector.attempts
        await until(lambda: connector.attempts > attempts, timeout=5)  # still retrying


@run_async(10)
async def test_sctp_connector_reports_a_socket_failure_as_association_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A kernel without SCTP fails at socket creation, before connect: that too is a failed
    # connection attempt (AssociationLost), not a bare OSError out of connect().
    def no_sctp(family: int, streams: int) -> object:
        raise NO_SCTP

    monkeypatch.setattr(sctp_mod, "_new_sctp_socket", no_sctp)
    with pytest.raises(AssociationLost, match="Protocol not supported"):
        await sctp_mod.SctpConnector(["127.0.0.1"], port=9).connect()


# --- 2: an on_rrc callback that raises -----------------------------------------------------------


@run_async(30)
async def test_on_rrc_errors_are_logged_and_contained(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, "lwip_enb")
    config = EnbConfig(xwap_guard_s=1.0, rrc_guard_s=1.0)
    async with Rig(MemoryTransport(), config=config) as rig:
        air = rig.air
        calls = {"n": 0}

        async def flaky(ue: object, channel: object, pdu: bytes) -> None:
            calls["n"] += 1
            if ue == 1:
                raise RuntimeError("simulator bug")
            await air(ue, channel, pdu)  # type: ignore[arg-type]

        rig.enb.on_rrc = flaky
        await rig.activate(1)
        await until(lambda: calls["n"] >= 1)
        assert rig.enb.controller.segw_ready("segw")
        await rig.activate(2)  # the SeGW's answer for UE 2 is still read and handled
        await until(lambda: rig.enb.controller.state(2) is State.ACTIVE, timeout=5)
        events = await drain(rig.enb.events)
    assert any(isinstance(e, TunnelUp) and e.ue == 2 for e in events)
    assert not any(isinstance(e, ActivationFailed) and e.ue == 2 for e in events)
    failed = [e for e in events if isinstance(e, CallbackFailed)]
    assert failed and failed[0].ue == 1 and "simulator bug" in failed[0].error
    assert any(
        r.levelno >= logging.ERROR and "simulator bug" in r.getMessage() for r in caplog.records
    )


# --- 3: an association the SeGW cannot tie to an eNB ---------------------------------------------


@run_async(30)
async def test_segw_refuses_an_association_it_cannot_identify_and_keeps_accepting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, "lwip_enb")
    net = MemoryNetwork()
    model = SegwModel()  # add_enb forgotten
    segw = _segw(net, model)
    enb = EnbRuntime()
    enb.add_segw("segw", "192.0.2.10", net.connector("segw"), backoff=FAST)
    async with segw, enb:
        await until(lambda: any("add_enb" in r.getMessage() for r in caplog.records), timeout=5)
        refusal = next(r for r in caplog.records if "add_enb" in r.getMessage())
        assert refusal.levelno >= logging.ERROR
        assert not enb.controller.segw_ready("segw")
        model.add_enb("enb", EnbInterface("198.51.100.1"))
        await enb.wait_ready("segw", timeout=5)  # the accept loop is alive


@run_async(30)
async def test_segw_refuses_what_identify_cannot_name(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, "lwip_enb")
    net = MemoryNetwork()
    model = SegwModel()
    model.add_enb("enb-a", EnbInterface("198.51.100.1"))
    names = {"enb-a": "enb-a", "bad": "enb-unknown"}

    def identify(assoc: Association) -> str:
        if assoc.peer == "boom":
            raise LookupError("no such peer")
        return names[assoc.peer]

    segw = SegwRuntime(model, net.listener("segw"), identify=identify)
    async with segw:
        bad = await net.connector("segw", client="bad").connect()
        boom = await net.connector("segw", client="boom").connect()
        for assoc in (bad, boom):
            with pytest.raises(AssociationLost):
                async with asyncio.timeout(5):
                    await assoc.recv()  # closed by the SeGW
        good = EnbRuntime()
        good.add_segw("segw", "192.0.2.10", net.connector("segw", client="enb-a"))
        async with good:
            await good.wait_ready("segw", timeout=5)
    assert segw.refused == 2
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("enb-unknown" in m for m in messages)
    assert any("no such peer" in m for m in messages)


# --- 6: a rejected activation leaves nothing behind -----------------------------------------------


@run_async(30)
async def test_rejected_activation_leaves_no_ue_context() -> None:
    async with Rig(MemoryTransport()) as rig:
        with pytest.raises(InvalidFieldError):
            await rig.enb.activate(1, kenb=b"short", wlan_mac=mac_of(1))
        assert list(rig.enb.controller.ues()) == []
        assert rig.enb.controller.state(1) is State.IDLE
        await rig.activate(1)  # and the UE can then be activated properly
        await until(lambda: rig.enb.controller.state(1) is State.ACTIVE)


def test_controller_rejected_activation_leaves_no_ue_context() -> None:
    ctl = EnbController()
    ctl.add_segw("segw", "192.0.2.10")
    with pytest.raises(InvalidFieldError):
        ctl.activate(1, kenb=b"short", wlan_mac=mac_of(1), now=0.0)
    assert list(ctl.ues()) == []
    # a UE that already has a context keeps it (and its KeNB) when a later call is rejected
    ctl.activate(2, kenb=kenb_of(2), wlan_mac=mac_of(2), now=0.0)  # fails: no Xw association
    with pytest.raises(InvalidFieldError):
        ctl.activate(2, kenb=b"short", wlan_mac=mac_of(2), now=1.0)
    assert list(ctl.ues()) == [2]


def test_model_air_counts_rrc_for_unknown_ues() -> None:
    air = ModelAir(SegwModel())
    air.attach(EnbRuntime())
    asyncio.run(air("nobody", None, b""))  # type: ignore[arg-type]
    assert air.undelivered == 1
