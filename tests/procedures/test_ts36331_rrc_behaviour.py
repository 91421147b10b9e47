"""The RRC behaviour review (TS 36.331 V17.4.0): the WLAN mobility set, T351 and the eNB's
association guard, RRC transaction ids from the caller, and a UE leaving RRC_CONNECTED.

The SeGW's and the UE's PDUs are built and read with pycrate (helpers/spec_pdus.py), not with the
library's codecs.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import pycrate_oracle as oracle
from helpers import spec_pdus as pdus

from lwip_enb.codec.rrc import DrbLwip, DrbTypeLwip, decode_eutra_capability
from lwip_enb.core.controller import EnbConfig, EnbController, Interworking
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import (
    ActivationFailed,
    ActivationFailure,
    ReleaseTrigger,
    SendRrc,
    SendXwap,
    TunnelReleased,
    TunnelUp,
)
from lwip_enb.errors import InvalidFieldError
from lwip_enb.sim.simulation import Simulation

KENB = bytes(range(32))
MAC = "02:00:00:00:00:01"


def _ready(config: EnbConfig | None = None, usage: str | None = "lWAandLWIP") -> EnbController:
    enb = EnbController(config)
    enb.add_segw("segw", "192.0.2.10")
    enb.receive_xwap("segw", pdus.xw_setup_response(usage=usage), 0.0)
    assert enb.segw_ready("segw")
    return enb


def _setup(enb: EnbController, ue: int = 1, now: float = 0.0) -> tuple[str, dict[str, Any]]:
    """Activate ``ue`` and acknowledge the addition; returns the set-up as pycrate reads it."""
    out = enb.activate(ue, kenb=KENB, wlan_mac=MAC, now=now)
    (request,) = [o.pdu for o in out if isinstance(o, SendXwap)]
    enb_ue_id = pdus.ue_id(pdus.read(request)[4][pdus.ID_ENB_UE_XWAP_ID])
    out = enb.receive_xwap("segw", pdus.lwip_addition_request_acknowledge(enb_ue_id, 7), now)
    (setup,) = [o.pdu for o in out if isinstance(o, SendRrc)]
    name, body = pdus.read_dl_dcch(setup)
    assert name == "rrcConnectionReconfiguration"
    return name, body


def _lwip_config(body: dict[str, Any]) -> dict[str, Any]:
    """The lwip-Configuration-r13 setup of a reconfiguration body, wherever its extension sits."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "lwip-Configuration-r13":
                    assert value[0] == "setup"
                    found.append(value[1])
                walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(body)
    (config,) = found
    return config


# --- item 1: a non-empty WLAN mobility set ---------------------------------------------------


def test_ts36331_5_6_15_4_setup_mobility_set_is_never_empty() -> None:
    """WLAN-MobilityConfig: "E-UTRAN configures at least one WLAN identifier"; 5.6.15.4: the UE
    reports successfulAssociation only for a WLAN inside the set. Without ``wlan_ids`` the eNB
    puts the WLANs the SeGW offered for LWIP into wlan-ToAddList."""
    enb = _ready()
    _, body = _setup(enb)
    mobility = _lwip_config(body)["lwip-Config-r13"]["lwip-MobilityConfig-r13"]
    assert mobility["wlan-ToAddList-r13"] == [{"ssid-r12": b"lwip"}]
    assert mobility.get("successReportRequested-r13") == "true"


def test_ts36331_5_6_15_4_no_wlan_for_lwip_fails_the_activation_and_sends_nothing() -> None:
    """No WLAN known for LWIP (the SeGW offered its WLAN for LWA only, 36.463 8.2.2) and none
    given: no set could be configured, so the activation fails at once; no XwAP, no RRC."""
    enb = _ready(usage=None)
    out = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=0.0)
    assert not [o for o in out if isinstance(o, SendXwap | SendRrc)]
    (failed,) = [o for o in out if isinstance(o, ActivationFailed)]
    assert failed.reason is ActivationFailure.NO_WLAN
    assert enb.state(1) is State.IDLE


# --- item 2: T351 and the eNB's association guard ---------------------------------------------


