"""RRC (TS 36.331, UPER) and XwAP (TS 36.463, APER) codecs built on asn1tools.

The ASN.1 comes verbatim from the 3GPP texts (``asn1/extract.py`` writes ``asn1/36331/*.asn`` and
``asn1/36463/*.asn``).  asn1tools parses all of it, but compiles two things wrongly or not at all:

* X.683 parameterized types used inside extension addition groups ``[[ ... ]]``.  36.331 V17
  writes ``SetupRelease { ElementTypeParam } ::= CHOICE { release NULL, setup ElementTypeParam }``
  and uses it (among other places) inside such groups, where asn1tools' own expansion does not
  look, so compilation stops with "Type 'SetupRelease' not found".
* X.681/X.682/X.683 information objects.  asn1tools' parser keeps object class fields but drops
  WITH SYNTAX, the contents of objects and object sets, and object-set actual parameters such as
  the ``{{LWIPAdditionRequestIEs}}`` of ``ProtocolIE-Container {{LWIPAdditionRequestIEs}}``.
  Without them it can neither instantiate the XwAP containers nor tell the type of an open type.

:func:`transform_modules` therefore works on asn1tools' parsed dictionary plus a small parser of
its own for exactly what asn1tools drops, and rewrites the dictionary before
``asn1tools.compile_dict``:

1. *Side parse* of the module text (comments removed): the parameter lists of parameterized type
   assignments with their governors (``{ XWAP-PROTOCOL-IES : IEsSetParam }``), the actual
   parameter lists at every use of a parameterized type (matched one-to-one, in textual order and
   by type name, with the descriptors asn1tools made for them), CLASS definitions with their
   WITH SYNTAX, information object assignments and object set assignments (``{ ... } | { ... },
   ...``, references to objects and to other sets).
2. *Instantiation* (X.683): every use of a parameterized type is replaced by a copy of its body
   with type parameters replaced by the actual type, value parameters (``lowerBound``) by their
   value and object set parameters bound to the actual object set; nested uses are instantiated
   recursively, also inside extension addition groups.  Descriptors taken from another module
   carry asn1tools' ``module-name`` key so their references resolve where they were written.
   The parameterized assignments themselves are dropped.
3. *Class fields*: a component of type ``CLASS.&field`` becomes the field's declared type for a
   fixed-type value field (``&id`` -> ``ProtocolIE-ID``), and an unconstrained ``OCTET STRING``
   for a type field (``&Value``): in the ALIGNED variant of X.691 the encoding of an open type
   (octet-aligned length determinant, with fragmentation, followed by the complete encoding of the
   value) is exactly that of an unconstrained OCTET STRING.  The table constraint of the
   component (object set and ``@id`` component relation) is kept as an annotation.
4. From those annotations each named type gets a *plan* that says where its values hold open
   types.  :class:`Codec` encodes in two levels: it encodes the inner value of each open type with
   the type the object set gives for the key component (``id``, ``procedureCode``), padded to
   whole octets (an empty encoding becomes one zero octet, X.691 10.1.3), and hands the octets to
   the outer encoding; decoding runs the other way.  Value fields constrained by the same table
   (``criticality``) are filled in from the object when absent and checked when present.

API: :func:`rrc` (asn1tools specification, UPER), :func:`xwap` (:class:`XwapCodec`, APER, which
asn1tools calls ``'per'``), :func:`xwap_ies`, :func:`xwap_procedures`, :func:`xwap_message`,
:func:`xwap_enumeration`, :func:`load_info`; :func:`compile_modules` and
:func:`transform_modules` for other module texts.

In Python values an open type appears as ``(type_name, value)``, the way pycrate writes it, e.g.
``{'id': 69, 'criticality': 'reject', 'value': ('LWIP-SeGWSecurityInfo', {...})}``.  When the
key is not in the object set (an extension), the value stays the raw ``bytes`` of the open type;
such bytes are also passed through unchanged on encoding.  The dispatch tables come from the
modules' own object sets: see :meth:`XwapCodec.procedures` and :meth:`Codec.ies`.

Compiling 36.331 takes several seconds, mostly in asn1tools' parser.  The compiled objects are
pickled into a cache directory (``$LWIP_ENB_CACHE``, else ``$XDG_CACHE_HOME/lwip-enb``, else
``~/.cache/lwip-enb``) keyed by a hash of the module texts, the asn1tools and Python versions,
:data:`TRANSFORM_VERSION` and this file's source; the cache is only ever read from that
directory, so it must be no more writable than the user's own files.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import asn1tools  # type: ignore[import-untyped]
from asn1tools.codecs import ErrorWithLocation  # type: ignore[import-untyped]

from lwip_enb.errors import Asn1Error, Asn1TransformError, OpenTypeError
from lwip_enb.progress import Progress

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

LOG = logging.getLogger("lwip_enb.asn1")

#: Bump when the transformation changes what it produces (the cache key also covers this file).
TRANSFORM_VERSION: Final = 1
#: The 36.331 modules compiled by :func:`rrc` (the others are not needed by the eNB side).
RRC_MODULES: Final = ("EUTRA-RRC-Definitions",)
#: The 36.463 modules compiled by :func:`xwap` (all of clause 9.3).
XWAP_MODULES: Final = (
    "XwAP-PDU-Descriptions",
    "XwAP-PDU-Contents",
    "XwAP-IEs",
    "XwAP-CommonDataTypes",
    "XwAP-Constants",
    "XwAP-Containers",
)
#: The top-level XwAP type (TS 36.463 9.3.3).
XWAP_PDU: Final = "XwAP-PDU"

Descriptor = dict[str, Any]
PduKind = Literal["initiatingMessage", "successfulOutcome", "unsuccessfulOutcome"]

_OPEN: Final = "x-lwip-open"  # annotation: this component carries an open type
_FIELD: Final = "x-lwip-field"  # annotation: this component is a fixed-type class field
_ARGS: Final = "x-lwip-args"  # actual parameter tokens of a parameterized type use
_BUILTIN: Final = frozenset(
    {
        "SEQUENCE", "SET", "SEQUENCE OF", "SET OF", "CHOICE", "INTEGER", "REAL", "ENUMERATED",
        "BOOLEAN", "NULL", "OBJECT IDENTIFIER", "OCTET STRING", "BIT STRING", "IA5String",
        "VisibleString", "PrintableString", "NumericString", "UTF8String", "BMPString",
        "UniversalString", "GeneralString", "GraphicString", "TeletexString", "UTCTime",
        "GeneralizedTime", "DATE", "TIME-OF-DAY", "DATE-TIME", "ANY", "ANY DEFINED BY",
        "OpenType", "EXTERNAL", "ObjectDescriptor",
    }
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Public data


@dataclass(frozen=True)
class TypeRef:
    """A type named in an information object (the setting of a type field)."""

    module: str
    name: str


@dataclass(frozen=True)
class InfoObject:
    """An information object: ``fields`` maps ``&field`` to an int/str/bool value or a TypeRef.

    ``references`` gives, for value fields written as a value reference in the module (``ID
    id-UE-Identity``), that reference's name.  Absent OPTIONAL fields are missing from
    ``fields``; DEFAULT fields are filled in.
    """

    name: str | None
    fields: Mapping[str, Any]
    references: Mapping[str, str]


@dataclass(frozen=True)
class ObjectSet:
    """An information object set, unions flattened, in the order of the module text."""

    module: str
    name: str
    class_name: str
    objects: tuple[InfoObject, ...]
    extensible: bool

    def find(self, field_name: str, value: Any) -> InfoObject | None:
        """The first object whose ``field_name`` equals ``value``."""
        for obj in self.objects:
            if field_name in obj.fields and obj.fields[field_name] == value:
                return obj
        return None


@dataclass(frozen=True)
class IeSpec:
    """One object of an IE (or extension) set: ``name`` is the id's value reference."""

    name: str
    id: int
    criticality: str
    type_name: str
    presence: str


