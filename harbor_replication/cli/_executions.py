"""Executions: list and show them, start and stop them, their tasks and the tasks' logs."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import click

from harbor_replication._constants import (
    EXECUTION_STATUSES,
    MAX_PAGE_SIZE,
    TASK_STATUSES,
    TRIGGER_TYPES,
)
from harbor_replication._settle import DEFAULT_SETTLE
from harbor_replication.cli._execution_tables import EXECUTION_COLUMNS, TASK_COLUMNS
from harbor_replication.cli._listing import paging_options
from harbor_replication.cli._output import details, emit, emit_list, report, say, table
from harbor_replication.cli._progress import EXIT_FOR_STATUS, follow
from harbor_replication.cli._session import (
    CommandError,
    ExitStatus,
    Session,
    api_error_line,
    command_error,
    interrupted,
    pass_session,
    usage_error,
)

if TYPE_CHECKING:
    from harbor_replication import ReplicationClient
    from harbor_replication.models import ReplicationTask


execution_id_argument = click.argument("execution_id", type=click.IntRange(min=1))
poll_option = click.option(
    "--poll-interval",
    type=click.FloatRange(min=0.01),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="how often to ask Harbor",
)
timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="stop waiting after this long (exit status 3); implies --wait",
)


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds", ctx, param)
    return value


settle_option = click.option(
    "--settle",
    type=click.FloatRange(min=0),
    callback=_finite,
    default=DEFAULT_SETTLE,
    show_default=True,
    metavar="SECONDS",
    help=(
        "believe a Failed status only once it has lasted this long: Harbor retries a failed "
        "task after up to 118 s, so a real failure is reported up to this much later "
        "(0: at once)"
    ),
)


@click.group()
def executions() -> None:
    """Replication executions: one run of a policy each."""


@executions.command("list")
@click.option(
    "--policy", "policy_id", type=click.IntRange(min=1), metavar="ID", help="only this policy's"
)
@click.option("--status", type=click.Choice(EXECUTION_STATUSES, case_sensitive=False))
@click.option("--trigger", type=click.Choice(TRIGGER_TYPES, case_sensitive=False))
@paging_options
@pass_session
def list_executions(
    session: Session,
    policy_id: int | None,
    status: str | None,
    trigger: str | None,
    sort: str | None,
    limit: int | None,
    page_size: int,
) -> None:
    """List executions, of all policies or of one."""
    found = session.client().get_replications(
        sort, policy_id, status, trigger, page_size=page_size, limit=limit
    )
    emit_list(
        session, found, lambda: table(EXECUTION_COLUMNS, (e.to_dict() for e in found)), "executions"
    )


@executions.command("show")
@execution_id_argument
@pass_session
def show_execution(session: Session, execution_id: int) -> None:
    """Show one execution: status, counters, times."""
    execution = session.client().get_replication(execution_id)
    emit(session, execution, lambda: details(execution.to_dict()))


@click.command()
@click.argument("policy_id", type=click.IntRange(min=1))
@click.option("--wait", is_flag=True, help="follow the execution to its end")
@timeout_option
@poll_option
@settle_option
@pass_session
@click.pass_context
def start(
    ctx: click.Context,
    session: Session,
    policy_id: int,
    wait: bool,
    timeout: float | None,
    poll_interval: float,
    settle: float,
) -> None:
    """Start a replication of a policy.

    With --wait, show its progress (a live bar on a terminal, plain lines on stderr
    otherwise) and a summary with the failed tasks, and exit with its outcome: 0
    succeeded, 1 failed, 2 stopped, 3 timed out, 6 skipped (its policy allows one active
    run and another was running). Harbor retries a failed task, so a Failed execution
    is reported only once it has stayed failed for --settle seconds.
    """
    from harbor_replication import location_id

    client = session.client()
    execution_id = location_id(_start(session, policy_id))
    if wait or timeout is not None:
        say(session, f"Started execution {execution_id} of policy {policy_id}.")
        ctx.exit(follow(session, execution_id, timeout, poll_interval, settle))
    report(
        session,
        lambda: client.get_replication(execution_id),
        f"Started execution {execution_id} of policy {policy_id}.",
        f"Follow it: harbor-replication executions show {execution_id}",
    )


def _start(session: Session, policy_id: int) -> str:
    """Start the policy; a failure says what to do next."""
    from harbor_replication import HarborConnectionError, PreconditionFailedError, ServerError

    check = f"check with: harbor-replication executions list --policy {policy_id}"
    try:
        return session.client().start_replication(policy_id)
    except KeyboardInterrupt:
        raise interrupted(
            f"interrupted; the execution may or may not have started: {check}"
        ) from None
    except PreconditionFailedError as exc:
        # Harbor's only 412 to a start: the policy is disabled (docs/harbor-behaviour.md §14).
        raise CommandError(
            f"{api_error_line(exc)}; enable the policy with: "
            f"harbor-replication policies update {policy_id} --enabled"
        ) from exc
    except (ServerError, HarborConnectionError) as exc:
        error = command_error(exc, session)
        # A proxy's 502-504 or a lost answer may come after Harbor started it.
        if error is None or (isinstance(exc, ServerError) and exc.status_code < 502):
            raise
        raise CommandError(
            f"{error.message}; the execution may or may not have started: {check}"
        ) from exc


@click.command()
@click.argument("execution_id", type=click.IntRange(min=1), required=False)
@click.option("--wait", is_flag=True, help="wait until it has ended")
@timeout_option
@poll_option
@settle_option
@click.option("--all", "every", is_flag=True, help="every running execution (asks first)")
@click.option(
    "--policy",
    "policy_id",
    type=click.IntRange(min=1),
    metavar="ID",
    help="with --all: only this policy's",
)
@click.option("-y", "--yes", is_flag=True, help="with --all: do not ask for confirmation")
@click.option("--dry-run", is_flag=True, help="with --all: list what would be stopped")
@pass_session
@click.pass_context
def stop(
    ctx: click.Context,
    session: Session,
    execution_id: int | None,
    wait: bool,
    timeout: float | None,
    poll_interval: float,
    settle: float,
    every: bool,
    policy_id: int | None,
    yes: bool,
    dry_run: bool,
) -> None:
    """Ask Harbor to stop an execution; it ends a little later.

    With --wait, exit with how it ended: 2 stopped (0 or 1 if it finished first). A task
    that had failed and waits for Harbor's retry is not stopped by Harbor: the execution
    then reads Failed and may run again, so Failed is confirmed for --settle seconds.
    With --all (and --policy), stop every running execution, reporting each (exit 5 if
    any stop failed).
    """
    if every != (execution_id is None):
        raise usage_error("give an EXECUTION_ID or --all")
    if execution_id is None:
        from harbor_replication.cli._operations import stop_all

        ctx.exit(stop_all(session, policy_id, yes, dry_run))
    client = session.client()
    client.stop_replication(execution_id)
    if wait or timeout is not None:
        say(session, f"Stopping execution {execution_id}.")
        ctx.exit(follow(session, execution_id, timeout, poll_interval, settle, stopping=True))
    report(
        session,
        lambda: client.get_replication(execution_id),
        f"Asked Harbor to stop execution {execution_id}.",
    )


@click.command()
@execution_id_argument
@click.option("--status", type=click.Choice(TASK_STATUSES, case_sensitive=False))
@click.option("--resource-type", metavar="TYPE", help="image, artifact, chart, ...")
@paging_options
@pass_session
def tasks(
    session: Session,
    execution_id: int,
    status: str | None,
    resource_type: str | None,
    sort: str | None,
    limit: int | None,
    page_size: int,
) -> None:
    """List an execution's tasks, one per source repository."""
    found = session.client().get_replication_tasks(
        execution_id, status, resource_type, sort, page_size=page_size, limit=limit
    )
    emit_list(session, found, lambda: table(TASK_COLUMNS, (t.to_dict() for t in found)), "tasks")


