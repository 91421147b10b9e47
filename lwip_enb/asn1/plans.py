"""Plans: where the values of each transformed type hold open types.

From the annotations :mod:`lwip_enb.asn1.transform` leaves on class-field components, every named
type that contains an open type, at any depth, gets a plan: which members to descend into, which
member holds an open type and which component (``id``, ``procedureCode``) selects its object in
which object set, and which value fields (``criticality``) the same object fixes.
:class:`lwip_enb.asn1.opentype.Codec` follows the plans when it encodes and decodes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lwip_enb.asn1.model import Descriptor
from lwip_enb.asn1.transform import _BUILTIN, _FIELD, _OPEN
from lwip_enb.errors import Asn1TransformError


def _flat(members: Sequence[Any]) -> Iterator[Descriptor]:
    """The component descriptors, those in extension addition groups (nested lists) included
    and the extension marker (None) left out."""
    for m in members:
        if isinstance(m, list):
            yield from _flat(m)
        elif isinstance(m, dict):
            yield m


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
