"""Helpers the tests share: both clients behind one awaitable face, waiting on simulated time."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from harbor_replication import AsyncReplicationClient, ReplicationClient

if TYPE_CHECKING:
    import pytest

    from harbor_replication.simulator import HarborSimulator

ADMIN = ("admin", "Harbor12345")
# How long each task of the test sessions' simulators takes (tests that depend on the exact
# timing freeze the simulator's clock and move it themselves).
TASK_DURATION = 0.02
# How often a wait looks again while simulated time passes.
_POLL_INTERVAL = 0.01

T = TypeVar("T")


def wait_for(
    check: Callable[[], T | None], within: float = 5.0, failure: str = "condition not met in time"
) -> T:
    """Poll ``check`` until it returns something truthy, for ``within`` seconds at most."""
    deadline = time.monotonic() + within
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(failure)
        time.sleep(_POLL_INTERVAL)
    return result


async def wait_for_async(
    check: Callable[[], Awaitable[T | None]],
    within: float = 5.0,
    failure: str = "condition not met in time",
) -> T:
    """:func:`wait_for` with an awaitable ``check``."""
    deadline = time.monotonic() + within
    while not (result := await check()):
        if time.monotonic() > deadline:
            raise AssertionError(failure)
        await asyncio.sleep(_POLL_INTERVAL)
    return result


class FrozenClock:
    """A simulator clock standing still: simulated time passes only when the test moves it,
    so what a request sees does not depend on how fast the machine is."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def freeze_clock(simulator: HarborSimulator, monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """Stop ``simulator``'s clock at this moment; monkeypatch restarts it after the test."""
    clock = FrozenClock(simulator.state.clock())
    monkeypatch.setattr(simulator.state, "clock", clock)
    return clock


class Harbor:
    """Either client, seen through awaitable methods so one test body drives both.

    The blocking client's calls simply run inline: the simulator lives in its own thread.
    """

    def __init__(self, client: ReplicationClient | AsyncReplicationClient) -> None:
        self.client = client
        self.kind = "async" if isinstance(client, AsyncReplicationClient) else "sync"

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)
        if inspect.iscoroutinefunction(method):
            return method
        if name.startswith("iter_"):

            def iterate(*args: Any, **kwargs: Any) -> Any:
                result = method(*args, **kwargs)
                return result if hasattr(result, "__anext__") else _aiter(result)

            return iterate

        async def call(*args: Any, **kwargs: Any) -> Any:
            return method(*args, **kwargs)

        return call


async def _aiter(items: Iterator[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


def make_client(
    kind: str, url: str, username: str = ADMIN[0], secret: str = ADMIN[1], **options: Any
) -> ReplicationClient | AsyncReplicationClient:
    cls = AsyncReplicationClient if kind == "async" else ReplicationClient
    return cls(url, username=username, secret=secret, **options)


async def close(client: ReplicationClient | AsyncReplicationClient) -> None:
    if isinstance(client, AsyncReplicationClient):
        await client.aclose()
    else:
        client.close()


class _ClockTime:
    """What the clients' and the CLI's waiting read from the ``time`` module: ``clock``'s time,
    and sleeps that move it instead of passing."""

    def __init__(self, clock: FrozenClock) -> None:
        self._clock = clock

    def monotonic(self) -> float:
        return self._clock.now

    def time(self) -> float:
        return self._clock.now

    def sleep(self, seconds: float) -> None:
        self._clock.advance(seconds)


class _ClockAsyncio:
    """The async client's ``asyncio``: ``sleep`` moves ``clock``, the rest is asyncio's."""

    def __init__(self, clock: FrozenClock) -> None:
        self._clock = clock

    async def sleep(self, seconds: float) -> None:
        self._clock.advance(seconds)
        await asyncio.sleep(0)

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)


def wait_on_clock(clock: FrozenClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``wait_for_replication``, ``--wait`` and ``log --follow`` wait on ``clock``: each
    pause moves the (frozen) simulator clock, so a wait of minutes takes no real time and its
    every read is known."""
    from harbor_replication import _async_client, _sync_client
    from harbor_replication.cli import _executions, _progress

    for module in (_async_client, _sync_client, _executions, _progress):
        monkeypatch.setattr(module, "time", _ClockTime(clock))
    monkeypatch.setattr(_async_client, "asyncio", _ClockAsyncio(clock))


@contextlib.asynccontextmanager
async def open_client(kind: str, url: str, **options: Any) -> AsyncIterator[Harbor]:
    """A ``kind`` ("sync" or "async") client on ``url``, as the admin unless ``username`` and
    ``secret`` say otherwise, behind :class:`Harbor`; closed on leaving, however left."""
    client = make_client(kind, url, **options)
    try:
        yield Harbor(client)
    finally:
        await close(client)
