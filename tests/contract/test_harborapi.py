"""harborapi, a Harbor client no one here wrote, gets from the simulator what Harbor gives it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest
from harborapi import HarborAsyncClient
from harborapi.exceptions import BadRequest, NotFound, PreconditionFailed
from harborapi.models import (
    Registry,
    RegistryCredential,
    RegistryPing,
    RegistryUpdate,
    ReplicationExecution,
    ReplicationFilter,
    ReplicationPolicy,
    ReplicationTrigger,
)

from harbor_replication import location_id
from harbor_replication.simulator import HarborSimulator
from tests.support import ADMIN, wait_for_async

# In the built-in seed, Docker Hub (https://hub.docker.com) holds library/alpine:3.19, 3.20
# and latest: a registry with that URL sees the same content.
# harborapi's own retry helper trips over a Pydantic deprecation; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::pydantic.PydanticDeprecatedSince211")

ALPINE_TAGS = {"3.19", "3.20", "latest"}
FINAL = {"Succeed", "Failed", "Stopped"}


@pytest.fixture
def harborapi_client(simulator: HarborSimulator) -> HarborAsyncClient:
    return HarborAsyncClient(url=simulator.api_url, username=ADMIN[0], secret=ADMIN[1])


@contextlib.contextmanager
def slow_tasks(simulator: HarborSimulator) -> Iterator[None]:
    """Tasks long enough that a stop reaches the execution before it ends."""
    config = simulator.state.config
    saved, config.task_duration = config.task_duration, 2.0
    try:
        yield
    finally:
        config.task_duration = saved


async def _final(client: HarborAsyncClient, execution_id: int) -> ReplicationExecution:
    async def finished() -> ReplicationExecution | None:
        execution = await client.get_replication(execution_id)
        return execution if execution.status in FINAL else None

    return await wait_for_async(finished, 10, f"execution {execution_id} did not finish")


async def test_harborapi_registry_methods(
    harborapi_client: HarborAsyncClient, unique: Callable[[str], str]
) -> None:
    client = harborapi_client
    adapters = await client.get_registry_adapters()
    assert {"harbor", "docker-hub", "aws-ecr"} <= set(adapters)
    providers = await client.get_registry_providers()
    assert set(providers.root) <= set(adapters)
    assert "docker-hub" in providers.root

    await client.check_registry_status(
        RegistryPing(type="docker-hub", url="https://hub.docker.com")
    )
    with pytest.raises(BadRequest, match="the registry is unhealthy"):
        await client.check_registry_status(RegistryPing(type="harbor", url="https://down.invalid"))

    name = unique("harborapi-registry")
    location = await client.create_registry(
        Registry(
            name=name,
            type="docker-hub",
            url="https://hub.docker.com",
            credential=RegistryCredential(type="basic", access_key="puller", access_secret="s3"),
        )
    )
    assert location.startswith("/api/v2.0/registries/")
    registry_id = location_id(location)
    registry = await client.get_registry(registry_id)
    assert (registry.id, registry.name, registry.type) == (registry_id, name, "docker-hub")
    assert registry.url == "https://hub.docker.com"
    assert registry.status == "healthy"
    assert registry.credential is not None
    assert (registry.credential.access_key, registry.credential.access_secret) == (
        "puller",
        "*****",
    )
    assert [r.id for r in await client.get_registries(query=f"name={name}")] == [registry_id]
    assert registry_id in [r.id for r in await client.get_registries(limit=None)]

    await client.update_registry(registry_id, RegistryUpdate(description="mirror source"))
    updated = await client.get_registry(registry_id)
    assert (updated.description, updated.name) == ("mirror source", name)

    info = await client.get_registry_info(registry_id)
    assert info.type == "docker-hub"
    assert {"manual", "scheduled"} <= set(info.supported_triggers or [])
    assert {f.type for f in info.supported_resource_filters or []} >= {"name", "tag"}

    await client.delete_registry(registry_id)
    with pytest.raises(NotFound):
        await client.get_registry(registry_id)


async def test_harborapi_replication_methods(
    harborapi_client: HarborAsyncClient, simulator: HarborSimulator, unique: Callable[[str], str]
) -> None:
    client = harborapi_client
    registry_id = location_id(
        await client.create_registry(
            Registry(
                name=unique("harborapi-source"), type="docker-hub", url="https://hub.docker.com"
            )
        )
    )
    name = unique("harborapi-policy")
    policy = ReplicationPolicy(
        name=name,
        src_registry=Registry(id=registry_id),
        dest_namespace="harborapi",
        filters=[ReplicationFilter(type="name", value="library/alpine")],
        trigger=ReplicationTrigger(type="manual"),
        enabled=True,
        override=True,
    )
    location = await client.create_replication_policy(policy)
    assert location.startswith("/api/v2.0/replication/policies/")
    policy_id = location_id(location)

    stored = await client.get_replication_policy(policy_id)
    assert (stored.id, stored.name, stored.enabled, stored.dest_namespace) == (
        policy_id,
        name,
        True,
        "harborapi",
    )
    assert stored.src_registry is not None
    assert stored.src_registry.id == registry_id
    assert stored.dest_registry is not None
    assert stored.dest_registry.id == 0
    assert [(f.type, f.value) for f in stored.filters or []] == [("name", "library/alpine")]
    assert stored.dest_namespace_replace_count == -1
    listed = await client.get_replication_policies(query=f"name={name}")
    assert [p.id for p in listed] == [policy_id]

    # PUT replaces the policy whole, the way Harbor does
    await client.update_replication_policy(
        policy_id, stored.model_copy(update={"description": "nightly"})
    )
    assert (await client.get_replication_policy(policy_id)).description == "nightly"

    # a stop moves the execution to Stopped a moment later
    with slow_tasks(simulator):
        stopped_id = location_id(await client.start_replication(policy_id))
    await client.stop_replication(stopped_id)
    assert (await _final(client, stopped_id)).status == "Stopped"
    with pytest.raises(NotFound):
        await client.stop_replication(999999)

    location = await client.start_replication(policy_id)
    assert location.startswith("/api/v2.0/replication/executions/")
    execution_id = location_id(location)
    execution = await _final(client, execution_id)
    assert (execution.policy_id, execution.trigger, execution.status) == (
        policy_id,
        "manual",
        "Succeed",
    )
    # one task for the repository's three tags (docs/harbor-behaviour.md §15)
    assert (execution.total, execution.succeed, execution.failed) == (1, 1, 0)
    assert execution.end_time is not None
    assert execution.start_time is not None
    assert execution.end_time >= execution.start_time
    executions = await client.get_replications(policy_id=policy_id, limit=None)
    assert [e.id for e in executions] == [execution_id, stopped_id]  # newest first
    assert [e.id for e in await client.get_replications(policy_id=policy_id, status="Stopped")] == [
        stopped_id
    ]

    tasks = await client.get_replication_tasks(execution_id, limit=None)
    assert [t.src_resource for t in tasks] == [
        f"library/alpine [{len(ALPINE_TAGS)} item(s) in total]"
    ]
    assert {(t.status, t.operation, t.resource_type) for t in tasks} == {
        ("Succeed", "copy", "image")
    }
    assert {t.execution_id for t in tasks} == {execution_id}
    task = tasks[0]
    assert task.id is not None
    log = await client.get_replication_task_log(execution_id, task.id)
    for tag in ALPINE_TAGS:  # the log names each artifact it copies
        assert f"copy library/alpine:{tag}(source registry) to harborapi/alpine:{tag}" in log
    with pytest.raises(NotFound, match=f"contains no task with ID {task.id}"):
        await client.get_replication_task_log(stopped_id, task.id)

    with slow_tasks(simulator):
        running_id = location_id(await client.start_replication(policy_id))
    with pytest.raises(PreconditionFailed, match="stop the execution first"):
        await client.delete_replication_policy(policy_id)
    await client.stop_replication(running_id)
    await _final(client, running_id)

    await client.delete_replication_policy(policy_id)
    with pytest.raises(NotFound):
        await client.get_replication_policy(policy_id)
    with pytest.raises(NotFound):
        await client.get_replication(execution_id)  # deleted with its policy
    await client.delete_registry(registry_id)
