"""Maintenance in bulk: what each object's change was, and which policies a selection names.

Pure helpers for ``stop_all`` and ``set_policies_enabled`` in the operations modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harbor_replication_api.models import ReplicationPolicy


@dataclass
class BulkResult:
    """One object of a bulk operation: ``outcome`` is ``changed``, ``unchanged``,
    ``planned`` (dry run) or ``failed`` (then ``error`` says why)."""

    kind: str
    id: int
    name: str
    outcome: str
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "outcome": self.outcome,
            "error": self.error,
        }


def uses_registry(policy: ReplicationPolicy, registry_id: int) -> bool:
    """Whether a policy pulls from or pushes to the registry ``registry_id``."""
    return any(
        getattr(getattr(policy, side, None), "id", None) == registry_id
        for side in ("src_registry", "dest_registry")
    )
