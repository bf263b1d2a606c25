"""The generated operation modules, each with the public ``build_request`` the core uses."""

from harbor_replication_api.api.registry import (
    create_registry,
    delete_registry,
    get_registry,
    get_registry_info,
    list_registries,
    list_registry_provider_infos,
    list_registry_provider_types,
    ping_registry,
    update_registry,
)
from harbor_replication_api.api.replication import (
    create_replication_policy,
    delete_replication_policy,
    get_replication_execution,
    get_replication_log,
    get_replication_policy,
    list_replication_executions,
    list_replication_policies,
    list_replication_tasks,
    start_replication,
    stop_replication,
    update_replication_policy,
)

__all__ = [
    "create_registry",
    "create_replication_policy",
    "delete_registry",
    "delete_replication_policy",
    "get_registry",
    "get_registry_info",
    "get_replication_execution",
    "get_replication_log",
    "get_replication_policy",
    "list_registries",
    "list_registry_provider_infos",
    "list_registry_provider_types",
    "list_replication_executions",
    "list_replication_policies",
    "list_replication_tasks",
    "ping_registry",
    "start_replication",
    "stop_replication",
    "update_registry",
    "update_replication_policy",
]
