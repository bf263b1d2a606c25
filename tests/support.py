"""Helpers the client tests share: both clients behind one awaitable face."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any

from harbor_replication import AsyncReplicationClient, ReplicationClient

ADMIN = ("admin", "Harbor12345")


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
