"""The sans-I/O core both clients share: one function per public method, building its
request and saying how to read the answer.

Everything here is pure. Requests are built with the generated ``build_request`` functions,
so paths, parameters and headers come from Harbor's description; argument checks live in
``_checks``, request bodies in ``_bodies``, reading answers in ``_responses`` and paging in
``_paging``. The clients in ``_async_client.py`` and ``_sync_client.py`` only move bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar

import httpx

from harbor_replication import _bodies as bodies, _endpoints as api, _responses as responses
from harbor_replication._bodies import (
    PolicyInput,
    RegistryInput,
    RegistryPingInput,
    RegistryUpdateInput,
    policy_body,
)
from harbor_replication._checks import check_id, check_limit, check_page, optional_text
from harbor_replication._paging import Page
from harbor_replication._responses import M
from harbor_replication.models import (
    UNSET,
    Registry,
    RegistryInfo,
    RegistryPing,
    RegistryProviderInfo,
    RegistryUpdate,
    ReplicationExecution,
    ReplicationPolicy,
    ReplicationTask,
    Unset,
)
from harbor_replication.query import QueryValue, encode_query
from harbor_replication_api.models import StartReplicationExecution
from harbor_replication_api.types import RequestArgs

T = TypeVar("T")

Query: TypeAlias = str | Mapping[str, QueryValue]


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One request and how to read its answer.

    ``operation`` is the public method's name, for error messages. ``replayable`` tells
    whether sending the request twice is harmless (GET, PUT, DELETE), which decides
    retries: a POST that may have reached the server is never sent again.
    """

    operation: str
    request: RequestArgs
    parse: Callable[[httpx.Response], T]
    replayable: bool


@dataclass(frozen=True, slots=True)
class PagedCall(Generic[T]):
    """A list operation: the request for any page and how to read one page's items."""

    operation: str
    request_for_page: Callable[[int, int], RequestArgs]
    parse_item: Callable[[Any], T]
    first_page: int
    page_size: int
    limit: int | None

    def page(self, number: int, size: int | None = None) -> Call[Page[T]]:
        """Page ``number`` of ``size`` items (default the listing's ``page_size``)."""
        return Call(
            self.operation,
            self.request_for_page(number, self.page_size if size is None else size),
            lambda response: responses.parse_page(response, self.parse_item),
            replayable=True,
        )


# --- the operations ---------------------------------------------------------------------


def get_replication(execution_id: int) -> Call[ReplicationExecution]:
    request = api.get_replication_execution.build_request(check_id("execution_id", execution_id))
    return Call("get_replication", request, responses.model_parser(ReplicationExecution), True)


def start_replication(policy_id: int) -> Call[str]:
    body = StartReplicationExecution(policy_id=check_id("policy_id", policy_id))
    request = api.start_replication.build_request(body=body)
    return Call("start_replication", request, responses.parse_location, False)


def stop_replication(execution_id: int) -> Call[None]:
    request = api.stop_replication.build_request(check_id("execution_id", execution_id))
    return Call("stop_replication", request, responses.parse_nothing, True)


def get_replications(
    sort: str | None,
    policy_id: int | None,
    status: str | None,
    trigger: str | None,
    page: int,
    page_size: int,
    limit: int | None,
) -> PagedCall[ReplicationExecution]:
    page, page_size = check_page(page, page_size)
    filters: dict[str, Any] = {
        "sort": optional_text("sort", sort),
        "policy_id": UNSET if policy_id is None else check_id("policy_id", policy_id),
        "status": optional_text("status", status),
        "trigger": optional_text("trigger", trigger),
    }
    return PagedCall(
        "get_replications",
        lambda number, size: api.list_replication_executions.build_request(
            page=number, page_size=size, **filters
        ),
        responses.item_parser(ReplicationExecution),
        page,
        page_size,
        check_limit(limit),
    )


def get_replication_tasks(
    execution_id: int,
    status: str | None,
    resource_type: str | None,
    sort: str | None,
    page: int,
    page_size: int,
    limit: int | None,
) -> PagedCall[ReplicationTask]:
    execution_id = check_id("execution_id", execution_id)
    page, page_size = check_page(page, page_size)
    filters: dict[str, Any] = {
        "status": optional_text("status", status),
        "resource_type": optional_text("resource_type", resource_type),
        "sort": optional_text("sort", sort),
    }
    return PagedCall(
        "get_replication_tasks",
        lambda number, size: api.list_replication_tasks.build_request(
            execution_id, page=number, page_size=size, **filters
        ),
        responses.item_parser(ReplicationTask),
        page,
        page_size,
        check_limit(limit),
    )


def get_replication_task_log(execution_id: int, task_id: int) -> Call[str]:
    request = api.get_replication_log.build_request(
        check_id("execution_id", execution_id), check_id("task_id", task_id)
    )
    return Call("get_replication_task_log", request, responses.parse_text, True)


