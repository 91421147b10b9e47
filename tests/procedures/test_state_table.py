"""The transition table of the eNB's state machine against the hand-written list of the pairs the
specifications make legal (helpers/spec_state_table.py), both ways."""

from __future__ import annotations

from helpers.spec_state_table import LEGAL

from lwip_enb.core.fsm import TRANSITIONS


def test_transitions_have_a_row_for_every_pair_the_specs_make_legal() -> None:
    """Every (state, event) pair of LEGAL, each traced there to TS 36.463, TS 36.331 or R1-R11,
    has a row in TRANSITIONS: deleting a row is caught here."""
    missing = [f"{s.name}/{e.name} ({LEGAL[s, e]})" for s, e in LEGAL if (s, e) not in TRANSITIONS]
    assert not missing, "no row for: " + "; ".join(missing)


def test_transitions_have_no_row_the_specs_do_not_make_legal() -> None:
    """No row of TRANSITIONS lacks a source in LEGAL: a row added without a reason is caught
    here (the pairs outside LEGAL must stay protocol errors, see
    test_state_machine_properties.py::test_every_pair_without_a_row_is_a_protocol_error)."""
    extra = [f"{s.name}/{e.name}" for s, e in TRANSITIONS if (s, e) not in LEGAL]
    assert not extra, "rows without a source: " + "; ".join(extra)
