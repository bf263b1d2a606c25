"""Operations commands: retry-failed, report, stop --all, policies enable and disable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from harbor_replication.cli._execution_tables import FAILED_TASK_COLUMNS, status_word
from harbor_replication.cli._executions import poll_option, settle_option
from harbor_replication.cli._input import confirm
from harbor_replication.cli._output import Column, Record, emit_data, say, show, table
from harbor_replication.cli._progress import EXIT_FOR_STATUS, SHOWN_FAILED_TASKS
from harbor_replication.cli._session import ExitStatus, Session, pass_session, usage_error

if TYPE_CHECKING:
    from rich.table import Table

    from harbor_replication._bulk import BulkResult
    from harbor_replication._failure_report import FailureReport
    from harbor_replication._retry_plan import RetryPlan, RetryRun
    from harbor_replication.models import ReplicationExecution


# --- retry-failed ---------------------------------------------------------------------


def _plan_record(plan: RetryPlan) -> dict[str, Any]:
    return {
        "execution_id": plan.execution_id,
        "policy_id": plan.policy_id,
        "failed": [
            {"repository": failed.repository, "references": list(failed.references)}
            for failed in plan.failed
        ],
        "policies": list(plan.policies),
    }


def _show_plan(session: Session, plan: RetryPlan) -> None:
    repositories = len(plan.failed)
    say(
        session,
        f"Execution {plan.execution_id} of policy {plan.policy_id}: {plan.artifact_count} "
        f"artifact(s) of {repositories} repositor{'y' if repositories == 1 else 'ies'} failed.",
    )
    rows = [
        {"repository": failed.repository, "tags": ", ".join(failed.references)}
        for failed in plan.failed
    ]
    columns: list[Column] = [
        ("REPOSITORY", lambda r: r["repository"]),
        ("TAGS", lambda r: r["tags"]),
    ]
    show(table(columns, rows), stderr=session.machine_output)


def _show_finished(session: Session, name: str, execution: ReplicationExecution) -> None:
    """The outcome of one retry execution, read before its policy (and it) is deleted."""
    from harbor_replication._task_log import diagnose

    say(
        session,
        f"Execution {execution.id} ({name}): {status_word(execution.status)}, "
        f"{execution.succeed or 0} of {execution.total or 0} task(s) succeeded, "
        f"{execution.failed or 0} failed, {execution.stopped or 0} stopped.",
    )
    if not execution.failed:
        return
    client = session.client()
    execution_id = int(execution.id or 0)
    rows = []
    for task in client.get_replication_tasks(
        execution_id, status="Failed", page_size=SHOWN_FAILED_TASKS, limit=SHOWN_FAILED_TASKS
    ):
        record = task.to_dict()
        diagnosis = diagnose(client.get_replication_task_log(execution_id, int(task.id or 0)))
        record["cause"] = f"{diagnosis.cause.value}: {diagnosis.message}"
        rows.append(record)
    columns = [*FAILED_TASK_COLUMNS, ("CAUSE", lambda r: r["cause"])]
    show(table(columns, rows, "Failed again:"), stderr=session.machine_output)


@click.command("retry-failed")
@click.argument("execution_id", type=click.IntRange(min=1), required=False)
@click.option("--wait", is_flag=True, help="wait for the retry to end; exit with its outcome")
@settle_option
@click.option(
    "--dry-run", is_flag=True, help="print the temporary policies it would create; send nothing"
)
@click.option(
    "--cleanup",
    is_flag=True,
    help="only delete temporary policies that interrupted runs left behind",
)
@poll_option
@pass_session
@click.pass_context
def retry_failed(
    ctx: click.Context,
    session: Session,
    execution_id: int | None,
    wait: bool,
    settle: float,
    dry_run: bool,
    cleanup: bool,
    poll_interval: float,
) -> None:
    """Copy again only the artifacts an execution failed to copy.

    Reads the execution's failed tasks and their logs, creates a temporary manual policy
    per repository (the original's registries, namespace rules, override, speed and
    copy-by-chunk; filters naming exactly the failed tags), starts it and, with --wait,
    follows it and exits 0 succeeded, 1 failed, 2 stopped. The temporary policies
    (named retry-failed-*) are deleted afterwards, also on errors and Ctrl-C; policies
    left by a crash are deleted before each run, or with --cleanup. Refused when a
    retry cannot be exact: a running or event-based execution, a deletion task, a policy
    deleted since, a log that does not name its artifacts.
    """
    from harbor_replication import operations

    client = session.client()
    if cleanup:
        if execution_id is not None:
            raise usage_error("--cleanup takes no EXECUTION_ID")
        _print_bulk(session, operations.remove_temporary_policies(client, dry_run=dry_run))
        return
    if execution_id is None:
        raise usage_error("missing EXECUTION_ID (or --cleanup)")
    try:
        if dry_run:
            plan = operations.plan_retry(client, execution_id, settle=settle)
            if session.machine_output:
                emit_data(session, _plan_record(plan))
                return
            _show_plan(session, plan)
            import yaml

            say(session, "Would create and start (nothing was sent):")
            click.echo(yaml.safe_dump_all(plan.policies, sort_keys=False), nl=False)
            return
        ctx.exit(_run_retry(session, execution_id, wait, settle, poll_interval))
    except operations.RetryRefused as exc:
        raise usage_error(f"cannot retry execution {execution_id} exactly: {exc}") from exc


def _run_retry(
    session: Session, execution_id: int, wait: bool, settle: float, poll_interval: float
) -> int:
    from harbor_replication import operations

    client = session.client()
    names: dict[int, str] = {}

    def started(name: str, policy_id: int, started_id: int) -> None:
        names[started_id] = name
        say(
            session,
            f"Created temporary policy {policy_id} ({name}); started execution {started_id}.",
        )

    def finished(execution: ReplicationExecution) -> None:
        _show_finished(session, names.get(int(execution.id or 0), "?"), execution)

    try:
        run = operations.retry_failed(
            client,
            execution_id,
            wait=wait,
            settle=settle,
            poll_interval=poll_interval,
            on_started=started,
            on_finished=finished,
        )
    except KeyboardInterrupt:
        click.echo(
            "\ninterrupted; the retry executions were stopped and their temporary policies "
            "deleted (any left: harbor-replication retry-failed --cleanup)",
            err=True,
        )
        return ExitStatus.INTERRUPTED
    if session.machine_output:
        emit_data(
            session,
            {
                **_plan_record(run.plan),
                "executions": [
                    {"policy": name, "execution": _final(run, started_id)}
                    for name, started_id in run.executions.items()
                ],
                "status": run.status,
                "left_behind": run.left_behind,
            },
        )
    if not wait:
        say(
            session,
            "Not waiting: the temporary policies stay until their executions end; the next "
            "retry-failed (or retry-failed --cleanup) deletes them.",
        )
        return ExitStatus.SUCCEEDED
    if run.left_behind:
        say(session, f"Could not delete: {', '.join(run.left_behind)} (retry-failed --cleanup).")
    else:
        say(session, f"Deleted the temporary policies ({len(run.executions)}).")
    say(session, f"Retry of execution {execution_id}: {run.status}.")
    return EXIT_FOR_STATUS.get(run.status, ExitStatus.FAILED)


def _final(run: RetryRun, execution_id: int) -> dict[str, Any]:
    """The retry execution as it ended; only its id when not waited for."""
    result = run.results.get(execution_id)
    return {"id": execution_id} if result is None else result.to_dict()


# --- report ---------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 60:
        return f"{value:.1f}s"
    if value < 3600:
        return f"{value / 60:.1f}m"
    return f"{value / 3600:.1f}h"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _report_rows(report: FailureReport) -> tuple[list[list[str]], list[list[str]]]:
    """The two tables of a report as text cells: per policy, and per policy and cause."""
    runs = [
        [
            str(p.policy_id),
            p.policy_name or "(deleted)",
            str(p.executions),
            str(p.succeeded),
            str(p.failed),
            str(p.stopped),
            str(p.running + p.skipped),
            _rate(p.success_rate),
            _seconds(p.duration_median),
            _seconds(p.duration_p95),
            (p.last_success or "-")[:19].replace("T", " "),
        ]
        for p in report.policies
    ]
    causes = []
    for p in report.policies:
        for cause in p.causes:
            more = cause.repository_count - len(cause.repositories)
            repositories = ", ".join(cause.repositories) + (f" (+{more})" if more > 0 else "")
            causes.append(
                [str(p.policy_id), cause.cause, str(cause.count), repositories, cause.example]
            )
    return runs, causes


RUN_HEADERS = [
    "POLICY",
    "NAME",
    "RUNS",
    "SUCCEEDED",
    "FAILED",
    "STOPPED",
    "OTHER",
    "SUCCESS",
    "MEDIAN",
    "P95",
    "LAST SUCCESS",
]
CAUSE_HEADERS = ["POLICY", "CAUSE", "TASKS", "REPOSITORIES", "EXAMPLE"]


def _grid(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str) -> Table:
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=title, title_justify="left", header_style="bold")
    for header in headers:
        grid.add_column(header, overflow="fold")
    for row in rows:
        grid.add_row(*(Text(cell) for cell in row))
    return grid


def _markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(report: FailureReport) -> str:
    """The report as Markdown, for a ticket or a chat."""
    runs, causes = _report_rows(report)
    parts = [
        f"### Replication report, {report.since[:16].replace('T', ' ')} to "
        f"{report.until[:16].replace('T', ' ')} UTC",
        "",
        _markdown_table(RUN_HEADERS, runs) if runs else "No executions in this window.",
    ]
    if causes:
        parts += ["", "#### Failed tasks by cause", "", _markdown_table(CAUSE_HEADERS, causes)]
    return "\n".join(parts) + "\n"


@click.command("report")
@click.option(
    "--since",
    default="24h",
    show_default=True,
    metavar="DURATION",
    help="executions started this long ago or later: 90s, 30m, 24h, 7d",
)
@click.option(
    "--policy", "policy_id", type=click.IntRange(min=1), metavar="ID", help="only this policy's"
)
@settle_option
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=64),
    default=8,
    show_default=True,
    help="task logs read at once",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Choice(["table", "json", "yaml", "markdown"], case_sensitive=False),
    help="as the global -o, plus markdown (for a ticket or a chat)",
)
@pass_session
def report(
    session: Session,
    since: str,
    policy_id: int | None,
    settle: float,
    concurrency: int,
    output: str | None,
) -> None:
    """Per policy: executions, success rate, durations, and failed tasks grouped by cause.

    Causes are read from the task logs (authentication, permission, quota or size, not
    found, network or TLS, timeout, registry 5xx, rate limit, unknown), each with a count,
    the repositories and one example line. OTHER counts running and skipped executions.
    """
    from harbor_replication import operations
    from harbor_replication._failure_report import parse_duration

    try:
        window = parse_duration(since)
    except ValueError as exc:
        raise usage_error(str(exc)) from exc
    found = operations.failure_report(
        session.client(),
        since=window,
        policy_id=policy_id,
        settle=settle,
        log_concurrency=concurrency,
    )
    fmt = (output or session.output).lower()
    if fmt == "markdown":
        click.echo(render_markdown(found), nl=False)
        return
    if fmt in ("json", "yaml"):
        session.output = fmt
        emit_data(session, found.to_dict())
        return
    runs, causes = _report_rows(found)
    window_text = f"{found.since[:19].replace('T', ' ')} to {found.until[:19].replace('T', ' ')}"
    if not runs:
        say(session, f"No executions from {window_text} UTC.")
        return
    show(_grid(RUN_HEADERS, runs, f"Executions from {window_text} UTC"))
    if causes:
        show(_grid(CAUSE_HEADERS, causes, "Failed tasks by cause"))


# --- maintenance in bulk --------------------------------------------------------------

BULK_COLUMNS: list[Column] = [
    ("KIND", lambda r: r["kind"]),
    ("ID", lambda r: r["id"]),
    ("NAME", lambda r: r["name"]),
    ("OUTCOME", lambda r: r["outcome"]),
    ("ERROR", lambda r: r["error"]),
]


def _print_bulk(session: Session, results: Sequence[BulkResult]) -> int:
    """Per object how it went; the exit status is 5 if any failed."""
    records: list[Record] = [result.to_dict() for result in results]
    if session.machine_output:
        emit_data(session, records)
    elif records:
        show(table(BULK_COLUMNS, records))
        if any(result.outcome == "planned" for result in results):
            say(session, "Dry run: nothing was changed.")
    else:
        say(session, "Nothing to do.")
    failed = sum(1 for result in results if result.outcome == "failed")
    if failed:
        click.echo(f"harbor-replication: {failed} of {len(results)} failed", err=True)
        return ExitStatus.API
    return ExitStatus.SUCCEEDED


def stop_all(session: Session, policy_id: int | None, yes: bool, dry_run: bool) -> int:
    """``stop --all``: list the running executions, ask, stop each, report each."""
    from harbor_replication import operations

    client = session.client()
    running = operations.running_executions(client, policy_id=policy_id)
    if not running or dry_run:
        return _print_bulk(session, operations.stop_executions(client, running, dry_run=True))
    ids = ", ".join(f"{e.id} (policy {e.policy_id})" for e in running)
    if not yes:
        confirm(f"Stop {len(running)} running execution(s): {ids}?", "nothing was stopped")
    return _print_bulk(session, operations.stop_executions(client, running))


def _switch(enabled: bool) -> click.Command:
    verb = "enable" if enabled else "disable"

    @click.command(verb)
    @click.argument("policy_ids", nargs=-1, type=click.IntRange(min=1))
    @click.option(
        "--registry",
        "registry_id",
        type=click.IntRange(min=1),
        metavar="ID",
        help="every policy that pulls from or pushes to this registry",
    )
    @click.option("--query", metavar="Q", help="every policy matching this q (Harbor's syntax)")
    @click.option("-y", "--yes", is_flag=True, help="do not ask for confirmation")
    @click.option("--dry-run", is_flag=True, help="show what would change; send no change")
    @pass_session
    @click.pass_context
    def command(
        ctx: click.Context,
        session: Session,
        policy_ids: tuple[int, ...],
        registry_id: int | None,
        query: str | None,
        yes: bool,
        dry_run: bool,
    ) -> None:
        from harbor_replication import operations

        if not policy_ids and registry_id is None and query is None:
            raise usage_error("name the policies: IDS, --registry ID or --query Q")
        client = session.client()
        chosen = operations.select_policies(
            client, ids=policy_ids, registry_id=registry_id, query=query
        )
        planned = operations.set_policies_enabled(client, chosen, enabled, dry_run=True)
        to_change = [result for result in planned if result.outcome == "planned"]
        if dry_run or not to_change:
            ctx.exit(_print_bulk(session, planned))
        names = ", ".join(f"{r.id} ({r.name})" for r in to_change)
        if not yes:
            confirm(
                f"{verb.capitalize()} {len(to_change)} policy(ies): {names}?", "no policy changed"
            )
        ctx.exit(_print_bulk(session, operations.set_policies_enabled(client, chosen, enabled)))

    command.help = (
        f"{verb.capitalize()} policies by id, by --registry or by --query, keeping every "
        "other field (each is read and written back whole). Shows what it will change and "
        "asks first unless --yes; --dry-run changes nothing. Reports each policy; exit 5 if "
        "any change failed."
    )
    return command


enable_policies = _switch(True)
disable_policies = _switch(False)
