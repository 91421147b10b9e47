"""A side parser for what asn1tools' parser drops from the 3GPP modules.

asn1tools keeps object class fields but loses WITH SYNTAX, the contents of information objects
and object sets, and the actual parameters of parameterized types.  This module reads them from
the module text itself (comments removed): it cuts a module into its assignments, parses CLASS
definitions with their WITH SYNTAX, and matches an object's defined syntax against its class.
:mod:`lwip_enb.asn1.transform` puts the pieces to use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from lwip_enb.asn1.model import Descriptor
from lwip_enb.errors import Asn1TransformError

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
