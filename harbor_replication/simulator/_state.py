"""The simulated Harbor's in-memory state: registries, their content, policies, executions.

SimulatorState puts together the per-resource parts (_registries.py, _executions.py,
_policies.py, over the data in _store.py) and adds the lifecycle and the test API.

Time-based progress is computed lazily from the clock: an execution's tasks get planned start
and end times when it starts (``task_concurrency`` at a time, ``task_duration`` each), and
every access first settles what has happened since (copies done, executions finished).
One re-entrant lock guards everything, so the state is safe under concurrent requests and
for tests that inspect it from another thread.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from ._config import SimulatorConfig
from ._filters import Artifact, apply_filters
from ._model import LOCAL_REGISTRY_ID, Copy, Execution, Task, artifact_digest
from ._policies import Policies
from ._retries import RetryBackoff


def _ids() -> Iterator[int]:
    return itertools.count(1)


def _steady_wall_clock() -> Callable[[], float]:
    """Seconds since the epoch that never step backwards: the wall time once, then the
    monotonic time elapsed, so an NTP step cannot make statuses or logs go back."""
    offset = time.time() - time.monotonic()
    return lambda: offset + time.monotonic()


class SimulatorState(Policies):
    """Everything the simulated Harbor knows. Public methods are safe to call from any thread."""

    def __init__(self, config: SimulatorConfig, clock: Callable[[], float] | None = None) -> None:
        self.config = config
        # Replaceable, e.g. by a frozen clock in tests; its values become Harbor's times.
        self.clock = clock or _steady_wall_clock()
        self.lock = threading.RLock()
        self.retry_backoff = RetryBackoff(config.retry_backoff_scale, config.retry_seed)
        self.reset()

    # --- lifecycle --------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything and load the seed again (the configured file or the built-in)."""
        from ._seed import load_seed

        with self.lock:
            self.registries = {}
            self.contents = {"local": {}}
            self.policies = {}
            self.executions = {}
            self.tasks = {}
            self._active = {}
            self._registry_ids = _ids()
            self._policy_ids = _ids()
            self._execution_ids = _ids()
            self._task_ids = _ids()
            self._execution_lists = {}
            self._failures = {}
            load_seed(self, self.config.seed)

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
