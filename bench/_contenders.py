"""The clients compared, each doing every scenario the way its users would write it.

Every contender offers the same four operations; an async contender's are coroutines,
run on one event loop per contender. Imports happen in ``open()``, so one contender's
import cost never lands on another's measurement.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench._server import Seeded

USERNAME, SECRET = "admin", "Harbor12345"
BASIC = "Basic " + base64.b64encode(f"{USERNAME}:{SECRET}".encode()).decode("ascii")


class Contender:
    """A client under test; ``flavour`` is ``sync`` or ``async``, for the raw baseline."""

    name = ""
    flavour = "sync"
    # Whether the memory scenario runs it: tracemalloc makes some clients take minutes.
    traced_memory = True

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None

    def run(self, work: Callable[[], Any]) -> Any:
        """Call ``work``; for an async contender, run the coroutine it returns."""
        result = work()
        if self.flavour == "async":
            if self.loop is None:
                self.loop = asyncio.new_event_loop()
            return self.loop.run_until_complete(result)
        return result

    def open(self, seeded: Seeded) -> Any:
        raise NotImplementedError

    def close(self) -> Any:
        raise NotImplementedError

    # Each returns how many objects it got, so a run can be checked.
    def get(self, execution_id: int, times: int) -> Any:
        raise NotImplementedError

    def list_executions(self, policy_id: int, page_size: int) -> Any:
        raise NotImplementedError

    def first_tasks(self, execution_id: int, count: int) -> Any:
        """Take ``count`` tasks of an execution, at the default page size, then stop."""
        raise NotImplementedError

    def all_tasks(self, execution_id: int) -> Any:
        """Go through every task of an execution, 100 a page, keeping none."""
        raise NotImplementedError

    def list_concurrently(self, policy_id: int, listings: int, page_size: int) -> Any:
        """``listings`` listings of a policy's executions at once, all on one client (threads
        for a blocking one); the items of all of them. Optional: a contender without it is
        left out of that scenario."""
        raise NotImplementedError

    def shutdown(self) -> None:
        self.run(self.close)
        if self.loop is not None:
            self.loop.close()
            self.loop = None


class RawHttpx(Contender):
    """The floor: httpx with a prebuilt header, ``json.loads``, a page loop."""

    name = "httpx (raw)"

    def open(self, seeded: Seeded) -> None:
        import httpx

        headers = {"Authorization": BASIC, "Accept": "application/json"}
        self.http = httpx.Client(base_url=seeded.api_url, headers=headers)

    def close(self) -> None:
        self.http.close()

    def _pages(self, path: str, params: dict[str, Any], page_size: int, stop: int | None) -> int:
        count, page = 0, 1
        while True:
            response = self.http.get(path, params={**params, "page": page, "page_size": page_size})
            items = json.loads(response.content)
            count += len(items)
            total = int(response.headers["x-total-count"])
            if _last_page(page, page_size, len(items), total, count, stop):
                return count
            page += 1

    def get(self, execution_id: int, times: int) -> int:
        path = f"/replication/executions/{execution_id}"
        return sum(len(json.loads(self.http.get(path).content)) > 0 for _ in range(times))

    def list_executions(self, policy_id: int, page_size: int) -> int:
        params = {"policy_id": policy_id}
        return self._pages("/replication/executions", params, page_size, None)

    def list_concurrently(self, policy_id: int, listings: int, page_size: int) -> int:
        return _in_threads(listings, lambda: self.list_executions(policy_id, page_size))

    def first_tasks(self, execution_id: int, count: int) -> int:
        path = f"/replication/executions/{execution_id}/tasks"
        return self._pages(path, {}, 10, count)

    def all_tasks(self, execution_id: int) -> int:
        return self._pages(f"/replication/executions/{execution_id}/tasks", {}, 100, None)


class RawHttpxAsync(Contender):
    """The async floor: the same loop on ``httpx.AsyncClient``, one request at a time."""

    name = "httpx async (raw)"
    flavour = "async"

    async def open(self, seeded: Seeded) -> None:
        import httpx

        headers = {"Authorization": BASIC, "Accept": "application/json"}
        self.ahttp = httpx.AsyncClient(base_url=seeded.api_url, headers=headers)

    async def close(self) -> None:
        await self.ahttp.aclose()

    async def _pages(
        self, path: str, params: dict[str, Any], page_size: int, stop: int | None
    ) -> int:
        count, page = 0, 1
        while True:
            query = {**params, "page": page, "page_size": page_size}
            response = await self.ahttp.get(path, params=query)
            items = json.loads(response.content)
            count += len(items)
            total = int(response.headers["x-total-count"])
            if _last_page(page, page_size, len(items), total, count, stop):
                return count
            page += 1

    async def get(self, execution_id: int, times: int) -> int:
        path = f"/replication/executions/{execution_id}"
        count = 0
        for _ in range(times):
            count += len(json.loads((await self.ahttp.get(path)).content)) > 0
        return count

    async def list_executions(self, policy_id: int, page_size: int) -> int:
        params = {"policy_id": policy_id}
        return await self._pages("/replication/executions", params, page_size, None)

    async def list_concurrently(self, policy_id: int, listings: int, page_size: int) -> int:
        listed = [self.list_executions(policy_id, page_size) for _ in range(listings)]
        return sum(await asyncio.gather(*listed))

    async def first_tasks(self, execution_id: int, count: int) -> int:
        return await self._pages(f"/replication/executions/{execution_id}/tasks", {}, 10, count)

    async def all_tasks(self, execution_id: int) -> int:
        path = f"/replication/executions/{execution_id}/tasks"
        return await self._pages(path, {}, 100, None)


class HarborReplication(Contender):
    """This project's blocking client."""

    name = "harbor-replication sync"

    def open(self, seeded: Seeded) -> None:
        from harbor_replication import ReplicationClient

        self.client = ReplicationClient(seeded.url, username=USERNAME, secret=SECRET)

    def close(self) -> None:
        self.client.close()

    def get(self, execution_id: int, times: int) -> int:
        return sum(
            self.client.get_replication(execution_id).id == execution_id for _ in range(times)
        )

    def list_executions(self, policy_id: int, page_size: int) -> int:
        return len(self.client.get_replications(policy_id=policy_id, page_size=page_size))

    def list_concurrently(self, policy_id: int, listings: int, page_size: int) -> int:
        return _in_threads(listings, lambda: self.list_executions(policy_id, page_size))

    def first_tasks(self, execution_id: int, count: int) -> int:
        taken = 0
        for _ in self.client.iter_replication_tasks(execution_id):
            taken += 1
            if taken == count:
                break
        return taken

    def all_tasks(self, execution_id: int) -> int:
        return sum(1 for _ in self.client.iter_replication_tasks(execution_id, page_size=100))


