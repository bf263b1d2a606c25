"""The exporter scraped over HTTP while Harbor's policies succeed, fail, are disabled, and
while Harbor goes down and comes back (docs/monitoring.md)."""

from __future__ import annotations

import asyncio

import pytest

from harbor_replication import location_id
from harbor_replication.exporter import EXECUTION_STATUSES
from harbor_replication.simulator import Fault
from tests.exporter.conftest import BROKEN, FLAKY, IDLE, OFF, OK, SETTLE, SINGLE, Live, Scraped


def only(status: str) -> dict[str, float]:
    return {name: float(name == status) for name in EXECUTION_STATUSES}


async def start(live: Live, policy_id: int) -> int:
    return location_id(await live.client.start_replication(policy_id))


async def test_policies_succeeding_failing_disabled_and_idle(live: Live) -> None:
    ok_id = await start(live, OK)
    broken_id = await start(live, BROKEN)
    flaky_id = await start(live, FLAKY)
    live.clock.advance(5)  # every task has ended once; Harbor retries 16 s or more later

    scraped = await live.refresh_and_scrape()

    assert scraped.value("harbor_replication_up") == 1.0
    ok = await live.client.get_replication(ok_id)
    assert ok.status == "Succeed"
    assert scraped.statuses(OK) == only("Succeed")
    assert scraped.policy("harbor_replication_last_execution_id", OK) == ok_id
    assert scraped.policy("harbor_replication_last_success_timestamp_seconds", OK) == (
        ok.end_time.timestamp()  # type: ignore[union-attr]
    )
    assert scraped.policy("harbor_replication_last_execution_duration_seconds", OK) == (
        ok.end_time.timestamp() - ok.start_time.timestamp()  # type: ignore[union-attr]
    )
    assert scraped.policy("harbor_replication_last_execution_tasks", OK, status="Succeed") == 1
    assert scraped.policy("harbor_replication_last_execution_tasks", OK, status="Failed") == 0
    # Failed 4 s ago: Harbor may still retry them, so neither is reported failed yet.
    for policy_id, execution_id in [(BROKEN, broken_id), (FLAKY, flaky_id)]:
        assert (await live.client.get_replication(execution_id)).status == "Failed"
        assert scraped.statuses(policy_id) == only("Retrying")
        assert (
            scraped.policy("harbor_replication_last_execution_tasks", policy_id, status="Failed")
            == 1
        )
        assert (
            scraped.policy("harbor_replication_last_success_timestamp_seconds", policy_id) is None
        )
    for policy_id, enabled in [(OK, 1.0), (BROKEN, 1.0), (FLAKY, 1.0), (OFF, 0.0), (IDLE, 1.0)]:
        assert scraped.policy("harbor_replication_policy_enabled", policy_id) == enabled
    assert scraped.statuses(OFF) == {}
    assert scraped.statuses(IDLE) == {}
    # The policy list and one page of executions: the history ended on it.
    assert scraped.value("harbor_replication_refresh_requests") == 2

    # Harbor retries FLAKY's copy within 76 s, and it succeeds: never reported failed.
    flaky_statuses = set()
    for _ in range(20):
        live.clock.advance(5)
        flaky_statuses.add(status_of(await live.refresh_and_scrape(), FLAKY))
    flaky = await live.client.get_replication(flaky_id)
    assert flaky.status == "Succeed"
    assert "Failed" not in flaky_statuses
    assert "Succeed" in flaky_statuses

    # BROKEN's third failure is final by 200 s; it reads Failed once settled.
    live.clock.advance(200 + SETTLE)
    settled = await live.refresh_and_scrape()

    assert (await live.client.get_replication(broken_id)).status == "Failed"
    assert settled.statuses(BROKEN) == only("Failed")
    assert settled.statuses(FLAKY) == only("Succeed")
    assert settled.policy("harbor_replication_last_success_timestamp_seconds", FLAKY) == (
        flaky.end_time.timestamp()  # type: ignore[union-attr]
    )
    assert settled.policy("harbor_replication_last_execution_tasks", FLAKY, status="Succeed") == 1
    assert settled.statuses(OK) == only("Succeed")
    assert settled.value("harbor_replication_refreshes_total") == 22
    assert settled.value("harbor_replication_refresh_errors_total", reason="api") == 0


def status_of(scraped: Scraped, policy_id: int) -> str:
    [status] = [name for name, value in scraped.statuses(policy_id).items() if value == 1]
    return status


