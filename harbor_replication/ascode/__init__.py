"""Replication as code: registries and policies in a document, planned and applied by name.

``load_document`` reads a YAML or JSON document; ``export`` turns a Harbor into one;
``plan`` compares a document with a Harbor; ``apply`` carries a plan out. The blocking
functions take a :class:`~harbor_replication.ReplicationClient`; their ``async_`` twins an
:class:`~harbor_replication.AsyncReplicationClient`. See docs/replication-as-code.md.
"""

from harbor_replication.ascode._async_shell import (
    apply as async_apply,
    export as async_export,
    plan as async_plan,
    read_state as async_read_state,
)
from harbor_replication.ascode._document import (
    LOCAL,
    Credential,
    Document,
    DocumentError,
    FilterSpec,
    PolicySpec,
    RegistrySpec,
    Selector,
    check_target,
    load_document,
    parse_document,
    resolve_secrets,
)
from harbor_replication.ascode._plan import (
    Change,
    HarborState,
    Plan,
    Step,
    everything_owned,
    export_document,
    harbor_state,
    make_plan,
)
from harbor_replication.ascode._sync_shell import apply, export, plan, read_state

__all__ = [
    "LOCAL",
    "Change",
    "Credential",
    "Document",
    "DocumentError",
    "FilterSpec",
    "HarborState",
    "Plan",
    "PolicySpec",
    "RegistrySpec",
    "Selector",
    "Step",
    "apply",
    "async_apply",
    "async_export",
    "async_plan",
    "async_read_state",
    "check_target",
    "everything_owned",
    "export",
    "export_document",
    "harbor_state",
    "load_document",
    "make_plan",
    "parse_document",
    "plan",
    "read_state",
    "resolve_secrets",
]
