"""POST /registries: Create a registry"""

from typing import Any

from ...models.registry import Registry
from ...types import UNSET, RequestArgs, Unset


def build_request(
    *,
    body: Registry,
    x_request_id: str | Unset = UNSET,
) -> RequestArgs:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation.

    Create a registry

    Headers: ``Accept: application/json`` (the media types its answers are documented with),
    ``Content-Type: application/json`` (what it consumes).
    The path is relative to the API root (``/api/v2.0``).

    Args:
        x_request_id (str | Unset):
        body (Registry):
    """
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    headers["Accept"] = "application/json"

    _kwargs: RequestArgs = {
        "method": "POST",
        "url": "/registries",
    }
    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
