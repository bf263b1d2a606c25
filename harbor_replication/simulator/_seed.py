"""Initial content of the simulated Harbor: the built-in seed or a JSON/YAML seed file.

A seed is a mapping with three optional keys:

``local``
    ``{"artifacts": [...]}``: what this Harbor (registry id 0) holds.
``registries``
    a list of registry bodies as ``POST /registries`` takes them (``name``, ``type``,
    ``url``, ``description``, ``insecure``, ``credential``), each with an extra
    ``artifacts`` list. Registries get ids 1, 2, ... in this order.
``policies``
    a list of policy bodies as ``POST /replication/policies`` takes them.

An artifact entry is ``{"repository": "library/nginx", "tags": ["1.27", "latest"]}`` with
optional ``type`` (``image``, ``chart`` or another artifact type), ``labels`` and
``failures``: how many times copying it fails before Harbor's retry succeeds (3 or more:
it always fails; so does every artifact of a repository whose name holds ``fail``).
``failure`` gives the error its copies end with instead (``{reference}`` becomes
``repository:tag``), in every execution, or in the first ``failed_executions`` ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ._errors import ErrorReply
from ._model import LOCAL_REGISTRY_ID

if TYPE_CHECKING:
    from ._state import SimulatorState

BUILT_IN_SEED: dict[str, Any] = {
    "local": {
        "artifacts": [
            {"repository": "library/hello-world", "tags": ["latest"]},
            {"repository": "library/busybox", "tags": ["1.36", "latest"]},
            {"repository": "prod/api", "tags": ["2.3.1", "2.4.0"], "labels": ["prod"]},
            {"repository": "prod/fail-worker", "tags": ["1.0"], "labels": ["prod"]},
            {"repository": "dev/api", "tags": ["2.5.0-rc1"], "labels": ["dev"]},
        ]
    },
    "registries": [
        {
            "name": "docker-hub",
            "type": "docker-hub",
            "url": "https://hub.docker.com",
            "description": "Docker Hub, anonymous pulls",
            "credential": {"type": "basic", "access_key": "", "access_secret": ""},
            "artifacts": [
                {"repository": "library/nginx", "tags": ["1.25", "1.26", "1.27", "latest"]},
                {"repository": "library/alpine", "tags": ["3.19", "3.20", "latest"]},
                # its first copy fails, Harbor's retry succeeds (docs/harbor-behaviour.md §30)
                {"repository": "library/flaky-sync", "tags": ["0.9"], "failures": 1},
                {"repository": "library/redis", "tags": ["7.2", "7.4"]},
                {"repository": "team/app", "tags": ["v1.0.0", "v1.1.0"], "labels": ["stable"]},
                {"repository": "team/fail-build", "tags": ["1.0", "2.0"]},
                {"repository": "charts/podinfo", "tags": ["6.5.0"], "type": "chart"},
            ],
        },
        {
            "name": "harbor-dr",
            "type": "harbor",
            "url": "https://harbor-dr.example.com",
            "description": "Disaster-recovery Harbor in the second data centre",
            "credential": {
                "type": "basic",
                "access_key": "robot$dr+replicator",
                "access_secret": "Dr-Secret-123",
            },
            "artifacts": [],
        },
    ],
    "policies": [
        {
            "name": "pull-nginx",
            "description": "Mirror nginx from Docker Hub",
            "src_registry": {"id": 1},
            "dest_namespace": "mirror",
            "dest_namespace_replace_count": 1,
            "filters": [{"type": "name", "value": "library/nginx"}],
            "trigger": {"type": "manual"},
            "enabled": True,
            "override": True,
        },
        {
            "name": "push-prod-to-dr",
            "description": "Nightly copy of prod to the DR Harbor",
            "dest_registry": {"id": 2},
            "filters": [{"type": "name", "value": "prod/**"}],
            "trigger": {"type": "scheduled", "trigger_settings": {"cron": "0 0 2 * * *"}},
            "enabled": True,
            "deletion": True,
        },
    ],
}


def read_seed_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except OSError as exc:
        raise ValueError(f"seed file {path}: {exc.strerror}") from None
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"seed file {path}: not JSON or YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a seed file holds a mapping")
    unknown = set(data) - {"local", "registries", "policies"}
    if unknown:
        raise ValueError(f"{path}: unknown seed keys {sorted(unknown)}")
    return data


def load_seed(state: SimulatorState, path: Path | None) -> None:
    """Fill an empty state from the seed file, or from the built-in seed when there is none."""
    seed = BUILT_IN_SEED if path is None else read_seed_file(path)
    _add_artifacts(state, LOCAL_REGISTRY_ID, seed.get("local", {}).get("artifacts", []))
    for body in seed.get("registries", []):
        registry_id = state.create_registry({k: v for k, v in body.items() if k != "artifacts"})
        _add_artifacts(state, registry_id, body.get("artifacts", []))
    for index, body in enumerate(seed.get("policies", [])):
        try:
            state.create_policy(body, creator=state.config.admin_username)
        except ErrorReply as exc:
            name = body.get("name") if isinstance(body, Mapping) else None
            raise ValueError(
                f"seed file {path}: policy {name!r} (policies[{index}]): {exc.message}"
            ) from None


def _add_artifacts(
    state: SimulatorState, registry_id: int, entries: list[Mapping[str, Any]]
) -> None:
    for entry in entries:
        if "failure" in entry:
            state.set_failure(entry["repository"], entry["failure"], entry.get("failed_executions"))
        tags = entry.get("tags") or [entry.get("tag", "latest")]
        for tag in tags:
            state.add_artifact(
                registry_id,
                entry["repository"],
                str(tag),
                labels=entry.get("labels", ()),
                artifact_type=entry.get("type", "image"),
                failures=int(entry.get("failures", 0)),
            )
