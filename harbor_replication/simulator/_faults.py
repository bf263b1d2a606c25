"""Fault injection: the simulator misbehaving the way networks and proxies in front of Harbor do.

:class:`FaultMiddleware` sits in front of the application. Each request first waits the
configured latency, then may draw a fault: from the ``schedule`` while it lasts (one entry
per request, None for no fault), else with probability ``rate`` one of ``kinds``. A seed
makes the draws repeatable. A running simulator's :class:`FaultInjector` (``.faults``)
changes all of it at any time.

Connection resets need the connection's transport, which ASGI does not hand out: the
simulator's server runs a protocol class from :func:`tracking_protocol` that files each
transport under the client address the ASGI scope carries.
"""

from __future__ import annotations

import asyncio
import collections
import random
import socket
import struct
import threading
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Fault(StrEnum):
    """What can go wrong with one request; the values are the command-line names."""

    UNAVAILABLE = "503"
    """The proxy's HTML 503 page with ``Retry-After``; Harbor never sees the request."""
    BAD_GATEWAY = "502"
    """nginx's HTML 502 page; Harbor never sees the request."""
    GATEWAY_TIMEOUT = "504"
    """nginx's HTML 504 page, after Harbor has done the work."""
    TOO_MANY_REQUESTS = "429"
    """Harbor's 429 ``TOO_MANY_REQUEST`` error with ``Retry-After``."""
    TOO_LARGE = "413"
    """nginx's HTML 413 page (body too large); not transient, so never drawn by default."""
    RESET_BEFORE = "reset-before"
    """The connection is reset before Harbor sees the request: no answer."""
    RESET_AFTER = "reset-after"
    """Harbor does the work (an execution is created), then the connection is reset."""
    TRUNCATED = "truncated"
    """Half the body arrives (its Content-Length promised all), then a reset."""
    STALL = "stall"
    """Harbor does the work, the answer waits ``stall`` seconds or until the client gives up."""


# What a flaky network and proxy do now and then; retrying may help with every one of them.
TRANSIENT_FAULTS: tuple[Fault, ...] = tuple(f for f in Fault if f is not Fault.TOO_LARGE)


@dataclass(frozen=True)
class FaultConfig:
    """Which faults the simulator injects; all off by default."""

    latency: float = 0.0
    """Seconds every request waits before anything else happens."""
    rate: float = 0.0
    """Probability that a request (past the schedule) gets one of ``kinds``."""
    kinds: tuple[Fault, ...] = TRANSIENT_FAULTS
    schedule: tuple[Fault | None, ...] = ()
    """Faults for the next requests in order (None: that request goes through)."""
    seed: int | None = None
    retry_after: str | None = "1"
    """The ``Retry-After`` header of 503 and 429 answers (None: no header)."""
    stall: float = 5.0
    """Seconds a stalled answer is held back."""

    def __post_init__(self) -> None:
        if not 0 <= self.latency < float("inf"):
            raise ValueError(f"latency must be seconds >= 0, got {self.latency!r}")
        if not 0 <= self.rate <= 1:
            raise ValueError(f"the fault rate must be from 0 to 1, got {self.rate!r}")
        if not 0 <= self.stall < float("inf"):
            raise ValueError(f"stall must be seconds >= 0, got {self.stall!r}")
        object.__setattr__(self, "kinds", tuple(Fault(kind) for kind in self.kinds))
        object.__setattr__(
            self, "schedule", tuple(None if f is None else Fault(f) for f in self.schedule)
        )
        if self.rate and not self.kinds:
            raise ValueError("a fault rate needs at least one kind of fault")


def parse_faults(text: str) -> tuple[Fault, ...]:
    """``503,reset-before`` as faults; ``all`` is every transient one."""
    if text.strip() == "all":
        return TRANSIENT_FAULTS
    try:
        return tuple(Fault(name.strip()) for name in text.split(",") if name.strip())
    except ValueError:
        names = ", ".join(fault.value for fault in Fault)
        raise ValueError(f"unknown fault in {text!r}; known: {names}, all") from None


class FaultInjector:
    """The faults of a running simulator; thread-safe, so tests change them while it serves.

    >>> simulator.faults.set(rate=0.2, seed=7)
    >>> simulator.faults.set(schedule=[Fault.RESET_AFTER])
    >>> simulator.faults.injected[Fault.RESET_AFTER]
    """

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.injected: collections.Counter[Fault] = collections.Counter()
        self.connections: dict[tuple[str, int], asyncio.Transport] = {}
        self._apply(config or FaultConfig())

    def _apply(self, config: FaultConfig) -> None:
        self.config = config
        self._random = random.Random(config.seed)
        self._schedule = collections.deque(config.schedule)

    def set(self, **changes: Any) -> None:
        """Change some fields of the :class:`FaultConfig`; the schedule and seed start over."""
        with self._lock:
            self._apply(replace(self.config, **changes))

    def clear(self) -> None:
        """No more faults or latency, and the counts of injected faults start over."""
        with self._lock:
            self._apply(FaultConfig())
            self.injected.clear()

    def draw(self) -> Fault | None:
        """The fault for the next request, counted in :attr:`injected`."""
        with self._lock:
            if self._schedule:
                fault = self._schedule.popleft()
            elif self.config.rate and self._random.random() < self.config.rate:
                fault = self._random.choice(self.config.kinds)
            else:
                return None
            if fault is not None:
                self.injected[fault] += 1
            return fault


