"""A pytest plugin with a running simulated Harbor.

Enable it with ``pytest_plugins = ["harbor_replication.simulator.pytest_plugin"]`` in a
``conftest.py``; then a test asks for ``harbor_simulator``. Override the
``harbor_simulator_config`` fixture to change the configuration.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._config import SimulatorConfig
from ._server import HarborSimulator


@pytest.fixture
def harbor_simulator_config() -> SimulatorConfig:
    """Short tasks so tests run fast."""
    return SimulatorConfig(task_duration=0.05)


@pytest.fixture
def harbor_simulator(harbor_simulator_config: SimulatorConfig) -> Iterator[HarborSimulator]:
    """A simulated Harbor for one test: ``.url``, ``.api_url``, ``.state``."""
    with HarborSimulator(harbor_simulator_config) as simulator:
        yield simulator
