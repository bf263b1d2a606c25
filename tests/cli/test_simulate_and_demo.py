"""``harbor-replication simulate`` and ``make demo``'s module, as subprocesses."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from harbor_replication.cli import ExitStatus
from tests.cli.conftest import ADMIN_ENV, CONSOLE_SCRIPT, Script


def test_simulate_takes_the_simulator_options(script: Script) -> None:
    helped = script("simulate", "--help")
    assert helped.returncode == 0
    for option in ("--task-duration", "--task-concurrency", "--seed", "--port"):
        assert option in helped.stdout
    wrong = script("simulate", "--no-such-option")
    assert wrong.returncode == ExitStatus.USAGE
    assert "--no-such-option" in wrong.stderr


def test_simulate_serves_until_terminated() -> None:
    with subprocess.Popen(
        [str(CONSOLE_SCRIPT), "simulate", "--task-duration", "0.05"],
        stdout=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            assert server.stdout is not None
            announced = server.stdout.readline()
            url = announced.rsplit(" ", 1)[-1].strip()
            assert url.startswith("http://127.0.0.1:")
            listed = subprocess.run(
                [str(CONSOLE_SCRIPT), "--url", url, "-o", "json", "registries", "list"],
                capture_output=True,
                text=True,
                env=dict(ADMIN_ENV),
                timeout=30,
            )
            assert listed.returncode == 0, listed.stderr
            assert [r["name"] for r in json.loads(listed.stdout)][:1] == ["docker-hub"]
        finally:
            server.terminate()
        server.wait(timeout=10)


def test_demo_runs_the_scenario_and_stops_the_simulator() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "harbor_replication.demo", "--task-duration", "0.05"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for command in (
        "$ harbor-replication registries list",
        "$ harbor-replication policies create -f ",
        "--wait",
        "$ harbor-replication tasks ",
        "$ harbor-replication log ",
        "$ harbor-replication --output json executions list --policy ",
    ):
        assert command in out
    assert "Failed tasks (1)" in out
    assert "library/flaky-sync [1 item(s) in total]" in out
    assert "failed to copy team/fail-build" in out
    assert "The simulator is stopped." in out
    # ... and it is: nothing listens on the address the demo announced any more.
    announced = re.search(r"HARBOR_URL=(\S+)", out)
    assert announced is not None
    url = urlsplit(announced[1])
    assert url.hostname == "127.0.0.1"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((url.hostname, url.port), timeout=5).close()
    assert "What to try next" in out


def test_simulate_refuses_a_busy_port_in_one_line(script: Script) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = script("simulate", "--port", str(port))
    assert result.returncode == ExitStatus.USAGE
    assert result.stderr == (
        f"harbor-replication: error: cannot serve on 127.0.0.1:{port}: Address already in use; "
        "pick another --port (0: a free one)\n"
    )


def test_simulate_names_a_missing_seed_file(script: Script, tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    result = script("simulate", "--seed", str(missing))
    assert result.returncode == ExitStatus.USAGE
    assert result.stderr == (
        f"harbor-replication: error: seed file {missing}: No such file or directory\n"
    )


def test_simulate_names_the_seed_policy_with_an_unknown_registry(
    script: Script, tmp_path: Path
) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "registries:\n"
        "  - {name: hub, type: docker-hub, url: 'https://hub.docker.com'}\n"
        "policies:\n"
        "  - {name: fine, src_registry: {id: 1}, trigger: {type: manual}}\n"
        "  - {name: mirror, src_registry: {id: 7}, trigger: {type: manual}}\n"
    )
    result = script("simulate", "--seed", str(seed))
    assert result.returncode == ExitStatus.USAGE
    assert result.stderr == (
        f"harbor-replication: error: seed file {seed}: policy 'mirror' (policies[1]): "
        "registry 7 not found\n"
    )