def _task_now(client: ReplicationClient, execution_id: int, task_id: int) -> ReplicationTask | None:
    """The task as it stands, None if the execution has no such task.

    Harbor has no GET for one task. Newest start first, the running tasks (as many as the
    job service has workers) come before the merely scheduled ones, which have no start
    time yet: a running task is found within a page or two.
    """
    in_progress = client.iter_replication_tasks(
        execution_id, status="InProgress", sort="-start_time", page_size=MAX_PAGE_SIZE
    )
    for task in in_progress:
        if task.id == task_id:
            return task
        if not task.start_time:
            break
    # Not seen running; but tasks ending between two page reads move the later pages
    # forward, past a running task. All the tasks by id is a list that only grows at its
    # end: its pages do not move, so it tells for sure.
    for task in client.iter_replication_tasks(execution_id, sort="id", page_size=MAX_PAGE_SIZE):
        if task.id == task_id:
            return task
    return None


class _LogPrinter:
    """Prints what a task's log has gained since the last read.

    Harbor rewrites a task's log from its first byte when it runs the task again
    (docs/harbor-behaviour.md §19, §30): a log that no longer starts with what was printed
    is printed again whole, after a note on stderr.
    """

    def __init__(self, client: ReplicationClient, execution_id: int, task_id: int) -> None:
        self._client, self._execution_id, self._task_id = client, execution_id, task_id
        self._shown = ""

    def __call__(self) -> tuple[str, bool]:
        """Read the log and print what is new; return the log and whether it grew."""
        text = self._client.get_replication_task_log(self._execution_id, self._task_id)
        if text.startswith(self._shown):
            new = text[len(self._shown) :]
        elif self._shown.startswith(text):
            new = ""  # read shorter than before: nothing new
        else:
            click.echo(
                "harbor-replication: the log starts over: Harbor runs the task again", err=True
            )
            new = text
        click.echo(new, nl=False)
        if new:
            self._shown = text
        return text, bool(new)


