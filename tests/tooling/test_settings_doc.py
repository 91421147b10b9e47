"""docs/settings.md: one table of every setting with its actual default.

- Every attrs field of ``EnbConfig``, ``SegwConfig``, ``Backoff``, ``EventPolicy`` and
  ``SendPolicy`` and every option of ``IdiAllocator`` has a row (setting, where).
- Every row's default (a Python expression) evaluates to the actual default: the field's value
  in a default instance (through the field's converter, as the class would take it), or the
  parameter's default in the signature.
- Every row names a unit and a reason. The README links the page.
- The checker catches a wrong default and a missing row (run on a broken copy of the table).
  Spec clauses named in the table: TS 36.463 8.2 (Xw Setup timers), TS 36.331 5.6.15.3 (T351).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from lwip_enb.codec.fields import WlanIdentifiers
from lwip_enb.codec.xwap import Cause, GlobalEnbId, WlanInformation, WtId
from lwip_enb.core.controller import EnbConfig, HandoverUeRelease
from lwip_enb.io.flow import EventPolicy, SendPolicy
from lwip_enb.io.memory import MemoryNetwork
from lwip_enb.io.runtime import Backoff, EnbRuntime
from lwip_enb.keys import IdiAllocator, IkeIdType
from lwip_enb.peers.segw import AnswerFault, SegwConfig
from lwip_enb.sim.runtimes import SegwRuntime

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "docs" / "settings.md"
ATTRS_CLASSES: dict[str, type] = {
    "EnbConfig": EnbConfig,
    "SegwConfig": SegwConfig,
    "Backoff": Backoff,
    "EventPolicy": EventPolicy,
    "SendPolicy": SendPolicy,
}
CALLABLES: dict[str, Callable[..., Any]] = {
    "IdiAllocator": IdiAllocator,
    "EnbRuntime": EnbRuntime,
    "EnbRuntime.add_segw": EnbRuntime.add_segw,
    "SegwRuntime": SegwRuntime,
    "MemoryNetwork": MemoryNetwork,
}
REQUIRED_OPTIONS = ("IdiAllocator",)  # every keyword option of these must have a row
NAMES: dict[str, Any] = {
    "Cause": Cause,
    "GlobalEnbId": GlobalEnbId,
    "WtId": WtId,
    "WlanIdentifiers": WlanIdentifiers,
    "WlanInformation": WlanInformation,
    "HandoverUeRelease": HandoverUeRelease,
    "AnswerFault": AnswerFault,
    "IdiAllocator": IdiAllocator,
    "IkeIdType": IkeIdType,
}


def _rows(text: str) -> Iterator[list[str]]:
    for line in text.splitlines():
        if line.startswith("| `") and not re.match(r"^\|[-| ]+\|$", line):
            yield [cell.strip() for cell in line.strip().strip("|").split(" | ")]


def _code(cell: str) -> str:
    match = re.fullmatch(r"`([^`]+)`", cell)
    assert match, f"not one code span: {cell!r}"
    return match.group(1)


def table(text: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(setting, where) -> (default expression, unit, reason)."""
    found: dict[tuple[str, str], tuple[str, str, str]] = {}
    for cells in _rows(text):
        assert len(cells) == 5, cells
        setting, where, default, unit, reason = cells
        key = (_code(setting), _code(where))
        assert key not in found, f"two rows for {key}"
        found[key] = (_code(default), unit, reason)
    return found


def actual_default(setting: str, where: str) -> tuple[Any, Callable[[Any], Any]]:
    """The default, and how the place would take the documented value (its converter)."""
    if where in ATTRS_CLASSES:
        cls = ATTRS_CLASSES[where]
        field = attrs.fields_dict(cls)[setting]
        convert = field.converter if callable(field.converter) else (lambda v: v)
        return getattr(cls(), setting), convert
    parameter = inspect.signature(CALLABLES[where]).parameters[setting]
    assert parameter.default is not inspect.Parameter.empty, (setting, where)
    return parameter.default, lambda v: v


def problems(text: str) -> list[str]:
    rows = table(text)
    found = []
    for where, cls in ATTRS_CLASSES.items():
        for field in attrs.fields(cls):
            if (field.name, where) not in rows:
                found.append(f"no row for {where}.{field.name}")
    for where in REQUIRED_OPTIONS:
        for name, parameter in inspect.signature(CALLABLES[where]).parameters.items():
            if parameter.kind is parameter.KEYWORD_ONLY and (name, where) not in rows:
                found.append(f"no row for {where}({name}=)")
    for (setting, where), (expression, unit, reason) in rows.items():
        if where not in ATTRS_CLASSES and where not in CALLABLES:
            found.append(f"{setting}: unknown place {where}")
            continue
        actual, convert = actual_default(setting, where)
        documented = convert(eval(expression, dict(NAMES)))  # the doc's own table, no input
        if documented != actual:
            found.append(f"{where}.{setting}: documented {expression}, actually {actual!r}")
        if not unit or not reason:
            found.append(f"{where}.{setting}: unit or reason missing")
    return found


def test_every_setting_is_in_the_table_with_its_actual_default() -> None:
    assert problems(SETTINGS.read_text()) == []


def test_the_readme_links_the_settings_table() -> None:
    assert "docs/settings.md" in (ROOT / "README.md").read_text()


def test_the_checker_catches_a_wrong_default_and_a_missing_row() -> None:
    text = SETTINGS.read_text()
    wrong = text.replace(
        "| `rrc_guard_s` | `EnbConfig` | `5.0` |", "| `rrc_guard_s` | `EnbConfig` | `6.0` |"
    )
    assert wrong != text
    assert problems(wrong) == ["EnbConfig.rrc_guard_s: documented 6.0, actually 5.0"]
    missing = "\n".join(line for line in text.splitlines() if not line.startswith("| `domain`"))
    assert problems(missing) == ["no row for IdiAllocator(domain=)"]
    no_limit = "\n".join(
        line for line in text.splitlines() if not line.startswith("| `limit` | `Backoff`")
    )
    assert problems(no_limit) == ["no row for Backoff.limit"]
