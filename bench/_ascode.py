"""Replication as code at scale: plan of 1,000 policies, apply of 1,000 creates.

``python -m bench._ascode`` runs these scenarios alone (``make bench`` runs them too), each
against a simulator in a child process with 10 ms injected on every request:

- plan of a document of 1,000 policies against a Harbor holding those 1,000: its time and
  requests against one listing pass of the policies (pages of 100), and against a second;
- apply of 1,000 creates with the default bounded concurrency against one at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bench._server import RequestCounter, Seeded, serve_module

POLICIES = 1_000
LATENCY_MS = 10.0
USERNAME, SECRET = "admin", "Harbor12345"


def serve_main(latency_ms: float, policies: int) -> None:
    """The child process: a simulator holding ``policies`` pull policies named bench-NNNN."""
    from starlette.middleware import Middleware

    from harbor_replication.simulator import FaultConfig, HarborSimulator, SimulatorConfig

    config = SimulatorConfig(
        task_duration=0.0,
        middleware=[Middleware(RequestCounter)],
        faults=FaultConfig(latency=latency_ms / 1000),
    )
    with HarborSimulator(config) as harbor:
        for number in range(policies):
            harbor.state.create_policy(_policy(f"bench-{number:04}"), "admin")
        print(json.dumps({"url": harbor.url}), flush=True)
        sys.stdin.read()  # until the benchmark closes our input


def _policy(name: str) -> dict[str, object]:
    return {
        "name": name,
        "src_registry": {"id": 1},
        "dest_namespace": "bench",
        "filters": [{"type": "name", "value": f"{name}/**"}],
        "trigger": {"type": "manual"},
        "enabled": True,
    }


@contextmanager
def serve(policies: int) -> Iterator[Seeded]:
    with serve_module("bench._ascode", "--serve", LATENCY_MS, policies) as fields:
        yield Seeded(fields["url"], 0, 0, 0, 0, 0)


async def _plan_scenario(seeded: Seeded) -> list[str]:
    from harbor_replication import AsyncReplicationClient
    from harbor_replication.ascode import async_export, async_plan

    async with AsyncReplicationClient(seeded.url, username=USERNAME, secret=SECRET) as harbor:
        document = await async_export(harbor)
        assert len(document.policies) >= POLICIES
        before = seeded.requests()
        started = time.perf_counter()
        await harbor.get_replication_policies(page_size=100)
        listing = time.perf_counter() - started
        listing_requests = seeded.requests() - before

        before = seeded.requests()
        started = time.perf_counter()
        plan = await async_plan(harbor, document)
        planning = time.perf_counter() - started
        plan_requests = seeded.requests() - before
    assert plan.in_sync, plan.counts()
    ratio = planning / listing
    return [
        f"- plan of {len(document.policies):,} policies against as many existing, "
        f"{LATENCY_MS:g} ms latency: {planning * 1000:.0f} ms, {plan_requests} requests; one "
        f"listing pass of the policies: {listing * 1000:.0f} ms, {listing_requests} requests "
        f"({ratio:.2f}x the time of one pass; target: about 1 pass, well under a second: "
        f"{'met' if planning < 1.0 and plan_requests <= listing_requests + 3 else 'NOT met'})"
    ]


async def _apply_creates(seeded: Seeded, concurrency: int) -> tuple[float, float, int]:
    from harbor_replication import AsyncReplicationClient
    from harbor_replication.ascode import async_apply, async_plan, parse_document

    document = parse_document(
        {
            "policies": {
                f"new-{number:04}": {
                    "src_registry": "docker-hub",
                    "dest_registry": "local",
                    "filters": [{"type": "name", "value": f"new-{number:04}/**"}],
                }
                for number in range(POLICIES)
            }
        },
        "bench.yaml",
    )
    async with AsyncReplicationClient(seeded.url, username=USERNAME, secret=SECRET) as harbor:
        plan = await async_plan(harbor, document)
        assert plan.counts()["create"] == POLICIES
        before = seeded.requests()
        started, cpu = time.perf_counter(), time.process_time()
        await async_apply(harbor, document, plan, concurrency=concurrency, environ={})
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        requests = seeded.requests() - before
        assert (await async_plan(harbor, document)).in_sync
    return elapsed, cpu, requests


def run(quick: bool = False) -> list[str]:
    """Both scenarios; the report's lines."""
    del quick  # each scenario runs once: the apply alone takes ~15 s one at a time
    lines = ["Replication as code (bench/_ascode.py):"]
    with serve(POLICIES) as seeded:
        lines += asyncio.run(_plan_scenario(seeded))
    timings = {}
    for concurrency in (8, 1):
        with serve(0) as seeded:
            timings[concurrency] = asyncio.run(_apply_creates(seeded, concurrency))
    (bounded, bounded_cpu, bounded_requests), (serial, serial_cpu, _) = timings[8], timings[1]
    speedup = serial / bounded
    lines.append(
        f"- apply of {POLICIES:,} creates, {LATENCY_MS:g} ms latency: {bounded:.2f} s at "
        f"concurrency 8 ({bounded_requests} requests), {serial:.2f} s one by one: "
        f"{speedup:.1f}x faster (target >= 5x: {'met' if speedup >= 5 else 'NOT met'}); "
        f"the client's CPU time {bounded_cpu:.2f} s and {serial_cpu:.2f} s (concurrency hides "
        "latency, not CPU: on a busy machine the ratio falls)"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench._ascode", description=__doc__)
    parser.add_argument("--serve", nargs=2, metavar=("LATENCY_MS", "POLICIES"), help="internal")
    args = parser.parse_args()
    if args.serve:
        serve_main(float(args.serve[0]), int(args.serve[1]))
        return 0
    print("\n".join(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
