"""The eNB core, sans-IO: the per-UE LWIP state machine (:mod:`lwip_enb.core.fsm`) and the
controller that carries out its actions for many UEs and SeGWs (:mod:`lwip_enb.core.controller`).
Imports neither a transport, nor a runtime, nor a reference peer."""
