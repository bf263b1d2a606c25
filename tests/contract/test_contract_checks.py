"""The response check itself: it catches what breaks Harbor's description, and only that."""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harbor_replication.simulator import HarborSimulator, SimulatorConfig, create_app
from harbor_replication.simulator._app import API_PREFIX
from harbor_replication.simulator._negotiation import CONSUMES, produces
from harbor_replication.simulator._resources import (
    EXECUTIONS,
    POLICIES,
    REGISTRIES,
    TASKS,
    Resource,
)
from openapi import generate
from tests.contract_checks import (
    Contract,
    harbor_description,
    harbor_spec,
    require_contract_in_ci,
    session_contract,
    with_contract,
)
from tests.support import ADMIN


@pytest.fixture
def contract() -> Contract:
    """A contract of its own, so these deliberate violations stay out of the session's."""
    if isinstance(session_contract(), str):
        pytest.skip(str(session_contract()))
    return Contract(harbor_description())


class _IdsAsStrings:
    """Breaks the simulator the way a careless change would: ids serialized as strings."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def corrupt(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message["headers"] if k != b"content-length"]
                message = {**message, "headers": headers}
            elif message.get("body", b"").startswith(b"{"):
                body = json.loads(message["body"])
                message = {**message, "body": json.dumps({**body, "id": str(body["id"])}).encode()}
            await send(message)

        await self.app(scope, receive, corrupt)


class _BadGateway:
    """A proxy in front of Harbor that drops Harbor's answer and sends its own HTML page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def drop(message: Message) -> None:
            pass

        await self.app(scope, receive, drop)
        await HTMLResponse("<html>502 Bad Gateway</html>", 502)(scope, receive, send)


def test_a_response_breaking_the_description_is_reported(contract: Contract) -> None:
    config = SimulatorConfig(middleware=[contract.middleware(), Middleware(_IdsAsStrings)])
    with HarborSimulator(config) as harbor:
        response = httpx.get(harbor.api_url + "/registries/1", auth=ADMIN)
    assert response.json()["id"] == "1"
    [finding] = contract.violations
    assert (finding.method, finding.path, finding.status) == ("GET", "/api/v2.0/registries/1", 200)
    assert "at id: '1' is not of type 'integer'" in finding.problem


def test_undocumented_statuses_are_recorded_and_their_bodies_checked(contract: Contract) -> None:
    with HarborSimulator(SimulatorConfig(middleware=[contract.middleware()])) as harbor:
        too_big = httpx.get(harbor.api_url + "/registries?page_size=101", auth=ADMIN)
        documented = httpx.get(harbor.api_url + "/registries/999", auth=ADMIN)
    assert too_big.status_code == 422
    assert documented.status_code == 404
    assert contract.violations == []
    assert contract.undocumented == {("GET", "/api/v2.0/registries", 422): 1}


def test_injected_faults_are_not_judged(contract: Contract) -> None:
    # with_contract puts the check inside the fault middleware: the 502 page never reaches it
    config = with_contract(SimulatorConfig(middleware=[Middleware(_BadGateway)]), contract)
    with HarborSimulator(config) as harbor:
        assert httpx.get(harbor.api_url + "/registries", auth=ADMIN).status_code == 502
    assert contract.violations == []
    assert not contract.undocumented  # what it saw was Harbor's documented 200


def test_an_empty_task_log_is_an_empty_string_not_a_missing_body(contract: Contract) -> None:
    path = "/api/v2.0/replication/executions/1/tasks/2/log"
    contract.check("GET", path, 200, {"content-type": "text/plain; charset=utf-8"}, b"")
    contract.check("GET", path, 200, {"content-type": "text/plain; charset=utf-8"}, b"log\n")
    assert contract.new_violations(0) == []
    assert contract.checked == 2


@pytest.mark.parametrize("resource", [REGISTRIES, POLICIES, EXECUTIONS, TASKS], ids=repr)
def test_simulator_declarations_are_harbors_models(resource: Resource) -> None:
    """Each resource's declaration against its model in Harbor's swagger file: the fields
    shown, those a body carries, and those written even when zero."""
    model = generate.load_spec(harbor_spec())["definitions"][resource.model]["properties"]
    shown = [field.name for field in resource.fields if field.shown]
    carried = [field.name for field in resource.fields if field.body is not None]
    assert sorted(shown) == sorted(model)
    assert carried in ([], shown)
    assert {name for name, schema in model.items() if schema.get("x-omitempty") is False} <= (
        resource.kept
    )


def test_simulator_media_types_are_harbors(contract: Contract) -> None:
    """The simulator's table of produces/consumes (docs/harbor-behaviour.md §19) against the
    operations of Harbor's own swagger file."""
    swagger = generate.load_spec(harbor_spec())
    served = [
        (method, route.path.removeprefix(API_PREFIX))
        for route in create_app().routes
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    ]
    assert len(served) == 22
    for method, path in served:
        operation = swagger["paths"][path][method.lower()]
        assert tuple(operation.get("produces", swagger["produces"])) == produces(method, path)
        if method in ("POST", "PUT"):
            assert tuple(operation.get("consumes", swagger["consumes"])) == CONSUMES


def test_ci_stops_without_harbors_description() -> None:
    reason = "contract checks skipped: Harbor's swagger file is not at hand (x.yaml)"
    require_contract_in_ci(reason, {})  # elsewhere: the tests skip with that reason
    with pytest.raises(pytest.UsageError, match=r"not at hand.*make test HARBOR_SPEC="):
        require_contract_in_ci(reason, {"CI": "true"})


def test_make_passes_harbor_spec_to_the_tests() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "pytest", "HARBOR_SPEC=/specs/harbor.yaml"],
        cwd=generate.REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "HARBOR_SPEC='/specs/harbor.yaml' .venv/bin/pytest" in dry_run.stdout.splitlines()
