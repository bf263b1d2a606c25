"""Harbor's fixed values that the library and the CLI both use (the simulator keeps its own
copies on purpose, so each checks the other). Standard library only: cheap to import."""

from __future__ import annotations

# Harbor serves its API under this prefix (docs/harbor-behaviour.md §1).
API_PREFIX = "/api/v2.0"
# The largest page_size Harbor accepts; more is a 422 (docs/harbor-behaviour.md §21).
MAX_PAGE_SIZE = 100
# The statuses an execution or a task can have, and those it ends in
# (docs/harbor-behaviour.md §16, §17).
EXECUTION_STATUSES = ("InProgress", "Succeed", "Failed", "Stopped")
TASK_STATUSES = ("Pending", "InProgress", "Succeed", "Failed", "Stopped")
FINAL_STATUSES = frozenset({"Succeed", "Failed", "Stopped"})
# What starts a policy's replications.
TRIGGER_TYPES = ("manual", "scheduled", "event_based")
# What Harbor shows in place of a registry's access secret: never a secret to send back.
SECRET_MASK = "*****"
