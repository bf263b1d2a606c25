"""Executions: list and show them, start and stop them, their tasks and the tasks' logs."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

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
)

if TYPE_CHECKING:
    from harbor_replication import ReplicationClient

EXECUTION_STATUSES = ["InProgress", "Succeed", "Failed", "Stopped"]
TASK_STATUSES = ["Pending", "InProgress", "Succeed", "Failed", "Stopped"]

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


@click.group()
def executions() -> None:
    """Replication executions: one run of a policy each."""


@executions.command("list")
@click.option(
    "--policy", "policy_id", type=click.IntRange(min=1), metavar="ID", help="only this policy's"
)
@click.option("--status", type=click.Choice(EXECUTION_STATUSES, case_sensitive=False))
@click.option(
    "--trigger", type=click.Choice(["manual", "scheduled", "event_based"], case_sensitive=False)
)
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
@pass_session
@click.pass_context
def start(
    ctx: click.Context,
    session: Session,
    policy_id: int,
    wait: bool,
    timeout: float | None,
    poll_interval: float,
) -> None:
    """Start a replication of a policy.

    With --wait, show its progress (a live bar on a terminal, plain lines on stderr
    otherwise) and a summary with the failed tasks, and exit with its outcome: 0
    succeeded, 1 failed, 2 stopped, 3 timed out.
    """
    from harbor_replication import location_id

    client = session.client()
    execution_id = location_id(_start(session, policy_id))
    if wait or timeout is not None:
        say(session, f"Started execution {execution_id} of policy {policy_id}.")
        ctx.exit(follow(session, execution_id, timeout, poll_interval))
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
@execution_id_argument
@click.option("--wait", is_flag=True, help="wait until it has ended")
@timeout_option
@poll_option
@pass_session
@click.pass_context
def stop(
    ctx: click.Context,
    session: Session,
    execution_id: int,
    wait: bool,
    timeout: float | None,
    poll_interval: float,
) -> None:
    """Ask Harbor to stop an execution; it ends a little later.

    With --wait, exit with how it ended: 2 stopped (0 or 1 if it finished first).
    """
    client = session.client()
    client.stop_replication(execution_id)
    if wait or timeout is not None:
        say(session, f"Stopping execution {execution_id}.")
        ctx.exit(follow(session, execution_id, timeout, poll_interval, stopping=True))
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
    """List an execution's tasks, one per artifact."""
    found = session.client().get_replication_tasks(
        execution_id, status, resource_type, sort, page_size=page_size, limit=limit
    )
    emit_list(session, found, lambda: table(TASK_COLUMNS, (t.to_dict() for t in found)), "tasks")


def _task_status(client: ReplicationClient, execution_id: int, task_id: int) -> str | None:
    """The task's status; None when the execution has no such task.

    Harbor has no GET for one task. Newest start first, the running tasks (as many as the
    job service has workers) come before the merely scheduled ones, which have no start
    time yet: a running task is found within a page or two.
    """
    in_progress = client.iter_replication_tasks(
        execution_id, status="InProgress", sort="-start_time", page_size=100
    )
    for task in in_progress:
        if task.id == task_id:
            return "InProgress"
        if not task.start_time:
            break
    # Not seen running; but tasks ending between two page reads move the later pages
    # forward, past a running task. All the tasks by id is a list that only grows at its
    # end: its pages do not move, so it tells for sure.
    for task in client.iter_replication_tasks(execution_id, sort="id", page_size=100):
        if task.id == task_id:
            return str(task.status)
    return None


@click.command()
@execution_id_argument
@click.argument("task_id", type=click.IntRange(min=1))
@click.option(
    "-f", "--follow", "keep_following", is_flag=True, help="print new lines until the task ends"
)
@poll_option
@pass_session
@click.pass_context
def log(
    ctx: click.Context,
    session: Session,
    execution_id: int,
    task_id: int,
    keep_following: bool,
    poll_interval: float,
) -> None:
    """Print a task's log (plain text in every output format).

    With --follow, exit with the task's outcome: 0 succeeded, 1 failed, 2 stopped.
    """
    from harbor_replication import FINAL_STATUSES

    client = session.client()
    printed = 0

    def print_new_lines() -> tuple[str, bool]:
        nonlocal printed
        text = client.get_replication_task_log(execution_id, task_id)
        click.echo(text[printed:], nl=False)
        grew = len(text) > printed
        printed = max(printed, len(text))
        return text, grew

    while True:
        # Asked before the log: once the execution has ended, this log is the whole log.
        execution_ended = (
            keep_following and client.get_replication(execution_id).status in FINAL_STATUSES
        )
        text, grew = print_new_lines()
        if not keep_following:
            return
        if execution_ended:
            status = _task_status(client, execution_id, task_id)
            break
        # A task with a log has started; once the log stands still, ask whether it still runs.
        # (Without a log it may still be pending: the execution's end is what ends it then.)
        if text and not grew:
            status = _task_status(client, execution_id, task_id)
            if status is None or status in FINAL_STATUSES:
                # It may have ended after the log above was read: its last lines are written now.
                print_new_lines()
                break
        time.sleep(poll_interval)
    exit_status = EXIT_FOR_STATUS.get(status or "", ExitStatus.SUCCEEDED)
    if exit_status != ExitStatus.SUCCEEDED:
        click.echo(f"harbor-replication: task {task_id} {status}", err=True)
    ctx.exit(exit_status)
