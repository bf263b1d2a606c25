"""Paging through Harbor's listings: which pages to ask for, and whether what came back holds.

Pure (sans-I/O), like ``_core.py``: the walkers in ``_async_pages.py`` and
``_sync_pages.py`` move the bytes, this module decides. Each next request is built from the
listing's own parameters (page + 1), never from the ``Link`` header, whose query Harbor
has percent-decoded (docs/harbor-behaviour.md §23).

Why overlapped pages need checking
----------------------------------
Harbor pages by offset: page ``k`` is the items at positions ``(k-1)*size`` to
``k*size - 1`` of the list *as it is when that request is served*. Executions are
started all the time and Harbor's sweeper deletes the oldest beyond 50 per policy
(§20); in the default orders new executions, tasks and policies come first (§27).

One page after the other (each requested once the one before has arrived), an item
that is in the list throughout the walk is missed only when something ahead of it is
removed while the walk passes it: it moves up across the boundary between a page
already read and the next. The sweeper deletes only final executions (§20), so
while old ones are still retrying (§30) the newer final ones just ahead of them go: from
the middle of the list, which no offset walk can see. Items added ahead of the walk push
others down, which come again on the next page: duplicates, never losses.

Pages fetched at the same time break that: Harbor may serve page ``k+1`` before page
``k``. If ``i`` items are added ahead of their boundary in between, page ``k`` (served
later) ends ``i`` items earlier than page ``k+1`` (served earlier) begins, and the
``i`` items between are in neither. Adding at the head and removing at the tail (a
start and the sweep it triggers) leaves ``X-Total-Count`` unchanged, so totals alone
cannot tell. Offset pages cannot overlap either (every request is aligned to its own
page size), so a boundary cannot be checked by reading its neighbour twice.

What the walk does
------------------
A boundary whose two pages did not overlap in time (the first answered before the
second was sent) is as safe as one-by-one paging and needs nothing. For the others the
walk keeps a chain of *probes*: page 1 with page size 1, one in flight at a time, each
giving the head item's id and ``X-Total-Count`` (page 1 itself counts as one). An
overlapped boundary is accepted when a probe answered before either page was sent, a
probe sent after both were answered and every probe between show the same head and
total, and both pages show that total too. Then nothing was added at the head and the
count did not move while the two pages were served, so they show one list. Otherwise
the walk goes back: the later page and everything after it are fetched again one page
after the other, and items already handed out are not handed out again.

What is not detected: items added ahead of a boundary but not at the head, exactly
balanced by removals behind it, between two probes. With the default orders new items
come first (at the head); sorting by a column whose values change (``status``,
``end_time``) moves items, which loses them even one page at a time.

So a listing returns every item that was in the list for the whole walk, unless an item
ahead of it was removed (or it moved) during the walk: what one-by-one paging
guarantees. Items are handed out at most once (by id); the walk keeps the ids it has
handed out. When nothing changes the cost is the probes: one small request once the
last page is in, and one per four windows of overlapped pages on a long walk.

"Before" and "after" are on the walk's own count of events: a request is stamped when the
walker sends it and when it hands the answer in. Harbor served it somewhere between, and
an answer handed in late only makes the walk more cautious, never less.

Ramping up
----------
The first page goes alone (its ``X-Total-Count`` plans the rest). A lazy walk then
allows 2 pages ahead, doubling each time the consumer takes a page, up to
``concurrency``; a walk that will read everything (``get_*``) allows ``concurrency``
at once after the first page. Either way, pages ahead of the one the consumer needs go
out only into the client's free request slots: on a client whose bound on requests in
flight is reached, every listing goes one page at a time and needs no probes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from harbor_replication._core import PagedCall

T = TypeVar("T")

# Listing pages requested at once by one walk; a polite load for one Harbor core.
DEFAULT_PAGE_CONCURRENCY = 8
# Requests in flight at once on one client, all listings and calls together; the
# connection pool holds (and keeps alive) as many connections, so no request ever waits
# for a pooled connection and runs into httpx's pool timeout.
DEFAULT_MAX_CONNECTIONS = 32


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int | None


@dataclass(frozen=True, slots=True)
class Fetch:
    """One request of a walk: page ``number`` of ``size`` items."""

    number: int
    size: int
    serial: int


@dataclass(slots=True)
class _Stamp:
    """When a request was sent and answered, on the walk's own event count."""

    sent: int
    answered: int = -1


@dataclass(frozen=True, slots=True)
class _Probe:
    stamp: _Stamp
    state: tuple[object, int | None]
    """The head item's id and ``X-Total-Count``."""


@dataclass(slots=True)
class _Answer(Generic[T]):
    page: Page[T]
    stamp: _Stamp


@dataclass(slots=True)
class _Boundary:
    """Between page ``before`` and the next one; both answered."""

    before: int
    first: _Stamp
    second: _Stamp
    totals: tuple[int | None, int | None]