def get_replication_policy(policy_id: int) -> Call[ReplicationPolicy]:
    request = api.get_replication_policy.build_request(check_id("policy_id", policy_id))
    return Call("get_replication_policy", request, responses.model_parser(ReplicationPolicy), True)


def create_replication_policy(policy: PolicyInput) -> Call[str]:
    request = api.create_replication_policy.build_request(body=policy_body(policy))
    return Call("create_replication_policy", request, responses.parse_location, False)


def update_replication_policy(policy_id: int, policy: PolicyInput) -> Call[None]:
    request = api.update_replication_policy.build_request(
        check_id("policy_id", policy_id), body=policy_body(policy)
    )
    return Call("update_replication_policy", request, responses.parse_nothing, True)


def delete_replication_policy(policy_id: int) -> Call[None]:
    request = api.delete_replication_policy.build_request(check_id("policy_id", policy_id))
    return Call("delete_replication_policy", request, responses.parse_nothing, True)


def _encoded_query(query: Query | None) -> str | Unset:
    if query is None:
        return UNSET
    if not isinstance(query, str | Mapping):
        raise ValueError(f"query must be a str, a mapping or None, got {query!r}")
    return encode_query(query)


def _listing(
    operation: str,
    endpoint: Callable[..., RequestArgs],
    model: type[M],
    query: Query | None,
    sort: str | None,
    page: int,
    page_size: int,
    name: str | None,
    limit: int | None,
) -> PagedCall[M]:
    page, page_size = check_page(page, page_size)
    filters: dict[str, Any] = {
        "q": _encoded_query(query),
        "sort": optional_text("sort", sort),
        "name": optional_text("name", name),
    }
    return PagedCall(
        operation,
        lambda number, size: endpoint(page=number, page_size=size, **filters),
        responses.item_parser(model),
        page,
        page_size,
        check_limit(limit),
    )


def get_replication_policies(
    query: Query | None,
    sort: str | None,
    page: int,
    page_size: int,
    name: str | None,
    limit: int | None,
) -> PagedCall[ReplicationPolicy]:
    return _listing(
        "get_replication_policies",
        api.list_replication_policies.build_request,
        ReplicationPolicy,
        query,
        sort,
        page,
        page_size,
        name,
        limit,
    )


def get_registries(
    query: Query | None,
    sort: str | None,
    page: int,
    page_size: int,
    name: str | None,
    limit: int | None,
) -> PagedCall[Registry]:
    return _listing(
        "get_registries",
        api.list_registries.build_request,
        Registry,
        query,
        sort,
        page,
        page_size,
        name,
        limit,
    )


def get_registry(registry_id: int) -> Call[Registry]:
    request = api.get_registry.build_request(check_id("registry_id", registry_id))
    return Call("get_registry", request, responses.model_parser(Registry), True)


def get_registry_info(registry_id: int) -> Call[RegistryInfo]:
    request = api.get_registry_info.build_request(check_id("registry_id", registry_id))
    return Call("get_registry_info", request, responses.model_parser(RegistryInfo), True)


def get_registry_adapters() -> Call[list[str]]:
    request = api.list_registry_provider_types.build_request()
    return Call("get_registry_adapters", request, responses.parse_names, True)


def get_registry_adapter_infos() -> Call[dict[str, RegistryProviderInfo]]:
    request = api.list_registry_provider_infos.build_request()
    return Call("get_registry_adapter_infos", request, responses.parse_adapter_infos, True)


def get_harbor_version() -> Call[str]:
    # /systeminfo is outside the replication API, so outside the generated builders; it
    # produces JSON, like every operation of Harbor's API but the task log.
    request: RequestArgs = {
        "method": "GET",
        "url": "/systeminfo",
        "headers": {"Accept": "application/json"},
    }
    return Call("get_harbor_version", request, responses.parse_harbor_version, True)


def create_registry(registry: RegistryInput) -> Call[str]:
    body = bodies.model_input(Registry, registry, "registry")
    request = api.create_registry.build_request(body=body)
    return Call("create_registry", request, responses.parse_location, False)


def update_registry(registry_id: int, registry: RegistryUpdateInput) -> Call[None]:
    body = bodies.model_input(RegistryUpdate, registry, "registry update")
    request = api.update_registry.build_request(check_id("registry_id", registry_id), body=body)
    return Call("update_registry", request, responses.parse_nothing, True)


def delete_registry(registry_id: int) -> Call[None]:
    request = api.delete_registry.build_request(check_id("registry_id", registry_id))
    return Call("delete_registry", request, responses.parse_nothing, True)


def ping_registry(registry: RegistryPingInput) -> Call[None]:
    body = bodies.model_input(RegistryPing, registry, "registry ping")
    request = api.ping_registry.build_request(body=body)
    # A ping changes nothing on the server, so sending it twice is harmless.
    return Call("ping_registry", request, responses.parse_nothing, True)
