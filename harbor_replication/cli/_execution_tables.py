"""How executions and tasks show in tables: in the listings and in the summary after a wait."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harbor_replication.cli._output import Column

if TYPE_CHECKING:
    from harbor_replication.models import Unset


def status_word(status: str | Unset | None) -> str:
    """An execution's status, with the empty status of a pending execution spelled out."""
    return status or "Pending"


EXECUTION_COLUMNS: list[Column] = [
    ("ID", lambda r: r.get("id")),
    ("POLICY", lambda r: r.get("policy_id")),
    ("STATUS", lambda r: status_word(r.get("status"))),
    ("TRIGGER", lambda r: r.get("trigger")),
    ("TOTAL", lambda r: r.get("total")),
    ("SUCCEEDED", lambda r: r.get("succeed")),
    ("FAILED", lambda r: r.get("failed")),
    ("IN PROGRESS", lambda r: r.get("in_progress")),
    ("STOPPED", lambda r: r.get("stopped")),
    ("STARTED", lambda r: r.get("start_time")),
    ("ENDED", lambda r: r.get("end_time")),
]
TASK_COLUMNS: list[Column] = [
    ("ID", lambda r: r.get("id")),
    ("STATUS", lambda r: r.get("status")),
    ("TYPE", lambda r: r.get("resource_type")),
    ("OPERATION", lambda r: r.get("operation")),
    ("SOURCE", lambda r: r.get("src_resource")),
    ("DESTINATION", lambda r: r.get("dst_resource")),
    ("STARTED", lambda r: r.get("start_time")),
    ("ENDED", lambda r: r.get("end_time")),
]
# The summary's table of failed tasks leaves out what they all share.
FAILED_TASK_COLUMNS = [
    column for column in TASK_COLUMNS if column[0] not in ("STATUS", "OPERATION", "STARTED")
]
