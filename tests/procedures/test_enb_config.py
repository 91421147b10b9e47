"""EnbConfig takes the values a caller writes: an option given as its string value means that
option (a string compared by identity with the enum would silently mean the default)."""

from __future__ import annotations

import pytest

from lwip_enb.core.controller import EnbConfig, HandoverUeRelease
from lwip_enb.errors import LwipError


def test_handover_ue_release_given_as_its_string_is_the_option() -> None:
    assert EnbConfig(handover_ue_release="explicit").handover_ue_release is (  # type: ignore[arg-type]
        HandoverUeRelease.EXPLICIT
    )


def test_an_unknown_handover_ue_release_is_refused() -> None:
    with pytest.raises((ValueError, LwipError)):
        EnbConfig(handover_ue_release="sometimes")  # type: ignore[arg-type]
