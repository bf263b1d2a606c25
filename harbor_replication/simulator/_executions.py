"""The simulated Harbor's executions and tasks: starting, planning, settling with the
clock, stopping, listing and logs."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from ._errors import ErrorReply
from ._filters import Artifact, apply_filters, destination_repository
from ._model import (
    STORED_EXECUTION_STATUS,
    STORED_TASK_STATUSES,
    STORED_TRIGGER,
    Copy,
    Execution,
    Policy,
    Task,
)
from ._query import Record, Sort, select
from ._registries import Registries
from ._resources import EXECUTIONS, TASKS
from ._retries import MAX_FAILS

# Harbor sorts executions by start time only; ids grow with time, so the id breaks ties
# (two starts in one millisecond) the same way.
_EXECUTIONS_DEFAULT = (Sort("start_time", True), Sort("id", True))
_TASKS_DEFAULT = (Sort("start_time", True), Sort("id", True))


class Executions(Registries):
    """Executions of policies and their tasks."""

    def settle(self) -> float:
        """Apply what has happened up to now: copies done, executions finished."""
        with self.lock:
            return self._settle()

    def _settle(self) -> float:
        now = self.clock()
        finished = []
        for execution in self._active.values():
            self._apply_copies(execution, now)
            if now >= execution.finishes_at:
                finished.append(execution)
        for execution in finished:
            execution.end_time = execution.finishes_at
            execution.final = True
            del self._active[execution.id]
        if finished:
            self._changed()
        return now

    def _apply_copies(self, execution: Execution, now: float) -> None:
        """Put into the destination what the runs ended by ``now`` copied."""
        destination = self._content_of(self.policies[execution.policy_id].dest_registry_id)
        stop = (
            execution.stop_at
            if execution.stop_at is not None and execution.stop_at <= now
            else None
        )
        waiting = []
        for task, copy in execution.uncopied:
            run = task.copying_run(copy)
            if run is None or task.stopped_in_run(run, stop):
                continue
            if now < task.runs[run][1]:
                waiting.append((task, copy))
            elif destination is not None:
                artifact = copy.artifact
                destination[(task.destination, artifact.tag)] = Artifact(
                    repository=task.destination,
                    tag=artifact.tag,
                    digest=artifact.digest,
                    type=artifact.type,
                    labels=artifact.labels,
                )
        execution.uncopied = waiting

    def start_execution(self, policy_id: int, trigger: str = "manual") -> int:
        with self.lock:
            policy = self._policy(policy_id)
            if not policy.enabled:
                raise ErrorReply(412, f"the policy {policy_id} is disabled")
            return self._start(policy, trigger, None)

    def _start(self, policy: Policy, trigger: str, pushed: Artifact | None) -> int:
        """Start an execution; an event-based one copies only the ``pushed`` artifact."""
        now = self.settle()
        policy_id = policy.id
        execution = Execution(
            id=next(self._execution_ids),
            policy_id=policy_id,
            trigger=STORED_TRIGGER.get(trigger, "MANUAL"),
            start_time=now,
            setup_until=now + self.config.task_duration / 5,
        )
        busy = any(e.policy_id == policy_id for e in self._active.values())
        if policy.single_active_replication and busy:
            execution.skipped = True
            execution.final = True
            execution.end_time = now
        else:
            self._plan_tasks(execution, policy, pushed)
            self._active[execution.id] = execution
        self.executions[execution.id] = execution
        self._sweep(policy_id)
        self._changed()
        return execution.id

    def _plan_tasks(self, execution: Execution, policy: Policy, pushed: Artifact | None) -> None:
        """One task per source repository with the artifacts the filters select (§15)."""
        source = self._content_of(policy.src_registry_id) or {}
        destination = self._content_of(policy.dest_registry_id) or {}
        duration = self.config.task_duration
        width = self.config.task_concurrency
        candidates = source.values() if pushed is None else [pushed]
        chosen = apply_filters(policy.filters, candidates)  # sorted by repository
        repositories = itertools.groupby(chosen, key=lambda artifact: artifact.repository)
        for index, (repository, artifacts) in enumerate(repositories):
            try:
                target = destination_repository(
                    repository, policy.dest_namespace, policy.dest_namespace_replace_count
                )
                naming_error = ""
            except ValueError as exc:
                target, naming_error = repository, str(exc)
            copies = [
                self._copy(
                    artifact,
                    destination.get((target, artifact.tag)),
                    policy,
                    naming_error,
                    self._seeded_failure(execution.id, artifact),
                )
                for artifact in artifacts
            ]
            task_id = next(self._task_ids)
            start = execution.setup_until + (index // width) * duration
            failures = max(copy.failures for copy in copies)
            task = Task(
                task_id=task_id,
                execution_id=execution.id,
                repository=repository,
                destination=target,
                copies=copies,
                runs=self.retry_backoff.runs(task_id, start, duration, failures),
            )
            execution.tasks.append(task)
            execution.uncopied += [(task, copy) for copy in copies]
            self.tasks[task.id] = task

    @staticmethod
    def _copy(
        artifact: Artifact,
        existing: Artifact | None,
        policy: Policy,
        naming_error: str,
        seeded: str = "",
    ) -> Copy:
        """How copying ``artifact`` goes: skipped if there already, failing as the seed says
        (always for a repository named ``*fail*``, a destination name Harbor refuses, or a
        failure :meth:`set_failure` seeded for this execution, with its message)."""
        always = naming_error or seeded or "fail" in artifact.repository
        failures = MAX_FAILS if always else artifact.failures
        failure = (
            naming_error
            or seeded
            or (
                f"failed to copy {artifact.reference}: unexpected status code 500 "
                "while pushing the blob to the destination registry"
            )
        )
        return Copy(
            artifact=artifact,
            skip_existing=(
                not policy.override and existing is not None and existing.digest == artifact.digest
            ),
            failures=failures,
            failure=failure if failures else "",
        )

    def _seeded_failure(self, execution_id: int, artifact: Artifact) -> str:
        """The error :meth:`set_failure` gave ``artifact``'s repository for this execution."""
        planned = self._failures.get(artifact.repository)
        if planned is None:
            return ""
        message, times, failed_in = planned
        if times is not None and execution_id not in failed_in and len(failed_in) >= times:
            return ""
        failed_in.add(execution_id)
        return message.format(reference=artifact.reference)

    def set_failure(self, repository: str, message: str, times: int | None = None) -> None:
        """Make copies of ``repository`` fail with ``message`` (``{reference}`` is replaced by
        ``repository:tag``), Harbor's retries included, in its next ``times`` executions or
        in all of them (None)."""
        with self.lock:
            self._failures[repository] = (message, times, set())

    def _sweep(self, policy_id: int) -> None:
        """Keep the newest executions of a policy, as Harbor's execution sweeper does."""
        retained = self.config.executions_retained_per_policy
        mine = [e for e in self.executions.values() if e.policy_id == policy_id]
        for execution in mine[: max(len(mine) - retained, 0)]:
            if execution.final:
                self._drop_execution(execution.id)

    def _drop_execution(self, execution_id: int) -> None:
        execution = self.executions.pop(execution_id)
        self._active.pop(execution_id, None)
        for task in execution.tasks:
            self.tasks.pop(task.id, None)

    def _execution(self, execution_id: int) -> Execution:
        execution = self.executions.get(execution_id)
        if execution is None:
            raise ErrorReply(404, f"execution {execution_id} not found")
        return execution

    def stop_execution(self, execution_id: int) -> None:
        """Ask the execution to stop; it becomes Stopped a moment later, as in Harbor."""
        with self.lock:
            now = self.settle()
            execution = self._execution(execution_id)
            if execution.final or execution.stop_at is not None:
                return
            execution.stop_at = now + min(self.config.task_duration / 10, 0.1)
            if execution.stopped_in_setup:  # its planned tasks are never created
                for task in execution.tasks:
                    self.tasks.pop(task.id, None)
                execution.tasks.clear()
            self._changed()

    def execution_json(self, execution_id: int) -> dict[str, Any]:
        with self.lock:
            now = self.settle()
            return self._execution(execution_id).to_json(now)

    def list_executions(
        self,
        policy_id: int | None,
        status: str | None,
        trigger: str | None,
        sorts: Sequence[Sort],
    ) -> list[Record]:
        with self.lock:
            now = self.settle()
            cache_key = (policy_id, status, trigger, tuple(sorts))
            cached = self._execution_lists.get(cache_key)
            if cached is not None and not self._active:
                return cached
            stored_status = None if status is None else STORED_EXECUTION_STATUS.get(status, status)
            stored_trigger = None if trigger is None else STORED_TRIGGER.get(trigger, trigger)
            records = [
                execution.to_json(now)
                for execution in self.executions.values()
                if (policy_id is None or execution.policy_id == policy_id)
                and (stored_status is None or execution.stored_status(now) == stored_status)
                and (stored_trigger is None or execution.trigger == stored_trigger)
            ]
            chosen = select(records, EXECUTIONS.columns, {}, sorts, _EXECUTIONS_DEFAULT)
            if not self._active:
                _remember(self._execution_lists, cache_key, chosen)
            return chosen

    def list_tasks(
        self,
        execution_id: int,
        status: str | None,
        resource_type: str | None,
        sorts: Sequence[Sort],
    ) -> list[Record]:
        with self.lock:
            now = self.settle()
            # Harbor checks that the execution exists before it lists tasks.
            execution = self._execution(execution_id)
            if now < execution.setup_until or execution.skipped:
                return []
            cache_key = (status, resource_type, tuple(sorts))
            if execution.final and cache_key in execution.task_lists:
                return execution.task_lists[cache_key]
            wanted = None if status is None else STORED_TASK_STATUSES.get(status, (status,))
            records = [
                task.to_json(now, execution.stop_at, execution.final)
                for task in execution.tasks
                if (wanted is None or task.stored_status(now, execution.stop_at)[0] in wanted)
                and (resource_type is None or task.resource_type == resource_type)
            ]
            chosen = select(records, TASKS.columns, {}, sorts, _TASKS_DEFAULT)
            if execution.final:
                _remember(execution.task_lists, cache_key, chosen)
            return chosen

    def task_log(self, execution_id: int, task_id: int) -> str:
        with self.lock:
            now = self.settle()
            execution = self._execution(execution_id)
            task = self.tasks.get(task_id)
            if task is None:
                raise ErrorReply(404, f"task {task_id} not found")
            if task.execution_id != execution_id:
                raise ErrorReply(
                    404, f"execution {execution_id} contains no task with ID {task_id}"
                )
            policy = self.policies[execution.policy_id]
            return task.log(
                now,
                execution.stop_at,
                self._describe(policy.src_registry_id),
                self._describe(policy.dest_registry_id),
            )


_CACHED_LISTS = 16


def _remember(cache: dict[Any, list[Record]], key: Any, value: list[Record]) -> None:
    """Keep a finished list for the next page; bounded, since parameters are arbitrary."""
    if len(cache) >= _CACHED_LISTS:
        cache.clear()
    cache[key] = value
