"""R8: IKEv2 and ESP use the 3GPP profile (TS 33.210); the reference SeGW accepts nothing else."""

from __future__ import annotations

import pytest
from helpers.simhelpers import events, new_sim

from lwip_enb.core.fsm import State
from lwip_enb.peers.ike import ESP_PROPOSALS, IKE_PROPOSALS, ModelIke, choose
from lwip_enb.peers.ue import UeModel, UeState
from lwip_enb.sim.simulation import Simulation


def _sim_with_ue_offering(ike: tuple[str, ...], esp: tuple[str, ...]) -> Simulation:
    sim = new_sim()
    sim.ues[1] = UeModel(sim.kenb, sim.ues[1].wlan_mac, ike=ModelIke(ike, esp))
    sim.activate(1)
    return sim


def test_r8_profile_proposals_are_chosen() -> None:
    sim = _sim_with_ue_offering(("3des-sha1-modp1024", *IKE_PROPOSALS), ESP_PROPOSALS)
    assert sim.enb.state(1) is State.ACTIVE
    assert sim.ues[1].state is UeState.TUNNEL_UP


@pytest.mark.parametrize(
    ("ike", "esp"),
    [
        (("3des-sha1-modp1024",), ESP_PROPOSALS),  # weak IKE only
        (("aes128-sha1-modp1024",), ESP_PROPOSALS),
        (IKE_PROPOSALS, ("3des-md5",)),  # weak ESP only
        (IKE_PROPOSALS, ("null-sha1",)),
    ],
)
def test_r8_anything_outside_the_profile_is_refused(
    ike: tuple[str, ...], esp: tuple[str, ...]
) -> None:
    sim = _sim_with_ue_offering(ike, esp)
    rejected = events(sim, "segw", "ike-rejected")
    assert [r["reason"] for r in rejected] == ["no proposal of the 3GPP profile offered"]
    assert sim.ues[1].state is UeState.CONFIGURED and not sim.ues[1].holds_psk
    assert sim.enb.state(1) is not State.ACTIVE


def test_r8_profile_content() -> None:
    # TS 33.210: AES (GCM or CBC+HMAC-SHA-256) with PRF-HMAC-SHA-256, DH group 19 or 14.
    for p in IKE_PROPOSALS:
        assert (
            p.startswith("aes256")
            and "sha256" in p
            and p.rsplit("-", 1)[1] in ("ecp256", "modp2048")
        )
    assert choose(("aes256gcm16",), ESP_PROPOSALS) == "aes256gcm16"
    assert choose(("3des",), ESP_PROPOSALS) is None
