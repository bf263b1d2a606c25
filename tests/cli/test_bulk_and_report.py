"""``stop --all``, ``policies enable|disable`` and ``report`` from the command line.

A simulator of their own: ``stop --all`` must not touch what other tests run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from harbor_replication import ReplicationClient, location_id
from harbor_replication.cli import cli
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from harbor_replication.simulator._faults import Fault
from tests.cli.conftest import ADMIN_ENV, Run
from tests.support import freeze_clock

# Every transient fault but the stall, which only makes the test wait.
FAULTS = tuple(f for f in Fault if f not in (Fault.STALL, Fault.TOO_LARGE))


@pytest.fixture(scope="module")
def own_harbor() -> Iterator[HarborSimulator]:
    with HarborSimulator(SimulatorConfig(task_duration=0.05, retry_backoff_scale=0)) as harbor:
        yield harbor


@pytest.fixture
def own_client(own_harbor: HarborSimulator) -> Iterator[ReplicationClient]:
    with ReplicationClient(own_harbor.url, username="admin", secret="Harbor12345") as client:
        yield client


@pytest.fixture
def own_run(own_harbor: HarborSimulator) -> Run:
    runner = CliRunner(env={"HARBOR_URL": own_harbor.url, **ADMIN_ENV})
    return lambda *args, input=None: runner.invoke(cli, list(args), input=input)


@pytest.fixture
def new_policy(own_client: ReplicationClient, unique: Callable[[str], str]) -> Callable[..., int]:
    def make(registry: int = 1, **fields: Any) -> int:
        side = "src_registry" if registry == 1 else "dest_registry"
        body = {
            "name": unique("bulk"),
            "description": "kept as it is",
            side: {"id": registry},
            "dest_namespace": "bulk",
            "filters": [{"type": "name", "value": "library/**"}],
            "trigger": {"type": "manual"},
            "enabled": True,
            "override": True,
            "speed": 100,
            **fields,
        }
        return location_id(own_client.create_replication_policy(body))

    return make


def unchanged_fields(policy: dict[str, Any]) -> dict[str, Any]:
    """Everything a disable must keep (PUT clears ``creator`` in Harbor, docs §12)."""
    return {k: v for k, v in policy.items() if k not in ("enabled", "update_time", "creator")}


def test_stop_all_shows_asks_and_stops_each_running_execution(
    own_run: Run,
    own_client: ReplicationClient,
    own_harbor: HarborSimulator,
    new_policy: Callable[..., int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = freeze_clock(own_harbor, monkeypatch)
    first, second = new_policy(), new_policy()
    running = [location_id(own_client.start_replication(p)) for p in (first, second)]
    clock.advance(0.02)  # past the setup, into the first tasks

    dry = own_run("-o", "json", "stop", "--all", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert [(r["id"], r["outcome"]) for r in json.loads(dry.stdout)] == [
        (running[1], "planned"),
        (running[0], "planned"),
    ]
    declined = own_run("stop", "--all", "--policy", str(first), input="n\n")
    assert declined.exit_code == 4
    assert f"Stop 1 running execution(s): {running[0]} (policy {first})?" in declined.output

    stopped = own_run("-o", "json", "stop", "--all", "--policy", str(first), input="y\n")
    assert stopped.exit_code == 0, stopped.output
    clock.advance(0.01)  # Harbor stops it a moment later; the other goes on
    assert own_client.get_replication(running[0]).status == "Stopped"
    assert own_client.get_replication(running[1]).status == "InProgress"
    assert own_run("stop", "--all", "--yes").exit_code == 0
    clock.advance(0.01)
    assert own_client.get_replication(running[1]).status == "Stopped"
    assert own_run("stop", "--all", "--yes").output == "Nothing to do.\n"
    assert own_run("stop", "--all", "7").exit_code == 4


def test_disable_by_registry_keeps_every_other_field_and_dry_run_writes_nothing(
    own_run: Run, own_client: ReplicationClient, new_policy: Callable[..., int]
) -> None:
    pushing = [new_policy(registry=2), new_policy(registry=2, enabled=False)]
    pulling = new_policy()
    before = {p: own_client.get_replication_policy(p).to_dict() for p in [*pushing, pulling]}

    dry = own_run("-o", "json", "policies", "disable", "--registry", "2", "--dry-run")
    assert dry.exit_code == 0, dry.output
    outcomes = {r["id"]: r["outcome"] for r in json.loads(dry.stdout)}
    assert outcomes[pushing[0]] == "planned"
    assert outcomes[pushing[1]] == "unchanged"
    assert pulling not in outcomes
    assert {p: own_client.get_replication_policy(p).to_dict() for p in before} == before

    done = own_run("-o", "json", "policies", "disable", "--registry", "2", "--yes")
    assert done.exit_code == 0, done.output
    assert {r["id"]: r["outcome"] for r in json.loads(done.stdout)}[pushing[0]] == "changed"
    after = own_client.get_replication_policy(pushing[0]).to_dict()
    assert after.get("enabled", False) is False
    assert unchanged_fields(after) == unchanged_fields(before[pushing[0]])
    assert own_client.get_replication_policy(pulling).enabled is True

    enabled = own_run("policies", "enable", str(pushing[0]), str(pulling), "--yes")
    assert enabled.exit_code == 0, enabled.output
    assert own_client.get_replication_policy(pushing[0]).enabled is True
    assert own_run("policies", "disable").exit_code == 4


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_under_faults_each_policy_is_changed_once_or_reported_failed(
    own_run: Run,
    own_client: ReplicationClient,
    own_harbor: HarborSimulator,
    new_policy: Callable[..., int],
    unique: Callable[[str], str],
    seed: int,
) -> None:
    marker = unique("faulty")
    ids = [new_policy(description=marker) for _ in range(6)]
    before = {p: own_client.get_replication_policy(p).to_dict() for p in ids}
    own_harbor.faults.set(rate=0.3, seed=seed, kinds=FAULTS)
    try:
        result = own_run("-o", "json", "policies", "disable", "--query", f"description={marker}",
                         "--yes")  # fmt: skip
        injected = sum(own_harbor.faults.injected.values())
    finally:
        own_harbor.faults.clear()
    assert injected > 0
    outcomes = {r["id"]: r["outcome"] for r in json.loads(result.stdout)} if result.stdout else {}
    # Exit 5 when the selection or any change failed (then the one-line error says which).
    assert result.exit_code == (5 if not outcomes or "failed" in outcomes.values() else 0)
    for policy_id in ids:
        now = own_client.get_replication_policy(policy_id).to_dict()
        assert unchanged_fields(now) == unchanged_fields(before[policy_id])
        if outcomes.get(policy_id) == "changed":
            assert now.get("enabled", False) is False
        else:  # failed, or never reached because the selection failed: nothing changed
            assert now == before[policy_id]


def test_report_as_markdown(
    own_run: Run, own_harbor: HarborSimulator, new_policy: Callable[..., int]
) -> None:
    policy_id = new_policy()
    message = "failed to pull the manifest of artifact a:b: http status code: 404, body: x"
    own_harbor.state.add_finished_executions(policy_id, 3, 2, "Failed", message)
    own_harbor.state.add_finished_executions(policy_id, 1, 2, "Succeed")
    result = own_run("report", "--policy", str(policy_id), "--settle", "0", "-o", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("### Replication report, ")
    name = own_harbor.state.policies[policy_id].name
    assert f"| {policy_id} | {name} | 4 | 1 | 3 | 0 | 0 | 25% | 0.5s | 0.5s |" in result.output
    assert lines[-1].startswith(f"| {policy_id} | not found | 6 | bulk/repo0, bulk/repo1 | 20")
    assert lines[-1].endswith(f"{message} |")
    bad = own_run("report", "--since", "soon")
    assert bad.exit_code == 4
