"""Helpers for the simulator tests: waiting on simulated time, starting executions."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

TASK_DURATION = 0.03
ADMIN = ("admin", "Harbor12345")


def wait_for(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll simulated time until ``check`` returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        time.sleep(TASK_DURATION / 3)


def finished_execution(api: httpx.Client, execution_id: int) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        body: dict[str, Any] = api.get(f"/replication/executions/{execution_id}").json()
        return body if body.get("status") in ("Succeed", "Failed", "Stopped") else None

    result: dict[str, Any] = wait_for(check)
    return result


def start(api: httpx.Client, policy_id: int) -> int:
    response = api.post("/replication/executions", json={"policy_id": policy_id})
    assert response.status_code == 201, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def new_policy(api: httpx.Client, **fields: Any) -> int:
    body = {
        "name": "test-policy",
        "src_registry": {"id": 1},
        "enabled": True,
        "trigger": {"type": "manual"},
        **fields,
    }
    response = api.post("/replication/policies", json=body)
    assert response.status_code == 201, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])
