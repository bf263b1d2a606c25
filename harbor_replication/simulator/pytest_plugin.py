"""A pytest plugin with a running simulated Harbor.

Enable it with ``pytest_plugins = ["harbor_replication.simulator.pytest_plugin"]`` in a
``conftest.py``; then a test asks for ``harbor_simulator``. Override the
``harbor_simulator_config`` fixture to change the configuration. Harbor's backoff before
it retries a failed copy (16 s to two minutes, docs/harbor-behaviour.md §30) is scaled by
``--harbor-retry-backoff-scale`` (default 0.01) so that tests stay fast.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._config import SimulatorConfig
from ._server import HarborSimulator

DEFAULT_RETRY_BACKOFF_SCALE = 0.01


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--harbor-retry-backoff-scale",
        type=float,
        default=DEFAULT_RETRY_BACKOFF_SCALE,
        metavar="FACTOR",
        help="multiplies the simulated Harbor's retry backoff (default %(default)s)",
    )


@pytest.fixture
def harbor_simulator_config(request: pytest.FixtureRequest) -> SimulatorConfig:
    """Short tasks and short retry backoffs so tests run fast."""
    scale = request.config.getoption("--harbor-retry-backoff-scale")
    return SimulatorConfig(task_duration=0.05, retry_backoff_scale=scale)


@pytest.fixture
def harbor_simulator(harbor_simulator_config: SimulatorConfig) -> Iterator[HarborSimulator]:
    """A simulated Harbor for one test: ``.url``, ``.api_url``, ``.state``."""
    with HarborSimulator(harbor_simulator_config) as simulator:
        yield simulator
