"""``start``, ``stop``, ``executions``, ``tasks`` and ``log``, with their exit statuses."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harbor_replication import ReplicationClient, location_id
from harbor_replication.cli import cli
from harbor_replication.models import ReplicationExecution, ReplicationTask
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.cli.conftest import ADMIN_ENV, Run, Script
from tests.contract_checks import with_contract
from tests.support import wait_for

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
    assert "Failed tasks (2):\n" in result.stdout
    assert result.stdout.count("team/fail-build:") == 2
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []


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
    assert [line for line in shown.stdout.splitlines() if line != line.rstrip()] == []

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


@dataclass
class RequestTally:
    """What reached the simulator: requests by kind (log, tasks, other), sizes of the logs sent."""

    counts: Counter[str] = field(default_factory=Counter)
    log_sizes: list[int] = field(default_factory=list)

    def middleware(self) -> Middleware:
        return Middleware(_Tallying, tally=self)


class _Tallying:
    def __init__(self, app: ASGIApp, tally: RequestTally) -> None:
        self.app = app
        self.tally = tally

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        kind = path.rsplit("/", 1)[-1] if path.endswith(("/log", "/tasks")) else "other"
        self.tally.counts[kind] += 1
        if kind != "log":
            await self.app(scope, receive, send)
            return
        size = 0

        async def measured(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, measured)
        self.tally.log_sizes.append(size)


def test_log_follow_prints_a_growing_log_with_few_requests_per_poll(tmp_path: Path) -> None:
    # 250 tasks, one at a time: listing them all would take 3 pages per poll.
    seed = {
        "registries": [
            {
                "name": "hub",
                "type": "docker-hub",
                "url": "https://hub.docker.com",
                "artifacts": [{"repository": "library/many", "tags": list(map(str, range(250)))}],
            }
        ],
        "policies": [
            {
                "name": "many",
                "src_registry": {"id": 1},
                "dest_namespace": "mirror",
                "trigger": {"type": "manual"},
                "enabled": True,
            }
        ],
    }
    (tmp_path / "seed.json").write_text(json.dumps(seed))
    tally = RequestTally()
    config = SimulatorConfig(
        task_duration=1.0,
        task_concurrency=1,
        seed=tmp_path / "seed.json",
        middleware=[tally.middleware()],
    )
    with (
        HarborSimulator(with_contract(config)) as harbor,
        ReplicationClient(harbor.url, username="admin", secret="Harbor12345") as client,
    ):
        execution_id = location_id(client.start_replication(1))
        # The first task, from the moment it has started (a pending task has no log yet).
        running = wait_for(
            lambda: client.get_replication_tasks(execution_id, "InProgress"), 10, "no task started"
        )
        task_id = running[0].id
        assert isinstance(task_id, int)
        tally.counts.clear()
        tally.log_sizes.clear()

        runner = CliRunner(env={"HARBOR_URL": harbor.url, **ADMIN_ENV})
        command = ["log", "--follow", str(execution_id), str(task_id), *FAST]
        results: list[Result] = []
        follower = threading.Thread(target=lambda: results.append(runner.invoke(cli, command)))
        follower.start()
        follower.join(timeout=20)
        assert not follower.is_alive(), "log --follow did not end with its task"
        whole_log = client.get_replication_task_log(execution_id, task_id)

    [result] = results
    assert result.exit_code == 0, result.output
    assert result.stdout == whole_log
    assert whole_log.rstrip().endswith(f"copy {running[0].src_resource} completed")
    # It printed the log as the task wrote it: Harbor sent it at several lengths.
    assert len(set(tally.log_sizes) - {0}) >= 3
    # Per poll: the execution and the log, and a page of running tasks at most.
    polls = tally.counts["log"]
    assert tally.counts["tasks"] <= polls
    assert tally.counts["other"] <= polls


class _EndingTasksOnStatusCheck:
    """Moves the simulator's clock past every task's end when the task list is asked for.

    So a task ends exactly between ``log --follow`` reading its log and asking whether it
    still runs: the race that loses the last lines if the log is not read once more.
    """

    def __init__(self, app: ASGIApp, end: Callable[[], None]) -> None:
        self.app = app
        self.end = end

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("path", "").endswith("/tasks"):
            self.end()
        await self.app(scope, receive, send)


def test_log_follow_prints_the_last_lines_of_a_task_that_ends_between_polls() -> None:
    now = 1_800_000_000.0
    following = False

    def end_every_task() -> None:
        nonlocal now
        if following:
            now += 3600

    config = SimulatorConfig(
        task_duration=10.0,
        middleware=[Middleware(_EndingTasksOnStatusCheck, end=end_every_task)],
    )
    with (
        HarborSimulator(with_contract(config)) as harbor,
        ReplicationClient(harbor.url, username="admin", secret="Harbor12345") as client,
    ):
        harbor.state.clock = lambda: now
        policy = client.create_replication_policy(
            {
                "name": "one-artifact",
                "src_registry": {"id": 1},
                "dest_namespace": "mirror",
                "filters": [
                    {"type": "name", "value": "library/alpine"},
                    {"type": "tag", "value": "3.20"},
                ],
                "trigger": {"type": "manual"},
                "enabled": True,
            }
        )
        execution_id = location_id(client.start_replication(location_id(policy)))
        now += 5  # halfway through the copy, the clock standing still
        [task] = client.get_replication_tasks(execution_id)
        assert isinstance(task.id, int)
        partial_log = client.get_replication_task_log(execution_id, task.id)

        following = True
        runner = CliRunner(env={"HARBOR_URL": harbor.url, **ADMIN_ENV})
        command = ["log", "--follow", str(execution_id), str(task.id), *FAST]
        result = runner.invoke(cli, command, catch_exceptions=False)
        whole_log = client.get_replication_task_log(execution_id, task.id)

    assert "completed" not in partial_log.splitlines()[-1]
    assert result.exit_code == 0, result.output
    assert result.stdout == whole_log
    assert whole_log.rstrip().endswith("copy library/alpine:3.20 completed")
