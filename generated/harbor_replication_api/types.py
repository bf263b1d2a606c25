"""Types the models and request builders share."""

from typing import Any, Literal, TypedDict


class Unset:
    """The type of :data:`UNSET`, the value of a field or argument that was not given."""

    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()


class RequestArgs(TypedDict, total=False):
    """What a request builder returns: keyword arguments of ``httpx.Client.build_request``.

    ``url`` is relative to the API root; ``headers`` always holds ``Accept`` and, with a
    body, ``Content-Type``.
    """

    method: str
    url: str
    params: dict[str, Any]
    json: Any
    headers: dict[str, Any]


__all__ = ["UNSET", "RequestArgs", "Unset"]
