"""What one refresh of the exporter knows, and how it is worked out (pure, no I/O).

:class:`ExecutionSearch` is fed Harbor's executions newest first and says when every
policy is accounted for, or when reading the remaining policies one by one is cheaper
than walking on. :func:`policy_health` turns what was found into one policy's values.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from harbor_replication._settle import failure_confirmed, is_skipped
from harbor_replication_api.models import ReplicationExecution, ReplicationPolicy

RETRYING = "Retrying"
"""A ``Failed`` execution Harbor may still retry: failed less than ``settle`` seconds ago."""
SKIPPED = "Skipped"
"""A run of a single-active policy that Harbor skipped because another was running."""
EXECUTION_STATUSES = ("InProgress", "Succeed", "Failed", "Stopped", RETRYING, SKIPPED)
"""Every value of the ``status`` label of ``harbor_replication_last_execution_status``."""
# The execution's task counters, by the task status they count.
TASK_COUNTERS = {
    "Succeed": "succeed",
    "Failed": "failed",
    "InProgress": "in_progress",
    "Stopped": "stopped",
}


@dataclass(frozen=True)
class PolicyHealth:
    """One policy's values in a snapshot; ``None`` where Harbor has nothing to say."""

    policy_id: int
    policy_name: str
    enabled: bool
    last_execution_id: int | None = None
    status: str | None = None
    """One of :data:`EXECUTION_STATUSES`; None for a policy that never ran."""
    start_time: float | None = None
    duration: float | None = None
    """End minus start; for a running execution, the time it has run so far."""
    tasks: Mapping[str, int] = field(default_factory=dict)
    last_success_id: int | None = None
    last_success_time: float | None = None
    """End time of the newest ``Succeed`` execution."""


@dataclass(frozen=True)
class Snapshot:
    """Every policy's health at ``taken_at`` (seconds since the epoch)."""

    taken_at: float
    policies: tuple[PolicyHealth, ...]


class ExecutionSearch:
    """Each policy's newest execution and newest success, from executions seen newest first.

    A policy is accounted for once its newest execution is seen and its last success is
    known: a ``Succeed`` execution was seen, or the walk reached an execution the previous
    snapshot had already seen (so no newer success can be hidden further down, and the
    previous one stands).
    """

    def __init__(self, policy_ids: Iterable[int], previous: Snapshot | None = None) -> None:
        self.newest: dict[int, ReplicationExecution] = {}
        self.success: dict[int, ReplicationExecution | None] = {}
        self._known = set(policy_ids)
        self._previous = {
            p.policy_id: p
            for p in (previous.policies if previous else ())
            if p.last_execution_id is not None
        }
        self._unresolved = set(self._known)

    @property
    def unresolved(self) -> frozenset[int]:
        """Policies not yet accounted for."""
        return frozenset(self._unresolved)

    @property
    def missing_newest(self) -> frozenset[int]:
        return frozenset(self._known - self.newest.keys())

    @property
    def missing_success(self) -> frozenset[int]:
        """Policies whose newest execution is known but whose last success is not."""
        return frozenset(self._unresolved & self.newest.keys())

    def take(self, execution: ReplicationExecution) -> None:
        """One more execution, older than (or as old as) every one taken before."""
        policy_id = execution.policy_id
        if not isinstance(policy_id, int) or policy_id not in self._unresolved:
            return
        self.newest.setdefault(policy_id, execution)
        if execution.status == "Succeed":
            self.success[policy_id] = execution
        elif self._seen_before(policy_id, execution):
            self.success[policy_id] = None  # the previous snapshot's success stands
        if policy_id in self.success:
            self._unresolved.discard(policy_id)

    def take_newest(self, policy_id: int, execution: ReplicationExecution | None) -> None:
        """The answer of a read of one policy's newest execution (None: it never ran)."""
        if execution is None:
            self.success[policy_id] = None
            self._unresolved.discard(policy_id)
        else:
            self.take(execution)

    def take_success(self, policy_id: int, execution: ReplicationExecution | None) -> None:
        """The answer of a read of one policy's newest ``Succeed`` execution."""
        self.success[policy_id] = execution
        self._unresolved.discard(policy_id)

    def history_ended(self) -> None:
        """The walk read Harbor's last execution: a policy not seen never ran, and one
        without a success seen never succeeded (in the history Harbor keeps)."""
        for policy_id in self._unresolved:
            self.success.setdefault(policy_id, None)
        self._unresolved.clear()

    def walk_on(self, pages_read: int) -> bool:
        """Whether to read another page rather than the unresolved policies one by one.

        Walking stops once it has cost as many requests as the reads it could still
        save, so a refresh costs at most about twice the cheaper of the two ways.
        """
        return bool(self._unresolved) and pages_read < len(self._unresolved)

    def _seen_before(self, policy_id: int, execution: ReplicationExecution) -> bool:
        before = self._previous.get(policy_id)
        return (
            before is not None
            and before.last_execution_id is not None
            and isinstance(execution.id, int)
            and execution.id <= before.last_execution_id
        )

    def health(
        self,
        policies: Iterable[ReplicationPolicy],
        previous: Snapshot | None,
        now: float,
        settle: float,
    ) -> Snapshot:
        """The snapshot at ``now`` once the search is over."""
        result = []
        before = {p.policy_id: p for p in (previous.policies if previous else ())}
        for policy in policies:
            if not isinstance(policy.id, int):
                continue
            result.append(
                policy_health(
                    policy,
                    self.newest.get(policy.id),
                    self.success.get(policy.id),
                    before.get(policy.id),
                    now=now,
                    settle=settle,
                )
            )
        return Snapshot(now, tuple(result))


