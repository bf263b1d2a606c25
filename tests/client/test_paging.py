"""Listings: pages requested only when needed, and overlapped pages in both clients."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Collection
from contextlib import nullcontext
from random import Random
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
from harbor_replication._paging import Fetch, Page, PageWalk
from harbor_replication.models import ReplicationExecution, ReplicationTask
from harbor_replication.simulator import HarborSimulator
from tests.support import ADMIN, Harbor, close, make_client

pytestmark = pytest.mark.filterwarnings("error")

TASKS = 95  # nine full pages of 10 and a short one


def is_probe(request: httpx.Request) -> bool:
    """The walk's check of the list's head: page 1 of page size 1 (no test pages by 1)."""
    return bool(request.url.params.get("page_size") == "1")


class PageLog:
    """Records the ``page`` of every list request a client sends, and counts the probes."""

    def __init__(self) -> None:
        self.pages: list[int] = []
        self.probes = 0

    def record(self, request: httpx.Request) -> None:
        if is_probe(request):
            self.probes += 1
        elif "page" in request.url.params:
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
        if (
            self.hold_from_page is not None
            and page >= self.hold_from_page
            and not is_probe(request)
        ):
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
        # Item 11 sent pages 2 and 3 (the ramp's first step), so these are pages 1 and 2.
        taken = [await anext(tasks) for _ in range(20)]
        # Asking for item 21 waits on page 3, whose answer never comes, and sends 4 to 6.
        waiting = asyncio.ensure_future(anext(tasks))
        await transport.wait_until_holding(4)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await tasks.aclose()
        every_task = simulator_tasks(simulator, execution_id)
        assert [task.id for task in taken] == [task.id for task in every_task[:20]]
        assert log.pages == [1, 2, 3, 4, 5, 6]
        assert sorted(transport.cancelled) == [3, 4, 5, 6]
        assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_the_async_client_requests_at_most_page_concurrency_pages_at_once(
    simulator: HarborSimulator, execution_id: int
) -> None:
    log = PageLog()
    transport = AsyncCountingTransport(log, hold_from_page=2)
    async with AsyncReplicationClient(
        simulator.url, username=ADMIN[0], secret=ADMIN[1], transport=transport, page_concurrency=3
    ) as client:
        # get_* reads everything, so it asks for page_concurrency pages after the first.
        waiting = asyncio.ensure_future(client.get_replication_tasks(execution_id))
        await transport.wait_until_holding(3)
        for _ in range(20):  # time for a fourth request, were one to be sent
            await asyncio.sleep(0)
        assert log.pages == [1, 2, 3, 4]
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
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
        if is_probe(request):
            self.log.record(request)
            return super().handle_request(request)
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
        ids = [task.id for task in client.get_replication_tasks(execution_id)]
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
        # Item 11 asked for pages 2 and 3 (the ramp's first step); nothing was asked since.
        assert sorted(log.pages) == [1, 2, 3]
    # The client's threads end with the client.
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


@pytest.mark.parametrize("option", ["page_concurrency", "max_connections"])
@pytest.mark.parametrize("value", [0, -1, 2.5, True])
def test_page_concurrency_and_max_connections_must_be_positive_ints(
    kind: str, simulator: HarborSimulator, option: str, value: object
) -> None:
    options: dict[str, Any] = {option: value}
    with pytest.raises(ValueError, match=f"{option} must be a positive int"):
        make_client(kind, simulator.url, **options)


def walk(
    page_size: int, limit: int | None, first_page: int = 1, concurrency: int = 8, ramp: bool = True
) -> PageWalk[ReplicationExecution]:
    call = get_replications(None, None, None, None, first_page, page_size, limit)
    return PageWalk(call, concurrency, ramp=ramp)


def executions(first_id: int, count: int) -> list[ReplicationExecution]:
    return [ReplicationExecution(id=first_id + n) for n in range(count)]


def pages_of(fetches: list[Fetch]) -> list[int]:
    return [fetch.number for fetch in fetches if fetch.serial > 0]


@pytest.mark.parametrize(
    ("total", "page_size", "limit", "first_page", "planned"),
    [
        (95, 10, None, 1, range(2, 10)),
        (100, 10, None, 1, range(2, 10)),
        (95, 10, 35, 1, range(2, 5)),
        (95, 10, 30, 1, range(2, 4)),
        (95, 10, 15, 1, range(2, 3)),
        (95, 20, None, 2, range(3, 6)),
        (None, 10, None, 1, range(2, 3)),
    ],
)
def test_a_walk_that_reads_everything_asks_for_the_pages_it_will_use_at_once(
    total: int | None,
    page_size: int,
    limit: int | None,
    first_page: int,
    planned: range,
) -> None:
    pages = walk(page_size, limit, first_page, ramp=False)
    first = pages.to_send()
    assert pages_of(first) == [first_page]
    for fetch in first:  # a probe of the head goes with a first page past page 1
        pages.answer(fetch, Page(executions(1, page_size if fetch.serial > 0 else 1), total))
    assert len(pages.hand_out() or []) == min(page_size, limit or page_size)
    assert pages_of(pages.to_send()) == list(planned)


def test_a_lazy_walk_ramps_up_as_its_pages_are_taken() -> None:
    pages = walk(10, None, concurrency=8)
    sent = []
    for number in range(1, 8):
        sent.append(pages_of(pages.to_send()))
        awaited = pages.awaited()
        assert awaited.number == number
        pages.answer(awaited, Page(executions(number * 10, 10), 1000))
        assert len(pages.hand_out() or []) == 10
    # Page 1 alone; reaching item 11 sends two, then up to 4 and 8 pages ahead.
    assert sent == [[1], [2, 3], [4, 5, 6], [7, 8, 9, 10, 11], [12], [13], [14]]


def test_a_finished_walk_asks_for_nothing() -> None:
    pages = walk(10, None)
    fetch = pages.to_send()[0]
    pages.answer(fetch, Page(executions(1, 5), 5))
    assert len(pages.hand_out() or []) == 5
    assert pages.finished
    assert pages.to_send() == []


class ChangingList:
    """A listing Harbor serves by offset while items come and go, for the pure walk."""

    def __init__(self, count: int, random: Random) -> None:
        self.ids = list(range(1, count + 1))
        self.next_id = count + 1
        self.random = random
        self.removed_ahead: set[int] = set()  # items something ahead of was removed
        self.added_ahead: set[int] = set()  # items something was added ahead of, not first
        self.removals = 0

    def serve(self, fetch: Fetch) -> Page[ReplicationExecution]:
        start = (fetch.number - 1) * fetch.size
        chosen = self.ids[start : start + fetch.size]
        return Page([ReplicationExecution(id=n) for n in chosen], len(self.ids))

    def change(self, kind: str) -> None:
        if kind == "head":
            self.ids.insert(0, self.next_id)
        elif kind == "tail":
            self.ids.append(self.next_id)
        elif kind == "middle":
            index = self.random.randrange(len(self.ids) + 1)
            self.added_ahead.update(self.ids[index:])
            self.ids.insert(index, self.next_id)
        self.next_id += 1
        if kind in {"head", "tail", "middle"} or not self.ids:
            return
        # Removals: the last (Harbor's sweep with newest first), the first (oldest first)
        # or any; the items behind it lose one-by-one paging's promise.
        where = {"drop-last": -1, "drop-first": 0}.get(kind, self.random.randrange(len(self.ids)))
        index = where % len(self.ids)
        self.removed_ahead.update(self.ids[index + 1 :])
        del self.ids[index]
        self.removals += 1

    def unpromised(self) -> set[int]:
        """Items the walk may miss: behind a removal, or behind an addition in the middle
        that a removal may have balanced (X-Total-Count unchanged, head unchanged)."""
        return self.removed_ahead | (self.added_ahead if self.removals else set())


def drive(
    pages: PageWalk[ReplicationExecution], harbor: ChangingList, changes: list[str]
) -> list[int]:
    """Run ``pages`` as a walker would, Harbor serving and answering requests in a random order."""
    random = harbor.random
    sent: list[Fetch] = []
    served: dict[Fetch, Page[ReplicationExecution]] = {}
    handed: list[int] = []

    def serve_some() -> None:
        for fetch in random.sample(sent, len(sent)):
            if random.random() < 0.5:
                served[fetch] = harbor.serve(fetch)
                sent.remove(fetch)
            if changes and random.random() < 0.3:
                harbor.change(changes.pop())

    while True:
        sent.extend(pages.to_send())
        items = pages.hand_out()
        if items is not None:
            handed.extend(item.id for item in items if isinstance(item.id, int))
            continue
        if pages.finished:
            return handed
        awaited = pages.awaited()
        while awaited not in served:
            serve_some()
        pages.answer(awaited, served.pop(awaited))
        for fetch in [f for f in served if random.random() < 0.5]:
            pages.answer(fetch, served.pop(fetch))
        for fetch in pages.dropped():
            served.pop(fetch, None)
            if fetch in sent:
                sent.remove(fetch)


@pytest.mark.parametrize(
    "kinds",
    [
        ["head"],
        ["head", "drop-last"],
        ["tail", "drop-first"],
        ["middle"],
        ["middle", "drop-any"],
        ["head", "tail", "middle", "drop-last", "drop-first", "drop-any"],
    ],
)
@pytest.mark.parametrize("ramp", [True, False])
def test_overlapped_pages_lose_nothing_one_by_one_paging_would_return(
    kinds: list[str], ramp: bool
) -> None:
    for seed in range(150):
        random = Random(seed)
        harbor = ChangingList(random.randrange(0, 120), random)
        before = set(harbor.ids)
        changes = [random.choice(kinds) for _ in range(random.randrange(1, 12))]
        page_size = random.choice([1, 3, 10])
        pages = walk(page_size, None, 1, concurrency=random.choice([2, 4, 8]), ramp=ramp)
        handed = drive(pages, harbor, changes)
        throughout = before & set(harbor.ids)
        assert len(handed) == len(set(handed)), seed
        missing = throughout - set(handed) - harbor.unpromised()
        assert not missing, (seed, sorted(missing))


def test_a_list_that_does_not_change_costs_no_second_fetch_of_a_page() -> None:
    for seed in range(50):
        random = Random(seed)
        harbor = ChangingList(95, random)
        pages = walk(10, None, concurrency=4, ramp=False)
        assert drive(pages, harbor, []) == list(range(1, 96))
        assert not pages.sequential


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
