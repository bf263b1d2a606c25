"""Listings that stay exact: many at once on one client, and while Harbor's list changes."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from harbor_replication import AsyncReplicationClient, ReplicationClient, location_id
from harbor_replication.models import ReplicationExecution
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from harbor_replication.simulator._faults import FaultConfig
from tests.support import ADMIN

EXECUTIONS = 100
RETAINED = 40
# A pool timeout far shorter than the wait for a connection would be without the client's
# own bound: any request left waiting for a pooled connection fails the test.
SHORT_POOL_WAIT = httpx.Timeout(10.0, pool=0.05)
CONNECTIONS = 8
BOUNDED: dict[str, Any] = {
    "username": ADMIN[0],
    "secret": ADMIN[1],
    "timeout": SHORT_POOL_WAIT,
    "max_connections": CONNECTIONS,
}


class _InFlight:
    """Counts the requests the simulator is serving at once."""

    def __init__(self, app: ASGIApp, counter: list[int]) -> None:
        self.app = app
        self.counter = counter  # [now, most]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.counter[0] += 1
        self.counter[1] = max(self.counter[1], self.counter[0])
        try:
            await self.app(scope, receive, send)
        finally:
            self.counter[0] -= 1


def ids(executions: list[ReplicationExecution]) -> list[int]:
    return [execution.id for execution in executions if isinstance(execution.id, int)]


def seeded_policy(harbor: HarborSimulator, name: str) -> int:
    with ReplicationClient(harbor.url, username=ADMIN[0], secret=ADMIN[1]) as client:
        location = client.create_replication_policy(
            {
                "name": name,
                "src_registry": {"id": 1},
                "dest_namespace": name,
                "trigger": {"type": "manual"},
                "enabled": True,
            }
        )
    return location_id(location)


@pytest.fixture(scope="module")
def busy() -> Iterator[tuple[HarborSimulator, list[int], list[int]]]:
    """A Harbor with EXECUTIONS executions, 5 ms per request, counting requests in flight."""
    counter = [0, 0]
    config = SimulatorConfig(
        middleware=[Middleware(_InFlight, counter=counter)],
        faults=FaultConfig(latency=0.005),
        executions_retained_per_policy=EXECUTIONS,
    )
    with HarborSimulator(config) as harbor:
        policy_id = seeded_policy(harbor, "under-load")
        harbor.state.add_finished_executions(policy_id, EXECUTIONS)
        newest_first = list(reversed(sorted(harbor.state.executions)))
        yield harbor, newest_first, counter


def test_100_coroutines_listing_on_one_async_client_all_get_everything(
    busy: tuple[HarborSimulator, list[int], list[int]],
) -> None:
    harbor, expected, counter = busy

    async def main() -> list[list[int]]:
        async with AsyncReplicationClient(harbor.url, **BOUNDED) as client:

            async def listing() -> list[int]:
                return ids(await client.get_replications(page_size=20))

            return await asyncio.gather(*(listing() for _ in range(100)))

    counter[1] = 0
    listings = asyncio.run(main())
    assert listings == [expected] * 100
    assert counter[1] == CONNECTIONS


def test_50_threads_listing_on_one_sync_client_all_get_everything(
    busy: tuple[HarborSimulator, list[int], list[int]],
) -> None:
    harbor, expected, counter = busy
    counter[1] = 0
    with ReplicationClient(harbor.url, **BOUNDED) as client:

        def listing(_: int) -> list[int]:
            return ids(client.get_replications(page_size=20))

        with ThreadPoolExecutor(50) as threads:
            listings = list(threads.map(listing, range(50)))
    assert listings == [expected] * 50
    assert counter[1] == CONNECTIONS


class _Churn:
    """Before each listing request: maybe start an execution, then a random short delay.

    A start puts a new execution at the head of the newest-first list and Harbor's sweep
    removes the policy's oldest beyond the retained number, at the tail: X-Total-Count stays
    the same. The delays make the simulator serve overlapped pages out of order.
    """

    def __init__(self, app: ASGIApp, change: Callable[[], None], draws: random.Random) -> None:
        self.app = app
        self.change = change
        self.draws = draws

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/replication/executions"):
            if scope["method"] == "GET" and self.draws.random() < 0.5:
                self.change()
            await asyncio.sleep(self.draws.uniform(0, 0.004))
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def churning() -> Iterator[HarborSimulator]:
    """A Harbor whose one policy keeps RETAINED executions and starts more while listed.

    The seed's failing repositories make every execution retry (docs/harbor-behaviour.md
    §30); without backoff each is final a few task durations after it starts, so the
    sweep only ever removes the oldest, at the tail. With Harbor's backoff the executions
    stay running for a minute or more, the list grows past RETAINED, and once they finish
    the sweep removes them from the middle of the list (§20: only final executions go),
    ahead of older ones still retrying: those move up while a walk passes them, which one
    page after the other misses too.
    """
    draws = random.Random(15)
    policy: list[int] = []
    config = SimulatorConfig(
        middleware=[Middleware(_Churn, change=lambda: start(), draws=draws)],
        executions_retained_per_policy=RETAINED,
        task_duration=0.01,
        retry_backoff_scale=0,
    )
    with HarborSimulator(config) as harbor:

        def start() -> None:
            if policy:
                harbor.state.start_execution(policy[0])

        policy_id = seeded_policy(harbor, "churning")
        harbor.state.add_finished_executions(policy_id, RETAINED)
        policy.append(policy_id)
        yield harbor


def present(harbor: HarborSimulator) -> set[int]:
    with harbor.state.lock:
        return set(harbor.state.executions)


@pytest.mark.parametrize("sort", [None, "-id"])
def test_listings_while_executions_start_and_are_swept_miss_nothing_that_stayed(
    churning: HarborSimulator, kind: str, sort: str | None
) -> None:
    """get_* and (every other run) the lazy iter_*, whose pages ramp up as they are read."""
    options: dict[str, Any] = {"sort": sort, "page_size": 3}

    async def walk_async(lazy: bool) -> list[ReplicationExecution]:
        async with AsyncReplicationClient(churning.url, username=ADMIN[0], secret=ADMIN[1]) as c:
            if lazy:
                return [execution async for execution in c.iter_replications(**options)]
            return await c.get_replications(**options)

    def walk_sync(lazy: bool) -> list[ReplicationExecution]:
        with ReplicationClient(churning.url, username=ADMIN[0], secret=ADMIN[1]) as c:
            if lazy:
                return list(c.iter_replications(**options))
            return c.get_replications(**options)

    for run in range(8):
        before = present(churning)
        lazy = run % 2 == 1
        listed = ids(asyncio.run(walk_async(lazy)) if kind == "async" else walk_sync(lazy))
        after = present(churning)
        stayed = before & after
        # What a walk promises: the scenario only removes behind everything that stayed
        # (ids grow with start time, so the tail is the smallest ids in both orders).
        assert max(before - after, default=0) < min(stayed)
        assert len(listed) == len(set(listed))
        assert stayed - set(listed) == set()
