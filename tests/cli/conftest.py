"""Fixtures of the CLI tests: a simulated Harbor of their own, and ways to run the command."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from harbor_replication import ReplicationClient, location_id
from harbor_replication.cli import cli
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.contract_checks import with_contract
from tests.support import TASK_DURATION

ADMIN_ENV = {"HARBOR_USERNAME": "admin", "HARBOR_SECRET": "Harbor12345"}
# The console script installed next to the interpreter running the tests.
CONSOLE_SCRIPT = Path(sys.executable).with_name("harbor-replication")
_names = itertools.count(1)

Run = Callable[..., Result]
Script = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture(autouse=True)
def _no_backoff(no_backoff: None) -> None:
    """Every test here retries without waiting."""


@pytest.fixture(scope="session")
def cli_harbor() -> Iterator[HarborSimulator]:
    """A simulated Harbor (built-in seed, TASK_DURATION tasks) shared by the CLI tests."""
    with HarborSimulator(
        with_contract(SimulatorConfig(task_duration=TASK_DURATION, retry_backoff_scale=0))
    ) as harbor:
        yield harbor


@pytest.fixture
def client(cli_harbor: HarborSimulator) -> Iterator[ReplicationClient]:
    """The library's client, to set up and check what the commands did."""
    with ReplicationClient(
        cli_harbor.url, username=ADMIN_ENV["HARBOR_USERNAME"], secret=ADMIN_ENV["HARBOR_SECRET"]
    ) as harbor_client:
        yield harbor_client


@pytest.fixture
def run(cli_harbor: HarborSimulator) -> Run:
    """``run(*args, input=None)``: the command in-process, configured through HARBOR_*."""
    runner = CliRunner(env={"HARBOR_URL": cli_harbor.url, **ADMIN_ENV})

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def script(cli_harbor: HarborSimulator) -> Script:
    """``script(*args)``: the installed console script in a subprocess, without a terminal."""

    def run_script(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "HARBOR_URL": cli_harbor.url, **ADMIN_ENV}
        return subprocess.run(
            [str(CONSOLE_SCRIPT), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    return run_script


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Names no other CLI test uses."""
    return lambda prefix: f"cli-{prefix}-{next(_names)}"


@pytest.fixture
def make_policy(client: ReplicationClient, unique: Callable[[str], str]) -> Callable[[str], int]:
    """``make_policy(name_filter)``: an enabled pull policy from Docker Hub; returns its id.

    In the seed, ``library/alpine`` has 3 tags that copy fine in one task, and ``team/**``
    two repositories (two tasks), ``team/fail-build`` failing.
    """

    def make(name_filter: str) -> int:
        location = client.create_replication_policy(
            {
                "name": unique("policy"),
                "src_registry": {"id": 1},
                "dest_namespace": "cli",
                "filters": [{"type": "name", "value": name_filter}],
                "trigger": {"type": "manual"},
                "enabled": True,
            }
        )
        return location_id(location)

    return make
