"""pytest fixtures for harnesses from the reference models. Installed with the package (entry
point ``pytest11``), so every test suite of a project that installs lwip-enb has them:

- ``lwip_sim``: a fresh :class:`~lwip_enb.sim.simulation.Simulation` (in memory, virtual clock);
- ``lwip_harness``: a started :class:`~lwip_enb.sim.harness.AsyncSimulation` (an
  ``EnbRuntime`` wired to the reference SeGW's runtime and UEs), stopped after the test. An
  ``async def`` test that asks for it is run on the harness's own event loop by this plugin:
  no other async plugin is needed;
- ``lwip_run``: for a plain (sync) test that asks for ``lwip_harness``, runs a coroutine on the
  harness's loop, e.g. ``lwip_run(lwip_harness.activate(1))``;
- ``lwip_sim_options`` and ``lwip_harness_options``: the keyword arguments of the two, ``{}``
  by default; override them in a ``conftest.py`` or a test module to change settings.

Nothing of the library is imported until a fixture is used, so the plugin costs a suite that
does not use it nothing. ``-p no:lwip_enb`` turns it off.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    from lwip_enb.sim.harness import AsyncSimulation
    from lwip_enb.sim.simulation import Simulation

T = TypeVar("T")

#: The event loop of the harness of a test, where the plugin runs that test.
_RUNNER = pytest.StashKey[asyncio.Runner]()
_TIMEOUT_INI = "lwip_async_timeout"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        _TIMEOUT_INI,
        "seconds an async test on lwip_harness may run before it fails (a guard)",
        default="300",
    )


@pytest.fixture
def lwip_sim_options() -> dict[str, Any]:
    """Keyword arguments of the ``lwip_sim`` Simulation (override to change them)."""
    return {}


@pytest.fixture
def lwip_harness_options() -> dict[str, Any]:
    """Keyword arguments of the ``lwip_harness`` AsyncSimulation (override to change them)."""
    return {}


@pytest.fixture
def lwip_sim(lwip_sim_options: dict[str, Any]) -> Simulation:
    """A fresh in-memory Simulation: eNB, reference SeGW (Xw Setup done) and no UE yet."""
    from lwip_enb.sim.simulation import Simulation

    return Simulation(**lwip_sim_options)


@pytest.fixture
def lwip_harness(
    request: pytest.FixtureRequest, lwip_harness_options: dict[str, Any]
) -> Iterator[AsyncSimulation]:
    """A started AsyncSimulation (Xw Setup done, no UE yet), on an event loop of its own;
    stopped (every UE released at both ends) after the test."""
    from lwip_enb.sim.harness import AsyncSimulation

    async def started() -> AsyncSimulation:
        harness = AsyncSimulation(**lwip_harness_options)
        await harness.start()
        return harness

    with asyncio.Runner() as runner:
        harness = runner.run(started())
        request.node.stash[_RUNNER] = runner
        try:
            yield harness
        finally:
            del request.node.stash[_RUNNER]
            runner.run(harness.stop())


@pytest.fixture
def lwip_run(
    request: pytest.FixtureRequest, lwip_harness: AsyncSimulation
) -> Callable[[Coroutine[Any, Any, Any]], Any]:
    """Runs a coroutine on the loop of ``lwip_harness`` and returns its result, for sync
    tests."""
    runner = request.node.stash[_RUNNER]
    timeout = float(request.config.getini(_TIMEOUT_INI))

    def run(coro: Coroutine[Any, Any, Any]) -> Any:
        return runner.run(_bounded(coro, timeout))

    return run


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Runs an ``async def`` test that uses ``lwip_harness`` on the harness's loop."""
    runner = pyfuncitem.stash.get(_RUNNER, None)
    if runner is None or not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None  # not ours: pytest (or another plugin) runs it
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    timeout = float(pyfuncitem.config.getini(_TIMEOUT_INI))
    runner.run(_bounded(pyfuncitem.obj(**kwargs), timeout))
    return True


async def _bounded(coro: Coroutine[Any, Any, T], timeout: float) -> T:
    async with asyncio.timeout(timeout):
        return await coro
