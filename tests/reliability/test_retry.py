"""The retry decisions of the sans-I/O core, and the clients' retry loops on a mock transport."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
import stamina
from stamina.instrumentation import RetryDetails, get_on_retry_hooks, set_on_retry_hooks

from harbor_replication import (
    AsyncReplicationClient,
    HarborConnectionError,
    HarborTimeoutError,
    ReplicationClient,
    ServerError,
)
from harbor_replication._retry import RetryPolicy, parse_retry_after

URL = "https://harbor.example.com"
CREATED = {"Location": "/api/v2.0/replication/executions/5"}


def _api_error(status: int, retry_after: float | None = None) -> ServerError:
    return ServerError(
        operation="op",
        method="GET",
        path="/",
        status_code=status,
        errors=[],
        request_id=None,
        text="",
        retry_after=retry_after,
    )


def _connection_error(cause: Exception) -> HarborConnectionError:
    error = HarborConnectionError("op")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "replayable", "decision"),
    [
        (_api_error(503), True, True),
        (_api_error(503, retry_after=2.0), True, 2.0),
        (_api_error(429, retry_after=0.0), True, 0.0),
        (_api_error(503, retry_after=60.0), True, False),  # beyond backoff_max
        (_api_error(502), False, False),
        (_api_error(500), True, False),
        (_connection_error(httpx.ReadError("reset")), True, True),
        (_connection_error(httpx.ReadError("reset")), False, False),
        (_connection_error(httpx.ReadTimeout("slow")), False, False),
        (_connection_error(httpx.WriteError("reset")), False, False),
        (_connection_error(httpx.ConnectError("refused")), False, True),
        (_connection_error(httpx.ConnectTimeout("slow")), False, True),
        (_connection_error(httpx.PoolTimeout("busy")), False, True),
        (ValueError("not ours"), True, False),
    ],
)
def test_decisions(error: Exception, replayable: bool, decision: bool | float) -> None:
    assert RetryPolicy(backoff_max=30).decide(replayable, error) == decision


def test_a_certificate_failure_is_never_retried() -> None:
    import ssl

    connect = httpx.ConnectError("handshake")
    connect.__cause__ = ssl.SSLCertVerificationError("certificate verify failed")
    assert RetryPolicy().decide(True, _connection_error(connect)) is False


def test_retry_after_values() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    for garbage in (None, "", "soon", "-5", "1.5", "٣"):
        assert parse_retry_after(garbage, now) is None


@pytest.mark.parametrize(
    "options",
    [
        {"max_retries": -1},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"backoff_initial": -1},
        {"backoff_max": float("inf")},
        {"backoff_jitter": "1"},
    ],
)
def test_bad_retry_settings_are_value_errors(options: dict[str, object]) -> None:
    for cls in (ReplicationClient, AsyncReplicationClient):
        with pytest.raises(ValueError, match=next(iter(options))):
            cls(URL, **options)  # type: ignore[arg-type]


def _flaky(
    first: Exception | int, then: httpx.Response
) -> tuple[Callable[..., httpx.Response], list[str]]:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) == 1:
            if isinstance(first, Exception):
                raise first
            return httpx.Response(first, headers={"Retry-After": "0"})
        return then

    return handle, seen


@pytest.mark.parametrize(
    ("first", "retried"),
    [
        (httpx.ConnectError("refused"), True),
        (httpx.PoolTimeout("no free connection"), True),
        (httpx.ReadError("reset"), False),
        (httpx.RemoteProtocolError("closed"), False),
        (httpx.ReadTimeout("slow"), False),
        (503, False),
    ],
)
def test_a_start_is_sent_again_only_when_it_never_left(
    first: Exception | int, retried: bool
) -> None:
    handle, seen = _flaky(first, httpx.Response(201, headers=CREATED))
    client = ReplicationClient(URL, transport=httpx.MockTransport(handle))
    if retried:
        assert client.start_replication(1).endswith("/5")
        assert seen == ["POST", "POST"]
    else:
        with pytest.raises((HarborConnectionError, ServerError)):
            client.start_replication(1)
        assert seen == ["POST"]


async def test_the_async_client_retries_a_get_after_a_reset() -> None:
    body = {"id": 5, "status": "Succeed"}
    handle, seen = _flaky(httpx.ReadError("reset"), httpx.Response(200, json=body))
    async with AsyncReplicationClient(URL, transport=httpx.MockTransport(handle)) as client:
        assert (await client.get_replication(5)).status == "Succeed"
    assert seen == ["GET", "GET"]


def test_timeouts_surface_as_harbor_timeout_errors_after_the_retries() -> None:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        raise httpx.ReadTimeout("slow", request=request)

    client = ReplicationClient(URL, transport=httpx.MockTransport(handle), max_retries=2)
    with pytest.raises(HarborTimeoutError):
        client.get_replication(1)
    assert seen == ["GET"] * 3


def test_backoff_waits_grow_and_stay_within_backoff_max() -> None:
    """Outside stamina's testing mode: real, tiny waits, as long as the ones scheduled."""
    stamps: list[float] = []
    scheduled: list[float] = []

    def handle(request: httpx.Request) -> httpx.Response:
        stamps.append(time.monotonic())
        return httpx.Response(503)

    def record(details: RetryDetails) -> None:
        scheduled.append(details.wait_for)

    client = ReplicationClient(
        URL,
        transport=httpx.MockTransport(handle),
        max_retries=3,
        backoff_initial=0.02,
        backoff_max=0.06,
        backoff_jitter=0.0,
    )
    hooks = get_on_retry_hooks()
    set_on_retry_hooks([record])
    try:
        with stamina.set_testing(False), pytest.raises(ServerError):
            client.get_replication(1)
    finally:
        set_on_retry_hooks(hooks)
    assert scheduled == pytest.approx([0.02, 0.04, 0.06])
    waits = [b - a for a, b in itertools.pairwise(stamps)]
    assert all(waited >= wait for waited, wait in zip(waits, scheduled, strict=True))


def test_timeouts_are_checked() -> None:
    for bad in (-1, "5", httpx.Timeout(5, read=-1)):
        with pytest.raises(ValueError, match="seconds"):
            ReplicationClient(URL, timeout=bad)  # type: ignore[arg-type]
    client = ReplicationClient(URL, timeout=httpx.Timeout(5, connect=1, pool=2))
    assert client._http.timeout == httpx.Timeout(5, connect=1, pool=2)
