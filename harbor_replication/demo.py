"""``make demo``: a replication against the embedded simulator, driven through the CLI.

Starts a simulated Harbor on a free loopback port, runs ``harbor-replication`` commands
against it the way a user would type them (show the registries, create a policy from a
YAML file, start it and watch it, list its tasks, read a failed task's log, list the
executions as JSON), stops the simulator whatever happened, and says what to try next.
Exits 0 when every command ended as expected.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from rich.console import Console

from harbor_replication import ReplicationClient
from harbor_replication._settle import DEFAULT_SETTLE
from harbor_replication.cli import ExitStatus, cli
from harbor_replication.simulator import HarborSimulator, SimulatorConfig

POLICY_FILE = Path(__file__).with_name("demo-policy.yaml")
POLICY_NAME = "demo-mirror-docker-hub"

console = Console(highlight=False, soft_wrap=True)
# Harbor waits up to 74 + 118 s before its two retries of a failed copy (docs/harbor-
# behaviour.md §30); shrunk so that both fit in one task's time, library/flaky-sync (in the
# first round of tasks) is retried while the second round runs.
RETRY_BACKOFF_SCALE_PER_TASK_SECOND = 1 / 200


def step(title: str) -> None:
    console.print(f"\n[bold cyan]== {title}[/]")


def run(*args: str, expect: int = ExitStatus.SUCCEEDED) -> bool:
    """Run ``harbor-replication ARGS`` in this process; True if it exited with ``expect``."""
    console.print(f"[bold]$ harbor-replication {shlex.join(args)}[/]")
    sys.stdout.flush()
    try:
        cli.main(list(args), prog_name="harbor-replication")
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    if status != expect:
        console.print(f"[red]unexpected exit status {status} (expected {expect})[/]")
        return False
    return True


def scenario(harbor: HarborSimulator, poll_interval: float, settle: float) -> bool:
    env = {"HARBOR_URL": harbor.url, "HARBOR_USERNAME": "admin", "HARBOR_SECRET": "Harbor12345"}
    os.environ.update(env)
    console.print(f"A simulated Harbor is listening on {harbor.url}. The commands below find it")
    console.print("through these variables:")
    console.print("  export " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()))
    with ReplicationClient() as client:
        return _commands(client, poll_interval, settle)


def _commands(client: ReplicationClient, poll_interval: float, settle: float) -> bool:
    ok = True

    step("1. The registries this Harbor replicates with")
    ok &= run("registries", "list")

    step("2. A policy from a YAML file: pull library/** and team/** from Docker Hub")
    console.print(POLICY_FILE.read_text(encoding="utf-8"), markup=False)
    ok &= run("policies", "create", "-f", str(POLICY_FILE))
    found = client.get_replication_policies({"name": POLICY_NAME}, limit=1)
    policy_id = found[0].id if found else None
    if not policy_id:
        console.print("[red]the demo policy was not created[/]")
        return False

    step(
        "3. Start it and follow it to the end (team/fail-build is doomed to fail; "
        "library/flaky-sync fails once and Harbor's retry copies it)"
    )
    console.print(
        "Harbor retries a failed task twice, so --wait believes Failed only once it has lasted "
        f"--settle seconds: 130 against a real Harbor, {settle:g} here, where the simulated "
        "Harbor's retry backoff is scaled down alike."
    )
    poll = str(poll_interval)
    ok &= run(
        "start",
        str(policy_id),
        "--wait",
        "--poll-interval",
        poll,
        "--settle",
        f"{settle:g}",
        expect=ExitStatus.FAILED,
    )
    console.print("Exit status 1: the execution failed, as planned.")
    started = client.get_replications(policy_id=policy_id, limit=1)
    execution_id = started[0].id if started else None
    if not execution_id:
        console.print("[red]the demo policy did not start[/]")
        return False

    step("4. Its tasks: one per repository, with the tags it copied")
    ok &= run("tasks", str(execution_id))

    step("5. The log of a failed task")
    failed = client.get_replication_tasks(execution_id, status="Failed", limit=1)
    if failed:
        ok &= run("log", str(execution_id), str(failed[0].id))
    else:
        console.print("[red]no failed task to show[/]")
        ok = False

    step("6. The policy's executions as JSON, for scripts")
    ok &= run("--output", "json", "executions", "list", "--policy", str(policy_id))
    return ok


NEXT_STEPS = """
[bold]What to try next[/]
  Keep a simulated Harbor running in one terminal:
    .venv/bin/harbor-replication simulate --port 8080 --task-duration 3
  and in another:
    export HARBOR_URL=http://127.0.0.1:8080 HARBOR_USERNAME=admin HARBOR_SECRET=Harbor12345
    .venv/bin/harbor-replication policies list
    .venv/bin/harbor-replication start 1 --wait
    .venv/bin/harbor-replication policies update 1 --description "nginx only" --disabled
    .venv/bin/harbor-replication -o yaml policies show 1
    .venv/bin/harbor-replication --help
  Or point HARBOR_URL at a real Harbor (a robot account with system permissions works).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harbor_replication.demo", description=__doc__)
    parser.add_argument(
        "--task-duration",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="how long each simulated task runs (default %(default)s)",
    )
    args = parser.parse_args(argv)
    config = SimulatorConfig(
        task_duration=args.task_duration,
        task_concurrency=3,
        retry_backoff_scale=args.task_duration * RETRY_BACKOFF_SCALE_PER_TASK_SECOND,
    )
    poll_interval = max(min(args.task_duration / 4, 0.5), 0.02)
    with HarborSimulator(config) as harbor:
        ok = scenario(harbor, poll_interval, settle=DEFAULT_SETTLE * config.retry_backoff_scale)
    console.print("\nThe simulator is stopped.")
    console.print(NEXT_STEPS)
    if not ok:
        console.print("[red]Some commands did not end as expected (see above).[/]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
