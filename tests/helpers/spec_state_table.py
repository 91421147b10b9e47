"""The (state, event) pairs the eNB's LWIP state machine must accept, written out by hand, each with
where it comes from. Independent of lwip_enb.core.fsm.TRANSITIONS: the tests compare the two both
ways, and take the pairs that must be protocol errors from here.

Sources: TS 33.401 16.2-16.6 as numbered R1-R11 in docs/traceability.md,
TS 36.463 V17.0.0 (XwAP) and TS 36.331 V17.4.0 (RRC). "command" marks a caller command that
concerns any UE whatever its LWIP state (the eNB decides handovers, deactivation, and detects
radio link failure itself), so the state machine accepts it everywhere.
"""

from __future__ import annotations

from typing import Final

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