# A boundary is checked against probes from shortly before its pages were sent; one
# without an earlier probe kept counts as changed (safe, only slower).
_PROBES_KEPT = 64
# Overlapped boundaries, in windows of pages, that one probe settles at most in a long walk.
_PROBE_EVERY = 4


def item_id(item: object) -> object:
    """The id that tells an item from every other one of its listing (None if it has none)."""
    value = getattr(item, "id", None)
    return value if isinstance(value, int) else None


class PageWalk(Generic[T]):
    """One listing's walk: which requests to send, which answer to wait for, what to hand out.

    The walker loops: send :meth:`to_send`; hand out :meth:`hand_out` if it has a page;
    else stop when :attr:`finished`, or wait for :meth:`awaited` and give the answer to
    :meth:`answer` (answers of other requests that are already in may be given too, in
    any order); cancel :meth:`dropped`. ``ramp`` makes a lazy walk (see the module).
    """

    def __init__(self, call: PagedCall[T], concurrency: int = 1, *, ramp: bool = True) -> None:
        self.call = call
        self.concurrency = concurrency
        self.window = 1 if ramp else concurrency
        self.ramp = ramp
        self.sequential = concurrency == 1
        self.wanted = call.limit
        self.total: int | None = None
        self.pages_done = False
        self.next_page = call.first_page  # the next page to hand out
        self.next_request = call.first_page  # the next page to request
        self._clock = 0
        self._serial = 0
        self._in_flight: dict[Fetch, _Stamp] = {}
        self._answered: dict[int, _Answer[T]] = {}
        self._stamps: dict[int, tuple[_Stamp, int | None]] = {}
        self._probes: list[_Probe] = []
        self._probe: tuple[Fetch, _Stamp] | None = None
        self._boundaries: list[_Boundary] = []
        self._dropped: list[Fetch] = []
        self._seen: set[object] = set()

    @property
    def finished(self) -> bool:
        return self.pages_done and not self._boundaries

    def _tick(self) -> int:
        self._clock += 1
        return self._clock

    def _fetch(self, number: int, size: int, probe: bool = False) -> Fetch:
        self._serial += 1
        fetch = Fetch(number, size, -self._serial if probe else self._serial)
        stamp = _Stamp(self._tick())
        if probe:
            self._probe = (fetch, stamp)
        else:
            self._in_flight[fetch] = stamp
        return fetch

    def _last_page(self) -> int:
        """The last page worth requesting now, from the total and the limit."""
        size = self.call.page_size
        last = self.next_page
        if self.total is not None:
            last = max(last, -(-self.total // size))
        if self.wanted is not None:
            last = min(last, self.next_page - 1 + -(-self.wanted // size))
        return last

    def to_send(self, free: int | None = None) -> list[Fetch]:
        """The requests to send now, prefetching into ``free`` request slots at most.

        ``free`` is how many more requests the client can have in flight right now (None:
        no bound). The page the consumer needs next goes out anyway; pages ahead of it
        only into free slots, since beyond them they would only queue up.
        """
        fetches: list[Fetch] = []
        if self._probe is None and self._needs_probe():
            fetches.append(self._fetch(1, 1, probe=True))
        if self.pages_done:
            return fetches
        # The first page goes alone; overlapped pages need a probe answered before them.
        started = self.next_page > self.call.first_page or self._answered
        reference = self.sequential or bool(self._probes)
        window = self.window if started and reference else 1
        # Starting past page 1, the reference comes from a probe sent with the first page.
        first_reference = not (started or self.sequential or self._probes or self._probe)
        if first_reference and self.call.first_page != 1:
            fetches.append(self._fetch(1, 1, probe=True))
        last = self._last_page()
        room = len(fetches) + (free if free is not None else self.concurrency)
        while self.next_request <= last and self.next_request - self.next_page < window:
            if self.next_request > self.next_page and len(fetches) >= room:
                break
            fetches.append(self._fetch(self.next_request, self.call.page_size))
            self.next_request += 1
        return fetches

    def awaited(self) -> Fetch:
        """The request whose answer the walk needs next."""
        for fetch in self._in_flight:
            if fetch.number == self.next_page:
                return fetch
        if self._probe is not None:
            return self._probe[0]
        raise AssertionError("a walk that is not finished has a page or a probe in flight")

    def dropped(self) -> list[Fetch]:
        """Requests whose answers are no longer wanted: cancel them."""
        dropped, self._dropped = self._dropped, []
        return dropped

    def answer(self, fetch: Fetch, page: Page[T]) -> None:
        """Record the answer to ``fetch``."""
        now = self._tick()
        if self._probe is not None and fetch == self._probe[0]:
            stamp = self._probe[1]
            stamp.answered = now
            self._probe = None
            head = item_id(page.items[0]) if page.items else None
            self._probes.append(_Probe(stamp, (head, page.total)))
            del self._probes[:-_PROBES_KEPT]
            self._check()
            return
        if fetch not in self._in_flight:  # dropped meanwhile
            return
        stamp = self._in_flight.pop(fetch)
        stamp.answered = now
        self.total = page.total
        self._answered[fetch.number] = _Answer(page, stamp)
        if fetch.number == 1:  # page 1 shows the head too
            head = item_id(page.items[0]) if page.items else None
            self._probes.append(_Probe(stamp, (head, page.total)))
        self._stamps[fetch.number] = (stamp, page.total)
        for before in (fetch.number - 1, fetch.number):
            first, second = self._stamps.get(before), self._stamps.get(before + 1)
            if before >= self.call.first_page and first and second:
                self._boundaries.append(
                    _Boundary(before, first[0], second[0], (first[1], second[1]))
                )
        self._check()

    def hand_out(self) -> list[T] | None:
        """The items of the next page if it is in (each id once), else None."""
        answer = self._answered.pop(self.next_page, None)
        if answer is None:
            return None
        page = answer.page
        items = []
        for item in page.items:
            key = item_id(item)
            if key is not None:
                if key in self._seen:
                    continue
                self._seen.add(key)
            items.append(item)
        if self.wanted is not None:
            items = items[: self.wanted]
            self.wanted -= len(items)
        size = self.call.page_size
        self.total = page.total
        self.pages_done = (
            len(page.items) < size
            or self.wanted == 0
            or (page.total is not None and self.next_page * size >= page.total)
        )
        self.next_page += 1
        # Boundaries of later pages need this page's stamp at most.
        for number in [n for n in self._stamps if n < self.next_page - 1]:
            del self._stamps[number]
        if self.ramp and not self.sequential:
            self.window = min(self.concurrency, max(2, self.window * 2))
        if self.pages_done:
            self._drop_from(self.next_page)
        return items

    def _needs_probe(self) -> bool:
        """Whether to send a probe: boundaries wait for one sent after their pages were answered."""
        latest = max((probe.stamp.sent for probe in self._probes), default=-1)
        waiting = sum(
            not _ordered(boundary)
            and max(boundary.first.answered, boundary.second.answered) > latest
            for boundary in self._boundaries
        )
        # One probe settles every boundary answered before it was sent: it goes once the
        # last page is in, or once four windows' worth of boundaries wait (a long walk);
        # fewer probes cost less, but a change found late is fetched again further back.
        return waiting > 0 and (self.pages_done or waiting >= _PROBE_EVERY * self.window)

    def _check(self) -> None:
        """Settle the boundaries the probes decide; go back to the first that fails."""
        undecided: list[_Boundary] = []
        failed: int | None = None
        for boundary in self._boundaries:
            verdict = self._verdict(boundary)
            if verdict is None:
                undecided.append(boundary)
            elif not verdict:
                failed = boundary.before if failed is None else min(failed, boundary.before)
        self._boundaries = undecided
        if failed is not None:
            self._go_back(failed + 1)

    def _verdict(self, boundary: _Boundary) -> bool | None:
        """True: the two pages show one list; False: it may have changed; None: not yet known."""
        if _ordered(boundary):
            return True
        sent = min(boundary.first.sent, boundary.second.sent)
        answered = max(boundary.first.answered, boundary.second.answered)
        before = [p for p in self._probes if p.stamp.answered < sent]
        if not before:
            return False
        state = before[-1].state
        if any(total != state[1] for total in boundary.totals):
            return False
        for probe in self._probes[self._probes.index(before[-1]) :]:
            if probe.state != state:
                return False
            if probe.stamp.sent > answered:
                return True
        return None

    def _go_back(self, number: int) -> None:
        """Fetch again from page ``number`` on, one page after the other."""
        self.sequential = True
        self.window = 1
        self._drop_from(number)
        self.next_page = min(self.next_page, number)
        self.next_request = max(self.next_page, min(self.next_request, number))
        # With the limit reached the items handed out stand; nothing more is wanted.
        self.pages_done = self.wanted == 0
        self._boundaries = [b for b in self._boundaries if b.before + 1 < number]

    def _drop_from(self, number: int) -> None:
        for fetch in [f for f in self._in_flight if f.number >= number]:
            del self._in_flight[fetch]
            self._dropped.append(fetch)
        for page_number in [n for n in self._answered if n >= number]:
            del self._answered[page_number]
        for page_number in [n for n in self._stamps if n >= number]:
            del self._stamps[page_number]
        self.next_request = min(self.next_request, max(number, self.next_page))


def _ordered(boundary: _Boundary) -> bool:
    """The first page was answered before the second was sent: as one-by-one paging."""
    return boundary.first.answered < boundary.second.sent
