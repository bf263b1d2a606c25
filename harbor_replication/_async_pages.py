"""Walking a listing's pages with asyncio: the pages after the first are fetched at once.

Hand-written; ``_sync_pages.py`` is its blocking twin, and the client generator maps the
one onto the other. Which pages to fetch is the sans-I/O :class:`~._paging.PageWalk`'s call.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from harbor_replication._paging import Page, PageWalk

if TYPE_CHECKING:
    from harbor_replication._core import Call, PagedCall

T = TypeVar("T")


async def walk_pages(
    send: Callable[[Call[Page[T]]], Awaitable[Page[T]]],
    call: PagedCall[T],
    concurrency: int,
) -> AsyncGenerator[T, None]:
    """Yield the listing's items in page order, at most ``concurrency`` pages in flight.

    The first page goes alone: its ``X-Total-Count`` plans the rest. Later pages are
    requested only once the consumer asks for an item past the pages it already has,
    so stopping within a page never costs a request; stopping early (``break``,
    ``aclose()``) or an error cancels the requests still in flight.
    """
    walk = PageWalk(call)
    ahead: deque[asyncio.Task[Page[T]]] = deque()
    try:
        while not walk.done:
            for number in walk.to_request(len(ahead), concurrency):
                ahead.append(asyncio.ensure_future(send(call.page(number))))
            page = await ahead.popleft()
            for item in walk.take(page):
                yield item
    finally:
        for task in ahead:
            task.cancel()
        # Collect them, so no error of a cancelled request is left unretrieved.
        await asyncio.gather(*ahead, return_exceptions=True)
