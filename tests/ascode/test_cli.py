"""``export``, ``plan``, ``apply``, ``diff`` and ``context`` on the command line, against
simulated Harbors (several at once for contexts)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
import yaml
from click.testing import CliRunner, Result
from keyring.backend import KeyringBackend

from harbor_replication.cli import cli
from harbor_replication.simulator import HarborSimulator
from tests.ascode.conftest import DOCUMENT, SECRETS
from tests.support import ADMIN

NewHarbor = Callable[..., HarborSimulator]
Run = Callable[..., Result]


class MemoryKeyring(KeyringBackend):
    """A keyring in memory: the tests never touch the system's."""

    priority = 1

    def __init__(self) -> None:
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "config" / "config.yaml"


def runner_for(env: dict[str, str | None]) -> Run:
    runner = CliRunner(env=env)

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def run(empty_harbor: HarborSimulator, config: Path) -> Run:
    """The command against the empty Harbor through HARBOR_*, with the document's secrets."""
    return runner_for(
        {
            "HARBOR_URL": empty_harbor.url,
            "HARBOR_USERNAME": ADMIN[0],
            "HARBOR_SECRET": ADMIN[1],
            "HARBOR_REPLICATION_CONFIG": str(config),
            "HARBOR_CONTEXT": None,
            **SECRETS,
        }
    )


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    return path


def test_plan_apply_then_in_sync_and_a_changed_field_is_named(run: Run, document: Path) -> None:
    planned = run("plan", "-f", str(document))
    assert planned.exit_code == 2, planned.output
    assert planned.stdout.splitlines()[1:] == [
        "  + registry dr",
        "  + registry hub",
        "  + policy team-pull",
        "  + policy team-push",
    ]
    assert "4 to create, 0 to update, 0 to delete, 0 unchanged" in planned.stdout.splitlines()[0]

    applied = run("apply", "--yes", "-f", str(document))
    assert applied.exit_code == 0, applied.output
    assert applied.stderr.splitlines()[-1].endswith(": 4 change(s) applied")
    assert sorted(applied.stderr.splitlines()[:-1]) == [
        "created policy team-pull",
        "created policy team-push",
        "created registry dr",
        "created registry hub",
    ]
    assert run("plan", "-f", str(document)).exit_code == 0

    document.write_text(DOCUMENT.replace("nginx from Docker Hub", "nginx, mirrored"))
    changed = run("plan", "-f", str(document))
    assert changed.exit_code == 2
    assert changed.stdout.splitlines()[1:3] == [
        "  ~ policy team-pull",
        '      description: "nginx from Docker Hub" -> "nginx, mirrored"',
    ]
    as_json = json.loads(run("-o", "json", "plan", "-f", str(document)).stdout)
    assert as_json["in_sync"] is False
    assert as_json["steps"] == [
        {
            "action": "update",
            "kind": "policy",
            "name": "team-pull",
            "id": as_json["steps"][0]["id"],
            "changes": [
                {
                    "field": "description",
                    "before": "nginx from Docker Hub",
                    "after": "nginx, mirrored",
                }
            ],
        }
    ]


def test_apply_asks_first_and_a_refusal_changes_nothing(
    run: Run, document: Path, empty_harbor: HarborSimulator
) -> None:
    declined = run("apply", "-f", str(document), input="n\n")
    assert declined.exit_code == 4
    assert "not confirmed; nothing was changed" in declined.stderr
    assert empty_harbor.state.registries == {}
    accepted = run("apply", "-f", str(document), input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert len(empty_harbor.state.policies) == 2
    assert run("apply", "-f", str(document)).stderr == "nothing to apply\n"


def test_input_errors_exit_4_before_anything_is_sent(
    run: Run, tmp_path: Path, empty_harbor: HarborSimulator
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("policies:\n  p: {src_registry: hub, dest_registry: local, speed: x}\n")
    result = run("plan", "-f", str(broken))
    assert result.exit_code == 4
    assert result.stderr == (
        f"harbor-replication: error: {broken}: policies.p.speed: expected int, got 'x'\n"
    )
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("policies:\n  p: {src_registry: nowhere, dest_registry: local}\n")
    result = run("plan", "-f", str(unknown))
    assert result.exit_code == 4
    assert "policies.p.src_registry: no registry named 'nowhere' in the document or on" in (
        result.stderr
    )
    missing_secret = runner_for(
        {
            "HARBOR_URL": empty_harbor.url,
            "HARBOR_USERNAME": ADMIN[0],
            "HARBOR_SECRET": ADMIN[1],
            "HUB_SECRET": "x",
            "DR_SECRET": None,
        }
    )
    document = tmp_path / "team.yaml"
    document.write_text(DOCUMENT)
    result = missing_secret("apply", "--yes", "-f", str(document))
    assert result.exit_code == 4
    assert "registries.dr.credential.access_secret: environment variable DR_SECRET is not set" in (
        result.stderr
    )
    assert empty_harbor.state.registries == {}


def test_an_unreachable_harbor_exits_5(run: Run, document: Path) -> None:
    result = run("--url", "http://127.0.0.1:9", "plan", "-f", str(document))
    assert result.exit_code == 5
    assert result.stderr.startswith("harbor-replication: error: cannot reach Harbor")


def test_export_writes_a_document_plan_accepts_unchanged(
    run: Run, document: Path, tmp_path: Path
) -> None:
    run("apply", "--yes", "-f", str(document))
    exported = tmp_path / "exported.yaml"
    result = run("export", "-o", str(exported))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(exported.read_text())
    assert data["registries"]["hub"]["credential"]["access_secret"] == (
        "${HARBOR_REGISTRY_HUB_SECRET}"
    )
    assert "hub-s3cret" not in exported.read_text()
    assert run("plan", "-f", str(exported)).exit_code == 0
    assert yaml.safe_load(run("export").stdout) == data
    assert json.loads(run("-o", "json", "export").stdout) == data


def test_prune_deletes_only_with_the_flag(
    run: Run, document: Path, empty_harbor: HarborSimulator
) -> None:
    run("apply", "--yes", "-f", str(document))
    document.write_text(DOCUMENT.split("  team-push:")[0])
    shown = run("plan", "-f", str(document))
    assert shown.exit_code == 0
    assert "  (not deleted without --prune: policy team-push)" in shown.stdout.splitlines()
    pruned = run("plan", "--prune", "-f", str(document))
    assert pruned.exit_code == 2
    assert "  - policy team-push" in pruned.stdout.splitlines()
    assert run("apply", "--prune", "--yes", "-f", str(document)).exit_code == 0
    assert sorted(p.name for p in empty_harbor.state.policies.values()) == ["team-pull"]


# --- contexts ------------------------------------------------------------------------------


@pytest.fixture
def bare(config: Path) -> Run:
    """The command with no HARBOR_* connection settings, contexts in ``config``."""
    return runner_for(
        {
            "HARBOR_URL": None,
            "HARBOR_USERNAME": None,
            "HARBOR_SECRET": None,
            "HARBOR_CONTEXT": None,
            "HARBOR_REPLICATION_CONFIG": str(config),
            "PROD_SECRET": ADMIN[1],
            **SECRETS,
        }
    )


def test_contexts_from_env_command_and_keyring(
    bare: Run, config: Path, new_harbor: NewHarbor, memory_keyring: MemoryKeyring
) -> None:
    prod, dr, lab = new_harbor(), new_harbor(), new_harbor()
    command = f"{sys.executable} -c \"import os; print(os.environ['PROD_SECRET'])\""
    added = [
        bare("context", "add", "prod", "--url", prod.url, "--username", "admin",
             "--secret-env", "PROD_SECRET"),
        bare("context", "add", "dr", "--url", dr.url, "--username", "admin",
             "--secret-command", command),
        bare("context", "add", "lab", "--url", lab.url, "--username", "admin", "--keyring",
             input=f"{ADMIN[1]}\n"),
    ]  # fmt: skip
    assert [result.exit_code for result in added] == [0, 0, 0], added[2].output
    assert memory_keyring.passwords == {("harbor-replication", "lab"): ADMIN[1]}
    assert os.stat(config).st_mode & 0o777 == 0o600
    assert ADMIN[1] not in config.read_text()
    listed = json.loads(bare("-o", "json", "context", "list").stdout)
    assert listed["current"] == "prod"
    assert listed["contexts"]["dr"] == {
        "url": dr.url,
        "username": "admin",
        "secret_command": command,
    }

    # The current context answers when nothing else is given.
    assert bare("registries", "list").exit_code == 0
    unknown = bare("context", "use", "nowhere")
    assert unknown.exit_code == 4
    assert unknown.stderr.endswith(f"no context 'nowhere' in {config} (known: dr, lab, prod)\n")
    assert bare("context", "use", "lab").exit_code == 0
    assert bare("--context", "dr", "registries", "list").exit_code == 0

    document = config.parent / "team.yaml"
    document.write_text(DOCUMENT)
    applied = bare("--context", "prod", "--context", "dr", "--context", "lab", "apply",
                   "--yes", "-f", str(document))  # fmt: skip
    assert applied.exit_code == 0, applied.output
    assert sorted(applied.stderr.splitlines()[-3:]) == [
        "dr: 4 change(s) applied",
        "lab: 4 change(s) applied",
        "prod: 4 change(s) applied",
    ]
    for harbor in (prod, dr, lab):
        assert sorted(p.name for p in harbor.state.policies.values()) == [
            "team-pull",
            "team-push",
        ]
    plans = json.loads(
        bare("-o", "json", "--context", "prod", "--context", "lab", "plan", "-f",
             str(document)).stdout
    )  # fmt: skip
    assert [(p["context"], p["in_sync"]) for p in plans] == [("prod", True), ("lab", True)]

    assert bare("--context", "prod", "--context", "dr", "diff").exit_code == 0
    pattern = str(config.parent / "exported-{context}.yaml")
    exported = bare("--context", "prod", "--context", "dr", "export", "-o", pattern)
    assert exported.exit_code == 0, exported.output
    assert yaml.safe_load((config.parent / "exported-prod.yaml").read_text()) == yaml.safe_load(
        (config.parent / "exported-dr.yaml").read_text()
    )
    prod.state.policies[1].description = "edited on prod"
    different = bare("--context", "prod", "--context", "dr", "diff")
    assert different.exit_code == 2
    assert different.stdout.splitlines()[1:3] == [
        "  ~ policy team-pull",
        '      description: prod "edited on prod", dr "nginx from Docker Hub"',
    ]

    assert bare("context", "remove", "lab").exit_code == 0
    assert memory_keyring.passwords == {}
    assert "lab" not in json.loads(bare("-o", "json", "context", "list").stdout)["contexts"]


def test_options_and_harbor_variables_win_over_a_context(
    bare: Run, empty_harbor: HarborSimulator, config: Path
) -> None:
    bare("context", "add", "gone", "--url", "http://127.0.0.1:9", "--username", "admin",
         "--secret-env", "PROD_SECRET")  # fmt: skip
    assert bare("--context", "gone", "registries", "list").exit_code == 5
    from_variable = runner_for(
        {
            "HARBOR_CONTEXT": "gone",
            "HARBOR_URL": None,
            "HARBOR_REPLICATION_CONFIG": str(config),
            "PROD_SECRET": "x",
        }
    )
    unreachable = from_variable("registries", "list")
    assert unreachable.exit_code == 5
    assert "cannot reach Harbor at http://127.0.0.1:9" in unreachable.stderr
    assert bare("--context", "gone", "--url", empty_harbor.url, "registries", "list").exit_code == 0
    several = bare("--context", "gone", "--context", "gone2", "--url", empty_harbor.url, "plan",
                   "-f", "-", input="{}")  # fmt: skip
    assert several.exit_code == 4
    assert "--url cannot apply to several contexts at once" in several.stderr


def test_a_config_file_others_can_read_is_refused(bare: Run, config: Path) -> None:
    bare("context", "add", "prod", "--url", "http://127.0.0.1:9")
    config.chmod(0o644)
    result = bare("context", "list")
    assert result.exit_code == 4
    assert result.stderr == (
        f"harbor-replication: error: permissions 0644 for {config} are too open: it must not "
        f"be readable by group or others (chmod 600 {config})\n"
    )
