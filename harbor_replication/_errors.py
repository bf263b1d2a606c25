"""The exceptions the clients raise: one base, one subclass per failure family."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "ErrorDetail",
    "FieldTypeError",
    "ForbiddenError",
    "HarborAPIError",
    "HarborConnectionError",
    "HarborError",
    "HarborResponseError",
    "HarborTimeoutError",
    "NotFoundError",
    "PreconditionFailedError",
    "QueryError",
    "ServerError",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "WrongEventLoopError",
]


class HarborError(Exception):
    """Base class of everything the clients raise, except argument errors before any I/O."""


class QueryError(HarborError, ValueError):
    """A query Harbor's ``q`` grammar cannot express; raised before any request is sent."""


class FieldTypeError(ValueError):
    """A policy or registry argument holding a value of the wrong type; raised before any
    request is sent. ``path`` names it as Harbor's keys do (``src_registry.id``,
    ``filters[0].value``), ``expected`` the type names that fit there."""

    def __init__(self, what: str, path: str, value: object, expected: Sequence[str]) -> None:
        self.path = path
        self.value = value
        self.expected = tuple(expected)
        shown = repr(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        super().__init__(
            f"not a valid {what}: {path} is {shown} ({type(value).__name__}), expected "
            f"{' or '.join(self.expected)}"
        )


class HarborConnectionError(HarborError):
    """The request did not get an HTTP answer (connection, TLS or protocol failure).

    The httpx exception is kept as ``__cause__``.
    """


class HarborTimeoutError(HarborConnectionError):
    """Connecting, sending or reading took longer than the client's timeout."""


class ClientClosedError(HarborError, RuntimeError):
    """A request on a client that was closed (``close()``, ``aclose()`` or the end of its
    ``with`` block); nothing was sent. Make a new client."""


class WrongEventLoopError(HarborError, RuntimeError):
    """An async client used from an event loop other than the one it first ran in.

    Its pooled connections belong to that first loop (closed, after ``asyncio.run()``
    returned), so nothing was sent. Create the client inside the coroutine that uses it,
    one per ``asyncio.run()``.
    """


class WaitTimeoutError(HarborError):
    """``wait_for_replication`` gave up before the execution reached a final status."""

    def __init__(
        self,
        execution_id: int,
        timeout: float,
        last_status: str | None,
        *,
        confirming: bool = False,
    ) -> None:
        self.execution_id = execution_id
        self.timeout = timeout
        self.last_status = last_status
        #: The time ran out while a ``Failed`` status was being confirmed: Harbor may
        #: still retry a failed task (docs/harbor-behaviour.md §30).
        self.confirming = confirming
        status = last_status or "pending"
        if confirming:
            status += ", not yet final: Harbor may still retry a failed task"
        super().__init__(
            f"execution {execution_id} did not finish within {timeout:g}s (last status: {status})"
        )


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One entry of Harbor's ``{"errors": [{"code": ..., "message": ...}]}`` body."""

    code: str
    message: str


class _AnsweredRequestError(HarborError):
    """An answer to one request: which request it was, its status and Harbor's request id."""

    def __init__(
        self,
        detail: str,
        *,
        operation: str,
        method: str,
        path: str,
        status_code: int,
        request_id: str | None,
    ) -> None:
        self.operation = operation
        self.method = method
        self.path = path
        self.status_code = status_code
        self.request_id = request_id
        super().__init__(f"{operation}: {method} {path} -> {self._answer(detail)}")

    def _answer(self, detail: str) -> str:
        """``HTTP <status><detail>`` and the request id to quote when asking about it."""
        request = f" [request id {self.request_id}]" if self.request_id else ""
        return f"HTTP {self.status_code}{detail}{request}"


class HarborResponseError(_AnsweredRequestError):
    """A successful status whose body or headers are not what Harbor sends."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        method: str,
        path: str,
        status_code: int,
        request_id: str | None,
    ) -> None:
        super().__init__(
            f": {message}",
            operation=operation,
            method=method,
            path=path,
            status_code=status_code,
            request_id=request_id,
        )


class HarborAPIError(_AnsweredRequestError):
    """Harbor (or a proxy in front of it) answered with a non-2xx status."""

    def __init__(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        status_code: int,
        errors: Sequence[ErrorDetail],
        request_id: str | None,
        text: str,
        retry_after: float | None = None,
    ) -> None:
        self.errors = tuple(errors)
        self.text = text
        # Seconds the server asked to wait before trying again (``Retry-After``), if it did.
        self.retry_after = retry_after
        super().__init__(
            f" {self._detail()}",
            operation=operation,
            method=method,
            path=path,
            status_code=status_code,
            request_id=request_id,
        )

    @property
    def code(self) -> str | None:
        """The first Harbor error code, e.g. ``NOT_FOUND``; None for a non-Harbor body."""
        return self.errors[0].code if self.errors else None

    @property
    def message(self) -> str | None:
        """The first Harbor error message; None for a non-Harbor body."""
        return self.errors[0].message if self.errors else None

    @property
    def outcome(self) -> str:
        """The answer in one line: status, Harbor's codes and messages (or a snippet of a
        non-Harbor body) and the request id, e.g. ``HTTP 404 NOT_FOUND: ... [request id 5f0c]``.

        ``str(error)`` puts the operation and request in front; the CLI its own wording.
        """
        return self._answer(f" {self._detail()}")

    def _detail(self) -> str:
        if self.errors:
            return "; ".join(f"{e.code}: {e.message}" for e in self.errors)
        snippet = " ".join(self.text.split())[:120]
        return f"non-Harbor body {snippet!r}" if snippet else "empty body"


class BadRequestError(HarborAPIError):
    """HTTP 400: Harbor rejected the request's content."""


class UnauthorizedError(HarborAPIError):
    """HTTP 401: no or wrong credentials."""


class ForbiddenError(HarborAPIError):
    """HTTP 403: the account lacks the permission (or a CSRF check failed)."""


class NotFoundError(HarborAPIError):
    """HTTP 404: no such policy, execution, task or registry."""


class ConflictError(HarborAPIError):
    """HTTP 409: the name is already taken."""


class PreconditionFailedError(HarborAPIError):
    """HTTP 412: e.g. deleting a policy with a running execution, starting a disabled one."""


class UnprocessableEntityError(HarborAPIError):
    """HTTP 422: a parameter failed Harbor's own checks (e.g. ``page_size`` over 100)."""


class TooManyRequestsError(HarborAPIError):
    """HTTP 429: rate limited."""


class ServerError(HarborAPIError):
    """HTTP 5xx, from Harbor or from the proxy in front of it."""


_BY_STATUS: dict[int, type[HarborAPIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    422: UnprocessableEntityError,
    429: TooManyRequestsError,
}


def error_class_for(status_code: int) -> type[HarborAPIError]:
    """The most specific :class:`HarborAPIError` subclass for ``status_code``."""
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, HarborAPIError)
