"""The sans-I/O core both clients share.

Everything here is pure: checking arguments, building requests (with the generated
``_get_kwargs`` functions, so paths and parameter names come from Harbor's description),
turning responses into models or exceptions, and deciding which page comes next. The
clients in ``_async_client.py`` and ``_sync_client.py`` only move bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar

import httpx

from harbor_replication import _endpoints as api
from harbor_replication._errors import (
    ClientClosedError,
    ErrorDetail,
    FieldTypeError,
    HarborAPIError,
    HarborConnectionError,
    HarborResponseError,
    HarborTimeoutError,
    WrongEventLoopError,
    error_class_for,
)
from harbor_replication._paging import Page
from harbor_replication._retry import parse_retry_after
from harbor_replication._shapes import complete_and_check, unknown_keys, wrong_field

# From the public models module, which also gives every model a readable repr.
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

T = TypeVar("T")
M = TypeVar(
    "M",
    ReplicationExecution,
    ReplicationPolicy,
    ReplicationTask,
    Registry,
    RegistryInfo,
    RegistryProviderInfo,
)

Query: TypeAlias = str | Mapping[str, QueryValue]
PolicyInput: TypeAlias = ReplicationPolicy | Mapping[str, Any]
RegistryInput: TypeAlias = Registry | Mapping[str, Any]
RegistryUpdateInput: TypeAlias = RegistryUpdate | Mapping[str, Any]
RegistryPingInput: TypeAlias = RegistryPing | Mapping[str, Any]

MAX_PAGE_SIZE = 100
# The statuses an execution or a task ends in (SEMANTICS 16, 17).
FINAL_STATUSES = frozenset({"Succeed", "Failed", "Stopped"})


class _MalformedResponse(Exception):
    """Raised by parsers; :func:`finish` turns it into HarborResponseError with context."""


# --- argument checks: all before any I/O -------------------------------------------------


def check_id(name: str, value: object) -> int:
    """Return ``value`` if it is a positive int, else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value


def check_page(page: object, page_size: object) -> tuple[int, int]:
    check_id("page", page)
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise ValueError(f"page_size must be an int from 1 to {MAX_PAGE_SIZE}, got {page_size!r}")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be from 1 to {MAX_PAGE_SIZE}, got {page_size}")
    return page, page_size  # type: ignore[return-value]


def check_limit(limit: object) -> int | None:
    """``None`` or a value <= 0 means no limit."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise ValueError(f"limit must be an int or None, got {limit!r}")
    return limit if limit > 0 else None


def check_wait(timeout: object, poll_interval: object, on_progress: object) -> None:
    """The arguments of ``wait_for_replication`` besides the id."""
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout >= 0
    ):
        raise ValueError(f"timeout must be seconds >= 0 or None, got {timeout!r}")
    if (
        isinstance(poll_interval, bool)
        or not isinstance(poll_interval, int | float)
        or not 0 < poll_interval < float("inf")
    ):
        raise ValueError(f"poll_interval must be seconds > 0, got {poll_interval!r}")
    if on_progress is not None and not callable(on_progress):
        raise ValueError(f"on_progress must be callable or None, got {on_progress!r}")


def _optional_text(name: str, value: object) -> str | Unset:
    if value is None:
        return UNSET
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty str or None, got {value!r}")
    return value


def location_id(location: str) -> int:
    """The id at the end of a ``Location`` header, a path or an absolute URL.

    >>> location_id("/api/v2.0/replication/executions/42")
    42
    >>> location_id("https://harbor.example.com/api/v2.0/replication/policies/7")
    7
    """
    if not isinstance(location, str):
        raise ValueError(f"a Location must be a str, got {location!r}")
    path = httpx.URL(location.strip()).path.rstrip("/")
    last = path.rpartition("/")[2]
    if not (last.isascii() and last.isdigit()) or int(last) < 1:
        raise ValueError(f"no resource id at the end of Location {location!r}")
    return int(last)


# --- requests ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One request and how to read its answer.

    ``operation`` is the public method's name, for error messages. ``replayable`` tells
    whether sending the request twice is harmless (GET, PUT, DELETE), which decides
    retries: a POST that may have reached the server is never sent again.
    """

    operation: str
    request: dict[str, Any]
    parse: Callable[[httpx.Response], T]
    replayable: bool