def test_ts36331_5_6_15_3_setup_carries_association_timer() -> None:
    """5.6.17.2 / 5.6.15.3: associationTimer starts T351 at the UE; the set-up carries it (the
    configured value, default s10)."""
    _, body = _setup(_ready())
    assert (
        _lwip_config(body)["lwip-Config-r13"]["lwip-MobilityConfig-r13"]["associationTimer-r13"]
        == "s10"
    )
    _, body = _setup(_ready(EnbConfig(association_timer_s=60)))
    assert (
        _lwip_config(body)["lwip-Config-r13"]["lwip-MobilityConfig-r13"]["associationTimer-r13"]
        == "s60"
    )


def test_ts36331_5_6_15_3_silent_ue_is_released_at_both_ends_after_t351() -> None:
    """5.6.15.3: a UE whose T351 expires reports failureTimeout; one that never reports (or whose
    SeGW deleted the PSK silently) is released by the eNB's guard, a little longer than T351:
    LWIP RELEASE REQUEST to the SeGW and lwip-Configuration release to the UE."""
    enb = _ready()
    _, body = _setup(enb)
    tid = body["rrc-TransactionIdentifier"]
    enb.receive_rrc(1, "ul-dcch", pdus.reconfiguration_complete(tid), 0.1)
    assert enb.state(1) is State.CONFIGURED
    due = enb.next_timer()
    assert due is not None and 10.0 < due <= 13.0
    assert enb.handle_timer(due - 0.5) == []
    out = enb.handle_timer(due)
    assert enb.state(1) is State.IDLE
    xw = [pdus.read(o.pdu)[3] for o in out if isinstance(o, SendXwap)]
    assert xw == ["LWIPReleaseRequest"]
    (release,) = [o.pdu for o in out if isinstance(o, SendRrc)]
    _, rel_body = pdus.read_dl_dcch(release)
    assert "release" in repr(rel_body)
    (released,) = [o for o in out if isinstance(o, TunnelReleased)]
    assert released.reason.trigger is ReleaseTrigger.ASSOCIATION_TIMEOUT


# --- item 6: transaction ids from the caller --------------------------------------------------


def test_ts36331_5_1_2_transaction_ids_come_from_the_callers_source() -> None:
    """5.1.2: a harness running its own RRC procedures gives the library its transaction id
    source; the set-up uses the id it hands out, and a completion with an id the library did
    not send (the harness's own) leaves LWIP alone."""
    given: list[int] = []

    def source(ue: object) -> int:
        given.append(3)
        return 3

    enb = _ready(EnbConfig(rrc_transaction_ids=source))
    _, body = _setup(enb)
    assert given == [3] and body["rrc-TransactionIdentifier"] == 3
    for other in (0, 1, 2):
        enb.receive_rrc(1, "ul-dcch", pdus.reconfiguration_complete(other), 0.1)
        assert enb.state(1) is State.CONFIGURING
    enb.receive_rrc(1, "ul-dcch", pdus.reconfiguration_complete(3), 0.2)
    assert enb.state(1) is State.CONFIGURED
    # the same completion again is not the library's any more: nothing happens
    assert enb.receive_rrc(1, "ul-dcch", pdus.reconfiguration_complete(3), 0.3) == []


# --- item 7: leaving RRC_CONNECTED -------------------------------------------------------------


def test_ts36331_5_3_12_rrc_connection_released_releases_at_the_segw_only() -> None:
    """5.3.12: a UE leaving RRC_CONNECTED releases all its radio resources, LWIP included; the
    eNB sends it nothing and releases at the SeGW (its PSK goes, R5)."""
    enb = _ready()
    _, body = _setup(enb)
    enb.receive_rrc(
        1, "ul-dcch", pdus.reconfiguration_complete(body["rrc-TransactionIdentifier"]), 0.1
    )
    out = enb.rrc_connection_released(1, 1.0)
    assert not [o for o in out if isinstance(o, SendRrc)]
    assert [pdus.read(o.pdu)[3] for o in out if isinstance(o, SendXwap)] == ["LWIPReleaseRequest"]
    (released,) = [o for o in out if isinstance(o, TunnelReleased)]
    assert released.reason.trigger is ReleaseTrigger.RRC_CONNECTION_RELEASED
    assert enb.ue_info(1) is None