@click.command()
@execution_id_argument
@click.argument("task_id", type=click.IntRange(min=1))
@click.option(
    "-f", "--follow", "keep_following", is_flag=True, help="print new lines until the task ends"
)
@poll_option
@settle_option
@pass_session
@click.pass_context
def log(
    ctx: click.Context,
    session: Session,
    execution_id: int,
    task_id: int,
    keep_following: bool,
    poll_interval: float,
    settle: float,
) -> None:
    """Print a task's log (plain text in every output format).

    With --follow, exit with the task's outcome: 0 succeeded, 1 failed, 2 stopped. A task
    that failed is followed for --settle seconds more, as Harbor may run it again (and
    then rewrites its log from the start).
    """
    from harbor_replication._settle import FailureWatch, wall_time

    client = session.client()
    print_new_lines = _LogPrinter(client, execution_id, task_id)
    execution_watch, task_watch = FailureWatch(settle), FailureWatch(settle)
    told = False

    while True:
        # Asked before the log: once the execution has ended, this log is the whole log.
        execution_ended = keep_following and execution_watch.execution_final(
            client.get_replication(execution_id),
            now=time.monotonic(),
            wall_now=wall_time(time.time()),
        )
        text, grew = print_new_lines()
        if not keep_following:
            return
        if execution_ended:
            task = _task_now(client, execution_id, task_id)
            break
        # A task with a log has started; once the log stands still, ask whether it has ended.
        # (Without a log it may still be pending: the execution's end is what ends it then.)
        if text and not grew:
            task = _task_now(client, execution_id, task_id)
            now, wall_now = time.monotonic(), wall_time(time.time())
            if task is None or task_watch.task_final(task, now=now, wall_now=wall_now):
                # It may have ended after the log above was read: its last lines are written now.
                print_new_lines()
                break
            if task_watch.confirming and not told:
                click.echo(
                    f"harbor-replication: task {task_id} failed; following it for up to "
                    f"{settle:g}s more, as Harbor may still run it again (--settle 0: stop now)",
                    err=True,
                )
            told = task_watch.confirming
        time.sleep(poll_interval)
    status = str(task.status) if task is not None else ""
    exit_status = EXIT_FOR_STATUS.get(status, ExitStatus.SUCCEEDED)
    if exit_status != ExitStatus.SUCCEEDED:
        click.echo(f"harbor-replication: task {task_id} {status}", err=True)
    ctx.exit(exit_status)
