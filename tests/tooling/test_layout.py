"""The package layout that docs/architecture.md draws: every module listed, imports one way.

- Each module of ``lwip_enb`` belongs to one role (its package under ``lwip_enb/``; ``errors``,
  ``keys`` and ``progress`` are the foundations). The role table in docs/architecture.md says
  which roles each role may import; every run-time import of every module is checked against it.
- No import cycle anywhere: not between modules, not between a package and its own submodules
  (a submodule that imports its package's ``__init__`` while that ``__init__`` imports it).
- Every module on disk is listed in the module table of docs/architecture.md, and nothing else.

Imports made only for type checking (``if TYPE_CHECKING:``) do not count; imports inside
functions do. Each checker also runs on a broken input, to show it can fail.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lwip_enb"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
FOUNDATIONS = ("errors", "keys", "progress")


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section '## {heading}'"
    return match.group(1)


def _table_rows(text: str) -> Iterator[list[str]]:
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            yield [cell.strip() for cell in line.strip().strip("|").split("|")]


# --- the modules and their roles --------------------------------------------------------------


def module_name(path: Path) -> str:
    """``lwip_enb/codec/rrc/__init__.py`` -> ``lwip_enb.codec.rrc``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_on_disk() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def role_of(module: str) -> str | None:
    """The role of a module: its package under lwip_enb, or ``foundation``; None for the top
    package (it imports nothing at import time, see the test below) and ``__main__``."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return None
    return "foundation" if parts[1] in FOUNDATIONS else parts[1]


def role_table(text: str | None = None) -> dict[str, set[str]]:
    """docs/architecture.md, the role table: role -> the roles it may import (itself included)."""
    text = ARCHITECTURE.read_text() if text is None else text
    table: dict[str, set[str]] = {}
    for cells in _table_rows(_section(text, "Roles and the direction of imports")):
        role = re.fullmatch(r"`(\w+)`", cells[0])
        if role is None:
            continue
        allowed = set(re.findall(r"`(\w+)`", cells[-1]))
        table[role.group(1)] = allowed | {role.group(1)}
    return table


def module_table(text: str | None = None) -> list[str]:
    """docs/architecture.md, section Modules: the module paths listed (``lwip_enb/...py``)."""
    text = ARCHITECTURE.read_text() if text is None else text
    listed = []
    for cells in _table_rows(_section(text, "Modules")):
        match = re.fullmatch(r"`(lwip_enb/[\w/]+\.py)`", cells[0])
        if match:
            listed.append(match.group(1))
    return listed


# --- run-time imports -------------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(module: str, source: str, known: set[str], *, is_package: bool = False) -> set[str]:
    """The project modules that ``module`` imports at run time: for ``from X import y`` the
    module ``X.y`` when it is one, else ``X``."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def resolve(node: ast.ImportFrom) -> str:
        if node.level == 0:
            return node.module or ""
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)]
        return ".".join([*base, node.module] if node.module else base)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for stmt in node.orelse:
                visit(stmt)
            return
        if isinstance(node, ast.ImportFrom):
            target = resolve(node)
            if target.split(".")[0] == "lwip_enb":
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if sub in known else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "lwip_enb":
                    found.add(alias.name)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    on_disk = modules_on_disk()
    known = set(on_disk)
    return {
        m: imports(m, p.read_text(), known, is_package=p.name == "__init__.py")
        for m, p in on_disk.items()
    }


def role_violations(graph: Mapping[str, set[str]], roles: Mapping[str, set[str]]) -> list[str]:
    bad = []
    for module, deps in sorted(graph.items()):
        role = role_of(module)
        if role is None:
            continue
        if role not in roles:
            bad.append(f"{module}: role {role!r} is not in the role table")
            continue
        for dep in sorted(deps):
            dep_role = role_of(dep)
            if dep_role is not None and dep_role not in roles[role]:
                bad.append(f"{module} ({role}) imports {dep} ({dep_role})")
    return bad


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Every strongly connected set of two or more modules (Tarjan), as sorted lists."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return found


