"""The blocking client.

Generated from ``_async_client.py`` by ``python -m openapi.unasync``: do not edit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

import httpx

from harbor_replication import _failures
from harbor_replication._checks import check_id, check_wait
from harbor_replication._errors import WaitTimeoutError
from harbor_replication._paging import DEFAULT_MAX_CONNECTIONS, DEFAULT_PAGE_CONCURRENCY
from harbor_replication._retry import RetryPolicy
from harbor_replication._settings import (
    DEFAULT_TIMEOUT,
    TimeoutTypes,
    VerifyTypes,
    redacted_headers,
    resolve,
)
from harbor_replication._settle import DEFAULT_SETTLE, FailureWatch, check_settle, wall_time
from harbor_replication._sync_pages import Pages, Slots

if TYPE_CHECKING:
    from harbor_replication import _core, _responses
    from harbor_replication._bodies import (
        PolicyInput,
        RegistryInput,
        RegistryPingInput,
        RegistryUpdateInput,
    )
    from harbor_replication._core import PagedCall, Query
    from harbor_replication_api.models import (
        Registry,
        RegistryInfo,
        RegistryProviderInfo,
        ReplicationExecution,
        ReplicationPolicy,
        ReplicationTask,
    )
else:
    from harbor_replication._lazy import LazyModule

    # Imported by the first request: see _lazy.py.
    _core = LazyModule("harbor_replication._core")
    _responses = LazyModule("harbor_replication._responses")

T = TypeVar("T")

_DEFAULT_RETRY = RetryPolicy()
_log = logging.getLogger("harbor_replication")


class ReplicationClient:
    """A blocking client for Harbor's replication API.

    ``url`` is Harbor's address, with or without ``/api/v2.0``. When ``url``,
    ``username`` or ``secret`` is not given, ``HARBOR_URL``, ``HARBOR_USERNAME`` and
    ``HARBOR_SECRET`` are read. ``verify`` is True (the system's CAs), False, a CA bundle
    path or an ``ssl.SSLContext``. Use it as ``with`` or call :meth:`close`.

    At most ``max_connections`` requests (default 32) are in flight at once on one client,
    whatever the number of listings and calls sharing it: the others wait their turn (no
    timeout runs while they wait), and the connection pool holds and keeps alive as many
    connections. Listings fetch their first page alone; then a listing has up to
    ``page_concurrency`` pages (default 8) in flight, still handed out in order: ``get_*``
    at once, ``iter_*`` ramping up from 2 as the pages are consumed. Pages fetched
    together are checked against Harbor's list changing meanwhile and fetched again one
    by one when it did; every listing hands out each id once (docs/library/paging.md).

    ``timeout`` is seconds or an ``httpx.Timeout`` with ``connect``, ``read``, ``write``
    and ``pool`` parts (default 10 s to connect or get a pooled connection, 30 s else).
    GET, PUT, DELETE and the registry ping are retried up to ``max_retries`` times (default
    3) on connection failures, timeouts and HTTP 429, 502, 503 and 504; any other POST only
    when it provably never left this machine. Retry ``n`` waits
    ``backoff_initial * 2 ** (n - 1)`` seconds plus up to ``backoff_jitter`` seconds, at most
    ``backoff_max``, or what ``Retry-After`` says (one longer than ``backoff_max`` is not
    waited out).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        username: str | None = None,
        secret: str | None = None,
        verify: VerifyTypes = True,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        page_concurrency: int = DEFAULT_PAGE_CONCURRENCY,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_retries: int = _DEFAULT_RETRY.max_retries,
        backoff_initial: float = _DEFAULT_RETRY.backoff_initial,
        backoff_max: float = _DEFAULT_RETRY.backoff_max,
        backoff_jitter: float = _DEFAULT_RETRY.backoff_jitter,
    ) -> None:
        self._settings = resolve(url, username, secret)
        self._page_concurrency = check_id("page_concurrency", page_concurrency)
        self._retry = RetryPolicy(max_retries, backoff_initial, backoff_max, backoff_jitter)
        self._retry_options = self._retry.options()
        connections = check_id("max_connections", max_connections)
        self._slots = Slots(connections)
        self._http = httpx.Client(
            **self._settings.httpx_options(verify, timeout),
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            transport=transport,
        )
        self._pages = Pages(self._send, self._page_concurrency, self._slots)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(url={self._settings.api_url!r}, "
            f"username={self._settings.username!r})"
        )

    @property
    def url(self) -> str:
        """The API root every request goes to, ending in ``/api/v2.0``."""
        return self._settings.api_url

    def __enter__(self) -> ReplicationClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._pages.close()
        self._http.close()

    # --- plumbing ----------------------------------------------------------------------

    def _send(self, call: _core.Call[T]) -> T:
        if self._http.is_closed:
            raise _failures.closed_client_error(type(self).__name__, call.operation)
        # The first attempt runs outside stamina, whose loop costs 14-22 us a call. A
        # failure is replayed as stamina's own first attempt, so its decision, waits,
        # attempt count and hooks are as if it had run every attempt.
        try:
            return self._send_once(call)
        except Exception as error:
            first_failure: Exception | None = error
        # stamina is imported only once a request has failed, to keep the import cheap.
        import stamina

        retry = self._retry.hook(call.replayable)
        for attempt in stamina.retry_context(retry, **self._retry_options):
            with attempt:
                if first_failure is not None:
                    failure, first_failure = first_failure, None
                    raise failure
                return self._send_once(call)
        raise AssertionError("stamina ends with a result or the last error")

    def _send_once(self, call: _core.Call[T]) -> T:
        request = self._http.build_request(**call.request)
        if _log.isEnabledFor(logging.DEBUG):
            headers = redacted_headers(request.headers)
            _log.debug("%s %s headers=%s", request.method, request.url, headers)
        try:
            # The client's bound on requests in flight: waiting here is not timed.
            with self._slots:
                response = self._http.send(request)
        except httpx.HTTPError as exc:
            raise _failures.transport_error(call.operation, exc) from exc
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug(
                "%s %s -> HTTP %d [request id %s]",
                request.method,
                request.url,
                response.status_code,
                response.headers.get("x-request-id"),
            )
        return _responses.finish(call, response)

    def _iterate(self, call: PagedCall[T]) -> Generator[T, None, None]:
        return self._pages.walk(call, ramp=True)

    def _collect(self, call: PagedCall[T]) -> list[T]:
        return [item for item in self._pages.walk(call, ramp=False)]

    def get_harbor_version(self) -> str:
        """The version ``/systeminfo`` reports, like ``v2.15.2-1a2b3c4d``.

        Harbor tells it to signed-in users only: empty when it did not.
        """
        return self._send(_core.get_harbor_version())

    # --- executions --------------------------------------------------------------------

    def get_replication(self, execution_id: int) -> ReplicationExecution:
        """The replication execution ``execution_id``."""
        return self._send(_core.get_replication(execution_id))

    def start_replication(self, policy_id: int) -> str:
        """Start the policy ``policy_id``; returns the new execution's ``Location``.

        Use :func:`harbor_replication.location_id` to get the execution id from it.
        """
        return self._send(_core.start_replication(policy_id))

    def stop_replication(self, execution_id: int) -> None:
        """Ask Harbor to stop an execution; its status becomes ``Stopped`` a little later."""
        self._send(_core.stop_replication(execution_id))

    def iter_replications(
        self,
        sort: str | None = None,
        policy_id: int | None = None,
        status: str | None = None,
        trigger: str | None = None,
        page: int = 1,
        page_size: int = 10,
        limit: int | None = None,
    ) -> Generator[ReplicationExecution, None, None]:
        """Iterate over executions, fetching pages as they are consumed.

        Same parameters as :meth:`get_replications`.
        """
        call = _core.get_replications(sort, policy_id, status, trigger, page, page_size, limit)
        return self._iterate(call)

    def get_replications(
        self,
        sort: str | None = None,
        policy_id: int | None = None,
        status: str | None = None,
        trigger: str | None = None,
        page: int = 1,
        page_size: int = 10,
        limit: int | None = None,
    ) -> list[ReplicationExecution]:
        """Executions, optionally of one policy, with one ``status`` or ``trigger``.

        Starts at ``page`` and follows the pages, ``page_size`` (1 to 100) per request,
        until the results end or ``limit`` items are collected (None or <= 0: no limit).
        """
        call = _core.get_replications(sort, policy_id, status, trigger, page, page_size, limit)
        return self._collect(call)

    def iter_replication_tasks(
        self,
        execution_id: int,
        status: str | None = None,
        resource_type: str | None = None,
        sort: str | None = None,
        page: int = 1,
        page_size: int = 10,
        limit: int | None = None,
    ) -> Generator[ReplicationTask, None, None]:
        """Iterate over an execution's tasks; parameters as :meth:`get_replication_tasks`."""
        call = _core.get_replication_tasks(
            execution_id, status, resource_type, sort, page, page_size, limit
        )
        return self._iterate(call)

    def get_replication_tasks(
        self,
        execution_id: int,
        status: str | None = None,
        resource_type: str | None = None,
        sort: str | None = None,
        page: int = 1,
        page_size: int = 10,
        limit: int | None = None,
    ) -> list[ReplicationTask]:
        """The tasks of an execution, paged like :meth:`get_replications`."""
        call = _core.get_replication_tasks(
            execution_id, status, resource_type, sort, page, page_size, limit
        )
        return self._collect(call)

    def get_replication_task_log(self, execution_id: int, task_id: int) -> str:
        """The text log of one task of an execution."""
        return self._send(_core.get_replication_task_log(execution_id, task_id))

    def wait_for_replication(
        self,
        execution_id: int,
        *,
        timeout: float | None = None,
        poll_interval: float = 2.0,
        on_progress: Callable[[ReplicationExecution], object] | None = None,
        settle: float = DEFAULT_SETTLE,
    ) -> ReplicationExecution:
        """Poll an execution until its status is final; return it.

        ``Succeed`` and ``Stopped`` are final when read. Harbor's job service retries a
        failed task (docs/harbor-behaviour.md §30), so ``Failed`` is final only once the
        execution has stayed failed, with no task pending or running, for ``settle``
        seconds (default 130, Harbor's longest retry backoff plus the job service's
        pick-up time): a real failure is returned up to ``settle`` seconds after it is
        first read. A failure already ``settle`` seconds old by its end time, a skipped
        single-active run and an execution that failed without tasks are returned at
        once (§31). ``settle=0`` returns the first ``Failed`` read.

        ``on_progress`` is called with each execution read, the final one included.
        ``timeout`` bounds the whole wait, confirming included: raises
        :class:`~harbor_replication.WaitTimeoutError` after ``timeout`` seconds, with
        ``confirming`` true when the time ran out while a failure was being confirmed.
        """
        check_id("execution_id", execution_id)
        check_wait(timeout, poll_interval, on_progress)
        watch = FailureWatch(check_settle(settle))
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            execution = self.get_replication(execution_id)
            if on_progress is not None:
                on_progress(execution)
            now, wall_now = time.monotonic(), wall_time(time.time())
            if watch.execution_final(execution, now=now, wall_now=wall_now):
                return execution
            pause = poll_interval
            confirm_left = watch.time_left(now, wall_now)
            if confirm_left is not None:
                # Read again as the failure becomes final, not up to a poll later.
                pause = min(pause, confirm_left)
            if deadline is not None:
                left = deadline - now
                if left <= 0:
                    status = execution.status if isinstance(execution.status, str) else None
                    raise WaitTimeoutError(
                        execution_id, timeout or 0.0, status, confirming=watch.confirming
                    )
                pause = min(pause, left)
            time.sleep(pause)

    # --- policies ----------------------------------------------------------------------

    def get_replication_policy(self, policy_id: int) -> ReplicationPolicy:
        """The replication policy ``policy_id``."""
        return self._send(_core.get_replication_policy(policy_id))

    def create_replication_policy(self, policy: PolicyInput) -> str:
        """Create a policy (a model or a plain dict); returns its ``Location``.

        ``replicate_deletion`` is copied into the deprecated ``deletion`` field, the one
        Harbor actually reads (on a model it wins over a different ``deletion``; a dict
        giving two different values is refused). A dict may only use the model's keys,
        with values of the model's types: Harbor would ignore a misspelt key. Those
        mistakes raise ``ValueError`` before anything is sent.
        """
        return self._send(_core.create_replication_policy(policy))

    def update_replication_policy(self, policy_id: int, policy: PolicyInput) -> None:
        """Replace the policy ``policy_id`` whole with ``policy``.

        Harbor resets every field left out; to change a few fields, get the policy,
        change it and pass it back.
        """
        self._send(_core.update_replication_policy(policy_id, policy))

    def delete_replication_policy(self, policy_id: int) -> None:
        """Delete a policy and its executions (412 while one is still running)."""
        self._send(_core.delete_replication_policy(policy_id))

    def iter_replication_policies(
        self,
        query: Query | None = None,
        sort: str | None = None,
        page: int = 1,
        page_size: int = 10,
        name: str | None = None,
        limit: int | None = None,
    ) -> Generator[ReplicationPolicy, None, None]:
        """Iterate over policies; parameters as :meth:`get_replication_policies`."""
        call = _core.get_replication_policies(query, sort, page, page_size, name, limit)
        return self._iterate(call)

    def get_replication_policies(
        self,
        query: Query | None = None,
        sort: str | None = None,
        page: int = 1,
        page_size: int = 10,
        name: str | None = None,
        limit: int | None = None,
    ) -> list[ReplicationPolicy]:
        """Policies matching ``query`` (a ``q`` string or a mapping, see
        :mod:`harbor_replication.query`), newest first unless ``sort`` says otherwise.

        ``name`` is Harbor's deprecated fuzzy name filter. Paged like
        :meth:`get_replications`.
        """
        call = _core.get_replication_policies(query, sort, page, page_size, name, limit)
        return self._collect(call)

    # --- registries --------------------------------------------------------------------

    def iter_registries(
        self,
        query: Query | None = None,
        sort: str | None = None,
        page: int = 1,
        page_size: int = 10,
        name: str | None = None,
        limit: int | None = None,
    ) -> Generator[Registry, None, None]:
        """Iterate over registries; parameters as :meth:`get_registries`."""
        call = _core.get_registries(query, sort, page, page_size, name, limit)
        return self._iterate(call)

    def get_registries(
        self,
        query: Query | None = None,
        sort: str | None = None,
        page: int = 1,
        page_size: int = 10,
        name: str | None = None,
        limit: int | None = None,
    ) -> list[Registry]:
        """Registry endpoints, filtered and paged like :meth:`get_replication_policies`."""
        call = _core.get_registries(query, sort, page, page_size, name, limit)
        return self._collect(call)

    def get_registry(self, registry_id: int) -> Registry:
        """The registry endpoint ``registry_id`` (its secret comes back masked)."""
        return self._send(_core.get_registry(registry_id))

    def create_registry(self, registry: RegistryInput) -> str:
        """Create a registry endpoint (a model or a plain dict); returns its ``Location``."""
        return self._send(_core.create_registry(registry))

    def update_registry(self, registry_id: int, registry: RegistryUpdateInput) -> None:
        """Change a registry endpoint; only the fields given are changed."""
        self._send(_core.update_registry(registry_id, registry))

    def delete_registry(self, registry_id: int) -> None:
        """Delete a registry endpoint (refused while a policy uses it)."""
        self._send(_core.delete_registry(registry_id))

    def ping_registry(self, registry: RegistryPingInput) -> None:
        """Check that Harbor can reach a registry; raises when it cannot.

        ``registry`` names an existing endpoint (``{"id": 3}``) or describes one to try
        (``url``, ``type``, ``access_key``, ``access_secret``, ``insecure``).
        """
        self._send(_core.ping_registry(registry))

    def get_registry_info(self, registry_id: int) -> RegistryInfo:
        """What the registry ``registry_id`` supports: resource filters and triggers.

        A policy that replicates from or to it may use only these.
        """
        return self._send(_core.get_registry_info(registry_id))

    def get_registry_adapters(self) -> list[str]:
        """The registry types this Harbor can replicate with (``harbor``, ``docker-hub``...)."""
        return self._send(_core.get_registry_adapters())

    def get_registry_adapter_infos(self) -> dict[str, RegistryProviderInfo]:
        """Registry type -> the endpoints and credential kinds it expects.

        Only the types that publish such patterns are present.
        """
        return self._send(_core.get_registry_adapter_infos())
