"""Content negotiation and undecodable bodies, as Harbor's API framework answers them before
any handler runs (docs/harbor-behaviour.md §6, §19), over raw HTTP."""

from __future__ import annotations

import httpx
import pytest

from harbor_replication.simulator import HarborSimulator
from tests.simulator.simulator_helpers import ADMIN, finished_execution, start

NOT_JSON = (
    "validation failure list:\nunsupported media type requested, only [text/plain] are available"
)


def error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()["errors"][0]
    return response.status_code, body["code"], body["message"]


@pytest.fixture
def log_url(api: httpx.Client) -> str:
    execution_id = start(api, 1)
    finished_execution(api, execution_id)
    [task] = api.get(f"/replication/executions/{execution_id}/tasks").json()
    return f"/replication/executions/{execution_id}/tasks/{task['id']}/log"


def test_semantics_19_task_log_refuses_accept_application_json(
    api: httpx.Client, log_url: str
) -> None:
    refused = api.get(log_url, headers={"Accept": "application/json"})
    assert error(refused) == (422, "UNPROCESSABLE_ENTITY", NOT_JSON)
    assert refused.headers["content-type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("accept", ["text/plain", "*/*", "text/*", "application/json, */*;q=0.1"])
def test_semantics_19_task_log_serves_what_accepts_text(
    api: httpx.Client, log_url: str, accept: str
) -> None:
    served = api.get(log_url, headers={"Accept": accept})
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/plain")


def test_semantics_19_task_log_without_accept_is_served(
    simulator: HarborSimulator, log_url: str
) -> None:
    request = httpx.Request("GET", simulator.api_url + log_url)
    assert "Accept" not in request.headers
    with httpx.Client(auth=ADMIN) as client:
        assert client.send(request).status_code == 200


def test_semantics_19_negotiation_runs_before_the_permission_check(
    simulator: HarborSimulator, log_url: str
) -> None:
    anonymous = httpx.get(simulator.api_url + log_url, headers={"Accept": "application/json"})
    assert error(anonymous) == (422, "UNPROCESSABLE_ENTITY", NOT_JSON)


def test_semantics_06_json_operations_refuse_accept_text_plain(api: httpx.Client) -> None:
    refused = api.get("/replication/policies/1", headers={"Accept": "text/plain"})
    assert error(refused) == (
        422,
        "UNPROCESSABLE_ENTITY",
        "validation failure list:\n"
        "unsupported media type requested, only [application/json] are available",
    )
    assert api.get("/ping", headers={"Accept": "application/json"}).status_code == 422
    refused_q0 = api.get("/registries", headers={"Accept": "application/json;q=0"})
    assert refused_q0.status_code == 422


def test_semantics_06_a_body_answers_in_its_own_type_whatever_accept_says(
    api: httpx.Client,
) -> None:
    # with a body, the framework falls back to the request's content type
    created = api.post(
        "/replication/policies",
        json={"name": "accept-text", "src_registry": {"id": 1}},
        headers={"Accept": "text/plain"},
    )
    assert created.status_code == 201


def test_semantics_06_a_body_of_another_content_type_is_422(api: httpx.Client) -> None:
    as_text = api.post(
        "/replication/policies",
        content=b'{"name": "typed"}',
        headers={"Content-Type": "text/plain"},
    )
    assert error(as_text) == (
        422,
        "UNPROCESSABLE_ENTITY",
        'validation failure list:\nunsupported media type "text/plain", '
        "only [application/json] are allowed",
    )
    untyped = api.post("/replication/executions", content=b'{"policy_id": 1}')
    assert error(untyped)[2] == (
        'validation failure list:\nunsupported media type "application/octet-stream", '
        "only [application/json] are allowed"
    )
    charset = api.post(
        "/replication/executions",
        content=b'{"policy_id": 1}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert charset.status_code == 201


def test_semantics_06_an_undecodable_body_is_422(api: httpx.Client) -> None:
    json_type = {"Content-Type": "application/json"}
    broken = api.post("/replication/policies", content=b"{not json", headers=json_type)
    status, code, message = error(broken)
    assert (status, code) == (422, "UNPROCESSABLE_ENTITY")
    assert message.startswith('validation failure list:\nparsing policy body from "" failed')
    wrong_type = api.put("/registries/1", json={"insecure": "yes"})
    assert error(wrong_type) == (
        422,
        "UNPROCESSABLE_ENTITY",
        'validation failure list:\nparsing registry body from "" failed, because json: '
        "cannot unmarshal string into Go struct field RegistryUpdate.insecure of type bool",
    )
    missing = api.post("/replication/executions", content=b"null", headers=json_type)
    assert error(missing)[2] == "validation failure list:\nexecution in body is required"
