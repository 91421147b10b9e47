"""Load the general RRC and XwAP codecs ahead of time.

The fast paths cover the usual messages; anything else goes through the codecs compiled from the
3GPP ASN.1, loaded on first use. From the cache that takes a fraction of a second, on a cold cache
(``$LWIP_ENB_CACHE``, see :mod:`lwip_enb.asn1`) several seconds, and all of it holds the thread
that asked. Inside a running event loop that is longer than the guard timers, so an asyncio
program calls :func:`warm_up` before it starts serving, in a worker thread
(``await asyncio.to_thread(warm_up)``), as the runtimes' ``start()`` do.
"""

from __future__ import annotations

from lwip_enb import asn1

__all__ = ["warm_up"]


def warm_up() -> dict[str, asn1.LoadInfo]:
    """Load (from the cache, or by compiling) the RRC and XwAP specifications; returns how each
    was obtained. Thread-safe, and cheap once loaded."""
    asn1.rrc()
    asn1.xwap()
    return asn1.load_info()
