"""Build openapi/harbor-replication.yaml and generated/harbor_replication_api from Harbor's spec.

Steps: load Harbor's Swagger 2.0 file, keep the replication and registry operations with what
they reach, convert to OpenAPI 3 with the pinned swagger2openapi, apply the reviewed fixes in
openapi/fixes.yaml, write the spec deterministically and run openapi-python-client on it with
the templates in openapi/templates: each operation becomes a public ``build_request`` (its
``Accept`` from what the operation produces, ``Content-Type`` from what it consumes), beside the
models; the generator's own HTTP client is left out, since harbor_replication sends the requests.
"""

from __future__ import annotations

import argparse
import copy
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

OPENAPI_DIR = Path(__file__).resolve().parent
REPO_ROOT = OPENAPI_DIR.parent
SPEC_OUT = OPENAPI_DIR / "harbor-replication.yaml"
FIXES_FILE = OPENAPI_DIR / "fixes.yaml"
CLIENT_CONFIG = OPENAPI_DIR / "config.yaml"
TEMPLATES = OPENAPI_DIR / "templates"
# Written by openapi-python-client whatever the templates say; used by nothing once the
# endpoint modules only build requests.
UNUSED_FILES = ("client.py", "errors.py")
CONVERTER = OPENAPI_DIR / "node_modules" / "swagger2openapi" / "swagger2openapi.js"
PACKAGE_DIR = REPO_ROOT / "generated" / "harbor_replication_api"
TAGS = ("replication", "registry")
TITLE = "Harbor replication API"

Document = dict[str, Any]

_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch"})
# Swagger 2.0 sections that a local "#/<section>/<name>" reference can point into.
_REF_SECTIONS = ("definitions", "parameters", "responses")


def load_spec(path_or_url: str) -> Document:
    """Read a Swagger/OpenAPI document (YAML or JSON) from a file path or an http(s) URL."""
    if path_or_url.startswith(("http://", "https://")):
        with urllib.request.urlopen(path_or_url, timeout=60) as response:
            text = response.read().decode("utf-8")
    else:
        text = Path(path_or_url).read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    if not isinstance(document, dict):
        raise ValueError(f"{path_or_url}: not an API description")
    return document