def _seconds(moment: object) -> float | None:
    return moment.timestamp() if isinstance(moment, datetime.datetime) else None


def execution_status(execution: ReplicationExecution, *, now: float, settle: float) -> str:
    """The status reported for ``execution``: Harbor's, with the settle rule applied."""
    if is_skipped(execution):
        return SKIPPED
    status = execution.status if isinstance(execution.status, str) else "InProgress"
    if status == "Failed":
        moment = datetime.datetime.fromtimestamp(now, datetime.UTC)
        if not failure_confirmed(execution, now=moment, settle=settle):
            return RETRYING
    return status


def policy_health(
    policy: ReplicationPolicy,
    newest: ReplicationExecution | None,
    success: ReplicationExecution | None,
    before: PolicyHealth | None,
    *,
    now: float,
    settle: float,
) -> PolicyHealth:
    """One policy's values; ``before`` (the previous snapshot's) supplies a last success
    the search did not need to read again."""
    assert isinstance(policy.id, int)
    name = policy.name if isinstance(policy.name, str) else ""
    enabled = policy.enabled is True
    success_id: int | None = None
    success_time: float | None = None
    if success is None and before is not None and before.last_success_id is not None:
        success_id, success_time = before.last_success_id, before.last_success_time
    elif success is not None and isinstance(success.id, int):
        success_id, success_time = success.id, _seconds(success.end_time)
    if newest is None or not isinstance(newest.id, int):
        return PolicyHealth(
            policy.id,
            name,
            enabled,
            last_success_id=success_id,
            last_success_time=success_time,
        )
    start = _seconds(newest.start_time)
    end = _seconds(newest.end_time)
    status = execution_status(newest, now=now, settle=settle)
    duration = None
    if start is not None:
        duration = max((now if status == "InProgress" or end is None else end) - start, 0.0)
    tasks = {
        label: value
        for label, counter in TASK_COUNTERS.items()
        if isinstance(value := getattr(newest, counter), int)
    }
    return PolicyHealth(
        policy.id,
        name,
        enabled,
        newest.id,
        status,
        start,
        duration,
        tasks,
        success_id,
        success_time,
    )
