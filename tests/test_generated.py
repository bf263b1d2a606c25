"""The committed spec and generated client are what the pipeline makes from Harbor's spec."""

from __future__ import annotations

import filecmp
import importlib
import inspect
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from openapi import generate

DEFAULT_SPEC = generate.REPO_ROOT.parent / "shared" / "harbor" / "swagger-v2.15.2.yaml"


def _harbor_spec() -> str:
    spec = os.environ.get("HARBOR_SPEC") or str(DEFAULT_SPEC)
    if not spec.startswith(("http://", "https://")) and not Path(spec).is_file():
        pytest.skip(f"Harbor's swagger file is not at hand ({spec}); set HARBOR_SPEC to regenerate")
    if shutil.which("node") is None:
        pytest.skip("node is not installed: swagger2openapi cannot run")
    if not generate.CONVERTER.is_file():
        pytest.skip(f"{generate.CONVERTER} is missing: run `npm ci` in openapi/")
    return spec


def _differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths of files that differ, or exist on one side only, below two directories."""
    comparison = filecmp.dircmp(expected, actual, ignore=["__pycache__"])
    found: list[str] = []

    def collect(cmp: filecmp.dircmp[str], prefix: Path) -> None:
        found.extend(str(prefix / name) for name in cmp.left_only + cmp.right_only)
        found.extend(str(prefix / name) for name in cmp.funny_files)
        # dircmp compares shallowly (size and mtime): compare the bytes.
        found.extend(
            str(prefix / name)
            for name in cmp.common_files
            if (Path(cmp.left) / name).read_bytes() != (Path(cmp.right) / name).read_bytes()
        )
        for name, sub in cmp.subdirs.items():
            collect(sub, prefix / name)

    collect(comparison, Path())
    return sorted(found)


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(tag, module name, Swagger 2.0 operation) for each operation the package is built from."""
    subset = generate.select_subset(spec, generate.TAGS)
    return [
        (
            operation["tags"][0],
            re.sub(r"(?<!^)(?=[A-Z])", "_", operation["operationId"]).lower(),
            operation,
        )
        for item in subset["paths"].values()
        for method, operation in item.items()
        if method in ("get", "put", "post", "delete")
    ]


def _build(module_name: str) -> dict[str, Any]:
    """The request one generated builder makes, required arguments filled with stand-ins."""
    build_request = importlib.import_module(module_name).build_request
    arguments: dict[str, Any] = {}
    for name, parameter in inspect.signature(build_request).parameters.items():
        if parameter.default is inspect.Parameter.empty:
            kind = parameter.annotation
            arguments[name] = 1 if kind is int else kind.from_dict({})
    return dict(build_request(**arguments))


def test_each_request_sends_what_its_operation_produces_and_consumes() -> None:
    # Harbor negotiates Accept (and checks Content-Type) against each operation's produces
    # and consumes before the handler runs (docs/harbor-behaviour.md §6, §19): a log read
    # that accepts only JSON is refused with 422.
    spec = generate.load_spec(_harbor_spec())
    checked = 0
    for tag, name, operation in _operations(spec):
        request = _build(f"harbor_replication_api.api.{tag}.{name}")
        produces: list[str] = operation.get("produces") or spec["produces"]
        # Error bodies are JSON whatever the operation produces, so JSON is accepted too.
        accepted = [*produces, *(kind for kind in spec["produces"] if kind not in produces)]
        assert request["headers"]["Accept"] == ", ".join(accepted), name
        has_body = any(parameter.get("in") == "body" for parameter in operation["parameters"])
        consumes: list[str] = operation.get("consumes") or spec["consumes"]
        assert request["headers"].get("Content-Type") == (consumes[0] if has_body else None), name
        checked += 1
    assert checked == 20
    log = _build("harbor_replication_api.api.replication.get_replication_log")
    assert log["headers"]["Accept"] == "text/plain, application/json"


def test_package_holds_models_and_request_builders_only() -> None:
    # The library sends its own requests: no second HTTP client ships in the wheel.
    files = {
        path.relative_to(generate.PACKAGE_DIR).as_posix()
        for path in generate.PACKAGE_DIR.rglob("*.py")
    }
    assert "client.py" not in files
    assert "errors.py" not in files
    for path in generate.PACKAGE_DIR.glob("api/*/*.py"):
        if path.name != "__init__.py":
            names = {
                name
                for name, value in vars(
                    importlib.import_module(
                        f"harbor_replication_api.api.{path.parent.name}.{path.stem}"
                    )
                ).items()
                if inspect.isfunction(value) and value.__module__.endswith(path.stem)
            }
            assert names == {"build_request"}, path


def test_regeneration_matches_committed_output(tmp_path: Path) -> None:
    spec_out = tmp_path / "harbor-replication.yaml"
    package_dir = tmp_path / "harbor_replication_api"

    generate.build(_harbor_spec(), spec_out, package_dir)

    # openapi/harbor-replication.yaml is not committed (it is Harbor's text); the client is.
    stale = _differences(generate.PACKAGE_DIR, package_dir)
    assert not stale, f"generated/ differs from a regeneration (run `make generate`): {stale}"


def test_fix_that_matches_nothing_fails() -> None:
    # An upstream rename must stop the build, not silently drop the correction.
    fix = generate.Fix(path="/components/schemas/Gone*/nullable", op="add", value=True, why="-")
    with pytest.raises(KeyError, match="matches nothing"):
        generate.apply_fixes({"components": {"schemas": {"A": {"properties": {}}}}}, [fix])


def test_models_accept_what_harbor_sends() -> None:
    from harbor_replication_api.models import ReplicationExecution, ReplicationPolicy

    policy = ReplicationPolicy.from_dict(
        {
            "id": 7,
            "name": "p",
            "src_registry": {"id": 0, "name": "Local", "type": "harbor"},
            "dest_registry": {"id": 3, "name": "r", "type": "docker-hub"},
            "filters": [
                {"type": "name", "value": "library/**"},
                {"type": "label", "value": ["a", "b"], "decoration": "matches"},
            ],
            "dest_namespace_replace_count": None,
            "speed": None,
            "creation_time": "2026-01-01T00:00:00.000Z",
            "update_time": None,
        }
    )
    assert [f.value for f in policy.filters or []] == ["library/**", ["a", "b"]]
    assert policy.update_time is None
    execution = ReplicationExecution.from_dict({"id": 1, "status": "", "end_time": None})
    assert execution.end_time is None
    assert execution.to_dict() == {"id": 1, "status": "", "end_time": None}
