"""`make test-fast` and mutmut run the same tests: the Makefile's FAST_TESTS and FAST_MARKS are
the test selection of pyproject.toml's [tool.mutmut], and that selection leaves out every test
that starts another process."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _make_variable(name: str) -> str:
    found = re.search(rf"^{name}\s*:=\s*(.+)$", (REPO / "Makefile").read_text(), re.M)
    assert found, f"{name} not in the Makefile"
    return found.group(1).strip()


def _mutmut() -> dict[str, object]:
    with (REPO / "pyproject.toml").open("rb") as fh:
        config: dict[str, object] = tomllib.load(fh)["tool"]["mutmut"]
    return config


def test_mutmut_runs_the_selection_of_make_test_fast() -> None:
    selection = _mutmut()["pytest_add_cli_args_test_selection"]
    assert isinstance(selection, list)
    assert selection == [*_make_variable("FAST_TESTS").split(), "-m", _make_variable("FAST_MARKS")]


def test_the_selection_excludes_the_markers_of_other_processes() -> None:
    marks = _make_variable("FAST_MARKS")
    for marker in ("sctp", "strongswan", "slow", "subprocess"):
        assert f"not {marker}" in marks
    registered = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]
    names = {m.split(":")[0] for m in registered["ini_options"]["markers"]}
    assert {"sctp", "strongswan", "slow", "subprocess"} <= names


@pytest.mark.parametrize("folder", ["tests/real", "tests/tooling"])
def test_folders_of_daemons_and_tools_are_not_in_it(folder: str) -> None:
    assert folder not in _make_variable("FAST_TESTS").split()


def test_every_pattern_to_mutate_names_files() -> None:
    only = _mutmut()["only_mutate"]
    assert isinstance(only, list)
    for pattern in only:
        assert isinstance(pattern, str)
        assert list(REPO.glob(pattern.removesuffix("*") + ("**/*.py" if "*" in pattern else "")))


def test_the_state_table_mutants_run_against_the_fast_selection() -> None:
    """make mutants-table (tests/helpers/fsm_table_mutants.py) runs folders and marks of the
    fast selection, so a table mutant is judged by the tests mutmut uses too."""
    from helpers import fsm_table_mutants

    assert set(fsm_table_mutants.TESTS) <= set(_make_variable("FAST_TESTS").split())
    assert _make_variable("FAST_MARKS") == fsm_table_mutants.MARKS
