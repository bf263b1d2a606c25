"""``registries list|show|create|update|delete|ping|info|adapters``."""

from __future__ import annotations

import json
from collections.abc import Callable

import yaml

from harbor_replication import ReplicationClient, location_id
from harbor_replication.models import Registry, RegistryInfo, RegistryProviderInfo
from tests.cli.conftest import Run


def test_list_and_show(run: Run) -> None:
    table = run("registries", "list")
    assert table.exit_code == 0
    assert "docker-hub" in table.stdout
    assert "harbor-dr" in table.stdout
    registries = [
        Registry.from_dict(r) for r in json.loads(run("-o", "json", "registries", "list").stdout)
    ]
    assert {r.name for r in registries} >= {"docker-hub", "harbor-dr"}

    shown = json.loads(run("-o", "json", "registries", "show", "2").stdout)
    assert shown["name"] == "harbor-dr"
    assert shown["credential"]["access_secret"] == "*****"


def test_create_ping_and_delete(
    run: Run, client: ReplicationClient, unique: Callable[[str], str]
) -> None:
    name = unique("registry")
    created = run(
        "-o", "json", "registries", "create", "--name", name, "--type", "harbor",
        "--url", f"https://{name}.example.com", "--access-key", "robot$cli",
        "--access-secret", "S3cret!",
    )  # fmt: skip
    assert created.exit_code == 0, created.stderr
    registry = Registry.from_dict(json.loads(created.stdout))
    assert "S3cret!" not in created.stdout

    ping = run("registries", "ping", str(registry.id))
    assert ping.exit_code == 0
    assert f"Harbor reaches registry {registry.id}" in ping.stdout

    declined = run("registries", "delete", str(registry.id), input="n\n")
    assert declined.exit_code == 4
    deleted = run("registries", "delete", "--yes", str(registry.id))
    assert deleted.exit_code == 0
    assert name not in [r.name for r in client.get_registries()]


def test_ping_of_an_unreachable_url_is_an_api_error(run: Run) -> None:
    result = run("registries", "ping", "--url", "https://nowhere.invalid", "--type", "harbor")
    assert result.exit_code == 5
    assert "the registry is unhealthy" in result.stderr
    assert run("registries", "ping").exit_code == 4


def test_update_changes_only_the_given_fields(
    run: Run, client: ReplicationClient, unique: Callable[[str], str]
) -> None:
    name = unique("registry")
    registry_id = location_id(
        client.create_registry(
            {"name": name, "type": "harbor", "url": f"https://{name}.example.com"}
        )
    )
    updated = run(
        "-o", "json", "registries", "update", str(registry_id), "--description", "second site",
        "--access-key", "robot$new", "--access-secret", "N3w!", "--skip-tls-verify",
    )  # fmt: skip
    assert updated.exit_code == 0, updated.stderr
    registry = Registry.from_dict(json.loads(updated.stdout))
    assert (registry.name, registry.description, registry.insecure) == (name, "second site", True)
    assert registry.url == f"https://{name}.example.com"
    assert registry.to_dict()["credential"]["access_key"] == "robot$new"
    assert "N3w!" not in updated.stdout

    said = run("registries", "update", str(registry_id), "--verify-tls")
    assert said.exit_code == 0
    assert f"Updated registry {registry_id}: insecure." in said.stdout
    # Harbor leaves a false `insecure` out of its answer.
    assert not client.get_registry(registry_id).to_dict().get("insecure")
    assert run("registries", "update", str(registry_id)).exit_code == 4
    client.delete_registry(registry_id)


def test_info_shows_what_policies_may_use(run: Run) -> None:
    table = run("registries", "info", "1")
    assert table.exit_code == 0
    assert "manual" in table.stdout
    assert "name (input)" in table.stdout
    info = RegistryInfo.from_dict(json.loads(run("-o", "json", "registries", "info", "1").stdout))
    assert info.type_ == "docker-hub"
    assert run("registries", "info", "999").exit_code == 5


def test_adapters_list_every_type_with_its_patterns(run: Run, client: ReplicationClient) -> None:
    table = run("registries", "adapters")
    assert table.exit_code == 0
    assert "https://hub.docker.com" in table.stdout
    as_yaml = yaml.safe_load(run("-o", "yaml", "registries", "adapters").stdout)
    assert list(as_yaml) == client.get_registry_adapters()
    patterns = {name: RegistryProviderInfo.from_dict(info) for name, info in as_yaml.items()}
    assert patterns["harbor"].to_dict() == {}
    assert patterns["docker-hub"] == client.get_registry_adapter_infos()["docker-hub"]
