"""Starting the simulator: the context manager, the command line, seed files, the pytest plugin
and the state API that tests and benchmarks use."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.contract_checks import with_contract
from tests.simulator.simulator_helpers import ADMIN, finished_execution, start

SEED = {
    "local": {"artifacts": [{"repository": "base/os", "tags": ["1", "2"]}]},
    "registries": [
        {
            "name": "upstream",
            "type": "docker-registry",
            "url": "https://registry.example.org",
            "artifacts": [{"repository": "apps/web", "tags": ["1.0", "1.1"], "labels": ["ok"]}],
        }
    ],
    "policies": [
        {
            "name": "pull-web",
            "src_registry": {"id": 1},
            "dest_namespace": "copies",
            "enabled": True,
        }
    ],
}


def test_context_manager_serves_then_frees_the_port(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(SEED))
    with HarborSimulator(
        with_contract(SimulatorConfig(task_duration=0.01, seed=seed))
    ) as simulator:
        assert simulator.url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=simulator.api_url, auth=ADMIN) as api:
            assert [r["name"] for r in api.get("/registries").json()] == ["upstream"]
            api.cookies.clear()
            final = finished_execution(api, start(api, 1))
        assert final["status"] == "Succeed"
        assert simulator.state.artifacts(0) == [
            "base/os:1",
            "base/os:2",
            "copies/web:1.0",
            "copies/web:1.1",
        ]
        url = simulator.url
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/api/v2.0/ping")


def test_command_line_prints_its_url_and_stops_on_sigterm(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "registries:\n"
        "  - name: yaml-upstream\n"
        "    type: harbor\n"
        "    url: https://yaml.example.org\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "harbor_replication.simulator", "--port", "0", "--seed", str(seed),
         "--task-duration", "0.01", "--admin-password", "S3cret!"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("Harbor simulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        registries = httpx.get(url + "/api/v2.0/registries", auth=("admin", "S3cret!")).json()
        assert [r["name"] for r in registries] == ["yaml-upstream"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_pytest_plugin_fixture(tmp_path: Path) -> None:
    (tmp_path / "test_uses_plugin.py").write_text(
        "import httpx\n"
        "def test_ping(harbor_simulator):\n"
        "    assert httpx.get(harbor_simulator.api_url + '/ping').text == 'Pong'\n"
        "    assert harbor_simulator.state.execution_count() == 0\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "harbor_replication.simulator.pytest_plugin",
         "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_state_bulk_api_serves_large_lists(simulator: HarborSimulator, api: httpx.Client) -> None:
    simulator.state.add_finished_executions(1, 5000)
    big = simulator.state.add_finished_execution(1, 50_000, status="Failed")
    assert simulator.state.execution_count(policy_id=1) == 5001
    assert simulator.state.execution_count(policy_id=2) == 0
    last = api.get("/replication/executions", params={"page": 51, "page_size": 100})
    tasks = api.get(f"/replication/executions/{big}/tasks", params={"page": 500, "page_size": 100})
    again = api.get(f"/replication/executions/{big}/tasks", params={"page": 2, "page_size": 100})
    assert last.headers["X-Total-Count"] == "5001"
    assert len(last.json()) == 1
    assert tasks.headers["X-Total-Count"] == "50000"
    assert len(tasks.json()) == 100
    assert {t["status"] for t in again.json()} == {"Failed"}
    summary = api.get(f"/replication/executions/{big}").json()
    assert (summary["status"], summary["total"], summary["failed"]) == ("Failed", 50_000, 50_000)
    simulator.state.reset()
    assert simulator.state.execution_count() == 0


def test_clock_keeps_going_when_the_wall_clock_steps_back(
    simulator: HarborSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = simulator.state.clock()
    assert abs(before - time.time()) < 60  # epoch seconds: they become Harbor's times
    monkeypatch.setattr(time, "time", lambda: before - 3600)  # NTP steps an hour back
    assert simulator.state.clock() >= before


def test_concurrent_writes_are_consistent(simulator: HarborSimulator) -> None:
    body = {"name": "race", "src_registry": {"id": 1}, "enabled": True}

    def create(_: int) -> int:
        return httpx.post(
            simulator.api_url + "/replication/policies", json=body, auth=ADMIN
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(create, range(16)))
    assert statuses == [201] + [409] * 15


class _MaintenancePage:
    """A stand-in for a proxy in front of Harbor: 503 with an HTML page for one path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/registries"):
            page = HTMLResponse("<html>503 Service Temporarily Unavailable</html>", 503)
            await page(scope, receive, send)
            return
        await self.app(scope, receive, send)


def test_config_middleware_wraps_the_app_outermost() -> None:
    config = SimulatorConfig(middleware=[Middleware(_MaintenancePage)])
    with HarborSimulator(with_contract(config)) as simulator:
        blocked = httpx.get(simulator.api_url + "/registries", auth=ADMIN)
        assert blocked.status_code == 503
        assert blocked.text.startswith("<html>")
        assert "X-Request-Id" not in blocked.headers  # Harbor never saw it
        assert httpx.get(simulator.api_url + "/replication/policies", auth=ADMIN).status_code == 200
