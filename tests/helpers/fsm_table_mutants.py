"""Mutation testing of the state table, which mutmut leaves alone (it mutates code in functions,
not module-level data such as ``lwip_enb.core.fsm.TRANSITIONS``).

``python tests/helpers/fsm_table_mutants.py`` (``make mutants-table``) makes three mutants of every
row: the row deleted, its next state changed (to ``idle``, or ``active`` for rows that go to
``idle``), its action changed (to ``nothing``, or ``release-both`` for rows whose action is
``nothing``). Each mutant is first run in this process against the tests that check the table
row by row (tests/procedures/test_state_table.py and test_state_table_effects.py, the mutated
row first); a mutant those do not kill is run against the procedure and requirement tests of
the fast selection in a fresh pytest process. The script prints each verdict as it comes, then
every mutant that no test kills, and exits 1 if there is one (``EQUIVALENT`` lists those shown
to change nothing observable, with the reason; they are reported but do not fail the run).

As a pytest plugin (``-p fsm_table_mutants`` with tests/helpers on the path) it applies the
mutant named by ``$FSM_TABLE_MUTANT``, e.g. ``action:CANCELLING:GUARD_TIMEOUT:NOTHING``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENV = "FSM_TABLE_MUTANT"
TESTS = ("tests/procedures", "tests/requirements")
MARKS = "not sctp and not strongswan and not slow and not subprocess"

#: mutant -> why no test can tell it from the table as written
_FORGET = (
    "FORGET frees the UE XwAP ids and IDi and stops the guard, and in wlan-lost there are none "
    "(the release into wlan-lost freed them; test_state_table_effects.py checks no IDi and no "
    "guard there): NOTHING does the same"
)
_NO_SEGW = (
    "no input makes segw-lost for a UE in {}: the release that led there took it off its "
    "SeGW's list of UEs, and Xw Reset or the loss of the association reaches only those listed"
)
EQUIVALENT: dict[str, str] = {
    **{
        f"action:WLAN_LOST:{event}:NOTHING": _FORGET
        for event in ("DEACTIVATE", "HANDOVER", "RADIO_LINK_FAILURE", "REESTABLISHMENT")
    },
    "action:WLAN_LOST:RRC_RELEASED:NOTHING": _FORGET,
    "state:IDLE:SEGW_LOST:ACTIVE": _NO_SEGW.format("idle"),
    "action:IDLE:SEGW_LOST:RELEASE_BOTH": _NO_SEGW.format("idle"),
    "state:WLAN_LOST:SEGW_LOST:IDLE": _NO_SEGW.format("wlan-lost"),
    "action:WLAN_LOST:SEGW_LOST:RELEASE_BOTH": _NO_SEGW.format("wlan-lost"),
}


@contextlib.contextmanager
def applied(spec: str) -> Iterator[None]:
    """The table (and the controller's plan made from it) with mutant ``spec``, then restored."""
    from lwip_enb.core import controller, fsm

    kind, state, event, *rest = spec.split(":")
    key = (fsm.State[state], fsm.Event[event])
    row = fsm.TRANSITIONS[key]
    if kind == "delete":
        del fsm.TRANSITIONS[key]
    elif kind == "state":
        fsm.TRANSITIONS[key] = fsm.Transition(row.action, fsm.State[rest[0]])
    elif kind == "action":
        fsm.TRANSITIONS[key] = fsm.Transition(fsm.Action[rest[0]], row.next_state)
    else:
        raise ValueError(f"{ENV}: unknown mutation {spec!r}")
    # The controller resolves the table once, when its class is made.
    plan = controller.EnbController._PLAN
    controller.EnbController._PLAN = controller._plan(controller.EnbController._ACTIONS)  # type: ignore[misc]
    try:
        yield
    finally:
        fsm.TRANSITIONS[key] = row
        controller.EnbController._PLAN = plan  # type: ignore[misc]


def pytest_configure(config: pytest.Config) -> None:
    spec = os.environ.get(ENV)
    if spec:
        applied(spec).__enter__()  # for the whole session


def mutants() -> list[str]:
    from lwip_enb.core.fsm import TRANSITIONS, Action, State

    out = []
    for (state, event), row in TRANSITIONS.items():
        new_state = State.ACTIVE if row.next_state is State.IDLE else State.IDLE
        action = Action.RELEASE_BOTH if row.action is Action.NOTHING else Action.NOTHING
        out += [
            f"delete:{state.name}:{event.name}",
            f"state:{state.name}:{event.name}:{new_state.name}",
            f"action:{state.name}:{event.name}:{action.name}",
        ]
    return out


def killed_in_process(mutant: str) -> bool:
    """True when the row-by-row tests fail with ``mutant`` applied (the same test functions
    pytest runs, called here so that each mutant costs milliseconds)."""
    sys.path.insert(0, str(REPO / "tests"))
    sys.path.insert(0, str(REPO / "tests" / "procedures"))
    import test_state_table as table
    import test_state_table_effects as effects

    from lwip_enb.core.fsm import Event, State

    _, state, event, *_ = mutant.split(":")
    first = (State[state], Event[event])
    rows = [first] + [p for p in effects.PAIRS if p != first]
    with applied(mutant):
        checks = [
            table.test_transitions_have_a_row_for_every_pair_the_specs_make_legal,
            table.test_transitions_have_no_row_the_specs_do_not_make_legal,
            *[lambda s=s, e=e: effects.check_row(s, e) for s, e in rows],
        ]
        for check in checks:
            try:
                check()
            except Exception:  # an AssertionError, or the mutant broke the controller
                return True
    return False


def killed_by_pytest(mutant: str, ignore: list[str] | None = None) -> bool:
    """True when some procedure or requirement test fails with ``mutant`` applied."""
    env = dict(os.environ, **{ENV: mutant}, LWIP_ENB_STRICT="")
    path = [str(REPO / "tests" / "helpers"), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in path if p)
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "fsm_table_mutants", "--hypothesis-profile=mutants", *TESTS, "-m", MARKS]
    command += [f"--ignore={path}" for path in ignore or ()]
    result = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{mutant}: pytest exited {result.returncode}\n{result.stdout[-2000:]}")
    return result.returncode == 1


def main(argv: list[str]) -> int:
    """``[--suite-only] [--ignore PATH]... [MUTANT...]``: only the fresh pytest processes, test
    files left out (e.g. to see what the suite catches without a file), some mutants only."""
    suite_only = "--suite-only" in argv
    argv = [a for a in argv if a != "--suite-only"]
    ignore: list[str] = []
    while "--ignore" in argv:
        i = argv.index("--ignore")
        ignore.append(argv[i + 1])
        del argv[i : i + 2]
    start = time.monotonic()
    all_mutants = argv or mutants()
    survivors = []
    for m in all_mutants:
        if not suite_only and killed_in_process(m):
            verdict = "killed"
        elif killed_by_pytest(m, ignore):
            verdict = "killed (suite)"
        elif m in EQUIVALENT:
            verdict = "equivalent"
        else:
            verdict = "NOT KILLED"
            survivors.append(m)
        print(f"{verdict:15} {m}", flush=True)
    took = time.monotonic() - start
    print(f"{len(all_mutants)} table mutants, {len(survivors)} not killed ({took:.0f} s)")
    for m in sorted(set(EQUIVALENT) & set(all_mutants)):
        print(f"equivalent: {m}: {EQUIVALENT[m]}")
    for m in survivors:
        print(f"not killed: {m}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
