"""Building a codec from module texts: parse, transform, plan, compile.

:func:`transform_modules` and :func:`compile_modules` work on any module texts (the tests feed
them small modules of their own); :mod:`lwip_enb.asn1.cache` uses them for the 3GPP modules.
"""

from __future__ import annotations

from collections.abc import Sequence

import asn1tools  # type: ignore[import-untyped]

from lwip_enb.asn1.model import Descriptor, ObjectSet
from lwip_enb.asn1.opentype import Codec
from lwip_enb.asn1.plans import _Plan, _Planner
from lwip_enb.asn1.transform import _Transformer
from lwip_enb.progress import Progress


def transform_modules(
    texts: Sequence[str],
) -> tuple[dict[str, Descriptor], dict[tuple[str, str], _Plan], dict[tuple[str, str], ObjectSet]]:
    """Parse module texts with asn1tools, transform them (:mod:`lwip_enb.asn1.transform`) and plan
    their open types (:mod:`lwip_enb.asn1.plans`).

    Returns the dictionary for ``asn1tools.compile_dict``, the open-type plans of the named
    types that hold open types, and the object sets they use.
    """
    parsed: dict[str, Descriptor] = {}
    by_module: dict[str, str] = {}
    for text in texts:
        one = asn1tools.parse_string(text)
        parsed.update(one)
        for name in one:
            by_module[name] = text
    transformer = _Transformer(parsed, by_module)
    spec = transformer.transformed()
    planner = _Planner(spec)
    plans: dict[tuple[str, str], _Plan] = {}
    for module, content in spec.items():
        for name, desc in content["types"].items():
            plan = planner.plan(desc, module)
            if plan is not None:
                plans[(module, name)] = plan
    return spec, plans, transformer.object_sets()


def compile_modules(
    texts: Sequence[str],
    codec: str,
    codec_class: type[Codec] = Codec,
    progress: Progress | None = None,
) -> Codec:
    """Transform and compile; ``codec`` is an asn1tools codec name ('uper', or 'per' = APER).
    ``progress`` is advanced once after each of the two stages."""
    spec_dict, plans, sets = transform_modules(texts)
    if progress is not None:
        progress.advance()
    modules = list(spec_dict)
    compiled = codec_class(asn1tools.compile_dict(spec_dict, codec), plans, sets, modules)
    if progress is not None:
        progress.advance()
    return compiled
