"""What one refresh costs in requests: the newest pages, or one read per policy when that is
cheaper; never the whole history."""

from __future__ import annotations

from harbor_replication.exporter import EXECUTION_STATUSES
from tests.exporter.conftest import BROKEN, IDLE, OFF, OK, Live


async def test_deep_history_costs_the_newest_page_and_a_read_per_policy_left(live: Live) -> None:
    state = live.harbor.state
    [off_success] = state.add_finished_executions(OFF, 1, 1)
    broken_success = state.add_finished_executions(BROKEN, 1, 1)[0]
    [broken_failure] = state.add_finished_executions(BROKEN, 1, 1, status="Failed")
    live.clock.advance(10_000)
    # 2,000 newer executions of one policy bury the others' under 20 pages (FLAKY, IDLE and
    # SINGLE never ran).
    ok_ids = state.add_finished_executions(OK, 2000)

    scraped = await live.refresh_and_scrape()

    # The policies; pages 1-5 of executions (walking on while that costs fewer requests
    # than the 5 policies still unresolved); then a read for each of them: BROKEN's newest,
    # BROKEN's newest success, FLAKY's, OFF's, IDLE's and SINGLE's newest. Not the 16
    # other pages.
    assert scraped.value("harbor_replication_refresh_requests") == 1 + 5 + 6
    assert scraped.policy("harbor_replication_last_execution_id", OK) == ok_ids[-1]
    assert scraped.policy("harbor_replication_last_execution_id", BROKEN) == broken_failure
    assert scraped.statuses(BROKEN)["Failed"] == 1
    assert scraped.policy("harbor_replication_last_execution_id", OFF) == off_success
    assert scraped.statuses(IDLE) == {}
    broken = await live.client.get_replication(broken_success)
    assert scraped.policy("harbor_replication_last_success_timestamp_seconds", BROKEN) == (
        broken.end_time.timestamp()  # type: ignore[union-attr]
    )

    # The next refresh keeps BROKEN's last success: its newest execution is unchanged.
    again = await live.refresh_and_scrape()

    assert again.value("harbor_replication_refresh_requests") == 1 + 5 + 5
    assert again.policy_samples == scraped.policy_samples


def test_every_status_is_a_label_value() -> None:
    assert EXECUTION_STATUSES == (
        "InProgress",
        "Succeed",
        "Failed",
        "Stopped",
        "Retrying",
        "Skipped",
    )
