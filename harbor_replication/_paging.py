"""Paging through Harbor's listings: which page to ask for next, and when to stop.

Pure (sans-I/O), like ``_core.py``: the walkers in ``_async_pages.py`` and
``_sync_pages.py`` move the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from harbor_replication._core import PagedCall

T = TypeVar("T")

# Listing pages requested at once (async tasks or the sync client's threads); a polite load
# for one Harbor core.
DEFAULT_PAGE_CONCURRENCY = 8


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int | None


class PageWalk(Generic[T]):
    """Decides, from a listing's own parameters and each answer, whether to go on.

    Each next request is built from the call's parameters (page + 1), never from the
    ``Link`` header, whose query Harbor has percent-decoded (docs/harbor-behaviour.md §23). Answers
    must be handed to :meth:`take` in page order, whatever order they arrived in.
    """

    __slots__ = ("_planned", "_requested", "call", "done", "next_page", "total", "wanted")

    def __init__(self, call: PagedCall[T]) -> None:
        self.call = call
        self.next_page = call.first_page
        self.wanted = call.limit
        self.total: int | None = None
        self.done = False
        self._planned = range(0)
        self._requested = self.next_page - 1

    def take(self, page: Page[T]) -> list[T]:
        """Record the answer for ``next_page``; return the items to hand out."""
        items = page.items
        page_size = self.call.page_size
        short = len(items) < page_size
        if self.wanted is not None:
            items = items[: self.wanted]
            self.wanted -= len(items)
        seen_through = self.next_page * page_size
        self.next_page += 1
        self.total = page.total
        self.done = (
            short or self.wanted == 0 or (page.total is not None and seen_through >= page.total)
        )
        return items

    def plan(self) -> range:
        """The pages known to be needed, from ``next_page`` on; they may be fetched at once.

        Until an answer has given ``X-Total-Count`` that is ``next_page`` alone. Then it
        runs to the last page the total holds, or the last one ``limit`` needs if that
        comes first: a page the walk will not use is never in the plan.
        """
        if self.done:
            return range(self.next_page, self.next_page)
        page_size = self.call.page_size
        last = self.next_page
        if self.total is not None:
            last = max(last, -(-self.total // page_size))
        if self.wanted is not None:
            last = min(last, self.next_page - 1 + -(-self.wanted // page_size))
        return range(self.next_page, last + 1)

    def to_request(self, in_flight: int, concurrency: int) -> range:
        """The pages to request now, with ``in_flight`` requests out, ``concurrency`` at most.

        With nothing in flight the walk plans afresh (after a short page or a changed
        total); otherwise it hands out the planned pages not requested yet, in order.
        """
        if in_flight == 0:
            self._planned = self.plan()
            self._requested = self.next_page - 1
        first = self._requested + 1
        last = min(self._planned.stop, first + concurrency - in_flight)
        pages = range(first, max(first, last))
        self._requested = pages.stop - 1
        return pages
