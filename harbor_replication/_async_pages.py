"""Walking a listing's pages with asyncio: pages overlapped, checked, fetched again if need be.

Hand-written; ``_sync_pages.py`` is its blocking twin, and the client generator maps the
one onto the other. Which pages to fetch, and whether their answers hold while Harbor's
list changes, is the sans-I/O :class:`~._paging.PageWalk`'s call.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable
from typing import TYPE_CHECKING, Protocol, TypeVar

from harbor_replication._paging import Fetch, Page, PageWalk

if TYPE_CHECKING:
    from harbor_replication._core import Call, PagedCall

T = TypeVar("T")
R = TypeVar("R")


class Send(Protocol):
    """The client's way to send one call (retried, within its bound on requests in flight)."""

    def __call__(self, call: Call[R], /) -> Awaitable[R]: ...


class Slots:
    """A client's bound on requests in flight: ``async with slots:`` around each request.

    Waiting for a slot is not timed, so a request never fails for want of one; ``free``
    tells the listings whether prefetching a page would only queue it.
    """

    def __init__(self, size: int) -> None:
        self._semaphore = asyncio.Semaphore(size)
        self.free = size

    async def __aenter__(self) -> None:
        await self._semaphore.acquire()
        self.free -= 1

    async def __aexit__(self, *exc_info: object) -> None:
        self.free += 1
        self._semaphore.release()


class Pages:
    """The listings of one client: each walk's pages go out through the client's ``send``.

    ``send`` holds the client's bound on requests in flight, so any number of walks
    share it; this class holds nothing else for asyncio (its blocking twin holds the
    client's threads).
    """

    def __init__(self, send: Send, concurrency: int, slots: Slots) -> None:
        self._send = send
        self._concurrency = concurrency
        self._slots = slots

    def walk(self, call: PagedCall[T], *, ramp: bool) -> AsyncGenerator[T, None]:
        """The listing's items in page order, each id once; see :mod:`._paging`."""
        return _walk(self._send, self._slots, PageWalk(call, self._concurrency, ramp=ramp))

    async def aclose(self) -> None:
        """Nothing to release for asyncio."""


async def _walk(send: Send, slots: Slots, walk: PageWalk[T]) -> AsyncGenerator[T, None]:
    # Later pages are requested only when the consumer comes back for more, so stopping
    # within a page never costs a request; stopping early (``break``, ``aclose()``) or an
    # error cancels the requests still in flight.
    running: dict[Fetch, asyncio.Future[Page[T]]] = {}
    try:
        while True:
            for fetch in walk.to_send(slots.free):
                running[fetch] = asyncio.ensure_future(
                    send(walk.call.page(fetch.number, fetch.size))
                )
            items = walk.hand_out()
            if items is not None:
                for item in items:
                    yield item
                continue
            if walk.finished:
                return
            awaited = walk.awaited()
            walk.answer(awaited, await running.pop(awaited))
            # Answers already in are taken now: the earlier the walk knows, the less it doubts.
            # An error waits until its page is needed, after the pages before it.
            for fetch in [f for f, task in running.items() if _answered(task)]:
                walk.answer(fetch, running.pop(fetch).result())
            for fetch in walk.dropped():
                task = running.pop(fetch, None)
                if task is not None:
                    task.cancel()
    finally:
        for task in running.values():
            task.cancel()
        # Collect them, so no error of a cancelled request is left unretrieved.
        await asyncio.gather(*running.values(), return_exceptions=True)


def _answered(task: asyncio.Future[Page[T]]) -> bool:
    return task.done() and not task.cancelled() and task.exception() is None
