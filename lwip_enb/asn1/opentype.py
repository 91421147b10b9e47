"""The codec: an asn1tools specification plus two-level encoding of the open types in it.

After :mod:`lwip_enb.asn1.transform` an open type compiles as an unconstrained OCTET STRING.
:class:`Codec` follows the plans of :mod:`lwip_enb.asn1.plans`: it encodes the inner value of each
open type with the type the object set gives for the key component (``id``, ``procedureCode``),
padded to whole octets (an empty encoding becomes one zero octet, X.691 10.1.3), and hands the
octets to the outer encoding; decoding runs the other way.  Value fields constrained by the same
table (``criticality``) are filled in from the object when absent and checked when present.

In Python values an open type appears as ``(type_name, value)``, the way pycrate writes it, e.g.
``{'id': 69, 'criticality': 'reject', 'value': ('LWIP-SeGWSecurityInfo', {...})}``.  When the
key is not in the object set (an extension), the value stays the raw ``bytes`` of the open type;
such bytes are also passed through unchanged on encoding.  The dispatch tables come from the
modules' own object sets: see :meth:`XwapCodec.procedures` and :meth:`Codec.ies`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any, Final

import asn1tools  # type: ignore[import-untyped]
from asn1tools.codecs import ErrorWithLocation  # type: ignore[import-untyped]

from lwip_enb.asn1.model import IeSpec, MessageSpec, ObjectSet, PduKind, ProcedureSpec, TypeRef
from lwip_enb.asn1.plans import _ChoicePlan, _ListPlan, _OpenField, _Plan, _RefPlan, _SeqPlan
from lwip_enb.errors import Asn1Error, Asn1LookupError, OpenTypeError

#: The top-level XwAP type (TS 36.463 9.3.3).
XWAP_PDU: Final = "XwAP-PDU"


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
            raise Asn1LookupError(f"object set {name!r}: {len(found)} found")
        return found[0]

    @property
    def object_sets(self) -> Mapping[tuple[str, str], ObjectSet]:
        """All object sets used by the compiled types, keyed by (module, name)."""
        return self._sets

    def container_set(self, type_name: str) -> ObjectSet:
        """The object set of the one IE container directly inside ``type_name``."""
        plan = self._resolve_plan(self._plan_of(type_name))
        if not isinstance(plan, _SeqPlan):
            raise Asn1LookupError(f"{type_name} holds no IE container")
        found: list[tuple[str, str]] = []
        for sub in plan.members.values():
            inner = self._resolve_plan(sub)
            if isinstance(inner, _ListPlan):
                inner = self._resolve_plan(inner.element)
            if isinstance(inner, _SeqPlan):
                found.extend(o.set for o in inner.opens if o.set is not None)
        if len(found) != 1:
            raise Asn1LookupError(f"{type_name}: {len(found)} IE containers")
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
                raise Asn1LookupError(f"{objset.name}: objects are not single-type IEs")
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
        raise Asn1LookupError(f"type {type_name!r} not found")

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
            raise Asn1LookupError(f"{XWAP_PDU}: expected one procedure object set, found {sets}")
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
        raise Asn1LookupError(f"{type_name!r} is not a message of any elementary procedure")

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
            raise Asn1LookupError(f"{type_name!r} is not an ENUMERATED type")
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
            raise Asn1LookupError(f"procedure {procedure_code} has no {alternative}")
        table = self.ies(msg_type)
        unknown = set(ies) - set(table)
        if unknown:
            raise Asn1LookupError(f"{msg_type}: no IE with id {sorted(unknown)}")
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
