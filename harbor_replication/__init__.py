"""harbor-replication: sync and async clients for Harbor's replication API.

>>> from harbor_replication import ReplicationClient
>>> with ReplicationClient("https://harbor.example.com", username="admin", secret="...") as h:
...     location = h.start_replication(policy_id=3)

The clients, ``models`` and ``query`` are imported on first use, so
``import harbor_replication`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Imported eagerly: _constants and _errors need only the standard library.
from harbor_replication._constants import FINAL_STATUSES as FINAL_STATUSES
from harbor_replication._errors import (
    BadRequestError as BadRequestError,
    ClientClosedError as ClientClosedError,
    ConflictError as ConflictError,
    ErrorDetail as ErrorDetail,
    FieldTypeError as FieldTypeError,
    ForbiddenError as ForbiddenError,
    HarborAPIError as HarborAPIError,
    HarborConnectionError as HarborConnectionError,
    HarborError as HarborError,
    HarborResponseError as HarborResponseError,
    HarborTimeoutError as HarborTimeoutError,
    NotFoundError as NotFoundError,
    PreconditionFailedError as PreconditionFailedError,
    QueryError as QueryError,
    ServerError as ServerError,
    TooManyRequestsError as TooManyRequestsError,
    UnauthorizedError as UnauthorizedError,
    UnprocessableEntityError as UnprocessableEntityError,
    WaitTimeoutError as WaitTimeoutError,
    WrongEventLoopError as WrongEventLoopError,
    __all__ as _error_names,
)
from harbor_replication._version import __version__ as __version__

if TYPE_CHECKING:
    from harbor_replication import models as models, query as query
    from harbor_replication._async_client import AsyncReplicationClient as AsyncReplicationClient
    from harbor_replication._responses import location_id as location_id
    from harbor_replication._settings import (
        CleartextCredentialsWarning as CleartextCredentialsWarning,
    )
    from harbor_replication._settle import (
        DEFAULT_SETTLE as DEFAULT_SETTLE,
        failure_confirmed as failure_confirmed,
        is_skipped as is_skipped,
    )
    from harbor_replication._sync_client import ReplicationClient as ReplicationClient

# Everything else pulls in httpx (or the generated client), so it is imported on first use.
_LAZY: dict[str, str] = {
    "ReplicationClient": "harbor_replication._sync_client",
    "AsyncReplicationClient": "harbor_replication._async_client",
    "location_id": "harbor_replication._responses",
    "CleartextCredentialsWarning": "harbor_replication._settings",
    "DEFAULT_SETTLE": "harbor_replication._settle",
    "failure_confirmed": "harbor_replication._settle",
    "is_skipped": "harbor_replication._settle",
    "models": "harbor_replication.models",
    "query": "harbor_replication.query",
}

__all__ = sorted([*_LAZY, *_error_names, "FINAL_STATUSES", "__version__"])


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'harbor_replication' has no attribute {name!r}")
    module = import_module(module_name)
    value = module if module_name.endswith(f".{name}") else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