class HarborReplicationAsync(Contender):
    """This project's asyncio client (pages overlapped, default ``page_concurrency``)."""

    name = "harbor-replication async"
    flavour = "async"

    def transport(self) -> Any:
        return None

    async def open(self, seeded: Seeded) -> None:
        from harbor_replication import AsyncReplicationClient

        self.client = AsyncReplicationClient(
            seeded.url, username=USERNAME, secret=SECRET, transport=self.transport()
        )

    async def close(self) -> None:
        await self.client.aclose()

    async def get(self, execution_id: int, times: int) -> int:
        count = 0
        for _ in range(times):
            count += (await self.client.get_replication(execution_id)).id == execution_id
        return count

    async def list_executions(self, policy_id: int, page_size: int) -> int:
        return len(await self.client.get_replications(policy_id=policy_id, page_size=page_size))

    async def list_concurrently(self, policy_id: int, listings: int, page_size: int) -> int:
        listed = [self.list_executions(policy_id, page_size) for _ in range(listings)]
        return sum(await asyncio.gather(*listed))

    async def first_tasks(self, execution_id: int, count: int) -> int:
        taken = 0
        async for _ in self.client.iter_replication_tasks(execution_id):
            taken += 1
            if taken == count:
                break
        return taken

    async def all_tasks(self, execution_id: int) -> int:
        taken = 0
        async for _ in self.client.iter_replication_tasks(execution_id, page_size=100):
            taken += 1
        return taken


class HarborReplicationAiohttp(HarborReplicationAsync):
    """The asyncio client over httpx-aiohttp's transport (the ``aiohttp`` extra)."""

    name = "harbor-replication async+aiohttp"

    def transport(self) -> Any:
        from httpx_aiohttp import AiohttpTransport

        return AiohttpTransport()


