"""TS 33.401 (LWIP-PSK freshness): the eNB never uses one lwip-Counter twice under one KeNB, also
when that KeNB comes back after the UE's context was dropped (``forget``) or after the UE went
A -> B -> A. The counter is read from the RRC set-up with pycrate (helpers/spec_pdus.py)."""

from __future__ import annotations

from helpers import spec_pdus as pdus

from lwip_enb.core.controller import EnbController, HandoverKind
from lwip_enb.core.outputs import SendRrc, SendXwap

KENB_A = bytes(range(32))
KENB_B = bytes(range(1, 33))


def _ready() -> EnbController:
    enb = EnbController()
    enb.add_segw("segw", "192.0.2.10")
    enb.receive_xwap("segw", pdus.xw_setup_response(), 0.0)
    return enb


def _counter_sent(enb: EnbController, ue: int, kenb: bytes, now: float) -> int:
    out = enb.activate(ue, kenb=kenb, wlan_mac="02:00:00:00:00:01", now=now)
    (request,) = [o.pdu for o in out if isinstance(o, SendXwap)]
    enb_ue_id = pdus.ue_id(pdus.read(request)[4][pdus.ID_ENB_UE_XWAP_ID])
    out = enb.receive_xwap("segw", pdus.lwip_addition_request_acknowledge(enb_ue_id, 7), now)
    (setup,) = [o.pdu for o in out if isinstance(o, SendRrc)]
    found: list[int] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "lwip-Counter-r13":
                    found.append(value)
                walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(pdus.read_dl_dcch(setup)[1])
    (counter,) = found
    return counter


def test_ts33401_lwip_counter_not_reused_when_kenb_returns_after_forget() -> None:
    enb = _ready()
    assert _counter_sent(enb, 1, KENB_A, 0.0) == 0
    enb.forget(1, 1.0)
    assert enb.ue_info(1) is None
    assert _counter_sent(enb, 1, KENB_A, 2.0) == 1  # not 0 again


def test_ts33401_lwip_counter_not_reused_when_kenb_returns_a_b_a() -> None:
    enb = _ready()
    assert _counter_sent(enb, 1, KENB_A, 0.0) == 0
    enb.handover(1, HandoverKind.X2, 1.0, new_kenb=KENB_B)
    assert _counter_sent(enb, 1, KENB_B, 2.0) == 0
    enb.handover(1, HandoverKind.X2, 3.0, new_kenb=KENB_A)
    assert _counter_sent(enb, 1, KENB_A, 4.0) == 1


def test_kenb_memory_is_bounded_and_keeps_no_key_material() -> None:
    from lwip_enb.keys import KenbMemory, LwipSecurityContext

    memory = KenbMemory(limit=2)
    for first in range(3):
        kenb = bytes([first]) * 32
        with LwipSecurityContext(kenb, memory=memory).next_psk():
            pass
    assert len(memory._last) == 2
    assert all(len(f) == 16 and f not in (bytes([i]) * 32 for i in range(3)) for f in memory._last)
    # the oldest KeNB was forgotten: it starts at 0 again; the newest goes on
    assert LwipSecurityContext(bytes([0]) * 32, memory=memory).next_psk().counter == 0
    assert LwipSecurityContext(bytes([2]) * 32, memory=memory).next_psk().counter == 1
