"""One simulated Harbor for the simulator tests, reset to its seed before each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.contract_checks import with_contract
from tests.simulator.simulator_helpers import ADMIN
from tests.support import TASK_DURATION, FrozenClock, freeze_clock


@pytest.fixture(scope="session")
def simulator_session() -> Iterator[HarborSimulator]:
    config = SimulatorConfig(task_duration=TASK_DURATION, task_concurrency=2, retry_backoff_scale=0)
    with HarborSimulator(with_contract(config)) as simulator:
        yield simulator


@pytest.fixture
def simulator(simulator_session: HarborSimulator) -> HarborSimulator:
    simulator_session.state.reset()
    return simulator_session


@pytest.fixture
def frozen_clock(simulator: HarborSimulator, monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """Simulated time stands still until the test advances it, so no request is too late
    however slow the machine. Tasks take 1 s here: setup lasts 0.2 s, a stop lands 0.1 s
    after it was asked for, and the seed's policy 1 runs 4 tasks, 2 at a time."""
    clock = freeze_clock(simulator, monkeypatch)
    monkeypatch.setattr(simulator.state.config, "task_duration", 1.0)
    return clock


def _forget_cookies(client: httpx.Client) -> Callable[[httpx.Response], None]:
    def hook(response: httpx.Response) -> None:
        client.cookies.clear()

    return hook


@pytest.fixture
def api(simulator: HarborSimulator) -> Iterator[httpx.Client]:
    """An admin client on ``/api/v2.0`` that, like a proper API client, keeps no cookies."""
    with httpx.Client(base_url=simulator.api_url, auth=ADMIN, timeout=10) as client:
        client.event_hooks["response"] = [_forget_cookies(client)]
        yield client
