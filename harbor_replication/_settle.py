"""When an execution's status is final: the settle rule shared by waiting, the CLI and monitoring.

Harbor's job service retries a failed replication task twice, after a backoff of up to 74 s
and then up to 118 s, so an execution can read ``Failed`` and later go back to
``InProgress`` and end ``Succeed`` (docs/harbor-behaviour.md §30). A ``Failed`` execution
is therefore final only once it has stayed failed, with no task pending or running, for
``settle`` seconds. A ``Failed`` execution without tasks (a single-active skip, §31, or a
flow that failed before creating tasks) has no job to retry and is final at once.

``DEFAULT_SETTLE`` is the longest a task can read ``Failed`` before the job service runs it
again, on a job service with a free worker (§30): the backoff after the second failure is
at most 118 s; the re-queue loop runs once a second on whole-second due times (up to 2 s);
an idle worker sleeps up to 5 s between polls of its queue. That is 125 s; 5 s more cover
the status hook's HTTP call and a loaded machine. A job service whose workers are all busy
can start the retry later still: no settle time covers that.

This module is pure (no I/O, no clock): callers pass the times in.
"""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harbor_replication_api.models import ReplicationExecution, ReplicationTask

DEFAULT_SETTLE = 130.0
SKIPPED_STATUS_TEXT = "Execution skipped: active replication still in progress."


def wall_time(epoch_seconds: float) -> datetime.datetime:
    """``time.time()`` as an aware UTC datetime, to compare with Harbor's end times."""
    return datetime.datetime.fromtimestamp(epoch_seconds, datetime.UTC)


def check_settle(settle: object) -> float:
    """Return ``settle`` if it is finite seconds >= 0, else raise ValueError."""
    if (
        isinstance(settle, bool)
        or not isinstance(settle, int | float)
        or not 0 <= settle < math.inf
    ):
        raise ValueError(f"settle must be seconds >= 0, got {settle!r}")
    return float(settle)


def is_skipped(execution: ReplicationExecution) -> bool:
    """A run of a single-active policy that Harbor skipped because another was running (§31)."""
    return execution.status == "Failed" and execution.status_text == SKIPPED_STATUS_TEXT


def never_retried(execution: ReplicationExecution) -> bool:
    """A ``Failed`` execution with no task, so no job Harbor could retry (§30, §31)."""
    return execution.status == "Failed" and (not execution.total or is_skipped(execution))


def may_be_retried(execution: ReplicationExecution) -> bool:
    """``Failed`` with failed tasks and none pending or running: a retry may still come (§30)."""
    return (
        execution.status == "Failed" and not never_retried(execution) and not execution.in_progress
    )


def _end(value: object) -> datetime.datetime | None:
    return value if isinstance(value, datetime.datetime) else None


def _older_than(end: datetime.datetime | None, now: datetime.datetime, settle: float) -> bool:
    return end is not None and (now - end).total_seconds() >= settle


def failure_confirmed(
    execution: ReplicationExecution, *, now: datetime.datetime, settle: float
) -> bool:
    """Whether a ``Failed`` execution has stayed failed long enough that Harbor will not retry.

    Judged from one snapshot (a report, an exporter): its end time must be ``settle``
    seconds before ``now``, a time in Harbor's clock or close to it. A poller that watches
    the execution uses :class:`FailureWatch` instead, which does not trust clocks to agree.
    An execution with a task pending or running again, or without an end time, is not
    confirmed; one without tasks is confirmed at once.
    """
    if execution.status != "Failed" or execution.in_progress:
        return False
    if never_retried(execution) or settle <= 0:
        return True
    return _older_than(_end(execution.end_time), now, settle)


class FailureWatch:
    """A poller's judge of when the execution (or task) it reads again and again is final.

    ``Succeed`` and ``Stopped`` are final when read. ``Failed`` is final once the poller
    has seen it failed, with the same end time and nothing pending or running, for
    ``settle`` seconds by its own monotonic clock (so a skew between this machine's clock
    and Harbor's cannot shorten the wait), or at once when its end time is already
    ``settle`` seconds old by the wall clock (a failure from long ago need not be waited
    out again; a wall clock ahead of Harbor's shortens that wait by the difference). A new
    end time means Harbor ran a task again between two reads: the count starts over.
    """

    def __init__(self, settle: float) -> None:
        self.settle = settle
        self._since: float | None = None
        self._end: datetime.datetime | None = None

    @property
    def confirming(self) -> bool:
        """Whether the last read was a failure still being confirmed."""
        return self._since is not None

    def execution_final(
        self, execution: ReplicationExecution, *, now: float, wall_now: datetime.datetime
    ) -> bool:
        """Whether ``execution``, read at monotonic ``now`` and wall time ``wall_now``, is final."""
        if execution.status == "Failed" and never_retried(execution):
            return self._done()
        if execution.status == "Failed" and execution.in_progress:
            # A task runs again; the execution's own status lags its tasks (§16).
            return self._not_failed()
        return self._judge(execution.status, execution.end_time, now, wall_now)

    def task_final(self, task: ReplicationTask, *, now: float, wall_now: datetime.datetime) -> bool:
        """Whether ``task`` has ended for good: as for executions, a failed one may be retried."""
        return self._judge(task.status, task.end_time, now, wall_now)

    def time_left(self, now: float, wall_now: datetime.datetime) -> float | None:
        """Seconds until the failure being confirmed is final; None when none is."""
        if self._since is None:
            return None
        left = self.settle - (now - self._since)
        if self._end is not None:
            left = min(left, self.settle - (wall_now - self._end).total_seconds())
        return max(left, 0.0)

    def _judge(
        self, status: object, end_time: object, now: float, wall_now: datetime.datetime
    ) -> bool:
        if status in ("Succeed", "Stopped"):
            return self._done()
        if status != "Failed":
            return self._not_failed()
        if self.settle <= 0:
            return self._done()
        end = _end(end_time)
        if self._since is None or end != self._end:
            self._since, self._end = now, end
        if _older_than(end, wall_now, self.settle) or now - self._since >= self.settle:
            return self._done()
        return False

    def _done(self) -> bool:
        self._since = None
        return True

    def _not_failed(self) -> bool:
        self._since = self._end = None
        return False
