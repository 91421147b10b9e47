"""The strongSwan backend for real: IKEv2 with the LWIP-PSK, and ESP, between a UE and an
LWIP-SeGW, each a charon in its own network namespace, with the eNB in a third (R1, R2, R5, R6,
R7, R8, R11).

Needs root and strongSwan (``.ci/strongswan-deps`` installs it): without them the tests skip, and
fail under ``LWIP_ENB_STRICT=1``. One topology and two charons serve the whole module.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pytest
from conftest import require_peer

from lwip_enb.errors import InvalidFieldError, StrongswanError
from lwip_enb.keys import Idi, IdiAllocator, LwipCounter, derive_lwip_psk
from lwip_enb.peers.ike import (
    ESP_MANDATORY,
    ESP_PROPOSALS,
    IKE_MANDATORY,
    IKE_PROPOSALS,
    choose,
)
from lwip_enb.real.backends import SegwBackend, UeBackend
from lwip_enb.real.daemon import Charon, render_strongswan_conf
from lwip_enb.real.host import available
from lwip_enb.real.topology import Topology

KENB = bytes(range(0x40, 0x60))


@dataclass
class Lab:
    topo: Topology
    segw: SegwBackend
    ue: UeBackend
    segw_charon: Charon
    ue_charon: Charon
    counter: LwipCounter = field(default_factory=LwipCounter)
    idis: IdiAllocator = field(default_factory=IdiAllocator)
    # hex of every PSK used, to look for in logs afterwards; never in a repr or failure report
    used_psks: list[str] = field(default_factory=list, repr=False)

    def add_at_segw(self, idi: Idi, counter: int) -> None:
        """What the SeGW gets in LWIP ADDITION REQUEST: the eNB's derived PSK, wiped after."""
        with derive_lwip_psk(KENB, counter) as psk:
            self.used_psks.append(psk.hex())
            self.segw.add(idi, psk, self.topo.enb_lwip)

    def connect_ue(
        self,
        idi: Idi,
        counter: int,
        ike: tuple[str, ...] | None = None,
        esp: tuple[str, ...] | None = None,
    ) -> bool:
        """The UE derives the PSK itself from KeNB and the counter it got in RRC (R1, R2),
        offering ``ike`` / ``esp`` (default: the profile lists)."""
        with derive_lwip_psk(KENB, counter) as psk:
            self.used_psks.append(psk.hex())
            return self.ue.connect(
                self.topo.segw_wlan, idi, psk, ike_proposals=ike, esp_proposals=esp
            )

    def up(self) -> tuple[Idi, int]:
        idi, counter = self.idis.allocate(), self.counter.allocate()
        self.add_at_segw(idi, counter)
        assert self.connect_ue(idi, counter), self.ue.last_failure
        return idi, counter


@pytest.fixture(scope="module")
def module_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab | None]:
    if not available()[0]:
        yield None  # each test's require_peer() then skips (or fails, in strict mode)
        return
    base = tmp_path_factory.mktemp("strongswan")
    with (
        Topology() as topo,
        Charon(topo.namespace("segw"), base / "segw") as segw_charon,
        Charon(topo.namespace("ue"), base / "ue") as ue_charon,
        SegwBackend(
            segw_charon, wlan_address=topo.segw_wlan, pool="192.0.2.100-192.0.2.109"
        ) as segw,
        UeBackend(ue_charon, wlan_address=topo.ue_wlan, segw_address=topo.segw_wlan) as ue,
    ):
        yield Lab(topo, segw, ue, segw_charon, ue_charon)


@pytest.fixture
def lab(module_lab: Lab | None) -> Iterator[Lab]:
    # None only when strongSwan is missing, and then the test stops at require_peer() first.
    yield cast(Lab, module_lab)
    if module_lab is None or module_lab.topo.marker is None:
        return  # no strongSwan, or the run was closed under us (SIGTERM/SIGINT)
    if not module_lab.topo.wlan_is_up():
        module_lab.topo.wlan_up()
    module_lab.ue.disconnect()
    module_lab.segw.remove_all()


def charon_id(idi: Idi) -> str:
    """How charon prints an ID_KEY_ID: the octets in hex joined by ':' (as text if printable)."""
    if all(0x20 <= b < 0x7F for b in idi.octets):
        return idi.octets.decode()
    return ":".join(f"{b:02x}" for b in idi.octets)


