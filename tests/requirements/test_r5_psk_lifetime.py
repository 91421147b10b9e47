"""R5: SeGW and UE store the LWIP-PSK after IKE and delete it when the tunnel is released;
the eNB keeps no copy once sent."""

from __future__ import annotations

from helpers.simhelpers import events, new_sim

from lwip_enb.codec import xwap
from lwip_enb.core.controller import HandoverKind
from lwip_enb.core.outputs import PskDeleted, SendXwap
from lwip_enb.keys import derive_lwip_psk
from lwip_enb.sim.testing import ready_controller


def test_r5_psk_held_while_up_and_deleted_on_release() -> None:
    sim = new_sim()
    sim.activate(1)
    idi = sim.enb.idi(1)
    assert idi is not None
    assert sim.segw.has_psk(idi.octets) and sim.ues[1].holds_psk
    assert [r["phase"] for r in events(sim, "segw", "psk-stored")] == ["window", "tunnel"]
    assert events(sim, "ue", "psk-stored")
    # The eNB wiped its copy when the addition was encoded.
    assert events(sim, "enb", "psk-deleted")[0]["t"] == 0.0
    sim.deliver(sim.enb.deactivate(1, sim.now))
    assert not sim.segw.has_psk(idi.octets) and not sim.ues[1].holds_psk
    assert events(sim, "segw", "psk-deleted") and events(sim, "ue", "psk-deleted")


def test_r5_enb_psk_copy_is_wiped_once_encoded() -> None:
    enb = ready_controller()
    out = enb.activate(1, kenb=bytes(32), wlan_mac="02:00:00:00:00:01", now=0.0)
    (send,) = [o for o in out if isinstance(o, SendXwap)]
    assert isinstance(send.message, xwap.LwipAdditionRequest)
    assert send.message.security.psk.wiped
    assert PskDeleted(1, 0) in out
    # The PDU itself carries the PSK (that is its job): decoded, it is the derived key.
    decoded = xwap.decode(send.pdu)
    assert isinstance(decoded, xwap.LwipAdditionRequest)
    assert decoded.security.psk == derive_lwip_psk(bytes(32), 0)


def test_r5_handover_leaves_no_psk_anywhere() -> None:
    sim = new_sim()
    sim.activate(1)
    sim.handover(1, HandoverKind.X2, bytes(range(2, 34)))
    assert sim.segw.psk_count() == 0 and not sim.ues[1].holds_psk
