"""Test support: an eNB controller ready to serve, and the bytes its peers would send it.

For tests, examples and the benchmark, which would otherwise each build these by hand:

- :func:`ready_controller`: an :class:`~lwip_enb.core.controller.EnbController` with one SeGW
  whose Xw Setup has completed, so activations go out at once;
- :class:`PeerMessages`: well-formed PDUs of the eNB's peers, the SeGW's XwAP answers and the
  UE's uplink RRC, encoded by the library's own codecs;
- :func:`bring_up`: one UE taken from idle to a chosen state of an activation with those
  answers, through the controller's public inputs only;
- :func:`skip_lwip_counter`: a UE's LWIP counter moved forward, to test its exhaustion without
  65,536 activations.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable

from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.rrc import RrcChannel, WlanStatus
from lwip_enb.codec.xwap import Cause
from lwip_enb.core.controller import EnbConfig, EnbController
from lwip_enb.core.fsm import State
from lwip_enb.core.outputs import Output, SendRrc, SendXwap
from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import KeyMaterial

__all__ = [
    "SEGW",
    "SEGW_ADDRESS",
    "PeerMessages",
    "bring_up",
    "ready_controller",
    "skip_lwip_counter",
]

#: The SeGW of :func:`ready_controller`: its name at the eNB and the address UEs are given.
SEGW = "segw"
SEGW_ADDRESS = "192.0.2.10"

#: How far :func:`bring_up` can take a UE, in the order an activation passes them.
_BRING_UP_STATES = (
    State.ADDING,
    State.CONFIGURING,
    State.CONFIGURED,
    State.ASSOCIATED,
    State.ACTIVE,
)


class PeerMessages:
    """PDUs a well-behaved SeGW and UE send to the eNB.

    The UE's answers to an activation do not depend on the UE (the completion only on the
    transaction id 0..3), so they are encoded once: :attr:`complete` and :attr:`wlan_success`.
    The LWIP ADDITION REQUEST ACKNOWLEDGE is built by writing the two UE XwAP ids into a
    template encoded once; the template is checked against the encoder at construction, so the
    bytes are those :func:`lwip_enb.codec.xwap.encode` gives.
    """

    def __init__(
        self,
        wt_id: xwap.WtId | None = None,
        wlan_identifiers: tuple[WlanIdentifiers, ...] = (
            xwap.WlanInformation(ssid=b"lwip", usage=xwap.WlanUsage.LWA_AND_LWIP),
        ),
    ) -> None:
        # The WLAN is offered with a WLAN Usage: without one it would be for LWA only and the
        # eNB would configure no LWIP on it (TS 36.463 8.2.2).
        setup = xwap.XwSetupResponse(wt_id or xwap.WtId(1), wlan_identifiers)
        #: XW SETUP RESPONSE: the SeGW accepts the eNB's Xw Setup.
        self.setup_response: bytes = xwap.encode(setup)
        #: RRCConnectionReconfigurationComplete (UL-DCCH) for each transaction id 0..3.
        self.complete: tuple[bytes, ...] = tuple(
            rrc.encode(rrc.RrcConnectionReconfigurationComplete(tid)) for tid in range(4)
        )
        #: WLANConnectionStatusReport (UL-DCCH) with successfulAssociation.
        self.wlan_success: bytes = self.wlan_status(WlanStatus.SUCCESSFUL_ASSOCIATION)
        probe_enb, probe_wt = 0xA1B2C3, 0xD4E5F6
        pdu = xwap.encode(xwap.LwipAdditionRequestAcknowledge(probe_enb, probe_wt))
        at_enb = pdu.find(probe_enb.to_bytes(3, "big"))
        at_wt = pdu.find(probe_wt.to_bytes(3, "big"))
        if not 0 <= at_enb < at_wt:
            raise AssertionError("LWIP ADDITION REQUEST ACKNOWLEDGE: ids not found in template")
        self._head = pdu[:at_enb]
        self._mid = pdu[at_enb + 3 : at_wt]
        self._tail = pdu[at_wt + 3 :]
        for e, w in ((0, 0), (1, 2), (0xFFFFFF, 0x123456), (0x0000FF, 0xFF0000)):
            if self.addition_ack(e, w) != xwap.encode(xwap.LwipAdditionRequestAcknowledge(e, w)):
                raise AssertionError("LWIP ADDITION REQUEST ACKNOWLEDGE template is wrong")

    # ---- from the SeGW (XwAP) ------------------------------------------------------------

    def addition_ack(self, enb_ue_id: int, wt_ue_id: int) -> bytes:
        """LWIP ADDITION REQUEST ACKNOWLEDGE for the eNB's ``enb_ue_id``."""
        return b"".join(
            (
                self._head,
                enb_ue_id.to_bytes(3, "big"),
                self._mid,
                wt_ue_id.to_bytes(3, "big"),
                self._tail,
            )
        )

    def addition_reject(self, enb_ue_id: int, cause: Cause | None = None) -> bytes:
        """LWIP ADDITION REQUEST REJECT for the eNB's ``enb_ue_id`` (by default for want of
        radio resources)."""
        cause = cause or Cause.radio_network("no-radio-resources-available")
        return xwap.encode(xwap.LwipAdditionRequestReject(enb_ue_id, cause))

    def release_required(self, enb_ue_id: int, wt_ue_id: int, cause: Cause | None = None) -> bytes:
        """LWIP RELEASE REQUIRED: the SeGW releases the UE's tunnel (misc:unspecified)."""
        cause = cause or Cause.misc("unspecified")
        return xwap.encode(xwap.LwipReleaseRequired(enb_ue_id, wt_ue_id, cause))

    def error_indication(
        self, enb_ue_id: int | None, wt_ue_id: int | None, cause: Cause | None = None
    ) -> bytes:
        """ERROR INDICATION about the UE of these ids (misc:unspecified)."""
        cause = cause or Cause.misc("unspecified")
        return xwap.encode(xwap.ErrorIndication(enb_ue_id, wt_ue_id, cause))

    def modification_ack(self, enb_ue_id: int, wt_ue_id: int) -> bytes:
        """LWIP MODIFICATION REQUEST ACKNOWLEDGE (TS 36.463 8.15.2)."""
        return xwap.encode(xwap.LwipModificationRequestAcknowledge(enb_ue_id, wt_ue_id))

    def modification_reject(
        self, enb_ue_id: int, wt_ue_id: int, cause: Cause | None = None
    ) -> bytes:
        """LWIP MODIFICATION REQUEST REJECT (TS 36.463 8.15.3; by default for want of radio
        resources)."""
        cause = cause or Cause.radio_network("no-radio-resources-available")
        return xwap.encode(xwap.LwipModificationRequestReject(enb_ue_id, wt_ue_id, cause))

    def setup_failure(self, cause: Cause | None = None, time_to_wait_s: int | None = None) -> bytes:
        """XW SETUP FAILURE (TS 36.463 8.2.3), with Time To Wait if given."""
        cause = cause or Cause.misc("control-processing-overload")
        return xwap.encode(xwap.XwSetupFailure(cause, time_to_wait_s=time_to_wait_s))

    def configuration_update(
        self,
        to_add: tuple[WlanIdentifiers, ...] = (),
        to_modify: tuple[WlanIdentifiers, ...] = (),
        to_delete: tuple[bytes, ...] = (),
        to_delete_extension: tuple[WlanIdentifiers, ...] = (),
    ) -> bytes:
        """WT CONFIGURATION UPDATE (TS 36.463 8.3.2): WLANs added, modified, deleted."""
        update = xwap.WtConfigurationUpdate(to_add, to_modify, to_delete, to_delete_extension)
        return xwap.encode(update)

    def reset(self, cause: Cause | None = None) -> bytes:
        """RESET: the SeGW resets the Xw association (misc:om-intervention); every UE on it is
        released."""
        return xwap.encode(xwap.Reset(cause or Cause.misc("om-intervention")))

    # ---- from the UE (RRC) ---------------------------------------------------------------

    def reconfiguration_complete(self, transaction_id: int) -> bytes:
        """RRCConnectionReconfigurationComplete (UL-DCCH) for ``transaction_id``."""
        return self.complete[transaction_id]

    def wlan_status(self, status: WlanStatus | str) -> bytes:
        """WLANConnectionStatusReport (UL-DCCH) with ``status``."""
        return rrc.encode(rrc.WlanConnectionStatusReport(status))

    def reestablishment_request(
        self, c_rnti: int = 0x1234, phys_cell_id: int = 1, cause: str = "otherFailure"
    ) -> bytes:
        """RRCConnectionReestablishmentRequest (UL-CCCH): the UE saw a radio link failure."""
        return rrc.encode(rrc.RrcConnectionReestablishmentRequest(c_rnti, phys_cell_id, 0, cause))


