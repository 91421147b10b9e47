"""The (state, event) pairs the eNB's LWIP state machine must accept, written out by hand, each with
where it comes from. Independent of lwip_enb.core.fsm.TRANSITIONS: the tests compare the two both
ways, and take the pairs that must be protocol errors from here.

Sources: TS 33.401 16.2-16.6 as numbered R1-R11 in docs/traceability.md,
TS 36.463 V17.0.0 (XwAP) and TS 36.331 V17.4.0 (RRC). "command" marks a caller command that
concerns any UE whatever its LWIP state (the eNB decides handovers, deactivation, and detects
radio link failure itself), so the state machine accepts it everywhere.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from lwip_enb.core.fsm import Event, State

S, E = State, Event

#: (state, event) -> where it comes from
LEGAL: Final[dict[tuple[State, Event], str]] = {
    # --- IDLE: no LWIP for the UE ----------------------------------------------------------------
    (S.IDLE, E.ACTIVATE): "R1/R2; 36.463 8.14.2: the eNB starts LWIP Addition Preparation",
    (S.IDLE, E.DEACTIVATE): "command: nothing to release",
    (S.IDLE, E.HANDOVER): "R9 command: a UE without LWIP is handed over too",
    (S.IDLE, E.KENB_REFRESH): "36.331 5.3.5.4 command: no LWIP; the new KeNB is only taken",
    (S.IDLE, E.RADIO_LINK_FAILURE): "R10 command: any UE's radio link can fail",
    (S.IDLE, E.REESTABLISHMENT): "36.331 5.3.7: any UE may request re-establishment",
    (S.IDLE, E.SEGW_LOST): "36.463 8.7 Reset / Xw association loss concerns every UE",
    (S.IDLE, E.RRC_RELEASED): "36.331 5.3.12: leaving RRC_CONNECTED concerns every UE",
    (S.IDLE, E.RECONFIGURATION_COMPLETE): "36.331 5.3.5.3: completes a non-LWIP reconfiguration",
    # --- ADDING: LWIP ADDITION REQUEST outstanding ------------------------------------------------
    (S.ADDING, E.ADDITION_ACK): "36.463 8.14.2: LWIP ADDITION REQUEST ACKNOWLEDGE",
    (S.ADDING, E.ADDITION_REJECT): "36.463 8.14.3: LWIP ADDITION REQUEST REJECT",
    (S.ADDING, E.GUARD_TIMEOUT): "36.463 8.1 class 1: a response is due; the eNB's guard",
    (S.ADDING, E.XWAP_ERROR): "36.463 8.6 / 36.413 10.3.4.2: the addition failed at the WT",
    (S.ADDING, E.XWAP_ID_ERROR): "36.413 10.6: local release of the connection's AP IDs",
    (S.ADDING, E.SEGW_LOST): "36.463 8.7: Reset aborts ongoing procedures",
    (S.ADDING, E.DEACTIVATE): "command during the addition",
    (S.ADDING, E.HANDOVER): "R9 during the addition",
    (S.ADDING, E.RADIO_LINK_FAILURE): "R10 during the addition",
    (S.ADDING, E.REESTABLISHMENT): "R10; 36.331 5.3.7 during the addition",
    (S.ADDING, E.RRC_RELEASED): "36.331 5.3.12: leaving RRC_CONNECTED during the addition",
    (S.ADDING, E.RECONFIGURATION_COMPLETE): "36.331 5.3.5.3: a non-LWIP reconfiguration",
    # --- CANCELLING: released while the addition was outstanding; its answer is still due -------
    (S.CANCELLING, E.ADDITION_ACK): "36.463 8.14.2 answer arrives; undone by 8.16 (R5)",
    (S.CANCELLING, E.ADDITION_REJECT): "36.463 8.14.3 answer arrives",
    (S.CANCELLING, E.GUARD_TIMEOUT): "36.463 8.1 class 1: the answer never came",
    (S.CANCELLING, E.XWAP_ERROR): "36.463 8.6 / 36.413 10.3.4.2: the addition failed",
    (S.CANCELLING, E.XWAP_ID_ERROR): "36.413 10.6: local release of the connection's AP IDs",
    (S.CANCELLING, E.SEGW_LOST): "36.463 8.7: Reset / association loss",
    (S.CANCELLING, E.DEACTIVATE): "command, again",
    (S.CANCELLING, E.HANDOVER): "R9, again",
    (S.CANCELLING, E.RADIO_LINK_FAILURE): "R10, again",
    (S.CANCELLING, E.REESTABLISHMENT): "R10; 36.331 5.3.7, again",
    (S.CANCELLING, E.RRC_RELEASED): "36.331 5.3.12: leaving RRC_CONNECTED, again",
    (S.CANCELLING, E.RECONFIGURATION_COMPLETE): "36.331 5.3.5.3: a non-LWIP reconfiguration",
    # --- CONFIGURING: RRCConnectionReconfiguration with the tunnel sent --------------------------
    (S.CONFIGURING, E.RECONFIGURATION_COMPLETE): "36.331 5.3.5.3 / 5.6.17.2: the UE applied it",
    (S.CONFIGURING, E.WLAN_SUCCESS): "36.331 5.6.15.4: WLAN association reported (no tunnel)",
    (S.CONFIGURING, E.WLAN_FAILURE): "R11; 36.331 5.6.15.4: WLAN failure reported",
    (S.CONFIGURING, E.GUARD_TIMEOUT): "36.331 5.3.5: no completion; the eNB's guard",
    (S.CONFIGURING, E.DEACTIVATE): "command: release at SeGW (36.463 8.16) and UE (5.6.17.3)",
    (S.CONFIGURING, E.HANDOVER): "R9",
    (S.CONFIGURING, E.RADIO_LINK_FAILURE): "R10",
    (S.CONFIGURING, E.REESTABLISHMENT): "R10; 36.331 5.3.7",
    (
        S.CONFIGURING,
        E.RRC_RELEASED,
    ): "36.331 5.3.12: leaving RRC_CONNECTED: the UE released LWIP itself",
    (S.CONFIGURING, E.RELEASE_REQUIRED): "36.463 8.17.2 (e.g. R4 window expiry at the SeGW)",
    (S.CONFIGURING, E.XWAP_ID_ERROR): "36.413 10.6: Error Indication and local release",
    (S.CONFIGURING, E.SEGW_LOST): "36.463 8.7: Reset / association loss",
    # --- CONFIGURED: the UE associates with WLAN ---------------------------------------------
    (S.CONFIGURED, E.WLAN_SUCCESS): "36.331 5.6.15.4: successfulAssociation = WLAN associated",
    (
        S.CONFIGURED,
        E.TUNNEL_ESTABLISHED,
    ): "33.401 H; 36.300 22A.3: IKEv2 over WLAN proves association; the report may lag",
    (S.CONFIGURED, E.WLAN_FAILURE): "R11; 36.331 5.6.15.4",
    (S.CONFIGURED, E.GUARD_TIMEOUT): "36.331 5.6.15.3: T351 (plus a margin) ran out unreported",
    (S.CONFIGURED, E.DEACTIVATE): "command: release at SeGW and UE",
    (S.CONFIGURED, E.HANDOVER): "R9",
    (S.CONFIGURED, E.KENB_REFRESH): "36.331 5.3.5.4: intra-eNB handover, set-up in the command",
    (S.CONFIGURED, E.RADIO_LINK_FAILURE): "R10",
    (S.CONFIGURED, E.REESTABLISHMENT): "R10; 36.331 5.3.7",
    (
        S.CONFIGURED,
        E.RRC_RELEASED,
    ): "36.331 5.3.12: leaving RRC_CONNECTED: the UE released LWIP itself",
    (S.CONFIGURED, E.RELEASE_REQUIRED): "36.463 8.17.2 (e.g. R4 window expiry at the SeGW)",
    (S.CONFIGURED, E.XWAP_ID_ERROR): "36.413 10.6: Error Indication and local release",
    (S.CONFIGURED, E.SEGW_LOST): "36.463 8.7: Reset / association loss",
    (S.CONFIGURED, E.RECONFIGURATION_COMPLETE): "36.331 5.3.5.3: a non-LWIP reconfiguration",
    # --- ASSOCIATED: on WLAN, IKEv2 with the SeGW under way (36.300 22A.3) ---------------------
    (S.ASSOCIATED, E.TUNNEL_ESTABLISHED): "33.401 H / 36.300 22A.3: the SeGW accepted IKEv2",
    (S.ASSOCIATED, E.WLAN_SUCCESS): "36.331 5.6.15.4: a repeated success report",
    (S.ASSOCIATED, E.WLAN_FAILURE): "R11; 36.331 5.6.15.4",
    (S.ASSOCIATED, E.WLAN_SUSPENDED): "36.331 5.6.15.4: associated WLAN temporarily unavailable",
    (S.ASSOCIATED, E.WLAN_RESUMED): "36.331 5.6.15.4: connected again after suspended",
    (S.ASSOCIATED, E.GUARD_TIMEOUT): "33.401 H: IKEv2 never succeeded; the eNB's tunnel guard",
    (S.ASSOCIATED, E.DEACTIVATE): "command: release at SeGW and UE",
    (S.ASSOCIATED, E.HANDOVER): "R9",
    (S.ASSOCIATED, E.KENB_REFRESH): "36.331 5.3.5.4: intra-eNB handover, set-up in the command",
    (S.ASSOCIATED, E.RADIO_LINK_FAILURE): "R10",
    (S.ASSOCIATED, E.REESTABLISHMENT): "R10; 36.331 5.3.7",
    (
        S.ASSOCIATED,
        E.RRC_RELEASED,
    ): "36.331 5.3.12: leaving RRC_CONNECTED: the UE released LWIP itself",
    (S.ASSOCIATED, E.RELEASE_REQUIRED): "36.463 8.17.2 (e.g. R4 window expiry at the SeGW)",
    (S.ASSOCIATED, E.XWAP_ID_ERROR): "36.413 10.6: Error Indication and local release",
    (S.ASSOCIATED, E.SEGW_LOST): "36.463 8.7: Reset / association loss",
    (S.ASSOCIATED, E.RECONFIGURATION_COMPLETE): "36.331 5.3.5.3: a non-LWIP reconfiguration",
    # --- ACTIVE: the tunnel carries traffic -------------------------------------------------------
    (S.ACTIVE, E.TUNNEL_ESTABLISHED): "33.401 H: the tunnel reported again (a repeated input)",
    (S.ACTIVE, E.WLAN_SUCCESS): "36.331 5.6.15.4: a repeated success report",
    (S.ACTIVE, E.WLAN_FAILURE): "R11; 36.331 5.6.15.4",
    (S.ACTIVE, E.WLAN_SUSPENDED): "36.331 5.6.15.4: WLAN temporarily unavailable, config kept",
    (S.ACTIVE, E.WLAN_RESUMED): "36.331 5.6.15.4: connected again after suspended",
    (S.ACTIVE, E.DEACTIVATE): "command: release at SeGW and UE",
    (S.ACTIVE, E.HANDOVER): "R9",
    (S.ACTIVE, E.KENB_REFRESH): "36.331 5.3.5.4: intra-eNB handover, set-up in the command",
    (S.ACTIVE, E.RADIO_LINK_FAILURE): "R10",
    (S.ACTIVE, E.REESTABLISHMENT): "R10; 36.331 5.3.7",
    (S.ACTIVE, E.RRC_RELEASED): "36.331 5.3.12: leaving RRC_CONNECTED: the UE released LWIP itself",
    (S.ACTIVE, E.RELEASE_REQUIRED): "36.463 8.17.2",
    (S.ACTIVE, E.XWAP_ID_ERROR): "36.413 10.6: Error Indication and local release",
    (S.ACTIVE, E.SEGW_LOST): "36.463 8.7: Reset / association loss",
    (S.ACTIVE, E.RECONFIGURATION_COMPLETE): "36.331 5.3.5.3: a non-LWIP reconfiguration",
    (S.ACTIVE, E.MODIFY): "36.463 8.15.2: the eNB starts eNB Initiated LWIP Modification",
    # --- MODIFYING: LWIP MODIFICATION REQUEST outstanding ----------------------------------------
    (S.MODIFYING, E.MODIFICATION_ACK): "36.463 8.15.2: LWIP MODIFICATION REQUEST ACKNOWLEDGE",
    (S.MODIFYING, E.MODIFICATION_REJECT): "36.463 8.15.3: LWIP MODIFICATION REQUEST REJECT",
    (S.MODIFYING, E.GUARD_TIMEOUT): "36.463 8.1 class 1: a response is due; the eNB's guard",
    (S.MODIFYING, E.XWAP_ERROR): "36.463 8.6 / 36.413 10.3.4.2: the modification failed",
    (S.MODIFYING, E.XWAP_ID_ERROR): "36.413 10.6: Error Indication and local release",
    (S.MODIFYING, E.WLAN_SUCCESS): "36.331 5.6.15.4: a repeated success report",
    (S.MODIFYING, E.TUNNEL_ESTABLISHED): "33.401 H: the tunnel reported again (a repeated input)",
    (S.MODIFYING, E.WLAN_FAILURE): "R11; 36.331 5.6.15.4",
    (S.MODIFYING, E.WLAN_SUSPENDED): "36.331 5.6.15.4: the UE is on WLAN while the WT modifies",
    (S.MODIFYING, E.WLAN_RESUMED): "36.331 5.6.15.4: connected again after suspended",
    (S.MODIFYING, E.DEACTIVATE): "command: release at SeGW and UE",
    (S.MODIFYING, E.HANDOVER): "R9",
    (S.MODIFYING, E.KENB_REFRESH): "36.331 5.3.5.4: intra-eNB handover, set-up in the command",
    (S.MODIFYING, E.RADIO_LINK_FAILURE): "R10",
    (S.MODIFYING, E.REESTABLISHMENT): "R10; 36.331 5.3.7",
    (
        S.MODIFYING,
        E.RRC_RELEASED,
    ): "36.331 5.3.12: leaving RRC_CONNECTED: the UE released LWIP itself",
    (S.MODIFYING, E.RELEASE_REQUIRED): "36.463 8.17.2",
    (S.MODIFYING, E.SEGW_LOST): "36.463 8.7: Reset / association loss",
    (S.MODIFYING, E.RECONFIGURATION_COMPLETE): "36.331 5.3.5.3: a non-LWIP reconfiguration",
    # --- WLAN_LOST: released for WLAN loss, waiting for WLAN (R11) ---------------------------
    (S.WLAN_LOST, E.WLAN_AVAILABLE): "R11: a fresh tunnel when WLAN returns",
    (S.WLAN_LOST, E.WLAN_RESUMED): "R11; 36.331 WLAN-Status-v1430 resumed",
    (S.WLAN_LOST, E.WLAN_FAILURE): "36.331 5.6.15.4: a repeated failure report",
    (S.WLAN_LOST, E.WLAN_SUSPENDED): "36.331 5.6.15.4: sent before the UE took the release",
    (S.WLAN_LOST, E.DEACTIVATE): "command: stop waiting for WLAN",
    (S.WLAN_LOST, E.HANDOVER): "R9: stop waiting for WLAN",
    (S.WLAN_LOST, E.KENB_REFRESH): "36.331 5.3.5.4: nothing set up; new KeNB taken",
    (S.WLAN_LOST, E.RADIO_LINK_FAILURE): "R10: stop waiting for WLAN",
    (S.WLAN_LOST, E.REESTABLISHMENT): "R10; 36.331 5.3.7: stop waiting for WLAN",
    (
        S.WLAN_LOST,
        E.RRC_RELEASED,
    ): "36.331 5.3.12: leaving RRC_CONNECTED: the UE released LWIP itself",
    (S.WLAN_LOST, E.SEGW_LOST): "36.463 8.7: nothing set up at the SeGW to lose",
    (S.WLAN_LOST, E.RECONFIGURATION_COMPLETE): "36.331 5.3.5.3: completes the LWIP release",
}


# --- what each legal pair does, as seen from outside -------------------------------------------
#
# Written from the same sources, independently of lwip_enb.core.fsm (its Action names are not
# used): each legal pair gets the state the UE must be in afterwards and the observable effect,
# the messages to the SeGW and the UE, the events told to the caller, and the guard timer that
# runs afterwards. tests/procedures/test_state_table_effects.py drives every pair through the
# controller's public inputs and checks both.


class Effect(NamedTuple):
    """What the eNB must be seen to do."""

    segw: tuple[str, ...] = ()
    """XwAP messages to the SeGW, as ``MESSAGE`` or ``MESSAGE(group:cause)``."""
    ue: str | None = None
    """RRCConnectionReconfiguration to the UE: ``"lwip-setup"`` or ``"lwip-release"`` (36.331
    5.6.17.2 / 5.6.17.3), or None for none."""
    events: tuple[str, ...] = ()
    """Outputs told to the caller (class names of lwip_enb.core.outputs), in order; an input that
    is itself an Error Indication is also reported (ErrorIndicationReceived), not listed here."""
    guard: str | None = None
    """The eNB's guard timer afterwards: ``"kept"`` (as it was, also when none ran), None (no
    guard), or which one starts now: ``"xwap"`` (36.463 8.1 class 1 answer due), ``"rrc"``
    (36.331 5.3.5 completion due), ``"association"`` (T351 plus a margin, 5.6.15.3),
    ``"tunnel"`` (IKEv2 over WLAN due, 33.401 H)."""


_CANCELLED = "radioNetwork:procedure-cancelled"
_RELEASED = ("TunnelReleased",)

EFFECTS: Final[dict[str, Effect]] = {
    "none": Effect(guard="kept"),
    # R2 / 36.463 8.14.2: a fresh PSK goes in the LWIP ADDITION REQUEST; the eNB wipes its copy
    # once encoded (R5: PskDeleted) and waits for the SeGW's answer.
    "addition": Effect(("LWIPAdditionRequest",), events=("PskDeleted",), guard="xwap"),
    # R2: nothing reached the UE before the SeGW acknowledged: a failure sends nothing.
    "activation-failed": Effect(events=("ActivationFailed",)),
    # The SeGW's answer is still due: released for the caller now, undone when it comes.
    "cancel": Effect(events=_RELEASED, guard="kept"),
    # R5 / 36.463 8.16: the late acknowledge of a cancelled addition is released at once.
    "undo": Effect((f"LWIPReleaseRequest({_CANCELLED})",)),
    "cancelled": Effect(),
    # 36.331 5.6.17.2: SeGW address, IDi and counter to the UE; its completion is due.
    "rrc-setup": Effect(ue="lwip-setup", guard="rrc"),
    # 36.331 5.6.15.3: the UE associates under T351; the eNB waits T351 plus a margin.
    "ue-configured": Effect(guard="association"),
    # 36.331 5.6.15.4 / 36.300 22A.3: associated with WLAN; IKEv2 with the SeGW is due.
    "associated": Effect(guard="tunnel"),
    # 33.401 H: the tunnel is up; the DRBs go over it; nothing more to wait for.
    "usable": Effect(events=("TunnelUp",)),
    # 36.331 5.6.15.4 WLAN-Status-v1430 (with wlan-SuspendConfig-r14): suspended releases nothing
    # (the UE keeps its LWIP configuration); the caller is told, and again when resumed.
    "suspended": Effect(events=("WlanSuspended",), guard="kept"),
    "resumed": Effect(events=("WlanResumed",), guard="kept"),
    # Deactivation or a guard that ran out: released at the SeGW (8.16) and the UE (5.6.17.3).
    "release-both": Effect(
        ("LWIPReleaseRequest(radioNetwork:unspecified)",), "lwip-release", _RELEASED
    ),
    # R9: EnbConfig.handover_cause (radioNetwork:unspecified), implicit UE release by default.
    "release-handover": Effect(("LWIPReleaseRequest(radioNetwork:unspecified)",), None, _RELEASED),
    # R10: the radio link is gone: the SeGW only, with the cause that says so.
    "release-rlf": Effect(
        ("LWIPReleaseRequest(radioNetwork:radio-connection-with-UE-lost)",), None, _RELEASED
    ),
    # 36.331 5.3.12: the UE released LWIP itself on leaving RRC_CONNECTED: the SeGW only.
    "release-segw": Effect(("LWIPReleaseRequest(radioNetwork:unspecified)",), None, _RELEASED),
    # R11: WLAN failed: both ends, with the cause that says so.
    "release-wlan": Effect(
        ("LWIPReleaseRequest(radioNetwork:wLAN-not-available)",), "lwip-release", _RELEASED
    ),
    # 36.463 8.17.2: LWIP RELEASE CONFIRM, and the UE released too.
    "confirm": Effect(("LWIPReleaseConfirm",), "lwip-release", _RELEASED),
    # 36.413 10.6: local release of the connection; the SeGW and the UE are told.
    "release-id-error": Effect(
        ("LWIPReleaseRequest(radioNetwork:unknown-pair-of-UE-XwAP-ID)",), "lwip-release", _RELEASED
    ),
    # 36.463 8.7: the SeGW is gone or reset: nothing to send it; the UE is released.
    "release-ue": Effect((), "lwip-release", _RELEASED),
    # 36.331 5.3.5.4: intra-eNB handover: the old tunnel released at the SeGW, a new addition
    # under the new KeNB (its set-up goes to the UE in the handover command, after the ACK).
    "refresh": Effect(
        ("LWIPReleaseRequest(radioNetwork:unspecified)", "LWIPAdditionRequest"),
        None,
        ("TunnelReleased", "PskDeleted"),
        "xwap",
    ),
    # 36.463 8.15.2: LWIP MODIFICATION REQUEST; its answer is due; the tunnel stays in use.
    "modify": Effect(("LWIPModificationRequest(radioNetwork:unspecified)",), guard="xwap"),
    "modified": Effect(events=("LwipModified",)),
    "modification-failed": Effect(events=("ModificationFailed",)),
    # Nothing set up to release: the wait for WLAN (R11) ends.
    "forget": Effect(),
}

_LIVE = (S.CONFIGURING, S.CONFIGURED, S.ASSOCIATED, S.ACTIVE, S.MODIFYING)

#: (state, event) -> (the state afterwards, the name of its effect in EFFECTS)
ROWS: Final[dict[tuple[State, Event], tuple[State, str]]] = {
    (S.IDLE, E.ACTIVATE): (S.ADDING, "addition"),
    **{(S.IDLE, e): (S.IDLE, "none") for s, e in LEGAL if s is S.IDLE and e is not E.ACTIVATE},
    # ADDING
    (S.ADDING, E.ADDITION_ACK): (S.CONFIGURING, "rrc-setup"),
    (S.ADDING, E.ADDITION_REJECT): (S.IDLE, "activation-failed"),
    (S.ADDING, E.GUARD_TIMEOUT): (S.IDLE, "activation-failed"),
    (S.ADDING, E.XWAP_ERROR): (S.IDLE, "activation-failed"),
    (S.ADDING, E.XWAP_ID_ERROR): (S.IDLE, "activation-failed"),
    (S.ADDING, E.SEGW_LOST): (S.IDLE, "activation-failed"),
    (S.ADDING, E.DEACTIVATE): (S.CANCELLING, "cancel"),
    (S.ADDING, E.HANDOVER): (S.CANCELLING, "cancel"),
    (S.ADDING, E.RADIO_LINK_FAILURE): (S.CANCELLING, "cancel"),
    (S.ADDING, E.REESTABLISHMENT): (S.CANCELLING, "cancel"),
    (S.ADDING, E.RRC_RELEASED): (S.CANCELLING, "cancel"),
    (S.ADDING, E.RECONFIGURATION_COMPLETE): (S.ADDING, "none"),
    # CANCELLING
    (S.CANCELLING, E.ADDITION_ACK): (S.IDLE, "undo"),
    (S.CANCELLING, E.ADDITION_REJECT): (S.IDLE, "cancelled"),
    (S.CANCELLING, E.GUARD_TIMEOUT): (S.IDLE, "cancelled"),
    (S.CANCELLING, E.XWAP_ERROR): (S.IDLE, "cancelled"),
    (S.CANCELLING, E.XWAP_ID_ERROR): (S.IDLE, "cancelled"),
    (S.CANCELLING, E.SEGW_LOST): (S.IDLE, "cancelled"),
    (S.CANCELLING, E.DEACTIVATE): (S.CANCELLING, "none"),
    (S.CANCELLING, E.HANDOVER): (S.CANCELLING, "none"),
    (S.CANCELLING, E.RADIO_LINK_FAILURE): (S.CANCELLING, "none"),
    (S.CANCELLING, E.REESTABLISHMENT): (S.CANCELLING, "none"),
    (S.CANCELLING, E.RRC_RELEASED): (S.CANCELLING, "none"),
    (S.CANCELLING, E.RECONFIGURATION_COMPLETE): (S.CANCELLING, "none"),
    # CONFIGURING, CONFIGURED, ASSOCIATED, ACTIVE, MODIFYING: what every live set-up shares
    **{
        (s, e): row
        for s in _LIVE
        for e, row in {
            E.WLAN_FAILURE: (S.WLAN_LOST, "release-wlan"),
            E.DEACTIVATE: (S.IDLE, "release-both"),
            E.HANDOVER: (S.IDLE, "release-handover"),
            E.RADIO_LINK_FAILURE: (S.IDLE, "release-rlf"),
            E.REESTABLISHMENT: (S.IDLE, "release-rlf"),
            E.RRC_RELEASED: (S.IDLE, "release-segw"),
            E.RELEASE_REQUIRED: (S.IDLE, "confirm"),
            E.XWAP_ID_ERROR: (S.IDLE, "release-id-error"),
            E.SEGW_LOST: (S.IDLE, "release-ue"),
        }.items()
    },
    **{(s, E.KENB_REFRESH): (S.ADDING, "refresh") for s in _LIVE if s is not S.CONFIGURING},
    **{(s, E.GUARD_TIMEOUT): (S.IDLE, "release-both") for s in _LIVE[:3]},
    **{(s, E.RECONFIGURATION_COMPLETE): (s, "none") for s in _LIVE if s is not S.CONFIGURING},
    (S.CONFIGURING, E.RECONFIGURATION_COMPLETE): (S.CONFIGURED, "ue-configured"),
    (S.CONFIGURING, E.WLAN_SUCCESS): (S.ASSOCIATED, "associated"),
    (S.CONFIGURED, E.WLAN_SUCCESS): (S.ASSOCIATED, "associated"),
    (S.CONFIGURED, E.TUNNEL_ESTABLISHED): (S.ACTIVE, "usable"),
    (S.ASSOCIATED, E.TUNNEL_ESTABLISHED): (S.ACTIVE, "usable"),
    (S.ASSOCIATED, E.WLAN_SUCCESS): (S.ASSOCIATED, "none"),
    (S.ACTIVE, E.TUNNEL_ESTABLISHED): (S.ACTIVE, "none"),
    (S.ACTIVE, E.WLAN_SUCCESS): (S.ACTIVE, "none"),
    (S.ACTIVE, E.MODIFY): (S.MODIFYING, "modify"),
    (S.MODIFYING, E.MODIFICATION_ACK): (S.ACTIVE, "modified"),
    (S.MODIFYING, E.MODIFICATION_REJECT): (S.ACTIVE, "modification-failed"),
    (S.MODIFYING, E.GUARD_TIMEOUT): (S.ACTIVE, "modification-failed"),
    (S.MODIFYING, E.XWAP_ERROR): (S.ACTIVE, "modification-failed"),
    (S.MODIFYING, E.WLAN_SUCCESS): (S.MODIFYING, "none"),
    (S.MODIFYING, E.TUNNEL_ESTABLISHED): (S.MODIFYING, "none"),
    **{(s, E.WLAN_SUSPENDED): (s, "suspended") for s in (S.ASSOCIATED, S.ACTIVE, S.MODIFYING)},
    **{(s, E.WLAN_RESUMED): (s, "resumed") for s in (S.ASSOCIATED, S.ACTIVE, S.MODIFYING)},
    # WLAN_LOST: released already; a fresh addition when WLAN returns (R11)
    (S.WLAN_LOST, E.WLAN_AVAILABLE): (S.ADDING, "addition"),
    (S.WLAN_LOST, E.WLAN_RESUMED): (S.ADDING, "addition"),
    (S.WLAN_LOST, E.WLAN_FAILURE): (S.WLAN_LOST, "none"),
    (S.WLAN_LOST, E.WLAN_SUSPENDED): (S.WLAN_LOST, "none"),
    (S.WLAN_LOST, E.DEACTIVATE): (S.IDLE, "forget"),
    (S.WLAN_LOST, E.HANDOVER): (S.IDLE, "forget"),
    (S.WLAN_LOST, E.KENB_REFRESH): (S.WLAN_LOST, "none"),
    (S.WLAN_LOST, E.RADIO_LINK_FAILURE): (S.IDLE, "forget"),
    (S.WLAN_LOST, E.REESTABLISHMENT): (S.IDLE, "forget"),
    (S.WLAN_LOST, E.RRC_RELEASED): (S.IDLE, "forget"),
    (S.WLAN_LOST, E.SEGW_LOST): (S.WLAN_LOST, "none"),
    (S.WLAN_LOST, E.RECONFIGURATION_COMPLETE): (S.WLAN_LOST, "none"),
}
