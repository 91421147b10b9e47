"""Real peers: strongSwan's charon in network namespaces (:mod:`lwip_enb.real.strongswan`) and the
simulation's story over real IKEv2 and ESP (:mod:`lwip_enb.real.simulation`)."""