def only_child(sa: dict[str, object]) -> dict[str, object]:
    children = sa["child-sas"]
    assert isinstance(children, dict) and len(children) == 1, children
    (child,) = children.values()
    assert isinstance(child, dict)
    return child


def _encr(sa: dict[str, object]) -> str:
    name, size = str(sa["encr-alg"]), sa.get("encr-keysize")
    return f"{name}_{size}" if size else name


def negotiated(sa: dict[str, object]) -> tuple[str, str]:
    """What charon negotiated for an IKE_SA and its CHILD_SA, printed as
    :func:`lwip_enb.peers.ike.choose` prints a pick."""
    ike = [_encr(sa), sa.get("integ-alg"), sa.get("prf-alg"), sa.get("dh-group")]
    child = only_child(sa)
    esn = "EXT_SEQ" if child.get("esn") == "1" else "NO_EXT_SEQ"
    esp = [_encr(child), child.get("integ-alg"), child.get("dh-group"), esn]
    return "/".join(str(x) for x in ike if x), "/".join(str(x) for x in esp if x)


def reachable(topo: Topology, probes: dict[str, tuple[str, str, str | None]]) -> dict[str, bool]:
    """Ping every probe ``name: (namespace, destination, source)`` at once (2 tries, 1 s)."""
    with ThreadPoolExecutor(max_workers=len(probes)) as pool:
        futures = {
            name: pool.submit(topo.ping, ns, dst, count=2, timeout_s=1.0, source=src)
            for name, (ns, dst, src) in probes.items()
        }
        return {name: f.result() for name, f in futures.items()}


def log_since(path: Path, offset: int) -> str:
    with path.open(errors="replace") as f:
        f.seek(offset)
        return f.read()


@pytest.mark.strongswan
def test_r1_r2_r8_tunnel_with_the_lwip_psk_carries_a_real_ping(lab: Lab) -> None:
    require_peer(*available())
    topo = lab.topo
    mark = lab.segw.event_mark()
    idi, _ = lab.up()
    assert lab.segw.tunnel_up(idi) and lab.ue.tunnel_up()
    assert lab.segw.wait_event("up", idi, layer="child", after=mark, timeout_s=5.0) is not None

    (sa,) = lab.segw.sas()
    assert sa["name"] == lab.segw.conn_name(idi)
    # R2: the UE ran IKE to the SeGW address it was given, presenting the IDi it was given
    # (as ID_KEY_ID); the SeGW accepted it with the PSK derived from KeNB and the counter (R1).
    assert (sa["state"], sa["remote-host"], sa["local-host"]) == (
        "ESTABLISHED",
        topo.ue_wlan,
        topo.segw_wlan,
    )
    assert sa["remote-id"] == charon_id(idi)
    # R8: the TS 33.210 profile.
    algs = (sa["encr-alg"], sa["encr-keysize"], sa["prf-alg"], sa["dh-group"])
    assert algs == ("AES_GCM_16", "256", "PRF_HMAC_SHA2_256", "ECP_256")
    child = only_child(sa)
    assert (child["protocol"], child["mode"], child["encr-alg"], child["encr-keysize"]) == (
        "ESP",
        "TUNNEL",
        "AES_GCM_16",
        "256",
    )
    vip = lab.ue.virtual_ip()
    assert vip is not None and vip.startswith("192.0.2.")
    assert child["local-ts"] == [f"{topo.enb_lwip}/32"] and child["remote-ts"] == [f"{vip}/32"]

    # A real ping from the UE namespace reaches the eNB's LWIP address, and back.
    assert topo.ping_count("ue", topo.enb_lwip, count=3) == 3
    assert topo.ping("enb", vip, count=2, source=topo.enb_lwip)
    # ... through the ESP SA: the SeGW's CHILD_SA counted the packets.
    child = only_child(lab.segw.sas()[0])
    assert int(str(child["packets-in"])) >= 4 and int(str(child["packets-out"])) >= 4


