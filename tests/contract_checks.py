"""Harbor's own API description as a check on every response a test simulator sends.

Harbor's swagger file (``HARBOR_SPEC``, else ``../shared/harbor/swagger-v2.15.2.yaml``) is
converted to OpenAPI 3 once per session with the spec pipeline's own functions, WITHOUT our
``openapi/fixes.yaml``: the simulator must match what Harbor documents, not what we corrected.
openapi-core then validates each response (status, headers, body). A status Harbor really
sends but does not document (the API framework's 422, 404 on unknown paths, 405, ...) is
recorded, and its body must still be Harbor's ``Errors``.

Use: ``with_contract(config)`` puts the validator innermost among the config's middleware, so
faults injected by outer middleware are not judged; ``CONTRACT.violations`` collects findings.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import shutil
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.responses.exceptions import ResponseFinderError
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS30Validator
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harbor_replication.simulator import SimulatorConfig
from openapi import generate

DEFAULT_SPEC = generate.REPO_ROOT.parent / "shared" / "harbor" / "swagger-v2.15.2.yaml"
# Harbor v2.11.2's description, for the simulator in its older-Harbor mode.
V2_11_SPEC = DEFAULT_SPEC.with_name("swagger-v2.11.2.yaml")
# The simulator also serves /ping and /systeminfo, documented under their own tags.
CONTRACT_TAGS = (*generate.TAGS, "ping", "systeminfo")
# Requests are matched against the description's own server, whatever port the simulator has.
_DOCUMENTED_HOST = "http://localhost"


@dataclass(frozen=True)
class Finding:
    """One response that broke (or stepped outside) the description."""

    method: str
    path: str
    status: int
    problem: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}: {self.problem}"


class Contract:
    """Harbor's description, and what the responses checked against it so far broke."""

    def __init__(self, oas3: dict[str, Any]) -> None:
        self.openapi = OpenAPI.from_dict(oas3)
        self._errors = OAS30Validator(
            {"$ref": "#/components/schemas/Errors", "components": oas3["components"]}
        )
        self._lock = threading.Lock()
        self.checked = 0
        self.violations: list[Finding] = []
        # (method, path, status) of statuses Harbor sends without documenting them
        self.undocumented: Counter[tuple[str, str, int]] = Counter()

    def check(
        self, method: str, path: str, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        content_type = headers.get("content-type", "")
        request = MockRequest(_DOCUMENTED_HOST, method, path)
        response = MockResponse(body, status, headers, content_type.partition(";")[0])
        problems: list[str] = []
        with self._lock:
            self.checked += 1
        if status == 200 and not body and content_type.startswith("text/plain"):
            # An empty log (a task that has not started) is an empty string, which
            # openapi-core would read as a missing body.
            return
        try:
            self.openapi.validate_response(request, response)
        except (PathError, ResponseFinderError):
            with self._lock:
                self.undocumented[(method, path, status)] += 1
            problems = self._errors_problems(content_type, body)
        except Exception as error:  # openapi-core's validation errors carry their causes
            problems = [_describe(error)]
        if problems:
            with self._lock:
                self.violations.extend(Finding(method, path, status, p) for p in problems)

    def _errors_problems(self, content_type: str, body: bytes) -> list[str]:
        if not content_type.startswith("application/json"):
            return [f"undocumented status answered with {content_type or 'no content type'}"]
        try:
            document = json.loads(body)
        except ValueError:
            return [f"undocumented status with a body that is not JSON: {body[:80]!r}"]
        return [
            f"undocumented status whose body is not Harbor's Errors: {error.message}"
            for error in self._errors.iter_errors(document)
        ]

    def new_violations(self, since: int) -> list[Finding]:
        with self._lock:
            return self.violations[since:]

    def middleware(self) -> Middleware:
        return Middleware(ContractMiddleware, contract=self)


def _describe(error: BaseException) -> str:
    """An openapi-core error on one line, with the schema errors it wraps."""
    cause = error.__cause__ or error
    schema_errors = getattr(cause, "schema_errors", None) or ()
    details = [
        f"at {'/'.join(str(part) for part in e.absolute_path) or '(root)'}: {e.message}"
        for e in schema_errors
    ]
    return f"{type(error).__name__}: {'; '.join(details) or cause}"


class ContractMiddleware:
    """Holds each response until it is complete, has the contract check it, then sends it on.

    Checking before the client gets the last byte ties every finding to the test that made
    the request.
    """

    def __init__(self, app: ASGIApp, contract: Contract) -> None:
        self.app = app
        self.contract = contract

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self._check(scope, held)
                for pending in held:
                    await send(pending)
                held.clear()

        await self.app(scope, receive, hold)

    def _check(self, scope: Scope, messages: list[Message]) -> None:
        start = messages[0]
        headers = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in start.get("headers", [])
        }
        body = b"".join(m.get("body", b"") for m in messages[1:])
        self.contract.check(scope["method"], scope["path"], start["status"], headers, body)