@dataclass(frozen=True)
class ProcedureSpec:
    """One elementary procedure object (XWAP-ELEMENTARY-PROCEDURE)."""

    name: str
    code: int
    initiating: str
    successful: str | None
    unsuccessful: str | None
    criticality: str


@dataclass(frozen=True)
class MessageSpec:
    """Where a message type sits in ``XwAP-PDU``: its procedure and the PDU alternative."""

    type_name: str
    procedure_code: int
    kind: PduKind
    procedure: ProcedureSpec


@dataclass(frozen=True)
class LoadInfo:
    """How a codec was obtained in this process."""

    kind: str
    source: Literal["cache", "compiled"]
    seconds: float
    cache_file: Path | None


# --------------------------------------------------------------------------------------------
# Side parser: tokens, assignments, classes, objects, object sets

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<comment>--.*?(?:--|$)|/\*.*?\*/)
    |(?P<cstring>"(?:[^"]|"")*")
    |(?P<xstring>'[^']*'[BH])
    |(?P<punct>::=|\.\.\.|\.\.|[{}()\[\],;|.@:^<>!])
    |(?P<ident>&?[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*)
    |(?P<number>-?\d+)
    |(?P<other>.)
    """,
    re.X | re.M | re.S,
)
_INT_RE = re.compile(r"-?\d+")


def _tokenize(text: str) -> list[str]:
    return [m.group() for m in _TOKEN_RE.finditer(text) if m.lastgroup not in ("ws", "comment")]


def _closing(tokens: Sequence[str], start: int) -> int:
    """Index of the bracket closing the one at ``start``."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    stack: list[str] = []
    for i in range(start, len(tokens)):
        tok = tokens[i]
        if tok in pairs:
            stack.append(pairs[tok])
        elif tok in ("}", ")", "]"):
            if not stack or stack.pop() != tok:
                break
            if not stack:
                return i
    raise Asn1TransformError(
        f"unbalanced {tokens[start]!r} near {' '.join(tokens[start : start + 8])}"
    )


def _opening(tokens: Sequence[str], end: int) -> int:
    """Index of the ``{`` matching the ``}`` at ``end``."""
    depth = 0
    for i in range(end, -1, -1):
        if tokens[i] == "}":
            depth += 1
        elif tokens[i] == "{":
            depth -= 1
            if depth == 0:
                return i
    raise Asn1TransformError("unbalanced '}'")


def _split_top(tokens: Sequence[str], separators: frozenset[str]) -> list[list[str]]:
    """Split at separators outside brackets (separators themselves are dropped)."""
    parts: list[list[str]] = [[]]
    depth = 0
    for tok in tokens:
        if tok in ("{", "(", "["):
            depth += 1
        elif tok in ("}", ")", "]"):
            depth -= 1
        if depth == 0 and tok in separators:
            parts.append([])
        else:
            parts[-1].append(tok)
    return parts


def _is_ident(tok: str) -> bool:
    return bool(tok) and tok[0].isalpha()


_Kind = Literal["type", "ptype", "value", "class", "object", "objset"]


@dataclass
class _Assignment:
    name: str
    kind: _Kind
    head: list[str]
    rhs: list[str]


@dataclass(frozen=True)
class _ClassField:
    name: str
    kind: Literal["type", "value"]
    unique: bool
    optional: bool
    default: tuple[str, ...] | None


@dataclass(frozen=True)
class _Class:
    module: str
    name: str
    fields: dict[str, _ClassField]
    syntax: tuple[Any, ...]  # str literal, "&field", or a nested tuple for an optional group


def _split_module(
    module: str, text: str, parsed: Descriptor, class_names: set[str]
) -> list[_Assignment]:
    tokens = _tokenize(text)
    try:
        begin = tokens.index("BEGIN")
        end = len(tokens) - 1 - tokens[::-1].index("END")
    except ValueError:
        raise Asn1TransformError(f"{module}: no BEGIN ... END") from None
    body = tokens[begin + 1 : end]
    i = 0
    while i < len(body) and body[i] in ("EXPORTS", "IMPORTS"):
        i = body.index(";", i) + 1
    body = body[i:]
    value_like = set(parsed.get("values", {})) | set(parsed.get("object-sets", {}))
    heads: list[tuple[int, int, _Kind]] = []  # (start, index of ::=, kind)
    for k, tok in enumerate(body):
        if tok != "::=":
            continue
        p = k - 1
        kind: _Kind
        if body[p] == "}":
            start, kind = _opening(body, p) - 1, "ptype"
        elif (
            p >= 1
            and body[p - 1] in value_like
            and _is_ident(body[p - 1])
            and (p < 2 or body[p - 2] != "::=")  # not the value of the previous assignment
        ):
            start = p - 1
            if body[start][0].isupper():
                kind = "objset"
            elif body[p] in class_names:
                kind = "object"
            else:
                kind = "value"
        else:
            start, kind = p, "type"
        if not _is_ident(body[start]):
            raise Asn1TransformError(
                f"{module}: cannot read the assignment before {body[k : k + 6]}"
            )
        heads.append((start, k, kind))
    out: list[_Assignment] = []
    for n, (start, k, kind) in enumerate(heads):
        stop = heads[n + 1][0] if n + 1 < len(heads) else len(body)
        rhs = body[k + 1 : stop]
        if kind == "type" and rhs[:1] == ["CLASS"]:
            kind = "class"
        out.append(_Assignment(body[start], kind, body[start:k], rhs))
    return out


def _parse_syntax(tokens: Sequence[str]) -> tuple[Any, ...]:
    items: list[Any] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "[":
            j = _closing(tokens, i)
            items.append(_parse_syntax(tokens[i + 1 : j]))
            i = j + 1
        else:
            items.append(tok)
            i += 1
    return tuple(items)


def _parse_class(module: str, a: _Assignment) -> _Class:
    rhs = a.rhs
    if rhs[1] != "{":
        raise Asn1TransformError(f"{module}.{a.name}: unsupported CLASS notation")
    close = _closing(rhs, 1)
    fields: dict[str, _ClassField] = {}
    for spec in _split_top(rhs[2:close], frozenset({","})):
        if not spec or not spec[0].startswith("&"):
            raise Asn1TransformError(f"{module}.{a.name}: cannot read field spec {spec}")
        name, rest = spec[0], spec[1:]
        unique = "UNIQUE" in rest
        optional = "OPTIONAL" in rest
        default = tuple(rest[rest.index("DEFAULT") + 1 :]) if "DEFAULT" in rest else None
        type_part = [t for t in rest if t not in ("UNIQUE", "OPTIONAL")]
        if "DEFAULT" in type_part:
            type_part = type_part[: type_part.index("DEFAULT")]
        if name[1].isupper():
            if type_part:
                raise Asn1TransformError(f"{module}.{a.name}: value set field {name} unsupported")
            kind: Literal["type", "value"] = "type"
        else:
            if not type_part:
                raise Asn1TransformError(f"{module}.{a.name}: field {name} has no type")
            kind = "value"  # an object field (&x CLASS) fails later, when an object sets it
        fields[name] = _ClassField(name, kind, unique, optional, default)
    syntax: tuple[Any, ...] = ()
    tail = rhs[close + 1 :]
    if tail[:2] == ["WITH", "SYNTAX"] and tail[2:3] == ["{"]:
        syntax = _parse_syntax(tail[3 : _closing(tail, 2)])
    elif tail:
        raise Asn1TransformError(f"{module}.{a.name}: unexpected {tail[:4]} after CLASS")
    else:
        raise Asn1TransformError(f"{module}.{a.name}: CLASS without WITH SYNTAX is unsupported")
    return _Class(module, a.name, fields, syntax)


def _syntax_words(syntax: tuple[Any, ...]) -> set[str]:
    words: set[str] = set()
    for item in syntax:
        if isinstance(item, tuple):
            words |= _syntax_words(item)
        elif not item.startswith("&"):
            words.add(item)
    return words


def _match_syntax(
    cls: _Class, items: tuple[Any, ...], toks: Sequence[str], pos: int, out: dict[str, list[str]]
) -> int:
    words = _syntax_words(cls.syntax)
    for item in items:
        if isinstance(item, tuple):
            first = item[0]
            if not isinstance(first, str) or first.startswith("&"):
                raise Asn1TransformError(f"{cls.name}: optional group must start with a literal")
            if pos < len(toks) and toks[pos] == first:
                pos = _match_syntax(cls, item, toks, pos, out)
        elif item.startswith("&"):
            start, depth = pos, 0
            while pos < len(toks):
                tok = toks[pos]
                if depth == 0 and tok in words:
                    break
                if tok in ("{", "(", "["):
                    depth += 1
                elif tok in ("}", ")", "]"):
                    depth -= 1
                pos += 1
            if pos == start:
                raise Asn1TransformError(f"{cls.name}: no setting for {item} in {list(toks)}")
            out[item] = list(toks[start:pos])
        else:
            if pos >= len(toks) or toks[pos] != item:
                raise Asn1TransformError(f"{cls.name}: expected {item!r} in {list(toks)}")
            pos += 1
    return pos


# --------------------------------------------------------------------------------------------
# Transformation


@dataclass
class _Binding:
    kind: Literal["type", "value", "objset"]
    payload: Any  # type: descriptor; value: python value; objset: (module, name)
    module: str
    env: dict[str, _Binding]


@dataclass
class _ModuleInfo:
    parsed: Descriptor
    classes: dict[str, _Class] = field(default_factory=dict)
    objects: dict[str, list[str]] = field(default_factory=dict)  # name -> defined-syntax tokens
    object_classes: dict[str, str] = field(default_factory=dict)  # object/set name -> class
    objsets: dict[str, list[str]] = field(default_factory=dict)  # name -> body tokens
    params: dict[str, list[tuple[str | None, str]]] = field(default_factory=dict)


class _Transformer:
    def __init__(self, parsed: dict[str, Descriptor], texts: Mapping[str, str]) -> None:
        self.modules: dict[str, _ModuleInfo] = {n: _ModuleInfo(d) for n, d in parsed.items()}
        class_names = {c for d in parsed.values() for c in d.get("object-classes", {})}
        ptypes = {
            name for d in parsed.values() for name, t in d["types"].items() if "parameters" in t
        }
        for module, text in texts.items():
            info = self.modules[module]
            for a in _split_module(module, text, info.parsed, class_names):
                self._side_parse(module, info, a, ptypes)
        self._sets: dict[tuple[str, str], ObjectSet] = {}

    # -- side parse ---------------------------------------------------------------------------

    def _side_parse(self, module: str, info: _ModuleInfo, a: _Assignment, ptypes: set[str]) -> None:
        if a.kind == "class":
            info.classes[a.name] = _parse_class(module, a)
        elif a.kind in ("object", "objset"):
            if a.rhs[:1] != ["{"] or _closing(a.rhs, 0) != len(a.rhs) - 1:
                raise Asn1TransformError(f"{module}.{a.name}: unsupported object notation")
            info.object_classes[a.name] = a.head[1]
            target = info.objects if a.kind == "object" else info.objsets
            target[a.name] = a.rhs[1:-1]
        elif a.kind in ("type", "ptype"):
            types = info.parsed["types"]
            if a.name not in types:
                raise Asn1TransformError(f"{module}: asn1tools did not parse type {a.name}")
            if a.kind == "ptype":
                params: list[tuple[str | None, str]] = []
                for part in _split_top(a.head[2:-1], frozenset({","})):
                    if len(part) == 1:
                        params.append((None, part[0]))
                    elif len(part) == 3 and part[1] == ":":
                        params.append((part[0], part[2]))
                    else:
                        raise Asn1TransformError(f"{module}.{a.name}: parameter {part}")
                info.params[a.name] = params
            refs = self._param_refs(a.rhs, ptypes)
            sites = list(_sites(types[a.name]))
            if [r[0] for r in refs] != [s["type"] for s in sites]:
                raise Asn1TransformError(
                    f"{module}.{a.name}: parameterized references {[r[0] for r in refs]} in the "
                    f"text, {[s['type'] for s in sites]} in asn1tools' parse"
                )
            for site, (_, args) in zip(sites, refs, strict=True):
                site[_ARGS] = args

    @staticmethod
    def _param_refs(rhs: Sequence[str], ptypes: set[str]) -> list[tuple[str, list[list[str]]]]:
        refs: list[tuple[str, list[list[str]]]] = []
        i = 0
        while i < len(rhs):
            tok = rhs[i]
            if tok in ptypes and rhs[i + 1 : i + 2] == ["{"] and (i == 0 or rhs[i - 1] != "."):
                j = _closing(rhs, i + 1)
                refs.append((tok, _split_top(rhs[i + 2 : j], frozenset({","}))))
                i = j + 1
            else:
                i += 1
        return refs

    # -- scope --------------------------------------------------------------------------------

    def _resolve(
        self, module: str, name: str, defined: Callable[[_ModuleInfo, str], bool], seen: int = 0
    ) -> str:
        """The module that defines ``name`` as seen from ``module`` (following IMPORTS)."""
        info = self.modules.get(module)
        if info is not None and seen < 16:
            if defined(info, name):
                return module
            for source, names in info.parsed.get("imports", {}).items():
                if name in names and source in self.modules:
                    return self._resolve(source, name, defined, seen + 1)
        raise Asn1TransformError(f"{name} is not defined in or imported into {module}")

    def _type(self, module: str, name: str) -> tuple[str, Descriptor]:
        m = self._resolve(module, name, lambda i, n: n in i.parsed["types"])
        return m, self.modules[m].parsed["types"][name]

    def _class(self, module: str, name: str) -> _Class:
        m = self._resolve(module, name, lambda i, n: n in i.classes)
        return self.modules[m].classes[name]

    def _value_ref(self, module: str, name: str) -> Any:
        m = self._resolve(module, name, lambda i, n: n in i.parsed.get("values", {}))
        value = self.modules[m].parsed["values"][name].get("value")
        if not isinstance(value, int | str | bool):
            raise Asn1TransformError(f"{m}.{name}: value {value!r} unsupported")
        return value

    def _enum_names(self, module: str, type_name: str) -> set[str] | None:
        seen = 0
        while type_name not in _BUILTIN and seen < 16:
            try:
                module, desc = self._type(module, type_name)
            except Asn1TransformError:
                return None
            if desc["type"] == "ENUMERATED":
                return {v[0] for v in desc["values"] if v is not None}
            type_name, seen = desc["type"], seen + 1
        return None

    # -- information objects ------------------------------------------------------------------

    def _object_fields(
        self, module: str, cls: _Class, tokens: Sequence[str], where: str
    ) -> tuple[dict[str, Any], dict[str, str]]:
        settings: dict[str, list[str]] = {}
        if _match_syntax(cls, cls.syntax, tokens, 0, settings) != len(tokens):
            raise Asn1TransformError(f"{where}: cannot read object {list(tokens)}")
        fields: dict[str, Any] = {}
        refs: dict[str, str] = {}
        for name, f in cls.fields.items():
            toks: Sequence[str] | None = settings.get(name)
            where_module = module
            if toks is None and f.default is not None:
                toks, where_module = f.default, cls.module
            if toks is None:
                if not f.optional:
                    raise Asn1TransformError(f"{where}: mandatory field {name} missing")
                continue
            if len(toks) != 1 or not (_is_ident(toks[0]) or _INT_RE.fullmatch(toks[0])):
                raise Asn1TransformError(f"{where}: setting {name} {list(toks)} unsupported")
            tok = toks[0]
            if f.kind == "type":
                m = self._resolve(where_module, tok, lambda i, n: n in i.parsed["types"])
                fields[name] = TypeRef(m, tok)
            elif _INT_RE.fullmatch(tok):
                fields[name] = int(tok)
            elif tok in ("TRUE", "FALSE"):
                fields[name] = tok == "TRUE"
            else:
                field_type = self._field_type(cls, name)
                enum = self._enum_names(cls.module, field_type) if field_type else None
                if enum is not None and tok in enum:
                    fields[name] = tok
                else:
                    fields[name] = self._value_ref(where_module, tok)
                    refs[name] = tok
        return fields, refs

    def _field_type(self, cls: _Class, name: str) -> str | None:
        parsed = self.modules[cls.module].parsed["object-classes"].get(cls.name, {})
        for member in parsed.get("members", []):
            if member.get("name") == name:
                t = member.get("type")
                return t if isinstance(t, str) else None
        return None

    def object_set(self, module: str, name: str) -> ObjectSet:
        key = (module, name)
        if key not in self._sets:
            info = self.modules[module]
            cls = self._class(module, info.object_classes[name])
            objects: list[InfoObject] = []
            extensible = False
            where = f"{module}.{name}"
            for part in _split_top(info.objsets[name], frozenset({"|", ","})):
                if part == ["..."]:
                    extensible = True
                elif part and part[0] == "{" and _closing(part, 0) == len(part) - 1:
                    objects.append(
                        InfoObject(None, *self._object_fields(module, cls, part[1:-1], where))
                    )
                elif len(part) == 1 and part[0][0].islower():
                    m = self._resolve(module, part[0], lambda i, n: n in i.objects)
                    toks = self.modules[m].objects[part[0]]
                    objects.append(
                        InfoObject(part[0], *self._object_fields(m, cls, toks, f"{m}.{part[0]}"))
                    )
                elif len(part) == 1 and part[0][0].isupper():
                    m = self._resolve(module, part[0], lambda i, n: n in i.objsets)
                    objects.extend(self.object_set(m, part[0]).objects)
                else:
                    raise Asn1TransformError(f"{where}: element {part} unsupported")
            self._sets[key] = ObjectSet(module, name, cls.name, tuple(objects), extensible)
        return self._sets[key]

    def _objset_ref(self, module: str, name: str, env: Mapping[str, _Binding]) -> tuple[str, str]:
        if name in env:
            binding = env[name]
            if binding.kind != "objset":
                raise Asn1TransformError(f"{name} is a {binding.kind} parameter, not an object set")
            ref: tuple[str, str] = binding.payload
            return ref
        m = self._resolve(module, name, lambda i, n: n in i.objsets)
        self.object_set(m, name)
        return (m, name)

    # -- X.683 instantiation and class fields -------------------------------------------------

    def expand(
        self, desc: Descriptor, home: str, ctx: str, env: Mapping[str, _Binding]
    ) -> Descriptor:
        """Expand ``desc`` (written in module ``home``) for use in module context ``ctx``."""
        d = dict(desc)
        t = d["type"]
        keep: Descriptor = {k: d[k] for k in ("name", "optional", "default", "tag") if k in d}
        if t in env:
            binding = env[t]
            if binding.kind != "type":
                raise Asn1TransformError(f"{t} is a {binding.kind} parameter used as a type")
            inner = self.expand(binding.payload, binding.module, ctx, binding.env)
            return {**inner, **keep}
        if "&" in t:
            return self._class_field(d, keep, home, ctx, env)
        if "actual-parameters" in d:
            return {**self._instantiate(d, home, ctx, env), **keep}
        if home != ctx and "module-name" not in d:
            d["module-name"] = home
        inner_ctx = d.get("module-name", ctx)
        if "members" in d:
            d["members"] = [self._member(m, inner_ctx, env) for m in d["members"]]
        if "element" in d:
            d["element"] = self.expand(d["element"], inner_ctx, inner_ctx, env)
        for key in ("size", "restricted-to"):
            if key in d and (env or home != ctx):
                # asn1tools looks constraint values up in the enclosing context, not in the
                # descriptor's module-name: bind dummies and resolve references here.
                d[key] = [self._bound(item, env, home) for item in d[key]]
        return d

    def _member(self, m: Any, module: str, env: Mapping[str, _Binding]) -> Any:
        if isinstance(m, list):
            return [self._member(x, module, env) for x in m]
        if isinstance(m, dict):
            return self.expand(m, module, module, env)
        return m

    def _bound(self, item: Any, env: Mapping[str, _Binding], home: str) -> Any:
        def one(x: Any) -> Any:
            if isinstance(x, str) and x in env:
                if env[x].kind != "value":
                    raise Asn1TransformError(f"{x} used as a value")
                return env[x].payload
            if isinstance(x, str) and _is_ident(x) and x not in ("MIN", "MAX"):
                try:
                    return self._value_ref(home, x)
                except Asn1TransformError:
                    return x
            return x

        return tuple(one(x) for x in item) if isinstance(item, tuple) else one(item)

    def _instantiate(
        self, d: Descriptor, home: str, ctx: str, env: Mapping[str, _Binding]
    ) -> Descriptor:
        pmodule, pdesc = self._type(home, d["type"])
        params = self.modules[pmodule].params.get(d["type"])
        args: list[list[str]] | None = d.get(_ARGS)
        if params is None or args is None or len(params) != len(args):
            raise Asn1TransformError(f"{home}: cannot instantiate {d['type']} with {args}")
        parsed_args = d["actual-parameters"]
        new_env: dict[str, _Binding] = {}
        for n, ((governor, dummy), arg) in enumerate(zip(params, args, strict=True)):
            parsed_arg = parsed_args[n] if n < len(parsed_args) else None
            new_env[dummy] = self._bind(governor, dummy, arg, parsed_arg, home, env)
        body = {k: v for k, v in pdesc.items() if k != "parameters"}
        return self.expand(body, pmodule, ctx, new_env)

    def _bind(
        self,
        governor: str | None,
        dummy: str,
        arg: list[str],
        parsed_arg: Any,
        home: str,
        env: Mapping[str, _Binding],
    ) -> _Binding:
        if governor is None and dummy[0].isupper():
            if isinstance(parsed_arg, dict) and isinstance(parsed_arg.get("type"), str):
                desc = dict(parsed_arg)
            elif len(arg) == 1 and _is_ident(arg[0]):
                desc = {"type": arg[0]}
            else:
                raise Asn1TransformError(f"{home}: actual type parameter {arg} unsupported")
            return _Binding("type", desc, home, dict(env))
        if governor is not None and dummy[0].isupper():
            inner = arg[1:-1] if arg[:1] == ["{"] and arg[-1:] == ["}"] else arg
            if len(inner) != 1:
                raise Asn1TransformError(f"{home}: actual object set parameter {arg} unsupported")
            return _Binding("objset", self._objset_ref(home, inner[0], env), home, {})
        if governor is not None and len(arg) == 1:
            tok = arg[0]
            if _INT_RE.fullmatch(tok):
                value: Any = int(tok)
            elif tok in env and env[tok].kind == "value":
                value = env[tok].payload
            else:
                value = self._value_ref(home, tok)
            return _Binding("value", value, home, {})
        raise Asn1TransformError(f"{home}: parameter {governor} : {dummy} = {arg} unsupported")

    def _class_field(
        self,
        d: Descriptor,
        keep: Descriptor,
        home: str,
        ctx: str,
        env: Mapping[str, _Binding],
    ) -> Descriptor:
        class_name, field_name = d["type"].split(".", 1)
        cls = self._class(home, class_name)
        f = cls.fields.get(field_name)
        if f is None:
            raise Asn1TransformError(f"{class_name} has no field {field_name}")
        table = d.get("table")
        ref: tuple[str, str] | None = None
        key: str | None = None
        if isinstance(table, dict):
            ref = self._objset_ref(home, table["type"], env)
        elif isinstance(table, list):
            ref = self._objset_ref(home, table[0], env)
            path = table[1]
            if (
                len(path) != 1
                or path[0].lstrip(".") != path[0][path[0].count(".") :]
                or (path[0].count(".") > 1)
            ):
                raise Asn1TransformError(f"component relation {path} unsupported")
            key = path[0].lstrip(".")
        note = {"class": cls.name, "field": field_name, "set": ref, "key": key}
        if f.kind == "type":
            return {"type": "OCTET STRING", **keep, _OPEN: note}
        field_type = self._field_type(cls, field_name)
        if field_type is None:
            raise Asn1TransformError(f"{class_name}.{field_name}: no type")
        inner = self.expand({"type": field_type}, cls.module, ctx, {})
        return {**inner, **keep, _FIELD: note}

    def transformed(self) -> dict[str, Descriptor]:
        out: dict[str, Descriptor] = {}
        for name, info in self.modules.items():
            types = {
                type_name: self.expand(desc, name, name, {})
                for type_name, desc in info.parsed["types"].items()
                if "parameters" not in desc
            }
            out[name] = {**info.parsed, "types": types}
        return out

    def object_sets(self) -> dict[tuple[str, str], ObjectSet]:
        return dict(self._sets)


def _sites(desc: Any) -> Iterator[Descriptor]:
    """Descriptors using a parameterized type, in textual order."""
    if isinstance(desc, list):
        for item in desc:
            yield from _sites(item)
    elif isinstance(desc, dict):
        if "actual-parameters" in desc:
            yield desc
            return
        for member in desc.get("members") or ():
            yield from _sites(member)
        if "element" in desc:
            yield from _sites(desc["element"])


def _flat(members: Sequence[Any]) -> Iterator[Descriptor]:
    for m in members:
        if isinstance(m, list):
            yield from _flat(m)
        elif isinstance(m, dict):
            yield m


# --------------------------------------------------------------------------------------------
# Plans: where values hold open types


@dataclass(frozen=True)
class _OpenField:
    """``member`` holds an open type: the ``field`` of the object of ``set`` whose class field
    ``key[1]`` equals the value of component ``key[0]``."""

    member: str
    set: tuple[str, str] | None
    field: str
    key: tuple[str, str] | None


@dataclass(frozen=True)
class _FixedField:
    """``member`` must equal the ``field`` of the object selected like for :class:`_OpenField`."""

    member: str
    set: tuple[str, str]
    field: str
    key: tuple[str, str]


@dataclass(frozen=True)
class _SeqPlan:
    members: dict[str, _Plan]
    opens: tuple[_OpenField, ...]
    fixed: tuple[_FixedField, ...]


@dataclass(frozen=True)
class _ListPlan:
    element: _Plan


@dataclass(frozen=True)
class _ChoicePlan:
    alternatives: dict[str, _Plan]


@dataclass(frozen=True)
class _RefPlan:
    module: str
    name: str


_Plan = _SeqPlan | _ListPlan | _ChoicePlan | _RefPlan


class _Planner:
    def __init__(self, spec: dict[str, Descriptor]) -> None:
        self.spec = spec
        self._open: dict[tuple[str, str], bool] = {}

    def _lookup(self, module: str, name: str) -> tuple[str, Descriptor] | None:
        for _ in range(16):
            mod = self.spec.get(module)
            if mod is None:
                return None
            if name in mod["types"]:
                return module, mod["types"][name]
            for source, names in mod.get("imports", {}).items():
                if name in names:
                    module = source
                    break
            else:
                return None
        return None

    def _has_open(self, desc: Descriptor, home: str) -> bool:
        home = desc.get("module-name", home)
        if _OPEN in desc:
            return True
        if "members" in desc:
            return any(self._has_open(m, home) for m in _flat(desc["members"]))
        if "element" in desc:
            return self._has_open(desc["element"], home)
        if desc["type"] in _BUILTIN:
            return False
        found = self._lookup(home, desc["type"])
        if found is None:
            return False
        key = (found[0], desc["type"])
        if key not in self._open:
            self._open[key] = True  # conservative while in progress (recursive types)
            self._open[key] = self._has_open(found[1], found[0])
        return self._open[key]

    def plan(self, desc: Descriptor, home: str) -> _Plan | None:
        home = desc.get("module-name", home)
        if not self._has_open(desc, home):
            return None
        t = desc["type"]
        if t in ("SEQUENCE", "SET"):
            members: dict[str, _Plan] = {}
            fields: dict[str, Descriptor] = {}
            opens: list[_OpenField] = []
            for m in _flat(desc["members"]):
                if _FIELD in m:
                    fields[m["name"]] = m[_FIELD]
                if _OPEN not in m and (p := self.plan(m, home)) is not None:
                    members[m["name"]] = p
            fixed: list[_FixedField] = []
            for m in _flat(desc["members"]):
                note: Descriptor | None = m.get(_OPEN) or m.get(_FIELD)
                if note is None:
                    continue
                key: tuple[str, str] | None = None
                if note["key"] is not None:
                    key_note = fields.get(note["key"])
                    if key_note is None or key_note["set"] != note["set"]:
                        raise Asn1TransformError(
                            f"{m['name']}: @{note['key']} is not a component constrained by "
                            "the same object set"
                        )
                    key = (note["key"], key_note["field"])
                if _OPEN in m:
                    opens.append(_OpenField(m["name"], note["set"], note["field"], key))
                elif key is not None:
                    fixed.append(_FixedField(m["name"], note["set"], note["field"], key))
            return _SeqPlan(members, tuple(opens), tuple(fixed))
        if t in ("SEQUENCE OF", "SET OF"):
            element = self.plan(desc["element"], home)
            return None if element is None else _ListPlan(element)
        if t == "CHOICE":
            alternatives = {
                m["name"]: p for m in _flat(desc["members"]) if (p := self.plan(m, home))
            }
            return _ChoicePlan(alternatives)
        found = self._lookup(home, t)
        return None if found is None else _RefPlan(found[0], t)


# --------------------------------------------------------------------------------------------
# Codec


def _decode_counting(compiled: Any, data: bytes) -> tuple[Any, int]:
    """asn1tools' CompiledType.decode, also returning the number of bits left unread."""
    codec = sys.modules[type(compiled).__module__]  # asn1tools.codecs.per or .uper
    decoder = codec.Decoder(bytearray(data))
    try:
        value = compiled._type.decode(decoder)
    except ErrorWithLocation as exc:
        exc.add_location(compiled._type)
        raise
    left: int = decoder.number_of_bits
    return value, left


class Codec:
    """An asn1tools specification plus two-level encoding of the open types in it."""

    def __init__(
        self,
        spec: Any,
        plans: dict[tuple[str, str], _Plan],
        object_sets: dict[tuple[str, str], ObjectSet],
        modules: Sequence[str],
    ) -> None:
        self.spec = spec  #: the asn1tools Specification (open types are bytes there)
        self._plans = plans
        self._sets = object_sets
        self._type_module: dict[str, str] = {}
        for module in modules:
            for name in spec.modules.get(module, {}):
                self._type_module.setdefault(name, module)

    # -- lookups ------------------------------------------------------------------------------

    def object_set(self, name: str) -> ObjectSet:
        """The object set called ``name`` (unique across the compiled modules)."""
        found = [s for (_, n), s in self._sets.items() if n == name]
        if len(found) != 1:
            raise KeyError(f"object set {name!r}: {len(found)} found")
        return found[0]

    @property
    def object_sets(self) -> Mapping[tuple[str, str], ObjectSet]:
        """All object sets used by the compiled types, keyed by (module, name)."""
        return self._sets

    def container_set(self, type_name: str) -> ObjectSet:
        """The object set of the one IE container directly inside ``type_name``."""
        plan = self._resolve_plan(self._plan_of(type_name))
        if not isinstance(plan, _SeqPlan):
            raise KeyError(f"{type_name} holds no IE container")
        found: list[tuple[str, str]] = []
        for sub in plan.members.values():
            inner = self._resolve_plan(sub)
            if isinstance(inner, _ListPlan):
                inner = self._resolve_plan(inner.element)
            if isinstance(inner, _SeqPlan):
                found.extend(o.set for o in inner.opens if o.set is not None)
        if len(found) != 1:
            raise KeyError(f"{type_name}: {len(found)} IE containers")
        return self._sets[found[0]]

    def ies(self, name: str) -> dict[int, IeSpec]:
        """IE id -> IeSpec for an object set name (``LWIPAdditionRequestIEs``) or for the
        type holding the container (``LWIPAdditionRequest``), in object set order."""
        try:
            objset = self.object_set(name)
        except KeyError:
            objset = self.container_set(name)
        # The field names are those of the XwAP IE classes (XWAP-PROTOCOL-IES and
        # XWAP-PROTOCOL-EXTENSION, TS 36.463 9.3.8): &id, &criticality, a type field, &presence.
        out: dict[int, IeSpec] = {}
        for obj in objset.objects:
            type_fields = [v for v in obj.fields.values() if isinstance(v, TypeRef)]
            ident = obj.fields.get("&id")
            if len(type_fields) != 1 or not isinstance(ident, int):
                raise KeyError(f"{objset.name}: objects are not single-type IEs")
            out[ident] = IeSpec(
                obj.references.get("&id", str(ident)),
                ident,
                str(obj.fields.get("&criticality")),
                type_fields[0].name,
                str(obj.fields.get("&presence")),
            )
        return out

    def _ref(self, type_name: str) -> TypeRef:
        """``Type`` (first compiled module defining it) or ``Module.Type``."""
        module = self._type_module.get(type_name)
        if module is not None:
            return TypeRef(module, type_name)
        module, _, name = type_name.rpartition(".")
        if module in self.spec.modules and name in self.spec.modules[module]:
            return TypeRef(module, name)
        raise KeyError(f"type {type_name!r} not found")

    def _plan_of(self, type_name: str) -> _Plan | None:
        ref = self._ref(type_name)
        return self._plans.get((ref.module, ref.name))

    def _resolve_plan(self, plan: _Plan | None) -> _Plan | None:
        while isinstance(plan, _RefPlan):
            plan = self._plans.get((plan.module, plan.name))
        return plan

    def _compiled(self, ref: TypeRef) -> Any:
        return self.spec.modules[ref.module][ref.name]

    # -- encode / decode ----------------------------------------------------------------------

    def encode(
        self, type_name: str, value: Any, *, check_constraints: bool = False, strict: bool = True
    ) -> bytes:
        """Encode ``value`` (open types as ``(type_name, value)``) as ``type_name``.

        Components constrained by the same table as an open type (``criticality``) are filled in
        from the object the key selects when absent; with ``strict`` a present value must equal
        the object's, and an open type whose key is not in the object set must be given as its
        encoded octets (without, ``(type_name, value)`` is encoded as that type).
        ``check_constraints`` runs asn1tools' constraint checks on every level.
        """
        ref = self._ref(type_name)
        plan = self._plans.get((ref.module, ref.name))
        lowered = self._lower(plan, value, type_name, check_constraints, strict)
        compiled = self._compiled(ref)
        compiled.check_types(lowered)
        if check_constraints:
            compiled.check_constraints(lowered)
        return bytes(compiled.encode(lowered))

    def decode(
        self, type_name: str, data: bytes, *, check_constraints: bool = False, exact: bool = True
    ) -> Any:
        """Decode ``data`` as ``type_name``, open types expanded to ``(type_name, value)``.

        With ``exact`` (the default) the encoding must fill ``data`` up to the padding bits of
        its last octet, at the outer level and in every open type; asn1tools by itself ignores
        whatever follows.
        """
        ref = self._ref(type_name)
        compiled = self._compiled(ref)
        value, left = _decode_counting(compiled, data)
        if exact and left >= 8:
            raise Asn1Error(f"{type_name}: {left // 8} octet(s) after the encoding")
        if check_constraints:
            compiled.check_constraints(value)
        plan = self._plans.get((ref.module, ref.name))
        return self._raise(plan, value, type_name, check_constraints, exact)

    def _lower(self, plan: _Plan | None, value: Any, path: str, check: bool, strict: bool) -> Any:
        plan = self._resolve_plan(plan)
        if plan is None:
            return value
        if isinstance(plan, _ListPlan):
            if not isinstance(value, list | tuple):
                raise OpenTypeError(path, f"expected a list, got {type(value).__name__}")
            return [
                self._lower(plan.element, v, f"{path}[{i}]", check, strict)
                for i, v in enumerate(value)
            ]
        if isinstance(plan, _ChoicePlan):
            if not (isinstance(value, tuple) and len(value) == 2):
                raise OpenTypeError(path, "expected a (alternative, value) tuple")
            sub = plan.alternatives.get(value[0])
            if sub is None:
                return value
            return (value[0], self._lower(sub, value[1], f"{path}.{value[0]}", check, strict))
        assert isinstance(plan, _SeqPlan)
        if not isinstance(value, dict):
            raise OpenTypeError(path, f"expected a dict, got {type(value).__name__}")
        out = dict(value)
        for name, sub in plan.members.items():
            if name in out:
                out[name] = self._lower(sub, out[name], f"{path}.{name}", check, strict)
        for fixed in plan.fixed:
            component, key_field = fixed.key
            obj = self._sets[fixed.set].find(key_field, out.get(component))
            if obj is None or fixed.field not in obj.fields:
                continue
            expected = obj.fields[fixed.field]
            if fixed.member not in out:
                out[fixed.member] = expected
            elif strict and out[fixed.member] != expected:
                raise OpenTypeError(
                    f"{path}.{fixed.member}",
                    f"{out[fixed.member]!r} but the object for {component} "
                    f"{out.get(component)!r} says {expected!r}",
                )
        for op in plan.opens:
            if op.member in out:
                out[op.member] = self._encode_open(op, out, f"{path}.{op.member}", check, strict)
        return out

    def _encode_open(
        self, op: _OpenField, seq: Mapping[str, Any], path: str, check: bool, strict: bool
    ) -> bytes:
        value = seq[op.member]
        ref: TypeRef | None = None
        key = op.key[0] if op.key is not None else ""
        if op.set is not None and op.key is not None:
            obj = self._sets[op.set].find(op.key[1], seq.get(key))
            if obj is not None:
                found = obj.fields.get(op.field)
                ref = found if isinstance(found, TypeRef) else None
        if isinstance(value, bytes | bytearray):
            if ref is not None:
                raise OpenTypeError(path, f"expected ({ref.name!r}, value), got bytes")
            return bytes(value)
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)):
            raise OpenTypeError(path, "expected (type_name, value) or bytes")
        type_name, inner = value
        if ref is None:
            if strict and op.set is not None:
                raise OpenTypeError(
                    path,
                    f"{key} {seq.get(key)!r} is not in {op.set[1]}: give the encoded octets, "
                    "or strict=False to encode it as the named type",
                )
            try:
                ref = self._ref(type_name)
            except KeyError:
                raise OpenTypeError(path, f"unknown type {type_name!r}") from None
        elif type_name != ref.name:
            raise OpenTypeError(path, f"{key} {seq.get(key)!r} takes {ref.name}, not {type_name}")
        sub_path = f"{path}<{type_name}>"
        lowered = self._lower(
            self._plans.get((ref.module, ref.name)), inner, sub_path, check, strict
        )
        compiled = self._compiled(ref)
        try:
            compiled.check_types(lowered)
            if check:
                compiled.check_constraints(lowered)
            data = bytes(compiled.encode(lowered))
        except asn1tools.Error as exc:
            raise OpenTypeError(sub_path, str(exc)) from exc
        return data or b"\x00"

    def _raise(self, plan: _Plan | None, value: Any, path: str, check: bool, exact: bool) -> Any:
        plan = self._resolve_plan(plan)
        if plan is None:
            return value
        if isinstance(plan, _ListPlan):
            return [
                self._raise(plan.element, v, f"{path}[{i}]", check, exact)
                for i, v in enumerate(value)
            ]
        if isinstance(plan, _ChoicePlan):
            sub = plan.alternatives.get(value[0])
            return (
                value
                if sub is None
                else (value[0], self._raise(sub, value[1], f"{path}.{value[0]}", check, exact))
            )
        assert isinstance(plan, _SeqPlan)
        out = dict(value)
        for name, sub in plan.members.items():
            if name in out:
                out[name] = self._raise(sub, out[name], f"{path}.{name}", check, exact)
        for op in plan.opens:
            if op.member not in out or op.set is None or op.key is None:
                continue
            obj = self._sets[op.set].find(op.key[1], out.get(op.key[0]))
            ref = obj.fields.get(op.field) if obj is not None else None
            if not isinstance(ref, TypeRef):
                continue  # unknown key (extension) or no such field: keep the octets
            sub_path = f"{path}.{op.member}<{ref.name}>"
            compiled = self._compiled(ref)
            octets = bytes(out[op.member])
            try:
                inner, left = _decode_counting(compiled, octets)
                if check:
                    compiled.check_constraints(inner)
            except Exception as exc:  # asn1tools raises more than its own errors on bad input
                raise OpenTypeError(sub_path, str(exc) or type(exc).__name__) from exc
            # An empty complete encoding is sent as one zero octet (X.691 10.1.3).
            if exact and left >= 8 and not (left == 8 and octets == b"\x00"):
                raise OpenTypeError(sub_path, f"{left // 8} octet(s) after the encoding")
            inner = self._raise(
                self._plans.get((ref.module, ref.name)), inner, sub_path, check, exact
            )
            out[op.member] = (ref.name, inner)
        return out