# --- the checks -------------------------------------------------------------------------------


def test_every_module_is_listed_in_the_architecture_doc() -> None:
    on_disk = {str(p.relative_to(ROOT)) for p in modules_on_disk().values()}
    listed = module_table()
    assert len(listed) == len(set(listed)), "a module is listed twice"
    assert sorted(on_disk - set(listed)) == [], "docs/architecture.md does not list these"
    assert sorted(set(listed) - on_disk) == [], "docs/architecture.md lists what is not there"


def test_every_role_on_disk_is_in_the_role_table() -> None:
    roles = role_table()
    on_disk = {r for m in modules_on_disk() if (r := role_of(m)) is not None}
    assert on_disk == set(roles)


def test_imports_follow_the_role_table() -> None:
    bad = role_violations(import_graph(), role_table())
    assert not bad, "imports against docs/architecture.md:\n" + "\n".join(bad)


def test_the_top_package_imports_nothing_of_the_project_at_import_time() -> None:
    # It re-exports lazily (PEP 562), so any module may import it (for ``__version__``) and
    # ``import lwip_enb.keys`` loads no codec.
    assert import_graph()["lwip_enb"] == set()


def test_the_core_imports_no_io_no_peer_and_the_peers_no_core() -> None:
    # What the architecture promises in words, checked apart from the table's details.
    graph = import_graph()
    for module, deps in graph.items():
        roles = {role_of(d) for d in deps}
        if role_of(module) == "core":
            assert not roles & {"io", "peers", "sim", "real", "tools"}, module
        if role_of(module) == "peers":
            assert not roles & {"core", "io", "sim", "real", "tools"}, module
        if role_of(module) in ("codec", "asn1", "foundation"):
            assert not roles & {"core", "peers", "io", "sim", "real", "tools"}, module


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_checks_catch_an_upward_import_and_a_cycle() -> None:
    known = {"lwip_enb.core.controller", "lwip_enb.sim.simulation", "lwip_enb.codec.rrc",
             "lwip_enb.codec.rrc.fast", "lwip_enb.peers.segw"}  # fmt: skip
    roles = role_table()
    upward = "from lwip_enb.sim.simulation import Simulation\n"
    graph = {"lwip_enb.core.controller": imports("lwip_enb.core.controller", upward, known)}
    assert role_violations(graph, roles) == [
        "lwip_enb.core.controller (core) imports lwip_enb.sim.simulation (sim)"
    ]
    lazy = "def f():\n    from ..peers import segw\n"  # relative and inside a function
    assert imports("lwip_enb.core.controller", lazy, known) == {"lwip_enb.peers.segw"}
    typing_only = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import lwip_enb.sim\n"
    assert imports("lwip_enb.core.controller", typing_only, known) == set()
    # A fast path importing its own package while the package imports the fast path.
    facade = imports("lwip_enb.codec.rrc", "from . import fast\n", known, is_package=True)
    fast = imports("lwip_enb.codec.rrc.fast", "from lwip_enb.codec.rrc import X\n", known)
    assert facade == {"lwip_enb.codec.rrc.fast"} and fast == {"lwip_enb.codec.rrc"}
    assert cycles({"lwip_enb.codec.rrc": facade, "lwip_enb.codec.rrc.fast": fast}) == [
        ["lwip_enb.codec.rrc", "lwip_enb.codec.rrc.fast"]
    ]


def test_the_doc_checks_catch_a_missing_module_and_role() -> None:
    text = ARCHITECTURE.read_text()
    first = module_table(text)[0]
    assert first not in module_table(text.replace(f"| `{first}` |", "| (gone) |"))
    assert "sim" not in role_table(text).get("core", set())
    widened = re.sub(r"^\| `core` \|(.*)\|$", r"| `core` |\1, `sim` |", text, flags=re.M)
    assert "sim" in role_table(widened)["core"]
