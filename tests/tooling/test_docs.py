"""The docs say what the code does: each check here fails when a page and the code part ways.

- docs/architecture.md: the state diagram is the one generated from ``fsm.TRANSITIONS`` (the
  module list and the import rules are checked in test_layout.py).
- docs/traceability.md: every requirement R1-R11 has a row; every code and test reference exists.
- docs/cli.md: every command, option and choice of the parser is documented; the psk, encode and
  decode examples print what the page shows.

Each checker is also run on a broken input, to show that it can fail.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from lwip_enb.core.fsm import TRANSITIONS, Action, Event, State, Transition
from lwip_enb.tools import cli, diagram

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "lwip_enb"
ARCHITECTURE = DOCS / "architecture.md"
TRACEABILITY = DOCS / "traceability.md"
CLI_DOC = DOCS / "cli.md"


def _section(text: str, heading: str) -> str:
    """The body of the ``## heading`` section of a Markdown page."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section '## {heading}'"
    return match.group(1)


def _table_rows(text: str) -> Iterator[list[str]]:
    """The body rows of the Markdown tables in ``text``, as lists of stripped cells."""
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            yield [cell.strip() for cell in line.strip().strip("|").split("|")]


# --- the state diagram ------------------------------------------------------------------------

EDGE = re.compile(r"^\s*(\w+) --> (\w+): (\S+) / (\S+)$", re.M)


def _diagram_block_in_docs() -> str:
    text = ARCHITECTURE.read_text()
    start, stop = text.find(diagram.BEGIN), text.find(diagram.END)
    assert 0 <= start < stop, "docs/architecture.md has no state-diagram block"
    return text[start : stop + len(diagram.END)]


def _rows_drawn(text: str) -> list[tuple[State, Event, Action, State]]:
    return [
        (State[src], Event(event), Action(action), State[dst])
        for src, dst, event, action in EDGE.findall(text)
    ]


def _rows_of(
    table: dict[tuple[State, Event], Transition],
) -> list[tuple[State, Event, Action, State]]:
    return [(s, e, row.action, row.next_state) for (s, e), row in table.items()]


def test_state_diagram_in_docs_is_the_generated_one() -> None:
    assert _diagram_block_in_docs() == diagram.block(), (
        "docs/architecture.md shows another state machine than fsm.TRANSITIONS: run "
        "python -m lwip_enb.tools.diagram --write docs/architecture.md"
    )


def test_diagram_draws_every_row_once() -> None:
    drawn = _rows_drawn(diagram.render())
    assert len(drawn) == len(TRANSITIONS)
    assert sorted(drawn, key=repr) == sorted(_rows_of(TRANSITIONS), key=repr)


def test_diagram_is_deterministic() -> None:
    shuffled = dict(reversed(list(TRANSITIONS.items())))
    assert diagram.render(shuffled) == diagram.render()


def test_a_table_with_an_extra_row_no_longer_matches_the_docs() -> None:
    extra = (State.ACTIVE, Event.GUARD_TIMEOUT)
    assert extra not in TRANSITIONS
    changed = {**TRANSITIONS, extra: Transition(Action.RELEASE_BOTH, State.IDLE)}
    assert len(_rows_drawn(diagram.render(changed))) == len(TRANSITIONS) + 1
    assert diagram.block(changed) != _diagram_block_in_docs()
    text = ARCHITECTURE.read_text()
    assert diagram.replace_block(text, changed) != text


def test_a_table_with_a_changed_or_missing_row_no_longer_matches_the_docs() -> None:
    key = (State.ACTIVE, Event.HANDOVER)
    retargeted = {**TRANSITIONS, key: Transition(Action.RELEASE_FOR_HANDOVER, State.WLAN_LOST)}
    missing = {k: v for k, v in TRANSITIONS.items() if k != key}
    for table in (retargeted, missing):
        assert diagram.block(table) != _diagram_block_in_docs()


