"""GET /registries: List the registries"""

from typing import Any

from ...types import UNSET, RequestArgs, Unset


def build_request(
    *,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> RequestArgs:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation.

    List the registries

    Headers: ``Accept: application/json`` (the media types its answers are documented with).
    The path is relative to the API root (``/api/v2.0``).

    Args:
        q (str | Unset):
        sort (str | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        name (str | Unset):
        x_request_id (str | Unset):
    """
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    headers["Accept"] = "application/json"

    params: dict[str, Any] = {}

    params["q"] = q

    params["sort"] = sort

    params["page"] = page

    params["page_size"] = page_size

    params["name"] = name

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestArgs = {
        "method": "GET",
        "url": "/registries",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs
