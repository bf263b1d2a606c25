"""Following an execution to its end: a live bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import datetime as dt
import time
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

import click

from harbor_replication._settle import is_skipped, may_be_retried
from harbor_replication.cli._execution_tables import FAILED_TASK_COLUMNS, status_word
from harbor_replication.cli._output import console, emit_data, say, show, table
from harbor_replication.cli._session import ExitStatus, Session

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from harbor_replication.models import ReplicationExecution

EXIT_FOR_STATUS = {
    "Succeed": ExitStatus.SUCCEEDED,
    "Failed": ExitStatus.FAILED,
    "Stopped": ExitStatus.STOPPED,
}
SHOWN_FAILED_TASKS = 50


def _outcome_word(execution: ReplicationExecution) -> str:
    """The status to show: Harbor's, but ``Skipped`` for a skipped single-active run."""
    return "Skipped" if is_skipped(execution) else status_word(execution.status)


def _confirming(execution: ReplicationExecution, settle: float) -> bool:
    """Whether the wait is confirming this Failed status: Harbor may still retry a task."""
    return settle > 0 and may_be_retried(execution)


def _exit_status(execution: ReplicationExecution) -> int:
    if is_skipped(execution):
        return ExitStatus.SKIPPED
    return EXIT_FOR_STATUS.get(status_word(execution.status), ExitStatus.FAILED)


def _counts(execution: ReplicationExecution) -> dict[str, int]:
    return {
        "total": execution.total or 0,
        "succeed": execution.succeed or 0,
        "failed": execution.failed or 0,
        "in_progress": execution.in_progress or 0,
        "stopped": execution.stopped or 0,
    }


class _Reporter(Protocol):
    """Shows each execution read while waiting, with the seconds waited when it was read;
    entered for as long as the waiting lasts."""

    def __enter__(self) -> _Reporter: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def __call__(self, execution: ReplicationExecution, waited: float) -> None: ...


class _PlainProgress:
    """One line on stderr each time the status or a counter changes."""

    def __init__(self, execution_id: int, settle: float) -> None:
        self._execution_id = execution_id
        self._settle = settle
        self._last: tuple[object, ...] | None = None

    def __enter__(self) -> _PlainProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def __call__(self, execution: ReplicationExecution, waited: float) -> None:
        counts = _counts(execution)
        # The end time too: a task that failed again between two reads (§30) is news.
        state = (_outcome_word(execution), execution.end_time, *counts.values())
        if state == self._last:
            return
        self._last = state
        done = counts["succeed"] + counts["failed"] + counts["stopped"]
        click.echo(
            f"execution {self._execution_id}: {state[0]}, {done}/{counts['total']} tasks done "
            f"({counts['succeed']} succeeded, {counts['failed']} failed, "
            f"{counts['stopped']} stopped), {counts['in_progress']} in progress, "
            f"{waited:.1f}s",
            err=True,
        )
        if _confirming(execution, self._settle):
            click.echo(
                f"execution {self._execution_id}: confirming the failure for up to "
                f"{self._settle:g}s: Harbor may still retry a failed task (--settle 0: "
                "report it at once)",
                err=True,
            )


class _LiveProgress:
    """A rich progress bar on the terminal's stderr."""

    def __init__(self, execution_id: int, settle: float) -> None:
        self._settle = settle
        # Its elapsed-time column starts here, as the waiting begins.
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress: Progress = Progress(
            TextColumn("execution {task.fields[execution_id]} {task.fields[status]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "[green]{task.fields[succeed]} succeeded[/] [red]{task.fields[failed]} failed[/]"
                " [yellow]{task.fields[in_progress]} in progress[/]"
            ),
            TimeElapsedColumn(),
            console=console(stderr=True),
        )
        self._task: TaskID = self._progress.add_task(
            "replication",
            total=None,
            execution_id=execution_id,
            status="Pending",
            succeed=0,
            failed=0,
            in_progress=0,
        )

    def __enter__(self) -> _LiveProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def __call__(self, execution: ReplicationExecution, waited: float) -> None:
        counts = _counts(execution)
        self._progress.update(
            self._task,
            total=counts["total"] or None,
            completed=counts["succeed"] + counts["failed"] + counts["stopped"],
            status=(
                f"Failed, confirming ≤{self._settle:g}s"
                if _confirming(execution, self._settle)
                else _outcome_word(execution)
            ),
            succeed=counts["succeed"],
            failed=counts["failed"],
            in_progress=counts["in_progress"],
            # Drawn as each read comes, not at the next tick: a read is news.
            refresh=True,
        )


