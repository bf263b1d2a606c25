"""Fields Harbor leaves out (go-swagger's omitempty) come back as the zero value they mean."""

from harbor_replication._responses import parse_item
from harbor_replication.models import UNSET, ReplicationExecution, ReplicationPolicy


def test_a_pending_execution_without_status_has_the_empty_status() -> None:
    execution = parse_item({"id": 7, "policy_id": 2, "total": 0}, ReplicationExecution)
    assert execution.status == ""  # SEMANTICS 16: pending and scheduled executions
    assert (execution.succeed, execution.failed, execution.in_progress) == (0, 0, 0)
    assert execution.end_time is None


def test_a_disabled_policy_reads_enabled_false_and_keeps_absent_objects_unset() -> None:
    policy = parse_item(
        {"id": 3, "name": "p", "src_registry": {"id": 1, "name": "hub"}}, ReplicationPolicy
    )
    assert (policy.enabled, policy.deletion, policy.override) == (False, False, False)
    assert (policy.description, policy.filters) == ("", [])
    # Nullable fields are Go pointers, left out when nil.
    assert (policy.speed, policy.dest_namespace_replace_count) == (None, None)
    assert policy.dest_registry is UNSET
    assert policy.trigger is UNSET
    assert policy.to_dict()["src_registry"]["insecure"] is False
