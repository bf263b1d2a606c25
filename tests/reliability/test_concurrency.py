"""One client shared by 8 threads or 100 tasks: every caller gets its own answers."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from harbor_replication import AsyncReplicationClient, ReplicationClient
from harbor_replication.simulator import HarborSimulator
from tests.reliability.conftest import new_policy
from tests.support import ADMIN


def _policies(harbor: HarborSimulator, prefix: str, count: int) -> dict[int, int]:
    """policy id -> its only execution id."""
    ids = {}
    for n in range(count):
        policy_id = new_policy(harbor, f"{prefix}-{n}")
        ids[policy_id] = harbor.state.add_finished_executions(policy_id, 1 + n % 3)[-1]
    return ids


def test_sync_client_shared_by_8_threads(harbor_with_faults: HarborSimulator) -> None:
    harbor = harbor_with_faults
    ids = _policies(harbor, "threads", 40)

    with ReplicationClient(harbor.url, username=ADMIN[0], secret=ADMIN[1]) as client:

        def check(policy_id: int) -> None:
            assert client.get_replication_policy(policy_id).id == policy_id
            executions = client.get_replications(policy_id=policy_id)
            assert {e.policy_id for e in executions} == {policy_id}
            assert client.get_replication(ids[policy_id]).policy_id == policy_id

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(check, list(ids) * 3))


async def test_async_client_shared_by_100_tasks(harbor_with_faults: HarborSimulator) -> None:
    harbor = harbor_with_faults
    ids = _policies(harbor, "tasks", 100)

    async with AsyncReplicationClient(harbor.url, username=ADMIN[0], secret=ADMIN[1]) as client:

        async def check(policy_id: int) -> None:
            assert (await client.get_replication_policy(policy_id)).id == policy_id
            executions = await client.get_replications(policy_id=policy_id)
            assert {e.policy_id for e in executions} == {policy_id}
            assert (await client.get_replication(ids[policy_id])).policy_id == policy_id

        await asyncio.gather(*(check(policy_id) for policy_id in ids))
