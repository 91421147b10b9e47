"""Typed RRC and XwAP messages as JSON, for ``lwip-enb encode KIND --json FILE``.

The JSON form of a message is an object naming the message, as the ASN.1 does (its ``MESSAGE``,
e.g. ``"LWIPReleaseRequest"``, ``"RRCConnectionReconfiguration"``; the Python class name is
accepted too), with the attributes of its typed class (:mod:`lwip_enb.codec.xwap.messages`,
:mod:`lwip_enb.codec.rrc.messages`) under their own names. Values by attribute type:

- ``int``, ``bool``, ``str``: as is; an enumeration: its value as the spec spells it
  (``"radioNetwork"``, ``"successfulAssociation"``; ``"macroENB-ID"`` for the eNB ID's kind);
- octets (``bytes``, the LWIP-PSK): a hex string (spaces and ``:`` allowed);
- an IP address: its text form;
- a typed value (``Cause``, ``TunnelConfig``, ``WlanIdentifiers`` ...): an object of its
  attributes, by the same rules;
- a tuple: a list;
- an optional attribute: ``null`` or left out; an attribute with a default may be left out;
- where the type is one of several typed values (``lwip`` of the reconfiguration:
  ``LwipSetup`` or ``LwipRelease``): an object with one key, the class name.

``other_ies`` (IEs the library does not model) has no JSON form. The classes' own validation
applies (field ranges, sizes, mandatory IEs). Errors name the attribute, never its value (the
value may be key material).
"""

from __future__ import annotations

import enum
import ipaddress
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any, Final

import attrs

from lwip_enb.codec.rrc.fast import FAST_CODECS as RRC_CODECS
from lwip_enb.codec.xwap.fast import FAST_CODECS as XWAP_CODECS
from lwip_enb.errors import InvalidFieldError
from lwip_enb.keys import KeyMaterial

__all__ = ["MESSAGES", "from_json", "to_json", "wipe"]

#: message name -> typed class, for both codecs (every class of their ``FAST_CODECS``)
MESSAGES: Final[dict[str, type[Any]]] = {
    str(getattr(cls, "MESSAGE")): cls  # noqa: B009 (a ClassVar, not OtherRrcMessage's property)
    for cls in (*RRC_CODECS, *XWAP_CODECS)
}
_BY_CLASS_NAME: Final = {cls.__name__: cls for cls in MESSAGES.values()}
_UNSUPPORTED: Final = frozenset({"other_ies"})
_NONE = type(None)


