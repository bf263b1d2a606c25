"""``retry-failed``: only what failed is copied again, by temporary policies that never stay."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import harbor_replication
from harbor_replication import ReplicationClient, location_id, operations
from harbor_replication._retry_plan import TEMPORARY_NAME_PREFIX, is_temporary, temporary_policy
from harbor_replication._task_log import FailedArtifacts
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.cli.conftest import Run
from tests.support import freeze_clock, wait_for

DEMO_POLICY = Path(harbor_replication.__file__).with_name("demo-policy.yaml")
FAIL_BUILD_FILTERS = [
    {"type": "name", "value": "team/fail-build"},
    {"type": "tag", "value": "{1.0,2.0}", "decoration": "matches"},
]


def temporary_policies(client: ReplicationClient) -> list[str]:
    found = client.get_replication_policies(name=TEMPORARY_NAME_PREFIX, limit=None)
    return [str(policy.name) for policy in found if is_temporary(policy)]


def failed_execution(client: ReplicationClient, policy_id: int) -> int:
    execution_id = location_id(client.start_replication(policy_id))
    assert (
        client.wait_for_replication(execution_id, poll_interval=0.02, settle=0).status == "Failed"
    )
    return execution_id


def test_dry_run_prints_the_policy_for_exactly_the_failed_artifacts_and_sends_nothing(
    run: Run, client: ReplicationClient, make_policy: Callable[[str], int]
) -> None:
    execution_id = failed_execution(client, make_policy("team/**"))
    policies_before = len(client.get_replication_policies(limit=None))
    result = run("retry-failed", str(execution_id), "--dry-run", "--settle", "0")
    assert result.exit_code == 0, result.output
    assert "2 artifact(s) of 1 repository failed" in result.output
    printed = yaml.safe_load(result.output.split("(nothing was sent):\n", 1)[1])
    assert printed["filters"] == FAIL_BUILD_FILTERS
    assert printed["src_registry"] == {"id": 1}
    assert printed["dest_namespace"] == "cli"
    assert printed["trigger"] == {"type": "manual"}
    assert len(client.get_replication_policies(limit=None)) == policies_before


def test_the_demo_execution_fails_again_exits_1_and_leaves_no_temporary_policy(
    run: Run, client: ReplicationClient, unique: Callable[[str], str]
) -> None:
    # The demo's policy copies library/** and team/** but latest; team/fail-build's two
    # tags always fail (Harbor's own retries included), everything else copies.
    demo = yaml.safe_load(DEMO_POLICY.read_text(encoding="utf-8"))
    policy_id = location_id(client.create_replication_policy({**demo, "name": unique("demo")}))
    execution_id = failed_execution(client, policy_id)
    result = run(
        "-o", "json", "retry-failed", str(execution_id), "--wait", "--settle", "0",
        "--poll-interval", "0.02",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    output = json.loads(result.stdout)
    assert output["failed"] == [{"repository": "team/fail-build", "references": ["1.0", "2.0"]}]
    [policy] = output["policies"]
    assert policy["filters"] == FAIL_BUILD_FILTERS
    assert (policy["src_registry"], policy["dest_namespace"]) == ({"id": 1}, "mirror")
    assert (policy["dest_namespace_replace_count"], policy["override"]) == (1, True)
    [started] = output["executions"]
    # One task per repository (docs/harbor-behaviour.md §15): team/fail-build's, failed again.
    assert (started["execution"]["total"], started["execution"]["failed"]) == (1, 1)
    assert output["status"] == "Failed"
    assert output["left_behind"] == []
    assert temporary_policies(client) == []


def test_a_repository_that_copies_on_the_retry_exits_0(
    run: Run,
    client: ReplicationClient,
    cli_harbor: HarborSimulator,
    unique: Callable[[str], str],
    make_policy: Callable[[str], int],
) -> None:
    repository = f"flaky/{unique('repo')}"
    for tag in ("1.0", "1.1", "1.2"):
        cli_harbor.state.add_artifact(1, repository, tag)
    cli_harbor.state.set_failure(
        repository, "failed to pull the manifest of artifact {reference}: http status code: "
        "503, body: unavailable", times=1,
    )  # fmt: skip
    execution_id = failed_execution(client, make_policy(repository))
    result = run("retry-failed", str(execution_id), "--wait", "--settle", "0")
    assert result.exit_code == 0, result.output
    assert "Succeed, 1 of 1 task(s) succeeded, 0 failed" in result.output
    assert f"Retry of execution {execution_id}: Succeed." in result.output
    assert temporary_policies(client) == []
    copied = f"cli/{repository.split('/')[1]}:"
    assert [a for a in cli_harbor.state.artifacts(0) if a.startswith(copied)] == [
        f"{copied}{tag}" for tag in ("1.0", "1.1", "1.2")
    ]


def test_a_policy_left_by_a_crash_is_removed_by_the_next_run_and_by_cleanup(
    run: Run, client: ReplicationClient, make_policy: Callable[[str], int]
) -> None:
    original = client.get_replication_policy(make_policy("team/**"))
    leftover = FailedArtifacts("team/fail-build", ("1.0",))
    # What a run killed after creating its policy leaves behind.
    for suffix in ("crash1", "crash2"):
        client.create_replication_policy(temporary_policy(original, 1, leftover, suffix))
    assert sorted(temporary_policies(client)) == ["retry-failed-1-crash1", "retry-failed-1-crash2"]

    cleaned = run("retry-failed", "--cleanup", "--dry-run")
    assert cleaned.exit_code == 0
    assert cleaned.output.count("planned") == 2
    assert len(temporary_policies(client)) == 2
    cleaned = run("retry-failed", "--cleanup")
    assert cleaned.exit_code == 0, cleaned.output
    assert cleaned.output.count("changed") == 2
    assert temporary_policies(client) == []

    client.create_replication_policy(temporary_policy(original, 1, leftover, "crash3"))
    execution_id = failed_execution(client, int(original.id))  # type: ignore[arg-type]
    result = run("retry-failed", str(execution_id), "--wait", "--settle", "0")
    assert result.exit_code == 1, result.output
    assert temporary_policies(client) == []


def test_ctrl_c_stops_the_retry_and_deletes_its_policy(
    client: ReplicationClient, make_policy: Callable[[str], int]
) -> None:
    execution_id = failed_execution(client, make_policy("team/**"))
    started: list[int] = []

    def interrupt(name: str, policy_id: int, retry_id: int) -> None:
        started.append(retry_id)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        operations.retry_failed(
            client, execution_id, wait=True, settle=0, poll_interval=0.02, on_started=interrupt
        )
    assert len(started) == 1
    assert temporary_policies(client) == []


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("settling", "Harbor may still retry its tasks"),
        ("running", "is still running"),
        ("event", "was triggered by an event"),
        ("succeeded", "has no failed task"),
    ],
)
def test_retries_that_cannot_be_exact_are_refused(
    run: Run,
    client: ReplicationClient,
    cli_harbor: HarborSimulator,
    make_policy: Callable[[str], int],
    unique: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    message: str,
) -> None:
    settle = "0"
    if case == "settling":
        execution_id, settle = failed_execution(client, make_policy("team/**")), "130"
    elif case == "running":
        freeze_clock(cli_harbor, monkeypatch)
        execution_id = location_id(client.start_replication(make_policy("team/**")))
    elif case == "event":
        repository = f"events/{unique('repo')}"
        location = client.create_replication_policy(
            {
                "name": unique("event"),
                "dest_registry": {"id": 2},
                "filters": [{"type": "name", "value": repository}],
                "trigger": {"type": "event_based"},
                "enabled": True,
            }
        )
        cli_harbor.state.add_artifact(0, repository, "1.0")
        [execution] = client.get_replications(policy_id=location_id(location))
        execution_id = int(execution.id)  # type: ignore[arg-type]
        client.wait_for_replication(execution_id, poll_interval=0.02, settle=0)
    else:
        execution_id = location_id(client.start_replication(make_policy("library/alpine")))
        client.wait_for_replication(execution_id, poll_interval=0.02, settle=0)
    policies_before = len(client.get_replication_policies(limit=None))
    result = run("retry-failed", str(execution_id), "--settle", settle)
    assert result.exit_code == 4, result.output
    assert f"cannot retry execution {execution_id} exactly" in result.output
    assert message in result.output
    assert len(client.get_replication_policies(limit=None)) == policies_before


def test_wait_settles_through_harbors_own_retry(unique: Callable[[str], str]) -> None:
    """The retry's first attempt fails and Harbor's job service retries it (backoff under
    0.4 s here): --settle waits that out and reports the success, exit 0."""
    with HarborSimulator(SimulatorConfig(task_duration=0.02, retry_backoff_scale=0.005)) as harbor:
        repository = f"flaky/{unique('harbor-retry')}"
        # Every attempt fails in the first execution, one attempt in the next ones.
        harbor.state.add_artifact(1, repository, "1.0", failures=1)
        harbor.state.set_failure(repository, "failed to copy {reference}: i/o timeout", times=1)
        with ReplicationClient(harbor.url, username="admin", secret="Harbor12345") as client:
            policy_id = location_id(
                client.create_replication_policy(
                    {
                        "name": unique("settle"),
                        "src_registry": {"id": 1},
                        "filters": [{"type": "name", "value": repository}],
                        "enabled": True,
                    }
                )
            )
            execution_id = location_id(client.start_replication(policy_id))
            # Harbor's own two retries fail too; once past them (and settled), it is final.
            done = harbor.state.final_at(execution_id) + 0.8
            wait_for(lambda: harbor.state.clock() >= done, within=15)
            assert client.get_replication(execution_id).status == "Failed"
            statuses: list[str] = []
            run = operations.retry_failed(
                client,
                execution_id,
                wait=True,
                settle=0.8,
                poll_interval=0.05,
                on_finished=lambda e: statuses.append(str(e.status)),
            )
            assert (run.status, statuses) == ("Succeed", ["Succeed"])
            assert temporary_policies(client) == []
