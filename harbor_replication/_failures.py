"""The errors of a request that got no HTTP answer, or could not be sent at all: a transport
failure, a closed client, a client used from another event loop. Cheap to import (httpx and
the errors only), so the clients use it directly."""

from __future__ import annotations

import httpx

from harbor_replication._errors import (
    ClientClosedError,
    HarborConnectionError,
    HarborTimeoutError,
    WrongEventLoopError,
)


def transport_error(operation: str, exc: httpx.HTTPError) -> HarborConnectionError:
    """The exception for a request that got no HTTP answer.

    A timeout caused by an OS error other than a timeout is a connection failure: the
    httpx-aiohttp transport reports a refused connection as ``ConnectTimeout``.
    """
    cause = exc.__cause__
    refused = isinstance(cause, OSError) and not isinstance(cause, TimeoutError)
    if isinstance(exc, httpx.TimeoutException) and not refused:
        return HarborTimeoutError(f"{operation}: timed out ({type(exc).__name__})")
    detail = f"{type(cause).__name__}: {cause}" if refused else f"{type(exc).__name__}: {exc}"
    return HarborConnectionError(f"{operation}: {detail}")


def closed_client_error(client: str, operation: str) -> ClientClosedError:
    return ClientClosedError(
        f"{operation}: this {client} is closed; create a new one (or keep using this one "
        "inside its with block)"
    )


def wrong_loop_error(operation: str) -> WrongEventLoopError:
    return WrongEventLoopError(
        f"{operation}: this AsyncReplicationClient first ran in another event loop, which "
        "owns its connections; create the client inside the coroutine that uses it (one per "
        "asyncio.run())"
    )