def _members(tp: Any) -> tuple[Any, ...] | None:
    """The members of a union type, else None."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return typing.get_args(tp)
    return None


def _fields(cls: type[Any]) -> Iterator[attrs.Attribute[Any]]:
    attrs.resolve_types(cls)
    for field in attrs.fields(cls):
        if field.name not in _UNSUPPORTED:
            yield field


def _hex(value: Any, field: str) -> bytes:
    if not isinstance(value, str):
        raise InvalidFieldError(field, "expected a hex string")
    text = "".join(value.split()).replace(":", "").removeprefix("0x")
    try:
        return bytes.fromhex(text)
    except ValueError:
        what = "odd number of hex digits" if len(text) % 2 else "not a hex string"
        raise InvalidFieldError(field, what) from None


def _convert(value: Any, tp: Any, field: str, keys: list[KeyMaterial]) -> Any:
    members = _members(tp)
    if members is not None:
        if value is None and _NONE in members:
            return None
        choices = tuple(m for m in members if m is not _NONE)
        if all(isinstance(m, type) and issubclass(m, ipaddress._BaseAddress) for m in choices):
            try:
                return ipaddress.ip_address(value)
            except ValueError:
                raise InvalidFieldError(field, "not an IP address") from None
        if len(choices) == 1:
            return _convert(value, choices[0], field, keys)
        by_name = {m.__name__: m for m in choices}
        if not (isinstance(value, dict) and len(value) == 1 and next(iter(value)) in by_name):
            raise InvalidFieldError(field, f"expected an object with one key of {sorted(by_name)}")
        ((name, inner),) = value.items()
        return _convert(inner, by_name[name], f"{field}.{name}", keys)
    origin = typing.get_origin(tp)
    if origin is tuple:
        if not isinstance(value, list):
            raise InvalidFieldError(field, "expected a list")
        (item, *_) = typing.get_args(tp)
        return tuple(_convert(v, item, f"{field}[{i}]", keys) for i, v in enumerate(value))
    if tp is bool:
        if not isinstance(value, bool):
            raise InvalidFieldError(field, "expected true or false")
        return value
    if tp is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidFieldError(field, "expected an integer")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise InvalidFieldError(field, "expected a string")
        return value
    if tp is bytes:
        return _hex(value, field)
    if tp is KeyMaterial:
        key = KeyMaterial(_hex(value, field))
        keys.append(key)
        return key
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        for member in tp:
            if value == _enum_text(member):
                return member
        allowed = ", ".join(_enum_text(m) for m in tp)
        raise InvalidFieldError(field, f"expected one of: {allowed}")
    if isinstance(tp, type) and attrs.has(tp):
        return _build(tp, value, field, keys)
    raise InvalidFieldError(field, "has no JSON form")


def _enum_text(member: enum.Enum) -> str:
    """An enumeration member in JSON: its value when that is text (the spec's spelling), else
    its ASN.1 name (``EnbIdKind``: ``"macroENB-ID"``), else its Python name."""
    if isinstance(member.value, str):
        return member.value
    return str(getattr(member, "asn1_name", member.name))


def _build(cls: type[Any], value: Any, where: str, keys: list[KeyMaterial]) -> Any:
    if not isinstance(value, dict):
        raise InvalidFieldError(where, f"expected an object ({cls.__name__})")
    fields = {f.name: f for f in _fields(cls)}
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise InvalidFieldError(
            where, f"unknown attribute(s) {unknown}; {cls.__name__} has {sorted(fields)}"
        )
    kwargs = {}
    for name, v in value.items():
        kwargs[name] = _convert(v, fields[name].type, f"{where}.{name}", keys)
    missing = sorted(n for n, f in fields.items() if f.default is attrs.NOTHING and n not in kwargs)
    if missing:
        raise InvalidFieldError(where, f"missing attribute(s) {missing}")
    return cls(**kwargs)


def from_json(obj: Any, allowed: Callable[[type[Any]], bool] = lambda _cls: True) -> Any:
    """The typed message an object describes (see the module text); ``allowed`` says which
    classes the caller takes (an RRC channel, XwAP). Key material read for it is wiped by
    :func:`wipe` (or by the caller) once the message is encoded."""
    if not isinstance(obj, dict) or not isinstance(obj.get("message"), str):
        raise InvalidFieldError("message", 'expected an object with a "message" name')
    body = dict(obj)
    name = body.pop("message")
    cls = MESSAGES.get(name) or _BY_CLASS_NAME.get(name)
    known = sorted(n for n, c in MESSAGES.items() if allowed(c))
    if cls is None or not allowed(cls):
        raise InvalidFieldError("message", f"not one of these typed messages: {', '.join(known)}")
    keys: list[KeyMaterial] = []
    try:
        return _build(cls, body, cls.MESSAGE, keys)
    except BaseException:
        for key in keys:
            key.wipe()
        raise


def wipe(msg: Any) -> None:
    """Wipe every key held by ``msg`` (its LWIP-PSK)."""
    for value in _walk(msg):
        if isinstance(value, KeyMaterial):
            value.wipe()


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, tuple):
        for v in value:
            yield from _walk(v)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _walk(getattr(value, field.name))


def to_json(value: Any) -> Any:
    """The JSON form of a typed message (or of one of its values): what :func:`from_json`
    reads back. Shows the LWIP-PSK of an LWIP ADDITION REQUEST: it is what the message carries."""
    return _to_json(value, top=True)


def _to_json(value: Any, top: bool = False, tp: Any = None) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, KeyMaterial):
        return value.reveal().hex()
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return str(value)
    if isinstance(value, enum.Enum):
        return _enum_text(value)
    if isinstance(value, tuple):
        item = typing.get_args(tp)[0] if typing.get_origin(tp) is tuple else None
        return [_to_json(v, tp=item) for v in value]
    if attrs.has(type(value)):
        out: dict[str, Any] = {"message": value.MESSAGE} if top else {}
        for field in _fields(type(value)):
            out[field.name] = _to_json(getattr(value, field.name), tp=field.type)
        choices = _members(tp)
        named = [m for m in choices or () if m is not _NONE]
        if len(named) > 1 and all(attrs.has(m) for m in named):
            return {type(value).__name__: out}
        return out
    raise InvalidFieldError(type(value).__name__, "has no JSON form")
