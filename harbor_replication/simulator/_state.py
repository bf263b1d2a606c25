"""The simulated Harbor's in-memory state: registries, their content, policies, executions.

Time-based progress is computed lazily from the clock: an execution's tasks get planned start
and end times when it starts (``task_concurrency`` at a time, ``task_duration`` each), and
every access first settles what has happened since (copies done, executions finished).
One re-entrant lock guards everything, so the state is safe under concurrent requests and
for tests that inspect it from another thread.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ._adapters import ADAPTERS
from ._config import SimulatorConfig
from ._errors import ErrorReply
from ._filters import Artifact, apply_filters, destination_repository
from ._model import (
    LOCAL_REGISTRY_ID,
    MASKED_SECRET,
    STORED_EXECUTION_STATUS,
    STORED_TASK_STATUSES,
    STORED_TRIGGER,
    Copy,
    Execution,
    Policy,
    Registry,
    Task,
    artifact_digest,
)
from ._query import Condition, Record, Sort, select
from ._resources import EXECUTIONS, POLICIES, REGISTRIES, TASKS, omit_empty
from ._retries import MAX_FAILS, RetryBackoff
from ._times import ZERO_TIME, format_time
from ._validation import (
    REPOSITORY_NAME,
    normalize_url,
    unhealthy,
    validate_cron,
    validate_filter,
)

_NEWEST_FIRST = (Sort("creation_time", True),)
# Harbor sorts executions by start time only; ids grow with time, so the id breaks ties
# (two starts in one millisecond) the same way.
_EXECUTIONS_DEFAULT = (Sort("start_time", True), Sort("id", True))
_TASKS_DEFAULT = (Sort("start_time", True), Sort("id", True))
_BY_ID = (Sort("id", False),)


def _content_key(url: str) -> str:
    return re.sub(r"^https?://", "", url).lower()


def _ids() -> Iterator[int]:
    return itertools.count(1)


def _steady_wall_clock() -> Callable[[], float]:
    """Seconds since the epoch that never step backwards: the wall time once, then the
    monotonic time elapsed, so an NTP step cannot make statuses or logs go back."""
    offset = time.time() - time.monotonic()
    return lambda: offset + time.monotonic()


class SimulatorState:
    """Everything the simulated Harbor knows. Public methods are safe to call from any thread."""

    def __init__(self, config: SimulatorConfig, clock: Callable[[], float] | None = None) -> None:
        self.config = config
        # Replaceable, e.g. by a frozen clock in tests; its values become Harbor's times.
        self.clock: Callable[[], float] = clock or _steady_wall_clock()
        self.lock = threading.RLock()
        self.retry_backoff = RetryBackoff(config.retry_backoff_scale, config.retry_seed)
        self.reset()

    # --- lifecycle --------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything and load the seed again (the configured file or the built-in)."""
        from ._seed import load_seed

        with self.lock:
            self.registries: dict[int, Registry] = {}
            self.contents: dict[str, dict[tuple[str, str], Artifact]] = {"local": {}}
            self.policies: dict[int, Policy] = {}
            self.executions: dict[int, Execution] = {}
            self.tasks: dict[int, Task] = {}
            self._active: dict[int, Execution] = {}
            self._registry_ids = _ids()
            self._policy_ids = _ids()
            self._execution_ids = _ids()
            self._task_ids = _ids()
            self._execution_lists: dict[Any, list[Record]] = {}
            # repository -> (message, executions that fail it or None for all, those so far)
            self._failures: dict[str, tuple[str, int | None, set[int]]] = {}
            load_seed(self, self.config.seed)

    def _changed(self) -> None:
        """Something changed: cached execution lists are stale."""
        self._execution_lists.clear()

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

    # --- registries -------------------------------------------------------------------------

    def _content_of(self, registry_id: int) -> dict[tuple[str, str], Artifact] | None:
        if registry_id == LOCAL_REGISTRY_ID:
            return self.contents["local"]
        registry = self.registries.get(registry_id)
        if registry is None:
            return None
        return self.contents.setdefault(_content_key(registry.url), {})

    def _registry(self, registry_id: int) -> Registry:
        registry = self.registries.get(registry_id)
        if registry is None:
            raise ErrorReply(404, f"registry {registry_id} not found")
        return registry

    def _check_registry(self, name: str, url: str, kind: str, exclude_id: int | None) -> str:
        if not name:
            raise ErrorReply(400, "name cannot be empty")
        if len(name) > 64:
            raise ErrorReply(400, "the max length of name is 64")
        url = normalize_url(url)
        _check_reachable(kind, url)
        for other in self.registries.values():
            if other.name == name and other.id != exclude_id:
                raise ErrorReply(409, f"registry {name} already exists")
        return url

    def create_registry(self, body: Mapping[str, Any]) -> int:
        with self.lock:
            credential = body.get("credential") or {}
            name = body.get("name") or ""
            kind = body.get("type") or ""
            url = self._check_registry(name, body.get("url") or "", kind, None)
            now = self.clock()
            registry = Registry(
                id=next(self._registry_ids),
                name=name,
                url=url,
                type=kind,
                description=body.get("description") or "",
                insecure=bool(body.get("insecure")),
                ca_certificate=self._ca_certificate(body) or "",
                credential_type=credential.get("type") or "basic",
                access_key=credential.get("access_key") or "",
                access_secret=credential.get("access_secret") or "",
                creation_time=now,
                update_time=now,
            )
            self.registries[registry.id] = registry
            self._changed()
            return registry.id

    def update_registry(self, registry_id: int, body: Mapping[str, Any]) -> None:
        with self.lock:
            registry = self._registry(registry_id)
            name = body.get("name")
            url = body.get("url")
            new_name = registry.name if name is None else name
            new_url = registry.url if url is None else url
            registry.url = self._check_registry(new_name, new_url, registry.type, registry.id)
            registry.name = new_name
            for key in (
                "description",
                "credential_type",
                "access_key",
                "access_secret",
                "insecure",
            ):
                if body.get(key) is not None:
                    setattr(registry, key, body[key])
            ca_certificate = self._ca_certificate(body)
            if ca_certificate is not None:
                registry.ca_certificate = ca_certificate
            registry.update_time = self.clock()
            self._changed()

    def _ca_certificate(self, body: Mapping[str, Any]) -> str | None:
        """The body's ``ca_certificate``; a Harbor before v2.15 does not read it."""
        return body.get("ca_certificate") if self.config.has_v2_15_fields else None

    def delete_registry(self, registry_id: int) -> None:
        with self.lock:
            self._registry(registry_id)
            if any(
                registry_id in (p.src_registry_id, p.dest_registry_id)
                for p in self.policies.values()
            ):
                raise ErrorReply(
                    412,
                    f"the registry {registry_id} is referenced by replication policies, "
                    "cannot delete it",
                )
            del self.registries[registry_id]
            self._changed()

    def registry_json(self, registry_id: int) -> dict[str, Any]:
        """A registry as Harbor shows it; 0 is this Harbor (docs/harbor-behaviour.md §29)."""
        with self.lock:
            side = self._registry_side(registry_id)
            if side is None:
                raise ErrorReply(404, f"registry {registry_id} not found")
            return side

    def list_registries(
        self, keywords: Mapping[str, Condition], sorts: Sequence[Sort]
    ) -> list[dict[str, Any]]:
        with self.lock:
            records = [r.record() for r in self.registries.values()]
            chosen = select(records, REGISTRIES.columns, keywords, sorts, _BY_ID)
            with_ca = self.config.has_v2_15_fields
            return [self.registries[record["id"]].to_json(with_ca) for record in chosen]

    def ping_registry(self, body: Mapping[str, Any]) -> None:
        """Harbor's ping: the stored registry (``id``) overlaid with the given fields."""
        with self.lock:
            url, kind = "", ""
            if body.get("id") is not None:  # 0 is this Harbor (§29)
                stored = self.registry_json(int(body["id"]))
                url, kind = stored["url"], stored["type"]
            if body.get("type") is not None:
                kind = body["type"]
            if body.get("url") is not None:
                url = normalize_url(body["url"])
            if not kind or not url:
                raise ErrorReply(400, "type or url cannot be empty")
            _check_reachable(kind, url)

    def registry_info(self, registry_id: int) -> dict[str, Any]:
        with self.lock:
            kind = (
                "harbor" if registry_id == LOCAL_REGISTRY_ID else self._registry(registry_id).type
            )
            filters: list[dict[str, Any]] = [
                {"type": "name", "style": "input"},
                {"type": "tag", "style": "input"},
            ]
            if kind == "harbor":
                filters.append({"type": "label", "style": "list"})
            filters.append({"type": "resource", "style": "radio", "values": ["image", "artifact"]})
            triggers = ["manual", "scheduled"]
            if registry_id == LOCAL_REGISTRY_ID:
                triggers.append("event_based")
            info: dict[str, Any] = {
                "type": kind,
                "description": f"The {kind} registry adapter",
                "supported_resource_filters": filters,
                "supported_triggers": triggers,
            }
            if kind == "harbor":  # Harbor sets the pointer only when chunks are supported
                info["supported_copy_by_chunk"] = True
            return info

    def _registry_side(self, registry_id: int) -> dict[str, Any] | None:
        if registry_id == LOCAL_REGISTRY_ID:
            return {
                "id": LOCAL_REGISTRY_ID,
                "name": "Local",
                "url": "http://core:8080",
                "type": "harbor",
                "description": "",
                "insecure": True,
                "credential": {"type": "secret", "access_secret": MASKED_SECRET},
                "status": "healthy",
                "creation_time": format_time(ZERO_TIME),
                "update_time": format_time(ZERO_TIME),
            }
        registry = self.registries.get(registry_id)
        return None if registry is None else registry.to_json(self.config.has_v2_15_fields)

    def _describe(self, registry_id: int) -> str:
        side = self._registry_side(registry_id)
        if side is None:
            return "unknown"
        return (
            f"type: {side['type']}, URL: {side['url']}, "
            f"insecure: {str(side.get('insecure', False)).lower()}"
        )

    # --- policies ---------------------------------------------------------------------------

    def _policy(self, policy_id: int) -> Policy:
        policy = self.policies.get(policy_id)
        if policy is None:
            raise ErrorReply(404, f"policy {policy_id} not found")
        return policy

    def _policy_from_body(self, body: Mapping[str, Any], policy_id: int, creator: str) -> Policy:
        """Read a policy body as Harbor does: every absent field is its zero value."""
        trigger = body.get("trigger") or {}
        settings = trigger.get("trigger_settings") or {}
        now = self.clock()
        policy = Policy(
            id=policy_id,
            creator=creator,
            src_registry_id=int((body.get("src_registry") or {}).get("id") or 0),
            dest_registry_id=int((body.get("dest_registry") or {}).get("id") or 0),
            trigger_type=trigger.get("type") or "",
            cron=settings.get("cron") or "",
            filters=[_filter(f) for f in body.get("filters") or []],
            replicate_deletion=bool(body.get("deletion")),  # replicate_deletion is ignored
            creation_time=now,
            update_time=now,
            has_trigger=body.get("trigger") is not None,
            has_trigger_settings=trigger.get("trigger_settings") is not None,
            **POLICIES.read(body, self.config.has_v2_15_fields),
        )
        self._validate_policy(policy)
        return policy

    def _validate_policy(self, policy: Policy) -> None:
        """Harbor's checks, in its order: the handler's, the policy's own, then the registries."""
        if policy.single_active_replication and policy.trigger_type == "event_based":
            # a plain Go error in the handler: 500 (docs/harbor-behaviour.md §12)
            raise ErrorReply(
                500, "single active replication is not allowed for event_based triggers"
            )
        if not policy.name:
            raise ErrorReply(400, "empty name")
        src, dest = policy.src_registry_id, policy.dest_registry_id
        if (src != 0) == (dest != 0):
            raise ErrorReply(
                400,
                "either src_registry or dest_registry should be empty and "
                "the other one shouldn't be empty",
            )
        for flt in policy.filters:
            validate_filter(flt)
        if policy.dest_namespace and not REPOSITORY_NAME.fullmatch(policy.dest_namespace):
            raise ErrorReply(400, f"invalid destination namespace: {policy.dest_namespace}")
        if policy.has_trigger:
            if policy.trigger_type == "scheduled":
                validate_cron(policy.cron)
            elif policy.trigger_type not in ("manual", "event_based"):
                raise ErrorReply(400, "invalid trigger type")
        for registry_id in (src, dest):
            if registry_id and registry_id not in self.registries:
                raise ErrorReply(404, f"registry {registry_id} not found")
        for other in self.policies.values():
            if other.name == policy.name and other.id != policy.id:
                raise ErrorReply(409, f"policy {policy.name} already exists")

    def create_policy(self, body: Mapping[str, Any], creator: str) -> int:
        with self.lock:
            policy = self._policy_from_body(body, 0, creator)
            policy.id = next(self._policy_ids)
            self.policies[policy.id] = policy
            self._changed()
            return policy.id

    def update_policy(self, policy_id: int, body: Mapping[str, Any]) -> None:
        with self.lock:
            # the body is validated before the policy is looked up, and the handler sets no
            # creator, which the ORM's update of every column clears (§12)
            policy = self._policy_from_body(body, policy_id, creator="")
            policy.creation_time = self._policy(policy_id).creation_time
            self.policies[policy_id] = policy
            self._changed()

    def delete_policy(self, policy_id: int) -> None:
        with self.lock:
            self.settle()
            self._policy(policy_id)
            if any(e.policy_id == policy_id for e in self._active.values()):
                raise ErrorReply(
                    412,
                    "contains executions that aren't in final status, stop the execution first",
                )
            for execution_id in [
                e.id for e in self.executions.values() if e.policy_id == policy_id
            ]:
                self._drop_execution(execution_id)
            del self.policies[policy_id]
            self._changed()

    def policy_json(self, policy_id: int) -> dict[str, Any]:
        with self.lock:
            return self._policy_json(self._policy(policy_id))

    def _policy_json(self, policy: Policy) -> dict[str, Any]:
        trigger: dict[str, Any] | None = None
        if policy.has_trigger:
            trigger = omit_empty({"type": policy.trigger_type})
            if policy.has_trigger_settings:
                trigger["trigger_settings"] = omit_empty({"cron": policy.cron})
        return POLICIES.render(
            policy,
            {
                "src_registry": self._registry_side(policy.src_registry_id),
                "dest_registry": self._registry_side(policy.dest_registry_id),
                "trigger": trigger,
                "filters": [_shown_filter(f) for f in policy.filters],
                "deletion": policy.replicate_deletion,
            },
            self.config.has_v2_15_fields,
        )

    def list_policies(
        self, keywords: Mapping[str, Condition], sorts: Sequence[Sort]
    ) -> list[dict[str, Any]]:
        with self.lock:
            records = [p.record() for p in self.policies.values()]
            chosen = select(records, POLICIES.columns, keywords, sorts, _NEWEST_FIRST)
            return [self._policy_json(self.policies[record["id"]]) for record in chosen]

    # --- executions -------------------------------------------------------------------------

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

    # --- test API ---------------------------------------------------------------------------

    def execution_count(self, policy_id: int | None = None) -> int:
        """How many executions Harbor still keeps (for one policy, or all)."""
        with self.lock:
            self.settle()
            return sum(
                1 for e in self.executions.values() if policy_id is None or e.policy_id == policy_id
            )

    def final_at(self, execution_id: int) -> float:
        """When the execution's status stops changing, Harbor's retries included (the
        simulator's clock; an execution not stopped yet may still be stopped earlier)."""
        with self.lock:
            return self._execution(execution_id).finishes_at

    def add_finished_executions(
        self,
        policy_id: int,
        count: int,
        tasks_per_execution: int = 0,
        status: str = "Succeed",
        failure: str = "failed to copy: simulated failure",
    ) -> list[int]:
        """Create ``count`` finished executions at once (not swept), newest last.

        ``status`` is ``Succeed``, ``Failed`` or ``Stopped``; every task gets that status,
        and a failed task's log ends with the error ``failure``.
        """
        with self.lock:
            self._policy(policy_id)
            base = self.clock() - count - 1
            ids = [
                self._add_finished(policy_id, base + n, tasks_per_execution, status, failure)
                for n in range(count)
            ]
            self._changed()
            return ids

    def add_finished_execution(
        self, policy_id: int, task_count: int, status: str = "Succeed"
    ) -> int:
        """One finished execution with ``task_count`` finished tasks (e.g. 50,000)."""
        return self.add_finished_executions(policy_id, 1, task_count, status)[0]

    def _add_finished(
        self, policy_id: int, started: float, task_count: int, status: str, failure: str
    ) -> int:
        if status not in ("Succeed", "Failed", "Stopped"):
            raise ValueError(f"not a final status: {status}")
        execution = Execution(
            id=next(self._execution_ids),
            policy_id=policy_id,
            trigger="MANUAL",
            start_time=started,
            setup_until=started,
            final=True,
            end_time=started + 0.5,
        )
        if status == "Stopped":
            execution.stop_at = started
        failures = 1 if status == "Failed" else 0
        failure = failure if failures else ""
        start = started if status != "Stopped" else started + 1
        for n in range(task_count):
            artifact = Artifact(f"bulk/repo{n}", "v1", artifact_digest("bulk", str(n)))
            copy = Copy(artifact, failures=failures, failure=failure)
            task = Task(
                next(self._task_ids),
                execution.id,
                artifact.repository,
                artifact.repository,
                [copy],
                [(start, start + 0.5)],
            )
            execution.tasks.append(task)
            self.tasks[task.id] = task
        self.executions[execution.id] = execution
        return execution.id

    def add_artifact(
        self,
        registry_id: int,
        repository: str,
        tag: str,
        labels: Sequence[str] = (),
        artifact_type: str = "image",
        failures: int = 0,
    ) -> None:
        """Put an artifact into a registry (0 is this Harbor); copying it fails ``failures``
        times before it succeeds (3 or more: always, as Harbor retries twice).

        A push to this Harbor starts the enabled ``event_based`` policies whose filters
        match it, as Harbor's push events do.
        """
        with self.lock:
            content = self._content_of(registry_id)
            if content is None:
                raise KeyError(f"no registry {registry_id}")
            artifact = Artifact(
                repository,
                tag,
                artifact_digest(repository, tag),
                artifact_type,
                tuple(labels),
                failures,
            )
            content[(repository, tag)] = artifact
            if registry_id != LOCAL_REGISTRY_ID:
                return
            for policy in list(self.policies.values()):
                if (
                    policy.enabled
                    and policy.trigger_type == "event_based"
                    and policy.src_registry_id == LOCAL_REGISTRY_ID
                    and apply_filters(policy.filters, [artifact])
                ):
                    self._start(policy, "event_based", artifact)

    def artifacts(self, registry_id: int) -> list[str]:
        """``repository:tag`` of every artifact a registry holds (0 is this Harbor), sorted."""
        with self.lock:
            self.settle()
            content = self._content_of(registry_id)
            if content is None:
                raise KeyError(f"no registry {registry_id}")
            return sorted(artifact.reference for artifact in content.values())


_CACHED_LISTS = 16


def _remember(cache: dict[Any, list[Record]], key: Any, value: list[Record]) -> None:
    """Keep a finished list for the next page; bounded, since parameters are arbitrary."""
    if len(cache) >= _CACHED_LISTS:
        cache.clear()
    cache[key] = value


def _check_reachable(kind: str, url: str) -> None:
    """Harbor's checks before it stores or pings a registry: a known adapter, a healthy URL."""
    if kind not in ADAPTERS:  # a plain Go error: 500 (docs/harbor-behaviour.md §12)
        raise ErrorReply(500, f"adapter factory for {kind} not found")
    if unhealthy(url):
        raise ErrorReply(400, "the registry is unhealthy")


def _shown_filter(flt: Mapping[str, Any]) -> dict[str, Any]:
    """A stored filter as Harbor shows it: its three fields, empty ones left out."""
    shown = {
        "type": flt.get("type"),
        "value": flt.get("value"),
        "decoration": flt.get("decoration"),
    }
    return {key: value for key, value in shown.items() if value is not None and value != ""}


def _filter(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):  # a null item; Harbor would dereference it and crash
        raise ErrorReply(400, "invalid filter type")
    return dict(item)
