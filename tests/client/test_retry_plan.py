"""Planning retry-failed: the temporary policy's fields, refusals, and both clients' twins."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harbor_replication import (
    AsyncReplicationClient,
    ReplicationClient,
    async_operations,
    location_id,
    operations,
)
from harbor_replication._retry_plan import (
    RetryRefused,
    check_task,
    is_temporary,
    merge,
    temporary_policy,
)
from harbor_replication._task_log import FailedArtifacts
from harbor_replication.models import ReplicationPolicy, ReplicationTask
from harbor_replication.simulator import HarborSimulator
from tests.support import Harbor


def original(**fields: object) -> ReplicationPolicy:
    return ReplicationPolicy.from_dict(
        {
            "id": 7,
            "name": "push-prod",
            "description": "nightly",
            "src_registry": {"id": 0, "name": "Local"},
            "dest_registry": {"id": 2, "name": "dr"},
            "dest_namespace": "dr",
            "dest_namespace_replace_count": 2,
            "filters": [{"type": "name", "value": "prod/**"}, {"type": "label", "value": ["x"]}],
            "trigger": {"type": "scheduled", "trigger_settings": {"cron": "0 0 2 * * *"}},
            "enabled": False,
            "override": True,
            "deletion": True,
            "replicate_deletion": True,
            "speed": 512,
            "copy_by_chunk": True,
            "single_active_replication": True,
            **fields,
        }
    )


def test_the_temporary_policy_copies_the_originals_transfer_settings_and_names_the_tags() -> None:
    body = temporary_policy(original(), 41, FailedArtifacts("prod/api", ("2.3.1", "2.4.0")), "ab")
    assert body == {
        "name": "retry-failed-41-ab",
        "description": "harbor-replication retry-failed: temporary policy retrying prod/api "
        "from execution 41 of policy 7 (push-prod); safe to delete when no retry-failed is "
        "running",
        "dest_registry": {"id": 2},
        "dest_namespace": "dr",
        "dest_namespace_replace_count": 2,
        "filters": [
            {"type": "name", "value": "prod/api"},
            {"type": "tag", "value": "{2.3.1,2.4.0}", "decoration": "matches"},
        ],
        "trigger": {"type": "manual"},
        "enabled": True,
        "override": True,
        "deletion": False,
        "replicate_deletion": False,
        "speed": 512,
        "copy_by_chunk": True,
    }
    assert is_temporary(body)
    assert not is_temporary({**body, "description": "mine"})
    assert not is_temporary(original())


def test_one_tag_is_an_exact_filter_and_untagged_artifacts_are_refused() -> None:
    body = temporary_policy(original(), 1, FailedArtifacts("prod/api", ("2.3.1",)), "ab")
    assert body["filters"][1]["value"] == "2.3.1"
    digest = "sha256:" + "0" * 64
    with pytest.raises(RetryRefused, match="has no tag"):
        temporary_policy(original(), 1, FailedArtifacts("prod/api", (digest,)))


def test_failures_merge_per_repository() -> None:
    merged = merge(
        [
            FailedArtifacts("b/x", ("1",)),
            FailedArtifacts("a/y", ("2",)),
            FailedArtifacts("b/x", ("3", "1")),
        ]
    )
    assert merged == [FailedArtifacts("a/y", ("2",)), FailedArtifacts("b/x", ("1", "3"))]
    assert merge([FailedArtifacts("b/x", ("3",)), FailedArtifacts("b/x", ("1",))]) == [
        FailedArtifacts("b/x", ("1", "3"))
    ]


def test_deletion_tasks_are_refused() -> None:
    task = ReplicationTask.from_dict(
        {"id": 3, "operation": "deletion", "dst_resource": "mirror/nginx [1 item(s) in total]"}
    )
    with pytest.raises(RetryRefused, match="is a deletion"):
        check_task(task)


async def test_both_clients_plan_and_retry_alike(
    harbor: Harbor, simulator: HarborSimulator, unique: Callable[[str], str]
) -> None:
    location = await harbor.create_replication_policy(
        {
            "name": unique("retry"),
            "src_registry": {"id": 1},
            "dest_namespace": "retry",
            "filters": [{"type": "name", "value": "team/**"}],
            "enabled": True,
        }
    )
    execution_id = location_id(await harbor.start_replication(location_id(location)))
    await harbor.wait_for_replication(execution_id, poll_interval=0.02, settle=0)
    client = harbor.client
    if isinstance(client, AsyncReplicationClient):
        plan = await async_operations.plan_retry(client, execution_id, settle=0)
        run = await async_operations.retry_failed(
            client, execution_id, settle=0, poll_interval=0.02
        )
    else:
        assert isinstance(client, ReplicationClient)
        plan = operations.plan_retry(client, execution_id, settle=0)
        run = operations.retry_failed(client, execution_id, settle=0, poll_interval=0.02)
    assert plan.failed == (FailedArtifacts("team/fail-build", ("1.0", "2.0")),)
    assert run.status == "Failed"
    [final] = run.results.values()
    assert (final.total, final.failed) == (1, 1)  # one task per repository
    assert run.left_behind == []
    remaining = [p async for p in harbor.iter_replication_policies(name="retry-failed-")]
    assert [p for p in remaining if is_temporary(p)] == []