@pytest.mark.strongswan
def test_r6_r7_only_the_enb_lwip_address_is_reachable_and_only_through_the_tunnel(
    lab: Lab,
) -> None:
    require_peer(*available())
    topo = lab.topo
    # No tunnel: the UE's packets to the eNB reach the SeGW in clear and are dropped there (R6).
    before = topo.drop_counts()
    assert not topo.ping("ue", topo.enb_lwip, count=2)
    assert topo.drop_counts()["r6-from-wlan"] - before["r6-from-wlan"] >= 2

    lab.up()
    vip = lab.ue.virtual_ip()
    assert vip is not None
    # The UE asked for everything (0.0.0.0/0); the SeGW granted the eNB's LWIP address only (R7).
    assert lab.ue.remote_ts == ("0.0.0.0/0",)
    assert only_child(lab.ue.sas()[0])["remote-ts"] == [f"{topo.enb_lwip}/32"]

    before = topo.drop_counts()
    seen = reachable(
        topo,
        {
            "ue -> enb lwip": ("ue", topo.enb_lwip, None),
            "ue -> enb other": ("ue", topo.enb_other, None),
            "ue(vip) -> enb other": ("ue", topo.enb_other, vip),
            "ue -> segw lan": ("ue", topo.segw_lan, None),
            "ue(vip) -> segw lan": ("ue", topo.segw_lan, vip),
            "ue -> segw wlan": ("ue", topo.segw_wlan, None),
            "enb(lwip) -> ue vip": ("enb", vip, topo.enb_lwip),
            "enb(other) -> ue vip": ("enb", vip, topo.enb_other),
            "enb(lwip) -> ue wlan": ("enb", topo.ue_wlan, topo.enb_lwip),
            "enb(other) -> ue wlan": ("enb", topo.ue_wlan, topo.enb_other),
        },
    )
    expected = dict.fromkeys(seen, False) | {"ue -> enb lwip": True, "enb(lwip) -> ue vip": True}
    assert seen == expected
    after = topo.drop_counts()
    dropped = {rule: after[rule] - before[rule] for rule in after}
    # The refused packets were really offered to the SeGW and dropped by the R6 rules.
    assert dropped["r6-from-wlan"] >= 4  # UE -> 198.51.100.2, from its WLAN address and its VIP
    assert dropped["r6-wlan-input"] >= 6  # UE -> the SeGW itself, in clear
    assert dropped["r6-to-wlan"] >= 4  # eNB -> the UE's WLAN address, in clear

    # Tunnel torn down: nothing reaches the eNB any more.
    lab.ue.disconnect()
    assert lab.ue.sas() == []
    before = topo.drop_counts()
    assert not topo.ping("ue", topo.enb_lwip, count=2)
    assert topo.drop_counts()["r6-from-wlan"] - before["r6-from-wlan"] >= 2


@pytest.mark.strongswan
def test_r1_r3_wrong_psk_or_unknown_idi_fails_ike(lab: Lab) -> None:
    require_peer(*available())
    idi, counter = lab.idis.allocate(), lab.counter.allocate()
    lab.add_at_segw(idi, counter)
    segw_log = lab.segw_charon.log_path

    # The UE derives with another counter: not the LWIP-PSK the SeGW holds (R1).
    offset = segw_log.stat().st_size
    assert not lab.connect_ue(idi, lab.counter.allocate())
    assert lab.ue.last_failure == "AUTHENTICATION_FAILED"
    assert "MAC mismatched" in log_since(segw_log, offset)
    assert lab.segw.sas() == [] and lab.ue.sas() == []
    assert lab.ue.shared_ids() == set() and lab.ue.conn_names() == set()  # nothing kept

    # An IDi the SeGW was never given, with the right PSK: the PSK is found by IDi only (R3).
    offset = segw_log.stat().st_size
    assert not lab.connect_ue(lab.idis.allocate(), counter)
    assert lab.ue.last_failure == "AUTHENTICATION_FAILED"
    assert "no matching peer config found" in log_since(segw_log, offset)
    assert lab.segw.sas() == [] and lab.ue.sas() == []

    # Control: the right pair works, so the failures above were the credentials'.
    assert lab.connect_ue(idi, counter)
    assert lab.segw.tunnel_up(idi)


