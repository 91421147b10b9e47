"""The progress bar draws on a terminal only, and ends on the last step."""

from __future__ import annotations

import io

from lwip_enb.progress import Progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_draws_on_a_terminal_and_ends_at_total() -> None:
    out = _Tty()
    with Progress("storm", total=4, stream=out) as bar:
        for _ in range(4):
            bar.advance()
    text = out.getvalue()
    assert text.startswith("\rstorm [")
    assert "] 4/4 " in text and text.endswith("\n")
    assert "#" * 30 in text


def test_silent_when_not_a_terminal() -> None:
    out = io.StringIO()
    with Progress("storm", total=4, stream=out) as bar:
        bar.advance(4)
    assert not bar.enabled and out.getvalue() == ""


def test_never_past_total() -> None:
    bar = Progress("x", total=2, stream=io.StringIO())
    bar.advance(5)
    assert bar.done == 2