def _refs(node: Any) -> Iterator[str]:
    """Every "$ref" string anywhere inside node."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def select_subset(spec: Document, tags: Iterable[str]) -> Document:
    """Keep the operations carrying one of tags and every definition, parameter and response
    they reach, directly or through each other. Security definitions are kept whole."""
    wanted = set(tags)
    paths: Document = {}
    for path, item in spec["paths"].items():
        operations = {
            method: operation
            for method, operation in item.items()
            if method in _HTTP_METHODS and wanted & set(operation.get("tags", ()))
        }
        if operations:
            shared = {key: value for key, value in item.items() if key not in _HTTP_METHODS}
            paths[path] = {**shared, **operations}

    reached: dict[str, set[str]] = {section: set() for section in _REF_SECTIONS}
    pending = list(_refs(paths))
    while pending:
        ref = pending.pop()
        section, _, name = ref.removeprefix("#/").partition("/")
        if section not in reached:
            raise ValueError(f"unsupported reference {ref!r}")
        if name in reached[section]:
            continue
        reached[section].add(name)
        pending.extend(_refs(spec[section][name]))

    subset = {
        key: value
        for key, value in spec.items()
        if key not in ("paths", "tags", *_REF_SECTIONS) and not key.startswith("x-")
    }
    subset["info"] = {**spec["info"], "title": TITLE}
    if tags_kept := [tag for tag in spec.get("tags", ()) if tag["name"] in wanted]:
        subset["tags"] = tags_kept
    subset["paths"] = paths
    for section, names in reached.items():
        if names:
            subset[section] = {name: spec[section][name] for name in sorted(names)}
    return subset


def _normalize_nullable(node: Any) -> None:
    """go-swagger reads x-isnullable as a synonym of x-nullable; swagger2openapi only turns
    x-nullable into nullable, so rename the synonym first."""
    if isinstance(node, dict):
        if "x-isnullable" in node:
            node.setdefault("x-nullable", node.pop("x-isnullable"))
        for value in node.values():
            _normalize_nullable(value)
    elif isinstance(node, list):
        for item in node:
            _normalize_nullable(item)


def convert_to_openapi3(swagger: Document) -> Document:
    """Convert a Swagger 2.0 document with the swagger2openapi pinned in openapi/package.json."""
    if not CONVERTER.is_file():
        raise RuntimeError(f"{CONVERTER} is missing: run `npm ci` in {OPENAPI_DIR}")
    source = copy.deepcopy(swagger)
    _normalize_nullable(source)
    with tempfile.TemporaryDirectory() as scratch:
        source_file = Path(scratch) / "swagger.json"
        source_file.write_text(json.dumps(source), encoding="utf-8")
        completed = subprocess.run(
            ["node", str(CONVERTER), "--patch", "--refSiblings", "remove", str(source_file)],
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"swagger2openapi failed:\n{completed.stderr}")
    converted = json.loads(completed.stdout)
    if not isinstance(converted, dict):
        raise RuntimeError("swagger2openapi did not return a document")
    return converted


@dataclass(frozen=True)
class Fix:
    """One correction of Harbor's description: op ("add", "replace" or "remove", as in RFC 6902,
    object members only) at path, a JSON pointer in which a segment holding "*" is a shell-style
    wildcard over the keys present; why is the one-line reason shown in review."""

    path: str
    op: str
    why: str
    value: Any = None


def load_fixes(path: Path = FIXES_FILE) -> list[Fix]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Fix(**entry) for entry in entries]


def _pointer_parts(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def _members(containers: list[Document], segment: str) -> list[tuple[Document, str]]:
    """(container, key) for each member that segment names, a wildcard matching any number."""
    if "*" not in segment:
        return [(container, segment) for container in containers]
    return [
        (container, key)
        for container in containers
        for key, value in container.items()
        if isinstance(value, dict) and fnmatch.fnmatchcase(key, segment)
    ]


def _apply_fix(document: Document, fix: Fix) -> None:
    *parents, last = _pointer_parts(fix.path)
    containers = [document]
    for segment in parents:
        containers = [container[key] for container, key in _members(containers, segment)]
    targets = _members(containers, last)
    if not targets:
        raise KeyError(f"{fix.path}: matches nothing")
    for container, key in targets:
        if fix.op in ("replace", "remove") and key not in container:
            raise KeyError(f"{fix.path}: nothing to {fix.op} at {key!r}")
        if fix.op in ("add", "replace"):
            container[key] = copy.deepcopy(fix.value)
        elif fix.op == "remove":
            del container[key]
        else:
            raise ValueError(f"{fix.path}: unknown op {fix.op!r}")


def apply_fixes(oas3: Document, fixes: Sequence[Fix]) -> Document:
    """Return a copy of oas3 with fixes applied in order. A fix that finds no target raises,
    so a changed upstream description is noticed instead of silently left unfixed."""
    fixed = copy.deepcopy(oas3)
    for fix in fixes:
        _apply_fix(fixed, fix)
    return fixed


def dump_spec(oas3: Document) -> str:
    """YAML with sorted keys and no volatile content, so equal input gives equal bytes."""
    return yaml.safe_dump(oas3, sort_keys=True, allow_unicode=True, width=100)


def generate_client(spec_file: Path, package_dir: Path) -> None:
    """Run openapi-python-client (with openapi/config.yaml) from this interpreter's environment."""
    bin_dir = Path(sys.executable).parent
    generator = shutil.which("openapi-python-client", path=str(bin_dir))
    if generator is None:
        raise RuntimeError(f"openapi-python-client is not installed in {bin_dir}")
    # The config's post hooks call ruff by name: find the one of this environment first.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [
        generator,
        "generate",
        "--path",
        str(spec_file),
        "--config",
        str(CLIENT_CONFIG),
        "--custom-template-path",
        str(TEMPLATES),
        "--meta",
        "none",
        "--output-path",
        str(package_dir),
        "--overwrite",
        "--fail-on-warning",
    ]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"openapi-python-client failed:\n{completed.stdout}{completed.stderr}")
    for name in UNUSED_FILES:
        (package_dir / name).unlink()
    # PEP 561 marker: --meta none leaves it out, and the facade type-checks against the models.
    (package_dir / "py.typed").write_text("", encoding="utf-8")


def build(spec: str, spec_out: Path = SPEC_OUT, package_dir: Path = PACKAGE_DIR) -> None:
    """The whole pipeline: Harbor's spec (path or URL) to spec_out and the package_dir."""
    subset = select_subset(load_spec(spec), TAGS)
    oas3 = apply_fixes(convert_to_openapi3(subset), load_fixes())
    spec_out.write_text(dump_spec(oas3), encoding="utf-8")
    generate_client(spec_out, package_dir)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", required=True, help="Harbor's swagger.yaml: a path or a URL")
    parser.add_argument("--spec-out", type=Path, default=SPEC_OUT)
    parser.add_argument("--package-dir", type=Path, default=PACKAGE_DIR)
    args = parser.parse_args(argv)
    build(args.spec, args.spec_out, args.package_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
