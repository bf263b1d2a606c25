"""The document format: what it accepts, how it names mistakes, what a target's version refuses."""

from __future__ import annotations

import json

import pytest
import yaml

from harbor_replication.ascode import (
    DocumentError,
    FilterSpec,
    check_target,
    load_document,
    parse_document,
    resolve_secrets,
)
from tests.ascode.conftest import DOCUMENT


def problems(text: str) -> list[str]:
    with pytest.raises(DocumentError) as caught:
        load_document(text, "team.yaml")
    return caught.value.problems


def test_a_document_reads_every_field_and_writes_back_equal() -> None:
    document = load_document(DOCUMENT, "team.yaml")
    pull = document.policies["team-pull"]
    assert pull.src_registry == "hub"
    assert pull.dest_registry == "local"
    assert pull.trigger == "scheduled"
    assert pull.cron == "0 0 2 * * *"
    assert pull.speed == 2048
    assert pull.dest_namespace_replace_count == 1
    assert pull.enabled is True  # the document's default
    assert pull.filters == (
        FilterSpec("name", "library/**"),
        FilterSpec("tag", "*-rc*", "excludes"),
    )
    push = document.policies["team-push"]
    assert push.filters == (FilterSpec("label", ("gold", "prod")), FilterSpec("resource", "image"))
    assert (push.trigger, push.replicate_deletion, push.copy_by_chunk, push.enabled) == (
        "event_based",
        True,
        True,
        False,
    )
    assert document.registries["hub"].credential is not None
    assert document.registries["hub"].credential.access_secret == "${HUB_SECRET}"
    assert document.owned_policies is not None
    assert document.owned_policies.owns("team-x")
    assert document.owned_registries is not None
    assert document.owned_registries.owns("hub")
    assert not document.owned_registries.owns("dr")

    written = yaml.safe_dump(document.to_data())
    assert load_document(written, "again.yaml") == load_document(DOCUMENT, "again.yaml")
    as_json = json.dumps(document.to_data())
    assert load_document(as_json, "again.json").policies == document.policies


def test_filters_in_another_order_are_the_same_policy() -> None:
    data = yaml.safe_load(DOCUMENT)
    data["policies"]["team-pull"]["filters"].reverse()
    data["policies"]["team-push"]["filters"][0]["value"].reverse()
    assert parse_document(data).policies == load_document(DOCUMENT).policies


def test_every_mistake_is_named_by_file_object_and_field() -> None:
    found = problems(
        """
registries:
  hub: {type: docker-hub, url: ftp://x, credential: {access_key: a, access_secret: plain}}
  local: {type: harbor, url: https://x}
policies:
  p1:
    src_registry: hub
    dest_registry: local
    trigger: {type: scheduled, cron: "* * * * * *"}
    filters: [{type: name, value: a, decoration: excludes}, {type: resource, value: chart}]
    speed: -1
    enabled: "yes"
    colour: blue
  p2: {src_registry: local, dest_registry: local}
  p3:
    src_registry: hub
    dest_registry: local
    trigger: {type: event_based}
    single_active_replication: true
"""
    )
    assert found == [
        "team.yaml: registries.hub.url: expected an http:// or https:// URL",
        "team.yaml: registries.hub.credential.access_secret: a secret is written as a "
        "reference to an environment variable, like ${HUB_SECRET}",
        "team.yaml: registries.local: 'local' is reserved for the Harbor a policy is applied to",
        "team.yaml: policies.p1: unknown field(s) colour (known: src_registry, dest_registry, "
        "description, dest_namespace, dest_namespace_replace_count, filters, trigger, override, "
        "replicate_deletion, speed, copy_by_chunk, single_active_replication, enabled)",
        "team.yaml: policies.p1.trigger.cron: the first (seconds) field must be 0",
        "team.yaml: policies.p1.filters[0].decoration: only tag and label filters take one",
        "team.yaml: policies.p1.filters[1].value: expected one of image, artifact",
        "team.yaml: policies.p1.speed: must be 0 or more, got -1",
        "team.yaml: policies.p1.enabled: expected bool, got 'yes'",
        "team.yaml: policies.p2: exactly one of src_registry and dest_registry must be 'local' "
        "(got 'local' and 'local')",
        "team.yaml: policies.p3.single_active_replication: Harbor refuses it with an "
        "event_based trigger",
    ]


def test_not_yaml_and_not_a_mapping_are_refused() -> None:
    assert problems("policies: [")[0].startswith("team.yaml: not YAML or JSON:")
    assert problems("- a\n- b\n") == [
        "team.yaml: expected a mapping with registries: and policies:"
    ]
    assert problems("owns: {policies: {prefix: ''}}\n") == [
        "team.yaml: owns.policies: owns nothing: give a non-empty prefix or names"
    ]


@pytest.mark.parametrize(
    ("version", "refused"),
    [
        ("v2.13.4", ["single_active_replication", "ca_certificate"]),
        ("v2.14.1", ["ca_certificate"]),
        ("v2.15.2-1a2b3c4d", []),
    ],
)
def test_fields_the_target_version_lacks_are_refused(version: str, refused: list[str]) -> None:
    data = yaml.safe_load(DOCUMENT)
    data["policies"]["team-pull"]["single_active_replication"] = True
    data["registries"]["dr"]["ca_certificate"] = "-----BEGIN CERTIFICATE-----"
    document = parse_document(data, "team.yaml")
    expected = {
        "single_active_replication": "team.yaml: policies.team-pull.single_active_replication: "
        f"dr-site runs Harbor {version}, which has no such field (Harbor 2.14 added it)",
        "ca_certificate": "team.yaml: registries.dr.ca_certificate: dr-site runs Harbor "
        f"{version}, which has no such field (Harbor 2.15 added it)",
    }
    if not refused:
        check_target(document, version, "dr-site")
        return
    with pytest.raises(DocumentError) as caught:
        check_target(document, version, "dr-site")
    assert caught.value.problems == [expected[name] for name in refused]


def test_defaults_an_older_harbor_behaves_as_are_not_refused() -> None:
    # An export of a v2.15 Harbor spells single_active_replication: false everywhere.
    check_target(load_document(DOCUMENT), "v2.11.2", "old")


def test_secrets_come_from_the_environment_and_a_missing_one_is_named() -> None:
    document = load_document(DOCUMENT, "team.yaml")
    assert resolve_secrets(document, {"HUB_SECRET": "a", "DR_SECRET": "b"}) == {
        "dr": "b",
        "hub": "a",
    }
    with pytest.raises(DocumentError) as caught:
        resolve_secrets(document, {"HUB_SECRET": "a"})
    assert caught.value.problems == [
        "team.yaml: registries.dr.credential.access_secret: environment variable DR_SECRET "
        "is not set"
    ]
