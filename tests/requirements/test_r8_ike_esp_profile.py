"""R8: IKEv2 and ESP use the 3GPP profile (TS 33.210); the reference SeGW accepts nothing else."""

from __future__ import annotations

import pytest
from helpers.simhelpers import events, new_sim

from lwip_enb.core.fsm import State
from lwip_enb.keys import derive_lwip_psk
from lwip_enb.peers.ike import ESP_PROPOSALS, IKE_PROPOSALS, ModelIke
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


def _ike_in_profile(proposal: str) -> bool:
    """The IKEv2 profile of the spec notes (TS 33.210 style), in strongSwan's proposal syntax,
    written here by hand: AES-GCM-16 with a 256-bit key and PRF-HMAC-SHA-256, or AES-CBC-256 with
    HMAC-SHA-256 (integrity and PRF); Diffie-Hellman group 19 (ecp256) or 14 (modp2048)."""
    *algorithms, dh = proposal.split("-")
    return dh in ("ecp256", "modp2048") and algorithms in (
        ["aes256gcm16", "prfsha256"],
        ["aes256", "sha256"],
    )


def _esp_in_profile(proposal: str) -> bool:
    """ESP of the same profile: AES-GCM-16-256, or AES-CBC-256 with HMAC-SHA-256-128."""
    return proposal in ("aes256gcm16", "aes256-sha256")


OFFERS = [
    # (IKE proposals offered, ESP proposals offered), most preferred first, weak ones first
    (("3des-sha1-modp1024", "aes256-sha256-modp2048"), ("3des-md5", "aes256gcm16")),
    (("aes128-sha1-modp1024", "aes256gcm16-prfsha256-ecp256"), ("null-sha1", "aes256-sha256")),
    (("aes256-sha1-ecp256", "aes256gcm16-prfsha256-modp2048", "aes256-sha256-ecp256"),
     ("aes128gcm16", "aes256gcm16", "aes256-sha256")),
    (("aes256-sha256-modp1024", "aes256-sha256-ecp256"), ("aes256-sha1", "aes256gcm16")),
]  # fmt: skip


@pytest.mark.parametrize(("ike", "esp"), OFFERS)
def test_r8_segw_chooses_a_profile_proposal_from_the_offer(
    ike: tuple[str, ...], esp: tuple[str, ...]
) -> None:
    """R8: the IKEv2 SA and the ESP SA use the 3GPP profile. The UE offers sets that start with
    proposals outside the profile; the SeGW must pick, for each, one proposal that was offered
    (RFC 7296 2.7) and is in the profile (written out above, not taken from the library)."""
    sim = new_sim()
    sim.ike_delay_s = 1000.0  # the test runs IKE itself
    sim.activate(1)
    tunnel = sim.ues[1].tunnel
    assert tunnel is not None and tunnel.counter is not None
    psk = derive_lwip_psk(sim.kenb_of(1), tunnel.counter)
    request = ModelIke(ike, esp).start(tunnel.idi, psk, sim.segw.ike_sa_init(sim.now))
    response, _ = sim.segw.ike_auth(request, sim.now)
    assert response.ok
    assert response.ike_proposal in ike and _ike_in_profile(response.ike_proposal)
    assert response.esp_proposal in esp and _esp_in_profile(response.esp_proposal)