class XwapCodec(Codec):
    """The XwAP codec: :meth:`encode_pdu` / :meth:`decode_pdu` work on ``XwAP-PDU``."""

    def encode_pdu(
        self, value: Any, *, check_constraints: bool = False, strict: bool = True
    ) -> bytes:
        """``('initiatingMessage', {'procedureCode': 13, 'value': ('LWIPAdditionRequest',
        {...})})`` -> APER octets; ``criticality`` fields may be left out."""
        return self.encode(XWAP_PDU, value, check_constraints=check_constraints, strict=strict)

    def decode_pdu(
        self, data: bytes, *, check_constraints: bool = False, exact: bool = True
    ) -> Any:
        """APER octets -> ``XwAP-PDU`` value with open types expanded (see :meth:`decode`)."""
        return self.decode(XWAP_PDU, data, check_constraints=check_constraints, exact=exact)

    def procedure_set(self) -> ObjectSet:
        """The object set the PDU's ``procedureCode`` refers to (from the PDU definition)."""
        plan = self._resolve_plan(self._plan_of(XWAP_PDU))
        sets: set[tuple[str, str]] = set()
        if isinstance(plan, _ChoicePlan):
            for sub in plan.alternatives.values():
                inner = self._resolve_plan(sub)
                if isinstance(inner, _SeqPlan):
                    sets.update(o.set for o in inner.opens if o.set is not None)
        if len(sets) != 1:
            raise KeyError(f"{XWAP_PDU}: expected one procedure object set, found {sets}")
        return self._sets[sets.pop()]

    def procedures(self) -> dict[int, ProcedureSpec]:
        """procedureCode -> ProcedureSpec, from the elementary procedure object set."""
        out: dict[int, ProcedureSpec] = {}
        for obj in self.procedure_set().objects:
            f = obj.fields

            def type_name(name: str, f: Mapping[str, Any] = f) -> str | None:
                ref = f.get(name)
                return ref.name if isinstance(ref, TypeRef) else None

            code = f["&procedureCode"]
            initiating = type_name("&InitiatingMessage")
            assert initiating is not None
            out[code] = ProcedureSpec(
                obj.name or str(code),
                code,
                initiating,
                type_name("&SuccessfulOutcome"),
                type_name("&UnsuccessfulOutcome"),
                str(f.get("&criticality")),
            )
        return out

    def message_spec(self, type_name: str) -> MessageSpec:
        """The procedure and PDU alternative that carry message type ``type_name``."""
        for proc in self.procedures().values():
            kinds: tuple[tuple[PduKind, str | None], ...] = (
                ("initiatingMessage", proc.initiating),
                ("successfulOutcome", proc.successful),
                ("unsuccessfulOutcome", proc.unsuccessful),
            )
            for kind, name in kinds:
                if name == type_name:
                    return MessageSpec(type_name, proc.code, kind, proc)
        raise KeyError(f"{type_name!r} is not a message of any elementary procedure")

    def enumeration(self, type_name: str) -> tuple[str, ...]:
        """The values of ENUMERATED ``type_name``: root values, then extension additions."""
        root, additions = self.enumeration_parts(type_name)
        return root + additions

    def enumeration_parts(self, type_name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """ENUMERATED ``type_name`` as (root values, extension additions), each in index order
        (the order PER numbers them in)."""
        compiled = self._compiled(self._ref(type_name)).type
        root = getattr(compiled, "root_index_to_data", None)
        if root is None:
            raise KeyError(f"{type_name!r} is not an ENUMERATED type")
        additions = getattr(compiled, "additions_index_to_data", None) or {}
        return tuple(root[i] for i in sorted(root)), tuple(additions[i] for i in sorted(additions))

    def message(
        self,
        alternative: PduKind,
        procedure_code: int,
        ies: Mapping[int, Any],
    ) -> Any:
        """Build an ``XwAP-PDU`` value: IE values by id, put in object set order with their
        criticality and type name from the object set (``ies`` values are the inner values)."""
        proc = self.procedures()[procedure_code]
        msg_type = {
            "initiatingMessage": proc.initiating,
            "successfulOutcome": proc.successful,
            "unsuccessfulOutcome": proc.unsuccessful,
        }[alternative]
        if msg_type is None:
            raise KeyError(f"procedure {procedure_code} has no {alternative}")
        table = self.ies(msg_type)
        unknown = set(ies) - set(table)
        if unknown:
            raise KeyError(f"{msg_type}: no IE with id {sorted(unknown)}")
        plan = self._resolve_plan(self._plan_of(msg_type))
        assert isinstance(plan, _SeqPlan)
        member = next(iter(plan.members))
        fields = [
            {"id": i, "criticality": spec.criticality, "value": (spec.type_name, ies[i])}
            for i, spec in table.items()
            if i in ies
        ]
        return (
            alternative,
            {
                "procedureCode": procedure_code,
                "criticality": proc.criticality,
                "value": (msg_type, {member: fields}),
            },
        )


# --------------------------------------------------------------------------------------------
# Building


def transform_modules(
    texts: Sequence[str],
) -> tuple[dict[str, Descriptor], dict[tuple[str, str], _Plan], dict[tuple[str, str], ObjectSet]]:
    """Parse module texts with asn1tools and apply the transformation (module docstring).

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


# --------------------------------------------------------------------------------------------
# Sources, cache, public entry points


def asn1_dir() -> Path:
    """Where the extracted modules are: ``lwip_enb/_asn1`` when installed, else ``asn1/``."""
    package = Path(__file__).resolve().parent.parent  # lwip_enb/
    here = package
    for candidate in (package / "_asn1", package.parent / "asn1"):
        if (candidate / "36331").is_dir() and (candidate / "36463").is_dir():
            return candidate
    raise Asn1Error(f"extracted ASN.1 not found next to {here}")


def cache_dir() -> Path:
    """``$LWIP_ENB_CACHE``, else ``$XDG_CACHE_HOME/lwip-enb``, else ``~/.cache/lwip-enb``."""
    explicit = os.environ.get("LWIP_ENB_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "lwip-enb"


@dataclass(frozen=True)
class _Recipe:
    kind: str
    spec: str  # for messages
    folder: str
    modules: tuple[str, ...]
    codec: str


_RECIPES: Final = {
    "rrc": _Recipe("rrc", "TS 36.331 RRC", "36331", RRC_MODULES, "uper"),
    "xwap": _Recipe("xwap", "TS 36.463 XwAP", "36463", XWAP_MODULES, "per"),
}
_CACHE_FORMAT: Final = 1
_lock = threading.RLock()
_loaded: dict[str, Any] = {}
_info: dict[str, LoadInfo] = {}


def _texts(recipe: _Recipe) -> list[str]:
    folder = asn1_dir() / recipe.folder
    return [(folder / f"{m}.asn").read_text(encoding="utf-8") for m in recipe.modules]


def _key(recipe: _Recipe, texts: Sequence[str]) -> str:
    h = hashlib.sha256()
    for part in (
        recipe.kind,
        recipe.codec,
        *recipe.modules,
        *texts,
        asn1tools.__version__,
        f"{sys.version_info.major}.{sys.version_info.minor}",
        str(TRANSFORM_VERSION),
        str(_CACHE_FORMAT),
        Path(__file__).read_text(encoding="utf-8"),
    ):
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()


def _read_cache(path: Path, key: str) -> Any:
    try:
        with path.open("rb") as fh:
            payload = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # any corruption: recompile
        LOG.warning("ignoring unreadable ASN.1 cache %s: %s", path, exc)
        return None
    if (
        not isinstance(payload, tuple)
        or len(payload) != 3
        or payload[0] != _CACHE_FORMAT
        or payload[1] != key
    ):
        LOG.warning("ignoring ASN.1 cache %s: unexpected content", path)
        return None
    return payload[2]


def _write_cache(path: Path, key: str, obj: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((_CACHE_FORMAT, key, obj), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError) as exc:
        LOG.warning("could not write ASN.1 cache %s: %s", path, exc)
        return
    kind = path.name.split("-", 1)[0]
    for stale in path.parent.glob(f"{kind}-*.pickle"):
        if stale != path:  # left by another version of the modules, asn1tools or this file
            stale.unlink(missing_ok=True)


def _load(kind: str) -> Any:
    with _lock:
        if kind in _loaded:
            return _loaded[kind]
        recipe = _RECIPES[kind]
        start = time.monotonic()
        texts = _texts(recipe)
        key = _key(recipe, texts)
        path = cache_dir() / f"{kind}-{key[:32]}.pickle"
        expected = XwapCodec if kind == "xwap" else asn1tools.compiler.Specification
        obj = _read_cache(path, key)
        if obj is not None and not isinstance(obj, expected):
            LOG.warning("ignoring ASN.1 cache %s: holds a %s", path, type(obj).__name__)
            obj = None
        source: Literal["cache", "compiled"] = "cache"
        if obj is None:
            source = "compiled"
            message = (
                f"lwip-enb: compiling the 3GPP ASN.1 ({recipe.spec}) once and caching it "
                f"in {path.parent}"
            )
            LOG.info("%s", message)
            # stages: transform the modules, compile them, write the cache
            bar = Progress(f"lwip-enb: compiling {recipe.spec}", total=3)
            if bar.enabled:
                print(message, file=sys.stderr, flush=True)
            with bar:
                codec = compile_modules(
                    texts, recipe.codec, XwapCodec if kind == "xwap" else Codec, bar
                )
                obj = codec if kind == "xwap" else codec.spec
                _write_cache(path, key, obj)
                bar.advance()
        seconds = time.monotonic() - start
        _info[kind] = LoadInfo(kind, source, seconds, path)
        LOG.debug("%s ASN.1 %s in %.3f s", kind, source, seconds)
        _loaded[kind] = obj
        return obj


def rrc() -> Any:
    """The asn1tools specification of :data:`RRC_MODULES` (UPER), e.g.
    ``rrc().encode('DL-DCCH-Message', value)``."""
    return _load("rrc")


def xwap() -> XwapCodec:
    """The XwAP codec (APER, all six modules, open types expanded)."""
    codec = _load("xwap")
    assert isinstance(codec, XwapCodec)
    return codec


def xwap_ies(container: str) -> dict[int, IeSpec]:
    """IE id -> IeSpec for an XwAP object set name or a message type name."""
    return xwap().ies(container)


def xwap_procedures() -> dict[int, ProcedureSpec]:
    """procedureCode -> ProcedureSpec, from ``XWAP-ELEMENTARY-PROCEDURES``."""
    return xwap().procedures()


def xwap_message(type_name: str) -> MessageSpec:
    """Procedure code and PDU alternative of an XwAP message type (``LWIPAdditionRequest``)."""
    return xwap().message_spec(type_name)


def xwap_enumeration(type_name: str) -> tuple[str, ...]:
    """The values of an XwAP ENUMERATED type (``CauseRadioNetwork``), extensions included."""
    return xwap().enumeration(type_name)


def xwap_enumeration_parts(type_name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An XwAP ENUMERATED type's root values and extension additions, each in PER index order."""
    return xwap().enumeration_parts(type_name)


def load_info() -> dict[str, LoadInfo]:
    """How :func:`rrc` and :func:`xwap` were obtained in this process (cache or compiled)."""
    with _lock:
        return dict(_info)
