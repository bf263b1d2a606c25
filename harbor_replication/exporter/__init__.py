"""A Prometheus exporter for Harbor replication health, with alert rules and a dashboard.

Needs the ``exporter`` extra: ``pip install harbor-replication[exporter]``. See
docs/monitoring.md for the metrics, the rules and what a refresh costs.

>>> from harbor_replication import AsyncReplicationClient
>>> from harbor_replication.exporter import ReplicationExporter
>>> async with AsyncReplicationClient("https://harbor.example.com") as client:
...     exporter = ReplicationExporter(client, interval=60)
...     async with exporter.serve_http("127.0.0.1", 9468):
...         await exporter.run()
"""

from harbor_replication.exporter._exporter import (
    DEFAULT_INTERVAL,
    ERROR_REASONS,
    ExporterState,
    ReplicationExporter,
)
from harbor_replication.exporter._files import DEFAULT_NO_SUCCESS_FOR, alert_rules, dashboard
from harbor_replication.exporter._snapshot import (
    EXECUTION_STATUSES,
    RETRYING,
    SKIPPED,
    TASK_COUNTERS,
    PolicyHealth,
    Snapshot,
)

__all__ = [
    "DEFAULT_INTERVAL",
    "DEFAULT_NO_SUCCESS_FOR",
    "ERROR_REASONS",
    "EXECUTION_STATUSES",
    "RETRYING",
    "SKIPPED",
    "TASK_COUNTERS",
    "ExporterState",
    "PolicyHealth",
    "ReplicationExporter",
    "Snapshot",
    "alert_rules",
    "dashboard",
]
