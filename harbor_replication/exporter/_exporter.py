"""The exporter: refreshes a snapshot of replication health from Harbor in the background.

Scrapes are answered from the last snapshot by :mod:`._metrics`, so a scrape never waits
on Harbor. One refresh runs at a time, bounded by ``refresh_timeout``; a failed refresh
keeps the previous snapshot and only changes ``up``, the error counts and the age.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace

from harbor_replication._async_client import AsyncReplicationClient
from harbor_replication._constants import MAX_PAGE_SIZE
from harbor_replication._errors import (
    HarborAPIError,
    HarborConnectionError,
    HarborError,
    HarborTimeoutError,
)
from harbor_replication._settle import DEFAULT_SETTLE
from harbor_replication.exporter._snapshot import ExecutionSearch, Snapshot
from harbor_replication_api.models import ReplicationExecution, ReplicationPolicy

_log = logging.getLogger("harbor_replication.exporter")

DEFAULT_INTERVAL = 60.0
# Requests of one refresh in flight at once (pages of the walk, or per-policy reads).
DEFAULT_CONCURRENCY = 8
ERROR_REASONS = ("timeout", "connection", "response", "api", "other")
"""Values of the ``reason`` label of ``harbor_replication_refresh_errors_total``."""


@dataclass(frozen=True)
class ExporterState:
    """Everything a scrape shows, replaced whole after each refresh (scrapes run in
    another thread and read it without a lock)."""

    snapshot: Snapshot | None = None
    up: bool = False
    refreshes: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    last_refresh_duration: float | None = None
    last_refresh_requests: int | None = None
    last_error: str | None = None


def error_reason(error: BaseException) -> str:
    """The ``reason`` label for a failed refresh."""
    if isinstance(error, TimeoutError | HarborTimeoutError):
        return "timeout"
    if isinstance(error, HarborConnectionError):
        return "connection"
    if isinstance(error, HarborAPIError):
        return "api"
    if isinstance(error, HarborError):
        return "response"  # HarborResponseError: an answer that is not Harbor's
    return "other"


class ReplicationExporter:
    """Replication health of one Harbor as Prometheus metrics.

    ``client`` is an :class:`~harbor_replication.AsyncReplicationClient` (the exporter does
    not close it). Every ``interval`` seconds :meth:`run` refreshes the snapshot; each
    refresh is cancelled after ``refresh_timeout`` seconds (default: ``interval``). A
    ``Failed`` execution reads ``Retrying`` until it has been failed for ``settle``
    seconds. ``clock`` gives the time in seconds since the epoch.

    >>> exporter = ReplicationExporter(client, interval=60)
    >>> async with exporter.serve_http("127.0.0.1", 9468):
    ...     await exporter.run()
    """

    def __init__(
        self,
        client: AsyncReplicationClient,
        *,
        interval: float = DEFAULT_INTERVAL,
        refresh_timeout: float | None = None,
        settle: float = DEFAULT_SETTLE,
        concurrency: int = DEFAULT_CONCURRENCY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not interval > 0:
            raise ValueError(f"interval must be seconds > 0, got {interval!r}")
        if refresh_timeout is not None and not refresh_timeout > 0:
            raise ValueError(f"refresh_timeout must be seconds > 0, got {refresh_timeout!r}")
        if concurrency < 1:
            raise ValueError(f"concurrency must be 1 or more, got {concurrency!r}")
        self.client = client
        self.interval = interval
        self.refresh_timeout = interval if refresh_timeout is None else refresh_timeout
        self.settle = settle
        self.concurrency = concurrency
        self.clock = clock
        self.state = ExporterState()
        self._refreshing: asyncio.Task[ExporterState] | None = None
        self._requests = 0
        # Imported here so the module's pure parts need no prometheus_client.
        from harbor_replication.exporter._metrics import registry_for

        self.registry = registry_for(self)

    async def refresh(self) -> ExporterState:
        """Refresh the snapshot now and return the new state.

        A call while a refresh is running waits for that one instead of starting another.
        """
        if self._refreshing is None:
            self._refreshing = asyncio.ensure_future(self._refresh())
            self._refreshing.add_done_callback(self._refreshed)
        return await asyncio.shield(self._refreshing)

    def _refreshed(self, task: asyncio.Task[ExporterState]) -> None:
        self._refreshing = None

    async def run(self) -> None:
        """Refresh every ``interval`` seconds (counted from each start) until cancelled."""
        while True:
            started = time.monotonic()
            await self.refresh()
            await asyncio.sleep(max(self.interval - (time.monotonic() - started), 0.0))

    @contextlib.asynccontextmanager
    async def serve_http(self, host: str = "127.0.0.1", port: int = 9468) -> AsyncIterator[str]:
        """Serve ``/metrics`` on ``host:port`` (prometheus-client's threaded server) while
        the block runs; yields the address served, ``http://host:port``."""
        from prometheus_client import start_http_server

        server, thread = await asyncio.to_thread(
            start_http_server, port, addr=host, registry=self.registry
        )
        try:
            bound_host, bound_port = str(server.server_address[0]), server.server_address[1]
            shown = f"[{bound_host}]" if ":" in bound_host else bound_host
            yield f"http://{shown}:{bound_port}"
        finally:
            await asyncio.to_thread(server.shutdown)
            server.server_close()
            thread.join()

    async def _refresh(self) -> ExporterState:
        started = time.monotonic()
        before = self.state
        self._requests = 0
        try:
            async with asyncio.timeout(self.refresh_timeout):
                snapshot = await self._read_snapshot(before.snapshot)
        except Exception as error:  # whatever went wrong, the exporter keeps serving
            reason = error_reason(error)
            message = str(error) or f"no answer within {self.refresh_timeout:g} s"
            _log.warning(
                "refresh failed (%s): %s",
                reason,
                message,
                exc_info=reason == "other",  # not Harbor's doing: a bug to report
            )
            errors = collections.Counter(before.errors)
            errors[reason] += 1
            state = replace(
                before,
                up=False,
                refreshes=before.refreshes + 1,
                errors=errors,
                last_refresh_duration=time.monotonic() - started,
                last_refresh_requests=self._requests,
                last_error=message,
            )
        else:
            if not before.up and before.refreshes:
                _log.info("refresh succeeded again: %d policies", len(snapshot.policies))
            state = replace(
                before,
                snapshot=snapshot,
                up=True,
                refreshes=before.refreshes + 1,
                last_refresh_duration=time.monotonic() - started,
                last_refresh_requests=self._requests,
                last_error=None,
            )
        self.state = state
        return state

    async def _read_snapshot(self, previous: Snapshot | None) -> Snapshot:
        policies = await self._policies()
        search = ExecutionSearch((p.id for p in policies if isinstance(p.id, int)), previous)
        await self._walk_executions(search)
        await self._read_one_by_one(search)
        return search.health(policies, previous, now=self.clock(), settle=self.settle)

    async def _policies(self) -> list[ReplicationPolicy]:
        self._requests += 1
        policies = await self.client.get_replication_policies(page_size=MAX_PAGE_SIZE)
        # One request a page: Harbor's total count tells the walk where the last one is.
        self._requests += max(-(-len(policies) // MAX_PAGE_SIZE), 1) - 1
        return policies

    async def _walk_executions(self, search: ExecutionSearch) -> None:
        """Newest executions first, a page at a time, while walking on is the cheaper way."""
        pages_read = 0
        next_page = 1
        while search.walk_on(pages_read):
            # The first page goes alone (the history may end there), then never more pages
            # at once than the reads they could save.
            batch = (
                1 if pages_read == 0 else min(self.concurrency, len(search.unresolved) - pages_read)
            )
            numbers = range(next_page, next_page + batch)
            pages = await asyncio.gather(*(self._execution_page(n) for n in numbers))
            next_page += batch
            for page in pages:
                pages_read += 1
                for execution in page:
                    search.take(execution)
                if len(page) < MAX_PAGE_SIZE:
                    search.history_ended()
                    return

    async def _execution_page(self, number: int) -> list[ReplicationExecution]:
        self._requests += 1
        return await self.client.get_replications(
            page=number, page_size=MAX_PAGE_SIZE, limit=MAX_PAGE_SIZE
        )

    async def _read_one_by_one(self, search: ExecutionSearch) -> None:
        """Each policy the walk left unresolved: its newest execution, then its newest
        success if that was not it."""
        bound = asyncio.Semaphore(self.concurrency)

        async def newest(policy_id: int, status: str | None) -> ReplicationExecution | None:
            async with bound:
                self._requests += 1
                found = await self.client.get_replications(
                    policy_id=policy_id, status=status, page_size=1, limit=1
                )
            return found[0] if found else None

        async def resolve(policy_id: int) -> None:
            if policy_id in search.missing_newest:
                search.take_newest(policy_id, await newest(policy_id, None))
            if policy_id in search.missing_success:
                search.take_success(policy_id, await newest(policy_id, "Succeed"))

        await asyncio.gather(*(resolve(policy_id) for policy_id in sorted(search.unresolved)))
