"""Mutation scores per module from mutmut's results in ``mutants/`` (``make mutants`` prints it).

``python tests/helpers/mutants_report.py [--survivors] [PREFIX ...]``: one row per mutated module
(or only those whose dotted name starts with a PREFIX); ``--survivors`` also lists the mutants
that survived, timed out or had no test. ``--unchecked`` prints only the names of the mutants not
checked yet, one a line: a run cut short goes on with
``make mutants MUTANTS="$(... --unchecked PREFIX)"`` (naming a pattern reruns every mutant it
matches, checked or not). The score counts a mutant as caught when a test killed
it, it timed out, or mypy rejected it before any test ran; mutants not yet checked are left out.
"by tests" is the same without mypy: of the mutants that reached the tests, those they caught.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

COLUMNS = ("killed", "caught by type check", "timeout", "survived", "no tests", "not checked")
HEADS = ("killed", "mypy", "timeout", "survived", "no tests", "unchecked")
NOT_CAUGHT = ("survived", "no tests", "suspicious", "segfault")


def _module(mutant: str) -> str:
    # lwip_enb.keys.x_kdf__mutmut_3, lwip_enb.keys.xǁUintǁto_bytes__mutmut_1 -> lwip_enb.keys
    return mutant.rsplit(".", 1)[0]


def load(root: Path) -> dict[str, str]:
    """Mutant name -> status, from every ``*.meta`` file mutmut wrote under ``root``."""
    status: dict[str, str] = {}
    for meta in sorted(root.rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, code in data.get("exit_code_by_key", {}).items():
            status[name] = status_by_exit_code[code]
    return status


def table(status: dict[str, str], prefixes: list[str]) -> str:
    per: dict[str, Counter[str]] = {}
    for name, st in status.items():
        module = _module(name)
        if not prefixes or any(module.startswith(p) for p in prefixes):
            per.setdefault(module, Counter())[st] += 1
    lines = [
        "| module | total | " + " | ".join(HEADS) + " | score | by tests |",
        "|---|" + "---:|" * (len(HEADS) + 3),
    ]
    overall: Counter[str] = Counter()
    for module in sorted(per):
        lines.append(_row(module, per[module]))
        overall.update(per[module])
    lines.append(_row("all of the above", overall))
    return "\n".join(lines)


def _row(label: str, counts: Counter[str]) -> str:
    total = sum(counts.values())
    checked = total - counts["not checked"]
    caught = counts["killed"] + counts["caught by type check"] + counts["timeout"]
    score = f"{100 * caught / checked:.1f} %" if checked else "-"
    # the tests' own share: of the mutants mypy let through, those a test caught
    ran = checked - counts["caught by type check"]
    by_tests = counts["killed"] + counts["timeout"]
    tests = f"{100 * by_tests / ran:.1f} %" if ran else "-"
    cells = " | ".join(str(counts[c]) for c in COLUMNS)
    return f"| {label} | {total} | {cells} | {score} | {tests} |"


def main(argv: list[str]) -> int:
    survivors = "--survivors" in argv
    prefixes = [a for a in argv if not a.startswith("--")]
    status = load(Path("mutants"))
    if not status:
        print("no mutmut results in mutants/: run `make mutants` first", file=sys.stderr)
        return 1
    if "--unchecked" in argv:
        for name in sorted(status):
            module = _module(name)
            if status[name] == "not checked" and (
                not prefixes or any(module.startswith(p) for p in prefixes)
            ):
                print(name)
        return 0
    print(table(status, prefixes))
    if survivors:
        for name in sorted(status):
            module = _module(name)
            if status[name] in NOT_CAUGHT and (
                not prefixes or any(module.startswith(p) for p in prefixes)
            ):
                print(f"{status[name]}: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
