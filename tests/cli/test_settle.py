"""``--settle``: the waiting commands wait out Harbor's retries before they report a failure.

Against a simulator with Harbor's real retry backoff (docs/harbor-behaviour.md §30, its
random part seeded) whose clock stands still and is moved by the commands' own pauses
(tests/support.py ``wait_on_clock``): minutes of waiting take no real time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from click.testing import CliRunner, Result

from harbor_replication import ReplicationClient, location_id
from harbor_replication._settle import DEFAULT_SETTLE
from harbor_replication.cli import cli
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.cli.conftest import ADMIN_ENV
from tests.contract_checks import with_contract
from tests.support import FrozenClock, wait_on_clock

POLL = ("--poll-interval", "10")
TASK_SECONDS = 1.0
CONFIRMING = (
    "confirming the failure for up to 130s: Harbor may still retry a failed task "
    "(--settle 0: report it at once)"
)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    frozen = FrozenClock()
    wait_on_clock(frozen, monkeypatch)
    return frozen


@pytest.fixture
def retrying(clock: FrozenClock) -> Iterator[HarborSimulator]:
    """A simulated Harbor that retries failed copies after Harbor's own backoff."""
    config = SimulatorConfig(task_duration=TASK_SECONDS, retry_backoff_scale=1.0, retry_seed=3)
    with HarborSimulator(with_contract(config)) as harbor:
        harbor.state.clock = clock
        yield harbor


@pytest.fixture
def run(retrying: HarborSimulator) -> Callable[..., Result]:
    runner = CliRunner(env={"HARBOR_URL": retrying.url, **ADMIN_ENV})
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def client(retrying: HarborSimulator) -> Iterator[ReplicationClient]:
    with ReplicationClient(
        retrying.url, username=ADMIN_ENV["HARBOR_USERNAME"], secret=ADMIN_ENV["HARBOR_SECRET"]
    ) as harbor_client:
        yield harbor_client


@pytest.fixture
def policy(client: ReplicationClient) -> Callable[..., int]:
    def make(repository: str, tag: str = "**", *, single_active: bool = False) -> int:
        body = {
            "name": f"settle-{repository}-{tag}",
            "src_registry": {"id": 1},
            "dest_namespace": "mirror",
            "filters": [
                {"type": "name", "value": repository},
                {"type": "tag", "value": tag},
            ],
            "trigger": {"type": "manual"},
            "enabled": True,
            "override": True,
            "single_active_replication": single_active,
        }
        return location_id(client.create_replication_policy(body))

    return make


def waited(result: Result) -> float:
    """The seconds waited, from the summary (on stderr with ``-o json``)."""
    found = re.search(r", waited (\d+\.\d)s\. ", result.output)
    assert found, result.output
    return float(found[1])


def test_start_wait_reports_a_task_that_harbors_retry_copied_as_succeeded(
    run: Callable[..., Result], policy: Callable[..., int]
) -> None:
    result = run("start", str(policy("library/flaky-sync")), "--wait", *POLL)
    assert result.exit_code == 0, result.output
    assert re.search(r": Succeed after running [\d.]+s, waited ", result.stdout)
    assert "1 tasks: 1 succeeded, 0 failed" in result.stdout
    # On the way it read Failed, and said why it did not believe it.
    progress = [line.split(": ", 1)[1] for line in result.stderr.splitlines()]
    assert progress[1].startswith("Failed, 1/1 tasks done (0 succeeded, 1 failed")
    assert progress[2] == CONFIRMING
    assert progress[-1].startswith("Succeed, 1/1 tasks done (1 succeeded, 0 failed")


def test_start_wait_reports_a_task_failing_three_times_settle_after_its_last_failure(
    run: Callable[..., Result],
    policy: Callable[..., int],
    client: ReplicationClient,
    clock: FrozenClock,
) -> None:
    started = clock.now
    result = run("-o", "json", "start", str(policy("team/fail-build", "1.0")), "--wait", *POLL)
    assert result.exit_code == 1, result.output
    execution_id = json.loads(result.stdout)["id"]
    final = client.get_replication(execution_id)
    assert (final.status, final.failed, final.total) == ("Failed", 1, 1)
    assert isinstance(final.end_time, datetime)
    last_failure = final.end_time.timestamp()
    # Reported as the settle time after the last failure ended, not a poll later.
    assert clock.now == pytest.approx(last_failure + DEFAULT_SETTLE, abs=1e-6)
    assert waited(result) == round(clock.now - started, 1)
    assert result.stderr.count(CONFIRMING) == 3  # once after each of the three failures
    assert "Failed tasks (1):" in result.stderr


def test_start_wait_with_settle_zero_reports_the_first_failure(
    run: Callable[..., Result], policy: Callable[..., int]
) -> None:
    result = run("start", str(policy("library/flaky-sync")), "--wait", *POLL, "--settle", "0")
    assert result.exit_code == 1, result.output
    assert waited(result) == 10.0
    assert "confirming" not in result.stderr


