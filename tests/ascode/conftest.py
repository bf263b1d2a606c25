"""Fixtures of the replication-as-code tests: empty simulated Harbors and documents."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.contract_checks import with_contract

SECRETS = {"HUB_SECRET": "hub-s3cret", "DR_SECRET": "dr-s3cret"}

DOCUMENT = """
owns:
  policies: {prefix: "team-"}
  registries: {names: [hub]}
registries:
  hub:
    type: docker-hub
    url: https://hub.docker.com
    description: Docker Hub
    credential: {access_key: puller, access_secret: "${HUB_SECRET}"}
  dr:
    type: harbor
    url: https://dr.example.com
    credential: {type: basic, access_key: robot$dr, access_secret: "${DR_SECRET}"}
policies:
  team-pull:
    src_registry: hub
    dest_registry: local
    description: nginx from Docker Hub
    dest_namespace: mirror
    dest_namespace_replace_count: 1
    filters:
      - {type: name, value: "library/**"}
      - {type: tag, value: "*-rc*", decoration: excludes}
    trigger: {type: scheduled, cron: "0 0 2 * * *"}
    override: true
    speed: 2048
  team-push:
    src_registry: local
    dest_registry: dr
    filters: [{type: label, value: [prod, gold]}, {type: resource, value: image}]
    trigger: {type: event_based}
    replicate_deletion: true
    copy_by_chunk: true
    enabled: false
"""


@pytest.fixture(autouse=True)
def _no_backoff(no_backoff: None) -> None:
    """Every test here retries without waiting."""


@pytest.fixture(scope="session")
def empty_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "empty.yaml"
    path.write_text("{}\n", encoding="utf-8")
    return path


@pytest.fixture
def new_harbor(empty_seed: Path) -> Iterator[Callable[..., HarborSimulator]]:
    """``new_harbor(harbor_version, contract)``: another empty simulated Harbor; several
    may run at once."""
    started: list[HarborSimulator] = []

    def start(harbor_version: str = "v2.15.2", contract: bool = True) -> HarborSimulator:
        settings = SimulatorConfig(
            seed=empty_seed, task_duration=0.01, harbor_version=harbor_version
        )
        # Injected faults are answers Harbor's description does not list: no contract then.
        simulator = HarborSimulator(with_contract(settings) if contract else settings)
        simulator.start()
        started.append(simulator)
        return simulator

    yield start
    for simulator in started:
        simulator.stop()


@pytest.fixture
def empty_harbor(new_harbor: Callable[..., HarborSimulator]) -> HarborSimulator:
    return new_harbor()
