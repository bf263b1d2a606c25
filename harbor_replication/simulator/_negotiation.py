"""Content negotiation as Harbor's API framework does it before any handler runs.

go-openapi's ``Context.BindValidRequest`` (runtime v0.32.2, middleware/context.go:364-399)
first checks a request body's ``Content-Type`` against the operation's ``consumes`` (no
header counts as ``application/octet-stream``, runtime headers.go:14-34), then the
``Accept`` header against its ``produces``. When no offer matches, the request's own
content type is the fallback, so only a request without a body can fail the ``Accept``
check (server-middleware/negotiate/negotiate.go:139-190). Either failure is a validation
error inside a composite one: 422 ``validation failure list:`` plus a line from
go-openapi/errors v0.22.7 headers.go:61-94 (docs/harbor-behaviour.md §6, §19).

The media types are Harbor's swagger's: ``application/json`` in and out everywhere, except
the operations in :data:`TEXT_PLAIN_OPERATIONS` (the contract tests compare this table
with the swagger).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._errors import ErrorReply

JSON = "application/json"
# (method, path template) of the operations whose swagger ``produces`` is text/plain only
TEXT_PLAIN_OPERATIONS = frozenset(
    {
        ("GET", "/ping"),
        ("GET", "/replication/executions/{id}/tasks/{task_id}/log"),
    }
)
CONSUMES = (JSON,)
_DEFAULT_MIME = "application/octet-stream"


def produces(method: str, path: str) -> tuple[str, ...]:
    return ("text/plain",) if (method, path) in TEXT_PLAIN_OPERATIONS else (JSON,)


def validation_failure(line: str) -> ErrorReply:
    """The framework's 422: a composite validation error holding one failure."""
    return ErrorReply(422, f"validation failure list:\n{line}")


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _go_list(items: Sequence[str]) -> str:
    """A string slice as Go's ``%v`` prints it: ``[a b]``."""
    return "[" + " ".join(items) + "]"


def _accepted(accept: str) -> list[str]:
    """The media ranges of an Accept header that are not refused with ``q=0``."""
    ranges = []
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = next((p[2:] for p in params if p.lower().startswith("q=")), "1")
        try:
            refused = float(quality) <= 0
        except ValueError:
            refused = False
        if media and not refused:
            ranges.append(media.lower())
    return ranges


def _matches(media_range: str, offer: str) -> bool:
    kind, _, subtype = media_range.partition("/")
    offer_kind, _, offer_subtype = offer.partition("/")
    return kind in ("*", offer_kind) and subtype in ("*", offer_subtype)


def check(method: str, path: str, headers: Mapping[str, str], has_body: bool) -> None:
    """Raise the framework's 422 if the body's type or the wanted answer's type does not
    fit the operation ``method path`` (a path template)."""
    body_type = ""
    if has_body:
        raw = headers.get("content-type", "")
        body_type = _media_type(raw) if raw else _DEFAULT_MIME
        if body_type not in CONSUMES:
            raise validation_failure(
                f'unsupported media type "{body_type}", only {_go_list(CONSUMES)} are allowed'
            )
    accept = headers.get("accept")
    if accept is None or body_type:
        return
    offers = produces(method, path)
    # nothing acceptable: the fallback, which is empty for a request without a body
    if not any(_matches(media, offer) for media in _accepted(accept) for offer in offers):
        raise validation_failure(
            f"unsupported media type requested, only {_go_list(offers)} are available"
        )
