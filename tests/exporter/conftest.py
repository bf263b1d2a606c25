"""Fixtures of the exporter tests: a simulated Harbor of their own on a frozen clock, an
exporter serving /metrics over HTTP, and a scrape parsed with prometheus-client's parser."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from harbor_replication import AsyncReplicationClient
from harbor_replication.exporter import ReplicationExporter
from harbor_replication.simulator import HarborSimulator, SimulatorConfig
from tests.support import ADMIN, FrozenClock, freeze_clock

# Repositories whose name holds "fail" fail to copy in the simulator, every time Harbor's
# job service tries; one with ``failures: N`` fails N times, then its retry succeeds.
SEED = {
    "registries": [
        {
            "name": "hub",
            "type": "docker-hub",
            "url": "https://hub.docker.com",
            "credential": {"type": "basic", "access_key": "", "access_secret": ""},
            "artifacts": [
                {"repository": "library/nginx", "tags": ["1.27"]},
                {"repository": "team/fail-build", "tags": ["1.0"]},
                {"repository": "library/flaky-sync", "tags": ["0.9"], "failures": 1},
            ],
        }
    ],
    "policies": [
        {
            "name": name,
            "src_registry": {"id": 1},
            "dest_namespace": "mirror",
            "filters": [{"type": "name", "value": repository}],
            "trigger": {"type": "manual"},
            "enabled": enabled,
            "single_active_replication": name == "mirror-single",
        }
        for name, repository, enabled in [
            ("mirror-ok", "library/nginx", True),
            ("mirror-broken", "team/fail-build", True),
            ("mirror-flaky", "library/flaky-sync", True),
            ("mirror-off", "library/nginx", False),
            ("mirror-idle", "library/nginx", True),
            ("mirror-single", "library/nginx", True),
        ]
    ],
}
# Policy ids, in the seed's order.
OK, BROKEN, FLAKY, OFF, IDLE, SINGLE = 1, 2, 3, 4, 5, 6
SETTLE = 130.0

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@dataclass
class Scraped:
    """One scrape of /metrics: every sample by name and labels."""

    samples: Samples

    def value(self, name: str, **labels: str | int) -> float | None:
        key = (name, frozenset((k, str(v)) for k, v in labels.items()))
        return self.samples.get(key)

    def policy(self, name: str, policy_id: int, **labels: str) -> float | None:
        """A sample of one policy (its name label filled in from the seed)."""
        policy_name = SEED["policies"][policy_id - 1]["name"]  # type: ignore[index]
        return self.value(name, policy_id=policy_id, policy_name=policy_name, **labels)

    def statuses(self, policy_id: int) -> dict[str, float]:
        """The status series of one policy: status -> 0 or 1."""
        return {
            dict(labels)["status"]: value
            for (name, labels), value in self.samples.items()
            if name == "harbor_replication_last_execution_status"
            and ("policy_id", str(policy_id)) in labels
        }

    @property
    def policy_samples(self) -> Samples:
        """The samples that have a ``policy_id`` label."""
        return {key: value for key, value in self.samples.items() if "policy_id" in dict(key[1])}

    @property
    def names(self) -> set[str]:
        return {name for name, _ in self.samples}


def parse(text: str) -> Scraped:
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return Scraped(samples)


@dataclass
class Live:
    """The simulator, its frozen clock, and the exporter serving at ``url``."""

    harbor: HarborSimulator
    clock: FrozenClock
    client: AsyncReplicationClient
    exporter: ReplicationExporter
    url: str
    garbage: Garbage

    async def scrape(self) -> Scraped:
        async with httpx.AsyncClient() as http:
            response = await http.get(self.url + "/metrics")
        response.raise_for_status()
        return parse(response.text)

    async def refresh_and_scrape(self) -> Scraped:
        await self.exporter.refresh()
        return await self.scrape()


class Garbage:
    """What the scenario's Harbor answers every API request with while ``body`` is set: a
    200 that is not Harbor's answer (the simulator's faults are all HTTP errors or cuts)."""

    def __init__(self) -> None:
        self.body: bytes | None = None


class GarbageAnswers:
    """ASGI middleware answering ``garbage.body`` with a 200 while it is set."""

    def __init__(self, app: ASGIApp, garbage: Garbage) -> None:
        self.app = app
        self.garbage = garbage

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self.garbage.body
        if scope["type"] != "http" or body is None:
            await self.app(scope, receive, send)
            return
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@pytest.fixture
def garbage() -> Garbage:
    return Garbage()


@pytest.fixture
def scenario_harbor(tmp_path: Path, garbage: Garbage) -> Iterator[HarborSimulator]:
    """A simulated Harbor holding the scenario's policies (1 s tasks, Harbor's own retry
    backoff of 16 s or more on the frozen clock); its answers
    are not checked against Harbor's description, as tests inject proxy faults."""
    seed = tmp_path / "seed.yaml"
    seed.write_text(yaml.safe_dump(SEED), encoding="utf-8")
    config = SimulatorConfig(
        task_duration=1.0, seed=seed, middleware=[Middleware(GarbageAnswers, garbage=garbage)]
    )
    with HarborSimulator(config) as harbor:
        yield harbor


@pytest.fixture
async def live(
    scenario_harbor: HarborSimulator, garbage: Garbage, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Live]:
    """An exporter on the scenario's Harbor, serving on a free port; no retries, so a
    refresh against a failing Harbor fails at once."""
    clock = freeze_clock(scenario_harbor, monkeypatch)
    async with AsyncReplicationClient(
        scenario_harbor.url, username=ADMIN[0], secret=ADMIN[1], max_retries=0
    ) as client:
        exporter = ReplicationExporter(
            client, interval=3600, refresh_timeout=0.5, settle=SETTLE, clock=clock
        )
        async with exporter.serve_http("127.0.0.1", 0) as url:
            yield Live(scenario_harbor, clock, client, exporter, url, garbage)
