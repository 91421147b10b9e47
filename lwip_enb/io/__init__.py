"""The I/O edge: the transport interface (:mod:`lwip_enb.io.transport`), in-memory
(:mod:`lwip_enb.io.memory`) and SCTP (:mod:`lwip_enb.io.sctp`) transports, and the asyncio eNB
runtime (:mod:`lwip_enb.io.runtime`)."""
