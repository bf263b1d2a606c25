"""``wait_for_replication`` waits out Harbor's retries before it reports a failure.

Both clients, over HTTP against the simulator with Harbor's real retry backoff (16 to 74 s,
then 31 to 118 s, its random part seeded), on a frozen simulator clock that the wait's own
pauses move (tests/support.py ``wait_on_clock``): minutes of waiting take no real time, and
the moment each answer comes is exact (docs/harbor-behaviour.md §30, §31).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from harbor_replication import WaitTimeoutError, location_id
from harbor_replication._settle import DEFAULT_SETTLE, SKIPPED_STATUS_TEXT, is_skipped
from harbor_replication.models import ReplicationExecution
from harbor_replication.simulator import HarborSimulator
from harbor_replication.simulator._retries import RetryBackoff
from tests.support import FrozenClock, Harbor, freeze_clock, wait_on_clock

DOCKER_HUB = 1  # the first registry of the simulator's built-in seed
FAILING = "team/fail-build"  # every copy of it fails, the retries too
FLAKY = "library/flaky-sync"  # its first copy fails, Harbor's retry succeeds
POLL = 10.0  # simulated seconds between reads


@pytest.fixture
def clock(simulator: HarborSimulator, monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    frozen = freeze_clock(simulator, monkeypatch)
    wait_on_clock(frozen, monkeypatch)
    monkeypatch.setattr(simulator.state, "retry_backoff", RetryBackoff(scale=1.0, seed=3))
    return frozen


async def start(
    harbor: Harbor, unique: Callable[[str], str], repository: str, tag: str = "**", **extra: Any
) -> int:
    """Start a new policy copying ``repository``'s ``tag`` tags; return the execution's id."""
    body = {
        "name": unique("settle"),
        "src_registry": {"id": DOCKER_HUB},
        "dest_namespace": "mirror",
        "filters": [{"type": "name", "value": repository}, {"type": "tag", "value": tag}],
        "trigger": {"type": "manual"},
        "enabled": True,
        "override": True,
        **extra,
    }
    policy_id = location_id(await harbor.create_replication_policy(body))
    return location_id(await harbor.start_replication(policy_id))


def ended(execution: ReplicationExecution) -> float:
    assert isinstance(execution.end_time, datetime)
    return execution.end_time.timestamp()


async def test_a_task_failing_three_times_is_reported_failed_settle_after_its_last_failure(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    execution_id = await start(harbor, unique, FAILING, "1.0")
    started = clock.now
    reads: list[tuple[float, ReplicationExecution]] = []

    def note(read: ReplicationExecution) -> None:
        reads.append((clock.now - started, read))

    final = await harbor.wait_for_replication(execution_id, poll_interval=POLL, on_progress=note)
    assert (final.status, final.failed, final.total) == ("Failed", 1, 1)
    # No later than settle after its final failure, and no sooner.
    assert clock.now == pytest.approx(ended(final) + DEFAULT_SETTLE, abs=1e-6)
    # Each failure stood at least 16 s, over a read every 10 s: the wait saw all three,
    # each with its own end time, and kept waiting after the first two.
    failure_ends = {ended(read) for _, read in reads if read.status == "Failed"}
    assert len(failure_ends) == 3
    assert max(failure_ends) == ended(final)
    # Read every POLL seconds, and once more just as the settle time ends.
    times = [at for at, _ in reads]
    assert times[:-1] == [POLL * n for n in range(len(times) - 1)]
    assert 0 < times[-1] - times[-2] <= POLL


async def test_a_task_failing_once_is_reported_succeeded_after_harbors_retry(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    execution_id = await start(harbor, unique, FLAKY)
    started = clock.now
    reads: list[tuple[float, ReplicationExecution]] = []

    def note(read: ReplicationExecution) -> None:
        reads.append((clock.now - started, read))

    final = await harbor.wait_for_replication(execution_id, poll_interval=POLL, on_progress=note)
    assert (final.status, final.succeed, final.failed, final.total) == ("Succeed", 1, 0, 1)
    statuses = [read.status for _, read in reads]
    first_failed = statuses.index("Failed")
    # It read Failed (with an end time) for a while, then went on to succeed: returned at
    # the first read that saw the success, well within the settle time.
    assert statuses[first_failed:] == ["Failed"] * (len(statuses) - 1 - first_failed) + ["Succeed"]
    failed_at = ended(reads[first_failed][1])
    assert clock.now - failed_at < DEFAULT_SETTLE
    assert ended(final) - failed_at > 16  # the retry ran after Harbor's shortest backoff


async def test_settle_zero_reports_the_first_failure_read(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    execution_id = await start(harbor, unique, FAILING)
    started = clock.now
    final = await harbor.wait_for_replication(execution_id, poll_interval=POLL, settle=0)
    assert final.status == "Failed"
    assert clock.now == started + POLL  # the second read, the first after the tasks ended


async def test_a_timeout_inside_the_settle_time_says_the_failure_was_not_final(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    execution_id = await start(harbor, unique, FAILING)
    started = clock.now
    with pytest.raises(WaitTimeoutError) as caught:
        await harbor.wait_for_replication(execution_id, timeout=60, poll_interval=POLL)
    error = caught.value
    assert (error.last_status, error.confirming, error.timeout) == ("Failed", True, 60)
    assert str(error) == (
        f"execution {execution_id} did not finish within 60s "
        "(last status: Failed, not yet final: Harbor may still retry a failed task)"
    )
    assert clock.now == started + 60  # the timeout bounds the whole wait


async def test_a_failure_older_than_settle_is_reported_at_once(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    execution_id = await start(harbor, unique, FAILING)
    clock.advance(74 + 118 + DEFAULT_SETTLE + 60)  # past both retries, and settle more
    before = clock.now
    reads: list[ReplicationExecution] = []
    final = await harbor.wait_for_replication(
        execution_id, poll_interval=POLL, on_progress=reads.append
    )
    assert (final.status, len(reads), clock.now) == ("Failed", 1, before)


async def test_a_skipped_single_active_run_is_reported_at_once(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    running = await start(harbor, unique, "library/**", single_active_replication=True)
    policy_id = (await harbor.get_replication(running)).policy_id
    assert isinstance(policy_id, int)
    skipped_id = location_id(await harbor.start_replication(policy_id))
    before = clock.now
    final = await harbor.wait_for_replication(skipped_id, poll_interval=POLL)
    assert (final.status, final.status_text, final.total) == ("Failed", SKIPPED_STATUS_TEXT, 0)
    assert is_skipped(final)
    assert clock.now == before


async def test_a_success_is_reported_when_read(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    execution_id = await start(harbor, unique, "library/alpine")
    started = clock.now
    final = await harbor.wait_for_replication(execution_id, poll_interval=POLL)
    assert (final.status, clock.now) == ("Succeed", started + POLL)
