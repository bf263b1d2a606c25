"""When an execution's status is final: the settle rule shared by waiting, the CLI and monitoring.

Harbor's job service retries a failed replication job (three failures allowed), so an
execution can read ``Failed`` and later go back to ``InProgress`` (docs/harbor-behaviour.md
§30). A ``Failed`` execution counts as final once it has been failed for ``settle`` seconds;
a skipped single-active run is final at once (§31).
"""

from __future__ import annotations

import datetime

from harbor_replication_api.models import ReplicationExecution

# Placeholder bound, refined from the job service's backoff in docs/harbor-behaviour.md §30.
DEFAULT_SETTLE = 130.0
SKIPPED_STATUS_TEXT = "Execution skipped: active replication still in progress."


def is_skipped(execution: ReplicationExecution) -> bool:
    """A run of a single-active policy that Harbor skipped because another was running."""
    return execution.status == "Failed" and execution.status_text == SKIPPED_STATUS_TEXT


def failure_confirmed(
    execution: ReplicationExecution, *, now: datetime.datetime, settle: float
) -> bool:
    """Whether a ``Failed`` execution has stayed failed long enough that Harbor will not retry.

    Judged from the execution's own end time, for callers that see one snapshot (a report,
    an exporter); a poller that watches the execution can count from when it first saw it
    failed instead. An execution without an end time is not confirmed.
    """
    if execution.status != "Failed":
        return False
    if is_skipped(execution) or settle <= 0:
        return True
    end = execution.end_time
    if not isinstance(end, datetime.datetime):
        return False
    return (now - end).total_seconds() >= settle
