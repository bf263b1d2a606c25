"""The data models of the replication and registry API.

They are the attrs classes generated from Harbor's API description (package
``harbor_replication_api``). Harbor leaves out a field that holds Go's zero value; in what
the clients return such a field has that value again (``False``, ``""``, ``0``, an empty
list, ``None`` when nullable), and only a nested object Harbor did not send stays
``UNSET``. A time Harbor has not set yet (its zero time, year 1) is ``None``. Their ``repr``
shows the fields that are set (``UNSET`` ones and empty ``additional_properties`` are left
out).
"""

from typing import Any

import attrs

import harbor_replication_api.models as _generated
from harbor_replication_api.models import (
    FilterStyle,
    Registry,
    RegistryCredential,
    RegistryEndpoint,
    RegistryInfo,
    RegistryPing,
    RegistryProviderCredentialPattern,
    RegistryProviderEndpointPattern,
    RegistryProviderInfo,
    RegistryUpdate,
    ReplicationExecution,
    ReplicationFilter,
    ReplicationPolicy,
    ReplicationTask,
    ReplicationTrigger,
    ReplicationTriggerSettings,
)
from harbor_replication_api.types import UNSET, Unset

__all__ = [
    "UNSET",
    "FilterStyle",
    "Registry",
    "RegistryCredential",
    "RegistryEndpoint",
    "RegistryInfo",
    "RegistryPing",
    "RegistryProviderCredentialPattern",
    "RegistryProviderEndpointPattern",
    "RegistryProviderInfo",
    "RegistryUpdate",
    "ReplicationExecution",
    "ReplicationFilter",
    "ReplicationPolicy",
    "ReplicationTask",
    "ReplicationTrigger",
    "ReplicationTriggerSettings",
    "Unset",
]


def _repr_of_set_fields(model: Any) -> str:
    shown = []
    for field in attrs.fields(type(model)):
        value = getattr(model, field.name)
        if isinstance(value, Unset) or (field.name == "additional_properties" and not value):
            continue
        shown.append(f"{field.name}={value!r}")
    return f"{type(model).__name__}({', '.join(shown)})"


def _repr_of_unset(unset: object) -> str:
    return "UNSET"


# The generated code is rewritten by `make generate`, so its reprs are replaced here: the
# default ones list every field, most as <Unset object at 0x...>.
Unset.__repr__ = _repr_of_unset  # type: ignore[method-assign]
for _name in dir(_generated):
    _model = getattr(_generated, _name)
    if isinstance(_model, type) and attrs.has(_model):
        _model.__repr__ = _repr_of_set_fields  # type: ignore[method-assign]