def _ran(execution: ReplicationExecution) -> str:
    """How long the execution ran, from Harbor's own times, once it has ended."""
    start, end = execution.start_time, execution.end_time
    if not isinstance(start, dt.datetime) or not isinstance(end, dt.datetime):
        return ""
    return f" after running {(end - start).total_seconds():.1f}s"


def _summary(
    session: Session, execution_id: int, execution: ReplicationExecution, waited: float
) -> None:
    counts = _counts(execution)
    say(
        session,
        f"Execution {execution_id} of policy {execution.policy_id}: "
        f"{_outcome_word(execution)}{_ran(execution)}, waited {waited:.1f}s. "
        f"{counts['total']} tasks: "
        f"{counts['succeed']} succeeded, {counts['failed']} failed, "
        f"{counts['stopped']} stopped, {counts['in_progress']} in progress.",
    )
    if execution.status_text:
        say(session, f"Harbor says: {execution.status_text}")
    if not counts["failed"]:
        return
    failed = session.client().get_replication_tasks(
        execution_id, status="Failed", page_size=SHOWN_FAILED_TASKS, limit=SHOWN_FAILED_TASKS
    )
    title = f"Failed tasks ({counts['failed']}):"
    rows = (task.to_dict() for task in failed)
    show(table(FAILED_TASK_COLUMNS, rows, title), stderr=session.machine_output)
    say(session, f"Read a task's log: harbor-replication log {execution_id} TASK_ID")


def follow(
    session: Session,
    execution_id: int,
    timeout: float | None,
    poll_interval: float,
    settle: float,
    *,
    stopping: bool = False,
) -> int:
    """Wait for the execution to end, showing progress; print a summary; return the exit status.

    A Failed status counts once it has lasted ``settle`` seconds (docs/harbor-behaviour.md
    §30); a skipped single-active run at once (§31). ``stopping``: a stop was asked for, so
    the messages do not suggest asking again.
    """
    from harbor_replication import WaitTimeoutError
    from harbor_replication._settle import failure_confirmed, wall_time

    client = session.client()
    # One clock for the progress lines and the summary: seconds since the waiting began,
    # taken as each execution is read, so the summary's time is the last line's.
    started = time.monotonic()
    waited = 0.0
    reporter: _Reporter = (
        _LiveProgress(execution_id, settle)
        if console(stderr=True).is_terminal
        else _PlainProgress(execution_id, settle)
    )

    def on_progress(read: ReplicationExecution) -> None:
        nonlocal waited
        waited = time.monotonic() - started
        reporter(read, waited)

    goes_on = (
        f"is being stopped (see: harbor-replication executions show {execution_id})"
        if stopping
        else f"goes on (stop it with: harbor-replication stop {execution_id})"
    )
    timed_out: WaitTimeoutError | None = None
    try:
        with reporter:
            try:
                execution = client.wait_for_replication(
                    execution_id,
                    timeout=timeout,
                    poll_interval=poll_interval,
                    on_progress=on_progress,
                    settle=settle,
                )
            except WaitTimeoutError as exc:
                timed_out = exc
                # Where it stands now: it may have ended since the last poll.
                execution = client.get_replication(execution_id)
                on_progress(execution)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted; execution {execution_id} {goes_on}", err=True)
        return ExitStatus.INTERRUPTED
    _report(session, execution_id, execution, waited)
    if (
        timed_out is None
        or execution.status in ("Succeed", "Stopped")
        or failure_confirmed(execution, now=wall_time(time.time()), settle=settle)
    ):
        return _exit_status(execution)
    click.echo(f"harbor-replication: {timed_out}; execution {execution_id} {goes_on}", err=True)
    return ExitStatus.TIMED_OUT


def _report(
    session: Session, execution_id: int, execution: ReplicationExecution, waited: float
) -> None:
    if session.machine_output:
        emit_data(session, execution.to_dict())
    _summary(session, execution_id, execution, waited)