def test_ts36331_5_3_12_forget_sends_nothing_to_the_leaving_ue() -> None:
    """5.3.12: ``forget`` (the UE left the eNB) sends no RRC reconfiguration to the UE."""
    sim = Simulation()
    sim.add_ue(1)
    sim.activate(1)
    assert sim.enb.state(1) is State.ACTIVE
    out = sim.enb.forget(1, sim.now)
    assert not [o for o in out if isinstance(o, SendRrc)]
    assert [type(o.message).__name__ for o in out if isinstance(o, SendXwap)] == [
        "LwipReleaseRequest"
    ]


def test_ts36331_5_6_15_3_demo_wlan_timeout_releases_at_both_ends() -> None:
    """The ``wlan-timeout`` demo scenario: no WLAN of the set is available to the UE; T351
    expires at 10 s, the UE reports failureTimeout and the eNB releases at the SeGW (LWIP RELEASE
    REQUEST) and at the UE (lwip-Configuration release)."""
    from lwip_enb.tools.demo import run

    sim = run("wlan-timeout")
    assert isinstance(sim, Simulation)
    sent = [(r["src"], r["dst"], r["message"], r["t"]) for r in sim.trace if "message" in r]
    assert ("ue", "enb", "WLANConnectionStatusReport-r13", 10.0) in sent
    assert ("enb", "segw", "LWIPReleaseRequest", 10.0) in sent
    assert sent.count(("enb", "ue", "RRCConnectionReconfiguration", 10.0)) == 1
    assert sim.enb.state(1) is State.WLAN_LOST
    assert not sim.ues[1].holds_psk and sim.ues[1].tunnel is None


# --- successfulAssociation is WLAN association; the tunnel is the SeGW's word ----------------


def _associated(enb: EnbController, drbs: tuple[Any, ...] = ()) -> dict[str, Any]:
    """Activate UE 1 with ``drbs``, acknowledge, complete, report successfulAssociation; returns
    the set-up's body as pycrate reads it."""
    out = enb.activate(1, kenb=KENB, wlan_mac=MAC, now=0.0, drbs=drbs)
    (request,) = [o.pdu for o in out if isinstance(o, SendXwap)]
    enb_ue_id = pdus.ue_id(pdus.read(request)[4][pdus.ID_ENB_UE_XWAP_ID])
    out = enb.receive_xwap("segw", pdus.lwip_addition_request_acknowledge(enb_ue_id, 7), 0.0)
    (setup,) = [o.pdu for o in out if isinstance(o, SendRrc)]
    _, body = pdus.read_dl_dcch(setup)
    tid = body["rrc-TransactionIdentifier"]
    enb.receive_rrc(1, "ul-dcch", pdus.reconfiguration_complete(tid), 0.1)
    out = enb.receive_rrc(1, "ul-dcch", pdus.wlan_status("successfulAssociation"), 0.2)
    assert not [o for o in out if isinstance(o, TunnelUp | SendRrc)]
    return body


def test_ts36331_5_6_15_4_successful_association_is_not_a_usable_tunnel() -> None:
    """5.6.15.4: successfulAssociation reports WLAN association; the IPsec tunnel comes after it
    (36.300 22A.3) and no RRC message reports it. The eNB waits in ASSOCIATED for the caller's
    evidence (tunnel_established); only then does drb-TypeLWIP go to the UE."""
    enb = _ready()
    drbs = (DrbLwip(1, DrbTypeLwip.LWIP), DrbLwip(2, DrbTypeLwip.LWIP_DL_ONLY))
    setup_body = _associated(enb, drbs)
    assert "drb-TypeLWIP-r13" not in repr(setup_body)  # not in the set-up
    assert enb.state(1) is State.ASSOCIATED
    out = enb.tunnel_established(1, 1.0)
    assert enb.state(1) is State.ACTIVE
    assert [type(o) for o in out if isinstance(o, TunnelUp)] == [TunnelUp]
    (switch,) = [o.pdu for o in out if isinstance(o, SendRrc)]
    name, body = pdus.read_dl_dcch(switch)
    assert name == "rrcConnectionReconfiguration"
    text = repr(body)
    assert "'drb-TypeLWIP-r13': 'lwip'" in text and "'drb-TypeLWIP-r13': 'lwip-DL-only'" in text
    assert "lwip-Configuration-r13" not in text
    assert enb.next_timer() is None