@dataclass(frozen=True, slots=True)
class PagedCall(Generic[T]):
    """A list operation: the request for any page and how to read one page's items."""

    operation: str
    request_for_page: Callable[[int, int], dict[str, Any]]
    parse_item: Callable[[Any], T]
    first_page: int
    page_size: int
    limit: int | None

    def page(self, number: int, size: int | None = None) -> Call[Page[T]]:
        """Page ``number`` of ``size`` items (default the listing's ``page_size``)."""
        return Call(
            self.operation,
            self.request_for_page(number, self.page_size if size is None else size),
            lambda response: _parse_page(response, self.parse_item),
            replayable=True,
        )


def _model_parser(model: type[M]) -> Callable[[httpx.Response], M]:
    def parse(response: httpx.Response) -> M:
        return _parse_item(_json(response), model)

    return parse


def _item_parser(model: type[M]) -> Callable[[Any], M]:
    def parse(data: Any) -> M:
        return _parse_item(data, model)

    return parse


def _parse_item(data: Any, model: type[M]) -> M:
    """``data`` as a ``model``, completed with what Harbor leaves out and type-checked."""
    if not isinstance(data, dict):
        raise _MalformedResponse(f"expected a JSON object for {model.__name__}")
    try:
        item = model.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise _MalformedResponse(f"not a valid {model.__name__}: {exc}") from exc
    misfit = complete_and_check(item)
    if misfit is not None:
        value = repr(misfit.value)
        shown = value if len(value) <= 60 else value[:57] + "..."
        raise _MalformedResponse(f"not a valid {model.__name__}: {misfit.path} is {shown}")
    return item


def _json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError) as exc:
        raise _MalformedResponse(f"the body is not JSON: {exc}") from exc


def _parse_page(response: httpx.Response, parse_item: Callable[[Any], T]) -> Page[T]:
    data = _json(response)
    if not isinstance(data, list):
        raise _MalformedResponse("expected a JSON array")
    total_header = response.headers.get("x-total-count")
    total: int | None = None
    if total_header is not None:
        try:
            total = int(total_header)
        except ValueError:
            raise _MalformedResponse(f"X-Total-Count is not a number: {total_header!r}") from None
    return Page([parse_item(item) for item in data], total)


def _parse_location(response: httpx.Response) -> str:
    location: str | None = response.headers.get("location")
    if not location:
        raise _MalformedResponse("201 Created without a Location header")
    try:
        location_id(location)
    except ValueError as exc:
        raise _MalformedResponse(str(exc)) from None
    return location


def _parse_nothing(response: httpx.Response) -> None:
    return None


def _parse_text(response: httpx.Response) -> str:
    text: str = response.text
    return text


def api_error(operation: str, response: httpx.Response) -> HarborAPIError:
    """The exception for a non-2xx answer, with Harbor's codes when the body has them."""
    text = response.text
    details: list[ErrorDetail] = []
    try:
        body = json.loads(text) if text else None
    except (ValueError, RecursionError):
        body = None
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        for entry in body["errors"]:
            if isinstance(entry, dict):
                details.append(
                    ErrorDetail(str(entry.get("code", "")), str(entry.get("message", "")))
                )
    request = response.request
    return error_class_for(response.status_code)(
        operation=operation,
        method=request.method,
        path=_request_path(request),
        status_code=response.status_code,
        errors=details,
        request_id=response.headers.get("x-request-id"),
        text=text,
        retry_after=parse_retry_after(response.headers.get("retry-after")),
    )


def _request_path(request: httpx.Request) -> str:
    """The path and query as sent, still percent-encoded, as Harbor's logs show them."""
    return request.url.raw_path.decode("ascii", "replace")


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


def finish(call: Call[T], response: httpx.Response) -> T:
    """Turn ``response`` into the call's result, or raise the matching HarborError."""
    if not 200 <= response.status_code < 300:
        raise api_error(call.operation, response)
    try:
        return call.parse(response)
    except _MalformedResponse as exc:
        request = response.request
        raise HarborResponseError(
            str(exc),
            operation=call.operation,
            method=request.method,
            path=_request_path(request),
            status_code=response.status_code,
            request_id=response.headers.get("x-request-id"),
        ) from exc.__cause__


# --- the operations ---------------------------------------------------------------------


def get_replication(execution_id: int) -> Call[ReplicationExecution]:
    request = api.get_replication_execution._get_kwargs(check_id("execution_id", execution_id))
    return Call("get_replication", request, _model_parser(ReplicationExecution), True)


