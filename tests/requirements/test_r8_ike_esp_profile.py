"""R8: IKEv2 and ESP use the 3GPP profile (TS 33.210): the reference SeGW accepts every suite of
the profile lists, the mandatory ones alone included, and nothing else.

The same lists configure strongSwan; tests/real/test_strongswan_backend.py checks that charon
negotiates what :func:`choose` picks.
"""

from __future__ import annotations

import pytest
from helpers.simhelpers import events, new_sim

from lwip_enb.core.fsm import State
from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import derive_lwip_psk
from lwip_enb.peers.ike import (
    ESP_ALSO_ACCEPTED,
    ESP_MANDATORY,
    ESP_PROPOSALS,
    IKE_ALSO_ACCEPTED,
    IKE_MANDATORY,
    IKE_PROPOSALS,
    ModelIke,
    Transform,
    choose,
    parse_proposal,
)
from lwip_enb.peers.ue import UeModel, UeState
from lwip_enb.sim.simulation import Simulation

#: Suites no SeGW of this project accepts: each differs from a mandatory one in one transform.
IKE_REFUSED = (
    "3des-sha256-prfsha256-modp2048",  # 3DES
    "aes128-sha256-prfsha256-modp1024",  # DH group 2
    "aes128-sha256-prfsha256-modp1536",  # DH group 5
    "aes128-md5-prfsha256-modp2048",  # HMAC-MD5
    "aes128-sha256-prfmd5-modp2048",  # PRF HMAC-MD5
    "aes128-sha1-prfsha1-modp2048",  # SHA-1 only
)
ESP_REFUSED = ("3des-sha256", "aes128-md5", "null-sha256", "aes128gmac", "aes128-sha1")


def _sim_with_ue_offering(ike: tuple[str, ...], esp: tuple[str, ...]) -> Simulation:
    sim = new_sim()
    sim.ues[1] = UeModel(sim.kenb, sim.ues[1].wlan_mac, ike=ModelIke(ike, esp))
    sim.activate(1)
    return sim


def test_r8_profile_proposals_are_chosen() -> None:
    sim = _sim_with_ue_offering(("3des-sha1-modp1024", *IKE_PROPOSALS), ESP_PROPOSALS)
    assert sim.enb.state(1) is State.ACTIVE
    assert sim.ues[1].state is UeState.TUNNEL_UP


@pytest.mark.parametrize("esp", ESP_MANDATORY)
@pytest.mark.parametrize("ike", IKE_MANDATORY)
def test_r8_a_ue_offering_one_mandatory_suite_only_gets_a_tunnel(ike: str, esp: str) -> None:
    sim = _sim_with_ue_offering((ike,), (esp,))
    assert sim.enb.state(1) is State.ACTIVE and sim.ues[1].state is UeState.TUNNEL_UP
    assert events(sim, "segw", "ike-rejected") == []


def test_r8_a_ue_offering_the_mandatory_set_only_gets_a_tunnel() -> None:
    sim = _sim_with_ue_offering(IKE_MANDATORY, ESP_MANDATORY)
    assert sim.enb.state(1) is State.ACTIVE and sim.ues[1].state is UeState.TUNNEL_UP


@pytest.mark.parametrize("ike", IKE_PROPOSALS)
def test_r8_every_ike_suite_of_the_profile_is_accepted_alone(ike: str) -> None:
    assert choose((ike,), IKE_PROPOSALS, "ike") is not None


@pytest.mark.parametrize("esp", ESP_PROPOSALS)
def test_r8_every_esp_suite_of_the_profile_is_accepted_alone(esp: str) -> None:
    assert choose((esp,), ESP_PROPOSALS, "esp") is not None


