"""The metric families a scrape gets, yielded from the exporter's last snapshot.

Nothing here talks to Harbor: :class:`SnapshotCollector` only reads the exporter's
current :class:`~._exporter.ExporterState`, which each refresh replaces whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from harbor_replication.exporter._exporter import ERROR_REASONS
from harbor_replication.exporter._snapshot import EXECUTION_STATUSES, TASK_COUNTERS, PolicyHealth

if TYPE_CHECKING:
    from harbor_replication.exporter._exporter import ReplicationExporter

PREFIX = "harbor_replication_"
POLICY_LABELS = ["policy_id", "policy_name"]


class SnapshotCollector(Collector):
    """Yields every family from the exporter's state at the moment of the scrape."""

    def __init__(self, exporter: ReplicationExporter) -> None:
        self.exporter = exporter

    def collect(self) -> Iterator[Metric]:
        state = self.exporter.state  # one read: a refresh may replace it meanwhile
        yield _gauge("up", "1 when the last refresh reached Harbor, else 0.", float(state.up))
        refreshes = CounterMetricFamily(
            PREFIX + "refreshes", "Refreshes of the snapshot attempted."
        )
        refreshes.add_metric([], state.refreshes)
        yield refreshes
        errors = CounterMetricFamily(
            PREFIX + "refresh_errors",
            "Refreshes that failed, by reason (timeout, connection, response, api, other).",
            labels=["reason"],
        )
        for reason in ERROR_REASONS:
            errors.add_metric([reason], state.errors[reason])
        yield errors
        if state.last_refresh_duration is not None:
            yield _gauge(
                "refresh_duration_seconds",
                "How long the last refresh took, failed or not.",
                state.last_refresh_duration,
            )
        if state.last_refresh_requests is not None:
            yield _gauge(
                "refresh_requests",
                "Requests the last refresh sent to Harbor (retries not counted).",
                state.last_refresh_requests,
            )
        snapshot = state.snapshot
        if snapshot is None:
            return
        yield _gauge(
            "snapshot_timestamp_seconds",
            "When the snapshot served was read from Harbor.",
            snapshot.taken_at,
        )
        yield _gauge(
            "snapshot_age_seconds",
            "Seconds since the snapshot served was read from Harbor.",
            max(self.exporter.clock() - snapshot.taken_at, 0.0),
        )
        yield from _policy_families(snapshot.policies)


def _policy_families(policies: tuple[PolicyHealth, ...]) -> Iterator[Metric]:
    enabled = _policy_gauge("policy_enabled", "1 when the policy is enabled, else 0.")
    status = _policy_gauge(
        "last_execution_status",
        "1 for the status of the policy's newest execution, 0 for the others; a Failed "
        "execution Harbor may still retry reads Retrying.",
        "status",
    )
    execution_id = _policy_gauge("last_execution_id", "ID of the policy's newest execution.")
    start = _policy_gauge(
        "last_execution_start_timestamp_seconds", "When the policy's newest execution started."
    )
    duration = _policy_gauge(
        "last_execution_duration_seconds",
        "How long the newest execution ran (so far, while it runs).",
    )
    tasks = _policy_gauge(
        "last_execution_tasks", "Tasks of the newest execution, by task status.", "status"
    )
    success = _policy_gauge(
        "last_success_timestamp_seconds",
        "When the policy's newest Succeed execution ended.",
    )
    for policy in policies:
        labels = [str(policy.policy_id), policy.policy_name]
        enabled.add_metric(labels, float(policy.enabled))
        if policy.last_success_time is not None:
            success.add_metric(labels, policy.last_success_time)
        if policy.status is None or policy.last_execution_id is None:
            continue
        for name in EXECUTION_STATUSES:
            status.add_metric([*labels, name], float(name == policy.status))
        execution_id.add_metric(labels, policy.last_execution_id)
        if policy.start_time is not None:
            start.add_metric(labels, policy.start_time)
        if policy.duration is not None:
            duration.add_metric(labels, policy.duration)
        for name in TASK_COUNTERS:
            if name in policy.tasks:
                tasks.add_metric([*labels, name], policy.tasks[name])
    yield from (enabled, status, execution_id, start, duration, tasks, success)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(PREFIX + name, documentation, value=value)


def _policy_gauge(name: str, documentation: str, *extra: str) -> GaugeMetricFamily:
    return GaugeMetricFamily(PREFIX + name, documentation, labels=[*POLICY_LABELS, *extra])


def registry_for(exporter: ReplicationExporter) -> CollectorRegistry:
    """A registry of its own holding the exporter's collector (and nothing of the process)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(exporter))
    return registry
