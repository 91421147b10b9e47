"""The per-UE LWIP state machine of the eNB: every state and every legal transition, in one table.

A (state, event) pair with no row in :data:`TRANSITIONS` is a protocol error: the controller reports
it as an event and leaves the UE where it was; nothing is raised out of the core.

Requirement ids (R1-R11) are those of TS 33.401 16.2-16.6 as numbered in docs/traceability.md.
"""

from __future__ import annotations

import enum
from typing import Final, NamedTuple

__all__ = ["TRANSITIONS", "Action", "Event", "State", "Transition", "lookup"]


class State(enum.Enum):
    IDLE = "idle"
    """No LWIP for the UE: no tunnel, no PSK anywhere in the eNB."""
    ADDING = "adding"
    """LWIP ADDITION REQUEST sent to the SeGW; waiting for its answer (guard timer)."""
    CANCELLING = "cancelling"
    """Released while the addition was outstanding: the SeGW's answer is awaited only to undo it."""
    CONFIGURING = "configuring"
    """RRC reconfiguration with the tunnel sent to the UE; waiting for its completion (guard)."""
    CONFIGURED = "configured"
    """The UE applied the configuration; it is associating with WLAN. The eNB's association
    guard runs (T351 plus a margin, TS 36.331 5.6.15.3)."""
    ASSOCIATED = "associated"
    """The UE reported ``successfulAssociation`` (36.331 5.6.15.4): it is associated with a WLAN
    of the mobility set, which says nothing of IKEv2 (36.300 22A.3). The UE now runs IKEv2 with
    the SeGW; the eNB waits for the evidence of the tunnel from outside RRC
    (:meth:`~lwip_enb.core.controller.EnbController.tunnel_established`) under its tunnel guard
    (``EnbConfig.tunnel_guard_s``)."""
    ACTIVE = "active"
    """The tunnel is up (the SeGW accepted the UE's IKEv2, reported by the caller): the UE's
    DRBs are switched to LWIP and the tunnel carries traffic. A UE given
    ``wlan-SuspendResumeAllowed`` may report its WLAN ``suspended`` here (36.331 5.6.15.4): the
    UE stays ACTIVE, marked suspended (:attr:`~lwip_enb.core.controller.UeInfo.wlan_suspended`),
    with its tunnel and configuration kept, until it reports ``resumed``."""
    MODIFYING = "modifying"
    """LWIP MODIFICATION REQUEST sent (36.463 8.15); the tunnel still carries traffic (guard)."""
    WLAN_LOST = "wlan-lost"
    """Released because WLAN failed; a fresh tunnel is set up when WLAN returns (R11)."""


class Event(enum.Enum):
    # caller commands
    ACTIVATE = "activate"
    DEACTIVATE = "deactivate"
    HANDOVER = "handover"  # S1 or X2 (R9)
    RADIO_LINK_FAILURE = "radio-link-failure"  # detected by the eNB (R10)
    WLAN_AVAILABLE = "wlan-available"  # the caller knows WLAN is back (R11)
    MODIFY = "modify"  # new WLAN mobility set or serving PLMN (36.463 8.15)
    RRC_RELEASED = "rrc-connection-released"  # the UE left RRC_CONNECTED (36.331 5.3.12)
    KENB_REFRESH = "kenb-refresh"  # intra-eNB handover / KeNB refresh (36.331 5.3.5.4)
    # from the SeGW (XwAP)
    ADDITION_ACK = "xwap-addition-ack"
    ADDITION_REJECT = "xwap-addition-reject"
    MODIFICATION_ACK = "xwap-modification-ack"
    MODIFICATION_REJECT = "xwap-modification-reject"
    RELEASE_REQUIRED = "xwap-release-required"
    # an Error Indication (or an answer not understood) that ends the outstanding procedure
    XWAP_ERROR = "xwap-error-indication"
    XWAP_ID_ERROR = "xwap-id-error"  # inconsistent or unknown UE XwAP ids (36.413 10.6)
    SEGW_LOST = "segw-lost"  # Xw Reset or loss of the association
    # from the UE (RRC)
    RECONFIGURATION_COMPLETE = "rrc-reconfiguration-complete"
    WLAN_SUCCESS = "rrc-wlan-successful-association"
    WLAN_FAILURE = "rrc-wlan-failure"  # radio link, unavailable or timeout (WLAN-Status-r13)
    # WLAN-Status-v1430, only from a UE given wlan-SuspendResumeAllowed (36.331 5.6.15.4); the
    # controller rejects them from any other UE before the table is looked at
    WLAN_SUSPENDED = "rrc-wlan-suspended"
    WLAN_RESUMED = "rrc-wlan-resumed"
    # from outside RRC: the SeGW (or the harness running it) saw the UE's IKEv2 succeed
    TUNNEL_ESTABLISHED = "tunnel-established"
    REESTABLISHMENT = "rrc-reestablishment-request"  # the UE saw a radio link failure (R10)
    # time
    GUARD_TIMEOUT = "guard-timeout"