@pytest.mark.parametrize(
    ("ike", "esp"),
    [
        (("3des-sha1-modp1024",), ESP_PROPOSALS),  # weak IKE only
        (("aes128-sha1-modp1024",), ESP_PROPOSALS),
        *(((p,), ESP_PROPOSALS) for p in IKE_REFUSED),
        (IKE_PROPOSALS, ("3des-md5",)),  # weak ESP only
        (IKE_PROPOSALS, ("null-sha1",)),
        *((IKE_PROPOSALS, (p,)) for p in ESP_REFUSED),
    ],
)
def test_r8_anything_outside_the_profile_is_refused(
    ike: tuple[str, ...], esp: tuple[str, ...]
) -> None:
    sim = _sim_with_ue_offering(ike, esp)
    rejected = events(sim, "segw", "ike-rejected")
    assert [r["reason"] for r in rejected] == ["no proposal of the 3GPP profile offered"]
    assert sim.ues[1].state is UeState.ASSOCIATED and not sim.ues[1].holds_psk  # no tunnel
    assert sim.enb.state(1) is not State.ACTIVE


ACCEPTABLE = [
    # (IKE proposals offered, ESP proposals offered), most preferred first, weak ones first, and
    # what the SeGW may pick from each: the offered suites that are in the profile (TS 33.210
    # 5.4 for IKEv2: AES-CBC or AES-GCM-16 with 128- or 256-bit keys, PRF-HMAC-SHA2-256,
    # HMAC-SHA2-256-128 with CBC, DH group 19 or 14; 5.3 for ESP: AES-GCM-16 or AES-CBC with
    # HMAC-SHA2-256-128, 128- or 256-bit keys), written out by hand in strongSwan's notation
    (
        ("3des-sha1-modp1024", "aes256-sha256-modp2048"),
        ("3des-md5", "aes256gcm16"),
        {"AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"},
        {"AES_GCM_16_256/NO_EXT_SEQ"},
    ),
    (
        ("aes128-sha1-modp1024", "aes256gcm16-prfsha256-ecp256"),
        ("null-sha1", "aes256-sha256"),
        {"AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256"},
        {"AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ"},
    ),
    (
        ("aes256-sha1-ecp256", "aes256gcm16-prfsha256-modp2048", "aes256-sha256-ecp256"),
        ("3des-sha1", "aes128gcm16", "aes256-sha256"),
        {
            "AES_GCM_16_256/PRF_HMAC_SHA2_256/MODP_2048",
            "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256",
        },
        {"AES_GCM_16_128/NO_EXT_SEQ", "AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ"},
    ),
    (
        ("aes256-sha256-modp1024", "aes128-sha256-ecp256"),
        ("aes256-sha1", "aes128-sha256"),
        {"AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256"},
        {"AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ"},
    ),
]


@pytest.mark.parametrize(("ike", "esp", "ike_ok", "esp_ok"), ACCEPTABLE)
def test_r8_segw_chooses_a_profile_proposal_from_the_offer(
    ike: tuple[str, ...], esp: tuple[str, ...], ike_ok: set[str], esp_ok: set[str]
) -> None:
    """R8: the IKEv2 SA and the ESP SA use the 3GPP profile. The UE offers sets that start with
    proposals outside the profile; the SeGW must pick, for each, a suite that was offered
    (RFC 7296 2.7) and is in the profile (the acceptable picks are written out above, not taken
    from the library)."""
    sim = new_sim()
    sim.ike_delay_s = 1000.0  # the test runs IKE itself
    sim.activate(1)
    tunnel = sim.ues[1].tunnel
    assert tunnel is not None and tunnel.counter is not None
    psk = derive_lwip_psk(sim.kenb_of(1), tunnel.counter)
    request = ModelIke(ike, esp).start(tunnel.idi, psk, sim.segw.ike_sa_init(sim.now))
    response, _ = sim.segw.ike_auth(request, sim.now)
    assert response.ok
    assert response.ike_proposal in ike_ok
    assert response.esp_proposal in esp_ok