@functools.cache
def _default_messages() -> PeerMessages:
    return PeerMessages()


def ready_controller(
    config: EnbConfig | None = None,
    *,
    segw: str = SEGW,
    address: str = SEGW_ADDRESS,
    now: float = 0.0,
    messages: PeerMessages | None = None,
) -> EnbController:
    """A controller with one SeGW, ``segw`` at ``address``, whose Xw Setup has completed."""
    enb = EnbController(config)
    enb.add_segw(segw, address)
    enb.segw_connected(segw, now)  # its XW SETUP REQUEST is answered right below
    enb.receive_xwap(segw, (messages or _default_messages()).setup_response, now)
    if not enb.segw_ready(segw):
        raise AssertionError(f"Xw Setup with {segw} did not complete")
    return enb


def bring_up(
    enb: EnbController,
    ue: Hashable,
    *,
    kenb: KeyMaterial | bytes,
    wlan_mac: bytes | str,
    now: float = 0.0,
    to: State = State.ACTIVE,
    wt_ue_id: int | None = None,
    segw: str | None = None,
    messages: PeerMessages | None = None,
) -> list[Output]:
    """Activate ``ue`` and answer as its SeGW and the UE would, until it is in ``to``.

    ``to`` is a state of an activation: ADDING (nothing answered), CONFIGURING (the SeGW
    acknowledged, with ``wt_ue_id``, by default the eNB's id), CONFIGURED (the UE completed the
    reconfiguration), ASSOCIATED (and reported its WLAN association) or ACTIVE (and the tunnel
    was reported established, :meth:`~EnbController.tunnel_established`). Returns every output
    on the way; raises AssertionError when the controller ends elsewhere.
    """
    if to not in _BRING_UP_STATES:
        reachable = [s.value for s in _BRING_UP_STATES]
        raise InvalidFieldError("to", f"bring_up reaches {reachable}, not {to}")
    peers = messages or _default_messages()
    out = enb.activate(ue, kenb=kenb, wlan_mac=wlan_mac, now=now, segw=segw)
    steps = _BRING_UP_STATES[1 : _BRING_UP_STATES.index(to) + 1]
    for step in steps:
        if enb.state(ue) is not _BRING_UP_STATES[_BRING_UP_STATES.index(step) - 1]:
            break  # the activation went elsewhere: reported below
        if step is State.CONFIGURING:
            (request,) = [o for o in out if isinstance(o, SendXwap)]
            assert isinstance(request.message, xwap.LwipAdditionRequest), request
            enb_ue_id = request.message.enb_ue_id
            ack = peers.addition_ack(enb_ue_id, enb_ue_id if wt_ue_id is None else wt_ue_id)
            out += enb.receive_xwap(request.segw, ack, now)
        elif step is State.CONFIGURED:
            (setup,) = [o for o in out if isinstance(o, SendRrc)]
            assert isinstance(setup.message, rrc.RrcConnectionReconfiguration), setup
            complete = peers.reconfiguration_complete(setup.message.transaction_id)
            out += enb.receive_rrc(ue, RrcChannel.UL_DCCH, complete, now)
        elif step is State.ASSOCIATED:
            out += enb.receive_rrc(ue, RrcChannel.UL_DCCH, peers.wlan_success, now)
        else:
            out += enb.tunnel_established(ue, now)
    if enb.state(ue) is not to:
        raise AssertionError(f"UE {ue!r} is {enb.state(ue).value}, not {to.value}: {out}")
    return out


def skip_lwip_counter(enb: EnbController, ue: Hashable, counter: int) -> None:
    """Make ``counter`` the next LWIP counter of ``ue`` under its current KeNB (forward only,
    :meth:`~lwip_enb.keys.LwipSecurityContext.skip_to`): e.g. 65535 leaves one set-up before the
    controller asks for a KeNB refresh. The UE must have been activated once (it holds a KeNB).
    """
    # The controller offers no way to move a counter, on purpose: this is test support only.
    ctx = enb._ues.get(ue)
    security = ctx.security if ctx is not None else None
    if security is None:
        raise InvalidFieldError("ue", f"UE {ue!r} holds no KeNB: activate it first")
    security.skip_to(counter)
