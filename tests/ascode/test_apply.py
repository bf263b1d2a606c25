"""Plan and apply against simulated Harbors, with the blocking and the asyncio shells alike."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from harbor_replication import AsyncReplicationClient, ReplicationClient
from harbor_replication.ascode import (
    Document,
    Plan,
    Step,
    async_apply,
    async_export,
    async_plan,
    load_document,
    parse_document,
)
from harbor_replication.simulator import HarborSimulator
from tests.ascode.conftest import DOCUMENT, SECRETS
from tests.support import ADMIN, close, make_client

NewHarbor = Callable[..., HarborSimulator]
USER, SECRET = ADMIN


class Shell:
    """The blocking or the asyncio shell behind one awaitable face."""

    def __init__(self, kind: str, url: str) -> None:
        self.kind = kind
        self.client = make_client(kind, url)

    async def plan(self, document: Document, **options: Any) -> Plan:
        if isinstance(self.client, AsyncReplicationClient):
            return await async_plan(self.client, document, **options)
        from harbor_replication.ascode import plan

        return plan(self.client, document, **options)

    async def apply(self, document: Document, steps: Plan, **options: Any) -> None:
        options.setdefault("environ", SECRETS)
        if isinstance(self.client, AsyncReplicationClient):
            await async_apply(self.client, document, steps, **options)
            return
        from harbor_replication.ascode import apply

        apply(self.client, document, steps, **options)

    async def export(self) -> Document:
        if isinstance(self.client, AsyncReplicationClient):
            return await async_export(self.client)
        from harbor_replication.ascode import export

        return export(self.client)

    async def converge(self, document: Document, **options: Any) -> None:
        await self.apply(document, await self.plan(document, **options))


@pytest.fixture
async def shell(kind: str, empty_harbor: HarborSimulator) -> Any:
    made = Shell(kind, empty_harbor.url)
    yield made
    await close(made.client)


def names(harbor: HarborSimulator) -> tuple[list[str], list[str]]:
    """Every registry and policy name the simulator holds, duplicates kept."""
    return (
        sorted(r.name for r in harbor.state.registries.values()),
        sorted(p.name for p in harbor.state.policies.values()),
    )


def secrets_stored(harbor: HarborSimulator) -> dict[str, str]:
    return {r.name: r.access_secret for r in harbor.state.registries.values()}


def summary(plan: Plan) -> list[tuple[str, str, str]]:
    return [(s.action, s.kind, s.name) for s in plan.steps]


async def test_apply_to_an_empty_harbor_then_nothing_is_left_to_do(
    shell: Shell, empty_harbor: HarborSimulator
) -> None:
    document = load_document(DOCUMENT, "team.yaml")
    first = await shell.plan(document)
    assert summary(first) == [
        ("create", "registry", "dr"),
        ("create", "registry", "hub"),
        ("create", "policy", "team-pull"),
        ("create", "policy", "team-push"),
    ]
    done: list[Step] = []
    await shell.apply(document, first, on_step=done.append)
    assert sorted(summary(first)) == sorted((s.action, s.kind, s.name) for s in done)

    again = await shell.plan(document)
    assert again.in_sync
    assert again.counts() == {"create": 0, "update": 0, "delete": 0, "unchanged": 4}
    assert again.notes == (
        "registries.dr: a changed secret cannot be seen (Harbor masks it); --force-secrets "
        "sends it anyway",
        "registries.hub: a changed secret cannot be seen (Harbor masks it); --force-secrets "
        "sends it anyway",
    )
    assert secrets_stored(empty_harbor) == {"dr": "dr-s3cret", "hub": "hub-s3cret"}
    exported = await shell.export()
    assert exported.policies == document.policies
    assert (await shell.plan(exported)).in_sync


async def test_an_update_changes_the_named_fields_and_resets_nothing(
    shell: Shell, empty_harbor: HarborSimulator
) -> None:
    document = load_document(DOCUMENT, "team.yaml")
    await shell.converge(document)
    data = yaml.safe_load(DOCUMENT)
    data["policies"]["team-pull"]["description"] = "changed"
    data["registries"]["hub"]["description"] = "the hub"
    changed = parse_document(data, "team.yaml")
    steps = await shell.plan(changed)
    assert [(s.action, s.name, [c.field for c in s.changes]) for s in steps.steps] == [
        ("update", "hub", ["description"]),
        ("update", "team-pull", ["description"]),
    ]
    assert steps.steps[1].changes[0].before == "nox from Docker Hub".replace("nox", "nginx")
    await shell.apply(changed, steps)
    assert (await shell.plan(changed)).in_sync
    assert secrets_stored(empty_harbor) == {"dr": "dr-s3cret", "hub": "hub-s3cret"}


async def test_force_secrets_sends_every_secret_again(
    shell: Shell, empty_harbor: HarborSimulator
) -> None:
    document = load_document(DOCUMENT, "team.yaml")
    await shell.converge(document)
    forced = await shell.plan(document, force_secrets=True)
    assert [(s.name, [c.field for c in s.changes]) for s in forced.steps] == [
        ("dr", ["credential.access_secret"]),
        ("hub", ["credential.access_secret"]),
    ]
    await shell.apply(document, forced, environ={"HUB_SECRET": "new-hub", "DR_SECRET": "new-dr"})
    assert secrets_stored(empty_harbor) == {"dr": "new-dr", "hub": "new-hub"}


# --- drift in every field ------------------------------------------------------------------

POLICY_DRIFT: list[tuple[str, dict[str, Any]]] = [
    ("description", {"description": "edited in the UI"}),
    ("dest_namespace", {"dest_namespace": "elsewhere"}),
    ("dest_namespace_replace_count", {"dest_namespace_replace_count": 0}),
    ("filters", {"filters": [{"type": "name", "value": "library/**"}]}),
    ("trigger", {"trigger": {"type": "manual"}}),
    ("override", {"override": False}),
    ("replicate_deletion", {"deletion": True, "replicate_deletion": True}),
    ("speed", {"speed": 1}),
    ("copy_by_chunk", {"copy_by_chunk": True}),
    ("single_active_replication", {"single_active_replication": True}),
    ("enabled", {"enabled": False}),
    ("src_registry", {"src_registry": {"name": "dr"}}),
]


@pytest.mark.parametrize(("field", "edit"), POLICY_DRIFT, ids=[f for f, _ in POLICY_DRIFT])
def test_drift_in_any_policy_field_is_named_exactly(
    empty_harbor: HarborSimulator, field: str, edit: dict[str, Any]
) -> None:
    from harbor_replication.ascode import apply, plan

    document = load_document(DOCUMENT, "team.yaml")
    with ReplicationClient(empty_harbor.url, username=USER, secret=SECRET) as harbor:
        apply(harbor, document, plan(harbor, document), environ=SECRETS)
        [policy] = harbor.get_replication_policies(query={"name": "team-pull"})
        assert isinstance(policy.id, int)
        if "src_registry" in edit:  # by id, which the test learns only now
            edit = {"src_registry": {"id": harbor.get_registries(query={"name": "dr"})[0].id}}
        body = {**policy.to_dict(), **edit}
        harbor.update_replication_policy(policy.id, body)

        drift = plan(harbor, document)
        assert [(s.action, s.name) for s in drift.steps] == [("update", "team-pull")]
        assert [c.field for c in drift.steps[0].changes] == [field]
        apply(harbor, document, drift, environ=SECRETS)
        assert plan(harbor, document).in_sync


REGISTRY_DRIFT: list[tuple[str, dict[str, Any]]] = [
    ("url", {"url": "https://mirror.example.com"}),
    ("description", {"description": "edited"}),
    ("insecure", {"insecure": True}),
    ("credential", {"access_key": "someone-else"}),
    ("ca_certificate", {"ca_certificate": "-----BEGIN CERTIFICATE-----"}),
]


@pytest.mark.parametrize(("field", "edit"), REGISTRY_DRIFT, ids=[f for f, _ in REGISTRY_DRIFT])
def test_drift_in_any_registry_field_is_named_exactly(
    empty_harbor: HarborSimulator, field: str, edit: dict[str, Any]
) -> None:
    from harbor_replication.ascode import apply, plan

    document = load_document(DOCUMENT, "team.yaml")
    with ReplicationClient(empty_harbor.url, username=USER, secret=SECRET) as harbor:
        apply(harbor, document, plan(harbor, document), environ=SECRETS)
        [registry] = harbor.get_registries(query={"name": "dr"})
        assert isinstance(registry.id, int)
        harbor.update_registry(registry.id, edit)

        drift = plan(harbor, document)
        assert [(s.action, s.name) for s in drift.steps] == [("update", "dr")]
        assert [c.field for c in drift.steps[0].changes] == [field]
        apply(harbor, document, drift, environ=SECRETS)
        assert plan(harbor, document).in_sync
        assert empty_harbor.state.registries[registry.id].access_secret == "dr-s3cret"


def test_filters_stored_in_another_order_are_no_drift(empty_harbor: HarborSimulator) -> None:
    from harbor_replication.ascode import apply, plan

    document = load_document(DOCUMENT, "team.yaml")
    with ReplicationClient(empty_harbor.url, username=USER, secret=SECRET) as harbor:
        apply(harbor, document, plan(harbor, document), environ=SECRETS)
        for policy in harbor.get_replication_policies():
            assert isinstance(policy.id, int)
            body = policy.to_dict()
            body["filters"] = list(reversed(body["filters"]))
            for item in body["filters"]:
                if isinstance(item["value"], list):
                    item["value"].reverse()
            harbor.update_replication_policy(policy.id, body)
        assert plan(harbor, document).in_sync


# --- pruning ---------------------------------------------------------------------------------


def test_pruning_deletes_only_what_the_document_owns_and_only_when_asked(
    empty_harbor: HarborSimulator,
) -> None:
    from harbor_replication.ascode import apply, plan

    document = load_document(DOCUMENT, "team.yaml")
    with ReplicationClient(empty_harbor.url, username=USER, secret=SECRET) as harbor:
        apply(harbor, document, plan(harbor, document), environ=SECRETS)
        hub = harbor.get_registries(query={"name": "hub"})[0].id
        for name in ("team-old", "someone-elses"):
            harbor.create_replication_policy(
                {"name": name, "src_registry": {"id": hub}, "enabled": True}
            )
        harbor.create_registry({"name": "spare", "type": "harbor", "url": "https://s.example"})
        outside = harbor.get_replication_policies(query={"name": "someone-elses"})[0]

        shown = plan(harbor, document)
        assert shown.in_sync
        assert [(s.action, s.kind, s.name) for s in shown.not_pruned] == [
            ("delete", "policy", "team-old")
        ]

        pruned = plan(harbor, document, prune=True)
        assert summary(pruned) == [("delete", "policy", "team-old")]
        apply(harbor, document, pruned, environ=SECRETS)
        assert names(empty_harbor) == (
            ["dr", "hub", "spare"],
            ["someone-elses", "team-pull", "team-push"],
        )
        assert harbor.get_replication_policy(outside.id).to_dict() == outside.to_dict()  # type: ignore[arg-type]

        # Dropping the hub, which the document owns, would orphan a policy it does not own.
        data = yaml.safe_load(DOCUMENT)
        del data["registries"]["hub"]
        del data["policies"]["team-pull"]
        with pytest.raises(
            ValueError, match="pruning it is refused, policies still use it: someone-elses"
        ):
            plan(harbor, parse_document(data, "team.yaml"), prune=True)


# --- faults and interruptions ----------------------------------------------------------------


def many_policies(count: int) -> Document:
    data = yaml.safe_load(DOCUMENT)
    for number in range(count):
        data["policies"][f"team-{number:03}"] = {
            "src_registry": "hub",
            "dest_registry": "local",
            "filters": [{"type": "name", "value": f"app{number}/**"}],
        }
    return parse_document(data, "many.yaml")


async def test_apply_under_faults_converges_on_the_next_runs_without_duplicates(
    kind: str, new_harbor: NewHarbor
) -> None:
    import httpx

    from harbor_replication import HarborError
    from harbor_replication.simulator import TRANSIENT_FAULTS

    empty_harbor = new_harbor(contract=False)
    document = many_policies(40)
    outside = ReplicationClient(empty_harbor.url, username=USER, secret=SECRET)
    outside.create_registry({"name": "theirs", "type": "harbor", "url": "https://t.example"})
    outside.close()
    client = make_client(
        kind, empty_harbor.url, timeout=httpx.Timeout(2.0, read=0.5), max_retries=10
    )
    shell = Shell(kind, empty_harbor.url)
    await close(shell.client)
    shell.client = client
    schedule = [each for kind_ in TRANSIENT_FAULTS for each in (kind_, None)]
    empty_harbor.faults.set(schedule=schedule, rate=0.2, seed=7, stall=60.0, retry_after="0")
    runs = 0
    try:
        while True:
            runs += 1
            try:
                steps = await shell.plan(document, prune=True)
                if steps.in_sync:
                    break
                await shell.apply(document, steps)
            except HarborError:
                assert runs < 20, "no convergence in 20 runs"
    finally:
        await close(client)
    assert set(empty_harbor.faults.injected) == set(TRANSIENT_FAULTS)
    empty_harbor.faults.clear()
    registries, policies = names(empty_harbor)
    assert registries == ["dr", "hub", "theirs"]
    assert policies == sorted(document.policies)


def test_an_apply_interrupted_by_ctrl_c_converges_on_the_next_run(
    empty_harbor: HarborSimulator,
) -> None:
    from harbor_replication.ascode import apply, plan

    document = many_policies(20)
    done: list[Step] = []

    def interrupt_after_five(step: Step) -> None:
        done.append(step)
        if len(done) == 5:
            raise KeyboardInterrupt

    with ReplicationClient(empty_harbor.url, username=USER, secret=SECRET) as harbor:
        with pytest.raises(KeyboardInterrupt):
            apply(
                harbor,
                document,
                plan(harbor, document),
                environ=SECRETS,
                on_step=interrupt_after_five,
                concurrency=1,
            )
        assert len(empty_harbor.state.policies) == 3
        rest = plan(harbor, document)
        assert rest.counts()["create"] == 19
        apply(harbor, document, rest, environ=SECRETS)
        assert plan(harbor, document).in_sync
    assert names(empty_harbor) == (["dr", "hub"], sorted(document.policies))


async def test_an_async_apply_cancelled_midway_converges_on_the_next_run(
    empty_harbor: HarborSimulator,
) -> None:
    document = many_policies(30)
    five_done = asyncio.Event()
    done: list[Step] = []

    def count(step: Step) -> None:
        done.append(step)
        if len(done) == 5:
            five_done.set()

    async with AsyncReplicationClient(empty_harbor.url, username=USER, secret=SECRET) as harbor:
        steps = await async_plan(harbor, document)
        task = asyncio.ensure_future(
            async_apply(harbor, document, steps, environ=SECRETS, on_step=count, concurrency=4)
        )
        await five_done.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert len(empty_harbor.state.policies) < 30
        await async_apply(harbor, document, await async_plan(harbor, document), environ=SECRETS)
        assert (await async_plan(harbor, document)).in_sync
    assert names(empty_harbor) == (["dr", "hub"], sorted(document.policies))


# --- versions ---------------------------------------------------------------------------------


def test_an_older_harbor_refuses_what_it_cannot_store_and_takes_the_rest(
    new_harbor: NewHarbor,
) -> None:
    from harbor_replication import ascode

    old = new_harbor("v2.13.4")
    data = yaml.safe_load(DOCUMENT)
    data["policies"]["team-pull"]["single_active_replication"] = True
    data["registries"]["dr"]["ca_certificate"] = "-----BEGIN CERTIFICATE-----"
    with ReplicationClient(old.url, username=USER, secret=SECRET) as harbor:
        with pytest.raises(ascode.DocumentError) as caught:
            ascode.plan(harbor, parse_document(data, "team.yaml"), target="old")
        assert caught.value.problems == [
            "team.yaml: policies.team-pull.single_active_replication: old runs Harbor v2.13.4, "
            "which has no such field (Harbor 2.14 added it)",
            "team.yaml: registries.dr.ca_certificate: old runs Harbor v2.13.4, which has no "
            "such field (Harbor 2.15 added it)",
        ]
        assert old.state.registries == {}
        # Spelt out at their defaults, as an export of a v2.15 Harbor writes them: accepted.
        document = load_document(DOCUMENT, "team.yaml")
        ascode.apply(harbor, document, ascode.plan(harbor, document), environ=SECRETS)
        assert ascode.plan(harbor, document).in_sync