def test_diagram_command_checks_and_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert diagram.main(["--check", str(ARCHITECTURE)]) == 0
    stale = tmp_path / "architecture.md"
    stale.write_text(ARCHITECTURE.read_text().replace(" / nothing", " / something", 1))
    assert diagram.main(["--check", str(stale)]) == 1
    assert diagram.main(["--write", str(stale)]) == 0
    assert stale.read_text() == ARCHITECTURE.read_text()
    no_block = tmp_path / "other.md"
    no_block.write_text("# nothing here\n")
    assert diagram.main(["--check", str(no_block)]) == 2
    capsys.readouterr()
    assert diagram.main([]) == 0
    assert capsys.readouterr().out == diagram.render()


# --- traceability -----------------------------------------------------------------------------

CODE_REF = re.compile(r"`lwip_enb/([\w/]+)\.py: ([\w.]+)`")
TEST_REF = re.compile(r"`tests/([\w/]+)\.py::([\w:]+)`")


def _defined_names(body: list[ast.stmt]) -> dict[str, ast.stmt]:
    names: dict[str, ast.stmt] = {}
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names[node.name] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
    return names


def _defines(path: Path, dotted: list[str]) -> bool:
    """Does the file at ``path`` define ``A`` (top level) or ``A.b`` (in class ``A``)?"""
    if not path.is_file():
        return False
    body: list[ast.stmt] = ast.parse(path.read_text()).body
    for i, part in enumerate(dotted):
        node = _defined_names(body).get(part)
        if node is None:
            return False
        if i < len(dotted) - 1:
            if not isinstance(node, ast.ClassDef):
                return False
            body = node.body
    return True


def _code_ref_exists(module: str, symbol: str) -> bool:
    return _defines(PACKAGE / f"{module}.py", symbol.split("."))


def _test_ref_exists(file: str, node_id: str) -> bool:
    return _defines(ROOT / "tests" / f"{file}.py", node_id.split("::"))


def _requirement_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for cells in _table_rows(TRACEABILITY.read_text()):
        if re.fullmatch(r"R\d+", cells[0]):
            assert cells[0] not in rows, f"{cells[0]} has two rows"
            rows[cells[0]] = cells
    return rows


def test_every_requirement_has_a_row_with_code_and_tests() -> None:
    rows = _requirement_rows()
    assert list(rows) == [f"R{i}" for i in range(1, 12)]
    for rid, (_id, statement, code, tests, real) in rows.items():
        assert len(statement) > 20, f"{rid}: no statement"
        assert CODE_REF.search(code), f"{rid}: no code reference"
        assert TEST_REF.search(tests), f"{rid}: no in-process test"
        assert TEST_REF.search(real), f"{rid}: no real-peer test"


def test_real_peer_tests_are_real_peer_tests() -> None:
    for cells in _requirement_rows().values():
        for file, _name in TEST_REF.findall(cells[4]):
            assert file.startswith("real/"), file


def test_every_reference_in_the_matrix_exists() -> None:
    text = TRACEABILITY.read_text()
    code_refs, test_refs = CODE_REF.findall(text), TEST_REF.findall(text)
    assert code_refs and test_refs
    missing = [f"lwip_enb/{m}.py: {s}" for m, s in code_refs if not _code_ref_exists(m, s)]
    missing += [f"tests/{f}.py::{n}" for f, n in test_refs if not _test_ref_exists(f, n)]
    assert not missing, "docs/traceability.md names what does not exist:\n" + "\n".join(missing)
    # Nothing that looks like a reference escaped the two patterns (a typo in the format).
    loose = re.findall(r"`(?:lwip_enb|tests)/[\w/]+\.py:[^`]*`", text)
    assert len(loose) == len(code_refs) + len(test_refs), loose


def test_the_reference_check_catches_what_does_not_exist() -> None:
    assert _code_ref_exists("peers/segw", "SegwModel.allows")
    assert _code_ref_exists("core/fsm", "TRANSITIONS")
    assert not _code_ref_exists("peers/segw", "SegwModel.forbids")
    assert not _code_ref_exists("peers/segw", "allows")  # a method is not a module-level name
    assert not _code_ref_exists("segw", "SegwModel.allows")  # the path must be the real one
    assert _test_ref_exists("procedures/test_state_machine_properties", "TestLwipStory")
    assert not _test_ref_exists("requirements/test_r9_handover_release", "test_r9_renamed")
    assert not _test_ref_exists("test_r99", "test_anything")


