"""How much each measurement does, and the instruments every figure reads.

:class:`Instruments` holds the three instruments: the clock of the in-process timings, the
tracer of the memory figure and the stopwatch of the cold starts. Every figure reads time and
memory through them and nowhere else, so a test can run the whole bench with instruments of its
own (a virtual clock that only moves when spied code runs) and check what each figure measured.
"""

from __future__ import annotations

import contextlib
import gc
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, NamedTuple

import lwip_enb

__all__ = [
    "CHUNK",
    "FULL",
    "QUICK",
    "Instruments",
    "PerCall",
    "Sizes",
    "chunks",
    "one_core",
    "spawn_python",
    "time_per_call",
    "traced_bytes",
]


@dataclass(frozen=True)
class Sizes:
    """How much each measurement does."""

    ues: int  # fresh UEs activated, then handed over: ours and the general path alike
    memory_ues: int  # UE contexts traced, for each kind of idle context
    cold_runs: int  # cold starts of each kind after one warm-up round
    codec_budget_s: float  # wall time spent on one per-call timing
    codec_rounds: int  # a per-call timing is the median of this many rounds
    runtime_ues: int = 1_000  # fresh UEs activated through the asyncio runtimes, per transport


FULL = Sizes(100_000, 100_000, 7, 0.2, 5, 20_000)
QUICK = Sizes(2_000, 2_000, 2, 0.01, 3, 1_000)

#: UEs per timed chunk: the clock is read around each chunk, not around each UE.
CHUNK: Final = 1_000


def traced_bytes(build: Callable[[], object]) -> int:
    """Bytes still allocated (tracemalloc) by what ``build`` made, after garbage collection."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = build()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return after - before


def spawn_python(code: str) -> tuple[float, str]:
    """Run ``python -c code``; return the seconds from just before the spawn to the
    ``time.time()`` the child prints first, and the rest of the child's line.

    Wall clock in both processes (the only clock they share); the child's interpreter teardown
    is not counted. The child finds this copy of ``lwip_enb`` first on its path.
    """
    env = dict(os.environ)
    root = str(Path(lwip_enb.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    start = time.time()
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    if res.returncode != 0:
        raise AssertionError(f"cold start child failed: {res.stderr.strip()[-500:]}")
    printed, _, rest = res.stdout.strip().partition(" ")
    return float(printed) - start, rest


@dataclass(frozen=True)
class Instruments:
    """The clock (seconds, in-process), the memory tracer and the cold-start stopwatch."""

    clock: Callable[[], float] = time.perf_counter
    traced: Callable[[Callable[[], object]], int] = traced_bytes
    spawn: Callable[[str], tuple[float, str]] = spawn_python


class PerCall(NamedTuple):
    """A per-call time: microseconds, and how many calls were timed to get it."""

    us: float
    calls: int


def time_per_call(
    fn: Callable[[], object], clock: Callable[[], float], *, rounds: int, budget_s: float
) -> PerCall:
    """Median over ``rounds`` of the mean microseconds per call, ``budget_s`` split over them.

    One untimed call first (caches, first-use costs); then the calls per round double until a
    round takes its share of the budget.
    """
    fn()
    n = 1
    while True:
        start = clock()
        for _ in range(n):
            fn()
        if clock() - start > budget_s / rounds or n >= 1 << 20:
            break
        n *= 2
    samples = []
    for _ in range(rounds):
        start = clock()
        for _ in range(n):
            fn()
        samples.append((clock() - start) / n * 1e6)
    return PerCall(statistics.median(samples), n * rounds)


@contextlib.contextmanager
def one_core() -> Iterator[str]:
    """Pin this process to one CPU (where the OS allows it) for the duration; say what was done.

    The bench is single-threaded Python, so it uses one core whether pinned or not; pinning
    keeps the scheduler from moving it between cores mid-measurement, and every figure and
    baseline runs under the same pinning. Children (the cold starts) inherit it.
    """
    getter = getattr(os, "sched_getaffinity", None)
    setter = getattr(os, "sched_setaffinity", None)
    if getter is None or setter is None:
        yield "one thread (pinning not supported here)"
        return
    before = getter(0)
    cpu = min(before)
    try:
        setter(0, {cpu})
    except OSError:
        yield "one thread (pinning refused)"
        return
    try:
        yield f"one thread pinned to CPU {cpu}"
    finally:
        setter(0, before)


def chunks(n: int, size: int = CHUNK) -> Iterator[range]:
    """``range(n)`` in consecutive pieces of ``size``."""
    for lo in range(0, n, size):
        yield range(lo, min(n, lo + size))