class ContractUnavailableError(RuntimeError):
    """Harbor's description or the converter is not at hand: the checks cannot run."""


def harbor_spec(spec: str | None = None) -> str:
    """``spec`` (a path or URL), else ``HARBOR_SPEC``, else v2.15.2's, if it can be converted."""
    spec = spec or os.environ.get("HARBOR_SPEC") or str(DEFAULT_SPEC)
    if not spec.startswith(("http://", "https://")) and not Path(spec).is_file():
        raise ContractUnavailableError(f"Harbor's swagger file is not at hand ({spec})")
    if shutil.which("node") is None:
        raise ContractUnavailableError("node is not installed: swagger2openapi cannot run")
    if not generate.CONVERTER.is_file():
        raise ContractUnavailableError(f"{generate.CONVERTER} is missing: run `npm ci`")
    return spec


@functools.cache
def harbor_description(
    tags: tuple[str, ...] = CONTRACT_TAGS, spec: str | None = None
) -> dict[str, Any]:
    """Harbor's description of the operations with these tags, in OpenAPI 3 (once a session)."""
    subset = generate.select_subset(generate.load_spec(harbor_spec(spec)), tags)
    return generate.convert_to_openapi3(subset)


@functools.cache
def session_contract() -> Contract | str:
    """The session's contract, or why there is none."""
    try:
        return Contract(harbor_description())
    except ContractUnavailableError as unavailable:
        return f"contract checks skipped: {unavailable}"


def require_contract_in_ci(contract: Contract | str, environ: Mapping[str, str]) -> None:
    """In CI (``CI`` set) a missing contract stops the run instead of skipping its checks."""
    if isinstance(contract, str) and environ.get("CI"):
        raise pytest.UsageError(
            f"{contract}; CI must check the simulator against Harbor's description: "
            "make test HARBOR_SPEC=path-or-url"
        )


@contextlib.contextmanager
def assert_no_new_violations(contract: Contract, description: str) -> Iterator[None]:
    """Fails the test if a response sent inside the block broke ``description``."""
    seen = len(contract.violations)
    yield
    if broken := contract.new_violations(seen):
        report = "\n".join(f"  {finding}" for finding in broken)
        pytest.fail(f"responses that break {description}:\n{report}", pytrace=False)


def with_contract(config: SimulatorConfig, contract: Contract | None = None) -> SimulatorConfig:
    """``config`` with a contract check (the session's by default) innermost of its middleware,
    inside any fault injection; ``config`` itself when the checks cannot run."""
    chosen = contract or session_contract()
    if isinstance(chosen, str):
        return config
    return dataclasses.replace(config, middleware=[*config.middleware, chosen.middleware()])


def undocumented_summary(contract: Contract) -> Iterator[str]:
    """One line per method and undocumented status seen, most frequent first."""
    counts: Counter[tuple[str, int]] = Counter()
    examples: dict[tuple[str, int], str] = {}
    for (method, path, status), count in contract.undocumented.items():
        counts[(method, status)] += count
        examples.setdefault((method, status), path)
    for (method, status), count in counts.most_common():
        example = examples[(method, status)]
        yield f"{method} -> {status}, undocumented by Harbor: {count} times (e.g. {example})"
