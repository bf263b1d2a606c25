"""The failure digest: per policy, how its executions went and why their tasks failed.

Pure accumulation: the shells feed executions and diagnosed failed tasks one at a time
(logs are classified as they arrive and dropped), and :meth:`ReportBuilder.build` turns the
counters into a :class:`FailureReport`.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from harbor_replication._settle import failure_confirmed, is_skipped
from harbor_replication._task_log import Cause, Diagnosis
from harbor_replication_api.models import ReplicationExecution

# Repositories named per cause; the count says how many there were in all.
SHOWN_REPOSITORIES = 10


@dataclass
class CauseSummary:
    """Failed tasks of one policy with one cause."""

    cause: str
    count: int
    repositories: list[str]
    repository_count: int
    example: str


@dataclass
class PolicySummary:
    """One policy's executions in the window."""

    policy_id: int
    policy_name: str
    executions: int
    succeeded: int
    failed: int
    stopped: int
    skipped: int
    running: int
    success_rate: float | None
    duration_median: float | None
    duration_p95: float | None
    last_success: str | None
    failed_tasks: int
    causes: list[CauseSummary]


@dataclass
class FailureReport:
    """Everything ``report`` shows; ``to_dict()`` is what ``-o json|yaml`` prints."""

    since: str
    until: str
    policies: list[PolicySummary]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _CauseCounter:
    count: int = 0
    repositories: set[str] = field(default_factory=set)
    example: str = ""


@dataclass
class _PolicyCounter:
    executions: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    durations: list[float] = field(default_factory=list)
    last_success: datetime.datetime | None = None
    causes: dict[Cause, _CauseCounter] = field(default_factory=dict)


def _percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(math.ceil(share * len(sorted_values)), 1)
    return sorted_values[rank - 1]


def _time(value: object) -> datetime.datetime | None:
    return value if isinstance(value, datetime.datetime) else None


def outcome(execution: ReplicationExecution, now: datetime.datetime, settle: float) -> str:
    """How the report counts an execution: succeeded, failed, stopped, skipped or running.

    A ``Failed`` execution Harbor may still retry (docs/harbor-behaviour.md §30) is running.
    """
    status = execution.status
    if status == "Succeed":
        return "succeeded"
    if status == "Stopped":
        return "stopped"
    if status == "Failed":
        if is_skipped(execution):
            return "skipped"
        return "failed" if failure_confirmed(execution, now=now, settle=settle) else "running"
    return "running"


class ReportBuilder:
    """Counters for a report, fed one execution and one failed task at a time."""

    def __init__(self, since: datetime.datetime, until: datetime.datetime, settle: float) -> None:
        self.since = since
        self.until = until
        self.settle = settle
        self._policies: dict[int, _PolicyCounter] = {}

    def in_window(self, execution: ReplicationExecution) -> bool:
        started = _time(execution.start_time)
        return started is not None and started >= self.since

    def add_execution(self, execution: ReplicationExecution) -> str:
        """Count an execution; returns its outcome (its failed tasks matter if ``failed``)."""
        counter = self._policies.setdefault(int(execution.policy_id or 0), _PolicyCounter())
        counter.executions += 1
        result = outcome(execution, self.until, self.settle)
        counter.statuses[result] = counter.statuses.get(result, 0) + 1
        started, ended = _time(execution.start_time), _time(execution.end_time)
        if result in ("succeeded", "failed", "stopped") and started and ended:
            counter.durations.append((ended - started).total_seconds())
        if (
            result == "succeeded"
            and ended
            and (counter.last_success is None or ended > counter.last_success)
        ):
            counter.last_success = ended
        return result

    def add_failed_task(self, policy_id: int, repository: str, diagnosis: Diagnosis) -> None:
        counter = self._policies.setdefault(policy_id, _PolicyCounter())
        cause = counter.causes.setdefault(diagnosis.cause, _CauseCounter())
        cause.count += 1
        cause.repositories.add(repository)
        if not cause.example:
            cause.example = diagnosis.line

    def build(self, policy_names: Mapping[int, str]) -> FailureReport:
        summaries = []
        for policy_id, counter in sorted(self._policies.items()):
            statuses = counter.statuses
            finished = sum(statuses.get(k, 0) for k in ("succeeded", "failed", "stopped"))
            durations = sorted(counter.durations)
            causes = [
                CauseSummary(
                    cause=cause.value,
                    count=found.count,
                    repositories=sorted(found.repositories)[:SHOWN_REPOSITORIES],
                    repository_count=len(found.repositories),
                    example=found.example,
                )
                for cause, found in sorted(
                    counter.causes.items(), key=lambda item: (-item[1].count, item[0].value)
                )
            ]
            summaries.append(
                PolicySummary(
                    policy_id=policy_id,
                    policy_name=policy_names.get(policy_id, ""),
                    executions=counter.executions,
                    succeeded=statuses.get("succeeded", 0),
                    failed=statuses.get("failed", 0),
                    stopped=statuses.get("stopped", 0),
                    skipped=statuses.get("skipped", 0),
                    running=statuses.get("running", 0),
                    success_rate=(
                        round(statuses.get("succeeded", 0) / finished, 4) if finished else None
                    ),
                    duration_median=statistics.median(durations) if durations else None,
                    duration_p95=_percentile(durations, 0.95) if durations else None,
                    last_success=_iso(counter.last_success),
                    failed_tasks=sum(found.count for found in counter.causes.values()),
                    causes=causes,
                )
            )
        return FailureReport(_iso(self.since) or "", _iso(self.until) or "", summaries)


def _iso(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def parse_duration(text: str) -> datetime.timedelta:
    """``90s``, ``30m``, ``24h``, ``7d`` (or plain seconds) as a timedelta."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in units else "s"
    number = value[:-1] if value[-1:] in units else value
    try:
        amount = float(number)
    except ValueError:
        raise ValueError(f"not a duration: {text!r} (use e.g. 90s, 30m, 24h, 7d)") from None
    if amount <= 0 or not math.isfinite(amount):
        raise ValueError(f"a duration must be positive: {text!r}")
    return datetime.timedelta(seconds=amount * units[unit])
