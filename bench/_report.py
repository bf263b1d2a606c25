"""The benchmark's table (Markdown, for the terminal and the README) and its chart."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.__main__ import Result

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


def print_table(results: Sequence[Result]) -> None:
    print()
    print("| Scenario | Latency | Client | Median | CPU | vs raw httpx | vs harborapi | Requests |")
    print("|---|---|---|---|---|---|---|---|")
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
            print("| " + " | ".join(cells) + " |")


def draw_chart(results: Sequence[Result], path: Path) -> Path:
    """Bars of each client's time over raw httpx's, per timed scenario (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    timed = {key: group for key, group in _groups(results).items() if group[0].unit == "s"}
    clients = list(dict.fromkeys(r.client for group in timed.values() for r in group))
    clients = [c for c in clients if c not in RAW.values()]
    labels = [f"{scenario}\n{latency:g} ms" for scenario, latency in timed]
    figure, axes = plt.subplots(2, 1, figsize=(13, 9), sharex=True)
    width = 0.8 / max(len(clients), 1)
    for panel, (axis, which, title) in enumerate(
        [
            (axes[0], 0, "time / raw httpx of the same flavour (lower is better)"),
            (axes[1], 1, "time / harborapi (lower is better)"),
        ]
    ):
        for index, client in enumerate(clients):
            values = []
            for group in timed.values():
                value = ratios(group).get(client, (None, None))[which]
                values.append(value if value is not None else float("nan"))
            positions = [n + (index - len(clients) / 2 + 0.5) * width for n in range(len(labels))]
            axis.bar(positions, values, width, label=client)
        axis.axhline(1.0, color="black", linewidth=0.8)
        axis.set_yscale("log")
        axis.set_title(title)
        if panel == 0:
            axis.legend(fontsize=8, ncols=3)
    axes[1].set_xticks(range(len(labels)), labels, fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
