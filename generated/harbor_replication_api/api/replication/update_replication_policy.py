"""PUT /replication/policies/{id}: Update the replication policy"""

from typing import Any
from urllib.parse import quote

from ...models.replication_policy import ReplicationPolicy
from ...types import UNSET, RequestArgs, Unset


def build_request(
    id: int,
    *,
    body: ReplicationPolicy,
    x_request_id: str | Unset = UNSET,
) -> RequestArgs:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation.

    Update the replication policy

    Headers: ``Accept: application/json`` (the media types its answers are documented with),
    ``Content-Type: application/json`` (what it consumes).
    The path is relative to the API root (``/api/v2.0``).

    Args:
        id (int):
        x_request_id (str | Unset):
        body (ReplicationPolicy):
    """
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    headers["Accept"] = "application/json"

    _kwargs: RequestArgs = {
        "method": "PUT",
        "url": "/replication/policies/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }
    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs
