"""Against an older Harbor: the simulator as v2.11.2, checked against v2.11.2's description.

Harbor v2.11 has no policy ``single_active_replication`` and no registry ``ca_certificate``
(it ignores them on input and never sends them), so every response here is validated
against ``swagger-v2.11.2.yaml``, and both clients are driven through a whole replication.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from harbor_replication import location_id
from harbor_replication.query import Fuzzy
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.contract_checks import (
    V2_11_SPEC,
    Contract,
    ContractUnavailableError,
    assert_no_new_violations,
    harbor_description,
    with_contract,
)
from tests.support import ADMIN, TASK_DURATION, Harbor, open_client

OLDER_VERSION = "v2.11.2"
DOCKER_HUB = 1  # the first registry of the simulator's built-in seed


@pytest.fixture(scope="module")
def older_contract() -> Contract:
    try:
        description = copy.deepcopy(harbor_description(spec=str(V2_11_SPEC)))
    except ContractUnavailableError as unavailable:
        pytest.skip(f"Harbor {OLDER_VERSION}'s description cannot be checked: {unavailable}")
    # v2.11 documents a filter's value as an object, yet serves the Go interface{} it holds:
    # a string for name, tag and resource filters. What the server sends wins.
    schemas = description["components"]["schemas"]
    schemas["ReplicationFilter"]["properties"]["value"].pop("type", None)
    return Contract(description)


@pytest.fixture(scope="module")
def older_harbor(older_contract: Contract) -> Iterator[HarborSimulator]:
    config = SimulatorConfig(
        task_duration=TASK_DURATION, harbor_version=OLDER_VERSION, retry_backoff_scale=0
    )
    with HarborSimulator(with_contract(config, older_contract)) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def _responses_keep_v2_11s_contract(older_contract: Contract) -> Iterator[None]:
    with assert_no_new_violations(older_contract, f"Harbor {OLDER_VERSION}'s description"):
        yield


@pytest.fixture
async def older(kind: str, older_harbor: HarborSimulator) -> AsyncIterator[Harbor]:
    async with open_client(kind, older_harbor.url) as harbor:
        yield harbor


def test_older_harbor_reports_its_version_and_leaves_out_newer_fields(
    older_harbor: HarborSimulator,
) -> None:
    with httpx.Client(base_url=older_harbor.api_url, auth=ADMIN, timeout=10) as api:
        api.event_hooks["response"] = [lambda _: api.cookies.clear()]  # an API client, no session
        assert api.get("/systeminfo").json()["harbor_version"] == OLDER_VERSION
        registry = api.post(
            "/registries",
            json={
                "name": "older-with-ca",
                "type": "harbor",
                "url": "https://ca.example.com",
                "ca_certificate": "-----BEGIN CERTIFICATE-----",
            },
        )
        assert registry.status_code == 201, registry.text
        shown = api.get(registry.headers["Location"].removeprefix("/api/v2.0")).json()
        assert "ca_certificate" not in shown
        policy = api.post(
            "/replication/policies",
            json={
                "name": "older-single-active",
                "src_registry": {"id": DOCKER_HUB},
                "trigger": {"type": "event_based"},
                "single_active_replication": True,  # v2.11 does not read it: no 400
                "enabled": True,
            },
        )
        assert policy.status_code == 201, policy.text
        policy_id = location_id(policy.headers["Location"])
        assert (
            "single_active_replication" not in api.get(f"/replication/policies/{policy_id}").json()
        )
        for listed in api.get("/replication/policies", params={"page_size": 100}).json():
            assert "single_active_replication" not in listed
        api.delete(f"/replication/policies/{policy_id}")


async def test_both_clients_replicate_against_an_older_harbor(older: Harbor, kind: str) -> None:
    registry_id = location_id(
        await older.create_registry(
            {"name": f"older-site-{kind}", "type": "harbor", "url": "https://old.example.com"}
        )
    )
    await older.update_registry(registry_id, {"description": "second site"})
    registry = await older.get_registry(registry_id)
    assert (registry.name, registry.description) == (f"older-site-{kind}", "second site")
    listed = await older.get_registries(query={"name": Fuzzy(f"older-site-{kind}")})
    assert [r.id for r in listed] == [registry_id]
    await older.delete_registry(registry_id)
    assert not await older.get_registries(query={"name": f"older-site-{kind}"})

    name = f"older-mirror-{kind}"
    policy_id = location_id(
        await older.create_replication_policy(
            {
                "name": name,
                "src_registry": {"id": DOCKER_HUB},
                "dest_namespace": f"older-{kind}",
                "filters": [
                    {"type": "name", "value": "library/**"},
                    {"type": "tag", "value": "latest"},
                ],
                "trigger": {"type": "manual"},
                "enabled": True,
            }
        )
    )
    [policy] = await older.get_replication_policies(query={"name": Fuzzy(name)})
    assert (policy.id, policy.name) == (policy_id, name)
    filters = [(f.type_, f.value, f.decoration) for f in policy.filters]
    # Harbor leaves the empty decoration out; the client gives it back as "".
    assert filters == [("name", "library/**", ""), ("tag", "latest", "")]

    execution_id = location_id(await older.start_replication(policy_id))
    final = await older.wait_for_replication(execution_id, timeout=10, poll_interval=0.02)
    assert (final.status, final.total, final.succeed, final.failed) == ("Succeed", 2, 2, 0)
    tasks = await older.get_replication_tasks(execution_id)
    assert sorted(t.src_resource for t in tasks) == [
        "library/alpine [1 item(s) in total]",
        "library/nginx [1 item(s) in total]",
    ]
    assert {t.status for t in tasks} == {"Succeed"}
    log = await older.get_replication_task_log(execution_id, tasks[0].id)
    assert log.rstrip().endswith("completed")
    await older.delete_replication_policy(policy_id)
