"""Walking a listing's pages, blocking: the pages after the first are fetched by a few threads.

The twin of ``_async_pages.py`` for the generated blocking client, with the same names and
the same order of requests. Which pages to fetch is the sans-I/O :class:`~._paging.PageWalk`'s
call; ``httpx.Client`` may be shared between threads.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from harbor_replication._paging import Page, PageWalk

if TYPE_CHECKING:
    from harbor_replication._core import Call, PagedCall

T = TypeVar("T")


def walk_pages(
    send: Callable[[Call[Page[T]]], Page[T]],
    call: PagedCall[T],
    concurrency: int,
) -> Generator[T, None, None]:
    """Yield the listing's items in page order, at most ``concurrency`` pages in flight.

    The first page goes alone: its ``X-Total-Count`` plans the rest. Later pages are
    requested only once the consumer asks for an item past the pages it already has,
    so stopping within a page never costs a request. A page requested alone is requested
    in the consumer's thread; more at once go to a thread pool of this walk, so
    ``concurrency=1`` is strictly sequential. Stopping early (``break``, ``close()``) or an
    error drops the requests not yet started and waits for those running, so no thread
    outlives the walk.
    """
    walk = PageWalk(call)
    ahead: deque[Future[Page[T]]] = deque()
    pool: ThreadPoolExecutor | None = None
    try:
        while not walk.done:
            numbers = walk.to_request(len(ahead), concurrency)
            if not ahead and len(numbers) == 1:
                yield from walk.take(send(call.page(numbers[0])))
                continue
            if pool is None:
                pool = ThreadPoolExecutor(concurrency, thread_name_prefix="harbor-pages")
            for number in numbers:
                ahead.append(pool.submit(send, call.page(number)))
            yield from walk.take(ahead.popleft().result())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
