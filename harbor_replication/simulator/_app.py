"""The Starlette application that answers like Harbor's ``/api/v2.0`` for replication."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from http.cookies import SimpleCookie
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import _body, _negotiation as negotiation
from ._adapters import ADAPTERS
from ._config import SimulatorConfig
from ._errors import ErrorReply
from ._faults import FaultInjector, FaultMiddleware
from ._model import go_json
from ._query import (
    Condition,
    Fuzzy,
    QueryError,
    Sort,
    build_links,
    go_parse_query,
    page_slice,
    parse_q,
    parse_sort,
)
from ._state import SimulatorState
from ._times import format_time

API_PREFIX = "/api/v2.0"
MAX_PAGE_SIZE = 100
_UNSAFE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
_log = logging.getLogger("harbor_replication.simulator")

Handler = Callable[[Request], Awaitable[Response]]
Lister = Callable[[Mapping[str, Condition], Sequence[Sort]], list[dict[str, Any]]]
# Harbor answers these without credentials; every other path needs system permission.
_PUBLIC_PATHS = frozenset({"/ping", "/systeminfo"})


def error_response(status: int, code: str, message: str) -> Response:
    """Harbor's error body, with its content type and trailing newline."""
    # Go's json.Marshal; Harbor's error writer adds the newline
    body = go_json({"errors": [{"code": code, "message": message}]}) + "\n"
    return Response(body, status_code=status, media_type="application/json; charset=utf-8")


def _harbor_error_response(error: ErrorReply) -> Response:
    if error.status >= 500:  # the details go to the server log only (§6)
        _log.error("%s", error.message)
        return error_response(error.status, error.code, "internal server error")
    return error_response(error.status, error.code, error.message)


