"""A one-line progress bar on stderr for the long runs (the first ASN.1 compile, the benchmark's
storm), drawn only when stderr is a terminal so logs and pipes stay clean."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """``with Progress("storm", total=100_000) as bar: ... bar.advance()``.

    Redraws at most ten times a second and on the last step; ``enabled`` defaults to
    ``stream.isatty()``. Nothing is written when it is disabled.
    """

    def __init__(
        self,
        label: str,
        total: int,
        *,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        width: int = 30,
    ) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = self._stream is not None and self._stream.isatty()
        self.enabled = enabled
        self._width = width
        self._start = time.monotonic()
        self._drawn_at = 0.0

    def advance(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        if not self.enabled:
            return
        now = time.monotonic()
        if self.done == self.total or now - self._drawn_at >= 0.1:
            self._drawn_at = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        filled = self._width * self.done // self.total
        bar = "#" * filled + "-" * (self._width - filled)
        self._stream.write(
            f"\r{self.label} [{bar}] {self.done}/{self.total} {now - self._start:.1f} s"
        )
        self._stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self._stream.write("\n")
            self._stream.flush()
            self.enabled = False

    def __enter__(self) -> Progress:
        if self.enabled:
            self._draw(self._start)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
