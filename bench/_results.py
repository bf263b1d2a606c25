"""What the benchmark measures (scenarios) and what it records (results)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench._contenders import Contender
from bench._server import Seeded


@dataclass
class Result:
    scenario: str
    latency_ms: float
    client: str
    flavour: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    requests: int | None = None
    items: int | None = None
    unit: str = "s"

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None


@dataclass(frozen=True)
class Scenario:
    name: str
    work: Callable[[Contender, Seeded], Callable[[], Any]]
    # Repetitions at 0 ms and at any other latency: the slow runs are repeated less.
    repeats: tuple[int, int]
    # The optional Contender method the scenario needs; contenders without it sit it out.
    needs: str | None = None

    def runs(self, contender: Contender) -> bool:
        if self.needs is None:
            return True
        return getattr(type(contender), self.needs) is not getattr(Contender, self.needs)