@pytest.mark.strongswan
def test_r5_segw_remove_deletes_sa_and_psk_at_both_ends(lab: Lab) -> None:
    require_peer(*available())
    idi, counter = lab.up()
    name = lab.segw.conn_name(idi)
    assert lab.segw.has_psk(idi) and name in lab.segw.conn_names()
    assert lab.ue.conn_name(idi) in lab.ue.shared_ids()

    ue_mark = lab.ue.event_mark()
    assert lab.segw.remove(idi)
    assert lab.segw.sas() == []
    assert lab.segw.shared_ids() == set() and lab.segw.conn_names() == set()
    # The SeGW's DELETE reached the UE: its IKE_SA went down too.
    assert lab.ue.wait_event("down", idi, layer="ike", after=ue_mark, timeout_s=5.0) is not None
    assert lab.ue.sas() == []
    assert not lab.topo.ping("ue", lab.topo.enb_lwip)

    # The UE releases too (R5): its PSK and connection go.
    lab.ue.disconnect()
    assert lab.ue.shared_ids() == set() and lab.ue.conn_names() == set()
    assert lab.ue.sas() == []

    # The SeGW no longer accepts that IDi and PSK, and removing again finds nothing.
    assert not lab.connect_ue(idi, counter)
    assert lab.segw.sas() == [] and lab.ue.sas() == []
    assert lab.segw.shared_ids() == set() and lab.ue.shared_ids() == set()
    assert not lab.segw.remove(idi)


@pytest.mark.strongswan
@pytest.mark.slow
def test_r11_wlan_drop_is_detected_and_a_fresh_tunnel_follows(
    lab: Lab, request: pytest.FixtureRequest
) -> None:
    require_peer(*available())
    topo = lab.topo
    first_idi, first_counter = lab.up()
    assert topo.ping("ue", topo.enb_lwip)

    segw_mark, ue_mark = lab.segw.event_mark(), lab.ue.event_mark()
    t0 = time.monotonic()
    topo.wlan_down()
    down = lab.segw.wait_event("down", first_idi, layer="ike", after=segw_mark, timeout_s=10.0)
    assert down is not None, "the SeGW did not see the tunnel go down within 10 s"
    request.node.user_properties.append(("segw_detects_wlan_drop_s", round(down.at - t0, 2)))
    assert not lab.segw.tunnel_up(first_idi) and lab.segw.sas() == []
    # The UE's dead peer detection ends its side as well.
    assert lab.ue.wait_event("down", first_idi, after=ue_mark, timeout_s=10.0) is not None

    # The release that follows (XwAP at the SeGW, RRC at the UE) removes the old credentials.
    assert lab.segw.remove(first_idi)
    lab.ue.disconnect()

    topo.wlan_up()
    second_idi, second_counter = lab.up()
    assert second_idi != first_idi and second_counter > first_counter
    assert derive_lwip_psk(KENB, second_counter) != derive_lwip_psk(KENB, first_counter)
    assert lab.segw.idis() == [second_idi]
    assert topo.ping_count("ue", topo.enb_lwip, count=3) == 3


@pytest.mark.strongswan
def test_key_material_stays_out_of_logs_errors_and_reprs(lab: Lab) -> None:
    require_peer(*available())
    idi, counter = lab.up()
    with pytest.raises(StrongswanError) as refused:
        lab.add_at_segw(idi, counter)  # an IDi names one PSK (R3): a second add is refused
    texts = [
        str(refused.value),
        repr(refused.value),
        repr(lab.segw),
        repr(lab.ue),
        repr(lab.topo),
        repr(lab.segw_charon),
        repr(lab.ue_charon),
        repr(lab.segw.sas()),
        repr(lab.ue.sas()),
    ]
    for charon in (lab.segw_charon, lab.ue_charon):
        for path in charon.directory.glob("*.log"):
            texts.append(path.read_text(errors="replace"))
    # charon logs keys at level 4: a configuration asking for it is refused.
    with pytest.raises(InvalidFieldError, match="level 4 logs keys"):
        render_strongswan_conf(lab.segw_charon.directory, log_levels={"ike": 4})
    assert "= 4" not in lab.segw_charon.conf_path.read_text()
    assert lab.used_psks
    for psk_hex in lab.used_psks:
        spaced = " ".join(psk_hex[i : i + 2] for i in range(0, 16, 2))  # charon's hex dumps
        for text in texts:
            assert psk_hex not in text.lower() and spaced not in text.lower()


def _tunnel_offering(lab: Lab, ike: tuple[str, ...], esp: tuple[str, ...]) -> tuple[str, str]:
    """A UE offering ``ike`` / ``esp`` only: the tunnel must come up, carry a real ping, and
    use what the model's responder picks from the same offer."""
    idi, counter = lab.idis.allocate(), lab.counter.allocate()
    lab.add_at_segw(idi, counter)
    assert lab.connect_ue(idi, counter, ike, esp), lab.ue.last_failure
    (sa,) = lab.segw.sas()
    assert negotiated(sa) == negotiated(lab.ue.sas()[0])
    assert negotiated(sa) == (choose(ike, IKE_PROPOSALS, "ike"), choose(esp, ESP_PROPOSALS, "esp"))
    assert lab.topo.ping("ue", lab.topo.enb_lwip, count=2)
    return negotiated(sa)


