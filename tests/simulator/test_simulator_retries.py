"""Harbor's job-service retries of a failed copy (docs/harbor-behaviour.md §30), over HTTP.

The simulated clock stands still (tasks take 1 s, setup 0.2 s) and the backoff is Harbor's
real one with a fixed random part, so every status is asserted at an exact moment.
"""

from __future__ import annotations

import argparse
from typing import Any

import httpx
import pytest

from harbor_replication.simulator import HarborSimulator, add_arguments, config_from_args
from harbor_replication.simulator._retries import RetryBackoff, harbor_backoff
from harbor_replication.simulator._times import format_time
from tests.simulator.simulator_helpers import new_policy, start
from tests.support import FrozenClock

ZERO_TIME = "0001-01-01T00:00:00.000Z"
SEED = 7


@pytest.fixture
def backoff(simulator: HarborSimulator, monkeypatch: pytest.MonkeyPatch) -> RetryBackoff:
    """Harbor's backoff at its real length, its random part fixed by a seed."""
    real = RetryBackoff(scale=1.0, seed=SEED)
    monkeypatch.setattr(simulator.state, "retry_backoff", real)
    return real


def only_task(api: httpx.Client, execution_id: int) -> dict[str, Any]:
    [task] = api.get(f"/replication/executions/{execution_id}/tasks").json()
    return dict(task)


def execution(api: httpx.Client, execution_id: int) -> dict[str, Any]:
    return dict(api.get(f"/replication/executions/{execution_id}").json())


def start_copying(api: httpx.Client, clock: FrozenClock, repository: str, tag: str) -> int:
    """Start a policy copying one artifact; return once its first run has begun."""
    policy_id = new_policy(
        api,
        filters=[{"type": "name", "value": repository}, {"type": "tag", "value": tag}],
    )
    execution_id = start(api, policy_id)
    clock.advance(0.2)
    return execution_id


def test_semantics_30_backoff_is_harbors_formula_with_a_repeatable_random_part() -> None:
    assert [harbor_backoff(1, 0), harbor_backoff(1, 29)] == [16, 74]
    assert [harbor_backoff(2, 0), harbor_backoff(2, 29)] == [31, 118]
    first, again = RetryBackoff(1.0, SEED), RetryBackoff(1.0, SEED)
    draws = [first.seconds(task_id, fails) for task_id in range(1, 40) for fails in (1, 2)]
    assert draws == [again.seconds(task_id, fails) for task_id in range(1, 40) for fails in (1, 2)]
    assert len(set(draws)) > 10
    assert RetryBackoff(0.5, SEED).seconds(3, 2) == first.seconds(3, 2) / 2


def test_semantics_30_a_task_failing_once_reads_failed_then_runs_again_and_succeeds(
    api: httpx.Client, frozen_clock: FrozenClock, backoff: RetryBackoff
) -> None:
    execution_id = start_copying(api, frozen_clock, "library/flaky-sync", "0.9")
    first = only_task(api, execution_id)
    assert first["status"] == "InProgress"
    frozen_clock.advance(1.0)  # the first run fails
    failed = only_task(api, execution_id)
    failed_at = format_time(frozen_clock.now)
    retry_at = frozen_clock.now + backoff.seconds(failed["id"], 1)
    assert (failed["status"], failed["end_time"]) == ("Failed", failed_at)
    shown = execution(api, execution_id)
    assert (shown["status"], shown["end_time"], shown["failed"]) == ("Failed", failed_at, 1)

    wait = backoff.seconds(failed["id"], 1)
    assert 16 <= wait <= 74
    frozen_clock.advance(wait - 0.001)  # still waiting in the job service's retry queue
    assert only_task(api, execution_id)["status"] == "Failed"
    assert execution(api, execution_id)["status"] == "Failed"

    frozen_clock.advance(0.002)  # the retry runs: same task, a new start, no end
    retried = only_task(api, execution_id)
    assert (retried["id"], retried["job_id"]) == (failed["id"], failed["job_id"])
    assert retried["status"] == "InProgress"
    assert retried["start_time"] == format_time(retry_at)
    assert retried["end_time"] == ZERO_TIME
    shown = execution(api, execution_id)
    assert (shown["status"], shown["end_time"], shown["in_progress"]) == (
        "InProgress",
        ZERO_TIME,
        1,
    )

    frozen_clock.advance(1.0)
    assert only_task(api, execution_id)["status"] == "Succeed"
    shown = execution(api, execution_id)
    assert (shown["status"], shown["succeed"], shown["failed"]) == ("Succeed", 1, 0)


