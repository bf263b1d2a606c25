"""``harbor-replication simulate`` and ``make demo``'s module, as subprocesses."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
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