async def test_a_skipped_single_active_run_reads_skipped_at_once(live: Live) -> None:
    running = await start(live, SINGLE)
    skipped = await start(live, SINGLE)  # while the first one runs

    scraped = await live.refresh_and_scrape()

    assert (await live.client.get_replication(skipped)).status == "Failed"
    assert scraped.policy("harbor_replication_last_execution_id", SINGLE) == skipped
    assert scraped.statuses(SINGLE) == only("Skipped")
    live.clock.advance(30)
    assert (await live.client.get_replication(running)).status == "Succeed"
    assert (await live.refresh_and_scrape()).statuses(SINGLE) == only("Skipped")


async def test_a_running_execution_reads_in_progress_with_its_time_so_far(live: Live) -> None:
    first = await start(live, OK)
    live.clock.advance(30)
    await live.exporter.refresh()
    second = await start(live, OK)
    live.clock.advance(0.25)  # not done: its task takes 1 s

    scraped = await live.refresh_and_scrape()

    assert scraped.statuses(OK) == only("InProgress")
    assert scraped.policy("harbor_replication_last_execution_id", OK) == second
    running = await live.client.get_replication(second)
    assert scraped.policy("harbor_replication_last_execution_duration_seconds", OK) == (
        live.clock.now - running.start_time.timestamp()  # type: ignore[union-attr]
    )
    # The last success is still the first execution's.
    ended = (await live.client.get_replication(first)).end_time
    assert scraped.policy("harbor_replication_last_success_timestamp_seconds", OK) == (
        ended.timestamp()  # type: ignore[union-attr]
    )


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault.UNAVAILABLE, "api"),
        (Fault.BAD_GATEWAY, "api"),
        (Fault.RESET_BEFORE, "connection"),
        (Fault.TRUNCATED, "connection"),
        (Fault.STALL, "timeout"),
    ],
)
async def test_harbor_down_keeps_the_last_values_with_their_age(
    live: Live, fault: Fault, reason: str
) -> None:
    await start(live, OK)
    await start(live, BROKEN)
    live.clock.advance(30)
    before = await live.refresh_and_scrape()

    live.harbor.faults.set(rate=1.0, kinds=[fault], stall=60.0)
    live.clock.advance(45)
    down = await live.refresh_and_scrape()

    assert down.value("harbor_replication_up") == 0.0
    assert down.value("harbor_replication_refresh_errors_total", reason=reason) == 1
    assert down.value("harbor_replication_snapshot_age_seconds") == pytest.approx(45, abs=1e-6)
    assert down.value("harbor_replication_snapshot_timestamp_seconds") == before.value(
        "harbor_replication_snapshot_timestamp_seconds"
    )
    assert down.policy_samples == before.policy_samples
    # Still down: nothing piles up, the counts go on.
    again = await live.refresh_and_scrape()
    assert again.value("harbor_replication_refresh_errors_total", reason=reason) == 2
    assert len(again.samples) == len(down.samples)

    live.harbor.faults.clear()
    back = await live.refresh_and_scrape()

    assert back.value("harbor_replication_up") == 1.0
    assert back.value("harbor_replication_snapshot_age_seconds") == 0
    assert back.value("harbor_replication_refresh_errors_total", reason=reason) == 2
    assert back.statuses(OK) == only("Succeed")


async def test_a_scrape_never_waits_on_a_stalled_refresh(live: Live) -> None:
    await start(live, OK)
    live.clock.advance(30)
    before = await live.refresh_and_scrape()
    live.harbor.faults.set(rate=1.0, kinds=[Fault.STALL], stall=60.0)

    refreshing = asyncio.ensure_future(live.exporter.refresh())
    second = asyncio.ensure_future(live.exporter.refresh())  # joins the running one
    during = await live.scrape()
    states = await asyncio.gather(refreshing, second)

    assert states[0] is states[1]
    assert during.value("harbor_replication_up") == 1.0
    assert during.policy_samples == before.policy_samples
    assert states[0].up is False
    assert states[0].errors["timeout"] == 1


@pytest.mark.parametrize(
    "body", [b"<html>It works!</html>", b'{"unexpected": "shape"}', b'[{"id": "x"}]']
)
async def test_answers_that_are_not_harbors_keep_the_last_values(live: Live, body: bytes) -> None:
    await start(live, OK)
    live.clock.advance(30)
    before = await live.refresh_and_scrape()

    live.garbage.body = body
    down = await live.refresh_and_scrape()
    live.garbage.body = None
    back = await live.refresh_and_scrape()

    assert down.value("harbor_replication_up") == 0.0
    assert down.value("harbor_replication_refresh_errors_total", reason="response") == 1
    assert down.policy_samples == before.policy_samples
    assert back.value("harbor_replication_up") == 1.0
    assert back.statuses(OK) == only("Succeed")
