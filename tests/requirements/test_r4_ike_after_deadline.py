"""R4 at the reference SeGW itself: IKE_AUTH checks the IKE window's deadline, whether or not the
window timer has been handled yet.

The eNB's XwAP is built with pycrate (helpers/spec_pdus.py); the UE side of IKE is the modelled
IKEv2 PSK authentication (lwip_enb.peers.ike).
"""

from __future__ import annotations

from helpers import spec_pdus as pdus

from lwip_enb.keys import KeyMaterial
from lwip_enb.peers.ike import ModelIke
from lwip_enb.peers.segw import EnbInterface, SegwConfig, SegwModel
from lwip_enb.peers.segw_outputs import IkeRejected, IkeRejection, TunnelUp

WINDOW = 10.0
PSK = bytes(range(0x40, 0x60))
IDI = bytes.fromhex("0f1e2d3c4b5a69788796a5b4c3d2e1f0")
MAC = bytes.fromhex("020000000001")


def _segw_with_pending_psk() -> SegwModel:
    segw = SegwModel(SegwConfig(ike_window_s=WINDOW))
    segw.add_enb("enb", EnbInterface("198.51.100.1"))
    segw.receive_xwap("enb", pdus.xw_setup_request(), 0.0)
    out = segw.receive_xwap("enb", pdus.lwip_addition_request(1, MAC, PSK, IDI), 0.0)
    replies = [pdus.read(o.pdu)[3] for o in out if hasattr(o, "pdu")]
    assert replies == ["LWIPAdditionRequestAcknowledge"] and segw.has_psk(IDI)
    return segw


def _ike(segw: SegwModel, now: float) -> tuple[bool, str, list[object]]:
    request = ModelIke().start(IDI, KeyMaterial(PSK), segw.ike_sa_init(now))
    response, out = segw.ike_auth(request, now)
    return response.ok, response.reason, list(out)


def test_r4_initiation_just_inside_the_window_is_accepted() -> None:
    """R4 (TS 33.401 16.2.2 Note / Annex H): within the window the initiation is accepted; the
    counterpart of the test below, with the same request one second earlier."""
    segw = _segw_with_pending_psk()
    ok, _, out = _ike(segw, WINDOW - 1.0)
    assert ok and any(isinstance(o, TunnelUp) for o in out)


def test_r4_initiation_after_the_deadline_is_rejected_before_the_timer_runs() -> None:
    """R4: after the configured window the LWIP-SeGW rejects any IKEv2 initiation (and may delete
    LWIP-PSK and IDi). Here the window timer has not been handled yet (handle_timer is never
    called), so the PSK is still stored: the rejection must come from the deadline itself, and
    says so."""
    segw = _segw_with_pending_psk()
    assert segw.next_timer() == WINDOW  # due, but not handled
    ok, reason, out = _ike(segw, WINDOW + 0.5)
    assert not ok
    assert not any(isinstance(o, TunnelUp) for o in out)
    (rejected,) = [o for o in out if isinstance(o, IkeRejected)]
    assert rejected.reason is IkeRejection.WINDOW_EXPIRED and "window" in reason
    assert not segw.has_psk(IDI)  # the SeGW deletes PSK and IDi as it rejects


def test_r4_initiation_at_the_deadline_is_rejected() -> None:
    """R4, strictest reading: the window is open from the addition up to its end, not at it. At
    the deadline itself the window timer deletes PSK and IDi (it is due then), so IKE_AUTH at
    that instant is rejected too, whichever of the two runs first."""
    segw = _segw_with_pending_psk()
    ok, reason, out = _ike(segw, WINDOW)
    assert not ok and "window" in reason
    assert not any(isinstance(o, TunnelUp) for o in out)
    assert not segw.has_psk(IDI)


def test_r4_ike_sa_init_without_ike_auth_is_forgotten_after_its_lifetime() -> None:
    """R4's DoS protection of the SeGW's public port, applied to the half-open exchange: the
    nonce of an IKE_SA_INIT whose IKE_AUTH never comes is not kept for ever. After
    ``ike_sa_init_lifetime_s`` (30 s by default) it is gone (its timer frees it), and a late
    IKE_AUTH on it is rejected as one without IKE_SA_INIT, even with the right PSK and IDi inside
    the window."""
    segw = SegwModel(SegwConfig(ike_window_s=100.0))
    segw.add_enb("enb", EnbInterface("198.51.100.1"))
    segw.receive_xwap("enb", pdus.xw_setup_request(), 0.0)
    segw.receive_xwap("enb", pdus.lwip_addition_request(1, MAC, PSK, IDI), 0.0)
    for _ in range(3):
        segw.ike_sa_init(0.0)  # never followed by IKE_AUTH
    nonce = segw.ike_sa_init(1.0)
    segw.handle_timer(31.0)
    request = ModelIke().start(IDI, KeyMaterial(PSK), nonce)
    response, out = segw.ike_auth(request, 31.0)
    assert not response.ok
    assert out == [IkeRejected(IDI, IkeRejection.NO_SA_INIT)]
    assert segw.has_psk(IDI)  # the PSK still waits for a proper exchange in its window
    assert segw.pending_ike_exchanges() == 0


def test_r4_ike_auth_as_the_ike_sa_init_expires_is_rejected_whatever_runs_first() -> None:
    """The half-open exchange's lifetime is read like the window (strictest reading): it lasts
    from IKE_SA_INIT up to ``ike_sa_init_lifetime_s`` later, not at that instant, when its timer
    (due then) forgets the nonce. So an IKE_AUTH at that instant is rejected as one without
    IKE_SA_INIT also when the timer has not been handled yet, as it is once it has; an instant
    earlier it is accepted."""
    lifetime = 5.0

    def at(when: float, *, timer_first: bool) -> tuple[bool, list[object]]:
        segw = SegwModel(SegwConfig(ike_window_s=100.0, ike_sa_init_lifetime_s=lifetime))
        segw.add_enb("enb", EnbInterface("198.51.100.1"))
        segw.receive_xwap("enb", pdus.xw_setup_request(), 0.0)
        segw.receive_xwap("enb", pdus.lwip_addition_request(1, MAC, PSK, IDI), 0.0)
        nonce = segw.ike_sa_init(1.0)
        if timer_first:
            segw.handle_timer(when)
        response, out = segw.ike_auth(ModelIke().start(IDI, KeyMaterial(PSK), nonce), when)
        return response.ok, list(out)

    end = 1.0 + lifetime
    for timer_first in (False, True):
        ok, out = at(end, timer_first=timer_first)
        assert (ok, out) == (False, [IkeRejected(IDI, IkeRejection.NO_SA_INIT)]), timer_first
    ok, out = at(end - 0.001, timer_first=False)
    assert ok and any(isinstance(o, TunnelUp) for o in out)
