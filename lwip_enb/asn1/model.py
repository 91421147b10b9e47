"""The data the ASN.1 codecs hand out: information objects and sets, IE and procedure specs.

These are plain frozen values, read from the modules' own object sets by
:mod:`lwip_enb.asn1.transform` and looked up through :class:`lwip_enb.asn1.opentype.Codec`.
:data:`Descriptor` names asn1tools' parsed-type dictionaries, which every stage passes around.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

#: One type as asn1tools' parser describes it (``{'type': 'SEQUENCE', 'members': [...]}``).
Descriptor = dict[str, Any]
#: The three alternatives of an ``XwAP-PDU`` (TS 36.463 9.3.3).
PduKind = Literal["initiatingMessage", "successfulOutcome", "unsuccessfulOutcome"]


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