class Action(enum.Enum):
    """What the controller does on a transition; each is one method of the controller."""

    NOTHING = "nothing"
    START_ADDITION = "start-addition"  # fresh counter + PSK + IDi, LWIP ADDITION REQUEST (R2)
    SEND_RRC_SETUP = "send-rrc-setup"  # RRC reconfiguration to the UE; eNB wipes its PSK (R2, R5)
    ACTIVATION_FAILED = "activation-failed"  # nothing reached the UE; state clean
    START_MODIFICATION = "start-modification"  # LWIP MODIFICATION REQUEST (36.463 8.15)
    MODIFIED = "modified"  # the WT took the change; the UE is told the new mobility set
    MODIFICATION_FAILED = "modification-failed"  # the tunnel stays as it was
    ABORT_ADDITION = "abort-addition"  # the SeGW's answer is still due: undo it when it comes
    UNDO_ADDITION = "undo-addition"  # a late ACK of a cancelled addition: release at the SeGW
    CANCELLED = "cancelled"  # a cancelled addition has ended
    UE_CONFIGURED = "ue-configured"  # the RRC guard stops; the UE now associates with WLAN
    WLAN_ASSOCIATED = "wlan-associated"  # the tunnel guard starts; the UE now runs IKEv2
    TUNNEL_USABLE = "tunnel-usable"  # guard stops; the UE's DRBs are switched to LWIP
    # 36.331 5.6.15.4 suspended: WLAN temporarily unavailable; nothing is released, the UE is
    # marked suspended and the caller told (WlanSuspended); resumed clears it (WlanResumed)
    WLAN_SUSPEND = "wlan-suspend"
    WLAN_RESUME = "wlan-resume"
    RELEASE_BOTH = "release-both"  # LWIP RELEASE REQUEST to SeGW + RRC release to UE
    RELEASE_FOR_HANDOVER = "release-for-handover"  # R9: SeGW + UE (implicit or explicit)
    # intra-eNB handover: SeGW released, new addition under the new KeNB; on its ACK the set-up
    # goes to the UE inside the handover command (mobilityControlInfo releases the old one)
    REFRESH_KENB = "refresh-kenb"
    RELEASE_AFTER_RLF = "release-after-rlf"  # R10: SeGW only, the radio link is gone
    RELEASE_SEGW_ONLY = "release-segw-only"  # 36.331 5.3.12: the UE released LWIP itself
    RELEASE_FOR_WLAN_LOSS = "release-for-wlan-loss"  # R11: SeGW + UE, then wait for WLAN
    CONFIRM_SEGW_RELEASE = "confirm-segw-release"  # LWIP RELEASE CONFIRM + RRC release
    RELEASE_LOCAL_AND_UE = "release-local-and-ue"  # SeGW gone or reset: UE released, ids freed
    RELEASE_FOR_ID_ERROR = "release-for-id-error"  # 36.413 10.6 local release; SeGW and UE told
    FORGET = "forget"  # nothing to release any more; leave the released state


class Transition(NamedTuple):
    action: Action
    next_state: State


_S, _E, _A = State, Event, Action

