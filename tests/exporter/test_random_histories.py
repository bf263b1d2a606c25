"""Against random histories, each policy's newest execution and last success as the exporter
finds them (walking the newest pages, reading some policies one by one, keeping what the
previous refresh knew) are what reading the whole history says."""

from __future__ import annotations

import random

import pytest

from harbor_replication.exporter import Snapshot
from tests.exporter.conftest import SEED, Live

POLICIES = len(SEED["policies"])  # type: ignore[arg-type]
STATUSES = ["Succeed", "Succeed", "Failed", "Stopped"]


def add_history(live: Live, rng: random.Random, runs: int) -> None:
    """``runs`` finished executions of policies drawn at random, one simulated second apart;
    some policies get none, some get bursts that bury the others."""
    weights = [rng.choice([0, 1, 5, 50]) for _ in range(POLICIES)]
    if not any(weights):
        return
    for _ in range(runs):
        [policy_id] = rng.choices(range(1, POLICIES + 1), weights)
        live.harbor.state.add_finished_executions(policy_id, 1, 1, status=rng.choice(STATUSES))
        live.clock.advance(1)


async def truth(live: Live) -> dict[int, tuple[int | None, int | None]]:
    """Policy -> (newest execution id, newest Succeed execution id), from every execution."""
    found: dict[int, tuple[int | None, int | None]] = {
        p: (None, None) for p in range(1, POLICIES + 1)
    }
    for execution in await live.client.get_replications(page_size=100):
        assert isinstance(execution.policy_id, int)
        newest, success = found[execution.policy_id]
        if newest is None:
            newest = execution.id  # type: ignore[assignment]
        if success is None and execution.status == "Succeed":
            success = execution.id  # type: ignore[assignment]
        found[execution.policy_id] = (newest, success)
    return found


def seen(snapshot: Snapshot | None) -> dict[int, tuple[int | None, int | None]]:
    assert snapshot is not None
    return {p.policy_id: (p.last_execution_id, p.last_success_id) for p in snapshot.policies}


@pytest.mark.parametrize("seed", range(12))
async def test_the_search_agrees_with_the_whole_history(live: Live, seed: int) -> None:
    rng = random.Random(seed)
    add_history(live, rng, rng.randrange(0, 400))

    first = await live.exporter.refresh()
    assert first.up
    assert seen(first.snapshot) == await truth(live)

    add_history(live, rng, rng.randrange(0, 250))
    second = await live.exporter.refresh()
    assert second.up
    assert seen(second.snapshot) == await truth(live)
