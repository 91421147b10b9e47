"""The X.681-X.683 transformation that lets asn1tools compile the 3GPP modules.

asn1tools parses all of the 3GPP ASN.1, but compiles two things wrongly or not at all:

* X.683 parameterized types used inside extension addition groups ``[[ ... ]]``.  36.331 V17
  writes ``SetupRelease { ElementTypeParam } ::= CHOICE { release NULL, setup ElementTypeParam }``
  and uses it (among other places) inside such groups, where asn1tools' own expansion does not
  look, so compilation stops with "Type 'SetupRelease' not found".
* X.681/X.682/X.683 information objects.  asn1tools' parser keeps object class fields but drops
  WITH SYNTAX, the contents of objects and object sets, and object-set actual parameters such as
  the ``{{LWIPAdditionRequestIEs}}`` of ``ProtocolIE-Container {{LWIPAdditionRequestIEs}}``.
  Without them it can neither instantiate the XwAP containers nor tell the type of an open type.

:class:`_Transformer` therefore works on asn1tools' parsed dictionary plus the side parse of
:mod:`lwip_enb.asn1.syntax`, and rewrites the dictionary before ``asn1tools.compile_dict``:

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
   component (object set and ``@id`` component relation) is kept as an annotation
   (:data:`_OPEN`, :data:`_FIELD`), which :mod:`lwip_enb.asn1.plans` reads.

:func:`lwip_enb.asn1.build.transform_modules` runs the transformation and the planner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from lwip_enb.asn1.model import Descriptor, InfoObject, ObjectSet, TypeRef
from lwip_enb.asn1.syntax import (
    _INT_RE,
    _Assignment,
    _Class,
    _closing,
    _is_ident,
    _match_syntax,
    _parse_class,
    _split_module,
    _split_top,
)
from lwip_enb.errors import Asn1TransformError

#: Bump when the transformation changes what it produces (the cache key also covers the source of
#: every module of this package).
TRANSFORM_VERSION: Final = 1

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