TRANSITIONS: Final[dict[tuple[State, Event], Transition]] = {
    # --- IDLE: nothing set up --------------------------------------------------------------
    (_S.IDLE, _E.ACTIVATE): Transition(_A.START_ADDITION, _S.ADDING),
    (_S.IDLE, _E.DEACTIVATE): Transition(_A.NOTHING, _S.IDLE),
    (_S.IDLE, _E.HANDOVER): Transition(_A.NOTHING, _S.IDLE),
    (_S.IDLE, _E.KENB_REFRESH): Transition(_A.NOTHING, _S.IDLE),
    (_S.IDLE, _E.RADIO_LINK_FAILURE): Transition(_A.NOTHING, _S.IDLE),
    (_S.IDLE, _E.REESTABLISHMENT): Transition(_A.NOTHING, _S.IDLE),
    (_S.IDLE, _E.SEGW_LOST): Transition(_A.NOTHING, _S.IDLE),
    (_S.IDLE, _E.RRC_RELEASED): Transition(_A.NOTHING, _S.IDLE),
    # --- ADDING: LWIP ADDITION REQUEST outstanding --------------------------------------------
    (_S.ADDING, _E.ADDITION_ACK): Transition(_A.SEND_RRC_SETUP, _S.CONFIGURING),
    (_S.ADDING, _E.ADDITION_REJECT): Transition(_A.ACTIVATION_FAILED, _S.IDLE),
    (_S.ADDING, _E.GUARD_TIMEOUT): Transition(_A.ACTIVATION_FAILED, _S.IDLE),
    (_S.ADDING, _E.XWAP_ERROR): Transition(_A.ACTIVATION_FAILED, _S.IDLE),
    (_S.ADDING, _E.XWAP_ID_ERROR): Transition(_A.ACTIVATION_FAILED, _S.IDLE),
    (_S.ADDING, _E.SEGW_LOST): Transition(_A.ACTIVATION_FAILED, _S.IDLE),
    (_S.ADDING, _E.DEACTIVATE): Transition(_A.ABORT_ADDITION, _S.CANCELLING),
    (_S.ADDING, _E.HANDOVER): Transition(_A.ABORT_ADDITION, _S.CANCELLING),
    (_S.ADDING, _E.RADIO_LINK_FAILURE): Transition(_A.ABORT_ADDITION, _S.CANCELLING),
    (_S.ADDING, _E.REESTABLISHMENT): Transition(_A.ABORT_ADDITION, _S.CANCELLING),
    (_S.ADDING, _E.RRC_RELEASED): Transition(_A.ABORT_ADDITION, _S.CANCELLING),
    # --- CANCELLING: the SeGW may still store a PSK; undo it when its answer comes -------------
    (_S.CANCELLING, _E.ADDITION_ACK): Transition(_A.UNDO_ADDITION, _S.IDLE),
    (_S.CANCELLING, _E.ADDITION_REJECT): Transition(_A.CANCELLED, _S.IDLE),
    (_S.CANCELLING, _E.GUARD_TIMEOUT): Transition(_A.CANCELLED, _S.IDLE),
    (_S.CANCELLING, _E.XWAP_ERROR): Transition(_A.CANCELLED, _S.IDLE),
    (_S.CANCELLING, _E.XWAP_ID_ERROR): Transition(_A.CANCELLED, _S.IDLE),
    (_S.CANCELLING, _E.SEGW_LOST): Transition(_A.CANCELLED, _S.IDLE),
    (_S.CANCELLING, _E.DEACTIVATE): Transition(_A.NOTHING, _S.CANCELLING),
    (_S.CANCELLING, _E.HANDOVER): Transition(_A.NOTHING, _S.CANCELLING),
    (_S.CANCELLING, _E.RADIO_LINK_FAILURE): Transition(_A.NOTHING, _S.CANCELLING),
    (_S.CANCELLING, _E.REESTABLISHMENT): Transition(_A.NOTHING, _S.CANCELLING),
    (_S.CANCELLING, _E.RRC_RELEASED): Transition(_A.NOTHING, _S.CANCELLING),
    # --- CONFIGURING: RRC reconfiguration sent ----------------------------------------------
    (_S.CONFIGURING, _E.RECONFIGURATION_COMPLETE): Transition(_A.UE_CONFIGURED, _S.CONFIGURED),
    (_S.CONFIGURING, _E.WLAN_SUCCESS): Transition(_A.WLAN_ASSOCIATED, _S.ASSOCIATED),
    (_S.CONFIGURING, _E.WLAN_FAILURE): Transition(_A.RELEASE_FOR_WLAN_LOSS, _S.WLAN_LOST),
    (_S.CONFIGURING, _E.GUARD_TIMEOUT): Transition(_A.RELEASE_BOTH, _S.IDLE),
    (_S.CONFIGURING, _E.DEACTIVATE): Transition(_A.RELEASE_BOTH, _S.IDLE),
    (_S.CONFIGURING, _E.HANDOVER): Transition(_A.RELEASE_FOR_HANDOVER, _S.IDLE),
    (_S.CONFIGURING, _E.RADIO_LINK_FAILURE): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.CONFIGURING, _E.REESTABLISHMENT): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.CONFIGURING, _E.RRC_RELEASED): Transition(_A.RELEASE_SEGW_ONLY, _S.IDLE),
    (_S.CONFIGURING, _E.RELEASE_REQUIRED): Transition(_A.CONFIRM_SEGW_RELEASE, _S.IDLE),
    (_S.CONFIGURING, _E.XWAP_ID_ERROR): Transition(_A.RELEASE_FOR_ID_ERROR, _S.IDLE),
    (_S.CONFIGURING, _E.SEGW_LOST): Transition(_A.RELEASE_LOCAL_AND_UE, _S.IDLE),
    # --- CONFIGURED: the UE is associating with WLAN ------------------------------------------
    (_S.CONFIGURED, _E.WLAN_SUCCESS): Transition(_A.WLAN_ASSOCIATED, _S.ASSOCIATED),
    # the tunnel proves the association; the UE's report may still be on its way
    (_S.CONFIGURED, _E.TUNNEL_ESTABLISHED): Transition(_A.TUNNEL_USABLE, _S.ACTIVE),
    (_S.CONFIGURED, _E.WLAN_FAILURE): Transition(_A.RELEASE_FOR_WLAN_LOSS, _S.WLAN_LOST),
    (_S.CONFIGURED, _E.GUARD_TIMEOUT): Transition(_A.RELEASE_BOTH, _S.IDLE),
    (_S.CONFIGURED, _E.DEACTIVATE): Transition(_A.RELEASE_BOTH, _S.IDLE),
    (_S.CONFIGURED, _E.HANDOVER): Transition(_A.RELEASE_FOR_HANDOVER, _S.IDLE),
    (_S.CONFIGURED, _E.KENB_REFRESH): Transition(_A.REFRESH_KENB, _S.ADDING),
    (_S.CONFIGURED, _E.RADIO_LINK_FAILURE): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.CONFIGURED, _E.REESTABLISHMENT): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.CONFIGURED, _E.RRC_RELEASED): Transition(_A.RELEASE_SEGW_ONLY, _S.IDLE),
    (_S.CONFIGURED, _E.RELEASE_REQUIRED): Transition(_A.CONFIRM_SEGW_RELEASE, _S.IDLE),
    (_S.CONFIGURED, _E.XWAP_ID_ERROR): Transition(_A.RELEASE_FOR_ID_ERROR, _S.IDLE),
    (_S.CONFIGURED, _E.SEGW_LOST): Transition(_A.RELEASE_LOCAL_AND_UE, _S.IDLE),
    # --- ASSOCIATED: the UE is on WLAN and runs IKEv2 with the SeGW ---------------------------
    (_S.ASSOCIATED, _E.TUNNEL_ESTABLISHED): Transition(_A.TUNNEL_USABLE, _S.ACTIVE),
    (_S.ASSOCIATED, _E.WLAN_SUCCESS): Transition(_A.NOTHING, _S.ASSOCIATED),
    (_S.ASSOCIATED, _E.WLAN_FAILURE): Transition(_A.RELEASE_FOR_WLAN_LOSS, _S.WLAN_LOST),
    (_S.ASSOCIATED, _E.WLAN_SUSPENDED): Transition(_A.WLAN_SUSPEND, _S.ASSOCIATED),
    (_S.ASSOCIATED, _E.WLAN_RESUMED): Transition(_A.WLAN_RESUME, _S.ASSOCIATED),
    (_S.ASSOCIATED, _E.GUARD_TIMEOUT): Transition(_A.RELEASE_BOTH, _S.IDLE),
    (_S.ASSOCIATED, _E.DEACTIVATE): Transition(_A.RELEASE_BOTH, _S.IDLE),
    (_S.ASSOCIATED, _E.HANDOVER): Transition(_A.RELEASE_FOR_HANDOVER, _S.IDLE),
    (_S.ASSOCIATED, _E.KENB_REFRESH): Transition(_A.REFRESH_KENB, _S.ADDING),
    (_S.ASSOCIATED, _E.RADIO_LINK_FAILURE): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.ASSOCIATED, _E.REESTABLISHMENT): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.ASSOCIATED, _E.RRC_RELEASED): Transition(_A.RELEASE_SEGW_ONLY, _S.IDLE),
    (_S.ASSOCIATED, _E.RELEASE_REQUIRED): Transition(_A.CONFIRM_SEGW_RELEASE, _S.IDLE),
    (_S.ASSOCIATED, _E.XWAP_ID_ERROR): Transition(_A.RELEASE_FOR_ID_ERROR, _S.IDLE),
    (_S.ASSOCIATED, _E.SEGW_LOST): Transition(_A.RELEASE_LOCAL_AND_UE, _S.IDLE),
    # --- ACTIVE: the tunnel carries traffic -------------------------------------------------
    (_S.ACTIVE, _E.TUNNEL_ESTABLISHED): Transition(_A.NOTHING, _S.ACTIVE),
    (_S.ACTIVE, _E.WLAN_SUCCESS): Transition(_A.NOTHING, _S.ACTIVE),
    (_S.ACTIVE, _E.WLAN_FAILURE): Transition(_A.RELEASE_FOR_WLAN_LOSS, _S.WLAN_LOST),
    (_S.ACTIVE, _E.WLAN_SUSPENDED): Transition(_A.WLAN_SUSPEND, _S.ACTIVE),
    (_S.ACTIVE, _E.WLAN_RESUMED): Transition(_A.WLAN_RESUME, _S.ACTIVE),
    (_S.ACTIVE, _E.DEACTIVATE): Transition(_A.RELEASE_BOTH, _S.IDLE),
    (_S.ACTIVE, _E.HANDOVER): Transition(_A.RELEASE_FOR_HANDOVER, _S.IDLE),
    (_S.ACTIVE, _E.KENB_REFRESH): Transition(_A.REFRESH_KENB, _S.ADDING),
    (_S.ACTIVE, _E.RADIO_LINK_FAILURE): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.ACTIVE, _E.REESTABLISHMENT): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.ACTIVE, _E.RRC_RELEASED): Transition(_A.RELEASE_SEGW_ONLY, _S.IDLE),
    (_S.ACTIVE, _E.RELEASE_REQUIRED): Transition(_A.CONFIRM_SEGW_RELEASE, _S.IDLE),
    (_S.ACTIVE, _E.XWAP_ID_ERROR): Transition(_A.RELEASE_FOR_ID_ERROR, _S.IDLE),
    (_S.ACTIVE, _E.SEGW_LOST): Transition(_A.RELEASE_LOCAL_AND_UE, _S.IDLE),
    (_S.ACTIVE, _E.MODIFY): Transition(_A.START_MODIFICATION, _S.MODIFYING),
    # --- MODIFYING: LWIP MODIFICATION REQUEST outstanding; the tunnel is in use ---------------
    (_S.MODIFYING, _E.MODIFICATION_ACK): Transition(_A.MODIFIED, _S.ACTIVE),
    (_S.MODIFYING, _E.MODIFICATION_REJECT): Transition(_A.MODIFICATION_FAILED, _S.ACTIVE),
    (_S.MODIFYING, _E.GUARD_TIMEOUT): Transition(_A.MODIFICATION_FAILED, _S.ACTIVE),
    (_S.MODIFYING, _E.XWAP_ERROR): Transition(_A.MODIFICATION_FAILED, _S.ACTIVE),
    (_S.MODIFYING, _E.XWAP_ID_ERROR): Transition(_A.RELEASE_FOR_ID_ERROR, _S.IDLE),
    (_S.MODIFYING, _E.WLAN_SUCCESS): Transition(_A.NOTHING, _S.MODIFYING),
    (_S.MODIFYING, _E.TUNNEL_ESTABLISHED): Transition(_A.NOTHING, _S.MODIFYING),
    (_S.MODIFYING, _E.WLAN_FAILURE): Transition(_A.RELEASE_FOR_WLAN_LOSS, _S.WLAN_LOST),
    (_S.MODIFYING, _E.WLAN_SUSPENDED): Transition(_A.WLAN_SUSPEND, _S.MODIFYING),
    (_S.MODIFYING, _E.WLAN_RESUMED): Transition(_A.WLAN_RESUME, _S.MODIFYING),
    (_S.MODIFYING, _E.DEACTIVATE): Transition(_A.RELEASE_BOTH, _S.IDLE),
    (_S.MODIFYING, _E.HANDOVER): Transition(_A.RELEASE_FOR_HANDOVER, _S.IDLE),
    (_S.MODIFYING, _E.KENB_REFRESH): Transition(_A.REFRESH_KENB, _S.ADDING),
    (_S.MODIFYING, _E.RADIO_LINK_FAILURE): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.MODIFYING, _E.REESTABLISHMENT): Transition(_A.RELEASE_AFTER_RLF, _S.IDLE),
    (_S.MODIFYING, _E.RRC_RELEASED): Transition(_A.RELEASE_SEGW_ONLY, _S.IDLE),
    (_S.MODIFYING, _E.RELEASE_REQUIRED): Transition(_A.CONFIRM_SEGW_RELEASE, _S.IDLE),
    (_S.MODIFYING, _E.SEGW_LOST): Transition(_A.RELEASE_LOCAL_AND_UE, _S.IDLE),
    # --- WLAN_LOST: released, waiting for WLAN (R11) ----------------------------------------
    (_S.WLAN_LOST, _E.WLAN_AVAILABLE): Transition(_A.START_ADDITION, _S.ADDING),
    (_S.WLAN_LOST, _E.WLAN_RESUMED): Transition(_A.START_ADDITION, _S.ADDING),
    (_S.WLAN_LOST, _E.WLAN_FAILURE): Transition(_A.NOTHING, _S.WLAN_LOST),
    # a suspension reported before the UE took the release: nothing left to suspend
    (_S.WLAN_LOST, _E.WLAN_SUSPENDED): Transition(_A.NOTHING, _S.WLAN_LOST),
    (_S.WLAN_LOST, _E.DEACTIVATE): Transition(_A.FORGET, _S.IDLE),
    (_S.WLAN_LOST, _E.HANDOVER): Transition(_A.FORGET, _S.IDLE),
    (_S.WLAN_LOST, _E.KENB_REFRESH): Transition(_A.NOTHING, _S.WLAN_LOST),
    (_S.WLAN_LOST, _E.RADIO_LINK_FAILURE): Transition(_A.FORGET, _S.IDLE),
    (_S.WLAN_LOST, _E.REESTABLISHMENT): Transition(_A.FORGET, _S.IDLE),
    (_S.WLAN_LOST, _E.RRC_RELEASED): Transition(_A.FORGET, _S.IDLE),
    (_S.WLAN_LOST, _E.SEGW_LOST): Transition(_A.NOTHING, _S.WLAN_LOST),
}


# The completion of a reconfiguration that is not the LWIP set-up (a release, a handover command,
# anything the caller sent) changes nothing, in every state but CONFIGURING.
for _state in State:
    TRANSITIONS.setdefault((_state, _E.RECONFIGURATION_COMPLETE), Transition(_A.NOTHING, _state))


def lookup(state: State, event: Event) -> Transition | None:
    """The row for (state, event), or None: a protocol error."""
    return TRANSITIONS.get((state, event))