@pytest.mark.strongswan
def test_r8_a_ue_offering_only_the_mandatory_suites_gets_a_tunnel(lab: Lab) -> None:
    require_peer(*available())
    # TS 33.210 clause 5.4 / 5.3: the mandatory set, and each mandatory suite on its own
    assert _tunnel_offering(lab, IKE_MANDATORY, ESP_MANDATORY) == (
        "AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256",
        "AES_GCM_16_128/NO_EXT_SEQ",
    )
    seen = set()
    for ike in IKE_MANDATORY:
        for esp in ESP_MANDATORY:
            lab.ue.disconnect()
            lab.segw.remove_all()
            seen.add(_tunnel_offering(lab, (ike,), (esp,)))
    assert seen == {
        (f"AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/{dh}", esp)
        for dh in ("ECP_256", "MODP_2048")
        for esp in ("AES_GCM_16_128/NO_EXT_SEQ", "AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ")
    }


@pytest.mark.strongswan
@pytest.mark.parametrize(
    ("ike", "esp"),
    [
        *(((p,), ESP_PROPOSALS) for p in IKE_PROPOSALS),
        *((IKE_PROPOSALS, (p,)) for p in ESP_PROPOSALS),
    ],
    ids=[*(f"ike:{p}" for p in IKE_PROPOSALS), *(f"esp:{p}" for p in ESP_PROPOSALS)],
)
def test_r8_every_suite_of_the_profile_gets_the_tunnel_the_model_picks(
    lab: Lab, ike: tuple[str, ...], esp: tuple[str, ...]
) -> None:
    require_peer(*available())
    _tunnel_offering(lab, ike, esp)


@pytest.mark.strongswan
def test_r8_the_segw_preference_decides_in_charon_as_in_the_model(lab: Lab) -> None:
    require_peer(*available())
    ike = ("aes128-sha256-prfsha256-modp2048", "aes256gcm16-prfsha256-ecp256")
    esp = ("aes128-sha256", "aes256gcm16")
    assert _tunnel_offering(lab, ike, esp) == (
        "AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256",
        "AES_GCM_16_256/NO_EXT_SEQ",
    )


@pytest.mark.strongswan
@pytest.mark.parametrize(
    ("ike", "esp"),
    [
        (("3des-sha256-prfsha256-modp2048",), ESP_PROPOSALS),  # 3DES
        (("aes128-sha256-prfsha256-modp1024",), ESP_PROPOSALS),  # DH group 2
        (("aes128-md5-prfmd5-modp2048",), ESP_PROPOSALS),  # HMAC-MD5
        (IKE_PROPOSALS, ("3des-sha256",)),  # ESP with 3DES
        (IKE_PROPOSALS, ("aes128-md5",)),  # ESP with HMAC-MD5
    ],
    ids=["ike-3des", "ike-dh2", "ike-md5", "esp-3des", "esp-md5"],
)
def test_r8_a_ue_offering_only_a_suite_outside_the_profile_gets_no_tunnel(
    lab: Lab, ike: tuple[str, ...], esp: tuple[str, ...]
) -> None:
    require_peer(*available())
    assert choose(ike, IKE_PROPOSALS, "ike") is None or choose(esp, ESP_PROPOSALS, "esp") is None
    idi, counter = lab.idis.allocate(), lab.counter.allocate()
    lab.add_at_segw(idi, counter)
    assert not lab.connect_ue(idi, counter, ike, esp)
    assert lab.ue.last_failure == "NO_PROPOSAL_CHOSEN"
    assert lab.ue.sas() == [] and lab.ue.shared_ids() == set()
    deadline = time.monotonic() + 5.0
    while lab.segw.sas() and time.monotonic() < deadline:  # the UE's DELETE may be under way
        time.sleep(0.05)
    assert lab.segw.sas() == [] and not lab.segw.tunnel_up(idi)
    assert not lab.topo.ping("ue", lab.topo.enb_lwip)
    # The SeGW still holds the PSK for the IKE window (R4): the right offer then works.
    assert lab.connect_ue(idi, counter) and lab.segw.tunnel_up(idi)
