"""GET /replication/executions: List replication executions"""

from typing import Any

from ...types import UNSET, RequestArgs, Unset


def build_request(
    *,
    sort: str | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    policy_id: int | Unset = UNSET,
    status: str | Unset = UNSET,
    trigger: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> RequestArgs:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation.

    List replication executions

    Headers: ``Accept: application/json`` (the media types its answers are documented with).
    The path is relative to the API root (``/api/v2.0``).

    Args:
        sort (str | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        policy_id (int | Unset):
        status (str | Unset):
        trigger (str | Unset):
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

    params["policy_id"] = policy_id

    params["status"] = status

    params["trigger"] = trigger

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestArgs = {
        "method": "GET",
        "url": "/replication/executions",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs
