"""One-line errors with Harbor's message and request id, exit statuses 4 and 5, --debug."""

from __future__ import annotations

import socket
import subprocess
import sys

from click.testing import CliRunner

from harbor_replication.cli import cli
from harbor_replication.simulator import HarborSimulator
from tests.cli.conftest import ADMIN_ENV, Run, Script


def test_not_found_is_one_line_with_message_and_request_id(run: Run) -> None:
    result = run("policies", "show", "999")
    assert result.exit_code == 5
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("harbor-replication: error: cannot get replication policy")
    assert "HTTP 404 NOT_FOUND" in lines[0]
    assert "request id " in lines[0]
    assert result.stdout == ""


def test_debug_adds_the_traceback(run: Run) -> None:
    result = run("--debug", "policies", "show", "999")
    assert result.exit_code == 5
    assert "Traceback" in result.stderr
    assert "NotFoundError" in result.stderr


def test_wrong_secret_is_an_api_error_and_the_secret_is_not_printed(
    cli_harbor: HarborSimulator,
) -> None:
    runner = CliRunner(env={"HARBOR_URL": cli_harbor.url, "HARBOR_USERNAME": "admin"})
    result = runner.invoke(cli, ["--secret", "Wr0ng-Secret", "--debug", "registries", "list"])
    assert result.exit_code == 5
    assert "HTTP 401 UNAUTHORIZED" in result.stderr
    assert "Wr0ng-Secret" not in result.output


def test_usage_errors_exit_4(run: Run) -> None:
    assert run("policies", "show", "not-a-number").exit_code == 4
    assert run("--output", "xml", "policies", "list").exit_code == 4
    assert run("policies", "list", "--match", "no-equals-sign").exit_code == 4
    missing_url = CliRunner(env={"HARBOR_URL": None, **ADMIN_ENV}).invoke(cli, ["policies", "list"])
    assert missing_url.exit_code == 4
    assert "no Harbor URL" in missing_url.stderr


def test_a_raw_query_harbor_cannot_parse_exits_5(run: Run) -> None:
    # The raw --query goes to Harbor as written: its own 400 is an API error, not a usage one.
    result = run("policies", "list", "--query", "name=a,,")
    assert result.exit_code == 5
    assert "HTTP 400 BAD_REQUEST" in result.stderr


def test_unreadable_policy_file_exits_4(run: Run) -> None:
    result = run("policies", "create", "-f", "/nonexistent/policy.yaml")
    assert result.exit_code == 4


def test_connection_refused_exits_5() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    runner = CliRunner(env={"HARBOR_URL": f"http://127.0.0.1:{port}", **ADMIN_ENV})
    result = runner.invoke(cli, ["policies", "list"])
    assert result.exit_code == 5
    assert f"cannot reach Harbor at http://127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_console_script_help_documents_exit_statuses(script: Script) -> None:
    result = script("--help")
    assert result.returncode == 0
    for line in ("3  timed out", "4  usage or input error", "5  API or connection error"):
        assert line in result.stdout
    for command in ("policies", "executions", "start", "stop", "tasks", "log", "registries"):
        assert command in result.stdout


def test_help_imports_neither_the_client_nor_rich() -> None:
    # Keeps `harbor-replication --help` fast: heavy modules load in the commands using them.
    code = (
        "import sys; from harbor_replication.cli import cli; "
        "print(sorted(m for m in ('httpx', 'rich', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]"