def tracking_protocol(base: type[asyncio.Protocol], injector: FaultInjector) -> type[Any]:
    """``base`` (a uvicorn HTTP protocol) filing its transport in ``injector.connections``."""

    class TrackingProtocol(base):  # type: ignore[valid-type,misc]
        def connection_made(self, transport: asyncio.Transport) -> None:
            self._peer = _peer(transport)
            injector.connections[self._peer] = transport
            super().connection_made(transport)

        def connection_lost(self, exc: Exception | None) -> None:
            injector.connections.pop(self._peer, None)
            super().connection_lost(exc)

    return TrackingProtocol


def _peer(transport: asyncio.BaseTransport) -> tuple[str, int]:
    address = transport.get_extra_info("peername")
    return (str(address[0]), int(address[1])) if address else ("", 0)


_NGINX_PAGES = {
    413: "413 Request Entity Too Large",
    502: "502 Bad Gateway",
    503: "503 Service Temporarily Unavailable",
    504: "504 Gateway Time-out",
}


def _nginx_page(status: int) -> bytes:
    title = _NGINX_PAGES[status]
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


@dataclass
class _Recorded:
    """A response the application sent, held back instead of going to the client."""

    start: Message | None = None
    body: list[bytes] = field(default_factory=list)

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))


class FaultMiddleware:
    """ASGI middleware injecting the :class:`FaultInjector`'s latency and faults."""

    def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
        self.app = app
        self.injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        config = self.injector.config
        if config.latency:
            await asyncio.sleep(config.latency)
        fault = self.injector.draw()
        if fault is None:
            await self.app(scope, receive, send)
        elif fault is Fault.TOO_MANY_REQUESTS:
            body = b'{"errors":[{"code":"TOO_MANY_REQUEST","message":"too many requests"}]}\n'
            await _answer(send, 429, body, "application/json; charset=utf-8", config.retry_after)
        elif fault in (Fault.BAD_GATEWAY, Fault.UNAVAILABLE, Fault.TOO_LARGE):
            status = int(fault.value)
            retry_after = config.retry_after if fault is Fault.UNAVAILABLE else None
            await _answer(send, status, _nginx_page(status), "text/html", retry_after)
        elif fault is Fault.RESET_BEFORE:
            await self._reset(scope, receive)
        else:
            recorded = _Recorded()
            await self.app(scope, receive, recorded.send)
            await self._after_work(fault, scope, receive, send, recorded)

    async def _after_work(
        self, fault: Fault, scope: Scope, receive: Receive, send: Send, recorded: _Recorded
    ) -> None:
        if fault is Fault.GATEWAY_TIMEOUT:
            await _answer(send, 504, _nginx_page(504), "text/html", None)
        elif fault is Fault.RESET_AFTER:
            await self._reset(scope, receive)
        elif fault is Fault.TRUNCATED:
            if recorded.start is not None:  # half of the answer, if there is one, then the reset
                body = b"".join(recorded.body)
                await send(recorded.start)
                half = body[: len(body) // 2]
                await send({"type": "http.response.body", "body": half, "more_body": True})
            await self._reset(scope, receive)
        else:
            # the other faults were answered before the work; a stall answers late, if the
            # client still waits for it
            assert fault is Fault.STALL, fault
            try:
                async with asyncio.timeout(self.injector.config.stall):
                    await _disconnected(receive)
                return  # the client gave up waiting: nobody to answer
            except TimeoutError:
                pass
            if recorded.start is not None:
                await send(recorded.start)
            await send({"type": "http.response.body", "body": b"".join(recorded.body)})

    async def _reset(self, scope: Scope, receive: Receive) -> None:
        """Abort the connection with a TCP RST, then wait for the server to notice."""
        client = scope.get("client")
        transport = self.injector.connections.get(tuple(client)) if client else None
        if transport is None:
            raise RuntimeError("connection resets need HarborSimulator's server")
        raw = transport.get_extra_info("socket")
        if raw is not None:
            # Linger on with a zero timeout: close() sends RST instead of FIN.
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        # Returning only once the server has seen the disconnect keeps uvicorn from
        # reporting an unfinished response.
        async with asyncio.timeout(5):
            await _disconnected(receive)


async def _disconnected(receive: Receive) -> None:
    """Return once the client has gone (the request body, if still unread, is skipped)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def _answer(
    send: Send, status: int, body: bytes, content_type: str, retry_after: str | None
) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if retry_after is not None:
        headers.append((b"retry-after", retry_after.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
