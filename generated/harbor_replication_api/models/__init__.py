"""Contains all the data models used in inputs/outputs"""

from .filter_style import FilterStyle
from .registry import Registry
from .registry_credential import RegistryCredential
from .registry_endpoint import RegistryEndpoint
from .registry_info import RegistryInfo
from .registry_ping import RegistryPing
from .registry_provider_credential_pattern import RegistryProviderCredentialPattern
from .registry_provider_endpoint_pattern import RegistryProviderEndpointPattern
from .registry_provider_info import RegistryProviderInfo
from .registry_update import RegistryUpdate
from .replication_execution import ReplicationExecution
from .replication_filter import ReplicationFilter
from .replication_policy import ReplicationPolicy
from .replication_task import ReplicationTask
from .replication_trigger import ReplicationTrigger
from .replication_trigger_settings import ReplicationTriggerSettings
from .start_replication_execution import StartReplicationExecution

__all__ = (
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
    "StartReplicationExecution",
)
