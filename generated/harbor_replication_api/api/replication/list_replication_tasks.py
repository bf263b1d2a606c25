"""GET /replication/executions/{id}/tasks: List replication tasks for a specific execution"""

from typing import Any
from urllib.parse import quote

from ...types import UNSET, RequestArgs, Unset


def build_request(
    id: int,
    *,
    sort: str | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    status: str | Unset = UNSET,
    resource_type: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> RequestArgs:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation.

    List replication tasks for a specific execution

    Headers: ``Accept: application/json`` (the media types its answers are documented with).
    The path is relative to the API root (``/api/v2.0``).

    Args:
        id (int):
        sort (str | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        status (str | Unset):
        resource_type (str | Unset):
        x_request_id (str | Unset):
    """
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    headers["Accept"] = "application/json"

    params: dict[str, Any] = {}

    params["sort"] = sort

    params["page"] = page

    params["page_size"] = page_size

    params["status"] = status

    params["resource_type"] = resource_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestArgs = {
        "method": "GET",
        "url": "/replication/executions/{id}/tasks".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs
