"""Files that `show -o yaml` wrote fed back to create and update, refused input, error hints."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from harbor_replication import ReplicationClient, location_id
from harbor_replication.cli import cli
from harbor_replication.simulator import HarborSimulator
from tests.cli.conftest import Run


@pytest.fixture
def make_registry(client: ReplicationClient, unique: Callable[[str], str]) -> Callable[[], int]:
    def make() -> int:
        name = unique("registry")
        return location_id(
            client.create_registry(
                {
                    "name": name,
                    "type": "harbor",
                    "url": f"https://{name}.example.com",
                    "credential": {"type": "basic", "access_key": "old", "access_secret": "s"},
                }
            )
        )

    return make


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("harbor-replication: error: ")
    return lines[0]


def test_an_exported_registry_with_the_mask_as_secret_is_refused(
    run: Run, make_registry: Callable[[], int], tmp_path: Path
) -> None:
    registry_id = make_registry()
    exported = tmp_path / "registry.yaml"
    exported.write_text(run("-o", "yaml", "registries", "show", str(registry_id)).stdout)
    assert yaml.safe_load(exported.read_text())["credential"]["access_secret"] == "*****"

    result = run("registries", "update", str(registry_id), "-f", str(exported))
    assert result.exit_code == 4
    assert "'*****'" in _one_error_line(result.stderr)
    assert "real" in result.stderr


def test_an_exported_registry_round_trips_with_its_nested_credential(
    run: Run, client: ReplicationClient, make_registry: Callable[[], int], tmp_path: Path
) -> None:
    registry_id = make_registry()
    exported = yaml.safe_load(run("-o", "yaml", "registries", "show", str(registry_id)).stdout)
    exported["credential"].update(access_key="robot$new", access_secret="N3w-secret")
    edited = tmp_path / "registry.yaml"
    edited.write_text(yaml.safe_dump(exported))

    result = run("registries", "update", str(registry_id), "-f", str(edited))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Updated registry {registry_id}: credential.\n"
    credential = client.get_registry(registry_id).credential
    assert credential.access_key == "robot$new"  # type: ignore[union-attr]
    assert credential.access_secret == "*****"  # type: ignore[union-attr]

    del exported["credential"]["access_secret"]
    edited.write_text(yaml.safe_dump(exported))
    unchanged = run("registries", "update", str(registry_id), "-f", str(edited))
    assert unchanged.exit_code == 0, unchanged.stderr
    assert unchanged.stdout == f"Registry {registry_id}: nothing to change.\n"

    # The same file makes a new registry, once it has a name and a real secret.
    exported["name"] += "-copy"
    exported["credential"]["access_secret"] = "An0ther"
    edited.write_text(yaml.safe_dump(exported))
    created = run("-o", "json", "registries", "create", "-f", str(edited))
    assert created.exit_code == 0, created.stderr
    copy = client.get_registries({"name": exported["name"]})[0]
    assert copy.credential.access_key == "robot$new"  # type: ignore[union-attr]


def test_create_takes_the_flat_credential_keys_too(
    run: Run, client: ReplicationClient, tmp_path: Path, unique: Callable[[str], str]
) -> None:
    name = unique("flat")
    flat = tmp_path / "registry.yaml"
    flat.write_text(
        yaml.safe_dump(
            {
                "name": name,
                "type": "harbor",
                "url": f"https://{name}.example.com",
                "access_key": "flat-key",
                "access_secret": "flat-secret",
            }
        )
    )
    result = run("registries", "create", "-f", str(flat))
    assert result.exit_code == 0, result.stderr
    credential = client.get_registries({"name": name})[0].credential
    assert (credential.type_, credential.access_key) == ("basic", "flat-key")  # type: ignore[union-attr]


def test_registry_files_with_foreign_fields_or_another_type_are_refused(
    run: Run, make_registry: Callable[[], int], tmp_path: Path
) -> None:
    registry_id = make_registry()
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(run("-o", "yaml", "policies", "show", "1").stdout)
    result = run("registries", "update", str(registry_id), "-f", str(policy_file))
    assert result.exit_code == 4
    assert "src_registry" in _one_error_line(result.stderr)

    other_type = tmp_path / "registry.yaml"
    other_type.write_text("type: docker-hub\n")
    result = run("registries", "update", str(registry_id), "-f", str(other_type))
    assert result.exit_code == 4
    assert "docker-hub" in _one_error_line(result.stderr)


def test_an_access_key_without_a_secret_and_no_terminal_is_refused(
    run: Run, client: ReplicationClient, unique: Callable[[str], str]
) -> None:
    name = unique("no-secret")
    result = run(
        "registries", "create", "--name", name, "--type", "harbor",
        "--url", f"https://{name}.example.com", "--access-key", "k",
    )  # fmt: skip
    assert result.exit_code == 4
    assert "--access-secret is needed with --access-key" in _one_error_line(result.stderr)
    assert client.get_registries({"name": name}) == []


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("description: 2024-01-01", "description"),
        ("filterz: [{type: name, value: 'library/**'}]", "filterz"),
        ("replicate_deletions: true", "replicate_deletions"),
        ("deletion: true\nreplicate_deletion: false", "deletion"),
        ("src_registry: 1", "src_registry"),
        ("trigger: manual", "trigger"),
    ],
)
def test_a_policy_file_harbor_would_misread_is_refused_in_one_line(
    run: Run, client: ReplicationClient, tmp_path: Path, body: str, named: str
) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(f"name: cli-refused\ndest_registry: {{id: 2}}\n{body}\n")
    result = run("policies", "create", "-f", str(policy_file))
    assert result.exit_code == 4, result.stdout
    assert named in _one_error_line(result.stderr)
    assert "Traceback" not in result.stderr
    assert client.get_replication_policies({"name": "cli-refused"}) == []


def test_an_exported_policy_round_trips_and_update_names_what_changed(
    run: Run, make_policy: Callable[[str], int], tmp_path: Path
) -> None:
    policy_id = make_policy("library/alpine")
    exported = yaml.safe_load(run("-o", "yaml", "policies", "show", str(policy_id)).stdout)
    assert {"id", "creation_time", "update_time"} <= exported.keys()
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(yaml.safe_dump(exported))

    unchanged = run("policies", "update", str(policy_id), "-f", str(policy_file))
    assert unchanged.exit_code == 0, unchanged.stderr
    assert unchanged.stdout == f"Policy {policy_id}: nothing to change.\n"

    exported["description"] = "edited"
    policy_file.write_text(yaml.safe_dump(exported))
    edited = run("policies", "update", str(policy_id), "-f", str(policy_file))
    assert edited.exit_code == 0, edited.stderr
    assert edited.stdout == f"Updated policy {policy_id}: description.\n"

    exported["name"] += "-copy"
    policy_file.write_text(yaml.safe_dump(exported))
    copied = run("policies", "create", "-f", str(policy_file))
    assert copied.exit_code == 0, copied.stderr


def test_a_registry_on_both_sides_gets_a_hint(
    run: Run, client: ReplicationClient, make_policy: Callable[[str], int]
) -> None:
    policy_id = make_policy("library/alpine")  # a pull policy
    refused = run("policies", "update", str(policy_id), "--dest-registry", "2")
    assert refused.exit_code == 5
    line = _one_error_line(refused.stderr)
    assert "HTTP 400" in line
    assert "add --src-registry 0" in line

    pushed = run(
        "policies", "update", str(policy_id), "--dest-registry", "2", "--src-registry", "0"
    )
    assert pushed.exit_code == 0, pushed.stderr
    assert client.get_replication_policy(policy_id).dest_registry.id == 2  # type: ignore[union-attr]


def test_a_401_without_a_username_says_so(cli_harbor: HarborSimulator) -> None:
    only_url = {"HARBOR_URL": cli_harbor.url, "HARBOR_USERNAME": None, "HARBOR_SECRET": None}
    result = CliRunner(env=only_url).invoke(cli, ["policies", "list"])
    assert result.exit_code == 5
    line = _one_error_line(result.stderr)
    assert "HTTP 401" in line
    assert "no username given: pass --username or set HARBOR_USERNAME" in line


def test_stop_wait_counts_the_time_on_one_clock(
    run: Run, make_policy: Callable[[str], int]
) -> None:
    started = run("-o", "json", "start", str(make_policy("team/**")))
    execution_id = yaml.safe_load(started.stdout)["id"]
    # --settle 0: the first Failed read ends the wait (its team/fail-build task may fail first).
    result = run("stop", "--wait", "--settle", "0", str(execution_id))
    progress = re.findall(r", (\d+\.\d)s$", result.stderr, re.MULTILINE)
    summary = re.search(r", waited (\d+\.\d)s\. ", result.stdout)
    assert progress, result.stderr
    assert summary, result.stdout
    # Both are read off the moment the final execution was read.
    assert summary[1] == progress[-1]


def test_a_raw_query_harbor_refuses_exits_5_as_help_says(run: Run) -> None:
    result = run("policies", "list", "--query", "name=~")
    assert result.exit_code == 5
    assert "HTTP 400" in _one_error_line(result.stderr)
    assert "Harbor's own 400 included" in run("--help").stdout
    assert "one Harbor refuses exits 5" in " ".join(
        run("policies", "list", "--help").stdout.split()
    )
