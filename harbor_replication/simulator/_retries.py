"""Harbor's job-service retries of a failed replication job (docs/harbor-behaviour.md §30).

What the simulator reproduces, read from Harbor v2.15.2 and its gocraft/work fork
(v0.5.1-patch):

- the replication job allows 3 failures and always asks for a retry
  (src/jobservice/job/impl/replication/replication.go:63-75), registered with the worker
  pool as ``MaxFails`` with ``SkipDead`` (src/jobservice/worker/cworker/c_worker.go:431-438);
- after failure number ``fails`` the worker re-queues the job ``fails**4 + 15 +
  rand(30) * (fails + 1)`` seconds later (work's worker.go:281-284, ``terminateAndRetry``
  at :241-250); the third failure is final (``jobFate``, worker.go:267-279);
- meanwhile the task reads ``Error`` (Failed) with its end time; the re-run resets the job
  and reports it ``Running`` under the same task id with a new start time and no end time
  (src/jobservice/runner/redis.go:181-229, src/jobservice/job/tracker.go:401-427,
  src/pkg/task/dao/task.go:174-206), so the task goes from Failed straight back to
  InProgress;
- the execution follows its tasks: Running while one is pending or running, else Error,
  Stopped, Success, with the latest task end time as its end, cleared again while a task
  re-runs (src/pkg/task/dao/execution.go:244-343);
- a stop request reaching a job that is waiting for its retry does nothing: the job service
  sees a final status and returns (src/jobservice/worker/cworker/c_worker.go:347-354);
- every run of the job opens the same log file for writing without truncating it
  (src/jobservice/logger/backend/file_logger.go:33): a retry writes over the failed run's
  log from its start, and a longer old log keeps its tail, so
  the retry still runs.
"""

from __future__ import annotations

import random

# Harbor's replication job: MaxFails() = 3
MAX_FAILS = 3
# work's default backoff draws rand.Int63n(30)
_JITTER_RANGE = 30


def harbor_backoff(fails: int, jitter: int) -> int:
    """Seconds before the retry that follows failure number ``fails`` (1 or 2)."""
    return fails**4 + 15 + jitter * (fails + 1)


class RetryBackoff:
    """The backoff of each retry, times ``scale``; with a ``seed`` the jitter is repeatable
    and depends only on the task and the failure number, not on the order of draws."""

    def __init__(self, scale: float, seed: int | None) -> None:
        self.scale = scale
        self.seed = seed
        self._random = random.Random()

    def jitter(self, task_id: int, fails: int) -> int:
        if self.seed is None:
            return self._random.randrange(_JITTER_RANGE)
        return random.Random(f"{self.seed}/{task_id}/{fails}").randrange(_JITTER_RANGE)

    def seconds(self, task_id: int, fails: int) -> float:
        """Simulated seconds between failure number ``fails`` and the retry."""
        return harbor_backoff(fails, self.jitter(task_id, fails)) * self.scale

    def runs(
        self, task_id: int, start: float, duration: float, failures: int
    ) -> list[tuple[float, float]]:
        """Planned (start, end) of each run of a job whose first ``failures`` runs fail."""
        runs = [(start, start + duration)]
        for fails in range(1, min(failures, MAX_FAILS - 1) + 1):
            retry = runs[-1][1] + self.seconds(task_id, fails)
            runs.append((retry, retry + duration))
        return runs
