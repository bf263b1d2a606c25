"""The data models of the replication and registry API.

They are the attrs classes generated from Harbor's API description (package
``harbor_replication_api``). Harbor leaves out a field that holds Go's zero value; in what
the clients return such a field has that value again (``False``, ``""``, ``0``, an empty
list, ``None`` when nullable), and only a nested object Harbor did not send stays
``UNSET``. A time Harbor has not set yet (its zero time, year 1) is ``None``.
"""

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
