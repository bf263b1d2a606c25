"""``python -m bench`` (``make bench``): run every scenario, print the table, save results.

``--quick`` runs each timed scenario once (a smoke run); ``--latency`` picks the injected
latencies (default 0 and 10 ms); ``--only TEXT...`` runs only the timed scenarios whose name
holds one of the TEXTs; ``--clients TEXT...`` runs only the clients whose name holds one.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from bench import _operations as operations_bench
from bench._ascode import run as ascode_scenarios
from bench._contenders import Contender, available
from bench._exporter import exporter_lines
from bench._report import draw_chart, full_table, startup_lines, summary_table, target_lines
from bench._results import Result, Scenario
from bench._server import (
    BIG_TASKS,
    CONCURRENT_LISTINGS,
    EXECUTIONS,
    SHARED_EXECUTIONS,
    SMALL_TASKS,
    Seeded,
    serve,
)

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent


SCENARIOS = [
    Scenario(
        "get_replication x1000",
        lambda c, s: lambda: c.get(s.execution_id, 1000),
        (5, 1),
    ),
    Scenario(
        f"list {EXECUTIONS:,} executions, page_size 100",
        lambda c, s: lambda: c.list_executions(s.policy_id, 100),
        (5, 3),
    ),
    Scenario(
        f"list {EXECUTIONS:,} executions, page_size 10",
        lambda c, s: lambda: c.list_executions(s.policy_id, 10),
        (3, 1),
    ),
    Scenario(
        f"{CONCURRENT_LISTINGS} concurrent listings on one client, "
        f"{SHARED_EXECUTIONS} executions, page_size 20",
        lambda c, s: lambda: c.list_concurrently(s.shared_policy_id, CONCURRENT_LISTINGS, 20),
        (3, 2),
        needs="list_concurrently",
    ),
    Scenario(
        f"first 10 of {BIG_TASKS:,} tasks",
        lambda c, s: lambda: c.first_tasks(s.big_execution_id, 10),
        (5, 3),
    ),
]


def measure(contender: Contender, work: Callable[[], Any], result: Result) -> None:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    items = contender.run(work)
    result.wall.append(time.perf_counter() - wall)
    result.cpu.append(time.process_time() - cpu)
    result.items = items


def timed_scenarios(
    seeded: Seeded, latency: float, contenders: list[Contender], quick: bool, only: list[str] | None
) -> list[Result]:
    results: list[Result] = []
    for scenario in SCENARIOS:
        if only is not None and not any(text in scenario.name for text in only):
            continue
        repeats = 1 if quick else scenario.repeats[0 if latency == 0 else 1]
        running = [c for c in contenders if scenario.runs(c)]
        by_client = {c.name: Result(scenario.name, latency, c.name, c.flavour) for c in running}
        started = time.perf_counter()
        for run in range(repeats):
            # Round robin, so drift on the machine spreads over every client alike.
            for contender in running:
                result = by_client[contender.name]
                before = seeded.requests() if run == 0 else 0
                measure(contender, scenario.work(contender, seeded), result)
                if run == 0:
                    result.requests = seeded.requests() - before
        _progress(f"{scenario.name} at {latency:g} ms, {repeats} run(s) each", started)
        results.extend(by_client.values())
    return results


def _progress(message: str, started: float) -> None:
    print(f"  {message} ({time.perf_counter() - started:.0f} s)", flush=True)


def memory_scenario(seeded: Seeded, contenders: list[Contender]) -> list[Result]:
    """Peak traced memory while going through 5,000 and 50,000 tasks, 100 a page."""
    results: list[Result] = []
    started = time.perf_counter()
    for contender in contenders:
        if not contender.traced_memory:
            continue
        peaks = {}
        for size, execution_id in [
            (SMALL_TASKS, seeded.small_execution_id),
            (BIG_TASKS, seeded.big_execution_id),
        ]:
            gc.collect()
            tracemalloc.start()
            try:
                items = contender.run(partial(contender.all_tasks, execution_id))
                peaks[size] = tracemalloc.get_traced_memory()[1] / 1e6
            finally:
                tracemalloc.stop()
            assert items == size, (contender.name, items, size)
        for size, peak in peaks.items():
            result = Result(
                f"peak memory, {size:,} tasks", 0, contender.name, contender.flavour, unit="MB"
            )
            result.wall.append(peak)
            result.items = size
            results.append(result)
        growth = Result(
            f"peak growth, {BIG_TASKS:,} vs {SMALL_TASKS:,} tasks",
            0,
            contender.name,
            contender.flavour,
            unit="MB",
        )
        growth.wall.append(peaks[BIG_TASKS] - peaks[SMALL_TASKS])
        results.append(growth)
        _progress(
            f"peak memory over {SMALL_TASKS:,} and {BIG_TASKS:,} tasks, {contender.name}", started
        )
    return results


IMPORTS = [
    ("harbor-replication", "sync", "import harbor_replication"),
    ("harbor-replication sync", "sync", "from harbor_replication import ReplicationClient"),
    ("harbor-replication async", "async", "from harbor_replication import AsyncReplicationClient"),
    ("httpx (raw)", "sync", "import httpx"),
    ("harborapi", "async", "import harborapi"),
    ("harbor-api-client", "sync", "import harbor_client"),
]


def startup_scenarios(quick: bool) -> list[Result]:
    """Import times (measured inside a fresh interpreter) and ``--help`` wall times."""
    runs = 3 if quick else 9
    results: list[Result] = []
    print(f"  import and CLI start-up, {runs} fresh processes each", flush=True)
    for client, flavour, statement in IMPORTS:
        result = Result("import time", 0, client, flavour, unit="ms")
        result.items = None
        code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
            )
            if done.returncode != 0:
                break
            result.wall.append(float(done.stdout) * 1000)
        if result.wall:
            results.append(result)
    commands = [
        ("python (no imports)", [sys.executable, "-c", "pass"]),
        ("harbor-replication", [str(Path(sys.executable).parent / "harbor-replication"), "--help"]),
    ]
    for client, command in commands:
        result = Result("CLI --help (whole process)", 0, client, "sync", unit="ms")
        for _ in range(runs):
            start = time.perf_counter()
            finished = subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
            if finished.returncode != 0:
                break
            result.wall.append((time.perf_counter() - start) * 1000)
        if result.wall:
            results.append(result)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run per timed scenario")
    parser.add_argument(
        "--latency", type=float, nargs="+", default=[0.0, 10.0], metavar="MS", help="injected"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="TEXT",
        help="run only the timed scenarios whose name holds a TEXT (no memory, no start-up)",
    )
    parser.add_argument(
        "--clients", nargs="+", metavar="TEXT", help="only the clients whose name holds a TEXT"
    )
    args = parser.parse_args()

    contenders = [
        c for c in available() if args.clients is None or any(t in c.name for t in args.clients)
    ]
    print("clients:", ", ".join(c.name for c in contenders))
    results: list[Result] = []
    started = time.perf_counter()
    for latency in args.latency:
        with serve(latency) as seeded:
            for contender in contenders:
                contender.run(partial(contender.open, seeded))
                contender.run(partial(contender.get, seeded.execution_id, 3))  # warm up
            results.extend(timed_scenarios(seeded, latency, contenders, args.quick, args.only))
            if latency == 0 and args.only is None:
                results.extend(memory_scenario(seeded, contenders))
            for contender in contenders:
                contender.shutdown()
    as_code: list[str] = []
    report_rows: list[dict[str, object]] = []
    exporter: list[str] = []
    if args.only is None:
        results.extend(startup_scenarios(args.quick))
        print("  replication as code: plan of 1,000 policies, apply of 1,000 creates", flush=True)
        as_code = ascode_scenarios(args.quick)
        report_rows = operations_bench.run(args.quick)
        exporter_latency = max(args.latency)
        print(f"  exporter refresh at {exporter_latency:g} ms", flush=True)
        exporter = exporter_lines(exporter_latency)
    elapsed = time.perf_counter() - started

    summary = "\n".join(
        [
            summary_table(results),
            "",
            *startup_lines(results),
            "",
            "Targets:",
            *target_lines(results),
            "",
            *as_code,
            "",
            *(operations_bench.lines(report_rows) if report_rows else []),
            "",
            *exporter,
            "",
            f"{elapsed:.0f} s in all; {repeat_note(args.quick)}",
        ]
    )
    print("\n" + summary)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report = f"{summary}\n\nEvery client in every scenario:\n\n{full_table(results)}\n"
    for name in (f"results-{stamp}.md", "latest.md"):
        (RESULTS / name).write_text(report, encoding="utf-8")
    document = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "quick": args.quick,
        "results": [
            {**asdict(r), "wall_median": r.wall_median, "cpu_median": r.cpu_median} for r in results
        ],
        "failure_report": report_rows,
    }
    for name in (f"results-{stamp}.json", "latest.json"):
        (RESULTS / name).write_text(json.dumps(document, indent=2), encoding="utf-8")
    chart = draw_chart(results, RESULTS / "ratios.png")
    print(f"wrote {RESULTS / 'latest.md'} (with the full table), latest.json and {chart}")
    return 0


def repeat_note(quick: bool) -> str:
    if quick:
        return "--quick: one run per timed scenario"
    parts = [f"{s.name}: {s.repeats[0]} runs at 0 ms, {s.repeats[1]} at 10 ms" for s in SCENARIOS]
    return "medians of " + "; ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
