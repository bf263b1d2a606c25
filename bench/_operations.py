"""The failure report at scale: 1,000 executions, 500 failed tasks, 10 ms per request.

The report reads each failed task's log; this compares reading them ``log_concurrency`` at a
time (the default, 8) with one by one, for both clients. Its own simulator process
(``python -m bench._operations LATENCY_MS``, one JSON line with its url, serves until its
standard input closes), so the simulator's CPU time stays out of the measurement.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import statistics
import sys
import time

from bench._server import serve_module

EXECUTIONS = 1_000
FAILED_EXECUTIONS = 250
TASKS_PER_FAILED = 2  # 500 failed tasks, 500 logs to read
LATENCY_MS = 10.0
CONCURRENCY = 8
FAILURE = (
    "failed to pull the manifest of artifact bulk/repo:v: http status code: 429, body: "
    "toomanyrequests: You have reached your pull rate limit"
)


def main() -> None:
    from harbor_replication.simulator import FaultConfig, HarborSimulator, SimulatorConfig

    latency = float(sys.argv[1]) / 1000
    config = SimulatorConfig(task_duration=0.0, faults=FaultConfig(latency=latency))
    with HarborSimulator(config) as harbor:
        state = harbor.state
        policy_id = state.create_policy(
            {"name": "bench-report", "src_registry": {"id": 1}, "enabled": True}, "admin"
        )
        state.add_finished_executions(
            policy_id, FAILED_EXECUTIONS, TASKS_PER_FAILED, "Failed", FAILURE
        )
        state.add_finished_executions(policy_id, EXECUTIONS - FAILED_EXECUTIONS)
        print(json.dumps({"url": harbor.url, "policy_id": policy_id}), flush=True)
        sys.stdin.read()


def _sync_report(url: str, concurrency: int) -> int:
    from harbor_replication import ReplicationClient, operations

    with ReplicationClient(url, username="admin", secret="Harbor12345") as client:
        report = operations.failure_report(
            client, since=datetime.timedelta(days=1), settle=0, log_concurrency=concurrency
        )
    return sum(p.failed_tasks for p in report.policies)


def _async_report(url: str, concurrency: int) -> int:
    from harbor_replication import AsyncReplicationClient, async_operations

    async def run() -> int:
        async with AsyncReplicationClient(url, username="admin", secret="Harbor12345") as client:
            report = await async_operations.failure_report(
                client, since=datetime.timedelta(days=1), settle=0, log_concurrency=concurrency
            )
        return sum(p.failed_tasks for p in report.policies)

    return asyncio.run(run())


def run(quick: bool) -> list[dict[str, object]]:
    """Time each client's report at 8 logs at once and one by one; medians and ratios."""
    repeats = 1 if quick else 3
    rows: list[dict[str, object]] = []
    print(
        f"  report over {EXECUTIONS:,} executions, {FAILED_EXECUTIONS * TASKS_PER_FAILED} "
        f"failed tasks at {LATENCY_MS:g} ms, {repeats} run(s) each",
        flush=True,
    )
    with serve_module("bench._operations", LATENCY_MS) as seeded:
        url = str(seeded["url"])
        for flavour, report in (("sync", _sync_report), ("async", _async_report)):
            times: dict[int, list[float]] = {CONCURRENCY: [], 1: []}
            for _ in range(repeats):
                for concurrency in (CONCURRENCY, 1):
                    started = time.perf_counter()
                    failed = report(url, concurrency)
                    times[concurrency].append(time.perf_counter() - started)
                    expected = FAILED_EXECUTIONS * TASKS_PER_FAILED
                    assert failed == expected, (flavour, concurrency, failed)
            concurrent = statistics.median(times[CONCURRENCY])
            sequential = statistics.median(times[1])
            rows.append(
                {
                    "client": flavour,
                    "concurrent_s": round(concurrent, 3),
                    "one_by_one_s": round(sequential, 3),
                    "speed_up": round(sequential / concurrent, 2),
                }
            )
    return rows


def lines(rows: list[dict[str, object]]) -> list[str]:
    """The summary's lines for these results."""
    head = (
        f"Failure report over {EXECUTIONS:,} executions with "
        f"{FAILED_EXECUTIONS * TASKS_PER_FAILED} failed tasks at {LATENCY_MS:g} ms "
        f"(logs {CONCURRENCY} at a time vs one by one):"
    )
    return [head] + [
        f"- {row['client']}: {row['concurrent_s']} s vs {row['one_by_one_s']} s, "
        f"{row['speed_up']}x faster"
        for row in rows
    ]


if __name__ == "__main__":
    main()
