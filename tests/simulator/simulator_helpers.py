"""Helpers for the simulator tests: policies, executions and their ends over plain HTTP."""

from __future__ import annotations

from typing import Any

import httpx

from harbor_replication import location_id
from tests.support import wait_for

ADMIN = ("admin", "Harbor12345")


def finished_execution(api: httpx.Client, execution_id: int) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        body: dict[str, Any] = api.get(f"/replication/executions/{execution_id}").json()
        return body if body.get("status") in ("Succeed", "Failed", "Stopped") else None

    result: dict[str, Any] = wait_for(check)
    return result


def start(api: httpx.Client, policy_id: int) -> int:
    response = api.post("/replication/executions", json={"policy_id": policy_id})
    assert response.status_code == 201, response.text
    return location_id(response.headers["Location"])


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
    return location_id(response.headers["Location"])


# Four repositories of the seed's registry 1 that copy without failing: four tasks, one
# per repository (docs/harbor-behaviour.md §15)
FOUR_REPOSITORIES = "{library/alpine,library/nginx,library/redis,team/app}"


def four_task_policy(api: httpx.Client) -> int:
    return new_policy(
        api, name="four-tasks", filters=[{"type": "name", "value": FOUR_REPOSITORIES}]
    )
