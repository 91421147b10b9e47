"""Reference peers for harnesses, sans-IO and written from the 3GPP text: the LWIP-SeGW in the WT
role (:mod:`lwip_enb.peers.segw`, its outputs in :mod:`lwip_enb.peers.segw_outputs`), the UE
(:mod:`lwip_enb.peers.ue`, :mod:`lwip_enb.peers.ue_outputs`) and the modelled IKEv2 step they
share (:mod:`lwip_enb.peers.ike`). They import neither the eNB nor each other."""
