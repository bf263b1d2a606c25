"""The benchmark's Harbor: the simulator in its own process, seeded, with injected latency.

Run as ``python -m bench._server LATENCY_MS``: it prints one JSON line (``url`` and the ids
of the seeded objects) and serves until its standard input closes. Its own process keeps
the simulator's CPU time out of the clients' measurements.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:
    from harbor_replication.simulator import SimulatorConfig

EXECUTIONS = 5_000
# The executions of the concurrent listings scenario: 26 pages of 20 each.
SHARED_EXECUTIONS = 520
CONCURRENT_LISTINGS = 100
BIG_TASKS = 50_000
SMALL_TASKS = 5_000


class RequestCounter:
    """ASGI middleware counting the requests served, so a scenario can say how many it sent.

    ``GET /bench/requests`` answers the count so far (itself not counted). The latency is
    the simulator's own fault injection (``FaultConfig(latency=...)``), not this.
    """

    requests = 0

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if scope["path"].endswith("/bench/requests"):
                await _send_count(send)
                return
            RequestCounter.requests += 1
        await self.app(scope, receive, send)


async def _send_count(send: Send) -> None:
    body = str(RequestCounter.requests).encode()
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass(frozen=True)
class Seeded:
    """What the benchmark server holds, and where."""

    url: str
    policy_id: int
    execution_id: int
    big_execution_id: int
    small_execution_id: int
    shared_policy_id: int

    @property
    def api_url(self) -> str:
        return self.url + "/api/v2.0"

    def requests(self) -> int:
        """Requests served so far (not counting this one)."""
        return served_requests(self.url)


def served_requests(url: str) -> int:
    """Requests the benchmark server at ``url`` has served (not counting this one)."""
    import httpx

    return int(httpx.get(url + "/bench/requests").text)


def bench_config(**changes: Any) -> SimulatorConfig:
    """The simulator of a benchmark server: instant tasks, requests counted, the latency in
    milliseconds its command line gives."""
    from harbor_replication.simulator import FaultConfig, SimulatorConfig

    latency = float(sys.argv[1]) / 1000
    return SimulatorConfig(
        task_duration=0.0,
        middleware=[Middleware(RequestCounter)],
        faults=FaultConfig(latency=latency),
        **changes,
    )


def main() -> None:
    from harbor_replication.simulator import HarborSimulator

    with HarborSimulator(bench_config()) as harbor:
        state = harbor.state

        def manual_policy(name: str) -> int:
            body = {
                "name": name,
                "src_registry": {"id": 1},
                "dest_namespace": "bench",
                "trigger": {"type": "manual"},
                "enabled": True,
            }
            return state.create_policy(body, "admin")

        policy_id = manual_policy("bench")
        executions = state.add_finished_executions(policy_id, EXECUTIONS)
        other = manual_policy("bench-tasks")
        shared = manual_policy("bench-shared")
        state.add_finished_executions(shared, SHARED_EXECUTIONS)
        big = state.add_finished_execution(other, BIG_TASKS)
        small = state.add_finished_execution(other, SMALL_TASKS)
        seeded = Seeded(harbor.url, policy_id, executions[-1], big, small, shared)
        # The simulator sorts a listing on its first request; do that before any timing.
        state.list_executions(policy_id, None, None, [])
        state.list_executions(shared, None, None, [])
        for execution_id in (big, small):
            state.list_tasks(execution_id, None, None, [])
        print(json.dumps(seeded.__dict__), flush=True)
        sys.stdin.read()  # until the benchmark closes our input


@contextmanager
def serve(latency_ms: float) -> Iterator[Seeded]:
    """Start the benchmark server in a child process; stop it on exit."""
    with serve_module("bench._server", latency_ms) as fields:
        yield Seeded(**fields)


@contextmanager
def serve_module(module: str, *arguments: object) -> Iterator[dict[str, Any]]:
    """Run ``python -m module ARGUMENTS...`` until the block ends; yield its JSON line."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, *map(str, arguments)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the benchmark server {module} did not start")
        fields: dict[str, Any] = json.loads(line)
        yield fields
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
