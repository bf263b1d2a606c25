"""GET /replication/adapters: List registry adapters"""

from typing import Any

from ...types import UNSET, RequestArgs, Unset


def build_request(
    *,
    x_request_id: str | Unset = UNSET,
) -> RequestArgs:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation.

    List registry adapters

    Headers: ``Accept: application/json`` (the media types its answers are documented with).
    The path is relative to the API root (``/api/v2.0``).

    Args:
        x_request_id (str | Unset):
    """
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    headers["Accept"] = "application/json"

    _kwargs: RequestArgs = {
        "method": "GET",
        "url": "/replication/adapters",
    }

    _kwargs["headers"] = headers
    return _kwargs
