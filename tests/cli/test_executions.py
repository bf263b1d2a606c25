"""``start``, ``stop``, ``executions``, ``tasks`` and ``log``, with their exit statuses."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from click.testing import CliRunner, Result
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harbor_replication import ReplicationClient, location_id
from harbor_replication.cli import cli
from harbor_replication.models import ReplicationExecution, ReplicationTask
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.cli.conftest import ADMIN_ENV, Run, Script
from tests.contract_checks import with_contract
from tests.support import FrozenClock

FAST = ("--poll-interval", "0.02")
# The first Failed read is final: these tests are not about Harbor's retries (test_settle.py is).
NO_SETTLE = ("--settle", "0")


def test_start_wait_succeeds_with_exit_status_0(
    run: Run, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("library/alpine")
    result = run("start", str(policy_id), "--wait", *FAST)
    assert result.exit_code == 0, result.stderr
    assert "Succeed" in result.stdout
    assert "1 tasks: 1 succeeded, 0 failed" in result.stdout
    assert "Failed tasks" not in result.stdout


def test_start_wait_fails_with_exit_status_1_and_lists_failed_tasks(
    run: Run, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("team/**")
    result = run("start", str(policy_id), "--wait", *FAST, *NO_SETTLE)
    assert result.exit_code == 1
    assert "2 tasks: 1 succeeded, 1 failed" in result.stdout
    assert "Failed tasks (1):\n" in result.stdout
    assert result.stdout.count("team/fail-build [2 item(s) in total]") == 1
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []


def test_start_wait_as_json_prints_only_the_final_execution(
    run: Run, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("team/**")
    result = run("-o", "json", "start", str(policy_id), "--wait", *FAST, *NO_SETTLE)
    assert result.exit_code == 1
    execution = ReplicationExecution.from_dict(json.loads(result.stdout))
    assert (execution.policy_id, execution.status, execution.failed) == (policy_id, "Failed", 1)
    # The people's part goes to stderr.
    assert "Failed tasks (1)" in result.stderr


def test_start_wait_without_terminal_prints_plain_progress_lines(
    script: Script, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("library/alpine")
    result = script("start", str(policy_id), "--wait", *FAST)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("execution ")]
    assert lines, result.stderr
    assert "\x1b[" not in result.stderr
    assert lines[-1].startswith(f"execution {lines[-1].split()[1]} Succeed, 1/1 tasks done")
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
    assert run("start", str(policy_id), "--wait", *FAST, *NO_SETTLE).exit_code == 1

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
    assert table.stdout.count("team/") == 2
    failed = json.loads(run("-o", "json", "tasks", str(execution_id), "--status", "Failed").stdout)
    tasks = [ReplicationTask.from_dict(t) for t in failed]
    assert [t.src_resource for t in tasks] == ["team/fail-build [2 item(s) in total]"]

    log = run("log", str(execution_id), str(tasks[0].id))
    assert log.exit_code == 0
    assert "[ERROR]" in log.stdout
    followed = run("log", "--follow", str(execution_id), str(tasks[0].id), *FAST, *NO_SETTLE)
    assert followed.stdout == log.stdout


class _BeforeEachRequest:
    """Calls ``hook`` with each request (it may move the clock) before the simulator answers."""

    def __init__(self, app: ASGIApp, hook: Callable[[Scope], None]) -> None:
        self.app = app
        self.hook = hook

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.hook(scope)
        await self.app(scope, receive, send)


def before_each_request(hook: Callable[[Scope], None]) -> Middleware:
    return Middleware(_BeforeEachRequest, hook=hook)


def _is_execution_read(scope: Scope) -> bool:
    return scope["method"] == "GET" and re.search(r"/executions/\d+$", scope["path"]) is not None


def test_timeout_exits_3_and_stop_wait_exits_2() -> None:
    clock = FrozenClock()
    stop_asked = False

    def pass_time_once_stopping(scope: Scope) -> None:
        nonlocal stop_asked
        if scope["method"] == "PUT":
            stop_asked = True
        elif stop_asked and _is_execution_read(scope):
            clock.advance(1)  # past the moment the stop takes effect

    config = SimulatorConfig(middleware=[before_each_request(pass_time_once_stopping)])
    with HarborSimulator(with_contract(config)) as harbor:
        harbor.state.clock = clock
        runner = CliRunner(env={"HARBOR_URL": harbor.url, **ADMIN_ENV})
        timed_out = runner.invoke(cli, ["start", "1", "--timeout", "0.6", *FAST])
        assert timed_out.exit_code == 3
        assert "did not finish within 0.6s" in timed_out.stderr
        execution_id = timed_out.stdout.split("Started execution ")[1].split()[0]
        # The summary still tells where the execution stands (InProgress from the first
        # read, docs/harbor-behaviour.md §16; no task yet: the clock stands).
        assert f"Execution {execution_id} of policy 1: InProgress, waited " in timed_out.stdout

        stopped = runner.invoke(cli, ["stop", execution_id, "--wait", *FAST])
    assert stopped.exit_code == 2, stopped.output
    # The run time is Harbor's, from start to end (the simulator stops it 0.1 s after the
    # stop, on its frozen clock), not the time waited.
    assert f"Execution {execution_id} of policy 1: Stopped after running 0.1s, waited " in (
        stopped.stdout
    )


def test_a_wait_timing_out_as_the_execution_ends_reports_the_end() -> None:
    clock = FrozenClock()
    execution_reads = 0

    def end_all_on_the_second_read(scope: Scope) -> None:
        nonlocal execution_reads
        if _is_execution_read(scope):
            execution_reads += 1
            if execution_reads == 2:
                clock.advance(3600)

    config = SimulatorConfig(middleware=[before_each_request(end_all_on_the_second_read)])
    with HarborSimulator(with_contract(config)) as harbor:
        harbor.state.clock = clock
        runner = CliRunner(env={"HARBOR_URL": harbor.url, **ADMIN_ENV})
        # --timeout 0: one read, Pending, then the time is up; the read after it finds the end.
        result = runner.invoke(cli, ["start", "1", "--timeout", "0", *FAST])

    assert execution_reads == 2
    assert result.exit_code == 0, result.output
    # Its run time is Harbor's (its tasks' simulated durations), not the time waited.
    summary = r"Execution \d+ of policy 1: Succeed after running 0.6s, waited \d+\.\ds\. "
    assert re.search(summary, result.stdout), result.stdout
    assert "did not finish" not in result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("execution ")]
    assert " Succeed, " in progress[-1]


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


def _many_repositories_seed(tmp_path: Path, count: int) -> Path:
    """A seed whose policy 1 copies ``count`` repositories, one task each (over 200: more
    than 2 pages of tasks)."""
    seed = {
        "registries": [
            {
                "name": "hub",
                "type": "docker-hub",
                "url": "https://hub.docker.com",
                "artifacts": [
                    {"repository": f"library/many-{n:03d}", "tags": ["1.0"]} for n in range(count)
                ],
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
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    return path


def _copied(task: ReplicationTask) -> str:
    """The last line of the log of a task that copied one tag, 1.0, of its repository."""
    repository = str(task.src_resource).split(" [")[0]
    target = "mirror/" + repository.split("/", 1)[1]
    copied = f"{repository}:[1.0](source registry) to {target}:[1.0](destination registry)"
    return f"copy {copied} completed"


def _follow_log(harbor: HarborSimulator, execution_id: int, task_id: int) -> Result:
    """``log --follow`` in a thread, so a follow that never ends fails instead of hanging."""
    runner = CliRunner(env={"HARBOR_URL": harbor.url, **ADMIN_ENV})
    command = ["log", "--follow", str(execution_id), str(task_id), *FAST]
    results: list[Result] = []
    follower = threading.Thread(target=lambda: results.append(runner.invoke(cli, command)))
    follower.start()
    follower.join(timeout=60)
    assert not follower.is_alive(), "log --follow did not end with its task"
    [result] = results
    return result


def test_log_follow_prints_a_growing_log_with_few_requests_per_poll(tmp_path: Path) -> None:
    # 250 tasks, one at a time: listing them all would take 3 pages per poll.
    clock = FrozenClock()
    tally = RequestTally()

    def copy_on_while_the_log_is_read(scope: Scope) -> None:
        if scope["path"].endswith("/log"):
            clock.advance(0.1)  # a tenth of a copy per read: the log grows by a line or none

    config = SimulatorConfig(
        seed=_many_repositories_seed(tmp_path, 250),
        task_duration=1.0,
        task_concurrency=1,
        middleware=[tally.middleware(), before_each_request(copy_on_while_the_log_is_read)],
    )
    with (
        HarborSimulator(with_contract(config)) as harbor,
        ReplicationClient(harbor.url, username="admin", secret="Harbor12345") as client,
    ):
        harbor.state.clock = clock
        execution_id = location_id(client.start_replication(1))
        clock.advance(0.25)  # past the setup (a fifth of a copy): the first copy has begun
        [running] = client.get_replication_tasks(execution_id, "InProgress", page_size=1, limit=1)
        assert isinstance(running.id, int)
        tally.counts.clear()

        result = _follow_log(harbor, execution_id, running.id)
        whole_log = client.get_replication_task_log(execution_id, running.id)

    assert result.exit_code == 0, result.output
    assert result.stdout == whole_log
    assert whole_log.rstrip().endswith(_copied(running))
    # It printed the log as the task wrote it: Harbor sent it at several lengths.
    assert len(set(tally.log_sizes) - {0}) >= 3
    # Per poll: the execution and the log, and a page of running tasks at most.
    polls = tally.counts["log"]
    assert tally.counts["tasks"] <= polls
    assert tally.counts["other"] <= polls


def test_log_follow_goes_on_when_ending_tasks_shift_the_pages_of_running_ones(
    tmp_path: Path,
) -> None:
    # 250 tasks at once; the followed one is the first of the 2nd page of running tasks.
    clock = FrozenClock()
    shifting = False
    walks_by_id = 0

    def shift_pages_then_end(scope: Scope) -> None:
        """Running tasks' later pages come a page late, as if 100 tasks ended between reads;
        the 2nd walk through all the tasks finds every copy done."""
        nonlocal walks_by_id
        query = dict(parse_qsl(scope["query_string"].decode()))
        if not shifting or not scope["path"].endswith("/tasks"):
            return
        if query.get("status") == "InProgress" and int(query.get("page", "1")) > 1:
            query["page"] = str(int(query["page"]) + 1)
            scope["query_string"] = urlencode(query).encode()
        elif query.get("sort") == "id" and query.get("page", "1") == "1":
            walks_by_id += 1
            if walks_by_id == 2:
                clock.advance(3600)

    config = SimulatorConfig(
        seed=_many_repositories_seed(tmp_path, 250),
        task_duration=10.0,
        task_concurrency=250,
        middleware=[before_each_request(shift_pages_then_end)],
    )
    with (
        HarborSimulator(with_contract(config)) as harbor,
        ReplicationClient(harbor.url, username="admin", secret="Harbor12345") as client,
    ):
        harbor.state.clock = clock
        execution_id = location_id(client.start_replication(1))
        clock.advance(2 + 5)  # past the setup (a fifth of a copy), halfway through the copies
        [task] = client.get_replication_tasks(
            execution_id, "InProgress", sort="-start_time", page=2, page_size=100, limit=1
        )
        assert isinstance(task.id, int)
        partial_log = client.get_replication_task_log(execution_id, task.id)

        shifting = True
        result = _follow_log(harbor, execution_id, task.id)
        whole_log = client.get_replication_task_log(execution_id, task.id)

    assert "completed" not in partial_log.splitlines()[-1]
    assert walks_by_id == 2
    assert result.exit_code == 0, result.output
    assert result.stdout == whole_log
    assert whole_log.rstrip().endswith(_copied(task))


def test_log_follow_prints_the_last_lines_of_a_task_that_ends_between_polls() -> None:
    clock = FrozenClock()
    following = False

    def end_every_task_on_status_check(scope: Scope) -> None:
        """So a task ends exactly between ``log --follow`` reading its log and asking whether
        it still runs: the race that loses the last lines if the log is not read once more."""
        if following and scope["path"].endswith("/tasks"):
            clock.advance(3600)

    config = SimulatorConfig(
        task_duration=10.0, middleware=[before_each_request(end_every_task_on_status_check)]
    )
    with (
        HarborSimulator(with_contract(config)) as harbor,
        ReplicationClient(harbor.url, username="admin", secret="Harbor12345") as client,
    ):
        harbor.state.clock = clock
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
        clock.advance(5)  # halfway through the copy, the clock standing still
        [task] = client.get_replication_tasks(execution_id)
        assert isinstance(task.id, int)
        partial_log = client.get_replication_task_log(execution_id, task.id)

        following = True
        result = _follow_log(harbor, execution_id, task.id)
        whole_log = client.get_replication_task_log(execution_id, task.id)

    assert "completed" not in partial_log.splitlines()[-1]
    assert result.exit_code == 0, result.output
    assert result.stdout == whole_log
    assert whole_log.rstrip().endswith(
        "copy library/alpine:[3.20](source registry) to mirror/alpine:[3.20](destination "
        "registry) completed"
    )
