"""Fixtures for the reliability tests: a simulator whose faults each test sets, no waiting."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.support import TASK_DURATION

POLICY = {
    "name": "reliability",
    "src_registry": {"id": 1},
    "dest_namespace": "mirror",
    "trigger": {"type": "manual"},
    "enabled": True,
}


@pytest.fixture(autouse=True)
def _no_backoff(no_backoff: None) -> None:
    """Every test here retries without waiting."""


@pytest.fixture(scope="package")
def faulty_harbor() -> Iterator[HarborSimulator]:
    """A simulator for fault tests, shared by the package; each test sets its own faults."""
    with HarborSimulator(
        SimulatorConfig(task_duration=TASK_DURATION, retry_backoff_scale=0)
    ) as harbor:
        yield harbor


@pytest.fixture
def harbor_with_faults(faulty_harbor: HarborSimulator) -> Iterator[HarborSimulator]:
    """The shared fault simulator, its faults cleared after the test."""
    yield faulty_harbor
    faulty_harbor.faults.clear()


def new_policy(harbor: HarborSimulator, name: str, **changes: Any) -> int:
    return harbor.state.create_policy({**POLICY, "name": name, **changes}, "admin")
