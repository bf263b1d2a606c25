"""Shared fixtures: one simulated Harbor on loopback, and both clients driven alike."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import stamina

from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.contract_checks import (
    assert_no_new_violations,
    require_contract_in_ci,
    session_contract,
    undocumented_summary,
    with_contract,
)
from tests.support import TASK_DURATION, Harbor, open_client

_names = itertools.count(1)


@pytest.fixture(scope="session")
def simulator() -> Iterator[HarborSimulator]:
    """A simulated Harbor whose tasks take TASK_DURATION each, shared by the whole session.

    Harbor's retries of a failed copy follow at once (backoff scale 0), so a Failed status
    shows only once it is final (docs/harbor-behaviour.md §30); tests/simulator's retry
    tests use the real backoff."""
    with HarborSimulator(
        with_contract(SimulatorConfig(task_duration=TASK_DURATION, retry_backoff_scale=0))
    ) as harbor:
        yield harbor


@pytest.fixture(autouse=True)
def _responses_keep_harbors_contract() -> Iterator[None]:
    """Fails a test whose requests got a response Harbor's description does not allow."""
    contract = session_contract()
    if isinstance(contract, str):
        yield
        return
    with assert_no_new_violations(contract, "Harbor's API description"):
        yield


def pytest_sessionstart(session: pytest.Session) -> None:
    """Without Harbor's description the contract tests skip with a one-line reason; in CI
    the run stops instead."""
    require_contract_in_ci(session_contract(), os.environ)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    contract = session_contract()
    terminalreporter.section("Harbor API contract")
    if isinstance(contract, str):
        terminalreporter.write_line(contract)
        return
    terminalreporter.write_line(
        f"{contract.checked} responses checked against Harbor's description, "
        f"{len(contract.violations)} broke it"
    )
    for line in undocumented_summary(contract):
        terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _no_user_contexts(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI never reads the contexts file of the user running the tests."""
    config = tmp_path_factory.getbasetemp() / "no-contexts" / "config.yaml"
    monkeypatch.setenv("HARBOR_REPLICATION_CONFIG", str(config))
    monkeypatch.delenv("HARBOR_CONTEXT", raising=False)


@pytest.fixture
def no_backoff() -> Iterator[None]:
    """Retries happen as configured (attempts capped by each client's max_retries), unwaited."""
    with stamina.set_testing(True, attempts=1000, cap=True):
        yield


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
    async with open_client(kind, simulator.url) as harbor:
        yield harbor
