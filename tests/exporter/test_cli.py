"""``harbor-replication exporter`` as a process: it serves /metrics from its first refresh
on, and stops cleanly on SIGTERM (exit 0) and Ctrl-C (exit 130)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from harbor_replication._settle import DEFAULT_SETTLE
from harbor_replication.cli import cli
from harbor_replication.simulator import HarborSimulator
from tests.exporter.conftest import Scraped, parse
from tests.support import ADMIN, wait_for

CONSOLE_SCRIPT = Path(sys.executable).with_name("harbor-replication")


def connection(harbor: HarborSimulator, via: str, config: Path) -> tuple[list[str], dict[str, str]]:
    """Global options and environment naming ``harbor``: HARBOR_* variables, or a context."""
    if via == "environment":
        variables = {
            "HARBOR_URL": harbor.url,
            "HARBOR_USERNAME": ADMIN[0],
            "HARBOR_SECRET": ADMIN[1],
        }
        return [], {**os.environ, **variables}
    options = ["--config", str(config)]
    add = ["context", "add", "sim", "--url", harbor.url, "--username", ADMIN[0]]
    added = CliRunner().invoke(cli, [*options, *add, "--secret-env", "SIM_SECRET"])
    assert added.exit_code == 0, added.output
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HARBOR_")}
    return [*options, "--context", "sim"], {**clean, "SIM_SECRET": ADMIN[1]}


@pytest.mark.parametrize(
    ("stop", "status", "via"),
    [(signal.SIGTERM, 0, "environment"), (signal.SIGINT, 130, "context")],
)
def test_the_exporter_serves_and_stops_cleanly(
    scenario_harbor: HarborSimulator, stop: signal.Signals, status: int, via: str, tmp_path: Path
) -> None:
    options, environment = connection(scenario_harbor, via, tmp_path / "config.yaml")
    process = subprocess.Popen(
        [str(CONSOLE_SCRIPT), *options, "exporter", "--listen", "127.0.0.1:0", "--interval", "1h"],
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        served = re.fullmatch(
            r"harbor-replication: serving (http://127\.0\.0\.1:\d+)/metrics for "
            r"(\S+), refreshed every 3600 s\n",
            first,
        )
        assert served is not None, first
        assert served[2] == scenario_harbor.api_url
        metrics_url = served[1] + "/metrics"

        def refreshed() -> Scraped | None:
            scraped = parse(httpx.get(metrics_url).text)
            age = scraped.value("harbor_replication_snapshot_age_seconds")
            return scraped if age is not None else None

        # The first refresh starts with the server; wait for its snapshot.
        scraped = wait_for(refreshed)
        assert scraped.value("harbor_replication_up") == 1
        assert ADMIN[1] not in httpx.get(metrics_url).text

        process.send_signal(stop)
        assert process.wait(timeout=30) == status
        rest = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert rest.endswith(
        "exporter stopped\n" if status == 0 else "exporter stopped (interrupted)\n"
    ), rest
    assert ADMIN[1] not in first + rest


def test_the_settle_default_shown_is_the_librarys() -> None:
    shown = CliRunner().invoke(cli, ["exporter", "--help"]).output

    assert f"[default: {DEFAULT_SETTLE:g}]" in " ".join(shown.split())


def test_a_listen_address_without_a_port_is_refused(scenario_harbor: HarborSimulator) -> None:
    done = subprocess.run(
        [str(CONSOLE_SCRIPT), "--url", scenario_harbor.url, "exporter", "--listen", "localhost"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 4
    assert done.stderr == ("harbor-replication: error: --listen wants host:port, got 'localhost'\n")


def test_a_port_in_use_is_refused(scenario_harbor: HarborSimulator) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                str(CONSOLE_SCRIPT),
                "--url",
                scenario_harbor.url,
                "exporter",
                "--listen",
                f"127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 4
    assert done.stderr == (
        f"harbor-replication: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )
