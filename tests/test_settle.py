"""The settle rule alone: when a read execution or task is final (docs/harbor-behaviour.md §30)."""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest

from harbor_replication._settle import (
    DEFAULT_SETTLE,
    SKIPPED_STATUS_TEXT,
    FailureWatch,
    check_settle,
    failure_confirmed,
    is_skipped,
    may_be_retried,
    never_retried,
)
from harbor_replication.models import ReplicationExecution, ReplicationTask

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


def execution(status: str, *, end: float | None = 0.0, **counts: Any) -> ReplicationExecution:
    """An execution of two tasks, one failed, ended at ``end`` seconds after T0."""
    fields = {"total": 2, "failed": 1, "succeed": 1, "in_progress": 0, **counts}
    return ReplicationExecution(
        id=1, status=status, end_time=None if end is None else at(end), **fields
    )


def test_default_settle_is_the_longest_retry_backoff_plus_pick_up_and_margin() -> None:
    # After the second failure: 2**4 + 15 + 29 * 3 = 118 s; re-queue 2 s; idle worker 5 s.
    longest_backoff = 2**4 + 15 + 29 * (2 + 1)
    assert longest_backoff == 118
    assert DEFAULT_SETTLE == longest_backoff + 2 + 5 + 5 == 130.0


@pytest.mark.parametrize("value", [0, 0.0, 5, 130.5])
def test_check_settle_takes_finite_seconds(value: float) -> None:
    assert check_settle(value) == float(value)


@pytest.mark.parametrize("value", [-1, -0.1, math.inf, math.nan, "5", None, True])
def test_check_settle_refuses_the_rest(value: object) -> None:
    with pytest.raises(ValueError, match="settle must be seconds >= 0"):
        check_settle(value)


def test_a_skipped_run_and_a_failure_without_tasks_are_never_retried() -> None:
    skipped = execution("Failed", total=0, failed=0, succeed=0, status_text=SKIPPED_STATUS_TEXT)
    no_tasks = execution("Failed", total=0, failed=0, succeed=0, status_text="registry down")
    with_tasks = execution("Failed")
    assert (is_skipped(skipped), is_skipped(no_tasks), is_skipped(with_tasks)) == (
        True,
        False,
        False,
    )
    assert (never_retried(skipped), never_retried(no_tasks), never_retried(with_tasks)) == (
        True,
        True,
        False,
    )
    assert may_be_retried(with_tasks) is True
    assert may_be_retried(execution("Failed", in_progress=1)) is False
    assert may_be_retried(execution("Succeed")) is False


def test_failure_confirmed_by_a_snapshot_counts_from_the_end_time() -> None:
    failed = execution("Failed", end=0)
    assert failure_confirmed(failed, now=at(129.9), settle=130) is False
    assert failure_confirmed(failed, now=at(130), settle=130) is True
    assert failure_confirmed(failed, now=at(0), settle=0) is True
    assert failure_confirmed(execution("Failed", end=None), now=at(1e6), settle=130) is False
    # A task runs again: the execution's own status lags it (§16).
    assert failure_confirmed(execution("Failed", in_progress=1), now=at(1e6), settle=1) is False
    assert failure_confirmed(execution("Succeed"), now=at(1e6), settle=1) is False
    skipped = execution("Failed", total=0, failed=0, succeed=0, status_text=SKIPPED_STATUS_TEXT)
    assert failure_confirmed(skipped, now=at(0), settle=130) is True


def test_watch_confirms_a_failure_after_settle_seconds_of_its_own_clock() -> None:
    watch = FailureWatch(130)
    wall = at(0)  # the wall clock stands still: only the watch's own count can end it
    assert watch.execution_final(execution("InProgress", end=None), now=0, wall_now=wall) is False
    assert (watch.confirming, watch.time_left(0, wall)) == (False, None)
    assert watch.execution_final(execution("Failed"), now=10, wall_now=wall) is False
    assert watch.confirming is True
    assert watch.time_left(10, wall) == 130
    assert watch.execution_final(execution("Failed"), now=139.9, wall_now=wall) is False
    assert watch.time_left(139.9, wall) == pytest.approx(0.1)
    assert watch.execution_final(execution("Failed"), now=140, wall_now=wall) is True
    assert watch.confirming is False


def test_watch_starts_over_when_a_task_runs_again() -> None:
    watch = FailureWatch(130)
    wall = at(0)
    assert watch.execution_final(execution("Failed", end=0), now=0, wall_now=wall) is False
    # The retry shows in the live counter before the execution's status catches up (§16).
    assert watch.execution_final(execution("Failed", in_progress=1), now=60, wall_now=wall) is False
    assert watch.confirming is False
    assert watch.execution_final(execution("InProgress", end=None), now=70, wall_now=wall) is False
    assert watch.execution_final(execution("Failed", end=80), now=100, wall_now=wall) is False
    assert watch.execution_final(execution("Failed", end=80), now=229, wall_now=wall) is False
    assert watch.execution_final(execution("Failed", end=80), now=230, wall_now=wall) is True


def test_watch_starts_over_when_the_end_time_moved_between_two_reads() -> None:
    # A retry ran and failed again between two reads: both reads say Failed.
    watch = FailureWatch(130)
    wall = at(0)
    assert watch.execution_final(execution("Failed", end=0), now=0, wall_now=wall) is False
    assert watch.execution_final(execution("Failed", end=90), now=120, wall_now=wall) is False
    assert watch.execution_final(execution("Failed", end=90), now=249, wall_now=wall) is False
    assert watch.execution_final(execution("Failed", end=90), now=250, wall_now=wall) is True


def test_watch_takes_an_old_failure_at_once() -> None:
    watch = FailureWatch(130)
    assert watch.execution_final(execution("Failed", end=0), now=5, wall_now=at(130)) is True
    watch = FailureWatch(130)
    assert watch.execution_final(execution("Failed", end=0), now=5, wall_now=at(100)) is False
    # What is left is the nearer of the two ends: 30 s by the end time, 130 s by the watch.
    assert watch.time_left(5, at(100)) == 30


@pytest.mark.parametrize(
    ("read", "final"),
    [
        (execution("Succeed"), True),
        (execution("Stopped"), True),
        (execution("Failed", total=0, failed=0, succeed=0, status_text=SKIPPED_STATUS_TEXT), True),
        (execution("Failed", total=0, failed=0, succeed=0, status_text="boom"), True),
        (execution("InProgress", end=None), False),
        (execution("", end=None), False),
        (execution("Failed"), False),
    ],
)
def test_watch_on_a_first_read(read: ReplicationExecution, final: bool) -> None:
    assert FailureWatch(130).execution_final(read, now=0, wall_now=at(0)) is final


def test_watch_with_settle_zero_takes_the_first_failure() -> None:
    assert FailureWatch(0).execution_final(execution("Failed"), now=0, wall_now=at(0)) is True


def test_watch_judges_tasks_alike() -> None:
    watch = FailureWatch(130)
    wall = at(0)

    def task(status: str, end: float | None) -> ReplicationTask:
        return ReplicationTask(id=7, status=status, end_time=None if end is None else at(end))

    assert watch.task_final(task("InProgress", None), now=0, wall_now=wall) is False
    assert watch.task_final(task("Failed", 0), now=1, wall_now=wall) is False
    assert watch.task_final(task("InProgress", None), now=20, wall_now=wall) is False
    assert watch.task_final(task("Failed", 30), now=31, wall_now=wall) is False
    assert watch.task_final(task("Failed", 30), now=161, wall_now=wall) is True
    assert FailureWatch(130).task_final(task("Succeed", 1), now=0, wall_now=wall) is True
