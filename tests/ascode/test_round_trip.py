"""Round trips on any set of registries and policies (hypothesis, against simulated Harbors):
apply to an empty Harbor, export, and nothing is left to do; that export applied to a second
empty Harbor makes the two the same but for secrets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from harbor_replication import ReplicationClient
from harbor_replication.ascode import (
    LOCAL,
    Document,
    apply,
    everything_owned,
    export,
    make_plan,
    parse_document,
    plan,
    read_state,
)
from harbor_replication.ascode._document import secret_variable
from harbor_replication.simulator import HarborSimulator
from tests.support import ADMIN

NAME = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10).filter(
    lambda name: name != LOCAL
)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
WORD = st.text("abcdefghijklmnopqrstuvwxyz*/-", min_size=1, max_size=12)


def registry() -> st.SearchStrategy[dict[str, Any]]:
    credential = st.none() | st.fixed_dictionaries(
        {"access_key": WORD, "access_secret": st.sampled_from(["${A_SECRET}", "${B_SECRET}"])}
    )
    return st.fixed_dictionaries(
        {
            "type": st.sampled_from(["harbor", "docker-registry", "quay"]),
            "description": TEXT,
            "insecure": st.booleans(),
            "ca_certificate": st.sampled_from(["", "-----BEGIN CERTIFICATE-----\nMII=\n"]),
            "credential": credential,
        }
    )


def filters() -> st.SearchStrategy[list[dict[str, Any]]]:
    one_of_each: st.SearchStrategy[dict[str, dict[str, Any]]] = st.fixed_dictionaries(
        {},
        optional={
            "name": st.fixed_dictionaries({"type": st.just("name"), "value": WORD}),
            "tag": st.fixed_dictionaries(
                {"type": st.just("tag"), "value": WORD},
                optional={"decoration": st.sampled_from(["matches", "excludes"])},
            ),
            "label": st.fixed_dictionaries(
                {"type": st.just("label"), "value": st.lists(WORD, min_size=1, max_size=3)}
            ),
            "resource": st.fixed_dictionaries(
                {"type": st.just("resource"), "value": st.sampled_from(["image", "artifact"])}
            ),
        },
    )
    return one_of_each.flatmap(lambda chosen: st.permutations(list(chosen.values())))


@st.composite
def documents(draw: st.DrawFn) -> Document:
    registries = draw(st.dictionaries(NAME, registry(), min_size=1, max_size=3))
    for name, body in registries.items():
        body["url"] = f"https://{name}.example.com"
        if body["credential"] is None:
            del body["credential"]
    policies: dict[str, Any] = {}
    for name in draw(st.lists(NAME, max_size=4, unique=True)):
        remote = draw(st.sampled_from(sorted(registries)))
        pull = draw(st.booleans())
        trigger = draw(st.sampled_from(["manual", "event_based", "scheduled"]))
        policies[name] = {
            "src_registry": remote if pull else LOCAL,
            "dest_registry": LOCAL if pull else remote,
            "description": draw(TEXT),
            "dest_namespace": draw(st.sampled_from(["", "mirror", "dr/team"])),
            "dest_namespace_replace_count": draw(st.integers(-1, 3)),
            "filters": draw(filters()),
            "trigger": {"type": trigger}
            if trigger != "scheduled"
            else {"type": trigger, "cron": f"0 {draw(st.integers(0, 59))} 2 * * *"},
            "override": draw(st.booleans()),
            "replicate_deletion": draw(st.booleans()),
            "speed": draw(st.integers(0, 100_000)),
            "copy_by_chunk": draw(st.booleans()),
            "single_active_replication": trigger != "event_based" and draw(st.booleans()),
            "enabled": draw(st.booleans()),
        }
    return parse_document({"registries": registries, "policies": policies}, "drawn.yaml")


@pytest.fixture(scope="module")
def two_harbors(empty_seed: Any) -> Iterator[tuple[HarborSimulator, HarborSimulator]]:
    from harbor_replication.simulator import SimulatorConfig

    config = SimulatorConfig(seed=empty_seed, task_duration=0.01)
    with HarborSimulator(config) as first, HarborSimulator(config) as second:
        yield first, second


def every_secret(document: Document) -> dict[str, str]:
    """A value for each ``${...}`` the document names."""
    return {
        secret_variable(spec.credential.access_secret): "s3cret"
        for spec in document.registries.values()
        if spec.credential is not None and spec.credential.access_secret
    }


def admin_client(harbor: HarborSimulator) -> ReplicationClient:
    return ReplicationClient(harbor.url, username=ADMIN[0], secret=ADMIN[1])


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents())
def test_apply_export_and_copy_to_a_second_harbor_round_trip(
    two_harbors: tuple[HarborSimulator, HarborSimulator], document: Document
) -> None:
    first, second = two_harbors
    first.state.reset()
    second.state.reset()
    with admin_client(first) as a, admin_client(second) as b:
        apply(a, document, plan(a, document), environ=every_secret(document))
        assert plan(a, document).in_sync
        exported = export(a)
        assert exported.policies == document.policies
        assert plan(a, exported).in_sync

        apply(b, exported, plan(b, exported), environ=every_secret(exported))
        differences = make_plan(
            everything_owned(exported), read_state(b), prune=True, target="second"
        )
        assert differences.steps == ()
        assert len(differences.unchanged) == len(document.registries) + len(document.policies)
