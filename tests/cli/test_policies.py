"""``policies list|show|create|update|delete`` and the output formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import yaml

from harbor_replication import ReplicationClient
from harbor_replication.models import ReplicationPolicy
from tests.cli.conftest import Run


def test_list_as_table_names_the_seeded_policies(run: Run) -> None:
    result = run("policies", "list")
    assert result.exit_code == 0
    assert "pull-nginx" in result.stdout
    assert "push-prod-to-dr" in result.stdout


def test_list_as_json_round_trips_into_models(run: Run) -> None:
    result = run("--output", "json", "policies", "list", "--match", "name=pull-nginx")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    policies = [ReplicationPolicy.from_dict(item) for item in data]
    assert [p.name for p in policies] == ["pull-nginx"]
    assert policies[0].to_dict() == data[0]


def test_list_filters_with_fuzzy_and_range_and_limit(run: Run) -> None:
    fuzzy = json.loads(run("-o", "json", "policies", "list", "--fuzzy", "name=PROD").stdout)
    assert [p["name"] for p in fuzzy] == ["push-prod-to-dr"]
    ranged = json.loads(
        run("-o", "json", "policies", "list", "--range", "src_registry_id=1~1").stdout
    )
    assert "pull-nginx" in [p["name"] for p in ranged]
    assert "push-prod-to-dr" not in [p["name"] for p in ranged]
    limited = json.loads(run("-o", "json", "policies", "list", "--limit", "1").stdout)
    assert len(limited) == 1


def test_show_as_yaml_parses_into_the_model(run: Run) -> None:
    result = run("-o", "yaml", "policies", "show", "1")
    assert result.exit_code == 0
    policy = ReplicationPolicy.from_dict(yaml.safe_load(result.stdout))
    assert policy.id == 1
    assert policy.name == "pull-nginx"


def test_create_from_file_and_flags_then_partial_update(
    run: Run, client: ReplicationClient, tmp_path: Path, unique: Callable[[str], str]
) -> None:
    name = unique("created")
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        yaml.safe_dump(
            {
                "name": name,
                "description": "from a file",
                "src_registry": {"id": 1},
                "filters": [{"type": "name", "value": "library/**"}],
                "trigger": {"type": "manual"},
            }
        )
    )
    created = run(
        "-o", "json", "policies", "create", "-f", str(policy_file), "--dest-namespace", "flags"
    )
    assert created.exit_code == 0, created.stderr
    policy = ReplicationPolicy.from_dict(json.loads(created.stdout))
    assert (policy.name, policy.dest_namespace, policy.enabled) == (name, "flags", True)

    updated = run(
        "policies", "update", str(policy.id), "--description", "changed", "--replicate-deletion"
    )
    assert updated.exit_code == 0, updated.stderr
    assert "description" in updated.stdout
    after = client.get_replication_policy(int(policy.id))  # type: ignore[arg-type]
    assert after.description == "changed"
    assert after.replicate_deletion is True
    # Everything not given is kept, although Harbor's PUT replaces the policy whole.
    assert after.dest_namespace == "flags"
    assert after.enabled is True
    assert [f.value for f in after.filters] == ["library/**"]  # type: ignore[union-attr]


def test_create_with_filter_and_cron_flags(run: Run, unique: Callable[[str], str]) -> None:
    result = run(
        "-o", "json", "policies", "create", "--name", unique("flags"), "--dest-registry", "2",
        "--filter", "name=prod/**", "--filter", "tag!=*-rc*", "--cron", "0 30 2 * * *",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    policy = json.loads(result.stdout)
    assert policy["trigger"] == {"type": "scheduled", "trigger_settings": {"cron": "0 30 2 * * *"}}
    assert policy["filters"][1] == {"type": "tag", "value": "*-rc*", "decoration": "excludes"}


def test_update_without_changes_is_a_usage_error(run: Run) -> None:
    result = run("policies", "update", "1")
    assert result.exit_code == 4
    assert "nothing to change" in result.stderr


def test_delete_asks_and_a_no_keeps_the_policy(
    run: Run, client: ReplicationClient, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("library/alpine")
    declined = run("policies", "delete", str(policy_id), input="n\n")
    assert declined.exit_code == 4
    assert "Delete policy" in declined.stderr
    assert client.get_replication_policy(policy_id).id == policy_id

    confirmed = run("policies", "delete", str(policy_id), input="y\n")
    assert confirmed.exit_code == 0
    assert f"Deleted policy {policy_id}" in confirmed.stdout
    assert run("policies", "show", str(policy_id)).exit_code == 5


def test_delete_with_yes_does_not_ask(run: Run, make_policy: Callable[[str], int]) -> None:
    policy_id = make_policy("library/alpine")
    result = run("-o", "json", "policies", "delete", "--yes", str(policy_id))
    assert result.exit_code == 0
    assert "Delete policy" not in result.stderr
    assert json.loads(result.stdout)["id"] == policy_id
