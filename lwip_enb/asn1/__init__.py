"""RRC (TS 36.331, UPER) and XwAP (TS 36.463, APER) codecs built on asn1tools.

The ASN.1 comes verbatim from the 3GPP texts (``asn1/extract.py`` writes ``asn1/36331/*.asn`` and
``asn1/36463/*.asn``).  asn1tools parses all of it, but compiles some of its parameterized types
and its information objects wrongly or not at all; the modules of this package fix that at load
time (:mod:`~lwip_enb.asn1.transform` says how), each importing only modules listed before it:

- :mod:`~lwip_enb.asn1.model`: the data the codecs hand out (object sets, IE and procedure specs)
- :mod:`~lwip_enb.asn1.syntax`: a side parser for what asn1tools' parser drops (CLASS, WITH
  SYNTAX, objects, object sets, actual parameters)
- :mod:`~lwip_enb.asn1.transform`: the X.681-X.683 transformation of asn1tools' parsed dictionary
- :mod:`~lwip_enb.asn1.plans`: where the values of each transformed type hold open types
- :mod:`~lwip_enb.asn1.opentype`: :class:`Codec` and :class:`XwapCodec`, the two-level encoding of
  open types
- :mod:`~lwip_enb.asn1.build`: :func:`transform_modules` and :func:`compile_modules`, for any
  module texts
- :mod:`~lwip_enb.asn1.cache`: where the 3GPP modules are, the compile cache and the entry points

API, re-exported here: :func:`rrc` (asn1tools specification, UPER), :func:`xwap`
(:class:`XwapCodec`, APER, which asn1tools calls ``'per'``), :func:`xwap_ies`,
:func:`xwap_procedures`, :func:`xwap_message`, :func:`xwap_enumeration`, :func:`load_info`;
:func:`compile_modules` and :func:`transform_modules` for other module texts.
"""

from __future__ import annotations

from lwip_enb.asn1.build import compile_modules, transform_modules
from lwip_enb.asn1.cache import (
    RRC_MODULES,
    XWAP_MODULES,
    LoadInfo,
    asn1_dir,
    cache_dir,
    load_info,
    rrc,
    xwap,
    xwap_enumeration,
    xwap_enumeration_parts,
    xwap_ies,
    xwap_message,
    xwap_procedures,
)
from lwip_enb.asn1.model import (
    IeSpec,
    InfoObject,
    MessageSpec,
    ObjectSet,
    PduKind,
    ProcedureSpec,
    TypeRef,
)
from lwip_enb.asn1.opentype import XWAP_PDU, Codec, XwapCodec
from lwip_enb.asn1.transform import TRANSFORM_VERSION
from lwip_enb.errors import Asn1Error, Asn1TransformError, OpenTypeError

__all__ = [
    "RRC_MODULES",
    "TRANSFORM_VERSION",
    "XWAP_MODULES",
    "XWAP_PDU",
    "Asn1Error",
    "Asn1TransformError",
    "Codec",
    "IeSpec",
    "InfoObject",
    "LoadInfo",
    "MessageSpec",
    "ObjectSet",
    "OpenTypeError",
    "PduKind",
    "ProcedureSpec",
    "TypeRef",
    "XwapCodec",
    "asn1_dir",
    "cache_dir",
    "compile_modules",
    "load_info",
    "rrc",
    "transform_modules",
    "xwap",
    "xwap_enumeration",
    "xwap_enumeration_parts",
    "xwap_ies",
    "xwap_message",
    "xwap_procedures",
]
