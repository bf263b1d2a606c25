"""Listings: pages requested only when needed, and overlapped pages in both clients."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Collection
from contextlib import nullcontext
from typing import Any

import httpx
import pytest

from harbor_replication import (
    AsyncReplicationClient,
    HarborConnectionError,
    ReplicationClient,
    location_id,
)
from harbor_replication._core import get_replications
from harbor_replication._paging import Page, PageWalk
from harbor_replication.models import ReplicationExecution, ReplicationTask
from harbor_replication.simulator import HarborSimulator
from tests.support import ADMIN, Harbor, close, make_client

pytestmark = pytest.mark.filterwarnings("error")

TASKS = 95  # nine full pages of 10 and a short one


class PageLog:
    """Records the ``page`` of every list request a client sends."""

    def __init__(self) -> None:
        self.pages: list[int] = []

    def record(self, request: httpx.Request) -> None:
        if "page" in request.url.params:
            self.pages.append(int(request.url.params["page"]))


class CountingTransport(httpx.HTTPTransport):
    def __init__(self, log: PageLog) -> None:
        super().__init__()
        self.log = log

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.log.record(request)
        return super().handle_request(request)


class AsyncCountingTransport(httpx.AsyncHTTPTransport):
    def __init__(self, log: PageLog, hold_from_page: int | None = None) -> None:
        super().__init__()
        self.log = log
        self.hold_from_page = hold_from_page
        self.held: list[int] = []
        self.cancelled: list[int] = []
        self._held_more = asyncio.Event()

    async def wait_until_holding(self, count: int) -> None:
        while len(self.held) < count:
            self._held_more.clear()
            await self._held_more.wait()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.log.record(request)
        page = int(request.url.params.get("page", "0"))
        if self.hold_from_page is not None and page >= self.hold_from_page:
            self.held.append(page)
            self._held_more.set()
            try:
                await asyncio.Event().wait()  # an answer that never comes
            except asyncio.CancelledError:
                self.cancelled.append(page)
                raise
        return await super().handle_async_request(request)


def counting_client(kind: str, simulator: HarborSimulator, log: PageLog, **options: Any) -> Harbor:
    transport = AsyncCountingTransport(log) if kind == "async" else CountingTransport(log)
    return Harbor(make_client(kind, simulator.url, transport=transport, **options))


@pytest.fixture(scope="module")
def execution_id(simulator: HarborSimulator) -> int:
    """A finished execution with TASKS tasks."""
    with ReplicationClient(simulator.url, username=ADMIN[0], secret=ADMIN[1]) as client:
        policy = client.create_replication_policy(
            {
                "name": "paging-tests",
                "src_registry": {"id": 1},
                "dest_namespace": "paging",
                "trigger": {"type": "manual"},
                "enabled": True,
            }
        )
    return simulator.state.add_finished_execution(location_id(policy), TASKS)


async def test_stopping_within_the_first_page_sends_one_request(
    kind: str, simulator: HarborSimulator, execution_id: int
) -> None:
    log = PageLog()
    harbor = counting_client(kind, simulator, log)
    try:
        taken = []
        async for task in harbor.iter_replication_tasks(execution_id):
            taken.append(task)
            if len(taken) == 10:
                break
        assert len(taken) == 10
        assert log.pages == [1]
    finally:
        await close(harbor.client)


@pytest.mark.parametrize(
    ("page", "page_size", "limit", "concurrency"),
    [
        (1, 10, None, 4),
        (1, 10, 35, 3),
        (1, 10, 40, 8),
        (1, 7, None, 2),
        (2, 10, None, 6),
        (3, 20, 25, 6),
        (1, 100, None, 6),
        (1, 3, 100, 1),
        (11, 10, None, 4),
    ],
)
async def test_overlapped_pages_give_the_sequential_items_and_no_extra_page(
    kind: str,
    simulator: HarborSimulator,
    execution_id: int,
    page: int,
    page_size: int,
    limit: int | None,
    concurrency: int,
) -> None:
    log = PageLog()
    harbor = counting_client(kind, simulator, log, page_concurrency=concurrency)
    try:
        options = {"page": page, "page_size": page_size, "limit": limit}
        ids = [task.id async for task in harbor.iter_replication_tasks(execution_id, **options)]
        listed = await harbor.get_replication_tasks(execution_id, **options)
    finally:
        await close(harbor.client)
    every_id = [task.id for task in simulator_tasks(simulator, execution_id)]
    start = (page - 1) * page_size
    expected = every_id[start : None if limit is None else start + limit]
    assert ids == expected
    assert [task.id for task in listed] == expected
    # Each page once per walk, none past the total or the limit (a full last page is not
    # followed by an empty one, because X-Total-Count says it was the last).
    needed = max(1, -(-min(TASKS - start, limit or TASKS) // page_size))
    assert sorted(log.pages) == sorted(list(range(page, page + needed)) * 2)


def simulator_tasks(simulator: HarborSimulator, execution_id: int) -> list[ReplicationTask]:
    with ReplicationClient(simulator.url, username=ADMIN[0], secret=ADMIN[1]) as client:
        return list(client.iter_replication_tasks(execution_id, page_size=100))


async def test_async_pages_in_flight_are_cancelled_when_the_consumer_stops(
    simulator: HarborSimulator, execution_id: int
) -> None:
    log = PageLog()
    transport = AsyncCountingTransport(log, hold_from_page=3)
    async with AsyncReplicationClient(
        simulator.url, username=ADMIN[0], secret=ADMIN[1], transport=transport, page_concurrency=4
    ) as client:
        tasks = client.iter_replication_tasks(execution_id)
        taken = [await anext(tasks) for _ in range(20)]  # pages 1 and 2
        # Asking for item 21 waits on page 3, whose answer never comes.
        waiting = asyncio.ensure_future(anext(tasks))
        await transport.wait_until_holding(3)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await tasks.aclose()
        every_task = simulator_tasks(simulator, execution_id)
        assert [task.id for task in taken] == [task.id for task in every_task[:20]]
        assert log.pages == [1, 2, 3, 4, 5]
        assert sorted(transport.cancelled) == [3, 4, 5]
        assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_the_async_client_requests_at_most_page_concurrency_pages_at_once(
    simulator: HarborSimulator, execution_id: int
) -> None:
    log = PageLog()
    transport = AsyncCountingTransport(log, hold_from_page=2)
    async with AsyncReplicationClient(
        simulator.url, username=ADMIN[0], secret=ADMIN[1], transport=transport, page_concurrency=3
    ) as client:
        tasks = client.iter_replication_tasks(execution_id)
        for _ in range(10):
            await anext(tasks)
        assert log.pages == [1]
        waiting = asyncio.ensure_future(anext(tasks))
        await transport.wait_until_holding(3)
        for _ in range(20):  # time for a fourth request, were one to be sent
            await asyncio.sleep(0)
        assert log.pages == [1, 2, 3, 4]
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        await tasks.aclose()
        assert sorted(transport.cancelled) == [2, 3, 4]


class ThreadedTransport(CountingTransport):
    """Also records the most requests in flight at once and the threads that sent them.

    Requests for the pages in ``together`` wait for each other, so they must be in flight
    at once; a request for ``failing_page`` cannot connect.
    """

    def __init__(
        self, log: PageLog, together: Collection[int] = (), failing_page: int | None = None
    ) -> None:
        super().__init__(log)
        self.together = together
        self.failing_page = failing_page
        self.in_flight = 0
        self.most_in_flight = 0
        self.threads: set[threading.Thread] = set()
        self._lock = threading.Lock()
        self._meeting = threading.Barrier(max(1, len(together)), timeout=5)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "0"))
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.threads.add(threading.current_thread())
        try:
            if page in self.together:
                self._meeting.wait()
            if page == self.failing_page:
                self.log.record(request)
                raise httpx.ConnectError("refused", request=request)
            return super().handle_request(request)
        finally:
            with self._lock:
                self.in_flight -= 1


def sync_client(
    simulator: HarborSimulator, transport: httpx.BaseTransport, **options: Any
) -> ReplicationClient:
    return ReplicationClient(
        simulator.url, username=ADMIN[0], secret=ADMIN[1], transport=transport, **options
    )


def page_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("harbor-pages")]


@pytest.mark.parametrize(
    ("page_size", "limit", "concurrency"),
    [(10, None, 4), (7, None, 2), (10, 35, 3), (20, None, 8), (3, 50, 5), (100, None, 4)],
)
def test_the_sync_clients_threads_give_the_sequential_items(
    simulator: HarborSimulator,
    execution_id: int,
    page_size: int,
    limit: int | None,
    concurrency: int,
) -> None:
    logs = {1: PageLog(), concurrency: PageLog()}
    transports = {n: ThreadedTransport(log) for n, log in logs.items()}
    listings = {}
    for n, transport in transports.items():
        with sync_client(simulator, transport, page_concurrency=n) as client:
            tasks = client.iter_replication_tasks(execution_id, page_size=page_size, limit=limit)
            listings[n] = [task.id for task in tasks]
    assert listings[concurrency] == listings[1]
    assert len(listings[1]) == min(TASKS, limit or TASKS)
    assert sorted(logs[concurrency].pages) == logs[1].pages
    # page_concurrency=1 is strictly sequential: every request from the consumer's thread.
    assert transports[1].threads == {threading.current_thread()}
    assert transports[1].most_in_flight == 1


def test_the_sync_client_requests_at_most_page_concurrency_pages_at_once(
    simulator: HarborSimulator, execution_id: int
) -> None:
    log = PageLog()
    # Pages 2 to 4 wait for each other: three threads must send them together.
    transport = ThreadedTransport(log, together=(2, 3, 4))
    with sync_client(simulator, transport, page_concurrency=3) as client:
        tasks = client.iter_replication_tasks(execution_id)
        ids = [task.id for task in tasks]
    assert ids == [task.id for task in simulator_tasks(simulator, execution_id)]
    assert transport.most_in_flight == 3
    assert log.pages[0] == 1
    assert sorted(log.pages) == list(range(1, 11))
    assert page_threads() == []


@pytest.mark.parametrize("stop", ["close", "break", "error"])
def test_stopping_the_sync_client_early_leaves_no_thread_and_no_extra_request(
    simulator: HarborSimulator, execution_id: int, stop: str
) -> None:
    log = PageLog()
    transport = ThreadedTransport(log)
    threads_before = threading.active_count()
    with sync_client(simulator, transport, page_concurrency=4) as client:
        taken: list[ReplicationTask] = []
        if stop == "close":
            tasks = client.iter_replication_tasks(execution_id)
            taken = [next(tasks) for _ in range(20)]
            tasks.close()
        else:
            with pytest.raises(LookupError) if stop == "error" else nullcontext():
                for task in client.iter_replication_tasks(execution_id):
                    taken.append(task)
                    if len(taken) == 20:
                        if stop == "error":
                            raise LookupError("the consumer fails")
                        break
        # Item 11 asked for page 2 and planned the three after it, which may have gone out
        # before the stop or been dropped from the queue; nothing was asked for since.
        assert {1, 2} <= set(log.pages) <= {1, 2, 3, 4, 5}
        assert len(set(log.pages)) == len(log.pages)
        assert page_threads() == []
        assert threading.active_count() == threads_before
    every_task = simulator_tasks(simulator, execution_id)
    assert [task.id for task in taken] == [task.id for task in every_task[:20]]


def test_a_failing_page_fails_the_sync_walk_and_stops_its_threads(
    simulator: HarborSimulator, execution_id: int
) -> None:
    log = PageLog()
    transport = ThreadedTransport(log, failing_page=3)
    threads_before = threading.active_count()
    with sync_client(simulator, transport, page_concurrency=4, max_retries=0) as client:
        taken: list[ReplicationTask] = []
        with pytest.raises(HarborConnectionError, match="refused"):
            taken.extend(client.iter_replication_tasks(execution_id))
        assert len(taken) == 20  # pages 1 and 2, in order, before page 3's error
        # Waiting on page 3 kept four pages in flight: 3 to 6, none after.
        assert set(log.pages) <= {1, 2, 3, 4, 5, 6}
        assert page_threads() == []
        assert threading.active_count() == threads_before


@pytest.mark.parametrize("concurrency", [0, -1, 2.5, True])
def test_page_concurrency_must_be_a_positive_int(
    kind: str, simulator: HarborSimulator, concurrency: object
) -> None:
    with pytest.raises(ValueError, match="page_concurrency"):
        make_client(kind, simulator.url, page_concurrency=concurrency)


def walk(page_size: int, limit: int | None, first_page: int = 1) -> PageWalk[ReplicationExecution]:
    return PageWalk(get_replications(None, None, None, None, first_page, page_size, limit))


def full_page(size: int) -> list[ReplicationExecution]:
    return [ReplicationExecution()] * size


@pytest.mark.parametrize(
    ("total", "page_size", "limit", "first_page", "planned"),
    [
        (95, 10, None, 1, range(2, 11)),
        (100, 10, None, 1, range(2, 11)),
        (95, 10, 35, 1, range(2, 5)),
        (95, 10, 30, 1, range(2, 4)),
        (95, 10, 15, 1, range(2, 3)),
        (95, 20, None, 2, range(3, 6)),
        (None, 10, None, 1, range(2, 3)),
    ],
)
def test_the_walk_plans_only_the_pages_it_will_use(
    total: int | None,
    page_size: int,
    limit: int | None,
    first_page: int,
    planned: range,
) -> None:
    pages = walk(page_size, limit, first_page)
    assert pages.plan() == range(first_page, first_page + 1)
    pages.take(Page(full_page(page_size), total))
    assert pages.plan() == planned


def test_a_finished_walk_plans_nothing() -> None:
    pages = walk(10, None)
    pages.take(Page(full_page(5), 5))
    assert pages.done
    assert len(pages.plan()) == 0


async def test_the_async_client_over_the_aiohttp_transport(
    simulator: HarborSimulator, execution_id: int
) -> None:
    """The ``aiohttp`` extra's transport gives the same answers as httpx's own."""
    httpx_aiohttp = pytest.importorskip("httpx_aiohttp")
    async with AsyncReplicationClient(
        simulator.url,
        username=ADMIN[0],
        secret=ADMIN[1],
        transport=httpx_aiohttp.AiohttpTransport(),
    ) as client:
        tasks = [task.id async for task in client.iter_replication_tasks(execution_id)]
        execution = await client.get_replication(execution_id)
    assert tasks == [task.id for task in simulator_tasks(simulator, execution_id)]
    assert execution.total == TASKS
