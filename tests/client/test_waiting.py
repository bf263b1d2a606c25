"""``wait_for_replication`` waits out Harbor's retries before it reports a failure.

Both clients, over HTTP against the simulator, on a frozen simulator clock that the wait's
own pauses move (tests/support.py ``wait_on_clock``): minutes of waiting take no real time,
and the moment each answer comes is exact (docs/harbor-behaviour.md §30, §31).
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
from tests.support import FrozenClock, Harbor, freeze_clock, wait_on_clock

DOCKER_HUB = 1  # the first registry of the simulator's built-in seed
FAILING = "team/fail-build"  # the simulator fails every copy from a repository named *fail*
POLL = 10.0  # simulated seconds between reads


@pytest.fixture
def clock(simulator: HarborSimulator, monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    frozen = freeze_clock(simulator, monkeypatch)
    wait_on_clock(frozen, monkeypatch)
    return frozen


async def start(harbor: Harbor, unique: Callable[[str], str], repository: str, **extra: Any) -> int:
    body = {
        "name": unique("settle"),
        "src_registry": {"id": DOCKER_HUB},
        "dest_namespace": "mirror",
        "filters": [{"type": "name", "value": repository}],
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


async def test_a_failure_is_reported_settle_seconds_after_it_ended(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    execution_id = await start(harbor, unique, FAILING)
    started = clock.now
    reads: list[tuple[float, str]] = []

    def note(read: ReplicationExecution) -> None:
        reads.append((clock.now - started, str(read.status)))

    final = await harbor.wait_for_replication(execution_id, poll_interval=POLL, on_progress=note)
    assert (final.status, final.failed, final.total) == ("Failed", 2, 2)
    confirmed = ended(final) + DEFAULT_SETTLE - started
    assert clock.now - started == pytest.approx(confirmed, abs=1e-6)
    # Failed from the second read on (its tasks take well under POLL), read every POLL
    # seconds while confirming, and once more just as the settle time ends.
    failed_reads = [(at, status) for at, status in reads if status == "Failed"]
    assert reads[1:] == failed_reads
    assert [at for at, _ in failed_reads[:-1]] == [POLL * n for n in range(1, 14)]
    assert failed_reads[-1][0] == pytest.approx(confirmed, abs=1e-6)
    assert 130 < confirmed < 131


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
    clock.advance(DEFAULT_SETTLE + 60)
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
