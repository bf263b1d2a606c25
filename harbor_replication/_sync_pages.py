"""Walking a listing's pages, blocking: one request at a time.

The twin of ``_async_pages.py`` for the generated blocking client, with the same names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from harbor_replication._core import Call, Page, PagedCall, PageWalk

T = TypeVar("T")


def walk_pages(
    send: Callable[[Call[Page[T]]], Page[T]],
    call: PagedCall[T],
    concurrency: int,
) -> Iterator[T]:
    """Yield the listing's items page by page, each page requested when it is needed.

    ``concurrency`` is accepted for the async twin's signature; pages go one at a time.
    """
    walk = PageWalk(call)
    while not walk.done:
        yield from walk.take(send(call.page(walk.next_page)))