def test_ts36331_5_6_15_4_ike_never_succeeding_is_released_at_both_ends_after_the_guard() -> None:
    """A UE that reported successfulAssociation but whose IKEv2 never succeeds is released at the
    SeGW and the UE when the eNB's tunnel guard (EnbConfig.tunnel_guard_s) expires."""
    enb = _ready(EnbConfig(tunnel_guard_s=7.0))
    _associated(enb)
    due = enb.next_timer()
    assert due is not None and abs(due - 7.2) < 1e-9
    assert enb.handle_timer(due - 0.1) == []
    out = enb.handle_timer(due)
    assert enb.state(1) is State.IDLE
    assert [pdus.read(o.pdu)[3] for o in out if isinstance(o, SendXwap)] == ["LWIPReleaseRequest"]
    (release,) = [o.pdu for o in out if isinstance(o, SendRrc)]
    assert "release" in repr(pdus.read_dl_dcch(release)[1])
    (released,) = [o for o in out if isinstance(o, TunnelReleased)]
    assert released.reason.trigger is ReleaseTrigger.TUNNEL_TIMEOUT


# --- the UE's capability and what excludes LWIP (lwip-Configuration, 6.3.6) -------------------


def _activate_with(enb: EnbController, **kwargs: Any) -> list[Any]:
    return enb.activate(1, kenb=KENB, wlan_mac=MAC, now=0.0, **kwargs)


def test_ts36331_lwip_configuration_ue_without_lwip_r13_is_refused() -> None:
    """lwip-Configuration is for a UE with lwip-r13 (36.331 6.3.6 LWIP-Parameters): a UE whose
    capability container (built by pycrate) lacks it is refused and nothing is sent; with it, the
    addition starts."""
    enb = _ready()
    without = oracle.ue_eutra_capability(lwip=False, lwa=True)
    out = _activate_with(enb, capability=without)
    assert [type(o) for o in out] == [ActivationFailed]
    assert out[0].reason is ActivationFailure.UE_NOT_CAPABLE
    assert enb.state(1) is State.IDLE and enb.next_timer() is None
    out = _activate_with(enb, capability=oracle.ue_eutra_capability(lwip=True, drb_type_scg=True))
    assert [pdus.read(o.pdu)[3] for o in out if isinstance(o, SendXwap)] == ["LWIPAdditionRequest"]
    assert enb.state(1) is State.ADDING


def test_ts36331_lwip_configuration_capability_given_decoded_or_bad() -> None:
    enb = _ready()
    decoded = decode_eutra_capability(oracle.ue_eutra_capability(lwip=False))
    out = _activate_with(enb, capability=decoded)
    assert [o.reason for o in out if isinstance(o, ActivationFailed)] == [
        ActivationFailure.UE_NOT_CAPABLE
    ]
    with pytest.raises(InvalidFieldError):
        _activate_with(enb, capability=b"\xff\x00")
    assert enb.state(1) is State.IDLE


def test_ts36331_lwip_configuration_never_with_dc_lwa_or_rclwi() -> None:
    """6.2.2: "E-UTRAN does not simultaneously configure LWIP with DC, LWA or RCLWI for a UE":
    the caller says what it has configured; any of them refuses the activation, nothing sent."""
    for other in (Interworking.DC, Interworking.LWA, "rclwi"):
        enb = _ready()
        capable = oracle.ue_eutra_capability(lwip=True)
        out = _activate_with(enb, capability=capable, configured=[other])
        assert [type(o) for o in out] == [ActivationFailed]
        assert out[0].reason is ActivationFailure.OTHER_INTERWORKING_CONFIGURED
        assert enb.state(1) is State.IDLE
    with pytest.raises(InvalidFieldError):
        _activate_with(_ready(), configured=["nr-dc"])
