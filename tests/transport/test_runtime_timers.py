"""The runtimes fire the timers of their sans-IO nodes: the eNB's guard timer (an LWIP ADDITION
REQUEST the SeGW never answers ends in a failed activation) and the reference SeGW's IKE window
(R4: a PSK no UE used is deleted and the eNB asked to release).

Over the in-memory transport; the peer at the other end of the association is written here with
pycrate PDUs (helpers/spec_pdus.py). Timers are short; the tests wait for the outcome, never
measure how long it took (the asyncio.timeout around each wait only stops a hung test).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine

from helpers import spec_pdus as pdus

from lwip_enb.core.controller import ActivationFailed, EnbConfig, EnbController
from lwip_enb.core.fsm import State
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import Backoff, EnbRuntime
from lwip_enb.peers.segw import EnbInterface, PskDeleted, SegwConfig, SegwModel
from lwip_enb.sim.runtimes import SegwRuntime

HUNG = 10.0  # seconds: only a test that never gets its outcome waits this long


def run_async(fn: Callable[[], Coroutine[object, object, None]]) -> Callable[[], None]:
    @functools.wraps(fn)
    def wrapper() -> None:
        asyncio.run(fn())

    return wrapper


async def _silent_segw(net: MemoryNetwork, received: list[str]) -> None:
    """A WT that completes Xw Setup (36.463 8.2.2) and then answers nothing."""
    assoc = await net.listener("segw").accept()
    while True:
        frame = await assoc.recv()
        name = pdus.read(frame.data)[3]
        received.append(name)
        if name == "XwSetupRequest":
            await assoc.send(pdus.xw_setup_response(), stream=0)


@run_async
async def test_ts36463_8_14_enb_runtime_guard_timer_fails_an_unanswered_addition() -> None:
    """TS 36.463 8.14: the eNB waits for LWIP ADDITION REQUEST ACKNOWLEDGE or REJECT; the
    controller guards the wait with a timer. Through EnbRuntime, with a WT that never answers,
    the guard must fire: the activation fails and the UE is back to IDLE."""
    net = MemoryNetwork()
    received: list[str] = []
    segw = asyncio.create_task(_silent_segw(net, received))
    enb = EnbRuntime(EnbController(EnbConfig(xwap_guard_s=0.05)))
    enb.add_segw("segw", "192.0.2.10", net.connector("segw"), backoff=Backoff(0.01, 0.05))
    try:
        async with enb:
            await enb.wait_ready("segw", timeout=HUNG)
            await enb.activate(1, kenb=bytes(32), wlan_mac="02:00:00:00:00:01")
            assert enb.controller.state(1) is State.ADDING
            async with asyncio.timeout(HUNG):
                while not isinstance(event := await enb.events.get(), ActivationFailed):
                    pass
            assert event.ue == 1 and event.cause is None  # no REJECT: the guard ended it
            assert enb.controller.state(1) is State.IDLE
            assert received == ["XwSetupRequest", "LWIPAdditionRequest"]  # nothing answered
    finally:
        segw.cancel()
        await asyncio.gather(segw, return_exceptions=True)


@run_async
async def test_r4_segw_runtime_ike_window_deletes_an_unused_psk() -> None:
    """R4 (TS 33.401 16.2.2 Note): the LWIP-SeGW accepts IKEv2 only within its window and may then
    delete LWIP-PSK and IDi. Through SegwRuntime, with no UE ever running IKE, the window timer
    must fire: the PSK is deleted and (reference SeGW's configuration) the eNB receives LWIP
    RELEASE REQUIRED (TS 36.463 8.17.2) for the UE."""
    net = MemoryNetwork()
    model = SegwModel(SegwConfig(ike_window_s=0.05))
    model.add_enb("enb", EnbInterface("198.51.100.1"))
    idi = bytes(range(16))
    async with SegwRuntime(model, net.listener("segw")) as segw:
        assoc = await net.connector("segw").connect()
        await assoc.send(pdus.xw_setup_request(), stream=0)
        async with asyncio.timeout(HUNG):
            assert pdus.read((await assoc.recv()).data)[3] == "XwSetupResponse"
            mac = bytes.fromhex("020000000001")
            await assoc.send(pdus.lwip_addition_request(7, mac, bytes(32), idi), stream=1)
            ack = pdus.read((await assoc.recv()).data)
            assert ack[3] == "LWIPAdditionRequestAcknowledge"
            required = pdus.read((await assoc.recv()).data)
            while not isinstance(event := await segw.events.get(), PskDeleted):
                pass
        assert required[:2] == ("initiatingMessage", pdus.WT_INITIATED_LWIP_RELEASE)
        assert pdus.ue_id(required[4][pdus.ID_ENB_UE_XWAP_ID]) == 7
        assert required[4][pdus.ID_WT_UE_XWAP_ID] == ack[4][pdus.ID_WT_UE_XWAP_ID]
        assert event.idi == idi and not model.has_psk(idi)
        await assoc.close()
