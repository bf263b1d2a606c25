"""Reading Harbor's answers: a 2xx body into models, anything else into the matching
HarborError, with the request it answers for context."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

# The public models module, which also gives every model a readable repr.
from harbor_replication import models
from harbor_replication._errors import (
    ErrorDetail,
    HarborAPIError,
    HarborResponseError,
    error_class_for,
)
from harbor_replication._paging import Page
from harbor_replication._retry import parse_retry_after
from harbor_replication._shapes import complete_and_check

if TYPE_CHECKING:
    from harbor_replication._core import Call

T = TypeVar("T")
# The models an answer is read into.
M = TypeVar(
    "M",
    models.ReplicationExecution,
    models.ReplicationPolicy,
    models.ReplicationTask,
    models.Registry,
    models.RegistryInfo,
    models.RegistryProviderInfo,
)


class MalformedResponse(Exception):
    """Raised by parsers; :func:`finish` turns it into HarborResponseError with context."""


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


def model_parser(model: type[M]) -> Callable[[httpx.Response], M]:
    def parse(response: httpx.Response) -> M:
        return parse_item(parse_json(response), model)

    return parse


def item_parser(model: type[M]) -> Callable[[Any], M]:
    def parse(data: Any) -> M:
        return parse_item(data, model)

    return parse


def parse_item(data: Any, model: type[M]) -> M:
    """``data`` as a ``model``, completed with what Harbor leaves out and type-checked."""
    if not isinstance(data, dict):
        raise MalformedResponse(f"expected a JSON object for {model.__name__}")
    try:
        item = model.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise MalformedResponse(f"not a valid {model.__name__}: {exc}") from exc
    misfit = complete_and_check(item)
    if misfit is not None:
        value = repr(misfit.value)
        shown = value if len(value) <= 60 else value[:57] + "..."
        raise MalformedResponse(f"not a valid {model.__name__}: {misfit.path} is {shown}")
    return item


def parse_json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError) as exc:
        raise MalformedResponse(f"the body is not JSON: {exc}") from exc


def parse_page(response: httpx.Response, parse_item: Callable[[Any], T]) -> Page[T]:
    data = parse_json(response)
    if not isinstance(data, list):
        raise MalformedResponse("expected a JSON array")
    total_header = response.headers.get("x-total-count")
    total: int | None = None
    if total_header is not None:
        try:
            total = int(total_header)
        except ValueError:
            raise MalformedResponse(f"X-Total-Count is not a number: {total_header!r}") from None
    return Page([parse_item(item) for item in data], total)


def parse_location(response: httpx.Response) -> str:
    location: str | None = response.headers.get("location")
    if not location:
        raise MalformedResponse("201 Created without a Location header")
    try:
        location_id(location)
    except ValueError as exc:
        raise MalformedResponse(str(exc)) from None
    return location


def parse_nothing(response: httpx.Response) -> None:
    return None


def parse_text(response: httpx.Response) -> str:
    text: str = response.text
    return text


def parse_names(response: httpx.Response) -> list[str]:
    names = parse_json(response)
    if not isinstance(names, list) or not all(type(name) is str for name in names):
        raise MalformedResponse("expected a JSON array of strings")
    return names


def parse_adapter_infos(response: httpx.Response) -> dict[str, models.RegistryProviderInfo]:
    # Harbor's description makes this a model of additional properties only; a plain
    # dict from adapter type to its info is what a caller wants.
    infos = parse_json(response)
    if not isinstance(infos, dict):
        raise MalformedResponse("expected a JSON object of adapter infos")
    return {name: parse_item(info, models.RegistryProviderInfo) for name, info in infos.items()}


def parse_harbor_version(response: httpx.Response) -> str:
    info = parse_json(response)
    if not isinstance(info, dict):
        raise MalformedResponse("expected a JSON object of system information")
    version = info.get("harbor_version", "")
    if not isinstance(version, str):
        raise MalformedResponse(f"harbor_version is not a string: {version!r}")
    return version


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
        path=request_path(request),
        status_code=response.status_code,
        errors=details,
        request_id=response.headers.get("x-request-id"),
        text=text,
        retry_after=parse_retry_after(response.headers.get("retry-after")),
    )


def request_path(request: httpx.Request) -> str:
    """The path and query as sent, still percent-encoded, as Harbor's logs show them."""
    return request.url.raw_path.decode("ascii", "replace")


def finish(call: Call[T], response: httpx.Response) -> T:
    """Turn ``response`` into the call's result, or raise the matching HarborError."""
    if not 200 <= response.status_code < 300:
        raise api_error(call.operation, response)
    try:
        return call.parse(response)
    except MalformedResponse as exc:
        request = response.request
        raise HarborResponseError(
            str(exc),
            operation=call.operation,
            method=request.method,
            path=request_path(request),
            status_code=response.status_code,
            request_id=response.headers.get("x-request-id"),
        ) from exc.__cause__
