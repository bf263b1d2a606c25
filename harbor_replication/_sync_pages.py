"""Walking a listing's pages, blocking: pages overlapped on the client's threads, checked.

The twin of ``_async_pages.py`` for the generated blocking client, with the same names and
the same order of requests. Which pages to fetch, and whether their answers hold while
Harbor's list changes, is the sans-I/O :class:`~._paging.PageWalk`'s call;
``httpx.Client`` may be shared between threads.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Protocol, TypeVar

from harbor_replication._paging import Fetch, Page, PageWalk

if TYPE_CHECKING:
    from harbor_replication._core import Call, PagedCall

T = TypeVar("T")
R = TypeVar("R")


class Send(Protocol):
    """The client's way to send one call (retried, within its bound on requests in flight)."""

    def __call__(self, call: Call[R], /) -> R: ...


class Slots:
    """A client's bound on requests in flight: ``with slots:`` around each request.

    Waiting for a slot is not timed, so a request never fails for want of one; ``free``
    tells the listings whether prefetching a page would only queue it.
    """

    def __init__(self, size: int) -> None:
        self._semaphore = threading.Semaphore(size)
        self._lock = threading.Lock()
        self.size = self.free = size

    def __enter__(self) -> None:
        self._semaphore.acquire()
        with self._lock:
            self.free -= 1

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self.free += 1
        self._semaphore.release()


class Pages:
    """The listings of one client: their overlapped pages run on ``workers`` threads.

    The threads are the client's, shared by all its walks, and started only as needed;
    ``send`` holds the client's bound on requests in flight. A request a walk needs
    alone runs in the consumer's thread, so ``concurrency=1`` is strictly sequential.
    """

    def __init__(self, send: Send, concurrency: int, slots: Slots) -> None:
        self._send = send
        self._concurrency = concurrency
        self._slots = slots
        self._threads = ThreadPoolExecutor(slots.size, thread_name_prefix="harbor-pages")

    def walk(self, call: PagedCall[T], *, ramp: bool) -> Generator[T, None, None]:
        """The listing's items in page order, each id once; see :mod:`._paging`."""
        walk = PageWalk(call, self._concurrency, ramp=ramp)
        return _walk(self._send, self._slots, self._threads, walk)

    def close(self) -> None:
        """Stop the threads (after the requests they are running)."""
        self._threads.shutdown(wait=True, cancel_futures=True)


def _walk(
    send: Send, slots: Slots, threads: ThreadPoolExecutor, walk: PageWalk[T]
) -> Generator[T, None, None]:
    # Stopping early (``break``, ``close()``) or an error drops the requests not yet
    # started and waits for those running, so none outlives the walk.
    running: dict[Fetch, Future[Page[T]]] = {}
    try:
        while True:
            fetches = walk.to_send(slots.free)
            if len(fetches) == 1 and not running:
                fetch = fetches[0]
                walk.answer(fetch, send(walk.call.page(fetch.number, fetch.size)))
                continue
            for fetch in fetches:
                running[fetch] = threads.submit(send, walk.call.page(fetch.number, fetch.size))
            items = walk.hand_out()
            if items is not None:
                yield from items
                continue
            if walk.finished:
                return
            awaited = walk.awaited()
            walk.answer(awaited, running.pop(awaited).result())
            # Answers already in are taken now: the earlier the walk knows, the less it doubts.
            # An error waits until its page is needed, after the pages before it.
            for fetch in [f for f, future in running.items() if _answered(future)]:
                walk.answer(fetch, running.pop(fetch).result())
            for fetch in walk.dropped():
                future = running.pop(fetch, None)
                if future is not None:
                    future.cancel()
    finally:
        for future in running.values():
            future.cancel()
        wait(running.values())


def _answered(future: Future[Page[T]]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None