def start_replication(policy_id: int) -> Call[str]:
    body = StartReplicationExecution(policy_id=check_id("policy_id", policy_id))
    request = api.start_replication._get_kwargs(body=body)
    return Call("start_replication", request, _parse_location, False)


def stop_replication(execution_id: int) -> Call[None]:
    request = api.stop_replication._get_kwargs(check_id("execution_id", execution_id))
    return Call("stop_replication", request, _parse_nothing, True)


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
        "sort": _optional_text("sort", sort),
        "policy_id": UNSET if policy_id is None else check_id("policy_id", policy_id),
        "status": _optional_text("status", status),
        "trigger": _optional_text("trigger", trigger),
    }
    return PagedCall(
        "get_replications",
        lambda number, size: api.list_replication_executions._get_kwargs(
            page=number, page_size=size, **filters
        ),
        _item_parser(ReplicationExecution),
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
        "status": _optional_text("status", status),
        "resource_type": _optional_text("resource_type", resource_type),
        "sort": _optional_text("sort", sort),
    }
    return PagedCall(
        "get_replication_tasks",
        lambda number, size: api.list_replication_tasks._get_kwargs(
            execution_id, page=number, page_size=size, **filters
        ),
        _item_parser(ReplicationTask),
        page,
        page_size,
        check_limit(limit),
    )


def get_replication_task_log(execution_id: int, task_id: int) -> Call[str]:
    request = api.get_replication_log._get_kwargs(
        check_id("execution_id", execution_id), check_id("task_id", task_id)
    )
    return Call("get_replication_task_log", request, _parse_text, True)


def get_replication_policy(policy_id: int) -> Call[ReplicationPolicy]:
    request = api.get_replication_policy._get_kwargs(check_id("policy_id", policy_id))
    return Call("get_replication_policy", request, _model_parser(ReplicationPolicy), True)


def policy_body(policy: PolicyInput) -> ReplicationPolicy:
    """The policy to send, with ``replicate_deletion`` mirrored into ``deletion``.

    Harbor reads only the deprecated ``deletion`` on create and update (SEMANTICS 11), so
    the one given is copied into the other. On a model (say one read, changed and sent
    back) ``replicate_deletion`` wins when the two differ; a mapping that spells out two
    different values is an error, since which one was meant cannot be known.
    """
    given = _model_input(ReplicationPolicy, policy, "replication policy")
    # A copy, so the caller's object is left as it was.
    model = ReplicationPolicy.from_dict(given.to_dict())
    deletion, replicate_deletion = model.deletion, model.replicate_deletion
    if isinstance(replicate_deletion, Unset):
        model.replicate_deletion = deletion
        return model
    if (
        isinstance(policy, Mapping)
        and not isinstance(deletion, Unset)
        and deletion != replicate_deletion
    ):
        raise ValueError(
            f"not a valid replication policy: deletion={deletion} and "
            f"replicate_deletion={replicate_deletion} disagree; give one, or both alike"
        )
    model.deletion = replicate_deletion
    return model


def create_replication_policy(policy: PolicyInput) -> Call[str]:
    request = api.create_replication_policy._get_kwargs(body=policy_body(policy))
    return Call("create_replication_policy", request, _parse_location, False)


def update_replication_policy(policy_id: int, policy: PolicyInput) -> Call[None]:
    request = api.update_replication_policy._get_kwargs(
        check_id("policy_id", policy_id), body=policy_body(policy)
    )
    return Call("update_replication_policy", request, _parse_nothing, True)


def delete_replication_policy(policy_id: int) -> Call[None]:
    request = api.delete_replication_policy._get_kwargs(check_id("policy_id", policy_id))
    return Call("delete_replication_policy", request, _parse_nothing, True)


def _encoded_query(query: Query | None) -> str | Unset:
    if query is None:
        return UNSET
    if not isinstance(query, str | Mapping):
        raise ValueError(f"query must be a str, a mapping or None, got {query!r}")
    return encode_query(query)


def _listing(
    operation: str,
    endpoint: Callable[..., dict[str, Any]],
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
        "sort": _optional_text("sort", sort),
        "name": _optional_text("name", name),
    }
    return PagedCall(
        operation,
        lambda number, size: endpoint(page=number, page_size=size, **filters),
        _item_parser(model),
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
        api.list_replication_policies._get_kwargs,
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
        api.list_registries._get_kwargs,
        Registry,
        query,
        sort,
        page,
        page_size,
        name,
        limit,
    )


