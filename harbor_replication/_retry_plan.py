"""Planning ``retry-failed``: which artifacts to copy again, and the temporary policies for them.

Pure: the async and blocking shells in ``async_operations.py`` / ``operations.py`` read
Harbor and hand the answers here. A Harbor policy has one name filter and one tag filter,
and Harbor matches name patterns component by component (doublestar v1), so a brace list
cannot span repositories: each repository gets a policy of its own, with its exact name
and a tag filter listing exactly its failed tags.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harbor_replication._task_log import FailedArtifacts
from harbor_replication_api.models import ReplicationExecution, ReplicationPolicy, ReplicationTask

# The marker of a temporary policy: its name starts with the prefix AND its description
# with the text below; a later run (or `retry-failed --cleanup`) removes such policies.
TEMPORARY_NAME_PREFIX = "retry-failed-"
TEMPORARY_DESCRIPTION = "harbor-replication retry-failed: temporary policy"
_DIGEST_PREFIX = "sha256:"


class RetryRefused(ValueError):
    """The failed part of an execution cannot be retried exactly; the message says why."""


def check_execution(execution: ReplicationExecution) -> None:
    """Refuse executions whose failures cannot be retried by a manual policy."""
    if execution.status not in ("Failed", "Stopped", "Succeed"):
        raise RetryRefused(
            f"execution {execution.id} is still running ({execution.status or 'InProgress'}): "
            "wait for it to end"
        )
    if execution.trigger == "event_based":
        raise RetryRefused(
            f"execution {execution.id} was triggered by an event: it copied (or deleted) what "
            "a push or deletion named, which a manual policy cannot reproduce exactly; "
            "push the artifacts again"
        )


def check_task(task: ReplicationTask) -> None:
    """Refuse tasks a copy cannot redo."""
    if task.operation == "deletion":
        raise RetryRefused(
            f"task {task.id} is a deletion ({task.dst_resource}): retry-failed only copies"
        )


def refused_log(task: ReplicationTask, reason: str) -> RetryRefused:
    return RetryRefused(
        f"task {task.id} ({task.src_resource}): cannot tell which artifacts failed: {reason}"
    )


def merge(failures: Sequence[FailedArtifacts]) -> list[FailedArtifacts]:
    """One entry per repository, repositories and references sorted (the logs are read
    concurrently, so the order they come in says nothing)."""
    merged: dict[str, set[str]] = {}
    for failure in failures:
        merged.setdefault(failure.repository, set()).update(failure.references)
    return [FailedArtifacts(repo, tuple(sorted(refs))) for repo, refs in sorted(merged.items())]


def _tag_pattern(references: Sequence[str]) -> str:
    return references[0] if len(references) == 1 else "{" + ",".join(references) + "}"


def temporary_policy(
    original: ReplicationPolicy,
    execution_id: int,
    failed: FailedArtifacts,
    suffix: str | None = None,
) -> dict[str, Any]:
    """The body of a manual policy that copies exactly ``failed`` the way ``original`` did.

    It keeps the original's registries, destination namespace and replace count, override,
    speed and copy-by-chunk; its only filters are the repository's exact name and its
    failed tags. Untagged artifacts (digests) cannot be selected by a filter: refused.
    """
    digests = [ref for ref in failed.references if ref.startswith(_DIGEST_PREFIX)]
    if digests:
        raise RetryRefused(
            f"{failed.repository}@{digests[0]} has no tag, and a policy filter selects "
            "artifacts by tag only"
        )
    suffix = suffix or secrets.token_hex(3)
    body: dict[str, Any] = {
        "name": f"{TEMPORARY_NAME_PREFIX}{execution_id}-{suffix}",
        "description": (
            f"{TEMPORARY_DESCRIPTION} retrying {failed.repository} from execution "
            f"{execution_id} of policy {original.id} ({original.name}); "
            "safe to delete when no retry-failed is running"
        ),
        "dest_namespace": original.dest_namespace or "",
        "dest_namespace_replace_count": _number(original.dest_namespace_replace_count, -1),
        "filters": [
            {"type": "name", "value": failed.repository},
            {"type": "tag", "value": _tag_pattern(failed.references), "decoration": "matches"},
        ],
        "trigger": {"type": "manual"},
        "enabled": True,
        "override": bool(original.override),
        "deletion": False,
        "replicate_deletion": False,
        "speed": _number(original.speed, 0),
        "copy_by_chunk": bool(original.copy_by_chunk),
    }
    for side in ("src_registry", "dest_registry"):
        registry = getattr(original, side, None)
        registry_id = getattr(registry, "id", None)
        if isinstance(registry_id, int) and registry_id > 0:
            body[side] = {"id": registry_id}
    return body


def _number(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def is_temporary(policy: ReplicationPolicy | Mapping[str, Any]) -> bool:
    """Whether a policy is one retry-failed made (both parts of the marker)."""
    if isinstance(policy, Mapping):
        name, description = policy.get("name"), policy.get("description")
    else:
        name, description = policy.name, policy.description
    return (
        isinstance(name, str)
        and name.startswith(TEMPORARY_NAME_PREFIX)
        and isinstance(description, str)
        and description.startswith(TEMPORARY_DESCRIPTION)
    )


@dataclass(frozen=True)
class RetryPlan:
    """What a retry will do: the execution it retries and one policy body per repository."""

    execution_id: int
    policy_id: int
    failed: tuple[FailedArtifacts, ...]
    policies: tuple[dict[str, Any], ...]

    @property
    def artifact_count(self) -> int:
        return sum(len(f.references) for f in self.failed)


@dataclass
class RetryRun:
    """How a retry went: per temporary policy, its execution and how that ended."""

    plan: RetryPlan
    # policy name -> execution id, for the ones that were started
    executions: dict[str, int]
    # execution id -> the final execution (with wait), else absent
    results: dict[int, ReplicationExecution]
    # names of temporary policies that could not be deleted (the next run removes them)
    left_behind: list[str]

    @property
    def status(self) -> str:
        """``Succeed`` when every execution succeeded, else the worst of them; ``""`` unknown."""
        statuses = {execution.status for execution in self.results.values()}
        if not self.results or len(self.results) < len(self.executions):
            return ""
        for worst in ("Failed", "Stopped"):
            if worst in statuses:
                return worst
        return "Succeed"
