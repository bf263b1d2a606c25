"""The data the simulated Harbor keeps, shared by its per-resource parts (_registries.py,
_executions.py, _policies.py), which SimulatorState (_state.py) puts together."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from ._config import SimulatorConfig
from ._errors import ErrorReply
from ._filters import Artifact
from ._model import Execution, Policy, Registry, Task
from ._query import Record
from ._retries import RetryBackoff


class Store:
    """What the simulated Harbor knows; one re-entrant lock guards all of it."""

    config: SimulatorConfig
    clock: Callable[[], float]
    lock: threading.RLock
    retry_backoff: RetryBackoff
    registries: dict[int, Registry]
    contents: dict[str, dict[tuple[str, str], Artifact]]
    policies: dict[int, Policy]
    executions: dict[int, Execution]
    tasks: dict[int, Task]
    _active: dict[int, Execution]
    _registry_ids: Iterator[int]
    _policy_ids: Iterator[int]
    _execution_ids: Iterator[int]
    _task_ids: Iterator[int]
    _execution_lists: dict[Any, list[Record]]
    # repository -> (message, executions that fail it or None for all, those so far)
    _failures: dict[str, tuple[str, int | None, set[int]]]

    def _changed(self) -> None:
        """Something changed: cached execution lists are stale."""
        self._execution_lists.clear()

    def _policy(self, policy_id: int) -> Policy:
        policy = self.policies.get(policy_id)
        if policy is None:
            raise ErrorReply(404, f"policy {policy_id} not found")
        return policy
