"""GET /registries/{id}: Get the specific registry"""

from typing import Any
from urllib.parse import quote

from ...types import UNSET, RequestArgs, Unset


def build_request(
    id: int,
    *,
    x_request_id: str | Unset = UNSET,
) -> RequestArgs:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation.

    Get the specific registry

    Headers: ``Accept: application/json`` (the media types its answers are documented with).
    The path is relative to the API root (``/api/v2.0``).

    Args:
        id (int):
        x_request_id (str | Unset):
    """
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    headers["Accept"] = "application/json"

    _kwargs: RequestArgs = {
        "method": "GET",
        "url": "/registries/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs
