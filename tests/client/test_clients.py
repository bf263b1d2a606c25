"""Every facade method, sync and async alike, against the simulator over loopback."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import httpx
import pytest

from harbor_replication import (
    AsyncReplicationClient,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    HarborConnectionError,
    HarborError,
    NotFoundError,
    PreconditionFailedError,
    ReplicationClient,
    UnauthorizedError,
    WaitTimeoutError,
    location_id,
)
from harbor_replication.models import (
    UNSET,
    Registry,
    ReplicationExecution,
    ReplicationFilter,
    ReplicationPolicy,
    ReplicationTrigger,
)
from harbor_replication.query import AnyOf, Fuzzy
from harbor_replication.simulator import HarborSimulator
from tests.support import (
    ADMIN,
    TASK_DURATION,
    FrozenClock,
    Harbor,
    close,
    freeze_clock,
    open_client,
)

DOCKER_HUB = 1  # the first registry of the simulator's built-in seed

pytestmark = pytest.mark.filterwarnings("error")


def policy_body(name: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "description": "mirror a few images",
        "src_registry": {"id": DOCKER_HUB},
        "dest_namespace": "mirror",
        "filters": [{"type": "name", "value": "library/**"}],
        "trigger": {"type": "manual"},
        "enabled": True,
        "override": True,
    }
    body.update(changes)
    return body


NGINX_FILTER = {"type": "name", "value": "library/nginx"}
NO_REPOSITORY = {"type": "name", "value": "no/such-repository"}


async def create_policy(harbor: Harbor, name: str, **changes: Any) -> int:
    return location_id(await harbor.create_replication_policy(policy_body(name, **changes)))


@pytest.fixture
def clock(simulator: HarborSimulator, monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    return freeze_clock(simulator, monkeypatch)


# --- construction ---------------------------------------------------------------------


def test_importing_a_client_leaves_the_models_and_retries_for_later() -> None:
    # The import stays within 1.15x of httpx's own (make bench): the generated models, attrs,
    # dateutil and stamina load with the first request, or the first retry.
    code = (
        "import sys; from harbor_replication import ReplicationClient, AsyncReplicationClient; "
        "print(sorted(m for m in ('harbor_replication_api.models', 'attrs', 'dateutil', "
        "'stamina') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.stdout.strip(), result.stderr) == ("[]", "")


@pytest.mark.parametrize("suffix", ["", "/", "/api/v2.0", "/api/v2.0/"])
async def test_url_with_or_without_api_prefix(
    kind: str, simulator: HarborSimulator, suffix: str
) -> None:
    async with open_client(kind, simulator.url + suffix) as harbor:
        assert harbor.client.url == simulator.url + "/api/v2.0"
        registries = await harbor.get_registries()
        assert DOCKER_HUB in [registry.id for registry in registries]


async def test_environment_supplies_url_and_credentials(
    kind: str, simulator: HarborSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARBOR_URL", simulator.url)
    monkeypatch.setenv("HARBOR_USERNAME", ADMIN[0])
    monkeypatch.setenv("HARBOR_SECRET", ADMIN[1])
    client = AsyncReplicationClient() if kind == "async" else ReplicationClient()
    try:
        registry = await Harbor(client).get_registry(DOCKER_HUB)
        assert registry.name == "docker-hub"
    finally:
        await close(client)


def test_missing_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HARBOR_URL", raising=False)
    with pytest.raises(ValueError, match="HARBOR_URL"):
        ReplicationClient()


def test_half_given_credentials_are_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HARBOR_USERNAME", "HARBOR_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="HARBOR_USERNAME"):
        ReplicationClient("https://harbor.example.com", secret="s3cret")
    with pytest.raises(ValueError, match="HARBOR_SECRET"):
        AsyncReplicationClient("https://harbor.example.com", username="admin")


async def test_secret_never_in_repr_or_errors(
    kind: str, simulator: HarborSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Sup3r-S3cret-Pa55"
    caplog.set_level(logging.DEBUG)
    async with open_client(kind, simulator.url, username="admin", secret=secret) as harbor:
        assert secret not in repr(harbor.client)
        with pytest.raises(UnauthorizedError) as caught:
            await harbor.get_registries()
        assert secret not in str(caught.value)
        assert secret not in repr(caught.value)
        assert all(secret not in record.getMessage() for record in caplog.records)


async def test_context_managers_close_the_client(simulator: HarborSimulator) -> None:
    with ReplicationClient(simulator.url, username=ADMIN[0], secret=ADMIN[1]) as sync_client:
        assert sync_client.get_registry(DOCKER_HUB).id == DOCKER_HUB
    assert sync_client._http.is_closed
    async with AsyncReplicationClient(
        simulator.url, username=ADMIN[0], secret=ADMIN[1]
    ) as async_client:
        assert (await async_client.get_registry(DOCKER_HUB)).id == DOCKER_HUB
    assert async_client._http.is_closed


# --- auth, cookies, errors --------------------------------------------------------------


async def test_wrong_password_is_unauthorized(kind: str, simulator: HarborSimulator) -> None:
    async with open_client(kind, simulator.url, secret="wrong") as harbor:
        with pytest.raises(UnauthorizedError) as caught:
            await harbor.get_replication_policies()
        assert caught.value.status_code == 401
        assert caught.value.code == "UNAUTHORIZED"


async def test_user_without_permission_is_forbidden(kind: str, simulator: HarborSimulator) -> None:
    developer = {"username": "developer", "secret": "Developer12345"}
    async with open_client(kind, simulator.url, **developer) as harbor:
        with pytest.raises(ForbiddenError) as caught:
            await harbor.get_replications()
        assert caught.value.message == "developer"


async def test_robot_account_with_dollar_in_name(kind: str, simulator: HarborSimulator) -> None:
    robot = {"username": "robot$replicator", "secret": "Replicator12345"}
    async with open_client(kind, simulator.url, **robot) as harbor:
        assert (await harbor.get_registry(DOCKER_HUB)).id == DOCKER_HUB


async def test_writes_in_a_row_never_trip_harbors_csrf_check(
    harbor: Harbor, unique: Callable[[str], str]
) -> None:
    # Harbor's sid cookie, if kept, turns the second write into a 403 (SEMANTICS 3).
    ids = [await create_policy(harbor, unique("csrf")) for _ in range(3)]
    assert len(set(ids)) == 3
    for policy_id in ids:
        await harbor.delete_replication_policy(policy_id)
        with pytest.raises(NotFoundError):
            await harbor.get_replication_policy(policy_id)


async def test_api_error_carries_harbors_code_message_and_request_id(harbor: Harbor) -> None:
    with pytest.raises(NotFoundError) as caught:
        await harbor.get_replication_policy(999_999)
    error = caught.value
    assert error.status_code == 404
    assert error.code == "NOT_FOUND"
    assert error.request_id
    assert error.operation == "get_replication_policy"
    text = str(error)
    for part in (
        "get_replication_policy",
        "GET",
        "/api/v2.0/replication/policies/999999",
        "404",
        "NOT_FOUND",
        error.request_id,
    ):
        assert part in text
    assert isinstance(error, HarborError)


async def test_connection_failure_is_wrapped(kind: str) -> None:
    async with open_client(kind, "http://127.0.0.1:9", timeout=2.0, max_retries=0) as harbor:
        with pytest.raises(HarborConnectionError) as caught:
            await harbor.get_replication(1)
        assert isinstance(caught.value.__cause__, httpx.ConnectError)


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("get_replication", (0,)),
        ("get_replication", (-3,)),
        ("get_replication", ("7",)),
        ("get_replication", (True,)),
        ("stop_replication", (1.5,)),
        ("start_replication", (None,)),
        ("get_replication_task_log", (1, 0)),
        ("get_replication_policy", (0,)),
        ("delete_replication_policy", (0,)),
        ("update_replication_policy", (0, {"name": "x"})),
        ("create_replication_policy", ("not a policy",)),
        ("get_registry", (0,)),
        ("delete_registry", (-1,)),
    ],
)
async def test_bad_arguments_raise_value_error_before_any_request(
    kind: str, method: str, args: tuple[Any, ...]
) -> None:
    # Port 9 has no server: a request would raise HarborConnectionError instead.
    async with open_client(kind, "http://127.0.0.1:9") as harbor:
        with pytest.raises(ValueError):  # noqa: PT011 - the message varies by argument
            await getattr(harbor, method)(*args)


@pytest.mark.parametrize("page_size", [0, 101, -1, 10.5])
@pytest.mark.parametrize(
    "method", ["get_replications", "get_replication_policies", "get_registries"]
)
async def test_page_size_outside_1_to_100_is_refused_before_sending(
    kind: str, method: str, page_size: Any
) -> None:
    async with open_client(kind, "http://127.0.0.1:9") as harbor:
        with pytest.raises(ValueError, match="page_size"):
            await getattr(harbor, method)(page_size=page_size)
        with pytest.raises(ValueError, match="page"):
            await getattr(harbor, method)(page=0)


# --- registries -------------------------------------------------------------------------


async def test_registry_lifecycle(harbor: Harbor, unique: Callable[[str], str]) -> None:
    name = unique("registry")
    location = await harbor.create_registry(
        {
            "name": name,
            "type": "harbor",
            "url": "https://harbor-b.example.com",
            "credential": {"type": "basic", "access_key": "robot$r", "access_secret": "s3cr3t"},
        }
    )
    registry_id = location_id(location)
    registry = await harbor.get_registry(registry_id)
    assert isinstance(registry, Registry)
    assert (registry.name, registry.type_) == (name, "harbor")
    assert registry.to_dict()["credential"]["access_secret"] == "*****"
    assert isinstance(registry.creation_time, datetime)
    assert registry.creation_time.year > 1

    await harbor.update_registry(registry_id, {"description": "second site"})
    updated = await harbor.get_registry(registry_id)
    assert updated.description == "second site"
    assert updated.url == "https://harbor-b.example.com"

    found = await harbor.get_registries(query={"name": name})
    assert [r.id for r in found] == [registry_id]

    with pytest.raises(ConflictError):
        await harbor.create_registry({"name": name, "type": "harbor", "url": "https://x.example"})

    await harbor.delete_registry(registry_id)
    with pytest.raises(NotFoundError):
        await harbor.get_registry(registry_id)


# --- policies ---------------------------------------------------------------------------


async def test_policy_lifecycle_with_dict_and_model(
    harbor: Harbor, unique: Callable[[str], str]
) -> None:
    name = unique("policy")
    location = await harbor.create_replication_policy(policy_body(name))
    assert location.startswith("/api/v2.0/replication/policies/")
    policy_id = location_id(location)

    policy = await harbor.get_replication_policy(policy_id)
    assert isinstance(policy, ReplicationPolicy)
    assert (policy.id, policy.name, policy.enabled) == (policy_id, name, True)
    as_dict = policy.to_dict()
    assert as_dict["src_registry"]["id"] == DOCKER_HUB
    assert as_dict["filters"] == [{"type": "name", "value": "library/**", "decoration": ""}]
    assert as_dict["trigger"]["type"] == "manual"

    policy.description = "changed through the model"
    await harbor.update_replication_policy(policy_id, policy)
    assert (await harbor.get_replication_policy(policy_id)).description == (
        "changed through the model"
    )

    await harbor.delete_replication_policy(policy_id)
    with pytest.raises(NotFoundError):
        await harbor.get_replication_policy(policy_id)


async def test_replicate_deletion_reaches_harbor(
    harbor: Harbor, unique: Callable[[str], str]
) -> None:
    # Harbor reads only `deletion` (SEMANTICS 11); the client mirrors the new name into it.
    policy_id = await create_policy(harbor, unique("deletion"), replicate_deletion=True)
    policy = await harbor.get_replication_policy(policy_id)
    assert (policy.deletion, policy.replicate_deletion) == (True, True)

    model = ReplicationPolicy.from_dict(policy_body(unique("deletion-model")))
    model.replicate_deletion = True
    model_id = location_id(await harbor.create_replication_policy(model))
    assert (await harbor.get_replication_policy(model_id)).deletion is True
    assert isinstance(model.deletion, type(UNSET)), "the caller's model is left unchanged"

    policy.replicate_deletion = False
    await harbor.update_replication_policy(policy_id, policy)
    # Harbor leaves a false field out of the body (go-swagger's omitempty)
    assert (await harbor.get_replication_policy(policy_id)).deletion is False


async def test_update_replaces_the_policy_whole(
    harbor: Harbor, unique: Callable[[str], str]
) -> None:
    name = unique("whole")
    policy_id = await create_policy(harbor, name)
    await harbor.update_replication_policy(
        policy_id,
        {"name": name, "src_registry": {"id": DOCKER_HUB}, "trigger": {"type": "manual"}},
    )
    policy = await harbor.get_replication_policy(policy_id)
    assert policy.description == ""
    assert policy.enabled is False  # left out of Harbor's body, restored by the client
    assert policy.filters == []


async def test_policy_validation_errors(harbor: Harbor, unique: Callable[[str], str]) -> None:
    with pytest.raises(BadRequestError):
        await harbor.create_replication_policy(policy_body(""))
    name = unique("taken")
    await create_policy(harbor, name)
    with pytest.raises(ConflictError) as caught:
        await harbor.create_replication_policy(policy_body(name))
    assert caught.value.code == "CONFLICT"


async def test_policy_models_round_trip(harbor: Harbor, unique: Callable[[str], str]) -> None:
    model = ReplicationPolicy(
        name=unique("typed"),
        src_registry=Registry(id=DOCKER_HUB),
        dest_namespace="typed",
        filters=[
            ReplicationFilter(type_="name", value="library/*"),
            ReplicationFilter(type_="tag", value="latest", decoration="matches"),
        ],
        trigger=ReplicationTrigger(type_="manual"),
        enabled=True,
    )
    policy_id = location_id(await harbor.create_replication_policy(model))
    policy = await harbor.get_replication_policy(policy_id)
    assert [(f.type_, f.value) for f in policy.filters] == [
        ("name", "library/*"),
        ("tag", "latest"),
    ]


# --- listing, pages and queries -----------------------------------------------------------


async def test_policies_page_by_page_with_limit(
    harbor: Harbor, unique: Callable[[str], str]
) -> None:
    prefix = unique("paged")
    ids = [await create_policy(harbor, f"{prefix}-{n:02d}") for n in range(7)]
    query = {"name": Fuzzy(prefix)}

    everything = await harbor.get_replication_policies(query=query, page_size=2)
    # Harbor lists policies newest first.
    assert [p.id for p in everything] == list(reversed(ids))

    assert len(await harbor.get_replication_policies(query=query, page_size=3, limit=4)) == 4
    assert len(await harbor.get_replication_policies(query=query, limit=0)) == 7
    from_page_2 = await harbor.get_replication_policies(query=query, page=2, page_size=3)
    assert [p.id for p in from_page_2] == list(reversed(ids))[3:]

    by_name = await harbor.get_replication_policies(query=query, sort="name", page_size=100)
    assert [p.name for p in by_name] == sorted(p.name for p in everything)

    deprecated = await harbor.get_replication_policies(name=prefix, page_size=100)
    assert {p.id for p in deprecated} == set(ids)

    lazily = [p.id async for p in harbor.iter_replication_policies(query=query, page_size=2)]
    assert lazily == [p.id for p in everything]


HOSTILE_NAMES = [
    "a+b",
    "a b",
    "a&b",
    "a%b",
    "a%2Bb",
    "a#b",
    "a=b",
    "~ab",
    'a"b',
    "a'b",
    "a\\b",
    "a+b c%20d",
    "ünï cødé 雪",
    "a++b",
]


async def test_fuzzy_query_with_hostile_characters_across_pages_of_one(
    harbor: Harbor, unique: Callable[[str], str]
) -> None:
    prefix = unique("hostile")
    names = [f"{prefix} {name}" for name in HOSTILE_NAMES]
    ids = {name: await create_policy(harbor, name) for name in names}
    for fragment in HOSTILE_NAMES:
        text = f"{prefix} {fragment}"
        expected = {ids[name] for name in names if text.lower() in name.lower()}
        for query in ({"name": Fuzzy(text)}, f"name=~{text}"):
            found = await harbor.get_replication_policies(query=query, page_size=1)
            assert sorted(p.id for p in found) == sorted(expected), (fragment, query)
        exact = await harbor.get_replication_policies(query={"name": text})
        assert [p.id for p in exact] == [ids[text]], fragment


async def test_any_of_query(harbor: Harbor, unique: Callable[[str], str]) -> None:
    first, second = unique("anyof"), unique("anyof")
    ids = [await create_policy(harbor, first), await create_policy(harbor, second)]
    found = await harbor.get_replication_policies(query={"name": AnyOf(first, second)})
    assert sorted(p.id for p in found) == sorted(ids)


# --- executions, tasks and logs ------------------------------------------------------------


async def test_one_task_per_repository_and_nothing_to_copy(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    # docs/harbor-behaviour.md §15: one task per repository, carrying its selected tags
    nginx = await create_policy(harbor, unique("nginx"), filters=[NGINX_FILTER])
    execution_id = location_id(await harbor.start_replication(nginx))
    first = await harbor.get_replication(execution_id)
    assert (first.status, first.total) == ("InProgress", 0)  # §16: no pending execution
    clock.advance(10 * TASK_DURATION)
    [task] = await harbor.get_replication_tasks(execution_id)
    assert (task.src_resource, task.dst_resource, task.status) == (
        "library/nginx [4 item(s) in total]",
        "mirror/nginx [4 item(s) in total]",
        "Succeed",
    )
    log = await harbor.get_replication_task_log(execution_id, task.id)
    assert "copy library/nginx:1.27(source registry) to mirror/nginx:1.27" in log

    nothing = await create_policy(harbor, unique("nothing"), filters=[NO_REPOSITORY])
    empty_id = location_id(await harbor.start_replication(nothing))
    clock.advance(TASK_DURATION)
    empty = await harbor.get_replication(empty_id)
    assert (empty.status, empty.status_text, empty.total) == (
        "Succeed",
        "no resources need to be replicated",
        0,
    )


async def test_replication_runs_to_the_end(harbor: Harbor, unique: Callable[[str], str]) -> None:
    policy_id = await create_policy(
        harbor, unique("run"), filters=[{"type": "name", "value": "{library/alpine,team/**}"}]
    )
    location = await harbor.start_replication(policy_id)
    assert location.startswith("/api/v2.0/replication/executions/")
    execution_id = location_id(location)

    running = await harbor.get_replication(execution_id)
    assert isinstance(running, ReplicationExecution)
    assert running.policy_id == policy_id
    assert running.trigger == "manual"

    seen: list[str] = []
    # settle=0: the first Failed read (waiting out Harbor's retries: tests/client/test_waiting.py)
    final = await harbor.wait_for_replication(
        execution_id,
        timeout=30,
        poll_interval=0.02,
        settle=0,
        on_progress=lambda e: seen.append(e.status),
    )
    # team/fail-build fails its tasks (the simulator's rule), so the execution fails.
    assert final.status == "Failed"
    assert seen[-1] == "Failed"
    assert isinstance(final.end_time, datetime)
    assert isinstance(final.start_time, datetime)
    assert final.end_time >= final.start_time
    assert (final.failed, final.succeed + final.failed) == (1, final.total)

    tasks = await harbor.get_replication_tasks(execution_id, page_size=2)
    assert len(tasks) == final.total
    assert {t.execution_id for t in tasks} == {execution_id}
    failed = await harbor.get_replication_tasks(execution_id, status="Failed")
    assert [t.src_resource for t in failed] == ["team/fail-build [2 item(s) in total]"]
    assert len(await harbor.get_replication_tasks(execution_id, limit=1)) == 1
    for resource_type in {t.resource_type for t in tasks}:
        of_type = await harbor.get_replication_tasks(execution_id, resource_type=resource_type)
        assert sorted(t.id for t in of_type) == sorted(
            t.id for t in tasks if t.resource_type == resource_type
        )
    assert await harbor.get_replication_tasks(execution_id, resource_type="no-such-type") == []

    log = await harbor.get_replication_task_log(execution_id, failed[0].id)
    assert isinstance(log, str)
    assert log.strip()

    mine = await harbor.get_replications(policy_id=policy_id)
    assert [e.id for e in mine] == [execution_id]
    assert [e.id for e in await harbor.get_replications(policy_id=policy_id, status="Failed")] == [
        execution_id
    ]
    assert await harbor.get_replications(policy_id=policy_id, status="Succeed") == []
    manual = await harbor.get_replications(trigger="manual", page_size=100)
    first_three = await harbor.get_replications(trigger="manual", limit=3)
    assert [e.id for e in first_three] == [e.id for e in manual[:3]]
    assert {e.trigger for e in manual} == {"manual"}


async def test_unset_times_are_none_not_year_one(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    # seven repositories, seven tasks (docs/harbor-behaviour.md §15): four run, three wait
    every = [{"type": "name", "value": "**"}]
    policy_id = await create_policy(harbor, unique("zero"), filters=every)
    execution_id = location_id(await harbor.start_replication(policy_id))
    clock.advance(TASK_DURATION / 2)  # its first tasks run, the others wait
    running = await harbor.get_replication(execution_id)
    assert (running.status, running.end_time) == ("InProgress", None)
    tasks = await harbor.get_replication_tasks(execution_id, page_size=100)
    assert {t.end_time for t in tasks} == {None}
    assert None in {t.start_time for t in tasks}
    assert all(t.start_time.year > 1 for t in tasks if t.start_time is not None)

    await harbor.stop_replication(execution_id)
    clock.advance(TASK_DURATION)
    stopped = await harbor.get_replication(execution_id)
    assert stopped.status == "Stopped"
    assert isinstance(stopped.end_time, datetime)
    tasks = await harbor.get_replication_tasks(execution_id, page_size=100)
    # the tasks that never started have no start time, not Go's year 1
    assert None in {t.start_time for t in tasks}
    assert all(t.start_time.year > 1 for t in tasks if t.start_time is not None)
    assert all(t.end_time is not None and t.end_time.year > 1 for t in tasks)
    await harbor.delete_replication_policy(policy_id)


async def test_stop_a_running_replication(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    policy_id = await create_policy(harbor, unique("stop"))
    execution_id = location_id(await harbor.start_replication(policy_id))
    clock.advance(TASK_DURATION / 2)
    assert (await harbor.get_replication(execution_id)).status == "InProgress"
    with pytest.raises(PreconditionFailedError):
        # Harbor refuses to delete a policy while one of its executions runs.
        await harbor.delete_replication_policy(policy_id)

    await harbor.stop_replication(execution_id)
    clock.advance(TASK_DURATION)  # past the moment the stop takes effect
    final = await harbor.wait_for_replication(execution_id, timeout=30, poll_interval=0.02)
    assert (final.status, final.succeed) == ("Stopped", 0)
    assert final.stopped == final.total > 0
    await harbor.delete_replication_policy(policy_id)
    with pytest.raises(NotFoundError):
        await harbor.get_replication(execution_id)


class _Recording(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return super().handle_request(request)


class _AsyncRecording(httpx.AsyncHTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return await super().handle_async_request(request)


async def test_each_request_accepts_what_its_operation_produces(
    kind: str, simulator: HarborSimulator
) -> None:
    # Harbor negotiates Accept against each operation's produces before the handler runs
    # (docs/harbor-behaviour.md §19): the task log produces only text/plain, and a request
    # accepting only JSON gets 422.
    transport = _AsyncRecording() if kind == "async" else _Recording()
    async with open_client(kind, simulator.url, transport=transport) as harbor:
        await harbor.get_registries()
        with pytest.raises(NotFoundError):
            await harbor.get_replication_task_log(999_999, 1)
        with pytest.raises(NotFoundError):
            await harbor.update_registry(999_999, {"description": "d"})
    sent = [
        (r.method, r.headers.get("accept"), r.headers.get("content-type")) for r in transport.seen
    ]
    assert sent == [
        ("GET", "application/json", None),
        ("GET", "text/plain, application/json", None),
        ("PUT", "application/json", "application/json"),
    ]


async def test_start_errors(harbor: Harbor, unique: Callable[[str], str]) -> None:
    with pytest.raises(NotFoundError):
        await harbor.start_replication(999_999)
    disabled = await create_policy(harbor, unique("disabled"), enabled=False)
    with pytest.raises(PreconditionFailedError) as caught:
        await harbor.start_replication(disabled)
    assert f"the policy {disabled} is disabled" in str(caught.value)
    with pytest.raises(NotFoundError):
        await harbor.stop_replication(999_999)
    with pytest.raises(NotFoundError):
        await harbor.get_replication_task_log(999_999, 1)
    with pytest.raises(NotFoundError):
        await harbor.get_replication_tasks(999_999)


async def test_wait_for_replication_times_out(
    harbor: Harbor, clock: FrozenClock, unique: Callable[[str], str]
) -> None:
    policy_id = await create_policy(harbor, unique("wait"))
    execution_id = location_id(await harbor.start_replication(policy_id))
    clock.advance(TASK_DURATION / 2)
    with pytest.raises(WaitTimeoutError) as caught:
        await harbor.wait_for_replication(execution_id, timeout=0, poll_interval=0.01)
    assert (caught.value.execution_id, caught.value.last_status) == (execution_id, "InProgress")

    clock.advance(1.0)  # far past the end of its tasks
    final = await harbor.wait_for_replication(execution_id, timeout=0, poll_interval=0.01)
    assert (final.status, final.succeed) == ("Succeed", final.total)
    assert final.total > 0
    await harbor.delete_replication_policy(policy_id)


async def test_text_that_looks_like_go_zero_time_is_kept(
    harbor: Harbor, unique: Callable[[str], str]
) -> None:
    # Only time fields holding Go's zero time become None, never a look-alike string.
    name = unique("0001-01-01T00:00:00Z")
    description = "0001-01-01T00:00:00Z is Go's zero time"
    policy_id = await create_policy(harbor, name, description=description)
    policy = await harbor.get_replication_policy(policy_id)
    assert (policy.name, policy.description) == (name, description)
    listed = await harbor.get_replication_policies(query={"name": name})
    assert [p.description for p in listed] == [description]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"description": date(2024, 1, 1)},
            "description is datetime.date(2024, 1, 1) (date), expected str",
        ),
        ({"enabled": "yes"}, "enabled is 'yes' (str), expected bool"),
        ({"src_registry": {"id": "1"}}, "src_registry.id is '1' (str), expected int"),
        (
            {"filters": [{"type": "name", "value": "a/**"}, {"type": "tag", "value": 1.0}]},
            "filters[1].value is 1.0 (float), expected list or str",
        ),
        ({"filterz": [{"type": "name", "value": "x"}]}, "unknown field(s) filterz"),
        ({"trigger": {"type": "manual", "cron": "0 0 * * * *"}}, "unknown field(s) trigger.cron"),
        ({"src_registry": 1}, "src_registry cannot be 1"),
        ({"trigger": "manual"}, "trigger cannot be 'manual'"),
        ({"deletion": False, "replicate_deletion": True}, "disagree"),
    ],
)
async def test_a_policy_harbor_would_misread_is_refused_before_sending(
    kind: str, changes: dict[str, Any], message: str
) -> None:
    async with open_client(kind, "http://127.0.0.1:9") as harbor:
        for method, args in (
            ("create_replication_policy", ()),
            ("update_replication_policy", (1,)),
        ):
            with pytest.raises(ValueError, match=re.escape(message)):
                await getattr(harbor, method)(*args, policy_body("bad", **changes))


async def test_deletion_set_alike_or_alone_is_accepted(
    harbor: Harbor, unique: Callable[[str], str]
) -> None:
    both = await create_policy(harbor, unique("both"), deletion=True, replicate_deletion=True)
    only_old = await create_policy(harbor, unique("old"), deletion=True)
    for policy_id in (both, only_old):
        policy = await harbor.get_replication_policy(policy_id)
        assert (policy.deletion, policy.replicate_deletion) == (True, True)
