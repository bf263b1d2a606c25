"""The benchmark's table (Markdown, for the terminal and the README) and its chart."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench._results import Result

RAW = {"sync": "httpx (raw)", "async": "httpx async (raw)"}
HARBORAPI = "harborapi"


def _groups(results: Sequence[Result]) -> dict[tuple[str, float], list[Result]]:
    groups: dict[tuple[str, float], list[Result]] = {}
    for result in results:
        groups.setdefault((result.scenario, result.latency_ms), []).append(result)
    return groups


def _ratio(result: Result, base: Result | None) -> float | None:
    if base is None or base is result or not base.wall_median:
        return None
    return result.wall_median / base.wall_median


def ratios(group: list[Result]) -> dict[str, tuple[float | None, float | None]]:
    """Per client: its median over raw httpx's (same flavour) and over harborapi's."""
    by_name = {r.client: r for r in group}
    found = {}
    for result in group:
        raw = by_name.get(RAW[result.flavour]) or by_name.get(RAW["sync"])
        found[result.client] = (_ratio(result, raw), _ratio(result, by_name.get(HARBORAPI)))
    return found


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.1f} MB"
    return f"{value:.0f} ms"


def _times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def full_table(results: Sequence[Result]) -> str:
    """Every client in every scenario, one row each (Markdown)."""
    lines = [
        "| Scenario | Latency | Client | Median | CPU | vs raw httpx | vs harborapi | Requests |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (scenario, latency), group in _groups(results).items():
        found = ratios(group)
        for result in group:
            raw, harborapi = found[result.client]
            cells = [
                scenario,
                f"{latency:g} ms" if result.unit == "s" else "",
                result.client,
                _value(result.wall_median, result.unit),
                _value(result.cpu_median, result.unit),
                _times(raw),
                _times(harborapi),
                "" if result.requests is None else str(result.requests),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


OURS = ["harbor-replication sync", "harbor-replication async", "harbor-replication async+aiohttp"]
PEERS = [HARBORAPI, "harbor-api-client"]


def summary_table(results: Sequence[Result]) -> str:
    """One row per scenario and latency: medians, then (vs raw httpx / vs harborapi)."""
    header = ["Scenario", "Latency", "raw httpx sync / async"]
    header += [name.removeprefix("harbor-replication ") for name in OURS] + PEERS
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    for (scenario, latency), group in _groups(results).items():
        by_name = {r.client: r for r in group}
        if group[0].unit == "ms":
            continue  # start-up times: see startup_lines()
        found = ratios(group)
        raw = [by_name.get(name) for name in RAW.values()]
        cells = [
            scenario,
            f"{latency:g} ms" if group[0].unit == "s" else "",
            " / ".join(_value(r.wall_median, r.unit) for r in raw if r is not None),
        ]
        for name in OURS + PEERS:
            result = by_name.get(name)
            if result is None:
                cells.append("")
                continue
            shown = [_times(value) for value in found[name] if value is not None]
            extra = f" ({' / '.join(shown)})" if shown else ""
            cells.append(_value(result.wall_median, result.unit) + extra)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _median(results: Sequence[Result], scenario: str, client: str) -> Result | None:
    for result in results:
        if result.scenario.startswith(scenario) and result.client == client:
            return result
    return None


def startup_lines(results: Sequence[Result]) -> list[str]:
    """Import and ``--help`` times, one line per client."""
    lines = []
    for result in results:
        if result.scenario in ("import time", "CLI --help (whole process)"):
            what = "--help" if result.scenario.startswith("CLI") else "import"
            lines.append(f"- {what}, {result.client}: {_value(result.wall_median, result.unit)}")
    return lines


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def target_lines(results: Sequence[Result]) -> list[str]:
    """The performance targets README's Performance section sets, each with the numbers that
    decide it."""
    lines = []
    per_call = []
    for one in results:
        if one.scenario.startswith("get_replication") and one.client in OURS[:2]:
            raw = ratios(_groups(results)[(one.scenario, one.latency_ms)])[one.client][0]
            if raw is not None:
                per_call.append((one.client, one.latency_ms, raw))
    if per_call:
        worst = max(value for _, _, value in per_call)
        shown = ", ".join(f"{c.split()[-1]} {lat:g} ms {v:.2f}x" for c, lat, v in per_call)
        lines.append(f"- Per call within 1.15x of raw httpx: {shown}: {_met(worst <= 1.15)}")
    for page_size in (100, 10):
        scenario = f"list 5,000 executions, page_size {page_size}"
        group = _groups(results).get((scenario, 10.0))
        if not group:
            continue
        found = ratios(group)
        sync = found.get(OURS[0], (None, None))[1]
        speedup = found.get(OURS[1], (None, None))[1]
        if speedup is not None:
            lines.append(
                f"- 5,000 executions at 10 ms, page_size {page_size}: async {1 / speedup:.1f}x "
                f"faster than harborapi (target 4x): {_met(1 / speedup >= 4)}"
            )
        if sync is not None:
            lines.append(
                f"- 5,000 executions at 10 ms, page_size {page_size}: sync at {sync:.2f}x "
                f"harborapi's time (target <= 1x): {_met(sync <= 1)}"
            )
    for statement, client, limit in [
        ("import harbor_replication", "harbor-replication", 150.0),
        ("from harbor_replication import ReplicationClient", OURS[0], 150.0),
    ]:
        result = _median(results, "import time", client)
        if result is not None:
            value = result.wall_median
            lines.append(
                f"- `{statement}` {value:.0f} ms (target < {limit:.0f}): {_met(value < limit)}"
            )
    client_import = _median(results, "import time", OURS[0])
    httpx_import = _median(results, "import time", RAW["sync"])
    if client_import is not None and httpx_import is not None and httpx_import.wall_median:
        ratio = client_import.wall_median / httpx_import.wall_median
        lines.append(
            f"- `from harbor_replication import ReplicationClient` within 1.15x of "
            f"`import httpx` (same run): {ratio:.2f}x: {_met(ratio <= 1.15)}"
        )
    result = _median(results, "CLI --help", "harbor-replication")
    if result is not None:
        value = result.wall_median
        lines.append(
            f"- `harbor-replication --help` {value:.0f} ms (target < 400): {_met(value < 400)}"
        )
    for client in OURS[:2]:
        result = _median(results, "peak growth", client)
        if result is not None:
            value = result.wall_median
            lines.append(
                f"- Peak growth 50,000 vs 5,000 tasks, {client.split()[-1]}: {value:.1f} MB "
                f"(target <= 10): {_met(value <= 10)}"
            )
    stops = [r for r in results if r.scenario.startswith("first 10") and r.client in OURS]
    if stops:
        counts = sorted({r.requests for r in stops if r.requests is not None})
        lines.append(f"- Stopping after 10 items: {counts} request(s) sent: {_met(counts == [1])}")
    return lines


def draw_chart(results: Sequence[Result], path: Path) -> Path:
    """Bars of each client's time over raw httpx's and over harborapi's, per timed scenario."""
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    timed = {key: group for key, group in _groups(results).items() if group[0].unit == "s"}
    clients = list(dict.fromkeys(r.client for group in timed.values() for r in group))
    clients = [c for c in clients if c not in RAW.values()]
    colours = {client: f"C{index}" for index, client in enumerate(clients)}
    labels = [f"{textwrap.fill(scenario, 16)}\n@ {latency:g} ms" for scenario, latency in timed]
    figure, axes = plt.subplots(2, 1, figsize=(14, 10), sharex=True)
    figure.suptitle(
        "harbor-replication benchmarks: median wall time as a ratio (log scale, lower is better)",
        fontsize=13,
    )
    panels = [
        (axes[0], 0, "vs raw httpx + json of the same flavour (sync or async)", clients),
        (axes[1], 1, "vs harborapi", [c for c in clients if c != HARBORAPI]),
    ]
    for axis, which, title, shown in panels:
        width = 0.8 / max(len(shown), 1)
        plotted: list[float] = []
        for index, client in enumerate(shown):
            values = []
            for group in timed.values():
                value = ratios(group).get(client, (None, None))[which]
                values.append(value if value is not None else float("nan"))
            plotted += [value for value in values if value == value]
            offset = (index - len(shown) / 2 + 0.5) * width
            positions = [n + offset for n in range(len(labels))]
            bars = axis.bar(positions, values, width, label=client, color=colours[client])
            axis.bar_label(bars, fmt="%.2g", fontsize=6, rotation=90, padding=2)
        axis.axhline(1.0, color="black", linewidth=0.8)
        axis.set_yscale("log")
        ticks = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
        axis.yaxis.set_major_locator(FixedLocator(ticks))
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}x"))
        axis.yaxis.set_minor_locator(NullLocator())
        axis.grid(axis="y", linewidth=0.3)
        axis.set_title(title, fontsize=11)
        axis.set_ylabel("time ratio")
        if plotted:  # room above the tallest bar for its label
            axis.set_ylim(min(plotted) / 1.6, max(plotted) * 2.5)
    handles, names = axes[0].get_legend_handles_labels()
    figure.legend(handles, names, loc="upper center", ncols=len(names), bbox_to_anchor=(0.5, 0.955))
    axes[1].set_xticks(range(len(labels)), labels, fontsize=8)
    figure.tight_layout(rect=(0, 0, 1, 0.93))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
