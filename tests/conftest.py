"""Shared test settings.

Under ``LWIP_ENB_STRICT=1`` (set by .ci/run) a test that needs a real peer - the kernel's SCTP or
strongSwan, tshark - fails when the peer is missing instead of being skipped; so does a test whose
input files are missing (``require_resource``).

A session that ran strongSwan tests ends with a check that none of its daemons, namespaces or nft
tables is left on the machine (:func:`lwip_enb.real.cleanup.find_leftovers`): anything left fails
the session, loudly, and is then removed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator

import pytest
from hypothesis import HealthCheck, settings

STRICT = os.environ.get("LWIP_ENB_STRICT", "") not in ("", "0")
REAL_PEER_MARKERS = ("sctp", "strongswan", "tshark")

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
# Mutation runs (pyproject.toml [tool.mutmut]): the dev budget, the same examples on every run and
# no example database, so that whether a mutant is killed does not depend on the mutants before it.
settings.register_profile(
    "mutants", max_examples=100, deadline=None, derandomize=True, database=None
)
settings.load_profile("ci" if STRICT else "dev")


def require_peer(available: bool, what: str) -> None:
    """Skip (or, in strict mode, fail) a test whose real peer is not on this machine."""
    if available:
        return
    if STRICT:
        pytest.fail(f"real peer missing in strict mode: {what}")
    pytest.skip(f"real peer missing: {what}")


def require_resource(available: bool, what: str) -> None:
    """Skip (or, in strict mode, fail) a test whose input is not on this machine (for example the
    3GPP specification texts the ASN.1 extraction tests read)."""
    if available:
        return
    if STRICT:
        pytest.fail(f"missing in strict mode: {what}")
    pytest.skip(f"missing: {what}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # Belt and braces: however a real-peer test got skipped, strict mode counts it as a failure.
    if STRICT and report.skipped and any(item.get_closest_marker(m) for m in REAL_PEER_MARKERS):
        report.outcome = "failed"
        report.longrepr = f"skipped in strict mode: {report.longrepr}"
    return report


pytest_plugins = ["pytester"]


# Real kernel SCTP for the tests marked `sctp`: natively where the host kernel has SCTP or inside
# the VM, else run once together in a VM and reported one by one (tests/helpers/sctp_vm.py). A
# VM that cannot start makes them skip, or fail in strict mode, through require_peer.
_HERE = os.path.dirname(os.path.abspath(__file__))
_SCTP_VM_HELPER = os.path.join(_HERE, "helpers", "sctp_vm.py")


def pytest_configure(config: pytest.Config) -> None:
    if os.path.isfile(_SCTP_VM_HELPER):  # not in a copy of this file that a test makes
        from helpers import sctp_vm  # tests/ is on sys.path, as for every test module

        config.pluginmanager.register(sctp_vm.SctpVmPlugin(require_peer), sctp_vm.PLUGIN_NAME)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    ran_strongswan = any(
        item.get_closest_marker("strongswan") for item in getattr(session, "items", [])
    )
    if not ran_strongswan or os.geteuid() != 0:
        return  # nothing of ours can be on the machine (or be seen) then
    from lwip_enb.real import cleanup

    left = cleanup.find_leftovers()
    if not left:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = ["the strongSwan tests left this on the machine:", *(f"  {x}" for x in left)]
    if reporter is not None:
        reporter.write_sep("!", "LEFTOVERS", red=True, bold=True)
        for line in lines:
            reporter.write_line(line, red=True, bold=True)
    else:
        print("\n".join(lines), file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
    # Fail, then clean: the next session must not inherit this one's mess.
    cleanup.remove_leftovers()
