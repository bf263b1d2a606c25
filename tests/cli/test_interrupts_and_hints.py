"""Ctrl-C in every command, the hints after refusals, and the options a new user reaches for."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from harbor_replication import ReplicationClient, location_id
from harbor_replication.cli import cli
from harbor_replication.simulator import Fault, HarborSimulator, SimulatorConfig
from tests.cli.conftest import ADMIN_ENV, CONSOLE_SCRIPT, Run
from tests.support import freeze_clock, interruptible, wait_for

FAST = ("--poll-interval", "0.02")


@pytest.fixture(scope="module")
def faulty_harbor() -> Iterator[HarborSimulator]:
    """A simulator of these tests' own: the answers of injected faults are not Harbor's."""
    with HarborSimulator(SimulatorConfig(task_duration=0.05)) as harbor:
        yield harbor


@pytest.fixture
def faults(faulty_harbor: HarborSimulator) -> Iterator[HarborSimulator]:
    """That simulator, its faults cleared after the test."""
    yield faulty_harbor
    faulty_harbor.faults.clear()


def _runner(harbor: HarborSimulator, **env: str) -> CliRunner:
    return CliRunner(env={"HARBOR_URL": harbor.url, **ADMIN_ENV, **env})


def _console_script(harbor: HarborSimulator, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "HARBOR_URL": harbor.url, **ADMIN_ENV}
    return subprocess.Popen(
        [str(CONSOLE_SCRIPT), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=interruptible,
    )


def _interrupt(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    return process.returncode, stdout, stderr


def test_ctrl_c_while_a_listing_waits_for_harbor_exits_130(faults: HarborSimulator) -> None:
    faults.faults.set(schedule=[Fault.STALL], stall=60)
    with _console_script(faults, "executions", "list") as listing:
        # The simulator holds the answer back: the command is waiting for it now.
        wait_for(lambda: faults.faults.injected[Fault.STALL] == 1, within=30)
        status, stdout, stderr = _interrupt(listing)
    assert status == 130
    assert stdout == ""
    assert stderr == "\nharbor-replication: interrupted\n"


def test_ctrl_c_in_log_follow_exits_130(
    cli_harbor: HarborSimulator,
    client: ReplicationClient,
    make_policy: Callable[[str], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = freeze_clock(cli_harbor, monkeypatch)
    execution_id = location_id(client.start_replication(make_policy("library/alpine")))
    clock.advance(0.01)  # its tasks have started; they never end
    [task] = client.get_replication_tasks(execution_id, status="InProgress", limit=1)
    with _console_script(cli_harbor, "log", str(execution_id), str(task.id), "--follow") as log:
        assert log.stdout is not None
        first_line = log.stdout.readline()  # following now
        status, _, stderr = _interrupt(log)
    assert "client for source registry" in first_line
    assert status == 130
    assert stderr == "\nharbor-replication: interrupted\n"


def test_library_words_are_said_as_options(cli_harbor: HarborSimulator) -> None:
    runner = CliRunner(env={"HARBOR_URL": cli_harbor.url, "HARBOR_USERNAME": None})
    result = runner.invoke(cli, ["--secret", "s3cret", "policies", "list"])
    assert result.exit_code == 4
    assert result.stderr == (
        "harbor-replication: error: a secret without a username: pass --username or set "
        "HARBOR_USERNAME\n"
    )


def test_a_ca_cert_that_is_not_pem_is_one_line_exit_4(run: Run, tmp_path: Path) -> None:
    hostname = tmp_path / "hostname"
    hostname.write_text("harbor.example.com\n")
    result = run("--ca-cert", str(hostname), "registries", "list")
    assert result.exit_code == 4
    assert result.stderr == (
        f"harbor-replication: error: {hostname}: no PEM CA certificate in it "
        "(NO_CERTIFICATE_OR_CRL_FOUND); give a file of -----BEGIN CERTIFICATE----- blocks "
        f"(from DER: openssl x509 -inform der -in {hostname} -out ca.pem)\n"
    )


def test_output_may_follow_the_command(run: Run) -> None:
    after = run("registries", "list", "-o", "json")
    assert after.exit_code == 0, after.stderr
    before = run("--output", "json", "registries", "list")
    assert json.loads(after.stdout) == json.loads(before.stdout)
    shown = run("policies", "show", "1", "--output", "YAML")
    assert yaml.safe_load(shown.stdout)["id"] == 1


def test_statuses_are_taken_in_any_case(
    run: Run, client: ReplicationClient, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("team/**")  # its fail-build tags fail
    execution_id = location_id(client.start_replication(policy_id))
    assert (
        client.wait_for_replication(execution_id, poll_interval=0.02, settle=0).status == "Failed"
    )
    result = run(
        "-o", "json", "executions", "list", "--policy", str(policy_id), "--status", "failed"
    )
    assert result.exit_code == 0, result.stderr
    assert [(e["id"], e["status"]) for e in json.loads(result.stdout)] == [(execution_id, "Failed")]


def test_an_empty_listing_says_so_on_stderr(run: Run, make_policy: Callable[[str], int]) -> None:
    policy_id = str(make_policy("library/alpine"))
    table = run("executions", "list", "--policy", policy_id)
    assert (table.exit_code, table.stdout, table.stderr) == (0, "", "no executions\n")
    as_json = run("executions", "list", "--policy", policy_id, "-o", "json")
    assert (as_json.exit_code, as_json.stdout, as_json.stderr) == (0, "[]\n", "no executions\n")


def test_a_wrong_secret_gets_a_hint(cli_harbor: HarborSimulator) -> None:
    runner = CliRunner(env={"HARBOR_URL": cli_harbor.url, "HARBOR_USERNAME": "admin"})
    result = runner.invoke(cli, ["--secret", "Wr0ng", "registries", "list"])
    assert result.exit_code == 5
    [line] = result.stderr.splitlines()
    assert line.startswith("harbor-replication: error: cannot get registries (GET ")
    assert "HTTP 401 UNAUTHORIZED" in line
    assert line.endswith(
        "; check the credentials: --username and --secret (or HARBOR_USERNAME and HARBOR_SECRET)"
    )


def test_starting_a_disabled_policy_says_how_to_enable_it(
    run: Run, client: ReplicationClient, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("library/alpine")
    assert run("policies", "update", str(policy_id), "--disabled").exit_code == 0
    result = run("start", str(policy_id))
    assert result.exit_code == 5
    [line] = result.stderr.splitlines()
    assert "HTTP 412 PRECONDITION" in line
    assert line.endswith(
        f"; enable the policy with: harbor-replication policies update {policy_id} --enabled"
    )
    assert run("policies", "update", str(policy_id), "--enabled").exit_code == 0
    assert run("start", str(policy_id)).exit_code == 0


@pytest.mark.parametrize(
    ("fault", "answer"),
    [(Fault.UNAVAILABLE, "HTTP 503"), (Fault.BAD_GATEWAY, "HTTP 502"), (Fault.STALL, "timed out")],
)
def test_a_start_without_an_answer_says_how_to_check(
    faults: HarborSimulator, fault: Fault, answer: str
) -> None:
    policy_id = 1
    faults.faults.set(schedule=[fault], stall=60)
    result = _runner(faults).invoke(cli, ["--timeout", "0.5", "start", str(policy_id)])
    assert result.exit_code == 5
    [line] = result.stderr.splitlines()
    assert answer in line
    assert line.endswith(
        "; the execution may or may not have started: check with: "
        f"harbor-replication executions list --policy {policy_id}"
    )


def test_retries_come_from_the_option_or_the_environment(faults: HarborSimulator) -> None:
    faults.faults.set(schedule=[Fault.UNAVAILABLE])
    retried = _runner(faults).invoke(cli, ["--retries", "1", "policies", "show", "1"])
    assert retried.exit_code == 0, retried.stderr
    faults.faults.set(schedule=[Fault.UNAVAILABLE])
    refused = _runner(faults, HARBOR_RETRIES="0").invoke(cli, ["policies", "show", "1"])
    assert refused.exit_code == 5
    assert "HTTP 503" in refused.stderr
    assert faults.faults.injected[Fault.UNAVAILABLE] == 2


def test_log_follow_exits_with_the_tasks_failure(
    run: Run, client: ReplicationClient, make_policy: Callable[[str], int]
) -> None:
    execution_id = location_id(client.start_replication(make_policy("team/fail-build")))
    client.wait_for_replication(execution_id, poll_interval=0.02, settle=0)
    [task] = client.get_replication_tasks(execution_id, status="Failed", limit=1)
    assert isinstance(task.id, int)
    result = run("log", str(execution_id), str(task.id), "--follow", "--settle", "0", *FAST)
    assert result.exit_code == 1
    assert result.stdout == client.get_replication_task_log(execution_id, task.id)
    assert result.stderr == f"harbor-replication: task {task.id} Failed\n"


def test_a_policy_file_names_the_nested_field_and_hints_at_quoting(
    run: Run, tmp_path: Path
) -> None:
    unquoted = tmp_path / "unquoted.yaml"
    unquoted.write_text("name: mirror\nsrc_registry: {id: 1}\ndescription: 2026-01-31\n")
    dated = run("policies", "create", "-f", str(unquoted))
    assert dated.exit_code == 4
    assert dated.stderr == (
        "harbor-replication: error: not a valid replication policy: description is "
        "datetime.date(2026, 1, 31) (date), expected str; YAML reads yes/no/on/off, numbers "
        "and dates as such: quote the value\n"
    )
    quoted = tmp_path / "quoted.yaml"
    quoted.write_text("name: mirror\nsrc_registry: {id: '1'}\n")
    nested = run("policies", "create", "-f", str(quoted))
    assert nested.exit_code == 4
    assert nested.stderr == (
        "harbor-replication: error: not a valid replication policy: src_registry.id is '1' "
        "(str), expected int; write the value without quotes\n"
    )


def test_a_key_given_twice_in_a_file_is_refused(run: Run, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("name: mirror\nsrc_registry:\n  id: 1\n  id: 2\n")
    result = run("policies", "create", "-f", str(policy))
    assert result.exit_code == 4
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for -f: {policy}: line 4: 'id' is given twice (first on line 3); "
        "keep one"
    )


def test_stop_wait_timing_out_does_not_ask_to_stop_again(
    cli_harbor: HarborSimulator,
    client: ReplicationClient,
    run: Run,
    make_policy: Callable[[str], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = freeze_clock(cli_harbor, monkeypatch)
    execution_id = location_id(client.start_replication(make_policy("library/alpine")))
    clock.advance(0.01)
    # The clock stands, so the stop never takes effect while the command waits.
    result = run("stop", str(execution_id), "--wait", "--timeout", "0", *FAST)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1] == (
        f"harbor-replication: execution {execution_id} did not finish within 0s (last status: "
        f"InProgress); execution {execution_id} is being stopped (see: harbor-replication "
        f"executions show {execution_id})"
    )