def test_semantics_30_the_third_failure_is_final(
    api: httpx.Client, frozen_clock: FrozenClock, backoff: RetryBackoff, simulator: HarborSimulator
) -> None:
    execution_id = start_copying(api, frozen_clock, "team/fail-build", "1.0")
    task_id = only_task(api, execution_id)["id"]
    frozen_clock.advance(1.0)  # failure 1
    frozen_clock.advance(backoff.seconds(task_id, 1) + 0.5)  # the second run is half done
    assert only_task(api, execution_id)["status"] == "InProgress"
    frozen_clock.advance(0.5)  # failure 2
    assert only_task(api, execution_id)["status"] == "Failed"
    assert execution(api, execution_id)["status"] == "Failed"
    frozen_clock.advance(backoff.seconds(task_id, 2) + 0.5)
    assert execution(api, execution_id)["status"] == "InProgress"
    frozen_clock.advance(0.5)  # failure 3: no retry follows
    assert simulator.state.final_at(execution_id) == pytest.approx(frozen_clock.now)
    final = execution(api, execution_id)
    ended = format_time(simulator.state.final_at(execution_id))
    assert (final["status"], final["end_time"]) == ("Failed", ended)
    frozen_clock.advance(3600)
    assert execution(api, execution_id) == final
    assert only_task(api, execution_id)["status"] == "Failed"


def test_semantics_30_a_stop_during_the_backoff_does_not_cancel_the_retry(
    api: httpx.Client, frozen_clock: FrozenClock, backoff: RetryBackoff
) -> None:
    execution_id = start_copying(api, frozen_clock, "library/flaky-sync", "0.9")
    task_id = only_task(api, execution_id)["id"]
    frozen_clock.advance(1.0)  # failure 1
    assert api.put(f"/replication/executions/{execution_id}").status_code == 200
    frozen_clock.advance(0.5)  # the stop has landed: a failed job ignores it
    assert only_task(api, execution_id)["status"] == "Failed"
    frozen_clock.advance(backoff.seconds(task_id, 1))
    assert only_task(api, execution_id)["status"] == "InProgress"
    frozen_clock.advance(1.0)
    final = execution(api, execution_id)
    assert (final["status"], final["succeed"], final["stopped"]) == ("Succeed", 1, 0)


def test_semantics_30_a_stop_during_a_retry_stops_it(
    api: httpx.Client, frozen_clock: FrozenClock, backoff: RetryBackoff, simulator: HarborSimulator
) -> None:
    execution_id = start_copying(api, frozen_clock, "team/fail-build", "1.0")
    task_id = only_task(api, execution_id)["id"]
    frozen_clock.advance(1.0 + backoff.seconds(task_id, 1) + 0.5)  # the retry is running
    api.put(f"/replication/executions/{execution_id}")
    frozen_clock.advance(0.2)
    stopped = only_task(api, execution_id)
    assert stopped["status"] == "Stopped"
    assert execution(api, execution_id)["status"] == "Stopped"
    assert simulator.state.final_at(execution_id) < frozen_clock.now


def test_semantics_30_a_retry_writes_its_log_over_the_failed_runs_log(
    api: httpx.Client, frozen_clock: FrozenClock, backoff: RetryBackoff
) -> None:
    execution_id = start_copying(api, frozen_clock, "library/flaky-sync", "0.9")
    task_id = only_task(api, execution_id)["id"]
    log_url = f"/replication/executions/{execution_id}/tasks/{task_id}/log"
    frozen_clock.advance(1.0)
    failed_log = api.get(log_url).text
    assert failed_log.splitlines()[-2].endswith(
        "[ERROR] [/controller/replication/transfer/image/transfer.go:195]: "
        "failed to copy library/flaky-sync:0.9: unexpected status code 500 "
        "while pushing the blob to the destination registry"
    )
    assert failed_log.splitlines()[-1].endswith(
        "got error during the whole transfer period, mark the job failure"
    )
    retry_started = format_time(frozen_clock.now + backoff.seconds(task_id, 1))[:19] + "Z"
    frozen_clock.advance(backoff.seconds(task_id, 1) + 1.5)
    retried_log = api.get(log_url).text
    assert retried_log.startswith(retry_started + " [INFO]")
    last_line = (
        "copy library/flaky-sync:[0.9](source registry) to "
        "library/flaky-sync:[0.9](destination registry) completed\n"
    )
    written = retried_log[: retried_log.index(last_line) + len(last_line)]
    # whatever of the failed run's log is longer than the retry's stays behind it
    assert retried_log == written + failed_log[len(written) :]
    assert "[ERROR]" not in retried_log  # the retry wrote more than the failed run


def test_semantics_30_retry_backoff_scale_option() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    config = config_from_args(
        parser.parse_args(["--retry-backoff-scale", "0.25", "--retry-seed", "3"])
    )
    assert (config.retry_backoff_scale, config.retry_seed) == (0.25, 3)
    assert config_from_args(parser.parse_args([])).retry_backoff_scale == 1.0
    with pytest.raises(ValueError, match="retry_backoff_scale"):
        type(config)(retry_backoff_scale=-1)
