"""LWIP_ENB_STRICT=1 (set by .ci/run) turns a missing real peer, or missing input files, from a
skip into a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = (Path(__file__).parents[1] / "conftest.py").read_text()
INNER = """
import pytest
from conftest import require_peer, require_resource

@pytest.mark.sctp
def test_needs_sctp():
    require_peer(False, "no SCTP in this kernel")

@pytest.mark.strongswan
def test_skipped_another_way():
    pytest.skip("charon not installed")

def test_plain_skip_is_still_a_skip():
    pytest.skip("not a real-peer test")

def test_needs_the_spec_texts():
    require_resource(False, "the 3GPP texts")
"""


def _run(pytester: pytest.Pytester) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nmarkers =\n    sctp: x\n    strongswan: x\n")
    pytester.makepyfile(test_inner=INNER)
    pytester.syspathinsert()
    return pytester.runpytest_subprocess(
        "-q", "-p", "no:cacheprovider", "--override-ini=python_files=test_*.py"
    )


def test_without_strict_mode_real_peer_tests_skip(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LWIP_ENB_STRICT", raising=False)
    _run(pytester).assert_outcomes(skipped=4)


def test_strict_mode_turns_real_peer_skips_into_failures(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LWIP_ENB_STRICT", "1")
    _run(pytester).assert_outcomes(failed=3, skipped=1)
