"""``start``, ``stop``, ``executions``, ``tasks`` and ``log``, with their exit statuses."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner

from harbor_replication import ReplicationClient
from harbor_replication.cli import cli
from harbor_replication.models import ReplicationExecution, ReplicationTask
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.cli.conftest import ADMIN_ENV, Run, Script
from tests.contract_checks import with_contract

FAST = ("--poll-interval", "0.02")


def test_start_wait_succeeds_with_exit_status_0(
    run: Run, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("library/alpine")
    result = run("start", str(policy_id), "--wait", *FAST)
    assert result.exit_code == 0, result.stderr
    assert "Succeed" in result.stdout
    assert "3 tasks: 3 succeeded, 0 failed" in result.stdout
    assert "Failed tasks" not in result.stdout


def test_start_wait_fails_with_exit_status_1_and_lists_failed_tasks(
    run: Run, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("team/**")
    result = run("start", str(policy_id), "--wait", *FAST)
    assert result.exit_code == 1
    assert "4 tasks: 2 succeeded, 2 failed" in result.stdout
    assert "Failed tasks (2)" in result.stdout
    assert result.stdout.count("team/fail-build:") == 2


def test_start_wait_as_json_prints_only_the_final_execution(
    run: Run, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("team/**")
    result = run("-o", "json", "start", str(policy_id), "--wait", *FAST)
    assert result.exit_code == 1
    execution = ReplicationExecution.from_dict(json.loads(result.stdout))
    assert (execution.policy_id, execution.status, execution.failed) == (policy_id, "Failed", 2)
    # The people's part goes to stderr.
    assert "Failed tasks (2)" in result.stderr


def test_start_wait_without_terminal_prints_plain_progress_lines(
    script: Script, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("library/alpine")
    result = script("start", str(policy_id), "--wait", *FAST)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("execution ")]
    assert lines, result.stderr
    assert "\x1b[" not in result.stderr
    assert lines[-1].startswith(f"execution {lines[-1].split()[1]} Succeed, 3/3 tasks done")
    assert "Succeed" in result.stdout


def test_start_without_wait_returns_at_once(
    run: Run, client: ReplicationClient, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("library/alpine")
    result = run("-o", "json", "start", str(policy_id))
    assert result.exit_code == 0
    execution_id = json.loads(result.stdout)["id"]
    final = client.wait_for_replication(execution_id, poll_interval=0.02, timeout=10)
    assert final.status == "Succeed"


def test_executions_list_show_tasks_and_log(run: Run, make_policy: Callable[[str], int]) -> None:
    policy_id = make_policy("team/**")
    assert run("start", str(policy_id), "--wait", *FAST).exit_code == 1

    listed = json.loads(run("-o", "json", "executions", "list", "--policy", str(policy_id)).stdout)
    assert [ReplicationExecution.from_dict(e).policy_id for e in listed] == [policy_id]
    execution_id = listed[0]["id"]
    assert json.loads(
        run("-o", "json", "executions", "list", "--policy", str(policy_id), "--status",
            "Succeed").stdout
    ) == []  # fmt: skip

    shown = run("executions", "show", str(execution_id))
    assert shown.exit_code == 0
    assert "Failed" in shown.stdout

    table = run("tasks", str(execution_id))
    assert table.stdout.count("team/") == 4
    failed = json.loads(run("-o", "json", "tasks", str(execution_id), "--status", "Failed").stdout)
    tasks = [ReplicationTask.from_dict(t) for t in failed]
    assert {t.src_resource for t in tasks} == {"team/fail-build:1.0", "team/fail-build:2.0"}

    log = run("log", str(execution_id), str(tasks[0].id))
    assert log.exit_code == 0
    assert "[ERROR]" in log.stdout
    followed = run("log", "--follow", str(execution_id), str(tasks[0].id), *FAST)
    assert followed.stdout == log.stdout


@pytest.fixture(scope="module")
def slow_harbor() -> Iterator[HarborSimulator]:
    """Tasks that take long enough to time out on and to stop."""
    with HarborSimulator(with_contract(SimulatorConfig(task_duration=2))) as harbor:
        yield harbor


def test_timeout_exits_3_and_stop_wait_exits_2(slow_harbor: HarborSimulator) -> None:
    runner = CliRunner(env={"HARBOR_URL": slow_harbor.url, **ADMIN_ENV})
    timed_out = runner.invoke(cli, ["start", "1", "--timeout", "0.6", *FAST])
    assert timed_out.exit_code == 3
    assert "did not finish within 0.6s" in timed_out.stderr
    execution_id = timed_out.stdout.split("Started execution ")[1].split()[0]
    # The summary still tells where the execution stands.
    assert f"Execution {execution_id} of policy 1: InProgress" in timed_out.stdout

    stopped = runner.invoke(cli, ["stop", execution_id, "--wait", *FAST])
    assert stopped.exit_code == 2, stopped.output
    assert "Stopped" in stopped.stdout
