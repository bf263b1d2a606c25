"""The failure report over a few hundred executions with failures of every cause, sync and async."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from harbor_replication import (
    AsyncReplicationClient,
    ReplicationClient,
    async_operations,
    location_id,
    operations,
)
from harbor_replication._failure_report import FailureReport, parse_duration
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.support import close, make_client

# One policy per cause, each with an error text Harbor's replication job writes for it.
MESSAGES = {
    "authentication": "failed to pull the manifest of artifact {ref}: http status code: 401, "
    'body: {{"errors":[{{"code":"UNAUTHORIZED","message":"unauthorized"}}]}}',
    "permission": "failed to push manifest of artifact {ref}: http status code: 403, body: "
    '{{"errors":[{{"code":"FORBIDDEN","message":"forbidden"}}]}}',
    "quota or size": "failed to pushing the blob sha256:1, size 10: http status code: 403, "
    'body: {{"errors":[{{"code":"DENIED","message":"Quota exceeded when processing the '
    'request of adding 10 B of storage resource"}}]}}',
    "not found": "failed to pull the manifest of artifact {ref}: http status code: 404, body: "
    '{{"errors":[{{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}}]}}',
    "network or TLS": 'Get "https://dr.example.com/v2/": x509: certificate signed by unknown '
    "authority",
    "timeout": 'Get "https://dr.example.com/v2/": context deadline exceeded (Client.Timeout '
    "exceeded while awaiting headers)",
    "registry 5xx": "failed to pushing the blob sha256:1, size 10: http status code: 502, body: "
    "<html>502 Bad Gateway</html>",
    "rate limit": "failed to pull the manifest of artifact {ref}: http status code: 429, body: "
    "toomanyrequests: You have reached your pull rate limit",
    "unknown": "the adapter doesn't implement the ArtifactRegistry interface",
}
# Per policy: failed executions grow with the cause's index, so every count differs.
SUCCEEDED, STOPPED, TASKS = 6, 2, 2


def failed_runs(index: int) -> int:
    return 10 + 2 * index


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[HarborSimulator, dict[str, int]]]:
    """A simulator of its own holding 9 policies and 234 finished executions."""
    with HarborSimulator(SimulatorConfig(task_duration=0.01, retry_backoff_scale=0)) as harbor:
        client = ReplicationClient(harbor.url, username="admin", secret="Harbor12345")
        policies = {}
        for index, (cause, message) in enumerate(MESSAGES.items()):
            location = client.create_replication_policy(
                {"name": f"report-{index}", "src_registry": {"id": 1}, "enabled": True}
            )
            policy_id = location_id(location)
            policies[cause] = policy_id
            failure = message.format(ref="bulk/repo:v")
            harbor.state.add_finished_executions(
                policy_id, failed_runs(index), TASKS, "Failed", failure
            )
            harbor.state.add_finished_executions(policy_id, SUCCEEDED, TASKS, "Succeed")
            harbor.state.add_finished_executions(policy_id, STOPPED, TASKS, "Stopped")
        client.close()
        yield harbor, policies


async def report_for(kind: str, harbor: HarborSimulator, **options: Any) -> FailureReport:
    client = make_client(kind, harbor.url)
    try:
        if isinstance(client, AsyncReplicationClient):
            return await async_operations.failure_report(client, **options)
        return operations.failure_report(client, **options)
    finally:
        await close(client)


async def test_counts_per_policy_and_cause_are_exact(
    kind: str, seeded: tuple[HarborSimulator, dict[str, int]]
) -> None:
    harbor, policies = seeded
    report = await report_for(kind, harbor, settle=0, log_concurrency=4)
    by_id = {summary.policy_id: summary for summary in report.policies}
    assert sorted(by_id) == sorted(policies.values())
    for index, (cause, policy_id) in enumerate(policies.items()):
        summary = by_id[policy_id]
        failed = failed_runs(index)
        assert summary.policy_name == f"report-{index}"
        assert (summary.executions, summary.succeeded, summary.failed, summary.stopped) == (
            failed + SUCCEEDED + STOPPED,
            SUCCEEDED,
            failed,
            STOPPED,
        )
        assert (summary.running, summary.skipped) == (0, 0)
        assert summary.success_rate == round(SUCCEEDED / (failed + SUCCEEDED + STOPPED), 4)
        assert (summary.duration_median, summary.duration_p95) == (0.5, 0.5)
        assert summary.last_success is not None
        assert summary.failed_tasks == failed * TASKS
        [found] = summary.causes
        assert (found.cause, found.count) == (cause, failed * TASKS)
        assert found.repositories == ["bulk/repo0", "bulk/repo1"]
        assert found.example.endswith(MESSAGES[cause].format(ref="bulk/repo:v"))


async def test_one_policy_and_a_short_window(
    kind: str, seeded: tuple[HarborSimulator, dict[str, int]]
) -> None:
    harbor, policies = seeded
    only = await report_for(kind, harbor, settle=0, policy_id=policies["timeout"])
    assert [summary.policy_id for summary in only.policies] == [policies["timeout"]]
    # The seeded executions started at least a second before they were added.
    future = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    empty = await report_for(
        kind, harbor, settle=0, now=future, since=datetime.timedelta(minutes=30)
    )
    assert empty.policies == []


async def test_failures_harbor_may_still_retry_count_as_running(
    kind: str, seeded: tuple[HarborSimulator, dict[str, int]]
) -> None:
    harbor, policies = seeded
    report = await report_for(kind, harbor, settle=3600, policy_id=policies["rate limit"])
    [summary] = report.policies
    assert (summary.failed, summary.running, summary.failed_tasks) == (0, failed_runs(7), 0)


def test_durations_are_parsed() -> None:
    assert parse_duration("24h") == datetime.timedelta(hours=24)
    assert parse_duration("90") == datetime.timedelta(seconds=90)
    assert parse_duration("7d") == datetime.timedelta(days=7)
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("soon")
