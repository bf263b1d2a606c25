"""Operations over many API calls, for asyncio: retry what failed, a failure digest, bulk changes.

This file is the source: ``operations.py`` (the blocking twin, taking a
``ReplicationClient``) is generated from it by ``python -m openapi.unasync``. The
decisions live in the pure modules ``_retry_plan``, ``_task_log``, ``_failure_report`` and
``_bulk``; here only the reading and writing happens.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar

from harbor_replication._async_client import AsyncReplicationClient
from harbor_replication._bounded import amap_bounded
from harbor_replication._bulk import BulkResult, uses_registry
from harbor_replication._checks import check_id
from harbor_replication._core import Query
from harbor_replication._errors import HarborError, NotFoundError
from harbor_replication._failure_report import FailureReport, ReportBuilder
from harbor_replication._responses import location_id
from harbor_replication._retry_plan import (
    RetryPlan,
    RetryRefused,
    RetryRun,
    check_execution,
    check_task,
    is_temporary,
    merge,
    refused_log,
    temporary_policy,
)
from harbor_replication._settle import DEFAULT_SETTLE, failure_confirmed, is_skipped
from harbor_replication._task_log import (
    Diagnosis,
    FailedArtifacts,
    UnreadableLog,
    diagnose,
    failed_artifacts,
    resource_repository,
)
from harbor_replication_api.models import ReplicationExecution, ReplicationPolicy, ReplicationTask

__all__ = [
    "BulkResult",
    "FailureReport",
    "RetryPlan",
    "RetryRefused",
    "RetryRun",
    "failure_report",
    "plan_retry",
    "remove_temporary_policies",
    "retry_failed",
    "running_executions",
    "select_policies",
    "set_policies_enabled",
    "stop_all",
    "stop_executions",
]

T = TypeVar("T")

# Task logs read at once: enough to hide latency, polite to one Harbor core.
DEFAULT_LOG_CONCURRENCY = 8
# How long cleanup after Ctrl-C waits for Harbor to stop an execution before giving up.
_STOP_WAIT = 60.0


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


# --- retry-failed ---------------------------------------------------------------------


async def remove_temporary_policies(
    client: AsyncReplicationClient, *, dry_run: bool = False
) -> list[BulkResult]:
    """Delete the temporary policies earlier retry-failed runs left behind (after a crash).

    One still running an execution cannot be deleted (Harbor answers 412): it is reported
    ``failed`` and kept, as it may belong to a retry running right now.
    """
    results = []
    candidates = client.iter_replication_policies(name="retry-failed-", page_size=100)
    found = [policy async for policy in candidates if is_temporary(policy)]
    for policy in found:
        result = BulkResult("policy", int(policy.id or 0), str(policy.name), "planned")
        results.append(await _apply(result, client.delete_replication_policy, dry_run))
    return results


async def _apply(
    result: BulkResult, change: Callable[[int], Awaitable[None]], dry_run: bool
) -> BulkResult:
    """``change(result.id)`` unless ``dry_run``; its outcome, or its error, in ``result``."""
    if not dry_run:
        try:
            await change(result.id)
            result.outcome = "changed"
        except HarborError as exc:
            result.outcome, result.error = "failed", str(exc)
    return result


async def _failed_tasks(
    client: AsyncReplicationClient, execution_id: int
) -> AsyncIterator[ReplicationTask]:
    async for task in client.iter_replication_tasks(
        execution_id, status="Failed", sort="id", page_size=100
    ):
        check_task(task)
        yield task


async def plan_retry(
    client: AsyncReplicationClient,
    execution_id: int,
    *,
    settle: float = DEFAULT_SETTLE,
    log_concurrency: int = DEFAULT_LOG_CONCURRENCY,
) -> RetryPlan:
    """Work out the temporary policies that copy again what ``execution_id`` failed to copy.

    Reads the execution, its policy, its failed tasks and their logs; writes nothing.
    Raises :class:`RetryRefused` where a retry cannot be exact: a running execution, one
    Harbor may still retry itself (failed less than ``settle`` seconds ago), an event-based
    execution, a deletion task, a policy deleted since, a log that names no artifact.
    """
    check_id("execution_id", execution_id)
    check_id("log_concurrency", log_concurrency)
    execution = await client.get_replication(execution_id)
    check_execution(execution)
    if is_skipped(execution):
        raise RetryRefused(f"execution {execution_id} was skipped and copied nothing")
    if execution.status == "Failed" and not failure_confirmed(
        execution, now=_utcnow(), settle=settle
    ):
        raise RetryRefused(
            f"execution {execution_id} failed less than {settle:g} s ago and Harbor may "
            "still retry its tasks (docs/harbor-behaviour.md §30): try again later or lower "
            "--settle"
        )
    policy_id = int(execution.policy_id or 0)
    try:
        original = await client.get_replication_policy(policy_id)
    except NotFoundError:
        raise RetryRefused(
            f"policy {policy_id} of execution {execution_id} has been deleted since"
        ) from None

    async def read(task: ReplicationTask) -> FailedArtifacts:
        log = await client.get_replication_task_log(execution_id, int(task.id or 0))
        try:
            return failed_artifacts(log)
        except UnreadableLog as exc:
            raise refused_log(task, str(exc)) from None

    tasks = _failed_tasks(client, execution_id)
    failures = [found async for found in amap_bounded(read, tasks, log_concurrency)]
    if not failures:
        raise RetryRefused(f"execution {execution_id} has no failed task")
    merged = merge(failures)
    bodies = tuple(temporary_policy(original, execution_id, failed) for failed in merged)
    return RetryPlan(execution_id, policy_id, tuple(merged), bodies)


async def _stop_and_wait(client: AsyncReplicationClient, execution_ids: Sequence[int]) -> None:
    """Stop the executions and wait (a while) for them to end, so their policies can go."""
    for execution_id in execution_ids:
        try:
            await client.stop_replication(execution_id)
        except HarborError:
            continue
    for execution_id in execution_ids:
        try:
            # Any final status lets Harbor delete the policy (§13): no settling here.
            await client.wait_for_replication(
                execution_id, timeout=_STOP_WAIT, poll_interval=1.0, settle=0
            )
        except HarborError:
            continue


async def retry_failed(
    client: AsyncReplicationClient,
    execution_id: int,
    *,
    wait: bool = True,
    settle: float = DEFAULT_SETTLE,
    poll_interval: float = 2.0,
    cleanup: bool = True,
    log_concurrency: int = DEFAULT_LOG_CONCURRENCY,
    on_started: Callable[[str, int, int], object] | None = None,
    on_finished: Callable[[ReplicationExecution], object] | None = None,
) -> RetryRun:
    """Copy again exactly the artifacts ``execution_id`` failed to copy.

    First removes temporary policies a crashed run left (``cleanup``), then plans
    (:func:`plan_retry`), creates one temporary manual policy per repository, starts them
    (``on_started(policy_name, policy_id, execution_id)`` for each) and, with ``wait``,
    waits for every execution to end (a failure counts once it has lasted ``settle``
    seconds; ``on_finished(execution)`` sees each while its tasks and logs still exist).
    The temporary policies are deleted afterwards whatever happens; on Ctrl-C or an error
    the started executions are stopped first, since Harbor keeps a policy with a running
    execution (412). Without ``wait`` the started policies stay until their executions
    end: the next run (or :func:`remove_temporary_policies`) deletes them.
    """
    if cleanup:
        await remove_temporary_policies(client)
    plan = await plan_retry(client, execution_id, settle=settle, log_concurrency=log_concurrency)
    run = RetryRun(plan, {}, {}, [])
    created: dict[str, int] = {}
    try:
        for body in plan.policies:
            created[body["name"]] = location_id(await client.create_replication_policy(body))
        for name, policy_id in created.items():
            started = location_id(await client.start_replication(policy_id))
            run.executions[name] = started
            if on_started is not None:
                on_started(name, policy_id, started)
        if wait:
            for started in run.executions.values():
                finished = await client.wait_for_replication(
                    started, poll_interval=poll_interval, settle=settle
                )
                run.results[started] = finished
                if on_finished is not None:
                    on_finished(finished)
    except BaseException:
        # Ctrl-C (KeyboardInterrupt, or the task's cancellation in asyncio) or an error: a
        # started execution must end before Harbor lets its policy go (412 until then).
        await _stop_and_wait(client, [e for e in run.executions.values() if e not in run.results])
        wait = True
        raise
    finally:
        for name, policy_id in created.items():
            if not wait and name in run.executions:
                run.left_behind.append(name)
                continue
            try:
                await client.delete_replication_policy(policy_id)
            except HarborError:
                run.left_behind.append(name)
    return run


# --- failure report -------------------------------------------------------------------


async def failure_report(
    client: AsyncReplicationClient,
    *,
    since: datetime.timedelta = datetime.timedelta(hours=24),
    policy_id: int | None = None,
    settle: float = DEFAULT_SETTLE,
    now: datetime.datetime | None = None,
    log_concurrency: int = DEFAULT_LOG_CONCURRENCY,
) -> FailureReport:
    """Per policy, the executions started in the last ``since`` and why their tasks failed.

    Each failed task's log is read (``log_concurrency`` at a time, and as many task lists
    of failed executions), classified as it arrives and dropped; only counters, repository
    names and one example line per cause are kept. A ``Failed`` execution counts as failed
    once it has been so for ``settle``
    seconds (before that Harbor may retry it: it counts as running).
    """
    check_id("log_concurrency", log_concurrency)
    if policy_id is not None:
        check_id("policy_id", policy_id)
    until = now or _utcnow()
    builder = ReportBuilder(until - since, until, settle)
    failed: list[ReplicationExecution] = []
    async for execution in client.iter_replications(
        sort="-start_time", policy_id=policy_id, page_size=100
    ):
        if not builder.in_window(execution):
            break
        if builder.add_execution(execution) == "failed":
            failed.append(execution)

    async def failed_tasks_of(
        execution: ReplicationExecution,
    ) -> list[tuple[int, int, ReplicationTask]]:
        owner, execution_id = int(execution.policy_id or 0), int(execution.id or 0)
        tasks = client.iter_replication_tasks(execution_id, status="Failed", page_size=100)
        return [(owner, execution_id, task) async for task in tasks]

    async def failed_tasks() -> AsyncIterator[tuple[int, int, ReplicationTask]]:
        # The task lists are read concurrently too: one request per execution adds up.
        async for tasks in amap_bounded(failed_tasks_of, failed, log_concurrency):
            for item in tasks:
                yield item

    async def read(item: tuple[int, int, ReplicationTask]) -> tuple[int, str, Diagnosis]:
        owner, execution_id, task = item
        log = await client.get_replication_task_log(execution_id, int(task.id or 0))
        return owner, resource_repository(task.src_resource), diagnose(log)

    async for owner, repository, diagnosis in amap_bounded(read, failed_tasks(), log_concurrency):
        builder.add_failed_task(owner, repository, diagnosis)
    names: dict[int, str] = {}
    async for policy in client.iter_replication_policies(page_size=100):
        names[int(policy.id or 0)] = str(policy.name or "")
    return builder.build(names)


# --- maintenance in bulk --------------------------------------------------------------


async def running_executions(
    client: AsyncReplicationClient, *, policy_id: int | None = None
) -> list[ReplicationExecution]:
    """The executions in progress (of one policy, or of all)."""
    return [
        execution
        async for execution in client.iter_replications(
            policy_id=policy_id, status="InProgress", page_size=100
        )
    ]


async def stop_all(
    client: AsyncReplicationClient, *, policy_id: int | None = None, dry_run: bool = False
) -> list[BulkResult]:
    """Ask Harbor to stop every running execution (of one policy, or of all)."""
    running = await running_executions(client, policy_id=policy_id)
    return await stop_executions(client, running, dry_run=dry_run)


async def stop_executions(
    client: AsyncReplicationClient,
    executions: Sequence[ReplicationExecution],
    *,
    dry_run: bool = False,
) -> list[BulkResult]:
    """Ask Harbor to stop each execution; one result per execution."""
    results = []
    for execution in executions:
        result = BulkResult(
            "execution", int(execution.id or 0), f"policy {execution.policy_id}", "planned"
        )
        results.append(await _apply(result, client.stop_replication, dry_run))
    return results


async def select_policies(
    client: AsyncReplicationClient,
    *,
    ids: Sequence[int] = (),
    registry_id: int | None = None,
    query: Query | None = None,
) -> list[ReplicationPolicy]:
    """The policies named by id, using a registry (source or destination), or matching a query.

    The selections add up; each policy appears once, in id order.
    """
    chosen: dict[int, ReplicationPolicy] = {}
    for policy_id in ids:
        policy = await client.get_replication_policy(check_id("policy id", policy_id))
        chosen[policy_id] = policy
    if registry_id is not None:
        check_id("registry_id", registry_id)
        async for policy in client.iter_replication_policies(page_size=100):
            if uses_registry(policy, registry_id):
                chosen[int(policy.id or 0)] = policy
    if query is not None:
        async for policy in client.iter_replication_policies(query, page_size=100):
            chosen[int(policy.id or 0)] = policy
    return [chosen[key] for key in sorted(chosen)]


async def set_policies_enabled(
    client: AsyncReplicationClient,
    policies: Sequence[ReplicationPolicy],
    enabled: bool,
    *,
    dry_run: bool = False,
) -> list[BulkResult]:
    """Enable or disable each policy, keeping every other field.

    Each policy is read again just before its change and written back whole (Harbor's PUT
    replaces a policy), so a field changed meanwhile is kept; a policy already in that
    state is left alone.
    """
    results = []
    for listed in policies:
        result = BulkResult("policy", int(listed.id or 0), str(listed.name or ""), "planned")
        try:
            current = await client.get_replication_policy(result.id)
            if bool(current.enabled) == enabled:
                result.outcome = "unchanged"
            elif not dry_run:
                current.enabled = enabled
                await client.update_replication_policy(result.id, current)
                result.outcome = "changed"
        except HarborError as exc:
            result.outcome, result.error = "failed", str(exc)
        results.append(result)
    return results