# --- the command line -------------------------------------------------------------------------


def _documented_tokens(parser: argparse.ArgumentParser) -> set[str]:
    """Every command and message name, option string and choice the parser defines."""
    tokens: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                tokens.add(name)
                tokens |= _documented_tokens(sub)
            continue
        if isinstance(action, argparse._HelpAction):
            continue
        tokens.update(action.option_strings)
        if action.choices is not None:
            tokens.update(str(c) for c in action.choices)
    return tokens


def _in_doc(token: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text) is not None


def test_every_command_and_option_of_the_parser_is_documented() -> None:
    text = CLI_DOC.read_text()
    tokens = _documented_tokens(cli.build_parser())
    assert {"psk", "encode", "rrc-lwip-setup", "decode", "xwap", "demo", "bench"} <= tokens
    assert {"--kenb", "--counter", "--transaction-id", "--json", "--scenario", "full"} <= tokens
    missing = sorted(t for t in tokens if not _in_doc(t, text))
    assert not missing, f"docs/cli.md does not document: {missing}"


def test_the_cli_doc_check_catches_an_undocumented_option() -> None:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub.choices["bench"].add_argument("--rounds-per-figure", type=int)
    tokens = _documented_tokens(parser)
    assert "--rounds-per-figure" in tokens
    assert not _in_doc("--rounds-per-figure", CLI_DOC.read_text())
    assert not _in_doc("--json", "--json-lines")  # a longer option does not count


def _console_examples() -> list[tuple[str, str]]:
    """(command, shown output) for each ``$ lwip-enb ...`` line of docs/cli.md's console
    blocks."""
    examples: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", CLI_DOC.read_text(), re.S):
        command: str | None = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            examples.append((command, "\n".join(output)))
    return examples


CHECKED = ("psk", "encode", "decode")
EXAMPLES = [
    (cmd, out)
    for cmd, out in _console_examples()
    if cmd.startswith("lwip-enb ") and cmd.split()[1] in CHECKED
]


def test_the_cli_doc_has_checked_examples_of_each_kind() -> None:
    kinds = {cmd.split()[1] for cmd, _ in EXAMPLES}
    assert kinds == set(CHECKED)
    assert {cmd.split()[2] for cmd, _ in EXAMPLES if cmd.split()[1] == "encode"} == {
        "rrc-lwip-setup",
        "rrc-lwip-release",
        "xwap-lwip-addition",
    }


#: ``$ echo '<json>' | lwip-enb encode KIND --json -`` examples: (standard input, command, shown)
PIPED = [
    (m.group(1), m.group(2), out)
    for cmd, out in _console_examples()
    if (m := re.fullmatch(r"echo '([^']*)' \| (lwip-enb encode .*)", cmd))
]


def test_the_cli_doc_has_piped_encode_examples_of_each_rrc_and_xwap_kind() -> None:
    assert {shlex.split(cmd)[2] for _, cmd, _ in PIPED} >= {"xwap", "rrc-dl-dcch", "rrc-ul-dcch"}


@pytest.mark.parametrize(("stdin", "command", "shown"), PIPED, ids=[c[:60] for _, c, _ in PIPED])
def test_cli_doc_piped_example_prints_what_is_shown(
    stdin: str,
    command: str,
    shown: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = cli.main(shlex.split(command)[1:])
    out = capsys.readouterr()
    assert (out.out + out.err).rstrip("\n") == shown.rstrip("\n")
    assert status == (2 if shown.startswith("lwip-enb: error:") else 0)


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_cli_doc_example_prints_what_is_shown(
    command: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(shlex.split(command)[1:])
    out = capsys.readouterr()
    assert (out.out + out.err).rstrip("\n") == shown.rstrip("\n")
    assert status == (2 if shown.startswith("lwip-enb: error:") else 0)
