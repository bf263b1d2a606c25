"""The clients under injected faults: listings stay exact, a start never happens twice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from harbor_replication import HarborAPIError, HarborError, ServerError
from harbor_replication.simulator import TRANSIENT_FAULTS, Fault, HarborSimulator
from tests.reliability.conftest import new_policy
from tests.support import Harbor, open_client, wait_for

# Stalls hold an answer until the client gives up, at its read timeout: the stall's own
# limit is far beyond it, so even a test process held up for long never gets the answer.
TIMEOUT = httpx.Timeout(2.0, read=0.5)
STALL = 60.0
# How a start ends under each fault: (returned, executions made). Faults before Harbor takes
# the POST leave nothing; after it, the execution exists and the client, which never sends a
# POST twice, raises. A 201's body is empty, so truncating it changes nothing.
START_UNDER_FAULT = {
    Fault.UNAVAILABLE: (False, 0),
    Fault.BAD_GATEWAY: (False, 0),
    Fault.TOO_MANY_REQUESTS: (False, 0),
    Fault.RESET_BEFORE: (False, 0),
    Fault.GATEWAY_TIMEOUT: (False, 1),
    Fault.RESET_AFTER: (False, 1),
    Fault.STALL: (False, 1),
    Fault.TRUNCATED: (True, 1),
}


@pytest.fixture(params=["sync", "async"])
async def faulty_client(
    request: pytest.FixtureRequest, harbor_with_faults: HarborSimulator
) -> AsyncIterator[Harbor]:
    async with open_client(
        str(request.param), harbor_with_faults.url, timeout=TIMEOUT, max_retries=10
    ) as harbor:
        yield harbor


async def test_listing_under_every_fault_returns_exactly_the_executions(
    harbor_with_faults: HarborSimulator, faulty_client: Harbor
) -> None:
    simulator = harbor_with_faults
    policy_id = new_policy(simulator, f"listing-{faulty_client.kind}")
    expected = simulator.state.add_finished_executions(policy_id, 2000)
    # Every kind once among the first requests, then a 20% rate of all of them.
    schedule = [fault for kind in TRANSIENT_FAULTS for fault in (kind, None)]
    simulator.faults.set(schedule=schedule, rate=0.2, seed=20, stall=STALL, retry_after="0")

    executions = await faulty_client.get_replications(policy_id=policy_id, page_size=100)

    assert sorted(e.id for e in executions) == sorted(expected)
    assert len({e.id for e in executions}) == 2000
    assert set(simulator.faults.injected) == set(TRANSIENT_FAULTS)


@pytest.mark.parametrize("fault", TRANSIENT_FAULTS)
async def test_a_start_under_a_fault_creates_one_execution_or_raises(
    harbor_with_faults: HarborSimulator, faulty_client: Harbor, fault: Fault
) -> None:
    simulator = harbor_with_faults
    policy_id = new_policy(simulator, f"start-{faulty_client.kind}-{fault.value}")
    simulator.faults.set(schedule=[fault], stall=STALL, retry_after="0")

    try:
        await faulty_client.start_replication(policy_id)
    except HarborError:
        started = False
    else:
        started = True

    if fault is Fault.STALL:
        # the client gives up on its own clock, maybe before the simulator got to the work
        wait_for(lambda: simulator.state.execution_count(policy_id), failure="no execution")
    assert (started, simulator.state.execution_count(policy_id)) == START_UNDER_FAULT[fault]


async def test_starts_under_a_fault_rate_never_run_twice(
    harbor_with_faults: HarborSimulator, faulty_client: Harbor
) -> None:
    simulator = harbor_with_faults
    simulator.faults.set(rate=0.3, seed=3, stall=STALL, retry_after="0")
    for n in range(12):
        policy_id = new_policy(simulator, f"rate-{faulty_client.kind}-{n}")
        try:
            await faulty_client.start_replication(policy_id)
        except HarborError:
            assert simulator.state.execution_count(policy_id) <= 1
        else:
            assert simulator.state.execution_count(policy_id) == 1


async def test_gets_are_retried_until_they_succeed(
    harbor_with_faults: HarborSimulator, faulty_client: Harbor
) -> None:
    simulator = harbor_with_faults
    policy_id = new_policy(simulator, f"get-{faulty_client.kind}")
    simulator.faults.set(schedule=list(TRANSIENT_FAULTS), stall=STALL, retry_after="0")

    policy = await faulty_client.get_replication_policy(policy_id)

    assert policy.id == policy_id
    assert simulator.faults.injected == dict.fromkeys(TRANSIENT_FAULTS, 1)


async def test_retries_end_after_max_retries_with_the_last_error(
    harbor_with_faults: HarborSimulator,
) -> None:
    simulator = harbor_with_faults
    simulator.faults.set(schedule=[Fault.BAD_GATEWAY] * 5)
    async with open_client("async", simulator.url, max_retries=2) as harbor:
        with pytest.raises(ServerError) as caught:
            await harbor.get_registries()
    assert caught.value.status_code == 502
    # The first try and two retries; the rest of the schedule is left.
    assert simulator.faults.injected[Fault.BAD_GATEWAY] == 3


async def test_a_retry_after_beyond_backoff_max_is_not_waited_out(
    harbor_with_faults: HarborSimulator,
) -> None:
    simulator = harbor_with_faults
    simulator.faults.set(schedule=[Fault.UNAVAILABLE, Fault.UNAVAILABLE], retry_after="3600")
    async with open_client("sync", simulator.url, backoff_max=5) as harbor:
        with pytest.raises(ServerError) as caught:
            await harbor.get_registries()
    assert caught.value.retry_after == 3600
    assert simulator.faults.injected[Fault.UNAVAILABLE] == 1


@pytest.mark.parametrize("status", [502, 503, 504, 413])
async def test_semantics_07_proxy_pages_are_api_errors_without_harbor_codes(
    harbor_with_faults: HarborSimulator, faulty_client: Harbor, status: int
) -> None:
    """SEMANTICS 7: nginx answers 502, 503, 504 and 413 with HTML, not Harbor's JSON."""
    simulator = harbor_with_faults
    simulator.faults.set(schedule=[Fault(str(status))] * 20, retry_after="0")
    with pytest.raises(HarborAPIError) as caught:
        await faulty_client.get_registries()
    error = caught.value
    assert error.status_code == status
    assert error.errors == ()
    assert error.code is None
    assert "nginx" in error.text
    assert f"HTTP {status}" in str(error)


