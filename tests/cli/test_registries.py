"""``registries list|show|create|delete|ping``."""

from __future__ import annotations

import json
from collections.abc import Callable

from harbor_replication import ReplicationClient
from harbor_replication.models import Registry
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
