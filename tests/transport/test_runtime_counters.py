"""The runtime's counters (lwip_enb.core.counters through EnbRuntime.counters).

With two SeGWs (TS 36.463: an Xw association each), an activation on each and a deactivation on
one land under their own SeGW: Xw Setup (8.2) and LWIP ADDITION (8.14) on both, LWIP RELEASE
(8.16) on one. ``stop()`` logs the snapshot at INFO, as JSON that reads back to the snapshot
taken just before it (stop's own releases included).
"""

from __future__ import annotations

import json
import logging

import pytest
from runtime_kit import Rig, run_async, until

from lwip_enb.core.counters import CounterSnapshot
from lwip_enb.core.fsm import State


def test_counts_per_segw_and_the_info_line_on_stop(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="lwip_enb.runtime")
    snapshots: dict[str, CounterSnapshot] = {}

    @run_async()
    async def story() -> None:
        async with Rig(segws=("a", "b")) as rig:
            await rig.activate(1, segw="a")
            await rig.activate(2, segw="b")
            await until(lambda: all(rig.enb.state(ue) is State.ACTIVE for ue in (1, 2)))
            await rig.enb.deactivate(2)
            await until(lambda: rig.enb.state(2) is State.IDLE)
            snapshots["before"] = rig.enb.counters.snapshot()
            assert rig.enb.counters is rig.enb.controller.counters
        snapshots["after"] = rig.enb.counters.snapshot()

    story()
    before, after = snapshots["before"], snapshots["after"]
    segws = before["segws"]
    assert set(segws) == {"a", "b"}
    for name in ("a", "b"):
        assert segws[name]["activations"] == {"succeeded": 1}
        assert segws[name]["xwap_out"]["XwSetupRequest"] == 1
        assert segws[name]["xwap_out"]["LWIPAdditionRequest"] == 1
        assert segws[name]["xwap_in"]["XwSetupResponse"] == 1
    assert segws["b"]["releases"] == {"deactivated": 1}
    assert segws["a"]["releases"] == {}
    assert "LWIPReleaseRequest" not in segws["a"]["xwap_out"]
    # stop() released UE 1 at SeGW a
    assert after["segws"]["a"]["releases"] == {"deactivated": 1}
    lines = [r for r in caplog.records if "counters:" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO
    logged = json.loads(lines[0].getMessage().split("counters: ", 1)[1])
    assert logged == after.to_json()
