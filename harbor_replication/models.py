"""The data models of the replication and registry API.

They are the attrs classes generated from Harbor's API description (package
``harbor_replication_api``). Fields Harbor did not send are ``UNSET``; a time Harbor has
not set yet (its zero time) is ``None``.
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
