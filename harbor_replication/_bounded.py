"""Apply a function to a stream of items with at most ``limit`` calls in flight.

Results come in the order they finish. Items are pulled from the source only as room
frees up, and each result is handed on at once, so neither the items nor the results are
ever all held in memory. ``amap_bounded`` runs coroutines on the event loop;
``map_bounded`` is its blocking twin on a small thread pool (the operations modules are
written from the async one, which names ``amap_bounded``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def amap_bounded(
    function: Callable[[T], Awaitable[R]], items: AsyncIterable[T] | Iterable[T], limit: int
) -> AsyncIterator[R]:
    """``function(item)`` for each item, ``limit`` at a time, yielded as each finishes.

    On the first failure the calls still running are cancelled, and the failure is raised
    once they have ended.
    """
    source = aiter(items) if isinstance(items, AsyncIterable) else _async_iterator(items)
    pending: set[asyncio.Future[R]] = set()
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < limit:
                try:
                    item = await anext(source)
                except StopAsyncIteration:
                    exhausted = True
                    break
                pending.add(asyncio.ensure_future(function(item)))
            if not pending:
                return
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        for future in pending:
            future.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)


async def _async_iterator(items: Iterable[T]) -> AsyncIterator[T]:
    for item in items:
        yield item


def map_bounded(function: Callable[[T], R], items: Iterable[T], limit: int) -> Iterator[R]:
    """``function(item)`` for each item on ``limit`` threads, yielded as each finishes.

    On the first failure the calls not started are dropped, and the failure is raised once
    those running have ended, so no thread outlives the loop.
    """
    source = iter(items)
    pending: set[concurrent.futures.Future[R]] = set()
    exhausted = False
    with concurrent.futures.ThreadPoolExecutor(max_workers=limit) as pool:
        try:
            while True:
                while not exhausted and len(pending) < limit:
                    try:
                        item = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    pending.add(pool.submit(function, item))
                if not pending:
                    return
                done, pending = concurrent.futures.wait(
                    pending, return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in done:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()