def get_registry(registry_id: int) -> Call[Registry]:
    request = api.get_registry._get_kwargs(check_id("registry_id", registry_id))
    return Call("get_registry", request, _model_parser(Registry), True)


def get_registry_info(registry_id: int) -> Call[RegistryInfo]:
    request = api.get_registry_info._get_kwargs(check_id("registry_id", registry_id))
    return Call("get_registry_info", request, _model_parser(RegistryInfo), True)


def _parse_names(response: httpx.Response) -> list[str]:
    names = _json(response)
    if not isinstance(names, list) or not all(type(name) is str for name in names):
        raise _MalformedResponse("expected a JSON array of strings")
    return names


def get_registry_adapters() -> Call[list[str]]:
    request = api.list_registry_provider_types._get_kwargs()
    return Call("get_registry_adapters", request, _parse_names, True)


def _parse_adapter_infos(response: httpx.Response) -> dict[str, RegistryProviderInfo]:
    # Harbor's description makes this a model of additional properties only; a plain
    # dict from adapter type to its info is what a caller wants.
    infos = _json(response)
    if not isinstance(infos, dict):
        raise _MalformedResponse("expected a JSON object of adapter infos")
    return {name: _parse_item(info, RegistryProviderInfo) for name, info in infos.items()}


def get_registry_adapter_infos() -> Call[dict[str, RegistryProviderInfo]]:
    request = api.list_registry_provider_infos._get_kwargs()
    return Call("get_registry_adapter_infos", request, _parse_adapter_infos, True)


def _parse_harbor_version(response: httpx.Response) -> str:
    info = _json(response)
    if not isinstance(info, dict):
        raise _MalformedResponse("expected a JSON object of system information")
    version = info.get("harbor_version", "")
    if not isinstance(version, str):
        raise _MalformedResponse(f"harbor_version is not a string: {version!r}")
    return version


def get_harbor_version() -> Call[str]:
    # /systeminfo is outside the replication API, so outside the generated endpoints.
    request = {"method": "get", "url": "/systeminfo"}
    return Call("get_harbor_version", request, _parse_harbor_version, True)


def _model_input(model: type[Any], value: Any, what: str) -> Any:
    """``value`` (a model or a mapping) as a ``model`` whose fields hold the right types.

    A mapping must use the model's keys only: Harbor ignores unknown keys, so a typo
    would silently leave a setting out.
    """
    if isinstance(value, model):
        instance = value
    elif isinstance(value, Mapping):
        instance = _from_mapping(model, value, what)
        unknown = unknown_keys(instance)
        if unknown:
            raise ValueError(f"not a valid {what}: unknown field(s) {', '.join(unknown)}")
    else:
        raise ValueError(f"{what} must be a {model.__name__} or a mapping, got {value!r}")
    misfit = wrong_field(instance)
    if misfit is not None:
        raise FieldTypeError(what, misfit.path, misfit.value, misfit.expected)
    return instance


def _from_mapping(model: type[Any], value: Mapping[Any, Any], what: str) -> Any:
    try:
        return model.from_dict(dict(value))
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    # Find the field the generated parser choked on, to name it.
    for key, item in value.items():
        try:
            model.from_dict({key: item})
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValueError(
                f"not a valid {what}: {key} cannot be {item!r} (a list or an object "
                "is expected there)"
            ) from None
    raise ValueError(f"not a valid {what}: {dict(value)!r}")


def create_registry(registry: RegistryInput) -> Call[str]:
    body = _model_input(Registry, registry, "registry")
    request = api.create_registry._get_kwargs(body=body)
    return Call("create_registry", request, _parse_location, False)


def update_registry(registry_id: int, registry: RegistryUpdateInput) -> Call[None]:
    body = _model_input(RegistryUpdate, registry, "registry update")
    request = api.update_registry._get_kwargs(check_id("registry_id", registry_id), body=body)
    return Call("update_registry", request, _parse_nothing, True)


def delete_registry(registry_id: int) -> Call[None]:
    request = api.delete_registry._get_kwargs(check_id("registry_id", registry_id))
    return Call("delete_registry", request, _parse_nothing, True)


def ping_registry(registry: RegistryPingInput) -> Call[None]:
    body = _model_input(RegistryPing, registry, "registry ping")
    request = api.ping_registry._get_kwargs(body=body)
    # A ping changes nothing on the server, so sending it twice is harmless.
    return Call("ping_registry", request, _parse_nothing, True)