class HarborApi(Contender):
    """harborapi (PyPI), async, pydantic models; its list methods return whole lists."""

    name = "harborapi"
    flavour = "async"

    async def open(self, seeded: Seeded) -> None:
        from harborapi import HarborAsyncClient

        self.client = HarborAsyncClient(url=seeded.api_url, username=USERNAME, secret=SECRET)

    async def close(self) -> None:
        # HarborAsyncClient (0.26) has no close method: its public ``client`` is the httpx one.
        await self.client.client.aclose()

    async def get(self, execution_id: int, times: int) -> int:
        count = 0
        for _ in range(times):
            count += (await self.client.get_replication(execution_id)).id == execution_id
        return count

    async def list_executions(self, policy_id: int, page_size: int) -> int:
        found = await self.client.get_replications(policy_id=policy_id, page_size=page_size)
        return len(found)

    async def list_concurrently(self, policy_id: int, listings: int, page_size: int) -> int:
        listed = [self.list_executions(policy_id, page_size) for _ in range(listings)]
        return sum(await asyncio.gather(*listed))

    async def first_tasks(self, execution_id: int, count: int) -> int:
        return len(await self.client.get_replication_tasks(execution_id, limit=count))

    async def all_tasks(self, execution_id: int) -> int:
        found = await self.client.get_replication_tasks(execution_id, page_size=100)
        return len(found)


class HarborApiClient(Contender):
    """harbor-api-client (PyPI, swagger-codegen), blocking; pages are the caller's loop."""

    name = "harbor-api-client"
    # Its page loop keeps nothing, like raw httpx's; traced, its deserializer takes minutes.
    traced_memory = False

    def open(self, seeded: Seeded) -> None:
        import harbor_client

        configuration = harbor_client.Configuration()
        configuration.host = seeded.api_url
        configuration.username = USERNAME
        configuration.password = SECRET
        self.api_client = harbor_client.ApiClient(configuration)
        self.api = harbor_client.ReplicationApi(self.api_client)

    def close(self) -> None:
        # swagger-codegen's ApiClient (2.12) has no close method: its urllib3 pool is emptied.
        self.api_client.rest_client.pool_manager.clear()

    def _pages(self, fetch: Callable[..., Any], page_size: int, stop: int | None) -> int:
        count, page = 0, 1
        while True:
            items, _, headers = fetch(page=page, page_size=page_size)
            count += len(items)
            total = int(headers["X-Total-Count"])
            if _last_page(page, page_size, len(items), total, count, stop):
                return count
            page += 1

    def get(self, execution_id: int, times: int) -> int:
        fetch = self.api.get_replication_execution
        return sum(fetch(execution_id).id == execution_id for _ in range(times))

    def list_executions(self, policy_id: int, page_size: int) -> int:
        def fetch(**paging: Any) -> Any:
            return self.api.list_replication_executions_with_http_info(
                policy_id=policy_id, **paging
            )

        return self._pages(fetch, page_size, None)

    def first_tasks(self, execution_id: int, count: int) -> int:
        def fetch(**paging: Any) -> Any:
            return self.api.list_replication_tasks_with_http_info(execution_id, **paging)

        return self._pages(fetch, 10, count)

    def all_tasks(self, execution_id: int) -> int:
        def fetch(**paging: Any) -> Any:
            return self.api.list_replication_tasks_with_http_info(execution_id, **paging)

        return self._pages(fetch, 100, None)


def _in_threads(count: int, work: Callable[[], int]) -> int:
    """``work`` in ``count`` threads at once; the sum of what they return."""
    with ThreadPoolExecutor(count) as threads:
        return sum(threads.map(lambda _: work(), range(count)))


def _last_page(
    page: int, page_size: int, on_page: int, total: int, count: int, stop: int | None
) -> bool:
    """Whether a raw page loop ends after page ``page`` (``on_page`` items, ``count`` so far):
    a short page, the last one by ``X-Total-Count``, or ``stop`` items taken."""
    return on_page < page_size or page * page_size >= total or (stop is not None and count >= stop)


def available() -> list[Contender]:
    """Every contender whose packages are installed."""
    contenders: list[Contender] = [RawHttpx(), RawHttpxAsync(), HarborReplication()]
    contenders.append(HarborReplicationAsync())
    for module, contender in [
        ("httpx_aiohttp", HarborReplicationAiohttp()),
        ("harborapi", HarborApi()),
        ("harbor_client", HarborApiClient()),
    ]:
        if _installed(module):
            contenders.append(contender)
    return contenders


def _installed(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None
