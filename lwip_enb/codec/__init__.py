"""Typed messages and their codecs: RRC toward the UE (:mod:`lwip_enb.codec.rrc`, UPER,
TS 36.331) and XwAP toward the LWIP-SeGW (:mod:`lwip_enb.codec.xwap`, APER, TS 36.463); the field
types both share in :mod:`lwip_enb.codec.fields`, and the PER bit writer and reader of both fast
paths in :mod:`lwip_enb.codec.per`."""