def test_fault_draws_repeat_with_a_seed() -> None:
    from harbor_replication.simulator import FaultConfig, FaultInjector

    def draws(seed: int) -> list[Fault | None]:
        injector = FaultInjector(FaultConfig(rate=0.5, seed=seed))
        return [injector.draw() for _ in range(50)]

    assert draws(1) == draws(1)
    assert draws(1) != draws(2)
    assert any(draws(1))
    assert None in draws(1)


def test_fault_options_on_the_command_line() -> None:
    import argparse

    from harbor_replication.simulator import add_arguments, config_from_args

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(
        [
            "--latency-ms",
            "25",
            "--fault-rate",
            "0.2",
            "--faults",
            "503,reset-after",
            "--fault-seed",
            "7",
            "--retry-after",
            "2",
            "--stall-seconds",
            "9",
        ]
    )
    faults = config_from_args(args).faults
    assert faults.latency == pytest.approx(0.025)
    assert (faults.rate, faults.seed, faults.retry_after, faults.stall) == (0.2, 7, "2", 9.0)
    assert faults.kinds == (Fault.UNAVAILABLE, Fault.RESET_AFTER)
    with pytest.raises(ValueError, match="unknown fault"):
        config_from_args(parser.parse_args(["--faults", "gremlins"]))
    with pytest.raises(ValueError, match="from 0 to 1"):
        config_from_args(parser.parse_args(["--fault-rate", "2"]))
