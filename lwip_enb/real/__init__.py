"""Real peers: strongSwan's charon in network namespaces, and the simulation's story over real
IKEv2 and ESP.

This package does I/O (subprocesses, sockets, a thread per event watcher); the protocol core of
the library stays sans-IO. It drives Debian's strongSwan 5.9 ``charon`` over VICI. Its modules,
each importing only modules listed above it:

- :mod:`lwip_enb.real.host`: what the machine must provide (``available()``), running commands
- :mod:`lwip_enb.real.session`: VICI sessions, and charon's replies and errors as plain values
- :mod:`lwip_enb.real.cleanup`: run markers, removing what dead runs left, closing on SIGTERM,
  SIGINT and at exit, the leftover check
- :mod:`lwip_enb.real.topology`: the UE, SeGW and eNB namespaces (one eNB or two), their links,
  the R6 rules
- :mod:`lwip_enb.real.daemon`: one charon per namespace, with its own strongswan.conf and socket
- :mod:`lwip_enb.real.events`: the watcher of a charon's tunnel up/down events
- :mod:`lwip_enb.real.backends`: the LWIP-SeGW and the UE over VICI
- :mod:`lwip_enb.real.edge`: the daemons driven by the reference models' outputs
- :mod:`lwip_enb.real.simulation`: ``RealSimulation``, the simulation with the daemons doing IKE
- :mod:`lwip_enb.real.two_enbs`: two eNBs behind one SeGW and a handover between them, in memory
  (``TwoEnbs``) and with the daemons (``RealTwoEnbs``)

Recipe (strongSwan 5.9.8, userspace ESP with kernel-libipsec, so no XFRM is needed):

* plugins are loaded explicitly, in this order: ``random nonce openssl kdf kernel-libipsec
  kernel-netlink socket-default vici`` (kernel-libipsec before kernel-netlink; kdf is required);
* charon hard-codes its pid file under ``/run``, so each instance runs in a private mount
  namespace with its own directory bind-mounted on ``/run``;
* kernel-libipsec of 5.9.8 installs a CHILD_SA only if the SeGW owns an address inside its local
  traffic selector (fixed upstream in 5.9.12): the topology gives the SeGW the eNB's LWIP address
  on ``lo`` and neutralises it for forwarding;
* the UE gets a virtual IP from the SeGW's pool; the child SA is ``enb_lwip/32`` <-> that IP.

Key material: a PSK is revealed only to build the one VICI message that carries it, and no
reference to that message is kept; errors are re-raised outside the ``except`` block so that no
traceback keeps the frame that held it; charon never logs above level 3 (level 4 logs keys).
"""
