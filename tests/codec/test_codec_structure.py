"""How the codecs are put together.

1. Every typed message class a codec exports has an entry in its fast path's registry
   (``FAST_CODECS``), and each entry encodes and decodes exactly its own class, with the
   general codec's octets.
2. Imports inside ``lwip_enb/codec`` go one way: messages <- general, messages <- fast, the
   package's ``__init__`` (the facade) imports the three; nothing imports back into a package's
   own ``__init__``, and there is no import cycle.
"""

from __future__ import annotations

import ast
import inspect
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import strategies as s
from hypothesis import given, settings
from hypothesis import strategies as st

import lwip_enb.codec
from lwip_enb.codec import rrc, xwap
from lwip_enb.codec.rrc import fast as rrc_fast
from lwip_enb.codec.xwap import fast as xwap_fast

# --- 1. the registries ------------------------------------------------------------------------


def _exported_classes(codec: ModuleType) -> set[type]:
    return {v for name in codec.__all__ if isinstance(v := getattr(codec, name), type)}


def _rrc_typed_classes() -> set[type]:
    """Exported classes that are typed messages: they carry their channel and ASN.1 name."""
    return {
        cls
        for cls in _exported_classes(rrc)
        if isinstance(getattr(cls, "CHANNEL", None), rrc.RrcChannel)
        and isinstance(getattr(cls, "MESSAGE", None), str)
    }


def _xwap_typed_classes() -> set[type]:
    """Exported concrete subclasses of XwapMessage, and every subclass defined anywhere."""
    found = {
        cls
        for cls in _exported_classes(xwap)
        if issubclass(cls, xwap.XwapMessage) and cls is not xwap.XwapMessage
    }
    todo = list(xwap.XwapMessage.__subclasses__())
    while todo:
        cls = todo.pop()
        if not inspect.isabstract(cls):
            found.add(cls)
        todo += cls.__subclasses__()
    return found


#: Typed RRC classes whose fast entry declines every message, so that the general codec alone
#: encodes and decodes them, each with why a hand-specialised path is not worth it. The fast
#: module lists the same set (rrc_fast.GENERAL_ONLY); growing it means writing the reason here.
#: Not here, because it is no message class: the UE-EUTRA-Capability container, which
#: rrc.decode_eutra_capability reads through the general codec.
GENERAL_ONLY_RRC: dict[type, str] = {
    rrc.UeCapabilityInformation: (
        "once per RRC connection; the container it carries is decoded by asn1tools anyway"
    ),
}


def test_every_typed_rrc_message_has_a_fast_codec() -> None:
    typed = _rrc_typed_classes()
    union = set(typing.get_args(rrc.RrcMessage)) - {rrc.OtherRrcMessage}
    assert typed == union == set(rrc.MESSAGE_CLASSES)
    missing = typed - set(rrc_fast.FAST_CODECS)
    assert not missing, f"no fast codec for {sorted(c.__name__ for c in missing)}"
    assert set(rrc_fast.FAST_CODECS) == typed
    assert set(rrc_fast.GENERAL_ONLY) == set(GENERAL_ONLY_RRC)
    assert len(GENERAL_ONLY_RRC) < len(typed) / 2  # the fast path stays the rule


@settings(max_examples=50)
@given(s.capability_informations)
def test_general_only_rrc_entries_decline(msg: Any) -> None:
    assert type(msg) in GENERAL_ONLY_RRC
    entry = rrc_fast.FAST_CODECS[type(msg)]
    data = rrc.encode(msg, fast=False)
    assert entry.encode(msg) is None and entry.decode(data) is None
    assert rrc.encode(msg) == data
    assert rrc.decode(msg.CHANNEL, data) == msg == rrc.decode(msg.CHANNEL, data, fast=False)
    for other in rrc_fast.FAST_CODECS.values():
        assert other.decode(data) is None


def test_every_typed_xwap_message_has_a_fast_codec() -> None:
    typed = _xwap_typed_classes()
    assert typed == set(xwap.MESSAGE_CLASSES)
    missing = typed - set(xwap_fast.FAST_CODECS)
    assert not missing, f"no fast codec for {sorted(c.__name__ for c in missing)}"
    assert set(xwap_fast.FAST_CODECS) == typed


def _check_entry(
    registry: typing.Mapping[type, Any], msg: Any, general_octets: bytes, decode_general: Any
) -> None:
    entry = registry[type(msg)]
    data = entry.encode(msg)
    assert data == general_octets
    assert entry.decode(data) == msg == decode_general(data)
    for cls, other in registry.items():
        if cls is not type(msg):
            assert other.decode(data) is None, f"{cls.__name__} decoder took a {msg.MESSAGE}"


@settings(max_examples=200)
@given(st.one_of(s.dl_dcch, s.ul_dcch, s.ul_ccch))
def test_each_rrc_entry_codes_its_own_class(msg: Any) -> None:
    assert type(msg) not in GENERAL_ONLY_RRC
    _check_entry(
        rrc_fast.FAST_CODECS,
        msg,
        rrc.encode(msg, fast=False),
        lambda data: rrc.decode(msg.CHANNEL, data, fast=False),
    )


@settings(max_examples=200)
@given(s.xwap_messages)
def test_each_xwap_entry_codes_its_own_class(msg: xwap.XwapMessage) -> None:
    _check_entry(
        xwap_fast.FAST_CODECS,
        msg,
        xwap.encode(msg, fast=False),
        lambda data: xwap.decode(data, fast=False),
    )


@pytest.mark.parametrize("registry", [rrc_fast.FAST_CODECS, xwap_fast.FAST_CODECS])
def test_registry_decoders_never_raise(registry: typing.Mapping[type, Any]) -> None:
    for entry in registry.values():
        for data in (b"", b"\x00", b"\xff" * 3, bytes(range(40))):
            assert entry.decode(data) is None


# --- 2. import direction ------------------------------------------------------------------------

CODEC_DIR = Path(lwip_enb.codec.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(CODEC_DIR.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in CODEC_DIR.rglob("*.py")}


def _imports(module: str) -> set[str]:
    """The codec modules ``module`` imports. ``from P import x`` counts as importing ``P`` (its
    ``__init__`` when ``P`` is a package), and also ``P.x`` when that is a module; a package's
    facade importing its own submodules (``from P import sub`` in ``P/__init__``) counts as
    importing the submodule only."""
    tree = ast.parse(MODULES[module].read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and not node.level:
            if node.module != module:
                out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return {name for name in out if name in MODULES and name != module}


GRAPH = {module: _imports(module) for module in MODULES}


def test_no_import_cycle_among_the_codec_modules() -> None:
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import cycle: " + " -> ".join((*path, module))
        if module in done:
            return
        for target in sorted(GRAPH[module]):
            visit(target, (*path, module))
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, ())


@pytest.mark.parametrize("package", ["lwip_enb.codec.rrc", "lwip_enb.codec.xwap"])
def test_imports_go_one_way(package: str) -> None:
    messages, general, fast = (f"{package}.{m}" for m in ("messages", "general", "fast"))
    assert GRAPH[messages].isdisjoint({package, general, fast})
    assert messages in GRAPH[general]
    assert GRAPH[general].isdisjoint({package, fast})
    assert messages in GRAPH[fast]
    assert GRAPH[fast].isdisjoint({package, general})
    assert {messages, general, fast} <= GRAPH[package]
    assert "lwip_enb.codec.per" in GRAPH[fast]
    assert "lwip_enb.codec.per" not in GRAPH[general]