def test_a_timeout_while_confirming_exits_3_and_says_harbor_may_retry(
    run: Callable[..., Result], policy: Callable[..., int]
) -> None:
    result = run("start", str(policy("team/fail-build", "1.0")), "--timeout", "60", *POLL)
    assert result.exit_code == 3, result.output
    assert "(last status: Failed, not yet final: Harbor may still retry a failed task)" in (
        result.stderr
    )


def test_start_wait_reports_a_skipped_single_active_run_with_exit_status_6(
    run: Callable[..., Result], policy: Callable[..., int], client: ReplicationClient
) -> None:
    policy_id = policy("library/**", single_active=True)
    client.start_replication(policy_id)  # runs: the clock stands still
    result = run("start", str(policy_id), "--wait", *POLL)
    assert result.exit_code == 6, result.output
    assert ": Skipped after running 0.0s, waited 0.0s. 0 tasks" in result.stdout
    assert "Harbor says: Execution skipped: active replication still in progress." in (
        result.stdout
    )
    assert "confirming" not in result.stderr


def test_stop_wait_during_the_backoff_reports_the_retries_outcome(
    run: Callable[..., Result],
    policy: Callable[..., int],
    client: ReplicationClient,
    clock: FrozenClock,
) -> None:
    execution_id = location_id(client.start_replication(policy("team/fail-build", "1.0")))
    clock.advance(TASK_SECONDS * 2)  # its first run has failed; the retry waits
    assert client.get_replication(execution_id).status == "Failed"
    # Harbor does not stop a job waiting for its retry: it runs, fails twice more, and the
    # execution ends Failed, not Stopped.
    result = run("stop", str(execution_id), "--wait", *POLL)
    assert result.exit_code == 1, result.output
    assert re.search(r": Failed after running [\d.]+s, waited ", result.stdout)
    assert client.get_replication(execution_id).stopped == 0


def test_log_follow_follows_a_failed_task_through_harbors_retry(
    run: Callable[..., Result],
    policy: Callable[..., int],
    client: ReplicationClient,
    clock: FrozenClock,
) -> None:
    execution_id = location_id(client.start_replication(policy("library/flaky-sync")))
    clock.advance(TASK_SECONDS / 5)  # its task is created
    [task] = client.get_replication_tasks(execution_id)
    assert isinstance(task.id, int)
    result = run("log", "--follow", str(execution_id), str(task.id), *POLL)
    assert result.exit_code == 0, result.output
    final_log = client.get_replication_task_log(execution_id, task.id)
    assert client.get_replication(execution_id).status == "Succeed"
    assert result.stderr.splitlines() == [
        f"harbor-replication: task {task.id} failed; following it for up to 130s more, "
        "as Harbor may still run it again (--settle 0: stop now)",
        "harbor-replication: the log starts over: Harbor runs the task again",
    ]
    # The failed run's log, then the retry's whole log.
    assert "[ERROR]" in result.stdout.split(final_log)[0]
    assert result.stdout.endswith(final_log)


def test_help_says_what_settle_costs_and_lists_exit_status_6(
    run: Callable[..., Result],
) -> None:
    root = run("--help").stdout
    assert "6  the execution was skipped" in root
    assert (
        "A Failed execution is reported only once it has stayed failed for --settle seconds "
        "(default 130): Harbor's job service retries a failed task up to twice, after up to "
        "74 s and then up to 118 s, and such an execution can still end Succeed. A real "
        "failure is therefore reported up to 130 s later; --settle 0 reports the first "
        "Failed read."
    ) in " ".join(root.split())
    start = " ".join(run("start", "--help").stdout.split())
    assert (
        "--settle SECONDS believe a Failed status only once it has lasted this long: Harbor "
        "retries a failed task after up to 118 s, so a real failure is reported up to this "
        "much later (0: at once) [default: 130.0; x>=0]"
    ) in start
    assert "6 skipped" in start
    for command in ("stop", "log"):
        assert "--settle SECONDS" in run(command, "--help").stdout
    assert DEFAULT_SETTLE == 130.0


@pytest.mark.parametrize("value", ["-1", "inf", "nan", "soon"])
def test_a_settle_that_is_not_seconds_is_a_usage_error(
    run: Callable[..., Result], value: str
) -> None:
    result = run("start", "1", "--wait", "--settle", value)
    assert result.exit_code == 4, result.output
    assert "Invalid value for '--settle'" in result.stderr


def test_the_live_bar_says_it_is_confirming_a_failure(
    retrying: HarborSimulator, policy: Callable[..., int]
) -> None:
    # TTY_COMPATIBLE makes rich treat the captured stderr as a terminal: the live bar.
    runner = CliRunner(env={"HARBOR_URL": retrying.url, "TTY_COMPATIBLE": "1", **ADMIN_ENV})
    command = ["start", str(policy("library/flaky-sync")), "--wait", *POLL]
    result = runner.invoke(cli, command, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    frames = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", result.stderr).split("\r")
    # (80 columns: rich shortens the bar and the last column to fit)
    assert frames[2].startswith("execution 1 Failed, confirming ≤130s ━")
    assert " 0 succeeded 1 failed 0 in progress " in frames[2]
    assert frames[-1].startswith("execution 1 Succeed ━")
