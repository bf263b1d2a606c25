"""The exporter's benchmark: one refresh against 1,000 policies and 100,000 executions.

Run as ``python -m bench._exporter LATENCY_MS`` it is the seeded simulator (a child
process of ``make bench``, as in :mod:`bench._server`); :func:`exporter_lines` measures a
first refresh, a steady one, and beside them the floor (the policy pages and the execution
pages that hold every policy's newest execution) and reading the whole history.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Coroutine
from typing import Any

from bench._server import bench_config, serve_module, served_requests

POLICIES = 1_000
EXECUTIONS_PER_POLICY = 100
# Every tenth policy's newest executions failed (their last success lies deeper).
FAILING_EVERY = 10
FAILED_RUNS = 5
PAGE = 100


def main() -> None:
    from harbor_replication.simulator import HarborSimulator

    config = bench_config(executions_retained_per_policy=EXECUTIONS_PER_POLICY)
    with HarborSimulator(config) as harbor:
        state = harbor.state
        for policy_id in list(state.policies):  # the built-in seed's
            state.delete_policy(policy_id)
        now = state.clock()
        # One frozen moment: every policy's history spans the same times, interleaved.
        state.clock = lambda: now
        for number in range(POLICIES):
            policy_id = state.create_policy(
                {
                    "name": f"bench-{number:04d}",
                    "src_registry": {"id": 1},
                    "dest_namespace": "bench",
                    "trigger": {"type": "manual"},
                    "enabled": True,
                },
                "admin",
            )
            failing = number % FAILING_EVERY == 0
            succeeded = EXECUTIONS_PER_POLICY - (FAILED_RUNS if failing else 0)
            state.add_finished_executions(policy_id, succeeded, 1)
            if failing:
                state.clock = lambda: now + FAILED_RUNS
                state.add_finished_executions(policy_id, FAILED_RUNS, 1, status="Failed")
                state.clock = lambda: now
        state.clock = lambda: now + 3600  # an hour later: every failure has settled
        state.list_executions(None, None, None, [])  # sorted once, before any timing
        print(json.dumps({"url": harbor.url}), flush=True)
        sys.stdin.read()


def _timed(url: str, work: Callable[[], Coroutine[Any, Any, object]]) -> tuple[float, int]:
    before = served_requests(url)
    started = time.perf_counter()
    asyncio.run(work())
    return time.perf_counter() - started, served_requests(url) - before


def exporter_lines(latency_ms: float) -> list[str]:
    """Seconds and requests of each way to read the same history, one line each."""
    from harbor_replication import AsyncReplicationClient
    from harbor_replication.exporter import ReplicationExporter

    executions = POLICIES * EXECUTIONS_PER_POLICY
    with serve_module("bench._exporter", latency_ms) as fields:
        url = fields["url"]

        def client() -> AsyncReplicationClient:
            return AsyncReplicationClient(url, username="admin", secret="Harbor12345")

        async def refreshes() -> None:
            async with client() as harbor:
                exporter = ReplicationExporter(harbor)
                for _ in range(2):
                    started = time.perf_counter()
                    state = await exporter.refresh()
                    assert state.up, state.last_error
                    assert state.snapshot is not None
                    assert len(state.snapshot.policies) == POLICIES
                    times.append((time.perf_counter() - started, state.last_refresh_requests))

        async def floor() -> None:
            async with client() as harbor:
                await harbor.get_replication_policies(page_size=PAGE)
                await harbor.get_replications(page_size=PAGE, limit=POLICIES)

        async def whole_history() -> None:
            async with client() as harbor:
                await harbor.get_replications(page_size=PAGE)

        times: list[tuple[float, int | None]] = []
        _timed(url, refreshes)
        floor_time, floor_requests = _timed(url, floor)
        whole_time, whole_requests = _timed(url, whole_history)
    (first, first_requests), (steady, steady_requests) = times
    return [
        f"exporter refresh, {POLICIES:,} policies, {executions:,} executions, "
        f"{latency_ms:g} ms (every {FAILING_EVERY}th policy's newest {FAILED_RUNS} failed):",
        f"  first refresh   {first * 1000:7.0f} ms  {first_requests} requests",
        f"  next refresh    {steady * 1000:7.0f} ms  {steady_requests} requests",
        f"  floor (policies + newest {POLICIES:,} executions)"
        f"  {floor_time * 1000:7.0f} ms  {floor_requests} requests",
        f"  whole history   {whole_time * 1000:7.0f} ms  {whole_requests} requests",
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main()
    else:
        print("\n".join(exporter_lines(10.0)))
