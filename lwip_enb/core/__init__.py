"""The eNB core, sans-IO: the per-UE LWIP state machine (:mod:`lwip_enb.core.fsm`), the
controller that carries out its actions for many UEs and SeGWs (:mod:`lwip_enb.core.controller`)
and what the controller outputs (:mod:`lwip_enb.core.outputs`). Imports neither a transport, nor
a runtime, nor a reference peer."""