def _json(data: Any, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"
    return Response(body, media_type="application/json", headers=headers)


class HarborHttpMiddleware:
    """Request ids, the ``sid`` session cookie, the CSRF check and the catch-all 500."""

    def __init__(self, app: ASGIApp, secret: bytes) -> None:
        self.app = app
        self.secret = secret

    def csrf_token(self, sid: str) -> str:
        return hmac.new(self.secret, sid.encode(), hashlib.sha256).hexdigest()[:32]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = headers.get("x-request-id") or str(uuid.uuid4())
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # an unreadable Cookie header is no session
            cookie = SimpleCookie()
        sent_sid = cookie["sid"].value if "sid" in cookie else None
        sid = sent_sid or secrets.token_hex(16)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [
                    (b"x-request-id", request_id.encode("latin-1", "replace")),
                    (b"set-cookie", f"sid={sid}; Path=/; HttpOnly".encode()),
                    (b"x-harbor-csrf-token", self.csrf_token(sid).encode()),
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        if scope["method"] in _UNSAFE_METHODS and sent_sid is not None:
            token = headers.get("x-harbor-csrf-token", "")
            if not hmac.compare_digest(token, self.csrf_token(sent_sid)):
                # gorilla/csrf's two refusals (docs/harbor-behaviour.md §3)
                reason = "CSRF token invalid" if token else "CSRF token not found in request"
                response = error_response(403, "FORBIDDEN", reason)
                await response(scope, receive, send_with_headers)
                return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            _log.exception("unexpected error, request id %s", request_id)
            if not started:
                response = error_response(500, "UNKNOWN", "internal server error")
                await response(scope, receive, send_with_headers)


class HarborApi:
    """Route handlers bound to one state and configuration."""

    def __init__(self, state: SimulatorState, config: SimulatorConfig) -> None:
        self.state = state
        self.config = config

    # --- request helpers --------------------------------------------------------------------

    def authorize(self, request: Request) -> str:
        """The user name of a caller with system permission, else 401 or 403.

        Every handler but the public ones runs after it, the name in ``request.state.username``.
        """
        header = request.headers.get("authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            raise ErrorReply(401, "unauthorized")
        try:
            name, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise ErrorReply(401, "unauthorized") from None
        if not sep:
            raise ErrorReply(401, "unauthorized")
        config = self.config
        if name == config.admin_username and password == config.admin_password:
            return name
        if config.robots.get(name) == password:
            return name
        if name in config.users and config.users[name] == password:
            raise ErrorReply(403, name)
        raise ErrorReply(401, "unauthorized")

    @staticmethod
    def query(request: Request) -> dict[str, str]:
        """Query parameters as go-swagger binds them: Go parsing, last value, empty = absent."""
        parsed = go_parse_query(_raw_query(request))
        return {key: values[-1] for key, values in parsed.items() if values[-1]}

    @staticmethod
    def path_id(request: Request, name: str = "id") -> int:
        return _body.parse_int(request.path_params[name], name, "path")

    @staticmethod
    def optional_int(params: Mapping[str, str], name: str) -> int | None:
        return None if name not in params else _body.parse_int(params[name], name, "query")

    def paging(self, params: Mapping[str, str]) -> tuple[int, int]:
        page = self.optional_int(params, "page")
        page_size = self.optional_int(params, "page_size")
        if page_size is not None and page_size > MAX_PAGE_SIZE:
            raise negotiation.validation_failure(
                f"page_size in query should be less than or equal to {MAX_PAGE_SIZE}"
            )
        return (1 if page is None else page), (10 if page_size is None else page_size)

    @staticmethod
    def page(request: Request, items: list[Any], paging: tuple[int, int]) -> Response:
        page, page_size = paging
        headers = {"X-Total-Count": str(len(items))}
        link = build_links(request.url.path, _raw_query(request), len(items), page, page_size)
        if link:
            headers["Link"] = _header_value(link)
        return _json(items[page_slice(len(items), page, page_size)], headers)

    @staticmethod
    def created(request: Request, new_id: int) -> Response:
        location = f"{request.url.path.rstrip('/')}/{new_id}"
        return Response(status_code=201, headers={"Location": location})

    def list_named(self, request: Request, lister: Lister) -> Response:
        """A page of policies or registries: ``q``, ``sort`` and the deprecated ``name``."""
        params = self.query(request)
        paging = self.paging(params)  # first: go-swagger's 422 comes before Harbor's 400
        try:
            keywords: dict[str, Condition] = dict(parse_q(params.get("q", "")))
        except QueryError as exc:
            raise ErrorReply(400, str(exc)) from exc
        if "name" in params:  # the deprecated parameter: a fuzzy match on the name, under
            # the Go field's key, so a q condition on "name" applies too (§26)
            keywords["Name"] = Fuzzy(params["name"])
        return self.page(request, lister(keywords, parse_sort(params.get("sort", ""))), paging)

    # --- unauthenticated --------------------------------------------------------------------

    async def ping(self, request: Request) -> Response:
        return Response("Pong", media_type="text/plain")

    async def systeminfo(self, request: Request) -> Response:
        return _json(
            {
                "auth_mode": "db_auth",
                "primary_auth_mode": False,
                "banner_message": "",
                "current_time": format_time(time.time()),
                "external_url": str(request.base_url).rstrip("/"),
                "registry_url": request.url.netloc,
                "harbor_version": self.config.harbor_version,
                "has_ca_root": False,
                "notification_enable": True,
                "oidc_provider_name": "",
                "project_creation_restriction": "everyone",
                "read_only": False,
                "registry_storage_provider_name": "filesystem",
                "self_registration": False,
            }
        )

    # --- policies ---------------------------------------------------------------------------

    async def list_policies(self, request: Request) -> Response:
        return self.list_named(request, self.state.list_policies)

    async def create_policy(self, request: Request) -> Response:
        body = _body.parse_body(await request.body(), "policy", _body.POLICY)
        return self.created(request, self.state.create_policy(body, request.state.username))

    async def get_policy(self, request: Request) -> Response:
        return _json(self.state.policy_json(self.path_id(request)))

    async def update_policy(self, request: Request) -> Response:
        policy_id = self.path_id(request)
        body = _body.parse_body(await request.body(), "policy", _body.POLICY)
        self.state.update_policy(policy_id, body)
        return Response(status_code=200)

    async def delete_policy(self, request: Request) -> Response:
        self.state.delete_policy(self.path_id(request))
        return Response(status_code=200)

    # --- executions and tasks ---------------------------------------------------------------

    async def list_executions(self, request: Request) -> Response:
        params = self.query(request)
        paging = self.paging(params)
        executions = self.state.list_executions(
            self.optional_int(params, "policy_id"),
            params.get("status"),
            params.get("trigger"),
            parse_sort(params.get("sort", "")),
        )
        return self.page(request, executions, paging)

    async def start_execution(self, request: Request) -> Response:
        body = _body.parse_body(await request.body(), "execution", _body.START_EXECUTION)
        trigger = "scheduled" if self.query(request).get("trigger") == "scheduled" else "manual"
        execution_id = self.state.start_execution(int(body.get("policy_id") or 0), trigger)
        return self.created(request, execution_id)

    async def get_execution(self, request: Request) -> Response:
        return _json(self.state.execution_json(self.path_id(request)))

    async def stop_execution(self, request: Request) -> Response:
        self.state.stop_execution(self.path_id(request))
        # the stop handler returns a nil payload, which go-swagger writes as JSON (§9)
        return Response(b"null\n", media_type="application/json")

    async def list_tasks(self, request: Request) -> Response:
        execution_id = self.path_id(request)
        params = self.query(request)
        paging = self.paging(params)
        tasks = self.state.list_tasks(
            execution_id,
            params.get("status"),
            params.get("resource_type"),
            parse_sort(params.get("sort", "")),
        )
        return self.page(request, tasks, paging)

    async def task_log(self, request: Request) -> Response:
        execution_id = self.path_id(request)
        task_id = self.path_id(request, "task_id")
        return Response(self.state.task_log(execution_id, task_id), media_type="text/plain")

    async def adapters(self, request: Request) -> Response:
        return _json(sorted(ADAPTERS))

    async def adapter_infos(self, request: Request) -> Response:
        return _json({name: info for name, info in sorted(ADAPTERS.items()) if info})

    # --- registries -------------------------------------------------------------------------

    async def list_registries(self, request: Request) -> Response:
        return self.list_named(request, self.state.list_registries)

    async def create_registry(self, request: Request) -> Response:
        body = _body.parse_body(await request.body(), "registry", _body.REGISTRY)
        return self.created(request, self.state.create_registry(body))

    async def get_registry(self, request: Request) -> Response:
        return _json(self.state.registry_json(self.path_id(request)))

    async def update_registry(self, request: Request) -> Response:
        registry_id = self.path_id(request)
        body = _body.parse_body(await request.body(), "registry", _body.REGISTRY_UPDATE)
        self.state.update_registry(registry_id, body)
        return Response(status_code=200)

    async def delete_registry(self, request: Request) -> Response:
        self.state.delete_registry(self.path_id(request))
        return Response(status_code=200)

    async def ping_registry(self, request: Request) -> Response:
        body = _body.parse_body(await request.body(), "registry", _body.REGISTRY_PING)
        self.state.ping_registry(body)
        return Response(status_code=200)

    async def registry_info(self, request: Request) -> Response:
        return _json(self.state.registry_info(self.path_id(request)))

    def routes(self) -> list[Route]:
        table: list[tuple[str, str, Handler]] = [
            ("GET", "/ping", self.ping),
            ("GET", "/systeminfo", self.systeminfo),
            ("GET", "/replication/policies", self.list_policies),
            ("POST", "/replication/policies", self.create_policy),
            ("GET", "/replication/policies/{id}", self.get_policy),
            ("PUT", "/replication/policies/{id}", self.update_policy),
            ("DELETE", "/replication/policies/{id}", self.delete_policy),
            ("GET", "/replication/executions", self.list_executions),
            ("POST", "/replication/executions", self.start_execution),
            ("GET", "/replication/executions/{id}", self.get_execution),
            ("PUT", "/replication/executions/{id}", self.stop_execution),
            ("GET", "/replication/executions/{id}/tasks", self.list_tasks),
            ("GET", "/replication/executions/{id}/tasks/{task_id}/log", self.task_log),
            ("GET", "/replication/adapters", self.adapters),
            ("GET", "/replication/adapterinfos", self.adapter_infos),
            ("GET", "/registries", self.list_registries),
            ("POST", "/registries", self.create_registry),
            ("POST", "/registries/ping", self.ping_registry),
            ("GET", "/registries/{id}", self.get_registry),
            ("PUT", "/registries/{id}", self.update_registry),
            ("DELETE", "/registries/{id}", self.delete_registry),
            ("GET", "/registries/{id}/info", self.registry_info),
        ]
        by_path: dict[str, dict[str, Handler]] = {}
        for method, path, handler in table:
            by_path.setdefault(path, {})[method] = handler
        return [
            Route(
                API_PREFIX + path,
                _dispatch(path, handlers, None if path in _PUBLIC_PATHS else self.authorize),
                methods=list(handlers),
            )
            for path, handlers in by_path.items()
        ]


def _header_value(text: str) -> str:
    """A decoded query as Go's net/http writes it in a header: raw bytes, CR and LF as spaces.

    Other control bytes, which Go would also write raw, are percent-encoded because the
    HTTP library here refuses to send them.
    """
    raw = text.encode("utf-8", "surrogateescape").replace(b"\r", b" ").replace(b"\n", b" ")
    return "".join(
        f"%{byte:02X}" if (byte < 0x20 and byte != 0x09) or byte == 0x7F else chr(byte)
        for byte in raw
    )


def _raw_query(request: Request) -> str:
    raw: bytes = request.scope.get("query_string", b"")
    return raw.decode("utf-8", "surrogateescape")


async def _has_body(request: Request) -> bool:
    """go-openapi's ``runtime.HasBody``: a positive Content-Length, or bytes to read."""
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip().isdigit() and int(length) > 0
    return bool(await request.body())


def _dispatch(
    path: str, handlers: Mapping[str, Handler], authorize: Callable[[Request], str] | None
) -> Handler:
    """One path's endpoint: the framework's content negotiation, the caller authorized
    (unless ``authorize`` is None), then the method's handler."""

    async def endpoint(request: Request) -> Response:
        method = request.method if request.method in handlers else "GET"  # HEAD as GET
        handler = handlers[method]
        try:
            # before the handler, so before its permission check (docs/harbor-behaviour.md §19)
            negotiation.check(method, path, request.headers, await _has_body(request))
            if authorize is not None:
                request.state.username = authorize(request)
            return await handler(request)
        except ErrorReply as error:
            return _harbor_error_response(error)

    return endpoint


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        methods = ",".join(m.strip() for m in allowed.split(",") if m.strip() != "HEAD")
        return error_response(
            405,
            "METHOD_NOT_ALLOWED",
            f"method {request.method} is not allowed, but [{methods}] are",
        )
    if exc.status_code == 404:
        return error_response(404, "NOT_FOUND", f"path {request.url.path} was not found")
    return error_response(exc.status_code, "UNKNOWN", exc.detail)


def create_app(
    config: SimulatorConfig | None = None, state: SimulatorState | None = None
) -> Starlette:
    """The simulator as an ASGI application; ``app.state.harbor`` is its ``SimulatorState``.

    ``config.middleware`` is added outermost, in order; inside it the fault injection that
    ``app.state.faults`` (a ``FaultInjector``) controls, the way a reverse proxy in front
    of Harbor and the network misbehave.
    """
    config = config or SimulatorConfig()
    state = state or SimulatorState(config)
    api = HarborApi(state, config)
    faults = FaultInjector(config.faults)
    app = Starlette(
        routes=api.routes(),
        middleware=[
            *config.middleware,
            Middleware(FaultMiddleware, injector=faults),
            Middleware(HarborHttpMiddleware, secret=secrets.token_bytes(32)),
        ],
        exception_handlers={HTTPException: _http_exception},
    )
    app.router.redirect_slashes = False
    app.state.harbor = state
    app.state.faults = faults
    return app