def test_r8_profile_content() -> None:
    # The offered and accepted lists are exactly the profile's, mandatory suites included.
    assert sorted(IKE_PROPOSALS) == sorted(IKE_MANDATORY + IKE_ALSO_ACCEPTED)
    assert sorted(ESP_PROPOSALS) == sorted(ESP_MANDATORY + ESP_ALSO_ACCEPTED)
    # TS 33.210 clause 5.4: AES-CBC-128, HMAC-SHA2-256-128, PRF-HMAC-SHA2-256, DH 19 and 14.
    assert {choose((p,), IKE_PROPOSALS, "ike") for p in IKE_MANDATORY} == {
        "AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256",
        "AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
    }
    # TS 33.210 clause 5.3: AES-GCM-16 with 128-bit keys; AES-CBC-128 with HMAC-SHA2-256-128.
    assert {choose((p,), ESP_PROPOSALS, "esp") for p in ESP_MANDATORY} == {
        "AES_GCM_16_128/NO_EXT_SEQ",
        "AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ",
    }
    for p in IKE_PROPOSALS:
        proposal = parse_proposal(p, "ike")
        assert proposal.of(Transform.PRF) == ("PRF_HMAC_SHA2_256",)
        assert proposal.of(Transform.DH)[0] in ("ECP_256", "MODP_2048")
        assert proposal.of(Transform.ENCR)[0].startswith(("AES_CBC_", "AES_GCM_16_"))
    assert choose(("aes256gcm16",), ESP_PROPOSALS, "esp") == "AES_GCM_16_256/NO_EXT_SEQ"
    assert choose(("3des",), ESP_PROPOSALS, "esp") is None


def test_r8_the_responders_preference_decides_as_in_strongswan() -> None:
    # The UE prefers the mandatory 128-bit suite; the SeGW's first acceptable suite wins, within
    # a proposal too (strongSwan's default, checked against charon in tests/real).
    offered = ("aes128-sha256-prfsha256-modp2048", "aes256gcm16-prfsha256-ecp256")
    assert choose(offered, IKE_PROPOSALS) == "AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256"
    assert (
        choose(("aes128-aes256-sha256-modp2048-ecp256",), IKE_PROPOSALS)
        == "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256"
    )
    assert choose(("aes128-sha256", "aes256gcm16"), ESP_PROPOSALS, "esp") == (
        "AES_GCM_16_256/NO_EXT_SEQ"
    )


def test_r8_proposals_are_read_as_strongswan_reads_them() -> None:
    # no PRF named: the integrity algorithm's PRF
    assert parse_proposal("aes128-sha256-ecp256", "ike") == parse_proposal(
        "aes128-sha256-prfsha256-ecp256", "ike"
    )
    # AEAD: no integrity algorithm
    assert parse_proposal("aes128gcm16-prfsha256-ecp256", "ike").of(Transform.INTEG) == ()
    # the CHILD_SA of IKE_AUTH has no key exchange (RFC 7296 1.2): an ESP DH group is dropped
    assert parse_proposal("aes128-sha256-modp2048", "esp") == parse_proposal("aes128-sha256", "esp")
    assert choose(("aes128gcm16-esn",), ESP_PROPOSALS, "esp") is None  # ESN is not offered here
    for bad, kind in [
        ("aes128-sha256-bogus-ecp256", "ike"),
        ("aes128-sha256", "ike"),  # no DH group
        ("aes128gcm16-aes128-sha256-prfsha256-ecp256", "ike"),  # AEAD mixed with CBC
        ("aes128", "esp"),  # no integrity
        ("aes128-sha256-prfsha256", "esp"),
    ]:
        with pytest.raises(InvalidFieldError):
            parse_proposal(bad, kind)  # type: ignore[arg-type]
    # an offer the model cannot read is not chosen, and is no error
    assert choose(("aes128-sha256-bogus",), IKE_PROPOSALS) is None


def test_r8_an_offer_the_segw_cannot_read_does_not_hide_the_next_one() -> None:
    """RFC 7296 2.7: the responder picks from the proposals offered; one it does not understand
    is skipped, not the end of the offer."""
    offered = ("not-a-suite", "aes256gcm16-prfsha256-ecp256")
    assert choose(offered, IKE_PROPOSALS) == "AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256"
