"""Shared fixtures: one simulated Harbor on loopback, and both clients driven alike."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.support import Harbor, close, make_client

_names = itertools.count(1)


@pytest.fixture(scope="session")
def simulator() -> Iterator[HarborSimulator]:
    """A simulated Harbor whose tasks take 20 ms each, shared by the whole session."""
    with HarborSimulator(SimulatorConfig(task_duration=0.02)) as harbor:
        yield harbor


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Names no other test uses, so tests can share the simulator."""
    return lambda prefix: f"{prefix}-{next(_names)}"


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def harbor(kind: str, simulator: HarborSimulator) -> AsyncIterator[Harbor]:
    """The admin's client of the parametrized kind, against the shared simulator."""
    client = make_client(kind, simulator.url)
    yield Harbor(client)
    await close(client)
